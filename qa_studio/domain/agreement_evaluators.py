"""Per-evaluator findings from a calibration: leniency, spread and N/A habits.

Agreement coefficients say *whether* a team agrees; these say *who* drifts and in which
direction, which is what a coaching conversation needs:

* deviation from the expert (when the session names one) and from the consensus — the median of
  the *other* evaluators on the same unit, so an evaluator never pulls the consensus towards
  themselves — as a mean signed deviation (positive = more lenient), a mean absolute deviation
  and the share of units within ± tolerance (default 5 percentage points);
* N/A rate per question against the mean of colleagues' rates: marking N/A twice as often as
  colleagues hides failed questions from the score, so it is flagged.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

#: An evaluator whose N/A rate is at least this multiple of colleagues' mean is flagged.
NA_FLAG_RATIO = 2.0
DEFAULT_TOLERANCE = 5.0


@dataclass(frozen=True)
class Deviation:
    """Differences (evaluator − reference) over ``n`` units."""

    n: int
    mean_signed: float | None
    mean_absolute: float | None
    within_tolerance: float | None  # share 0–1 of units with |difference| ≤ tolerance

    @classmethod
    def of(cls, differences: list[float], tolerance: float) -> Deviation:
        if not differences:
            return cls(0, None, None, None)
        n = len(differences)
        within = sum(1 for d in differences if abs(d) <= tolerance + 1e-9)
        return cls(n, sum(differences) / n, sum(abs(d) for d in differences) / n, within / n)

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "mean_signed": self.mean_signed,
            "mean_absolute": self.mean_absolute,
            "within_tolerance": self.within_tolerance,
        }


@dataclass(frozen=True)
class EvaluatorDeviation:
    """One evaluator: units scored, and deviation from the expert (None for the expert themself
    or when no expert is named) and from the consensus of the others."""

    rater: Hashable
    n: int
    vs_expert: Deviation | None
    vs_consensus: Deviation

    def as_dict(self) -> dict:
        return {
            "rater": self.rater,
            "n": self.n,
            "vs_expert": self.vs_expert.as_dict() if self.vs_expert is not None else None,
            "vs_consensus": self.vs_consensus.as_dict(),
        }


def evaluator_deviations(
    scores: Mapping[tuple[Hashable, Hashable], float | None],
    expert: Hashable | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> dict[Hashable, EvaluatorDeviation]:
    """Deviations per evaluator from ``{(unit, rater): score}`` (None = not scored).

    Scores are on one scale (e.g. form percent 0–100, so the default tolerance is ±5 points).
    Units the reference did not score are left out of that comparison; ``n`` of each
    ``Deviation`` says how many units it rests on.
    """
    by_unit: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    raters: dict[Hashable, None] = {}
    for (unit, rater), score in scores.items():
        raters.setdefault(rater, None)
        if score is not None:
            by_unit[unit][rater] = float(score)
    if expert is not None and expert not in raters:
        raise ValueError(f"the expert {expert!r} scored nothing in this set")
    out: dict[Hashable, EvaluatorDeviation] = {}
    for rater in raters:
        to_expert: list[float] = []
        to_consensus: list[float] = []
        n = 0
        for unit_scores in by_unit.values():
            if rater not in unit_scores:
                continue
            n += 1
            own = unit_scores[rater]
            if expert is not None and rater != expert and expert in unit_scores:
                to_expert.append(own - unit_scores[expert])
            others = [s for r, s in unit_scores.items() if r != rater]
            if others:
                to_consensus.append(own - statistics.median(others))
        vs_expert = (
            Deviation.of(to_expert, tolerance) if expert is not None and rater != expert else None
        )
        out[rater] = EvaluatorDeviation(rater, n, vs_expert, Deviation.of(to_consensus, tolerance))
    return out


@dataclass(frozen=True)
class NaRate:
    """One evaluator on one question: answers, N/As, their rate and colleagues' mean rate."""

    rater: Hashable
    question: str
    n: int
    n_na: int
    rate: float
    colleagues_rate: float | None  # mean of the other evaluators' rates on this question
    flagged: bool

    def as_dict(self) -> dict:
        return {
            "rater": self.rater,
            "question": self.question,
            "n": self.n,
            "n_na": self.n_na,
            "rate": self.rate,
            "colleagues_rate": self.colleagues_rate,
            "flagged": self.flagged,
        }


def na_rates(
    answers: Iterable[tuple[Hashable, str, bool]], ratio: float = NA_FLAG_RATIO
) -> dict[str, dict[Hashable, NaRate]]:
    """``{question: {rater: NaRate}}`` from ``(rater, question, is_na)`` answers.

    Flagged when the evaluator marked N/A at least once and at a rate ≥ ``ratio`` × the mean of
    the other evaluators' rates on that question (a colleague mean of 0 counts: any N/A where
    nobody else sees one is a finding). With no colleagues there is nothing to compare.
    """
    tally: dict[str, dict[Hashable, list[int]]] = defaultdict(dict)
    for rater, question, is_na in answers:
        counts = tally[question].setdefault(rater, [0, 0])
        counts[0] += 1
        counts[1] += 1 if is_na else 0
    out: dict[str, dict[Hashable, NaRate]] = {}
    for question, per_rater in tally.items():
        rates = {r: c[1] / c[0] for r, c in per_rater.items()}
        out[question] = {}
        for rater, (n, n_na) in per_rater.items():
            others = [rate for r, rate in rates.items() if r != rater]
            colleagues = sum(others) / len(others) if others else None
            flagged = (
                colleagues is not None and n_na > 0 and rates[rater] >= ratio * colleagues - 1e-12
            )
            out[question][rater] = NaRate(
                rater, question, n, n_na, rates[rater], colleagues, flagged
            )
    return out
