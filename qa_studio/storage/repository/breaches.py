"""The breach log: a fatal data-protection or PCI fail opens an entry with the ICO's 72 hours.

UK GDPR Art. 33 gives a controller 72 hours from becoming aware of a personal-data breach to
report it to the ICO (unless it is unlikely to result in a risk). A QA evaluation that fails a
*fatal* question whose ``regulation`` cites UK GDPR / the Data Protection Act or PCI DSS is such
awareness: the evaluation's submission time starts the clock. Someone then decides — reported
(when) or not reportable (why) — and that decision is audited.

``open_for_evaluation`` runs inside evaluation submit (same transaction); ``sync_from_evaluations``
does the same for every counted evaluation, for workspaces filled by import or before this log
existed. One entry per interaction and question: several evaluators failing the same call (a
calibration session) describe one breach.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import parse_iso, to_iso, utcnow, utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.counting import COUNTED_STATUSES_SQL

ENTITY = "breach"
ICO_HOURS = 72
DECISIONS = ("reported", "not_reportable")


@dataclass(frozen=True)
class Breach:
    id: int
    uuid: str
    evaluation_id: int | None
    interaction: str | None
    agent: str | None
    question_key: str | None
    kind: str
    regulation: str | None
    opened_at: str
    ico_due: str
    status: str
    reported_at: str | None
    decided_by: str | None
    notes: str
    hours_left: float | None  # None once decided; negative = past the 72 hours
    overdue: bool


def breach_kind(regulation: str | None) -> str | None:
    """``pci`` or ``data_protection`` when a regulation reference names one, else None."""
    text = (regulation or "").upper()
    if "PCI" in text:
        return "pci"
    if "GDPR" in text or "DPA" in text or "DATA PROTECTION" in text:
        return "data_protection"
    return None


def ico_due(opened_at: str) -> str:
    return to_iso(parse_iso(opened_at) + timedelta(hours=ICO_HOURS))


def open_for_evaluation(
    ws: Workspace, evaluation_id: int, *, at: str | None = None, rng: random.Random | None = None
) -> list[int]:
    """Open a breach for each failed fatal data-protection/PCI question of the evaluation (not
    already logged for its interaction). Returns the new breach ids; call in the submit
    transaction."""
    row = ws.db.execute(
        "SELECT scorecard_version_id, interaction_id, coalesce(submitted_at, updated_at) "
        "FROM evaluations WHERE id = ?",
        [evaluation_id],
    ).fetchone()
    if row is None:
        return []
    version_id, interaction_id, submitted_at = row
    failed = [
        r[0]
        for r in ws.db.execute(
            "SELECT question_key FROM answers WHERE evaluation_id = ? AND failed = 1 "
            "ORDER BY question_key",
            [evaluation_id],
        )
    ]
    if not failed:
        return []
    card = scorecards.get_version(ws, version_id).card
    opened = at or submitted_at or utcnow_iso()
    new_ids: list[int] = []
    with ws.db.atomic():
        for key in failed:
            try:
                question = card.question(key)
            except KeyError:
                continue
            kind = breach_kind(question.regulation)
            if not question.fatal or kind is None:
                continue
            exists = ws.db.execute(
                "SELECT 1 FROM breaches b JOIN evaluations e ON e.id = b.evaluation_id "
                "WHERE e.interaction_id = ? AND b.question_key = ?",
                [interaction_id, key],
            ).fetchone()
            if exists:
                continue
            uuid = new_uuid(rng)
            due = ico_due(opened)
            cur = ws.db.execute(
                "INSERT INTO breaches (uuid, evaluation_id, question_key, kind, regulation, "
                "opened_at, ico_due) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [uuid, evaluation_id, key, kind, question.regulation, opened, due],
            )
            new_ids.append(int(cur.lastrowid))
            audit.append(ws, "breach.open", ENTITY, uuid, {
                "evaluation_id": evaluation_id, "question_key": key, "kind": kind,
                "regulation": question.regulation, "opened_at": opened, "ico_due": due,
            })  # fmt: skip
    return new_ids


def sync_from_evaluations(ws: Workspace, *, rng: random.Random | None = None) -> list[int]:
    """Open the breaches of every counted fatal evaluation that has none yet (idempotent)."""
    ids = [
        r[0]
        for r in ws.db.execute(
            f"SELECT id FROM evaluations WHERE fatal = 1 AND status IN ({COUNTED_STATUSES_SQL}) "
            "ORDER BY coalesce(submitted_at, updated_at), id"
        )
    ]
    opened: list[int] = []
    with ws.db.atomic():
        for evaluation_id in ids:
            opened.extend(open_for_evaluation(ws, evaluation_id, rng=rng))
    return opened


def decide(
    ws: Workspace, breach_id: int, decision: str, notes: str, *, at: str | None = None
) -> None:
    """Record that the breach was reported to the ICO (at ``at``) or why it is not reportable."""
    if decision not in DECISIONS:
        raise DataRefused(f"decision: one of {', '.join(DECISIONS)}, not {decision!r}")
    if not (notes or "").strip():
        raise DataRefused("notes: say what was reported, or why it is not reportable")
    now = at or utcnow_iso()
    with ws.db.atomic():
        row = ws.db.execute(
            "SELECT uuid, status FROM breaches WHERE id = ?", [breach_id]
        ).fetchone()
        if row is None:
            raise DataRefused(f"breach {breach_id} does not exist")
        if row[1] != "open":
            raise DataRefused(f"breach {breach_id} was already decided ({row[1]})")
        ws.db.execute(
            "UPDATE breaches SET status = ?, reported_at = ?, decided_by = ?, notes = ? "
            "WHERE id = ?",
            [decision, now if decision == "reported" else None, ws.actor, notes.strip(),
             breach_id],
        )  # fmt: skip
        audit.append(ws, f"breach.{decision}", ENTITY, row[0],
                     {"notes": notes.strip(), "at": now})  # fmt: skip


def list_breaches(
    ws: Workspace, *, status: str | None = None, now: datetime | None = None
) -> list[Breach]:
    """The breach log, open ones with the hours left on the ICO clock, soonest due first."""
    moment = now or utcnow()
    where, params = ("WHERE b.status = ?", [status]) if status else ("", [])
    cur = ws.db.execute(
        "SELECT b.id, b.uuid, b.evaluation_id, i.external_id, a.external_id, b.question_key, "
        "b.kind, b.regulation, b.opened_at, b.ico_due, b.status, b.reported_at, b.decided_by, "
        "b.notes FROM breaches b LEFT JOIN evaluations e ON e.id = b.evaluation_id "
        "LEFT JOIN interactions i ON i.id = e.interaction_id "
        f"LEFT JOIN agents a ON a.id = i.agent_id {where} "
        "ORDER BY b.status <> 'open', b.ico_due, b.id",
        params,
    )
    out: list[Breach] = []
    for r in cur:
        left = None
        if r[10] == "open":
            left = round((parse_iso(r[9]) - moment).total_seconds() / 3600.0, 1)
        out.append(Breach(*r, left, left is not None and left < 0))
    return out
