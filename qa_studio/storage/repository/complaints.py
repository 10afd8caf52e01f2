"""The complaints and escalations log: every write, each with its timeline entry and audit row.

A complaint is logged by hand or from a flagged interaction, classified formal or informal with
the reason (not every dissatisfaction is a formal complaint), categorised, prioritised, flagged
when the customer is vulnerable (with the kind of need), owned, escalated and handed off, and
finally answered, referred to the ombudsman/ADR and followed up. Each of those steps appends a
``complaint_events`` row — the audited timeline a reviewer reads — and an audit row, in the same
transaction as the change.

Due dates are computed from the complaint's regime (``domain.complaint_rules``) in England &
Wales business days when it is logged, and stored: a later change to the rules never moves an
old deadline silently. Changing the regime, the receipt time or the exceptional flag recomputes
them, on the timeline. Reads are in ``complaints_query``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from qa_studio.domain import complaint_rules as rules
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import LONDON, parse_iso, to_iso, utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository import complaint_steps as steps
from qa_studio.storage.repository.complaints_query import get_complaint, london_today

ENTITY = "complaint"
CLASSIFICATIONS = ("formal", "informal")
PRIORITIES = ("low", "medium", "high", "urgent")
STATUSES = ("open", "investigating", "resolved", "referred", "closed")
#: Fields ``update_complaint`` may change, and the timeline kind each change is logged as.
EDITABLE: dict[str, str] = {
    "classification": "classification",
    "classification_reason": "classification",
    "category": "edit",
    "priority": "edit",
    "vulnerable": "edit",
    "vulnerability_need": "edit",
    "owner": "handoff",
    "status": "status",
    "escalation_level": "escalation",
    "first_line_attempted": "edit",
    "regime": "edit",
    "exceptional": "edit",
    "summary": "edit",
    "customer_ref": "edit",
    "evaluation_id": "edit",
    "rca_id": "edit",
    "opened_at": "edit",
    "follow_up_due": "edit",
    "resolution": "edit",
    "redress": "edit",
    "redress_amount": "edit",
}


@dataclass(frozen=True)
class NewComplaint:
    """What a user types to log a complaint (``opened_at`` = received, UTC ISO)."""

    category: str
    classification: str
    classification_reason: str = ""
    opened_at: str | None = None
    priority: str = "medium"
    vulnerable: bool = False
    vulnerability_need: str | None = None
    owner: str | None = None
    regime: str = "fca"
    exceptional: bool = False
    summary: str = ""
    customer_ref: str | None = None
    interaction_id: int | None = None
    evaluation_id: int | None = None
    first_line_attempted: bool = False
    escalation_level: int = 0


def regimes(ws: Workspace) -> tuple[rules.Regime, ...]:
    """The default regimes overlaid with the workspace's ``complaint_regimes`` setting."""
    row = ws.db.execute("SELECT value FROM settings WHERE key = ?", [rules.SETTINGS_KEY]).fetchone()
    try:
        return rules.parse_regimes(row[0] if row else None)
    except (ValueError, KeyError, TypeError) as exc:
        raise DataRefused(f"workspace setting {rules.SETTINGS_KEY} is invalid: {exc}") from exc


def _check(values: dict, known_regimes: tuple[rules.Regime, ...]) -> list[str]:
    errors: list[str] = []
    if "category" in values and not str(values["category"] or "").strip():
        errors.append("category: a category is required")
    if "classification" in values and values["classification"] not in CLASSIFICATIONS:
        errors.append("classification: formal or informal")
    if "priority" in values and values["priority"] not in PRIORITIES:
        errors.append(f"priority: one of {', '.join(PRIORITIES)}")
    if "status" in values and values["status"] not in STATUSES:
        errors.append(f"status: one of {', '.join(STATUSES)}")
    if "regime" in values and values["regime"] not in {r.key for r in known_regimes}:
        errors.append(f"regime: one of {', '.join(r.key for r in known_regimes)}")
    level = values.get("escalation_level", 0)
    if not isinstance(level, int) or not 0 <= level <= 3:
        errors.append("escalation_level: 0 (first line) to 3")
    amount = values.get("redress_amount")
    if amount is not None and (not isinstance(amount, int | float) or amount < 0):
        errors.append("redress_amount: an amount ≥ 0")
    if values.get("opened_at") is not None:
        try:
            parse_iso(str(values["opened_at"]))
        except ValueError:
            errors.append("opened_at: an ISO date-time such as 2026-10-05T09:30:00Z")
    return errors


