"""The demo step that records six months of coaching: one-to-ones, a team briefing, follow-ups
and disputes, built on the patterns the evaluations step planted.

What a team leader opening the demo's Coaching tab finds:

- the **improving agent** was coached early on the questions they then improved on (their
  ``developing`` keys) — the follow-up shows a clear rise, goal met;
- each **weak agent** was coached on their own weak questions: the oldest session's follow-up is
  recorded (the weakness persists: not met), a later one's follow-up date has passed without a
  follow-up (**overdue**), the latest is still within its follow-up period;
- one **team briefing** on the team's weakest shared question (a team-wide gap), followed up;
- a few **disputes** by weak agents about their weak questions, in every state: open (recent),
  upheld by the QA lead (answer changed, score recomputed, evaluation final) and rejected.

Goal outcomes at each recorded follow-up are what ``coaching.follow_up`` computes from the data
(met when the target was reached after the session), so the demo never claims an effect the
numbers do not show. Every time derives from ``--end`` and every uuid from the step's own
generator (``ctx.rng("coaching")``), so two builds are identical.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from qa_studio.demo.evaluations import load_patterns
from qa_studio.domain import followup as fu
from qa_studio.domain.timeutil import day_bounds, to_iso
from qa_studio.scorecards.schema import Question
from qa_studio.storage.repository import coaching, disputes, scorecards
from qa_studio.storage.repository.coaching import GoalSpec

if TYPE_CHECKING:
    from qa_studio.demo.builder import DemoContext
    from qa_studio.demo.roster import DemoAgent

#: Days before ``--end`` the weak agents' sessions were held (oldest first).
WEAK_SESSION_DAYS = (100, 45, 10)
FOLLOW_UP_DAYS = 30
BRIEFING_DAYS = 75
DISPUTE_STATES = ("open", "upheld", "rejected")
DISPUTES_PER_STATE = 2
REASONS = {
    "open": "I think I did this: please listen again around the time noted.",
    "upheld": "The customer was already helped here — listen to the end of the call.",
    "rejected": "I was following the process I was trained on.",
}
RESOLUTIONS = {
    "upheld": "Listened again: the agent did meet the standard. Answer changed.",
    "rejected": "Listened again: the standard was not met. The answer stands.",
}


def _outcome(effect: fu.Effect) -> str:
    if effect.target_met is True:
        return "met"
    if effect.target_met is False:
        return "not_met"
    return "open"  # too few to tell: carried forward


def _follow_up(ctx: DemoContext, session, leader: str, day: date) -> dict[str, int]:
    """Record the follow-up on ``day`` with each goal's computed outcome."""
    results = coaching.follow_up(ctx.ws, session_id=session.id, as_of=day)
    outcomes = {r.goal.id: _outcome(r.effect) for r in results}
    coaching.record_follow_up(
        ctx.ws,
        session.id,
        by=leader,
        outcomes=outcomes,
        at=ctx.at(day, 15, 0),
        note="Reviewed the results since the one-to-one together.",
    )
    counts = {"goals_met": 0, "goals_not_met": 0}
    for outcome in outcomes.values():
        if outcome in ("met", "not_met"):
            counts[f"goals_{outcome}"] += 1
    return counts


def _discussed(
    ctx: DemoContext, agent: DemoAgent, keys: tuple[str, ...], held: datetime, limit: int = 3
) -> list[int]:
    """The agent's latest signed-off evaluations before the session that failed ``keys``."""
    marks = ", ".join("?" * len(keys))
    rows = ctx.ws.db.execute(
        "SELECT DISTINCT e.id FROM evaluations e JOIN interactions i ON i.id = e.interaction_id "
        "JOIN answers an ON an.evaluation_id = e.id JOIN agents a ON a.id = i.agent_id "
        f"WHERE a.external_id = ? AND e.status = 'signed_off' AND an.question_key IN ({marks}) "
        "AND an.failed = 1 AND e.calibration_session_id IS NULL AND i.started_at < ? "
        "ORDER BY i.started_at DESC, e.id DESC LIMIT ?",
        [agent.external_id, *keys, to_iso(held), limit],
    ).fetchall()
    return [int(r[0]) for r in rows]


def _rate(ctx: DemoContext, agent: str, keys: tuple[str, ...], lo: date, hi: date) -> float:
    """The agent's pass rate on ``keys`` between two days (for a realistic target)."""
    marks = ", ".join("?" * len(keys))
    n, passed = ctx.ws.db.execute(
        "SELECT count(*), coalesce(sum(an.failed = 0), 0) FROM answers an "
        "JOIN evaluations e ON e.id = an.evaluation_id JOIN interactions i "
        "ON i.id = e.interaction_id JOIN agents a ON a.id = i.agent_id "
        f"WHERE a.external_id = ? AND an.question_key IN ({marks}) AND an.na = 0 "
        "AND e.status IN ('submitted', 'signed_off') AND i.started_at >= ? AND i.started_at < ?",
        [agent, *keys, *day_bounds(lo, hi - timedelta(days=1))],
    ).fetchone()
    return 100.0 * passed / n if n else 50.0


