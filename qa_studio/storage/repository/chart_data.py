"""What the per-agent charts draw, read from the workspace: plain frozen data, no Qt.

Charts take data, not widgets or a database (ARCHITECTURE.md § Headless rendering), so the
calibration screen, the ``chart`` command and a batch job all draw the same figures from the same
records. Two charts are about one agent:

* the **score trend** — the agent's mean percent per month with a 95 % Student-t interval (from
  ``domain.planner.mean_interval``), the team's monthly mean (the reporting queries' own trend, so
  a chart and a coaching pack never disagree) and the scorecard target;
* the **calibration view** — the agent's scores grouped by evaluator beside each evaluator's
  leniency offset measured in calibration sessions, and the agent's mean with that leniency taken
  out (score − offset), so a leader can see whether a low score is the agent or the evaluator.

Only evaluations that count are read (statuses submitted, signed off, disputed, final; a
calibration evaluation only when its session counts toward scores). An evaluation belongs to the
London month in which its contact was handled, as in packs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from qa_studio.domain.periods import RANGE, Period, month
from qa_studio.domain.planner import mean_interval
from qa_studio.domain.timeutil import LONDON, london_month, parse_iso, utcnow
from qa_studio.errors import UsageError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import reporting_queries as rq
from qa_studio.storage.repository.calibration import leniency_offsets
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL
from qa_studio.storage.repository.reporting import AgentInfo, resolve_agents
from qa_studio.storage.repository.scorecards import list_versions

DEFAULT_MONTHS = 6
#: English month abbreviations, fixed: ``strftime("%b")`` follows the C locale, which Qt sets
#: from the environment once a QApplication exists.
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: More months than this make month labels unreadable on a 1000-pixel chart.
MAX_MONTHS = 36


@dataclass(frozen=True)
class MonthStat:
    """One month of an agent's trend. ``ci_low``/``ci_high`` are None below two scores."""

    month: str  # "2026-05"
    label: str  # "May 2026"
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    team_n: int
    team_mean: float | None


@dataclass(frozen=True)
class AgentTrend:
    """The score-trend chart's data for one agent over ``period``."""

    agent: AgentInfo
    period: Period
    months: tuple[MonthStat, ...]
    target: float | None  # mean target of the scorecards the agent was scored on

    @property
    def n(self) -> int:
        return sum(m.n for m in self.months)


@dataclass(frozen=True)
class EvaluatorScores:
    """One evaluator's counted scores of the agent and their leniency offset (None: this
    evaluator has not been measured in a closed calibration session)."""

    evaluator: str
    scores: tuple[float, ...]
    offset: float | None

    @property
    def mean(self) -> float | None:
        return math.fsum(self.scores) / len(self.scores) if self.scores else None

    @property
    def adjusted_mean(self) -> float | None:
        """The evaluator's mean with their leniency taken out (unchanged without an offset)."""
        mean = self.mean
        return None if mean is None else mean - (self.offset or 0.0)


@dataclass(frozen=True)
class AgentCalibration:
    """The calibration-view chart's data: the agent's scores by evaluator over ``period``.

    ``adjusted_mean`` subtracts each evaluator's offset from each of their scores (an evaluator
    never measured counts with offset 0; ``n_adjusted`` says how many scores had an offset).
    """

    agent: AgentInfo
    period: Period
    evaluators: tuple[EvaluatorScores, ...]

    @property
    def n(self) -> int:
        return sum(len(e.scores) for e in self.evaluators)

    @property
    def n_adjusted(self) -> int:
        return sum(len(e.scores) for e in self.evaluators if e.offset is not None)

    @property
    def has_calibration(self) -> bool:
        """Whether any evaluator of this agent has a measured offset (else the chart says
        nothing beyond the raw scores)."""
        return self.n_adjusted > 0

    @property
    def raw_mean(self) -> float | None:
        scores = [s for e in self.evaluators for s in e.scores]
        return math.fsum(scores) / len(scores) if scores else None

    @property
    def adjusted_mean(self) -> float | None:
        adjusted = [s - (e.offset or 0.0) for e in self.evaluators for s in e.scores]
        return math.fsum(adjusted) / len(adjusted) if adjusted else None


def month_label(period: Period) -> str:
    """``May 2026`` for the month ``period`` starts in."""
    return f"{MONTH_ABBR[period.first.month - 1]} {period.first.year}"


