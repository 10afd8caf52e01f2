"""What the KPI dashboard decides, as pure functions: misses, Pareto shares, correlations, needs.

The repository (``storage.repository.dashboard``) aggregates in SQL; the decisions a supervisor
acts on are made here so they can be tested on hand-worked numbers and read without a database:

* **target misses** — a figure worse than its target (AHT is lower-is-better, every other metric
  higher-is-better); a figure with no data is not a miss, it is "no data";
* **Pareto shares** — failed questions ranked by count with each bar's share and the cumulative
  share, so the "vital few" are the bars before the cumulative line crosses 80 %;
* **Pearson correlation** with a Fisher-z 95 % interval, and **no claim below n = 10**: with a
  handful of agents a correlation of 0.9 arises by chance too often to be shown as a finding;
* **evidence flags** for the agent table — an agent mean whose 95 % interval is wider than
  ±10 points (or rests on fewer than 5 evaluations) is "not enough evidence", not a league place;
* the **training-need rule** — a question whose fail rate exceeds X % (default 30) for at least
  Y % (default 40) of a team's assessed agents is a team training need, not individual coaching.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from qa_studio.domain.planner import precision_for, z_value

QA_SCORE, AHT, FCR, CSAT, SERVICE_LEVEL = (
    "qa_score",
    "aht_s",
    "fcr_pct",
    "csat",
    "service_level_pct",
)
METRICS = (QA_SCORE, AHT, FCR, CSAT, SERVICE_LEVEL)
METRIC_LABELS = {
    QA_SCORE: "QA score (%)",
    AHT: "AHT (s)",
    FCR: "FCR (%)",
    CSAT: "CSAT (1–5)",
    SERVICE_LEVEL: "Service level (%)",
}
#: Metrics where a smaller figure is better (handle time); the rest are higher-is-better.
LOWER_IS_BETTER = frozenset({AHT})
#: Seconds of queue wait a service-level target counts as "answered in time" unless it says
#: (the 80/20 convention for calls and chats).
DEFAULT_SL_THRESHOLD_S = 20.0
#: E-mail is answered in hours, not seconds: judged against a 20-second answer time every e-mail
#: would "miss", so unless a target is set for the e-mail channel itself it is judged against
#: the usual one-working-day reply standard.
EMAIL_SL_THRESHOLD_S = 24 * 3600.0


def default_sl_threshold(channel: str | None) -> float:
    """The answer time a contact of ``channel`` is judged against when no target says."""
    return EMAIL_SL_THRESHOLD_S if channel == "email" else DEFAULT_SL_THRESHOLD_S


#: Fewer pairs than this: a correlation is printed with its n but no claim is made.
MIN_CORRELATION_N = 10
#: An agent mean resting on fewer evaluations, or with a wider 95 % half-width (points), is
#: flagged "not enough evidence".
MIN_EVIDENCE_N = 5
MAX_HALF_WIDTH = 10.0
#: Training-need rule defaults: fail rate above X % for at least Y % of a team's agents.
DEFAULT_FAIL_PCT = 30.0
DEFAULT_AGENT_SHARE_PCT = 40.0


def validate_metric(metric: str) -> str:
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}: choose one of {', '.join(METRICS)}")
    return metric


def is_miss(metric: str, actual: float | None, target: float | None) -> bool:
    """True when ``actual`` is worse than ``target``; never for a missing figure or target."""
    if actual is None or target is None:
        return False
    return actual > target if metric in LOWER_IS_BETTER else actual < target


@dataclass(frozen=True)
class Actual:
    """One measured figure in one scope (``team``/``channel`` None = all)."""

    metric: str
    value: float | None
    n: int
    team: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class TargetMiss:
    metric: str
    team: str | None
    channel: str | None
    actual: float
    target: float
    n: int

    @property
    def scope(self) -> str:
        parts = [self.team or "all teams", self.channel or "all channels"]
        return " · ".join(parts)

    @property
    def gap(self) -> float:
        """How far from target, positive = worse (seconds for AHT, points otherwise)."""
        diff = self.actual - self.target
        return diff if self.metric in LOWER_IS_BETTER else -diff

    def problem(self) -> str:
        """A problem statement for an RCA started from this miss."""
        label = METRIC_LABELS[self.metric]
        return (
            f"{label} {self.actual:.1f} against a target of {self.target:g} "
            f"({self.scope}, n = {self.n})"
        )


def target_misses(
    actuals: Iterable[Actual], target_of: Mapping[tuple[str, str | None, str | None], float]
) -> list[TargetMiss]:
    """The actuals worse than their targets (``target_of[(metric, team, channel)]``), worst
    relative gap first."""
    out = []
    for a in actuals:
        target = target_of.get((a.metric, a.team, a.channel))
        if a.n > 0 and is_miss(a.metric, a.value, target):
            assert a.value is not None and target is not None
            out.append(TargetMiss(a.metric, a.team, a.channel, a.value, target, a.n))
    out.sort(key=lambda m: (-m.gap / (abs(m.target) or 1.0), m.metric, m.scope))
    return out


@dataclass(frozen=True)
class ParetoBar:
    label: str
    count: int
    share: float
    cumulative: float


def pareto(counts: Iterable[tuple[str, int]]) -> list[ParetoBar]:
    """Bars by count (ties by label), each with its share and the cumulative share in %."""
    items = sorted(((label, c) for label, c in counts if c > 0), key=lambda x: (-x[1], x[0]))
    total = sum(c for _, c in items)
    out, running = [], 0
    for label, count in items:
        running += count
        out.append(ParetoBar(label, count, 100.0 * count / total, 100.0 * running / total))
    return out


@dataclass(frozen=True)
class Correlation:
    n: int
    r: float | None
    low: float | None
    high: float | None
    claim: bool
    note: str


def pearson(xs: Sequence[float], ys: Sequence[float], confidence: float = 0.95) -> Correlation:
    """Pearson's r with a Fisher-z interval (tanh(atanh r ± z/√(n−3))); below
    ``MIN_CORRELATION_N`` pairs r is reported with "no claim" and no interval."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    n = len(xs)
    if n < 3:
        return Correlation(n, None, None, None, False, f"n = {n}: too few to correlate")
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return Correlation(n, None, None, None, False, f"n = {n}: one variable does not vary")
    r = max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
    if n < MIN_CORRELATION_N:
        return Correlation(n, r, None, None, False, f"n = {n} < {MIN_CORRELATION_N}: no claim")
    if abs(r) >= 1.0:
        return Correlation(n, r, r, r, True, f"n = {n}: perfect correlation")
    half = z_value(confidence) / math.sqrt(n - 3)
    z = math.atanh(r)
    low, high = math.tanh(z - half), math.tanh(z + half)
    verdict = "no evidence of a relationship" if low <= 0 <= high else "relationship"
    return Correlation(n, r, low, high, True, f"n = {n}, r = {r:.2f} [{low:.2f}, {high:.2f}]: "
                       f"{verdict}")  # fmt: skip


