"""Did the coaching work? Each goal's results before and after its session, overdue follow-ups,
and the agents to recognise.

* **Follow-up effect**: for each goal, the results on its questions (pass rate of the answers
  that could fail, N/A left out) or its KPI in the ``window_days`` before the session and the
  ``window_days`` after it, compared by ``domain.followup`` (Welch for means, Newcombe for rates,
  "too few to tell" below ``min_n`` on either side). Windows are read by when the *contact* was
  handled, as packs read periods: coaching changes how the agent handles contacts afterwards.
  A one-to-one measures its agent, a team briefing its attendees together. The after window is
  cut at ``as_of``; ``after_complete`` says whether it has run its full length.
* **Overdue follow-ups**: sessions whose follow-up date has passed without a follow-up recorded.
* **Recognition**: agents whose mean QA score in a period is above their target even at the
  lower end of its 95 % interval (``planner.mean_interval``) — good, and not by luck of the draw.

Only evaluations that count are read (``counting.COUNTED_EVALUATION_SQL``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from qa_studio.domain import followup as fu
from qa_studio.domain.periods import Period, parse_period
from qa_studio.domain.planner import DEFAULT_CONFIDENCE, mean_interval
from qa_studio.domain.timeutil import LONDON, parse_iso, to_iso, utcnow
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.coaching_types import (
    ONE_TO_ONE,
    CoachingSession,
    Goal,
    Instant,
    as_day,
    as_instant,
    load_sessions,
)
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL
from qa_studio.storage.repository.reporting import AgentInfo, resolve_agents
from qa_studio.storage.repository.scorecards import list_versions


@dataclass(frozen=True)
class GoalFollowUp:
    """One goal's follow-up: the windows compared and the effect."""

    session: CoachingSession
    goal: Goal
    agents: tuple[str, ...]
    window_days: int
    before: tuple[str, str]
    after: tuple[str, str]
    after_complete: bool
    effect: fu.Effect

    def as_dict(self) -> dict:
        s = self.session
        return {
            "session": s.id,
            "kind": s.kind,
            "held_at": s.held_at,
            "agent": s.agent,
            "team": s.team,
            "leader": s.leader,
            "goal": self.goal.as_dict(),
            "agents": list(self.agents),
            "window_days": self.window_days,
            "windows": {
                "before": {"from": self.before[0], "to": self.before[1]},
                "after": {
                    "from": self.after[0],
                    "to": self.after[1],
                    "complete": self.after_complete,
                },
            },
            **self.effect.as_dict(),
        }


@dataclass(frozen=True)
class OverdueFollowUp:
    session: CoachingSession
    days_overdue: int

    @property
    def open_goals(self) -> tuple[Goal, ...]:
        return tuple(g for g in self.session.goals if g.status == "open")

    def as_dict(self) -> dict:
        s = self.session
        return {
            "session": s.id,
            "kind": s.kind,
            "title": s.title,
            "agent": s.agent,
            "team": s.team,
            "leader": s.leader,
            "held_at": s.held_at,
            "follow_up_due": s.follow_up_due,
            "days_overdue": self.days_overdue,
            "open_goals": [g.as_dict() for g in self.open_goals],
        }


@dataclass(frozen=True)
class Recognised:
    agent: AgentInfo
    n: int
    mean: float
    low: float
    high: float
    target: float

    def as_dict(self) -> dict:
        return {
            "agent": self.agent.external_id,
            "name": self.agent.name,
            "team": self.agent.team,
            "n": self.n,
            "mean": round(self.mean, 2),
            "ci_low": round(self.low, 2),
            "ci_high": round(self.high, 2),
            "target": self.target,
        }


@dataclass(frozen=True)
class RecognitionList:
    period: Period
    confidence: float
    considered: int
    recognised: tuple[Recognised, ...]
    min_n: int = fu.DEFAULT_MIN_N

    def as_dict(self) -> dict:
        return {
            "period": self.period.key,
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "confidence": self.confidence,
            "considered": self.considered,
            "min_n": self.min_n,
            "recognised": [r.as_dict() for r in self.recognised],
        }


# -- the numbers behind one window -------------------------------------------------------------
def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


def _pass_counts(ws: Workspace, agents: list[int], keys: tuple[str, ...], lo: str, hi: str):
    """Answers to ``keys`` that could fail (not N/A, scored by the evaluation's version) and
    those that passed, on counted evaluations of the agents' contacts in ``[lo, hi)``."""
    row = ws.db.execute(
        "SELECT count(*), coalesce(sum(an.failed = 0), 0) FROM interactions i "
        "JOIN evaluations e ON e.interaction_id = i.id "
        "JOIN answers an ON an.evaluation_id = e.id "
        f"WHERE i.agent_id IN ({_marks(agents)}) AND i.started_at >= ? AND i.started_at < ? "
        f"AND {COUNTED_EVALUATION_SQL} AND an.question_key IN ({_marks(list(keys))}) "
        "AND an.na = 0 AND an.max_points IS NOT NULL",
        [*agents, lo, hi, *keys],
    ).fetchone()
    return int(row[0]), int(row[1])


