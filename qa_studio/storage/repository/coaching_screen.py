"""What the coaching screen lists for one agent that no other repository already serves: their
recent evaluations with comments, and the people who can take part in a session or a dispute.

Recent evaluations are the agent's *counted* evaluations (``counting``) of contacts in the
period, newest contact first, each with its overall comment and its notes (playback time
included), so a team leader can read the feedback without opening each evaluation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from qa_studio.domain.periods import Period
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL

RECENT_LIMIT = 60


@dataclass(frozen=True)
class RecentNote:
    question_key: str | None
    at_s: float | None
    text: str


@dataclass(frozen=True)
class RecentEvaluation:
    id: int
    contact_at: str
    interaction: str
    channel: str
    scorecard: str
    scorecard_version_id: int
    evaluator: str
    percent: float | None
    fatal: bool
    status: str
    revision: int
    acknowledged_by: str | None
    comment: str | None
    notes: tuple[RecentNote, ...]
    failed: tuple[str, ...]  # question keys failed


def recent_evaluations(
    ws: Workspace, agent_id: int, period: Period, *, limit: int = RECENT_LIMIT
) -> list[RecentEvaluation]:
    """The agent's counted evaluations of contacts in ``period``, newest contact first."""
    lo, hi = period.bounds
    rows = ws.db.execute(
        "SELECT e.id, i.started_at, i.external_id, i.channel, s.name, e.scorecard_version_id, "
        "ev.name, e.percent, e.fatal, e.status, e.revision, e.acknowledged_by, e.comment "
        "FROM interactions i JOIN evaluations e ON e.interaction_id = i.id "
        "JOIN evaluators ev ON ev.id = e.evaluator_id "
        "JOIN scorecard_versions v ON v.id = e.scorecard_version_id "
        "JOIN scorecards s ON s.id = v.scorecard_id "
        f"WHERE i.agent_id = ? AND i.started_at >= ? AND i.started_at < ? AND {COUNTED_EVALUATION_SQL} "
        "ORDER BY i.started_at DESC, e.id DESC LIMIT ?",
        [agent_id, lo, hi, limit],
    ).fetchall()
    ids = [int(r[0]) for r in rows]
    notes: dict[int, list[RecentNote]] = defaultdict(list)
    failed: dict[int, list[str]] = defaultdict(list)
    if ids:
        marks = ", ".join("?" * len(ids))
        for eid, key, at_s, text in ws.db.execute(
            "SELECT evaluation_id, question_key, at_s, text FROM answer_notes "
            f"WHERE evaluation_id IN ({marks}) ORDER BY id",
            ids,
        ):
            notes[int(eid)].append(RecentNote(key, at_s, text))
        for eid, key in ws.db.execute(
            f"SELECT evaluation_id, question_key FROM answers WHERE evaluation_id IN ({marks}) "
            "AND failed = 1 ORDER BY id",
            ids,
        ):
            failed[int(eid)].append(key)
    return [
        RecentEvaluation(
            int(r[0]),
            r[1],
            r[2],
            r[3],
            r[4],
            int(r[5]),
            r[6],
            r[7],
            bool(r[8]),
            r[9],
            int(r[10]),
            r[11],
            r[12],
            tuple(notes[int(r[0])]),
            tuple(failed[int(r[0])]),
        )
        for r in rows
    ]


def people(ws: Workspace, *roles: str) -> list[str]:
    """Active evaluators with one of ``roles``, by name."""
    marks = ", ".join("?" * len(roles))
    return [
        r[0]
        for r in ws.db.execute(
            f"SELECT name FROM evaluators WHERE active = 1 AND role IN ({marks}) ORDER BY name",
            list(roles),
        )
    ]


def latest_contact_day(ws: Workspace, agent_id: int) -> str | None:
    """The UTC instant of the agent's latest contact (the screen's default period)."""
    row = ws.db.execute(
        "SELECT max(started_at) FROM interactions WHERE agent_id = ?", [agent_id]
    ).fetchone()
    return row[0] if row else None