def chart_period(
    ws: Workspace, agent: AgentInfo, *, months: int = DEFAULT_MONTHS, last: Period | None = None
) -> Period:
    """The ``months`` whole London months ending with ``last``'s month, or by default with the
    month of the agent's latest contact (so a chart of a workspace filled months ago is not
    empty), or the current month for an agent with no contacts."""
    if not 1 <= months <= MAX_MONTHS:
        raise UsageError(f"--months must be between 1 and {MAX_MONTHS} (got {months}).")
    if last is None:
        row = ws.db.execute(
            "SELECT max(started_at) FROM interactions WHERE agent_id = ?", [agent.id]
        ).fetchone()
        day = (parse_iso(row[0]) if row and row[0] else utcnow()).astimezone(LONDON).date()
        last = month(day.year, day.month)
    whole = month(last.last.year, last.last.month).trend_months(months)
    return Period(RANGE, whole[0].first, whole[-1].last)


def find_agent(ws: Workspace, agent: str) -> AgentInfo:
    """The agent with external id ``agent``; ``DataRefused`` (exit 1) naming it otherwise."""
    return resolve_agents(ws, agent=agent)[0]


def _evaluation_rows(ws: Workspace, agent: AgentInfo, period: Period) -> list[tuple]:
    """``(percent, version_id, evaluator, started_at)`` of the agent's counted evaluations of
    contacts in ``period``, oldest contact first (drives from the (agent_id, started_at) index)."""
    lo, hi = period.bounds
    sql = (
        "SELECT e.percent, e.scorecard_version_id, ev.name, i.started_at "
        "FROM interactions i JOIN evaluations e ON e.interaction_id = i.id "
        "JOIN evaluators ev ON ev.id = e.evaluator_id "
        "WHERE i.agent_id = ? AND i.started_at >= ? AND i.started_at < ? "
        f"AND {COUNTED_EVALUATION_SQL} "
        "ORDER BY i.started_at, e.id"
    )
    return ws.db.execute(sql, [agent.id, lo, hi]).fetchall()


def agent_trend(ws: Workspace, agent: AgentInfo, period: Period) -> AgentTrend:
    """Monthly mean and 95 % interval of the agent's scores, the team's monthly mean and the
    target, for every month ``period`` touches (months without scores have n = 0)."""
    versions = list_versions(ws)
    targets = {v.id: v.card.target for v in versions}
    months = period.months()
    lo, hi = period.bounds
    by_month: dict[str, list[float]] = defaultdict(list)
    used_targets: list[float] = []
    with ws.db.atomic():
        rows = _evaluation_rows(ws, agent, period)
        team_rows = []
        if agent.team_id is not None:
            scope = rq.Scope(
                lo=lo,
                hi=hi,
                agent_ids=[agent.id],
                team_ids=[agent.team_id],
                everyone=False,
                targets=[[v, t] for v, t in targets.items()],
            )
            team_rows = rq.trend_rows(ws, scope, [(m.key, *m.bounds) for m in months])
    for percent, version_id, _evaluator, started_at in rows:
        used_targets.append(targets[version_id])
        if percent is not None:
            by_month[london_month(started_at)].append(float(percent))
    team = {r[2]: (int(r[3]), r[4]) for r in team_rows if r[0] == rq.TEAM and r[1] == agent.team_id}
    stats = []
    for m in months:
        interval = mean_interval(by_month.get(m.key, []))
        team_n, team_mean = team.get(m.key, (0, None))
        stats.append(
            MonthStat(m.key, month_label(m), interval.n, interval.estimate,
                      interval.low, interval.high, team_n, team_mean)
        )  # fmt: skip
    target = (
        math.fsum(used_targets) / len(used_targets) if used_targets else _shared_target(versions)
    )
    return AgentTrend(agent, period, tuple(stats), target)


def _shared_target(versions: list) -> float | None:
    """Without scores the target line still helps: the single target when every published
    scorecard shares one, else none."""
    distinct = {v.card.target for v in versions}
    return distinct.pop() if len(distinct) == 1 else None


def agent_calibration(ws: Workspace, agent: AgentInfo, period: Period) -> AgentCalibration:
    """The agent's counted scores in ``period`` by evaluator, with each evaluator's leniency
    offset from every closed calibration session (``calibration.leniency_offsets``)."""
    with ws.db.atomic():
        rows = _evaluation_rows(ws, agent, period)
        offsets = leniency_offsets(ws)
    by_evaluator: dict[str, list[float]] = defaultdict(list)
    for percent, _version, evaluator, _started in rows:
        if percent is not None:
            by_evaluator[evaluator].append(float(percent))
    evaluators = tuple(
        EvaluatorScores(name, tuple(scores), offsets.get(name))
        for name, scores in sorted(by_evaluator.items())
    )
    return AgentCalibration(agent, period, evaluators)
