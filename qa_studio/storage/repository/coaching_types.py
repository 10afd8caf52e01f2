"""The records of coaching: sessions and goals as read back, and the helpers both the recording
(``coaching``) and the follow-up (``coaching_followup``) modules need.

Kept apart so that ``coaching`` can re-export the follow-up functions without an import cycle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time

from qa_studio.domain import followup as fu
from qa_studio.domain.timeutil import LONDON, parse_iso, to_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.scorecards import list_versions

ONE_TO_ONE, TEAM_BRIEFING = "one_to_one", "team_briefing"
#: What a reviewed goal became (``open`` until its follow-up).
GOAL_OUTCOMES = ("met", "not_met", "dropped")
#: A session given as a bare date was held at noon, London time.
DEFAULT_HOUR = 12

Instant = str | datetime | date


def as_instant(value: Instant, what: str) -> tuple[str, date]:
    """``(UTC ISO text, London day)`` of an instant given as ISO text, an aware datetime or a
    date (noon in London); ``DataRefused`` naming ``what`` otherwise."""
    try:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("a time zone is required")
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time(DEFAULT_HOUR), tzinfo=LONDON)
        else:
            text = str(value).strip()
            if len(text) == 10:
                moment = datetime.combine(
                    date.fromisoformat(text), time(DEFAULT_HOUR), tzinfo=LONDON
                )
            else:
                moment = parse_iso(text)
    except ValueError as exc:
        raise DataRefused(
            f"{what} {value!r} is not a date (YYYY-MM-DD) or an ISO-8601 instant ({exc})."
        ) from None
    iso = to_iso(moment)
    return iso, parse_iso(iso).astimezone(LONDON).date()


def as_day(value: date | str, what: str) -> date:
    if isinstance(value, datetime):
        return value.astimezone(LONDON).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise DataRefused(f"{what} {value!r} is not a date (YYYY-MM-DD).") from None


def question_catalogue(ws: Workspace) -> dict[str, str]:
    """Every question key of every published scorecard version → its text (latest wins)."""
    out: dict[str, str] = {}
    for version in list_versions(ws):
        for q in version.card.questions():
            out[q.key] = q.text
    return out


@dataclass(frozen=True)
class Goal:
    id: int
    uuid: str
    session_id: int
    text: str
    question_keys: tuple[str, ...]
    metric: str | None
    target: float | None
    due_on: str | None
    status: str
    reviewed_at: str | None
    reviewed_by: str | None

    @property
    def measure(self) -> str:
        """What the goal is measured by: ``pass_rate`` of its questions, or its KPI."""
        return self.metric or fu.PASS_RATE

    def describe(self) -> str:
        """``empathy, ownership pass rate ≥ 80`` / ``AHT (s) ≤ 420``."""
        what = (
            ", ".join(self.question_keys) + " pass rate"
            if self.question_keys
            else (fu.LABELS[self.measure].split(" (")[0])
        )
        op = "≤" if self.measure in fu.LOWER_IS_BETTER else "≥"
        return f"{what} {op} {self.target:g}" if self.target is not None else what

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "text": self.text,
            "question_keys": list(self.question_keys),
            "metric": self.measure,
            "target": self.target,
            "due_on": self.due_on,
            "status": self.status,
            "reviewed_at": self.reviewed_at,
            "reviewed_by": self.reviewed_by,
        }


@dataclass(frozen=True)
class CoachingSession:
    id: int
    uuid: str
    kind: str
    agent_id: int | None
    agent: str | None  # external id
    agent_name: str | None
    team: str | None
    leader: str | None
    attendees: tuple[str, ...]
    topic: str | None
    question_keys: tuple[str, ...]
    held_at: str
    notes: str | None
    follow_up_due: str | None
    evaluation_ids: tuple[int, ...]
    followed_up_at: str | None
    followed_up_by: str | None
    follow_up_note: str | None
    goals: tuple[Goal, ...]

    @property
    def title(self) -> str:
        if self.kind == ONE_TO_ONE:
            return f"One-to-one with {self.agent_name} ({self.agent})"
        return f"Team briefing, {self.team}: {self.topic}"

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "kind": self.kind,
            "agent": self.agent,
            "agent_name": self.agent_name,
            "team": self.team,
            "leader": self.leader,
            "attendees": list(self.attendees),
            "topic": self.topic,
            "question_keys": list(self.question_keys),
            "held_at": self.held_at,
            "notes": self.notes,
            "follow_up_due": self.follow_up_due,
            "evaluation_ids": list(self.evaluation_ids),
            "followed_up_at": self.followed_up_at,
            "followed_up_by": self.followed_up_by,
            "follow_up_note": self.follow_up_note,
            "goals": [g.as_dict() for g in self.goals],
        }


_SESSION_SQL = (
    "SELECT s.id, s.uuid, s.kind, s.agent_id, a.external_id, a.name, t.name, l.name, "
    "s.attendees, s.topic, s.question_keys, s.held_at, s.notes, s.follow_up_due, "
    "s.evaluation_ids, s.followed_up_at, s.followed_up_by, s.follow_up_note "
    "FROM coaching_sessions s LEFT JOIN agents a ON a.id = s.agent_id "
    "LEFT JOIN teams t ON t.id = s.team_id LEFT JOIN evaluators l ON l.id = s.leader_id"
)


def load_goals(ws: Workspace, session_ids: list[int]) -> dict[int, list[Goal]]:
    out: dict[int, list[Goal]] = {i: [] for i in session_ids}
    if not session_ids:
        return out
    marks = ", ".join("?" * len(session_ids))
    for r in ws.db.execute(
        "SELECT id, uuid, coaching_session_id, text, question_keys, metric, target, due_on, "
        f"status, reviewed_at, reviewed_by FROM goals WHERE coaching_session_id IN ({marks}) "
        "ORDER BY id",
        session_ids,
    ):
        out[int(r[2])].append(
            Goal(
                int(r[0]),
                r[1],
                int(r[2]),
                r[3],
                tuple(json.loads(r[4])),
                r[5],
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
            )
        )
    return out


def load_sessions(
    ws: Workspace, where: str, params: list, *, limit: int | None = None
) -> list[CoachingSession]:
    """Sessions matching ``where`` (aliases ``s``, ``a``, ``t``, ``l``), newest first."""
    tail = f" LIMIT {int(limit)}" if limit else ""
    rows = ws.db.execute(
        f"{_SESSION_SQL} WHERE {where} ORDER BY s.held_at DESC, s.id DESC{tail}", params
    ).fetchall()
    goals = load_goals(ws, [int(r[0]) for r in rows])
    return [
        CoachingSession(
            int(r[0]),
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            tuple(json.loads(r[8])),
            r[9],
            tuple(json.loads(r[10])),
            r[11],
            r[12],
            r[13],
            tuple(json.loads(r[14])),
            r[15],
            r[16],
            r[17],
            tuple(goals[int(r[0])]),
        )
        for r in rows
    ]
