"""Everything stored about one customer reference, or about one agent (UK GDPR Art. 15).

Why two kinds: a customer may ask what a contact centre holds about them (their contacts,
transcripts, recordings, how those contacts were scored, their complaints), and so may an
employee (how they were evaluated, coached and what they disputed). The collection is read-only
and gathers rows by the subject's own keys only, so nobody else's records are included: an
agent's export lists the contacts they handled without the customers' references, transcripts
or recordings, which are the customers' personal data, not the agent's.

``record_export`` writes the audit row: who exported whose data, when, from which OS account.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence

from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit

_INTERACTION_COLUMNS = (
    "i.uuid, i.external_id, i.channel, a.external_id AS agent, i.queue, i.direction, "
    "i.started_at, i.ended_at, i.duration_s, i.hold_s, i.customer_ref, i.outcome, i.csat, "
    "i.fcr, i.complaint, i.vulnerable, i.tags, i.recording_path, i.screen_recording_path, "
    "i.source, i.imported_at"
)
# What an agent's export shows of a contact: when, how and how it went — nothing of the customer.
_HANDLED_COLUMNS = (
    "i.uuid, i.external_id, i.channel, i.queue, i.direction, i.started_at, i.ended_at, "
    "i.duration_s, i.hold_s, i.wrap_s, i.outcome, i.csat, i.fcr"
)
_EVALUATION_COLUMNS = (
    "e.id, e.uuid, i.external_id AS interaction, s.key || '@' || v.version AS scorecard, "
    "ev.name AS evaluator, e.source, e.status, e.revision, e.score, e.max_score, e.percent, "
    "e.fatal, e.comment, e.started_at, e.submitted_at, e.signed_by, e.signed_at, "
    "e.acknowledged_by, e.acknowledged_at"
)
_EVALUATION_FROM = (
    "FROM evaluations e JOIN interactions i ON i.id = e.interaction_id "
    "JOIN scorecard_versions v ON v.id = e.scorecard_version_id "
    "JOIN scorecards s ON s.id = v.scorecard_id "
    "LEFT JOIN evaluators ev ON ev.id = e.evaluator_id"
)


def _rows(ws: Workspace, sql: str, params: Sequence | dict = ()) -> list[dict]:
    cur = ws.db.execute(sql, params)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _decode(rows: list[dict], *keys: str) -> list[dict]:
    for row in rows:
        for key in keys:
            if isinstance(row.get(key), str):
                with contextlib.suppress(ValueError):
                    row[key] = json.loads(row[key])
    return rows


def _evaluations(ws: Workspace, where: str, params: Sequence) -> list[dict]:
    """Evaluations with their answers, notes and disputes (drafts included: they are stored)."""
    evals = _rows(ws, f"SELECT {_EVALUATION_COLUMNS} {_EVALUATION_FROM} WHERE {where} "
                      "ORDER BY i.started_at, e.id", params)  # fmt: skip
    for e in evals:
        eid = e.pop("id")
        e["answers"] = _rows(
            ws,
            "SELECT question_key, value, na, points, max_points, failed FROM answers "
            "WHERE evaluation_id = ? ORDER BY rowid",
            [eid],
        )
        e["notes"] = _rows(
            ws,
            "SELECT question_key, at_s, text, created_at FROM answer_notes "
            "WHERE evaluation_id = ? ORDER BY created_at, rowid",
            [eid],
        )
        e["disputes"] = _rows(
            ws,
            "SELECT uuid, question_key, raised_by, raised_at, reason, status, resolution, "
            "resolved_by, resolved_at FROM disputes WHERE evaluation_id = ? ORDER BY raised_at",
            [eid],
        )
    return evals


def customer(ws: Workspace, customer_ref: str) -> dict:
    """Everything held about ``customer_ref``: contacts, transcripts, recordings, evaluations of
    those contacts, survey responses and complaints."""
    ref = (customer_ref or "").strip()
    if not ref:
        raise DataRefused("a customer reference is required for a subject-access export.")
    interactions = _decode(
        _rows(
            ws,
            f"SELECT {_INTERACTION_COLUMNS} FROM interactions i "
            "LEFT JOIN agents a ON a.id = i.agent_id WHERE i.customer_ref = ? "
            "ORDER BY i.started_at, i.id",
            [ref],
        ),
        "tags",
    )
    transcripts = _decode(
        _rows(
            ws,
            "SELECT i.external_id AS interaction, t.format, t.turns FROM transcripts t "
            "JOIN interactions i ON i.id = t.interaction_id WHERE i.customer_ref = ? "
            "ORDER BY i.started_at, i.id",
            [ref],
        ),
        "turns",
    )
    recordings = [
        {"interaction": i["external_id"], "kind": kind, "path": i[key]}
        for i in interactions
        for kind, key in (("audio", "recording_path"), ("screen", "screen_recording_path"))
        if i[key]
    ]
    complaints = _rows(
        ws,
        "SELECT c.*, i.external_id AS interaction FROM complaints c "
        "LEFT JOIN interactions i ON i.id = c.interaction_id "
        "WHERE c.customer_ref = ? OR i.customer_ref = ? ORDER BY c.opened_at, c.id",
        [ref, ref],
    )
    for c in complaints:
        cid = c.pop("id")
        for key in ("interaction_id", "evaluation_id", "rca_id"):
            c.pop(key, None)
        c["timeline"] = _rows(
            ws,
            "SELECT at, actor, kind, text, from_value, to_value FROM complaint_events "
            "WHERE complaint_id = ? ORDER BY at, id",
            [cid],
        )
    return {
        "subject": {"kind": "customer", "customer_ref": ref},
        "generated_at": utcnow_iso(),
        "interactions": interactions,
        "transcripts": transcripts,
        "recordings": recordings,
        "evaluations": _evaluations(ws, "i.customer_ref = ?", [ref]),
        "survey_responses": _rows(
            ws,
            "SELECT i.external_id AS interaction, s.survey, s.score, s.scale_max, s.comment, "
            "s.responded_at FROM survey_responses s JOIN interactions i ON i.id = s.interaction_id "
            "WHERE i.customer_ref = ? ORDER BY s.responded_at",
            [ref],
        ),
        "complaints": complaints,
    }


def agent(ws: Workspace, external_id: str) -> dict:
    """Everything held about the agent ``external_id``: their record, contacts handled (without
    customer data), evaluations with answers and comments, coaching sessions, goals, disputes."""
    found = _rows(
        ws,
        "SELECT a.id, a.uuid, a.external_id, a.name, t.name AS team, a.started_on, "
        "a.on_improvement_plan, a.active FROM agents a LEFT JOIN teams t ON t.id = a.team_id "
        "WHERE a.external_id = ?",
        [(external_id or "").strip()],
    )
    if not found:
        raise DataRefused(f"there is no agent with the id '{external_id}'.",
                          ["Agents are named by their external id (as imported)."])  # fmt: skip
    record = found[0]
    aid = record.pop("id")
    sessions = _decode(
        _rows(
            ws,
            "SELECT c.id, c.uuid, c.kind, l.name AS leader, c.attendees, c.topic, c.question_keys, "
            "c.held_at, c.notes, c.follow_up_due, c.evaluation_ids FROM coaching_sessions c "
            "LEFT JOIN evaluators l ON l.id = c.leader_id WHERE c.agent_id = :aid "
            "OR EXISTS (SELECT 1 FROM json_each(c.attendees) j WHERE j.value IN (:ext, :name)) "
            "ORDER BY c.held_at, c.id",
            {"aid": aid, "ext": record["external_id"], "name": record["name"]},
        ),
        "attendees",
        "question_keys",
        "evaluation_ids",
    )
    for s in sessions:
        s["goals"] = _decode(
            _rows(
                ws,
                "SELECT uuid, text, question_keys, metric, target, due_on, status "
                "FROM goals WHERE coaching_session_id = ? ORDER BY id",
                [s.pop("id")],
            ),
            "question_keys",
        )
    return {
        "subject": {"kind": "agent", "external_id": record["external_id"], "name": record["name"]},
        "generated_at": utcnow_iso(),
        "agent": record,
        "interactions": _rows(
            ws,
            f"SELECT {_HANDLED_COLUMNS} FROM interactions i WHERE i.agent_id = ? "
            "ORDER BY i.started_at, i.id",
            [aid],
        ),
        "evaluations": _evaluations(ws, "i.agent_id = ?", [aid]),
        "coaching_sessions": sessions,
    }


def counts(doc: dict) -> dict[str, int]:
    """How many records of each kind a subject-access document holds."""
    return {k: len(v) for k, v in doc.items() if isinstance(v, list)}


def record_export(ws: Workspace, doc: dict, destination: str) -> None:
    """Audit a subject-access export: whose data, how much, where it was written."""
    subject = doc["subject"]
    with ws.db.atomic():
        audit.append(ws, "subject_access.export", subject["kind"], None,
                     {"subject": subject, "counts": counts(doc), "file": destination})  # fmt: skip
