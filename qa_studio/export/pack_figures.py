"""Figures a pack derives from a report: the interval, the evidence warning, rankings, goals.

Kept apart from the sheet writers (and free of openpyxl and Qt) so the coaching screen can show
exactly the numbers and suggestions the pack prints.

* The 95 % interval of the mean is Student-t (``qa_studio.domain.planner``): mean ± t·sd/√n with
  n − 1 degrees of freedom over the evaluations that have a score.
* "Not enough evidence" when the half-width is above ``max_half_width`` points (10 by default,
  the planner's), or when there are fewer than two scores (no interval at all).
* Strengths are questions where the agent's pass rate is above the team's, biggest gap first;
  development areas those below it (or level but short of 100 %), biggest shortfall first.
* Goal suggestions come from the three weakest questions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from qa_studio.domain import planner
from qa_studio.storage.repository.reporting_types import AgentReport, QuestionRate, ScoreSummary

MAX_RANKED = 10
GOAL_SUGGESTIONS = 3
#: Days after the period's last day that a suggested goal is due.
GOAL_DUE_DAYS = 30


@dataclass(frozen=True)
class MeanInterval:
    mean: float | None
    low: float | None
    high: float | None
    half_width: float  # inf without an interval


def mean_interval(summary: ScoreSummary) -> MeanInterval:
    """The agent's (or team's) mean score with its 95 % t-interval, clipped to 0–100."""
    if summary.mean is None:
        return MeanInterval(None, None, None, math.inf)
    if summary.n_scored < 2 or summary.sd is None:
        return MeanInterval(summary.mean, None, None, math.inf)
    half = planner.precision_for(summary.n_scored, summary.sd)
    # Scores live in 0–100: the interval is clipped there (the half-width stays unclipped).
    low, high = max(0.0, summary.mean - half), min(100.0, summary.mean + half)
    return MeanInterval(summary.mean, low, high, half)


def evidence_note(
    summary: ScoreSummary, max_half_width: float = planner.DEFAULT_MAX_HALF_WIDTH
) -> str | None:
    """The warning a pack shows when its sample cannot carry a judgement; None when it can."""
    if summary.n == 0:
        return "No evaluations in this period: there is nothing to judge the agent on."
    ci = mean_interval(summary)
    if ci.mean is None:
        return (
            f"Not enough evidence: the {summary.n} evaluation(s) have no score "
            "(every question was N/A)."
        )
    if not math.isfinite(ci.half_width):
        return (
            f"Not enough evidence: n={summary.n_scored} gives no interval "
            "(at least 2 scored evaluations are needed)."
        )
    if ci.half_width > max_half_width:
        return (
            f"Not enough evidence: n={summary.n_scored} gives ±{ci.half_width:.1f} points "
            f"(95 % interval; ±{max_half_width:g} or better is needed to judge)."
        )
    return None


def playback(seconds: float | None) -> str | None:
    """A playback position as a player shows it: ``m:ss``, or ``h:mm:ss`` past an hour."""
    if seconds is None:
        return None
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def strengths(report: AgentReport, limit: int = MAX_RANKED) -> list[QuestionRate]:
    """Questions the agent passes more often than the team, biggest lead first."""
    rated = [q for q in report.questions if q.gap is not None and q.gap > 0]
    rated.sort(key=lambda q: (-(q.gap or 0.0), -(q.agent_rate or 0.0), q.scorecard, q.key))
    return rated[:limit]


def development_areas(report: AgentReport, limit: int = MAX_RANKED) -> list[QuestionRate]:
    """Questions the agent passes less often than the team (or level with it, short of 100 %),
    biggest shortfall first, then lowest pass rate."""
    weak = [
        q
        for q in report.questions
        if q.agent_rate is not None
        and ((q.gap is not None and q.gap < 0) or (q.gap in (None, 0.0) and q.agent_rate < 100))
    ]
    weak.sort(key=lambda q: (q.gap if q.gap is not None else 0.0, q.agent_rate or 0.0, q.key))
    return weak[:limit]


@dataclass(frozen=True)
class GoalSuggestion:
    """A SMART goal drafted from a weak question; every field stays editable in the pack."""

    specific: str
    measurable: str
    achievable: str
    relevant: str
    time_bound: str
    question_key: str
    target: float
    due: date


def _target(q: QuestionRate) -> float:
    """Ten points up, at least the team's rate, at most 100, rounded up to a multiple of 5."""
    agent = q.agent_rate or 0.0
    wanted = max(agent + 10.0, q.team_rate or 0.0)
    return float(min(100, 5 * math.ceil(wanted / 5)))


def goal_suggestions(report: AgentReport, count: int = GOAL_SUGGESTIONS) -> list[GoalSuggestion]:
    """SMART goals for the ``count`` weakest questions (by gap to the team, then pass rate)."""
    due = report.period.last + timedelta(days=GOAL_DUE_DAYS)
    out = []
    for q in development_areas(report, count):
        target = _target(q)
        team = "no team figure" if q.team_rate is None else f"the team passes {q.team_rate:.0f} %"
        if q.regulation:
            relevant = f"Compliance requirement: {q.regulation}."
        elif q.critical or q.fatal:
            relevant = f"A {'fatal' if q.fatal else 'critical'} question on the {q.scorecard} form."
        else:
            relevant = f"Counts toward the {q.section} section of the {q.scorecard} form."
        out.append(
            GoalSuggestion(
                specific=f"{q.text} ({q.scorecard})",
                measurable=(
                    f"Pass rate on '{q.key}' from {q.agent_rate:.0f} % "
                    f"({q.agent_passed} of {q.agent_n}) to {target:.0f} %"
                ),
                achievable=f"{team.capitalize()}; agreed practice and a review of the evidence.",
                relevant=relevant,
                time_bound=f"Review by {due.strftime('%d %b %Y')} on the next evaluations.",
                question_key=q.key,
                target=target,
                due=due,
            )
        )
    return out