@dataclass(frozen=True)
class MeanCI:
    n: int
    mean: float | None
    sd: float | None
    low: float | None
    high: float | None
    half_width: float
    enough: bool


def mean_ci(n: int, total: float | None, total_sq: float | None) -> MeanCI:
    """Mean and Student-t 95 % interval from SQL sums (``precision_for`` = t·sd/√n), with the
    "enough evidence" flag (n ≥ ``MIN_EVIDENCE_N`` and half-width ≤ ``MAX_HALF_WIDTH``)."""
    if n <= 0 or total is None:
        return MeanCI(0, None, None, None, None, math.inf, False)
    mean = total / n
    sd = None
    if n >= 2 and total_sq is not None:
        sd = math.sqrt(max(0.0, (total_sq - n * mean * mean) / (n - 1)))
    half = precision_for(n, sd) if sd is not None else math.inf
    finite = math.isfinite(half)
    enough = n >= MIN_EVIDENCE_N and finite and half <= MAX_HALF_WIDTH
    return MeanCI(n, mean, sd, mean - half if finite else None, mean + half if finite else None,
                  half, enough)  # fmt: skip


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def exceeds(failed: int, n: int, threshold_pct: float) -> bool:
    """``failed / n`` strictly above ``threshold_pct`` %, decided without float rounding."""
    return n > 0 and failed * 100 > threshold_pct * n


@dataclass(frozen=True)
class TrainingNeed:
    team: str
    question: str
    agents_assessed: int
    agents_over: int
    share_pct: float


def training_needs(
    cells: Iterable[tuple[str, str, str, int, int]],
    fail_pct: float = DEFAULT_FAIL_PCT,
    agent_share_pct: float = DEFAULT_AGENT_SHARE_PCT,
) -> list[TrainingNeed]:
    """Team × question training needs from ``(team, agent, question, failed, n)`` cells: the
    question's fail rate exceeds ``fail_pct`` for at least ``agent_share_pct`` % of the team's
    agents assessed on it (agents never assessed on a question tell nothing about it)."""
    assessed: dict[tuple[str, str], int] = {}
    over: dict[tuple[str, str], int] = {}
    for team, _agent, question, failed, n in cells:
        if n <= 0:
            continue
        key = (team, question)
        assessed[key] = assessed.get(key, 0) + 1
        over[key] = over.get(key, 0) + int(exceeds(failed, n, fail_pct))
    out = []
    for (team, question), k in sorted(assessed.items()):
        m = over[(team, question)]
        if m > 0 and m * 100 >= agent_share_pct * k:
            out.append(TrainingNeed(team, question, k, m, 100.0 * m / k))
    return out