_KPI_SQL = {
    # value expression, extra condition, and whether it is read from evaluations
    fu.QA_SCORE: ("e.percent", "e.percent IS NOT NULL", True),
    fu.CSAT: ("i.csat", "i.csat IS NOT NULL", False),
    fu.FCR: ("i.fcr", "i.fcr IS NOT NULL", False),
    fu.AHT: (
        "i.duration_s + coalesce(i.wrap_s, 0)",
        "i.channel = 'voice' AND i.duration_s IS NOT NULL",
        False,
    ),
}


def _kpi(ws: Workspace, metric: str, agents: list[int], lo: str, hi: str) -> tuple:
    """``(n, sum, sum of squares)`` of a KPI over the agents' contacts in ``[lo, hi)`` (QA score:
    over their counted evaluations). AHT is voice talk time plus wrap, as in packs."""
    value, condition, evaluated = _KPI_SQL[metric]
    joins = (
        f"JOIN evaluations e ON e.interaction_id = i.id AND {COUNTED_EVALUATION_SQL} "
        if (evaluated)
        else ""
    )
    return ws.db.execute(
        f"SELECT count(*), sum({value}), sum(({value}) * ({value})) FROM interactions i {joins}"
        f"WHERE i.agent_id IN ({_marks(agents)}) AND i.started_at >= ? AND i.started_at < ? "
        f"AND {condition}",
        [*agents, lo, hi],
    ).fetchone()


def goal_effect(
    ws: Workspace,
    goal: Goal,
    agents: list[int],
    before: tuple[str, str],
    after: tuple[str, str],
    *,
    min_n: int = fu.DEFAULT_MIN_N,
) -> fu.Effect:
    """The effect of one goal on ``agents`` between the two windows."""
    if goal.measure == fu.PASS_RATE:
        nb, pb = _pass_counts(ws, agents, goal.question_keys, *before)
        na, pa = _pass_counts(ws, agents, goal.question_keys, *after)
        return fu.compare_rates(fu.PASS_RATE, pb, nb, pa, na, target=goal.target, min_n=min_n)
    if goal.measure == fu.FCR:
        nb, sb, _ = _kpi(ws, fu.FCR, agents, *before)
        na, sa, _ = _kpi(ws, fu.FCR, agents, *after)
        return fu.compare_rates(
            fu.FCR, int(sb or 0), nb, int(sa or 0), na, target=goal.target, min_n=min_n
        )
    b = fu.side_from_sums(*_kpi(ws, goal.measure, agents, *before))
    a = fu.side_from_sums(*_kpi(ws, goal.measure, agents, *after))
    return fu.compare_means(goal.measure, b, a, target=goal.target, min_n=min_n)


def _agent_ids(ws: Workspace, s: CoachingSession) -> tuple[list[int], tuple[str, ...]]:
    if s.kind == ONE_TO_ONE:
        return ([s.agent_id] if s.agent_id is not None else []), ((s.agent,) if s.agent else ())
    if not s.attendees:
        return [], ()
    rows = ws.db.execute(
        f"SELECT id, external_id FROM agents WHERE external_id IN ({_marks(list(s.attendees))})",
        list(s.attendees),
    ).fetchall()
    return [int(r[0]) for r in rows], tuple(r[1] for r in rows)


def _as_of(as_of: Instant | None) -> str:
    if as_of is None:
        return to_iso(utcnow())
    if isinstance(as_of, str) and len(as_of.strip()) == 10:
        as_of = as_day(as_of, "as_of")
    if isinstance(as_of, date) and not isinstance(as_of, datetime):
        # A day means the end of that London day.
        return to_iso(datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=LONDON))
    return as_instant(as_of, "as_of")[0]


