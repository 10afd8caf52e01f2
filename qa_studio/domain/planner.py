"""How many evaluations are enough, and how much the ones we have can tell: the planner.

Why: pay and performance conversations are held on four evaluations a month, whose interval is
often ±20 points wide. The planner says how many are needed for a given precision (Cochran's
formula), how precise each agent's mean actually is (a Student-t interval on the scores, a
Wilson interval on the pass rate), and flags agents with "not enough evidence" when the interval
is wider than the team accepts (default ±10 points).

* Cochran (1977, *Sampling Techniques*, 3rd ed., §4.4): n₀ = z²·p(1−p)/e²; with the finite
  population correction n = n₀ / (1 + (n₀ − 1)/N); both rounded up.
* Student t quantiles come from ``quantiles.t_quantile``, which takes the non-integer
  degrees of freedom a weighted sample's effective size gives.
* Wilson (1927) score interval, as recommended by Newcombe (1998, *Stat. Med.* 17:857–872).
* Weighted (risk-sampled) means use the Hájek ratio estimator Σwy/Σw with its linearised
  variance n/(n−1)·Σw²(y−ȳ)²/(Σw)² (a with-replacement approximation that ignores the finite
  population correction, so it errs on the wide side), t with n−1 degrees of freedom; with equal
  weights it reduces to the ordinary t-interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

from qa_studio.domain.quantiles import t_quantile

DEFAULT_CONFIDENCE = 0.95
#: "Not enough evidence" above this half-width, in score points.
DEFAULT_MAX_HALF_WIDTH = 10.0
#: Standard deviation of evaluation scores assumed when there are none to learn it from.
FALLBACK_SD = 15.0


def z_value(confidence: float) -> float:
    """Two-sided normal quantile: 0.95 → 1.959964."""
    _check_confidence(confidence)
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def t_value(confidence: float, df: float) -> float:
    """Two-sided Student t quantile with ``df`` (> 0, may be fractional) degrees of freedom."""
    _check_confidence(confidence)
    if not df > 0:
        raise ValueError(f"degrees of freedom must be above 0, not {df}")
    return t_quantile(0.5 + confidence / 2, df)


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence}")


@dataclass(frozen=True)
class SampleSize:
    n: int
    n0: float
    z: float


def cochran(
    margin: float,
    confidence: float = DEFAULT_CONFIDENCE,
    proportion: float = 0.5,
    population: int | None = None,
) -> SampleSize:
    """Cochran's sample size for estimating a proportion within ±``margin`` (0.05 = 5 points).

    p = 0.5 (the default) is the most cautious guess. With a ``population`` the finite
    population correction applies, and n never exceeds N.
    """
    if not 0 < margin < 1:
        raise ValueError(f"margin must be between 0 and 1 (e.g. 0.05), not {margin}")
    if not 0 < proportion < 1:
        raise ValueError(f"proportion must be between 0 and 1 (e.g. 0.5), not {proportion}")
    if population is not None and population < 1:
        raise ValueError(f"population must be at least 1, not {population}")
    z = z_value(confidence)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    n = n0 if population is None else n0 / (1 + (n0 - 1) / population)
    size = math.ceil(n - 1e-9)
    if population is not None:
        size = min(size, population)
    return SampleSize(size, n0, z)


@dataclass(frozen=True)
class Interval:
    """An estimate with its two-sided interval; ``half_width`` is inf with fewer than two."""

    estimate: float | None
    low: float | None
    high: float | None
    n: int
    half_width: float
    n_effective: float | None = None

    def as_dict(self) -> dict:
        finite = math.isfinite(self.half_width)
        return {
            "estimate": self.estimate,
            "low": self.low,
            "high": self.high,
            "n": self.n,
            "half_width": self.half_width if finite else None,
            "n_effective": self.n_effective,
        }


def mean_interval(values: Sequence[float], confidence: float = DEFAULT_CONFIDENCE) -> Interval:
    """Mean with a Student-t interval (n − 1 degrees of freedom)."""
    return weighted_mean_interval(values, [1.0] * len(values), confidence)


def weighted_mean_interval(
    values: Sequence[float], weights: Sequence[float], confidence: float = DEFAULT_CONFIDENCE
) -> Interval:
    """Hájek (inverse-probability weighted) mean with a linearised t-interval.

    ``weights`` are the items' stored inverse inclusion probabilities (``sample_items.weight``);
    ``n_effective`` is Kish's (Σw)²/Σw², how many equally weighted items the sample is worth.
    """
    if len(values) != len(weights):
        raise ValueError("values and weights differ in length")
    n = len(values)
    if n == 0:
        return Interval(None, None, None, 0, math.inf, 0.0)
    if any(not w > 0 for w in weights):
        raise ValueError("weights must be above 0")
    total = math.fsum(weights)
    mean = math.fsum(w * y for w, y in zip(weights, values, strict=True)) / total
    n_eff = total * total / math.fsum(w * w for w in weights)
    if n < 2:
        return Interval(mean, None, None, n, math.inf, n_eff)
    var = (
        n
        / (n - 1)
        * math.fsum((w * (y - mean)) ** 2 for w, y in zip(weights, values, strict=True))
        / (total * total)
    )
    half = t_value(confidence, n - 1) * math.sqrt(var)
    return Interval(mean, mean - half, mean + half, n, half, n_eff)


def wilson_interval(successes: int, n: int, confidence: float = DEFAULT_CONFIDENCE) -> Interval:
    """Wilson's score interval for a proportion (no continuity correction); ``estimate`` is
    the observed proportion and ``half_width`` half the interval's length."""
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"{successes} successes out of {n} is not a proportion")
    if n == 0:
        return Interval(None, None, None, 0, math.inf)
    z = z_value(confidence)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low, high = max(0.0, centre - spread), min(1.0, centre + spread)
    return Interval(p, low, high, n, (high - low) / 2)


