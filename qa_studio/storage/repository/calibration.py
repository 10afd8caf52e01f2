"""Calibration sessions: several evaluators score the same interactions, blind, and compare.

A session names one scorecard version, the interactions to score and the evaluators (at least
two; optionally one of them as the expert whose scores are the benchmark). While a **blind**
session is open, nobody sees anyone else's answers: ``visible_evaluations`` shows a viewer only
their own, ``progress`` shows statuses only, and ``session_results`` refuses. Closing (audited)
reveals the results and freezes the session: from then on the database refuses any change to its
evaluations, answers, notes, interactions and evaluators (migration m006), so the statistics a
team discussed cannot move under them.

Calibration evaluations are ordinary evaluations with ``source = 'calibration'`` and
``calibration_session_id`` set; they count toward agents' scores only when the session says so
(``counting.COUNTED_EVALUATION_SQL``). Every write is one transaction holding its audit row.
The statistics live in ``calibration_results`` and are re-exported here.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, evaluations, scorecards
from qa_studio.storage.repository.calibration_results import (
    Leniency,
    SessionResults,
    leniency_offsets,
    leniency_report,
    session_results,
)
from qa_studio.storage.repository.calibration_sessions import (
    CalibrationSession,
    get_session,
    list_sessions,
    results_hidden,
    session_by_uuid,
)
from qa_studio.storage.repository.evaluation_records import EvaluationRecord
from qa_studio.storage.repository.evaluation_records import evaluator as find_evaluator

MIN_EVALUATORS = 2
NOT_STARTED = "not started"

__all__ = [
    "MIN_EVALUATORS",
    "NOT_STARTED",
    "CalibrationSession",
    "Leniency",
    "SessionResults",
    "close_session",
    "create_session",
    "filter_visible",
    "find_evaluation",
    "get_session",
    "leniency_offsets",
    "leniency_report",
    "list_sessions",
    "progress",
    "require_editable",
    "results_hidden",
    "save_answers",
    "session_by_uuid",
    "session_results",
    "start_evaluation",
    "submit_evaluation",
    "visible_evaluations",
]


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


def _interactions(
    ws: Workspace, interaction_ids: list[int], channel: str, ref: str
) -> list[tuple[int, str, str]]:
    """``(id, uuid, external id)`` of each interaction, refusing unknown, agentless and
    wrong-channel ones (every problem listed)."""
    found: list[tuple[int, str, str]] = []
    problems: list[str] = []
    for iid in _unique(interaction_ids):
        row = ws.db.execute(
            "SELECT id, uuid, external_id, channel, agent_id FROM interactions WHERE id = ?",
            [iid],
        ).fetchone()
        if row is None:
            problems.append(f"there is no interaction with id {iid}")
        elif row[4] is None:
            problems.append(f"interaction {row[2]} has no agent (abandoned): nothing to score")
        elif channel != "any" and row[3] != channel:
            problems.append(
                f"interaction {row[2]} is a {row[3]} contact; scorecard {ref} is for {channel}"
            )
        else:
            found.append((int(row[0]), row[1], row[2]))
    if problems:
        raise DataRefused(problems[0] if len(problems) == 1 else "; ".join(problems), problems)
    if not found:
        raise DataRefused("a calibration session needs at least one interaction to score.")
    return found


def create_session(
    ws: Workspace,
    name: str,
    version_id: int,
    interaction_ids: list[int],
    evaluators: list[str],
    *,
    expert: str | None = None,
    blind: bool = True,
    counts_toward_scores: bool = False,
    rng: random.Random | None = None,
    opened_at: str | None = None,
) -> CalibrationSession:
    """Open a session; audited (``calibration.create``).

    Refused when the name is empty, the version, an interaction or an evaluator is unknown, an
    interaction is not on the scorecard's channel, fewer than two distinct evaluators are named,
    or the expert is not one of them. ``rng`` and ``opened_at`` make the demo deterministic.
    """
    title = (name or "").strip()
    if not title:
        raise DataRefused("a calibration session needs a name.")
    version = scorecards.get_version(ws, version_id)
    names = _unique([(n or "").strip() for n in evaluators if (n or "").strip()])
    if len(names) < MIN_EVALUATORS:
        raise DataRefused(
            f"a calibration session needs at least {MIN_EVALUATORS} evaluators; "
            f"got {len(names)} ({', '.join(names) or 'none'}).",
            ["Agreement is measured between evaluators: name two or more."],
        )
    people = [find_evaluator(ws, n) for n in names]
    expert_ref = None
    if expert is not None and expert.strip():
        if expert.strip() not in names:
            raise DataRefused(
                f"the expert '{expert.strip()}' is not one of the session's evaluators "
                f"({', '.join(names)}).",
                ["The expert scores the same interactions: add them to the evaluators."],
            )
        expert_ref = people[names.index(expert.strip())]
    items = _interactions(ws, interaction_ids, version.channel, version.ref)
    at = opened_at or utcnow_iso()
    session_uuid = new_uuid(rng)
    with ws.db.atomic():
        cur = ws.db.execute(
            "INSERT INTO calibration_sessions (uuid, name, scorecard_version_id, "
            "expert_evaluator_id, blind, counts_toward_scores, opened_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                session_uuid,
                title,
                version.id,
                expert_ref.id if expert_ref else None,
                int(bool(blind)),
                int(bool(counts_toward_scores)),
                at,
            ],
        )
        session_id = int(cur.lastrowid)
        for iid, _uuid, _ext in items:
            ws.db.execute(
                "INSERT INTO calibration_items (uuid, session_id, interaction_id) VALUES (?, ?, ?)",
                [new_uuid(rng), session_id, iid],
            )
        for person in people:
            ws.db.execute(
                "INSERT INTO calibration_evaluators (uuid, session_id, evaluator_id) "
                "VALUES (?, ?, ?)",
                [new_uuid(rng), session_id, person.id],
            )
        audit.append(
            ws,
            "calibration.create",
            "calibration_session",
            session_uuid,
            {
                "name": title,
                "scorecard_version": version.uuid,
                "interactions": [u for _i, u, _e in items],
                "evaluators": [p.uuid for p in people],
                "expert": expert_ref.uuid if expert_ref else None,
                "blind": bool(blind),
                "counts_toward_scores": bool(counts_toward_scores),
                "opened_at": at,
            },
        )
    return get_session(ws, session_id)


def _require_open(session: CalibrationSession, doing: str) -> None:
    if not session.is_open:
        raise DataRefused(
            f"calibration session {session.id} ({session.name}) was closed at "
            f"{session.closed_at}: cannot {doing}."
        )


def _require_member(session: CalibrationSession, evaluator: str) -> None:
    if evaluator not in session.evaluators:
        raise DataRefused(
            f"{evaluator} is not an evaluator in calibration session {session.id} "
            f"({session.name}); its evaluators are {', '.join(session.evaluators)}."
        )


def find_evaluation(
    ws: Workspace, session_id: int, interaction_id: int, evaluator: str
) -> EvaluationRecord | None:
    """The evaluator's evaluation of the interaction in the session (any status), if any."""
    row = ws.db.execute(
        "SELECT e.id FROM evaluations e JOIN evaluators ev ON ev.id = e.evaluator_id "
        "WHERE e.calibration_session_id = ? AND e.interaction_id = ? AND ev.name = ?",
        [session_id, interaction_id, evaluator],
    ).fetchone()
    return evaluations.get(ws, int(row[0])) if row else None


