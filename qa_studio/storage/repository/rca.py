"""Root-cause analyses: the record behind the RCA editor and the dashboard's "Start RCA" button.

An RCA starts from a failure cluster — a scorecard question failing often, a complaint category,
a KPI target missed — with a problem statement. The team then fills in the 5 Whys chain, fishbone
causes by category with weights (for the Pareto), and corrective actions with owners and due
dates; the effect check (``rca_effect``) compares the metric before and after the change date.

The editor saves the whole record in one transaction (``save_rca``): the chain, causes and
actions are replaced by what the user sees, and the audit row carries the whole draft, so the
trail shows exactly what was agreed at each save. Small steps (``add_why``, ``add_cause``,
``add_action``, ``set_action_status``) exist for the CLI and the demo, each audited too.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from qa_studio.domain import rca as rules
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit

ENTITY = "rca"


@dataclass(frozen=True)
class Cause:
    id: int
    category: str
    text: str
    weight: float


@dataclass(frozen=True)
class Action:
    id: int
    text: str
    owner: str | None
    due_on: str | None
    status: str
    done_on: str | None


@dataclass(frozen=True)
class Rca:
    id: int
    uuid: str
    source_kind: str
    source_ref: str
    problem: str
    owner: str | None
    status: str
    metric: str | None
    change_on: str | None
    effect_note: str | None
    created_at: str
    created_by: str | None
    updated_at: str
    whys: tuple[str, ...]
    causes: tuple[Cause, ...]
    actions: tuple[Action, ...]
    complaint_ids: tuple[int, ...]

    def draft(self) -> rules.RcaDraft:
        """The editable part, as the editor holds it."""
        return rules.RcaDraft(
            problem=self.problem, owner=self.owner, status=self.status, metric=self.metric,
            change_on=self.change_on, effect_note=self.effect_note, whys=self.whys,
            causes=tuple(rules.CauseDraft(c.category, c.text, c.weight) for c in self.causes),
            actions=tuple(
                rules.ActionDraft(a.text, a.owner, a.due_on, a.status) for a in self.actions
            ),
        )  # fmt: skip


@dataclass(frozen=True)
class RcaSummary:
    id: int
    source_kind: str
    source_ref: str
    problem: str
    owner: str | None
    status: str
    created_at: str
    causes: int
    actions_open: int
    actions_overdue: int


def _rng_uuid(rng: random.Random | None) -> str:
    return new_uuid(rng)


def start_rca(
    ws: Workspace,
    source_kind: str,
    source_ref: str,
    problem: str,
    *,
    owner: str | None = None,
    at: str | None = None,
    rng: random.Random | None = None,
) -> int:
    """Open an RCA on a failure cluster and return its id.

    ``source_kind`` is ``question`` (``source_ref`` = question key, optionally ``card:key``),
    ``complaint_category`` (the category), ``kpi_miss`` (e.g. ``csat/Team A/voice/2026-10``),
    ``complaint`` (a complaint id) or ``manual``.
    """
    if source_kind not in rules.SOURCE_KINDS:
        raise DataRefused(
            f"source_kind: one of {', '.join(rules.SOURCE_KINDS)}, not {source_kind!r}"
        )
    text = (problem or "").strip()
    if not text:
        raise DataRefused("problem: a problem statement is required to start an RCA")
    now = at or utcnow_iso()
    uuid = _rng_uuid(rng)
    with ws.db.atomic():
        cur = ws.db.execute(
            "INSERT INTO rcas (uuid, source_kind, source_ref, problem, owner, status, created_at, "
            "created_by, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            [uuid, source_kind, source_ref or "", text, owner, now, ws.actor, now],
        )
        rca_id = int(cur.lastrowid)
        audit.append(ws, "rca.start", ENTITY, uuid, {
            "source_kind": source_kind, "source_ref": source_ref or "", "problem": text,
            "owner": owner,
        })  # fmt: skip
    return rca_id


def _row(ws: Workspace, rca_id: int) -> dict:
    cur = ws.db.execute("SELECT * FROM rcas WHERE id = ?", [rca_id])
    cols = [c[0] for c in cur.description]
    row = cur.fetchone()
    if row is None:
        raise DataRefused(f"RCA {rca_id} does not exist")
    return dict(zip(cols, row, strict=True))


def get_rca(ws: Workspace, rca_id: int) -> Rca:
    row = _row(ws, rca_id)
    db = ws.db
    whys = tuple(
        r[0]
        for r in db.execute(
            "SELECT text FROM rca_whys WHERE rca_id = ? ORDER BY position", [rca_id]
        )
    )
    causes = tuple(
        Cause(*r)
        for r in db.execute(
            "SELECT id, category, text, weight FROM rca_causes WHERE rca_id = ? ORDER BY id",
            [rca_id],
        )
    )
    actions = tuple(
        Action(*r)
        for r in db.execute(
            "SELECT id, text, owner, due_on, status, done_on FROM rca_actions "
            "WHERE rca_id = ? ORDER BY id",
            [rca_id],
        )
    )
    complaints = tuple(
        r[0] for r in db.execute("SELECT id FROM complaints WHERE rca_id = ? ORDER BY id", [rca_id])
    )
    return Rca(
        row["id"], row["uuid"], row["source_kind"], row["source_ref"], row["problem"],
        row["owner"], row["status"], row["metric"], row["change_on"], row["effect_note"],
        row["created_at"], row["created_by"], row["updated_at"], whys, causes, actions, complaints,
    )  # fmt: skip


def list_rcas(
    ws: Workspace, *, status: str | None = None, today: str | None = None
) -> list[RcaSummary]:
    """Every RCA, newest first, with counts of causes and open/overdue actions."""
    day = today or utcnow_iso()[:10]
    where, params = ("WHERE r.status = ?", [status]) if status else ("", [])
    cur = ws.db.execute(
        "SELECT r.id, r.source_kind, r.source_ref, r.problem, r.owner, r.status, r.created_at, "
        "(SELECT count(*) FROM rca_causes c WHERE c.rca_id = r.id), "
        "(SELECT count(*) FROM rca_actions a WHERE a.rca_id = r.id AND a.status = 'open'), "
        "(SELECT count(*) FROM rca_actions a WHERE a.rca_id = r.id AND a.status = 'open' "
        " AND a.due_on IS NOT NULL AND a.due_on < ?) "
        f"FROM rcas r {where} ORDER BY r.created_at DESC, r.id DESC",
        [day, *params],
    )
    return [RcaSummary(*r) for r in cur]


def _touch(ws: Workspace, rca_id: int, at: str | None) -> str:
    row = _row(ws, rca_id)
    ws.db.execute("UPDATE rcas SET updated_at = ? WHERE id = ?", [at or utcnow_iso(), rca_id])
    return row["uuid"]


def save_rca(
    ws: Workspace,
    rca_id: int,
    draft: rules.RcaDraft,
    *,
    at: str | None = None,
    rng: random.Random | None = None,
) -> Rca:
    """Replace the RCA's statement, chain, causes and actions with ``draft`` (one transaction)."""
    errors = rules.validate(draft)
    if errors:
        raise DataRefused(f"RCA {rca_id} was not saved", details=errors)
    with ws.db.atomic():
        uuid = _touch(ws, rca_id, at)
        db = ws.db
        db.execute(
            "UPDATE rcas SET problem = ?, owner = ?, status = ?, metric = ?, change_on = ?, "
            "effect_note = ? WHERE id = ?",
            [draft.problem.strip(), draft.owner or None, draft.status, draft.metric or None,
             draft.change_on or None, draft.effect_note or None, rca_id],
        )  # fmt: skip
        for table in ("rca_whys", "rca_causes", "rca_actions"):
            db.execute(f"DELETE FROM {table} WHERE rca_id = ?", [rca_id])
        for position, why in enumerate(draft.whys, 1):
            db.execute(
                "INSERT INTO rca_whys (uuid, rca_id, position, text) VALUES (?, ?, ?, ?)",
                [new_uuid(rng), rca_id, position, why.strip()],
            )
        for cause in draft.causes:
            db.execute(
                "INSERT INTO rca_causes (uuid, rca_id, category, text, weight) "
                "VALUES (?, ?, ?, ?, ?)",
                [new_uuid(rng), rca_id, cause.category, cause.text.strip(), float(cause.weight)],
            )
        for action in draft.actions:
            db.execute(
                "INSERT INTO rca_actions (uuid, rca_id, text, owner, due_on, status) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [new_uuid(rng), rca_id, action.text.strip(), action.owner or None,
                 action.due_on or None, action.status],
            )  # fmt: skip
        audit.append(ws, "rca.save", ENTITY, uuid, asdict(draft))
    return get_rca(ws, rca_id)