def pooled_sd(groups: Iterable[Sequence[float]]) -> float | None:
    """Pooled within-group standard deviation √(Σ(nᵢ−1)sᵢ² / Σ(nᵢ−1)); None without data.

    Pooling within agents keeps the real differences *between* agents out of the noise
    estimate that sets the width of any one agent's interval.
    """
    ss, df = 0.0, 0
    for values in groups:
        k = len(values)
        if k < 2:
            continue
        m = math.fsum(values) / k
        ss += math.fsum((v - m) ** 2 for v in values)
        df += k - 1
    return math.sqrt(ss / df) if df else None


def precision_for(
    n: float, sd: float | None = None, confidence: float = DEFAULT_CONFIDENCE
) -> float:
    """Expected half-width (score points) of an agent mean from ``n`` evaluations: t·sd/√n.

    ``n`` may be an effective size (Kish) below the count when the sample is risk-weighted.
    """
    if n < 2:
        return math.inf
    return t_value(confidence, n - 1) * (FALLBACK_SD if sd is None else sd) / math.sqrt(n)


def needed_per_agent(
    half_width: float,
    sd: float | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
    limit: int = 10_000,
) -> int | None:
    """The smallest n whose expected t half-width is at most ``half_width``; None past limit."""
    for n in range(2, limit + 1):
        if precision_for(n, sd, confidence) <= half_width:
            return n
    return None


@dataclass(frozen=True)
class AgentEvidence:
    """One agent's scores, interval, pass rate and whether that is enough to judge them."""

    agent: str
    agent_name: str
    mean: Interval
    pass_rate: Interval
    passes: int
    not_enough_evidence: bool

    def as_dict(self) -> dict:
        return {
            "agent": self.agent,
            "agent_name": self.agent_name,
            "mean": self.mean.as_dict(),
            "pass_rate": self.pass_rate.as_dict(),
            "passes": self.passes,
            "not_enough_evidence": self.not_enough_evidence,
        }


@dataclass(frozen=True)
class ScoredItem:
    """One counted evaluation: percent score, whether it passed, and its sampling weight."""

    percent: float
    passed: bool
    weight: float = 1.0


def agent_evidence(
    scores: Mapping[tuple[str, str], Sequence[ScoredItem]],
    *,
    max_half_width: float = DEFAULT_MAX_HALF_WIDTH,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[AgentEvidence]:
    """Per agent ((external id, name) → evaluations): weighted mean with interval, Wilson pass
    rate, and "not enough evidence" when the mean's half-width exceeds ``max_half_width``."""
    out = []
    for (agent, name), items in sorted(scores.items()):
        mean = weighted_mean_interval(
            [i.percent for i in items], [i.weight for i in items], confidence
        )
        passes = sum(1 for i in items if i.passed)
        rate = wilson_interval(passes, len(items), confidence)
        out.append(
            AgentEvidence(agent, name, mean, rate, passes, not mean.half_width <= max_half_width)
        )
    return out


def per_agent_sizes(
    volumes: Mapping[str, int],
    margin: float,
    confidence: float = DEFAULT_CONFIDENCE,
    proportion: float = 0.5,
) -> dict[str, SampleSize]:
    """Cochran's n for each agent, their monthly volume being the finite population."""
    out = {}
    for agent, volume in sorted(volumes.items()):
        size = cochran(margin, confidence, proportion, max(1, volume))
        out[agent] = size if volume > 0 else SampleSize(0, size.n0, size.z)
    return out