def follow_up(
    ws: Workspace,
    *,
    session_id: int | None = None,
    agent: str | None = None,
    team: str | None = None,
    window_days: int = fu.DEFAULT_WINDOW_DAYS,
    min_n: int = fu.DEFAULT_MIN_N,
    as_of: Instant | None = None,
    open_only: bool = False,
) -> list[GoalFollowUp]:
    """Every goal's follow-up (of one session, an agent's sessions, a team's, or all), newest
    session first. ``open_only`` keeps goals not yet reviewed."""
    if window_days < 1:
        raise ValueError(f"the window must be at least one day, not {window_days}")
    end = _as_of(as_of)
    if session_id is not None:
        where, params = "s.id = ?", [session_id]
    elif agent is not None:
        info = resolve_agents(ws, agent=agent)[0]
        where = (
            "(s.agent_id = ? OR (s.kind = 'team_briefing' AND EXISTS "
            "(SELECT 1 FROM json_each(s.attendees) WHERE value = ?)))"
        )
        params = [info.id, info.external_id]
    elif team is not None:
        resolve_agents(ws, team=team)
        where, params = "t.name = ?", [team]
    else:
        where, params = "1 = 1", []
    out = []
    for s in load_sessions(ws, where, params):
        ids, names = _agent_ids(ws, s)
        held = parse_iso(s.held_at)
        span = timedelta(days=window_days)
        before = (to_iso(held - span), s.held_at)
        full_end = to_iso(held + span)
        after = (s.held_at, min(full_end, max(end, s.held_at)))
        for g in s.goals:
            if open_only and g.status != "open":
                continue
            if ids:
                effect = goal_effect(ws, g, ids, before, after, min_n=min_n)
            else:
                effect = fu.compare_rates(g.measure, 0, 0, 0, 0, target=g.target, min_n=min_n)
            out.append(
                GoalFollowUp(s, g, names, window_days, before, after, full_end <= end, effect)
            )
    return out


def overdue_follow_ups(
    ws: Workspace,
    *,
    as_of: Instant | None = None,
    agent: str | None = None,
    team: str | None = None,
) -> list[OverdueFollowUp]:
    """Sessions whose follow-up date is before ``as_of`` (a day, or today in London) and whose
    follow-up has not been recorded; most overdue first."""
    if as_of is None:
        today = utcnow().astimezone(LONDON).date()
    elif isinstance(as_of, date) and not isinstance(as_of, datetime):
        today = as_of
    else:
        today = as_instant(as_of, "as_of")[1]
    where = "s.followed_up_at IS NULL AND s.follow_up_due < ?"
    params: list = [today.isoformat()]
    if agent is not None:
        info = resolve_agents(ws, agent=agent)[0]
        where += " AND s.agent_id = ?"
        params.append(info.id)
    if team is not None:
        resolve_agents(ws, team=team)
        where += " AND t.name = ?"
        params.append(team)
    found = [
        OverdueFollowUp(s, (today - date.fromisoformat(s.follow_up_due)).days)
        for s in load_sessions(ws, where, params)
        if s.follow_up_due
    ]
    return sorted(found, key=lambda o: (-o.days_overdue, o.session.id))


def recognition(
    ws: Workspace,
    period: Period | str,
    *,
    team: str | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
    min_n: int = fu.DEFAULT_MIN_N,
) -> RecognitionList:
    """Agents whose mean QA score over their counted evaluations of contacts in ``period`` is
    above their target at the lower bound of its ``confidence`` interval, best lower bound
    first. The target is the mean target of the scorecards they were scored on. Agents with
    fewer than ``min_n`` scored evaluations are not considered (too few to tell)."""
    p = period if isinstance(period, Period) else parse_period(period)
    agents = (
        resolve_agents(ws, team=team) if team is not None else resolve_agents(ws, everyone=True)
    )
    by_id = {a.id: a for a in agents}
    targets = {v.id: v.card.target for v in list_versions(ws)}
    lo, hi = p.bounds
    scores: dict[int, list[float]] = defaultdict(list)
    aims: dict[int, list[float]] = defaultdict(list)
    for agent_id, percent, version_id in ws.db.execute(
        "SELECT i.agent_id, e.percent, e.scorecard_version_id FROM interactions i "
        "JOIN evaluations e ON e.interaction_id = i.id "
        f"WHERE i.started_at >= ? AND i.started_at < ? AND {COUNTED_EVALUATION_SQL} "
        "AND e.percent IS NOT NULL AND i.agent_id IS NOT NULL ORDER BY i.agent_id, e.id",
        [lo, hi],
    ):
        if agent_id in by_id:
            scores[agent_id].append(float(percent))
            aims[agent_id].append(targets[version_id])
    found = []
    considered = {a: v for a, v in scores.items() if len(v) >= max(2, min_n)}
    for agent_id, values in considered.items():
        ci = mean_interval(values, confidence)
        target = sum(aims[agent_id]) / len(aims[agent_id])
        if ci.low is not None and ci.low > target:
            assert ci.estimate is not None and ci.high is not None
            found.append(Recognised(by_id[agent_id], ci.n, ci.estimate, ci.low, ci.high, target))
    found.sort(key=lambda r: (-r.low, r.agent.name))
    return RecognitionList(p, confidence, len(considered), tuple(found), min_n)
