"""Did coaching work? The before/after comparison behind every goal's follow-up.

A team leader coaches an agent on some questions (or a KPI) and asks, a month later, whether the
agent's results moved. The honest answer has three parts: how much they moved, how sure we can
be (an interval, not a single number), and whether there is enough evidence to say anything at
all. This module is the arithmetic only; the repository feeds it counts and sums.

* **Means** (QA score, CSAT, AHT): after − before with a Welch interval — separate variances and
  Welch–Satterthwaite degrees of freedom, ν = (s₁²/n₁ + s₂²/n₂)² / [(s₁²/n₁)²/(n₁−1) +
  (s₂²/n₂)²/(n₂−1)] (Welch 1947; Satterthwaite 1946), t from ``planner.t_value``.
  Before and after are different contacts with different spreads, so the pooled (Student)
  interval would be wrong as often as it is right.
* **Pass rates** (targeted questions, FCR): after − before with Newcombe's hybrid score interval
  (Newcombe 1998, *Stat. Med.* 17:873–890, method 10): the two Wilson intervals of
  ``planner.wilson_interval`` combined by "square and add". Unlike the Wald interval it stays
  inside [−1, 1] and behaves at 0 % and 100 %, which are common for a single question.
* **Too few to tell** below ``min_n`` observations on either side (default 5): no verdict on the
  change, only the counts — a judgement on three calls is a judgement on the calls. Whether the
  target was met needs only the *after* side: it is decided once that side has ``min_n``.

Rates are in percent (0–100) and their differences in percentage points; AHT is in seconds and
improves downwards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from qa_studio.domain.planner import DEFAULT_CONFIDENCE, t_value, wilson_interval

DEFAULT_WINDOW_DAYS = 30
DEFAULT_MIN_N = 5

#: What a goal can measure. ``pass_rate`` is the pass rate of the goal's question keys.
PASS_RATE, AHT, FCR, CSAT, QA_SCORE = "pass_rate", "aht", "fcr", "csat", "qa_score"
KPI_METRICS: tuple[str, ...] = (AHT, FCR, CSAT, QA_SCORE)
METRICS: tuple[str, ...] = (PASS_RATE, *KPI_METRICS)
PROPORTIONS = frozenset({PASS_RATE, FCR})
LOWER_IS_BETTER = frozenset({AHT})
#: The range a target may take, per metric (AHT in seconds, CSAT on its 1–5 scale).
TARGET_RANGE: dict[str, tuple[float, float]] = {
    PASS_RATE: (0.0, 100.0),
    FCR: (0.0, 100.0),
    QA_SCORE: (0.0, 100.0),
    CSAT: (1.0, 5.0),
    AHT: (1.0, 24 * 3600.0),
}
LABELS = {
    PASS_RATE: "pass rate (%)",
    AHT: "AHT (s)",
    FCR: "FCR (%)",
    CSAT: "CSAT (1–5)",
    QA_SCORE: "QA score (%)",
}

IMPROVED, WORSE, NO_CLEAR_CHANGE, TOO_FEW = "improved", "worse", "no_clear_change", "too_few"
VERDICT_TEXT = {
    IMPROVED: "improved",
    WORSE: "got worse",
    NO_CLEAR_CHANGE: "no clear change",
    TOO_FEW: "too few to tell",
}


@dataclass(frozen=True)
class Difference:
    """``estimate`` = after − before with its two-sided interval; ``df`` for Welch only."""

    estimate: float
    low: float
    high: float
    method: str
    df: float | None = None


@dataclass(frozen=True)
class Side:
    """One window's results: ``n`` observations, their ``mean`` (a rate in percent for pass
    rates), ``sd`` for means, ``successes`` for rates."""

    n: int
    mean: float | None
    sd: float | None = None
    successes: int | None = None


@dataclass(frozen=True)
class Effect:
    """A goal's follow-up: before and after, the difference, the verdict and the target."""

    metric: str
    before: Side
    after: Side
    difference: Difference | None
    verdict: str
    target: float | None
    target_met: bool | None
    min_n: int

    @property
    def enough(self) -> bool:
        return self.verdict != TOO_FEW

    def as_dict(self) -> dict:
        d = self.difference
        return {
            "metric": self.metric,
            "before": _side_dict(self.before),
            "after": _side_dict(self.after),
            "difference": None
            if d is None
            else {
                "estimate": _r(d.estimate),
                "low": _r(d.low),
                "high": _r(d.high),
                "method": d.method,
                "df": _r(d.df),
            },
            "verdict": self.verdict,
            "verdict_text": VERDICT_TEXT[self.verdict],
            "target": self.target,
            "target_met": self.target_met,
            "min_n": self.min_n,
        }


def _r(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places) + 0.0


def _side_dict(side: Side) -> dict:
    return {"n": side.n, "mean": _r(side.mean), "sd": _r(side.sd), "successes": side.successes}


def summarise(values: Sequence[float]) -> Side:
    """n, mean and sample SD (n − 1) of raw values."""
    n = len(values)
    if n == 0:
        return Side(0, None, None)
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else None
    return Side(n, mean, sd)