def _one_to_one(
    ctx: DemoContext,
    agent: DemoAgent,
    leader: str,
    keys: tuple[str, ...],
    day: date,
    target: float,
    rng: random.Random,
    *,
    kpi: bool,
) -> object:
    held = ctx.at(day, rng.choice((10, 11, 14, 15)), rng.choice((0, 30)))
    goals = [
        GoalSpec(
            f"Pass {', '.join(k.replace('_', ' ') for k in keys)} on at least "
            f"{target:g} % of contacts",
            target,
            day + timedelta(days=FOLLOW_UP_DAYS),
            question_keys=keys,
        )
    ]
    if kpi:
        goals.append(
            GoalSpec(
                "Bring the QA score up to the 85 % target",
                85.0,
                day + timedelta(days=FOLLOW_UP_DAYS),
                metric=fu.QA_SCORE,
            )
        )
    return coaching.record_one_to_one(
        ctx.ws,
        agent=agent.external_id,
        leader=leader,
        held_at=held,
        notes=f"Listened to recent contacts together and agreed what good looks like for "
        f"{', '.join(keys)}.",
        evaluation_ids=_discussed(ctx, agent, keys, held),
        goals=goals,
        follow_up_due=day + timedelta(days=FOLLOW_UP_DAYS),
        rng=rng,
    )


def _team_gap(ctx: DemoContext, team: str, lo: date, hi: date, exclude: set[str]) -> str | None:
    """The team's weakest question over ``[lo, hi)`` with enough answers (a shared gap)."""
    rows = ctx.ws.db.execute(
        "SELECT an.question_key, count(*), sum(an.failed = 0) FROM answers an "
        "JOIN evaluations e ON e.id = an.evaluation_id JOIN interactions i "
        "ON i.id = e.interaction_id JOIN agents a ON a.id = i.agent_id JOIN teams t "
        "ON t.id = a.team_id WHERE t.name = ? AND an.na = 0 AND e.status = 'signed_off' "
        "AND e.calibration_session_id IS NULL AND i.started_at >= ? AND i.started_at < ? "
        "GROUP BY an.question_key HAVING count(*) >= 8 ORDER BY an.question_key",
        [team, *day_bounds(lo, hi - timedelta(days=1))],
    ).fetchall()
    ranked = sorted((passed / n, key) for key, n, passed in rows if key not in exclude)
    return ranked[0][1] if ranked and ranked[0][0] < 1.0 else None


def _pass_value(q: Question) -> object:
    if q.type == "yes_no":
        return "yes"
    if q.type == "scale" and q.scale is not None:
        return q.scale.max
    return max(q.options, key=lambda o: o.points).label


def _disputes(
    ctx: DemoContext,
    weak: dict[str, tuple[str, ...]],
    leaders: dict[str, str],
    qa_lead: str,
    rng: random.Random,
) -> dict[str, int]:
    """Disputes by weak agents on their weak questions: the most recent open, older resolved."""
    end = ctx.spec.end
    found = []
    for ext, keys in weak.items():
        marks = ", ".join("?" * len(keys))
        found += ctx.ws.db.execute(
            "SELECT e.id, e.scorecard_version_id, an.question_key, e.signed_at, a.name, t.name "
            "FROM evaluations e JOIN answers an ON an.evaluation_id = e.id "
            "JOIN interactions i ON i.id = e.interaction_id JOIN agents a ON a.id = i.agent_id "
            "JOIN teams t ON t.id = a.team_id WHERE a.external_id = ? AND e.status = 'signed_off' "
            f"AND e.calibration_session_id IS NULL AND an.question_key IN ({marks}) "
            "AND an.failed = 1 ORDER BY e.signed_at, e.id, an.question_key",
            [ext, *keys],
        ).fetchall()
    chosen: dict[int, tuple] = {}
    for row in found:  # one dispute per evaluation
        chosen.setdefault(int(row[0]), row)
    rows = list(chosen.values())
    wanted = DISPUTES_PER_STATE * len(DISPUTE_STATES)
    if len(rows) > wanted:
        recent, older = rows[-DISPUTES_PER_STATE:], rows[:-DISPUTES_PER_STATE]
        rows = sorted(rng.sample(older, wanted - DISPUTES_PER_STATE), key=rows.index) + recent
    plan = ["upheld", "rejected"] * DISPUTES_PER_STATE
    states = plan[: max(0, len(rows) - DISPUTES_PER_STATE)] + ["open"] * min(
        DISPUTES_PER_STATE, len(rows)
    )
    counts = {"disputes": 0}
    for (eid, version_id, key, signed_at, name, team), state in zip(rows, states, strict=True):
        signed = datetime.fromisoformat(signed_at.replace("Z", "+00:00"))
        raised_day = min(end, signed.date() + timedelta(days=rng.randint(1, 3)))
        d = disputes.raise_dispute(
            ctx.ws,
            eid,
            key,
            REASONS[state],
            agent=name,
            entered_by=leaders[team],
            at=ctx.at(raised_day, 16, rng.choice((0, 15, 30))),
            rng=rng,
        )
        counts["disputes"] += 1
        if state == "open":
            continue
        resolved = ctx.at(min(end, raised_day + timedelta(days=rng.randint(1, 4))), 11, 0)
        if state == "upheld":
            q = scorecards.get_version(ctx.ws, version_id).card.question(key)
            disputes.uphold(
                ctx.ws,
                d.id,
                by=qa_lead,
                value=_pass_value(q),
                resolution=RESOLUTIONS[state],
                at=resolved,
            )
        else:
            disputes.reject(ctx.ws, d.id, by=qa_lead, resolution=RESOLUTIONS[state], at=resolved)
    return counts