def add_why(ws: Workspace, rca_id: int, text: str, *, rng: random.Random | None = None) -> int:
    """Append the next "why?" answer to the chain; returns its position."""
    if not (text or "").strip():
        raise DataRefused("why: the answer is empty")
    with ws.db.atomic():
        uuid = _touch(ws, rca_id, None)
        position = ws.db.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM rca_whys WHERE rca_id = ?", [rca_id]
        ).fetchone()[0]
        ws.db.execute(
            "INSERT INTO rca_whys (uuid, rca_id, position, text) VALUES (?, ?, ?, ?)",
            [new_uuid(rng), rca_id, position, text.strip()],
        )
        audit.append(ws, "rca.why", ENTITY, uuid, {"position": position, "text": text.strip()})
    return int(position)


def add_cause(
    ws: Workspace,
    rca_id: int,
    category: str,
    text: str,
    weight: float = 1.0,
    *,
    rng: random.Random | None = None,
) -> int:
    errors = rules.validate(
        rules.RcaDraft("x", causes=(rules.CauseDraft(category, text or "", weight),))
    )
    if errors:
        raise DataRefused("cause not added", details=errors)
    with ws.db.atomic():
        uuid = _touch(ws, rca_id, None)
        cur = ws.db.execute(
            "INSERT INTO rca_causes (uuid, rca_id, category, text, weight) VALUES (?, ?, ?, ?, ?)",
            [new_uuid(rng), rca_id, category, text.strip(), float(weight)],
        )
        audit.append(ws, "rca.cause", ENTITY, uuid,
                     {"category": category, "text": text.strip(), "weight": weight})  # fmt: skip
    return int(cur.lastrowid)