def _deadlines(ws: Workspace, regime_key: str, opened_at: str, exceptional: bool) -> dict:
    regime = rules.find(regimes(ws), regime_key)
    received_on = parse_iso(opened_at).astimezone(LONDON).date()
    due = rules.deadlines(regime, received_on, exceptional=exceptional)
    return {
        "summary_due": due.summary_due.isoformat() if due.summary_due else None,
        "final_due": due.final_due.isoformat(),
    }


def _event(
    ws: Workspace, complaint_id: int, kind: str, text: str, at: str, *,
    from_value: object = None, to_value: object = None, rng: random.Random | None = None,
) -> None:  # fmt: skip
    ws.db.execute(
        "INSERT INTO complaint_events (uuid, complaint_id, at, actor, kind, text, from_value, "
        "to_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [new_uuid(rng), complaint_id, at, ws.actor, kind, text,
         None if from_value is None else str(from_value),
         None if to_value is None else str(to_value)],
    )  # fmt: skip


def _uuid_of(ws: Workspace, complaint_id: int) -> str:
    row = ws.db.execute("SELECT uuid FROM complaints WHERE id = ?", [complaint_id]).fetchone()
    if row is None:
        raise DataRefused(f"complaint {complaint_id} does not exist")
    return row[0]


def create_complaint(
    ws: Workspace, new: NewComplaint, *, at: str | None = None, rng: random.Random | None = None
) -> int:
    """Log a complaint; its due dates come from its regime. Returns its id."""
    known = regimes(ws)
    values = dict(new.__dict__)
    values["opened_at"] = new.opened_at or at or utcnow_iso()
    errors = _check(values, known)
    if errors:
        raise DataRefused("the complaint was not logged", details=errors)
    now = at or utcnow_iso()
    values["opened_at"] = to_iso(parse_iso(values["opened_at"]))
    values.update(_deadlines(ws, new.regime, values["opened_at"], new.exceptional))
    values.update(
        uuid=new_uuid(rng), category=new.category.strip(), vulnerable=int(new.vulnerable),
        exceptional=int(new.exceptional), first_line_attempted=int(new.first_line_attempted),
        status="open", created_at=now, created_by=ws.actor, updated_at=now,
    )  # fmt: skip
    cols = ", ".join(values)
    marks = ", ".join(f":{c}" for c in values)
    with ws.db.atomic():
        cur = ws.db.execute(f"INSERT INTO complaints ({cols}) VALUES ({marks})", values)
        cid = int(cur.lastrowid)
        _event(ws, cid, "created",
               f"{new.classification} complaint logged: {values['category']}"
               + (f" ({new.classification_reason})" if new.classification_reason else ""),
               now, to_value="open", rng=rng)  # fmt: skip
        audit.append(ws, "complaint.create", ENTITY, values["uuid"],
                     {k: v for k, v in values.items() if k != "uuid"})  # fmt: skip
    return cid