def start_evaluation(
    ws: Workspace,
    session_id: int,
    interaction_id: int,
    evaluator: str,
    *,
    rng: random.Random | None = None,
) -> EvaluationRecord:
    """A calibration draft (``source='calibration'``) of one of the session's interactions.

    Only the session's evaluators, only while it is open, one evaluation per evaluator and
    interaction (continue the existing draft instead)."""
    session = get_session(ws, session_id)
    _require_open(session, "start an evaluation")
    _require_member(session, evaluator)
    external = dict(session.interactions).get(interaction_id)
    if external is None:
        listed = ", ".join(e for _i, e in session.interactions)
        raise DataRefused(
            f"interaction id {interaction_id} is not in calibration session {session.id} "
            f"({session.name}); its interactions are {listed}."
        )
    existing = find_evaluation(ws, session_id, interaction_id, evaluator)
    if existing is not None:
        raise DataRefused(
            f"{evaluator} already has evaluation {existing.id} ({existing.status}) of "
            f"{external} in calibration session {session.id}; continue that one."
        )
    return evaluations.start(
        ws,
        interaction_id,
        session.scorecard_version_id,
        evaluator,
        source="calibration",
        calibration_session_id=session.id,
        rng=rng,
    )


def _session_evaluation(
    ws: Workspace, session_id: int, evaluation_id: int, doing: str
) -> EvaluationRecord:
    session = get_session(ws, session_id)
    record = evaluations.get(ws, evaluation_id)
    if record.calibration_session_id != session.id:
        raise DataRefused(
            f"evaluation {evaluation_id} is not part of calibration session {session.id}."
        )
    _require_open(session, doing)
    return record