def side_from_sums(n: int, total: float | None, total_sq: float | None) -> Side:
    """n, mean and sample SD from ``count``, ``sum`` and ``sum of squares`` (what SQL returns).

    The textbook shortcut Σx² − n·x̄² can go slightly negative by rounding; it is clamped at 0.
    """
    if n <= 0 or total is None:
        return Side(0, None, None)
    mean = total / n
    if n < 2 or total_sq is None:
        return Side(n, mean, None)
    var = max(0.0, (total_sq - n * mean * mean) / (n - 1))
    return Side(n, mean, math.sqrt(var))


def welch_from_summary(
    before: Side, after: Side, confidence: float = DEFAULT_CONFIDENCE
) -> Difference | None:
    """after.mean − before.mean with a Welch interval; None without two values on each side.

    With no spread on either side (every value equal) the interval is the difference itself.
    """
    if before.n < 2 or after.n < 2 or before.mean is None or after.mean is None:
        return None
    v1 = (before.sd or 0.0) ** 2 / before.n
    v2 = (after.sd or 0.0) ** 2 / after.n
    estimate = after.mean - before.mean
    se2 = v1 + v2
    if se2 <= 0:
        return Difference(estimate, estimate, estimate, "welch", None)
    df = se2 * se2 / (v1 * v1 / (before.n - 1) + v2 * v2 / (after.n - 1))
    half = t_value(confidence, df) * math.sqrt(se2)
    return Difference(estimate, estimate - half, estimate + half, "welch", df)


def welch_interval(
    before: Sequence[float], after: Sequence[float], confidence: float = DEFAULT_CONFIDENCE
) -> Difference | None:
    """mean(after) − mean(before) with a Welch interval, from raw values."""
    return welch_from_summary(summarise(before), summarise(after), confidence)


def newcombe_interval(
    successes_after: int,
    n_after: int,
    successes_before: int,
    n_before: int,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Difference | None:
    """p_after − p_before (as proportions, −1…1) with Newcombe's hybrid score interval
    (method 10); None when either side is empty."""
    if n_after <= 0 or n_before <= 0:
        return None
    a = wilson_interval(successes_after, n_after, confidence)
    b = wilson_interval(successes_before, n_before, confidence)
    assert a.estimate is not None and a.low is not None and a.high is not None
    assert b.estimate is not None and b.low is not None and b.high is not None
    estimate = a.estimate - b.estimate
    low = estimate - math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2)
    high = estimate + math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2)
    return Difference(estimate, max(-1.0, low), min(1.0, high), "newcombe")


def _verdict(diff: Difference | None, lower_is_better: bool) -> str:
    if diff is None or diff.low <= 0 <= diff.high:
        return NO_CLEAR_CHANGE
    better = diff.high < 0 if lower_is_better else diff.low > 0
    return IMPROVED if better else WORSE


def _met(value: float | None, target: float | None, lower_is_better: bool) -> bool | None:
    if value is None or target is None:
        return None
    return value <= target if lower_is_better else value >= target


def compare_means(
    metric: str,
    before: Side,
    after: Side,
    *,
    target: float | None = None,
    min_n: int = DEFAULT_MIN_N,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Effect:
    """The follow-up of a mean (QA score, CSAT, AHT) from each window's n, mean and SD."""
    lower = metric in LOWER_IS_BETTER
    if before.n < min_n or after.n < min_n:
        met = _met(after.mean, target, lower) if after.n >= min_n else None
        return Effect(metric, before, after, None, TOO_FEW, target, met, min_n)
    diff = welch_from_summary(before, after, confidence)
    return Effect(
        metric,
        before,
        after,
        diff,
        _verdict(diff, lower),
        target,
        _met(after.mean, target, lower),
        min_n,
    )


def compare_rates(
    metric: str,
    successes_before: int,
    n_before: int,
    successes_after: int,
    n_after: int,
    *,
    target: float | None = None,
    min_n: int = DEFAULT_MIN_N,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Effect:
    """The follow-up of a pass rate (or FCR): rates in percent, the difference in points."""
    before = Side(n_before, _pct(successes_before, n_before), None, successes_before)
    after = Side(n_after, _pct(successes_after, n_after), None, successes_after)
    if n_before < min_n or n_after < min_n:
        met = _met(after.mean, target, False) if n_after >= min_n else None
        return Effect(metric, before, after, None, TOO_FEW, target, met, min_n)
    raw = newcombe_interval(successes_after, n_after, successes_before, n_before, confidence)
    assert raw is not None
    diff = Difference(100 * raw.estimate, 100 * raw.low, 100 * raw.high, raw.method)
    return Effect(
        metric,
        before,
        after,
        diff,
        _verdict(diff, False),
        target,
        _met(after.mean, target, False),
        min_n,
    )


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def check_target(metric: str, target: float) -> str | None:
    """Why ``target`` cannot be a target for ``metric`` (None when it can)."""
    if metric not in TARGET_RANGE:
        return f"unknown metric '{metric}' (one of: {', '.join(METRICS)})"
    low, high = TARGET_RANGE[metric]
    if not (isinstance(target, int | float) and math.isfinite(target) and low <= target <= high):
        return (
            f"a {LABELS[metric]} target must be a number from {low:g} to {high:g}, not {target!r}"
        )
    return None