def create_from_interaction(
    ws: Workspace,
    interaction_id: int,
    category: str,
    *,
    classification_reason: str = "",
    at: str | None = None,
    rng: random.Random | None = None,
    **overrides: object,
) -> int:
    """Log a complaint from a flagged interaction: received when the contact started, formal or
    informal as the contact was flagged (``none`` → informal), vulnerable as flagged."""
    row = ws.db.execute(
        "SELECT started_at, complaint, vulnerable, customer_ref FROM interactions WHERE id = ?",
        [interaction_id],
    ).fetchone()
    if row is None:
        raise DataRefused(f"interaction {interaction_id} does not exist")
    started_at, flag, vulnerable, customer_ref = row
    fields = {
        "category": category,
        "classification": "formal" if flag == "formal" else "informal",
        "classification_reason": classification_reason,
        "opened_at": started_at,
        "vulnerable": bool(vulnerable),
        "customer_ref": customer_ref,
        "interaction_id": interaction_id,
        "regime": "fca" if flag == "formal" else "internal",
        **overrides,
    }
    return create_complaint(ws, NewComplaint(**fields), at=at, rng=rng)  # type: ignore[arg-type]


def update_complaint(
    ws: Workspace,
    complaint_id: int,
    changes: dict,
    *,
    note: str = "",
    at: str | None = None,
    rng: random.Random | None = None,
) -> list[str]:
    """Change fields (see ``EDITABLE``); each change is a timeline entry. Returns the changed
    field names (nothing is written when nothing changed)."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise DataRefused("these complaint fields cannot be changed", details=unknown)
    errors = _check(changes, regimes(ws))
    if errors:
        raise DataRefused(f"complaint {complaint_id} was not changed", details=errors)
    now = at or utcnow_iso()
    with ws.db.atomic():
        cur = ws.db.execute("SELECT * FROM complaints WHERE id = ?", [complaint_id])
        cols = [c[0] for c in cur.description]
        found = cur.fetchone()
        if found is None:
            raise DataRefused(f"complaint {complaint_id} does not exist")
        old = dict(zip(cols, found, strict=True))
        new = {k: (int(v) if isinstance(v, bool) else v) for k, v in changes.items()}
        if "opened_at" in new:
            new["opened_at"] = to_iso(parse_iso(str(new["opened_at"])))
        changed = [k for k, v in new.items() if old[k] != v]
        if not changed:
            return []
        if {"regime", "opened_at", "exceptional"} & set(changed):
            merged = {**old, **new}
            new.update(_deadlines(ws, merged["regime"], merged["opened_at"],
                                  bool(merged["exceptional"])))  # fmt: skip
        sets = ", ".join(f"{k} = ?" for k in new)
        ws.db.execute(
            f"UPDATE complaints SET {sets}, updated_at = ? WHERE id = ?",
            [*new.values(), now, complaint_id],
        )
        for key in changed:
            _event(ws, complaint_id, EDITABLE[key], note or key.replace("_", " "), now,
                   from_value=old[key], to_value=new[key], rng=rng)  # fmt: skip
        for key in ("summary_due", "final_due"):
            if key in new and new[key] != old[key]:
                _event(ws, complaint_id, "edit", f"{key.replace('_', ' ')} recomputed", now,
                       from_value=old[key], to_value=new[key], rng=rng)  # fmt: skip
        audit.append(ws, "complaint.update", ENTITY, old["uuid"],
                     {"changes": {k: new[k] for k in changed}, "note": note})  # fmt: skip
    return changed


def add_note(
    ws: Workspace, complaint_id: int, text: str, *, at: str | None = None,
    rng: random.Random | None = None,
) -> None:  # fmt: skip
    """An investigation note on the timeline."""
    if not (text or "").strip():
        raise DataRefused("note: the note is empty")
    now = at or utcnow_iso()
    with ws.db.atomic():
        uuid = _uuid_of(ws, complaint_id)
        _event(ws, complaint_id, "note", text.strip(), now, rng=rng)
        ws.db.execute("UPDATE complaints SET updated_at = ? WHERE id = ?", [now, complaint_id])
        audit.append(ws, "complaint.note", ENTITY, uuid, {"text": text.strip()})


def _milestone(
    ws: Workspace, complaint_id: int, kind: str, text: str, sets: dict, at: str | None,
    rng: random.Random | None,
) -> None:  # fmt: skip
    now = at or utcnow_iso()
    with ws.db.atomic():
        uuid = _uuid_of(ws, complaint_id)
        old_status = ws.db.execute(
            "SELECT status FROM complaints WHERE id = ?", [complaint_id]
        ).fetchone()[0]
        assignments = ", ".join(f"{k} = ?" for k in sets)
        ws.db.execute(
            f"UPDATE complaints SET {assignments}, updated_at = ? WHERE id = ?",
            [*sets.values(), now, complaint_id],
        )
        _event(ws, complaint_id, kind, text, now, from_value=old_status,
               to_value=sets.get("status"), rng=rng)  # fmt: skip
        audit.append(ws, f"complaint.{kind}", ENTITY, uuid, {"text": text, **sets})


def _require_step(ws: Workspace, complaint_id: int, step: str, at: str | None) -> None:
    """Refuse a step the complaint does not allow now, with the reason the screen shows."""
    today = parse_iso(at).astimezone(LONDON).date() if at else london_today()
    c = get_complaint(ws, complaint_id, today=today)
    if c is None:
        raise DataRefused(f"complaint {complaint_id}: no such complaint")
    if step == "response":
        reason = steps.response_block(c)
    elif step == "referral":
        known = {r.key: r for r in regimes(ws)}
        reason = steps.referral_block(c, known.get(c.regime), today)
    else:
        reason = steps.follow_up_block(c)
    if reason is not None:
        raise DataRefused(f"complaint {complaint_id} ({c.category}): {reason}")


def record_final_response(
    ws: Workspace, complaint_id: int, resolution: str, *, redress: str | None = None,
    redress_amount: float | None = None, summary_resolution: bool = False,
    follow_up_due: str | None = None, at: str | None = None, rng: random.Random | None = None,
) -> None:  # fmt: skip
    """The final response (or, within the summary window, a summary resolution) went out."""
    if not (resolution or "").strip():
        raise DataRefused("resolution: say how the complaint was resolved")
    errors = _check({"redress_amount": redress_amount}, ())
    if errors:
        raise DataRefused("the response was not recorded", details=errors)
    _require_step(ws, complaint_id, "response", at)
    now = at or utcnow_iso()
    sets: dict = {"status": "resolved", "final_response_at": now, "resolution": resolution.strip(),
                  "redress": redress, "redress_amount": redress_amount,
                  "follow_up_due": follow_up_due}  # fmt: skip
    if summary_resolution:
        sets["summary_sent_at"] = now
    label = "summary resolution sent" if summary_resolution else "final response sent"
    _milestone(ws, complaint_id, "response", f"{label}: {resolution.strip()}", sets, at, rng)


def refer(
    ws: Workspace, complaint_id: int, *, reference: str | None = None, at: str | None = None,
    rng: random.Random | None = None,
) -> None:  # fmt: skip
    """The customer referred the complaint to the ombudsman / ADR scheme."""
    _require_step(ws, complaint_id, "referral", at)
    now = at or utcnow_iso()
    text = "referred to ombudsman/ADR" + (f" ({reference})" if reference else "")
    _milestone(ws, complaint_id, "referral", text,
               {"status": "referred", "ombudsman_referral_at": now, "ombudsman_ref": reference},
               at, rng)  # fmt: skip


def record_follow_up(
    ws: Workspace, complaint_id: int, note: str, *, close: bool = True, at: str | None = None,
    rng: random.Random | None = None,
) -> None:  # fmt: skip
    """The follow-up after resolution happened; by default the complaint is then closed."""
    if not (note or "").strip():
        raise DataRefused("follow-up: say what the customer said")
    _require_step(ws, complaint_id, "follow_up", at)
    now = at or utcnow_iso()
    sets: dict = {"followed_up_at": now}
    if close:
        sets["status"] = "closed"
    _milestone(ws, complaint_id, "follow_up", note.strip(), sets, at, rng)