def require_editable(ws: Workspace, evaluation_id: int) -> None:
    """Refuse (``DataRefused``) a change to an evaluation of a closed calibration session.

    The database refuses it too (migration m006), but with an SQLite error; screens and services
    that edit any evaluation call this first for a message a user can act on."""
    row = ws.db.execute(
        "SELECT cs.id, cs.name, cs.closed_at FROM evaluations e "
        "JOIN calibration_sessions cs ON cs.id = e.calibration_session_id WHERE e.id = ?",
        [evaluation_id],
    ).fetchone()
    if row is not None and row[2] is not None:
        raise DataRefused(
            f"evaluation {evaluation_id} belongs to calibration session {row[0]} ({row[1]}), "
            f"closed at {row[2]}: its answers can no longer change."
        )


def save_answers(
    ws: Workspace,
    session_id: int,
    evaluation_id: int,
    values: Mapping[str, object],
    *,
    rng: random.Random | None = None,
) -> EvaluationRecord:
    """Save answers to a calibration evaluation while its session is open (one transaction)."""
    _session_evaluation(ws, session_id, evaluation_id, "change answers")
    return evaluations.save_answers(ws, evaluation_id, values, rng=rng)


def submit_evaluation(ws: Workspace, session_id: int, evaluation_id: int) -> EvaluationRecord:
    """Submit a calibration evaluation while its session is open; only submitted ones count."""
    _session_evaluation(ws, session_id, evaluation_id, "submit an evaluation")
    return evaluations.submit(ws, evaluation_id)


def progress(ws: Workspace, session_id: int) -> dict[str, dict[str, str]]:
    """``{evaluator: {external id: status}}`` — ``'not started'``, ``'draft'``, ``'submitted'``…

    Statuses only, never answers or scores, so it is safe to show while the session is blind."""
    session = get_session(ws, session_id)
    out = {
        name: dict.fromkeys((e for _i, e in session.interactions), NOT_STARTED)
        for name in session.evaluators
    }
    for name, external, status in ws.db.execute(
        "SELECT ev.name, i.external_id, e.status FROM evaluations e "
        "JOIN evaluators ev ON ev.id = e.evaluator_id "
        "JOIN interactions i ON i.id = e.interaction_id "
        "WHERE e.calibration_session_id = ? ORDER BY e.id",
        [session_id],
    ):
        if name in out and external in out[name]:
            out[name][external] = status
    return out


def visible_evaluations(ws: Workspace, session_id: int, viewer: str) -> list[EvaluationRecord]:
    """What ``viewer`` may see of the session's evaluations: while blind and open only their
    own; once closed (or in a session that is not blind) everyone's."""
    session = get_session(ws, session_id)
    who = find_evaluator(ws, viewer)
    sql = "SELECT e.id FROM evaluations e WHERE e.calibration_session_id = ?"
    params: list = [session.id]
    if results_hidden(session):
        sql += " AND e.evaluator_id = ?"
        params.append(who.id)
    ids = [int(r[0]) for r in ws.db.execute(sql + " ORDER BY e.id", params)]
    return [evaluations.get(ws, i) for i in ids]


def filter_visible(
    ws: Workspace, records: list[EvaluationRecord], viewer: str
) -> list[EvaluationRecord]:
    """``records`` (e.g. ``evaluations.list_for_interaction``) without the evaluations ``viewer``
    may not see: other evaluators' evaluations in open, blind calibration sessions."""
    hidden = {
        int(r[0])
        for r in ws.db.execute(
            "SELECT id FROM calibration_sessions WHERE blind = 1 AND closed_at IS NULL"
        )
    }
    return [r for r in records if r.calibration_session_id not in hidden or r.evaluator == viewer]


def close_session(
    ws: Workspace, session_id: int, *, closed_at: str | None = None
) -> CalibrationSession:
    """Close the session: results are revealed and nothing in it can change; audited.

    Drafts left unfinished stay drafts and are not part of the results."""
    session = get_session(ws, session_id)
    _require_open(session, "close it again")
    at = closed_at or utcnow_iso()
    if at < session.opened_at:
        raise DataRefused(f"closing time {at} is before the session opened ({session.opened_at}).")
    tally = dict(
        ws.db.execute(
            "SELECT status, count(*) FROM evaluations WHERE calibration_session_id = ? "
            "GROUP BY status ORDER BY status",
            [session.id],
        ).fetchall()
    )
    with ws.db.atomic():
        ws.db.execute(
            "UPDATE calibration_sessions SET closed_at = ? WHERE id = ?", [at, session.id]
        )
        audit.append(
            ws,
            "calibration.close",
            "calibration_session",
            session.uuid,
            {"closed_at": at, "evaluations": {k: int(v) for k, v in tally.items()}},
        )
    return get_session(ws, session_id)
