"""Coaching sessions and their SMART goals: recording a one-to-one or a team briefing, and its
follow-up.

A one-to-one is a team leader (or QA lead) with one agent: the evaluations discussed, notes, and
goals, each tied to scorecard questions (their pass rate) or to a KPI (AHT, FCR, CSAT, QA score)
with a target and a due date, and a follow-up date. A team briefing addresses a gap the whole
team shares: a topic, the questions behind it and who attended. Recording either is one user
action — one transaction with its audit row; so is holding the follow-up (each goal met, not met,
dropped or left open). Until the follow-up is recorded a session whose follow-up date has passed
is *overdue*.

What the goals achieved, overdue follow-ups and the recognition list are computed in
``coaching_followup`` and re-exported here, so callers import one module.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from qa_studio.domain import followup as fu
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository.coaching_followup import (
    GoalFollowUp,
    OverdueFollowUp,
    Recognised,
    follow_up,
    overdue_follow_ups,
    recognition,
)
from qa_studio.storage.repository.coaching_goals import GoalSpec, PreparedGoal, prepare_goals
from qa_studio.storage.repository.coaching_types import (
    GOAL_OUTCOMES,
    ONE_TO_ONE,
    TEAM_BRIEFING,
    CoachingSession,
    Goal,
    Instant,
    as_day,
    as_instant,
    load_sessions,
    question_catalogue,
)
from qa_studio.storage.repository.evaluation_records import evaluator as find_evaluator
from qa_studio.storage.repository.reporting import resolve_agents

__all__ = [
    "GOAL_OUTCOMES",
    "ONE_TO_ONE",
    "TEAM_BRIEFING",
    "CoachingSession",
    "Goal",
    "GoalFollowUp",
    "GoalSpec",
    "OverdueFollowUp",
    "Recognised",
    "follow_up",
    "get_session",
    "list_sessions",
    "overdue_follow_ups",
    "recognition",
    "record_follow_up",
    "record_one_to_one",
    "record_team_briefing",
]

#: Roles that hold coaching sessions and follow-ups.
COACHES = ("team_leader", "qa_lead")


def _coach(ws: Workspace, name: str, what: str):
    who = find_evaluator(ws, (name or "").strip())
    if who.role not in COACHES:
        raise DataRefused(
            f"{who.name} is {who.role.replace('_', ' ')}: {what} is held by a team leader or "
            "QA lead."
        )
    return who


def _insert(
    ws: Workspace,
    row: dict,
    goals: list[PreparedGoal],
    payload: dict,
    rng: random.Random | None,
    actor: str,
) -> CoachingSession:
    row["uuid"] = new_uuid(rng)
    cur = ws.db.execute(
        f"INSERT INTO coaching_sessions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    session_id = int(cur.lastrowid)
    for g in goals:
        ws.db.execute(
            "INSERT INTO goals (uuid, coaching_session_id, text, question_keys, metric, target, "
            "due_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
            [
                g.uuid,
                session_id,
                g.spec.text.strip(),
                json.dumps(g.keys),
                g.spec.metric,
                float(g.spec.target),
                g.due_on,
            ],
        )
    payload["goals"] = [
        {
            "uuid": g.uuid,
            "text": g.spec.text.strip(),
            "question_keys": g.keys,
            "metric": g.spec.metric,
            "target": float(g.spec.target),
            "due_on": g.due_on,
        }
        for g in goals
    ]
    audit.append(ws, "coaching.record", "coaching_session", row["uuid"], payload, actor=actor)
    return get_session(ws, session_id)


def _follow_up_day(follow_up_due: date | str | None, held: date, window_days: int) -> date:
    if follow_up_due is None:
        return held + timedelta(days=window_days)
    due = as_day(follow_up_due, "follow-up date")
    if due < held:
        raise DataRefused(f"the follow-up date {due} is before the session ({held}).")
    return due


def record_one_to_one(
    ws: Workspace,
    *,
    agent: str,
    leader: str,
    held_at: Instant,
    notes: str | None = None,
    evaluation_ids: Sequence[int] = (),
    goals: Sequence[GoalSpec] = (),
    follow_up_due: date | str | None = None,
    rng: random.Random | None = None,
) -> CoachingSession:
    """Record a one-to-one with the agent (external id) held by ``leader``; audited.

    ``held_at`` is an instant (ISO text or aware datetime; a bare date means noon in London);
    the follow-up date defaults to 30 days later. The evaluations discussed must be the agent's.
    """
    info = resolve_agents(ws, agent=agent)[0]
    who = _coach(ws, leader, "a one-to-one")
    held_iso, held_day = as_instant(held_at, "held_at")
    prepared = prepare_goals(ws, goals, held_day, rng)
    due = _follow_up_day(follow_up_due, held_day, fu.DEFAULT_WINDOW_DAYS)
    ids = [int(i) for i in dict.fromkeys(evaluation_ids)]
    uuids = []
    for eid in ids:
        row = ws.db.execute(
            "SELECT e.uuid, i.agent_id FROM evaluations e JOIN interactions i "
            "ON i.id = e.interaction_id WHERE e.id = ?",
            [eid],
        ).fetchone()
        if row is None:
            raise DataRefused(f"there is no evaluation with id {eid}.")
        if row[1] != info.id:
            raise DataRefused(f"evaluation {eid} is not of {info.name} ({info.external_id}).")
        uuids.append(row[0])
    agent_uuid = ws.db.execute("SELECT uuid FROM agents WHERE id = ?", [info.id]).fetchone()[0]
    row = {
        "kind": ONE_TO_ONE,
        "agent_id": info.id,
        "team_id": info.team_id,
        "leader_id": who.id,
        "attendees": json.dumps([info.external_id]),
        "topic": None,
        "question_keys": json.dumps(sorted({k for g in prepared for k in g.keys})),
        "held_at": held_iso,
        "notes": (notes or "").strip() or None,
        "follow_up_due": due.isoformat(),
        "evaluation_ids": json.dumps(ids),
    }
    payload = {
        "kind": ONE_TO_ONE,
        "agent": agent_uuid,
        "leader": who.uuid,
        "held_at": held_iso,
        "notes": row["notes"],
        "evaluations": uuids,
        "follow_up_due": row["follow_up_due"],
    }
    with ws.db.atomic():
        return _insert(ws, row, prepared, payload, rng, who.name)


def record_team_briefing(
    ws: Workspace,
    *,
    team: str,
    leader: str,
    held_at: Instant,
    topic: str,
    question_keys: Sequence[str],
    attendees: Sequence[str] = (),
    notes: str | None = None,
    goals: Sequence[GoalSpec] = (),
    follow_up_due: date | str | None = None,
    rng: random.Random | None = None,
) -> CoachingSession:
    """Record a team briefing on a team-wide gap (``question_keys``); audited. ``attendees``
    are agent external ids of the team (default: every active agent of the team)."""
    row_team = ws.db.execute("SELECT id, uuid FROM teams WHERE name = ?", [team]).fetchone()
    if row_team is None:
        resolve_agents(ws, team=team)  # raises naming the teams that exist
    team_id, team_uuid = int(row_team[0]), row_team[1]
    who = _coach(ws, leader, "a team briefing")
    subject = (topic or "").strip()
    if not subject:
        raise DataRefused("a team briefing needs a topic (what the gap is).")
    keys = [k.strip() for k in question_keys if k and k.strip()]
    if not keys:
        raise DataRefused("a team briefing names the scorecard questions behind the gap.")
    unknown = [k for k in keys if k not in question_catalogue(ws)]
    if unknown:
        raise DataRefused(f"no published scorecard has question {', '.join(unknown)}.")
    members = dict(
        ws.db.execute(
            "SELECT external_id, active FROM agents WHERE team_id = ? ORDER BY name, id", [team_id]
        ).fetchall()
    )
    people = list(dict.fromkeys(a.strip() for a in attendees if a.strip())) or [
        ext for ext, active in members.items() if active
    ]
    strangers = [p for p in people if p not in members]
    if strangers:
        raise DataRefused(
            f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not in team {team}."
        )
    held_iso, held_day = as_instant(held_at, "held_at")
    prepared = prepare_goals(ws, goals, held_day, rng)
    due = _follow_up_day(follow_up_due, held_day, fu.DEFAULT_WINDOW_DAYS)
    row = {
        "kind": TEAM_BRIEFING,
        "agent_id": None,
        "team_id": team_id,
        "leader_id": who.id,
        "attendees": json.dumps(people),
        "topic": subject,
        "question_keys": json.dumps(keys),
        "held_at": held_iso,
        "notes": (notes or "").strip() or None,
        "follow_up_due": due.isoformat(),
        "evaluation_ids": "[]",
    }
    payload = {
        "kind": TEAM_BRIEFING,
        "team": team_uuid,
        "leader": who.uuid,
        "held_at": held_iso,
        "topic": subject,
        "question_keys": keys,
        "attendees": people,
        "notes": row["notes"],
        "follow_up_due": row["follow_up_due"],
    }
    with ws.db.atomic():
        return _insert(ws, row, prepared, payload, rng, who.name)


def get_session(ws: Workspace, session_id: int) -> CoachingSession:
    found = load_sessions(ws, "s.id = ?", [session_id])
    if not found:
        raise DataRefused(f"there is no coaching session with id {session_id}.")
    return found[0]


def list_sessions(
    ws: Workspace, *, agent: str | None = None, team: str | None = None, limit: int = 200
) -> list[CoachingSession]:
    """Sessions, newest first: an agent's one-to-ones and their team's briefings, a team's
    sessions, or everyone's."""
    if agent is not None:
        info = resolve_agents(ws, agent=agent)[0]
        where = (
            "(s.agent_id = ? OR (s.kind = 'team_briefing' AND EXISTS "
            "(SELECT 1 FROM json_each(s.attendees) WHERE value = ?)))"
        )
        params: list = [info.id, info.external_id]
    elif team is not None:
        resolve_agents(ws, team=team)
        where, params = "t.name = ?", [team]
    else:
        where, params = "1 = 1", []
    return load_sessions(ws, where, params, limit=limit)