def step_coaching(ctx: DemoContext) -> dict[str, int]:
    """Record the demo's coaching sessions, follow-ups and disputes."""
    assert ctx.roster is not None, "the people and evaluations steps run first"
    rng = ctx.rng("coaching")
    patterns = load_patterns(ctx.ws)
    assert patterns is not None, "the evaluations step stores the patterns"
    end, first = ctx.spec.end, ctx.spec.first_day
    agents = {a.external_id: a for a in ctx.roster.agents}
    leaders = {t.name: t.leader for t in ctx.roster.teams}
    qa_lead = next(e.name for e in ctx.roster.evaluators if e.role == "qa_lead")
    counts = {"coaching_sessions": 0, "goals": 0, "goals_met": 0, "goals_not_met": 0}

    def followed(session, leader: str, day: date) -> None:
        for key, value in _follow_up(ctx, session, leader, day).items():
            counts[key] += value

    def recorded(session) -> None:
        counts["coaching_sessions"] += 1
        counts["goals"] += len(session.goals)

    if patterns.improving:
        agent = agents[patterns.improving]
        day = first + timedelta(days=40)
        before = _rate(ctx, agent.external_id, patterns.developing, day - timedelta(days=30), day)
        target = min(95.0, 5 * round((before + 15) / 5))  # a realistic step up
        s = _one_to_one(
            ctx, agent, leaders[agent.team], patterns.developing, day, target, rng, kpi=True
        )
        recorded(s)
        followed(s, leaders[agent.team], day + timedelta(days=FOLLOW_UP_DAYS + 2))
    for n, (ext, keys) in enumerate(patterns.weak.items()):
        agent = agents[ext]
        day = end - timedelta(days=WEAK_SESSION_DAYS[n % len(WEAK_SESSION_DAYS)])
        s = _one_to_one(ctx, agent, leaders[agent.team], keys, day, 80.0, rng, kpi=n == 0)
        recorded(s)
        if day + timedelta(days=FOLLOW_UP_DAYS + 1) <= end - timedelta(days=30):
            followed(s, leaders[agent.team], day + timedelta(days=FOLLOW_UP_DAYS + 1))
    team = ctx.roster.teams[rng.randrange(len(ctx.roster.teams))]
    day = end - timedelta(days=BRIEFING_DAYS)
    mine = {k for a, ks in patterns.weak.items() if agents[a].team == team.name for k in ks}
    gap = _team_gap(ctx, team.name, day - timedelta(days=60), day, mine)
    if gap is not None:
        s = coaching.record_team_briefing(
            ctx.ws,
            team=team.name,
            leader=team.leader,
            held_at=ctx.at(day, 9, 0),
            topic=f"Team-wide gap: {gap.replace('_', ' ')}",
            question_keys=[gap],
            notes="Ten-minute huddle with two example contacts and the standard.",
            goals=[
                GoalSpec(
                    f"Team passes {gap.replace('_', ' ')} on 90 % of contacts",
                    90.0,
                    day + timedelta(days=FOLLOW_UP_DAYS),
                    question_keys=(gap,),
                )
            ],
            follow_up_due=day + timedelta(days=FOLLOW_UP_DAYS),
            rng=rng,
        )
        recorded(s)
        followed(s, team.leader, day + timedelta(days=FOLLOW_UP_DAYS + 3))
    counts.update(_disputes(ctx, patterns.weak, leaders, qa_lead, rng))
    ctx.progress(
        f"demo: {counts['coaching_sessions']} coaching sessions, {counts['disputes']} disputes"
    )
    return counts