def add_action(
    ws: Workspace,
    rca_id: int,
    text: str,
    *,
    owner: str | None = None,
    due_on: str | None = None,
    rng: random.Random | None = None,
) -> int:
    if not (text or "").strip():
        raise DataRefused("action: a corrective action needs a description")
    with ws.db.atomic():
        uuid = _touch(ws, rca_id, None)
        cur = ws.db.execute(
            "INSERT INTO rca_actions (uuid, rca_id, text, owner, due_on, status) "
            "VALUES (?, ?, ?, ?, ?, 'open')",
            [new_uuid(rng), rca_id, text.strip(), owner, due_on],
        )
        ws.db.execute(
            "UPDATE rcas SET status = 'actions_agreed' WHERE id = ? AND status = 'open'", [rca_id]
        )
        audit.append(ws, "rca.action", ENTITY, uuid,
                     {"text": text.strip(), "owner": owner, "due_on": due_on})  # fmt: skip
    return int(cur.lastrowid)


def set_action_status(
    ws: Workspace, action_id: int, status: str, *, done_on: str | None = None
) -> None:
    if status not in rules.ACTION_STATUSES:
        raise DataRefused(f"status: one of {', '.join(rules.ACTION_STATUSES)}, not {status!r}")
    row = ws.db.execute("SELECT rca_id FROM rca_actions WHERE id = ?", [action_id]).fetchone()
    if row is None:
        raise DataRefused(f"RCA action {action_id} does not exist")
    day = done_on or (utcnow_iso()[:10] if status == "done" else None)
    with ws.db.atomic():
        uuid = _touch(ws, row[0], None)
        ws.db.execute(
            "UPDATE rca_actions SET status = ?, done_on = ? WHERE id = ?", [status, day, action_id]
        )
        audit.append(ws, "rca.action_status", ENTITY, uuid,
                     {"action_id": action_id, "status": status, "done_on": day})  # fmt: skip


def set_effect(
    ws: Workspace, rca_id: int, *, metric: str, change_on: str, note: str | None = None
) -> None:
    """Say what to measure and from which day the change applies (the effect check's split)."""
    with ws.db.atomic():
        uuid = _touch(ws, rca_id, None)
        ws.db.execute(
            "UPDATE rcas SET metric = ?, change_on = ?, effect_note = ?, "
            "status = CASE WHEN status = 'closed' THEN status ELSE 'checking_effect' END "
            "WHERE id = ?",
            [metric, change_on, note, rca_id],
        )
        audit.append(ws, "rca.effect", ENTITY, uuid,
                     {"metric": metric, "change_on": change_on, "note": note})  # fmt: skip