def record_follow_up(
    ws: Workspace,
    session_id: int,
    *,
    by: str,
    outcomes: Mapping[int, str],
    note: str | None = None,
    at: Instant | None = None,
) -> CoachingSession:
    """Hold the session's follow-up: each goal id in ``outcomes`` becomes ``met``, ``not_met``,
    ``dropped`` (or stays ``open``, carried forward); the session is no longer overdue; audited."""
    session = get_session(ws, session_id)
    who = _coach(ws, by, "a follow-up")
    if session.followed_up_at is not None:
        raise DataRefused(
            f"session {session_id}'s follow-up was already recorded by {session.followed_up_by} "
            f"on {session.followed_up_at[:10]}."
        )
    goals = {g.id: g for g in session.goals}
    for goal_id, outcome in outcomes.items():
        if goal_id not in goals:
            raise DataRefused(f"goal {goal_id} is not a goal of session {session_id}.")
        if outcome not in (*GOAL_OUTCOMES, "open"):
            raise DataRefused(
                f"goal {goal_id}: outcome '{outcome}' is not one of: "
                f"{', '.join((*GOAL_OUTCOMES, 'open'))}."
            )
    when, _day = as_instant(at if at is not None else utcnow(), "at")
    if when < session.held_at:
        raise DataRefused(
            f"the follow-up ({when}) cannot be before the session ({session.held_at})."
        )
    with ws.db.atomic():
        ws.db.execute(
            "UPDATE coaching_sessions SET followed_up_at = ?, followed_up_by = ?, "
            "follow_up_note = ? WHERE id = ?",
            [when, who.name, (note or "").strip() or None, session_id],
        )
        changed = []
        for goal_id, outcome in outcomes.items():
            if outcome == "open":
                continue
            ws.db.execute(
                "UPDATE goals SET status = ?, reviewed_at = ?, reviewed_by = ? WHERE id = ?",
                [outcome, when, who.name, goal_id],
            )
            changed.append({"goal": goals[goal_id].uuid, "status": outcome})
        audit.append(
            ws,
            "coaching.follow_up",
            "coaching_session",
            session.uuid,
            {"by": who.uuid, "at": when, "goals": changed, "note": (note or "").strip() or None},
            actor=who.name,
        )
    return get_session(ws, session_id)
