"""What the calibration-session charts draw, derived from a closed session's results. No Qt.

Three charts answer a team leader's three questions about a session:

* **who drifts** — each evaluator's form score minus the expert's on the same interaction (or
  minus the consensus, the median of the *other* evaluators, when no expert is named), with the
  tolerance band; the same definitions as ``domain.agreement.evaluator_deviations``;
* **which questions cause it** — per question Krippendorff's α (interval level) and percent
  agreement over the session's interactions, with n, from the session's agreement reports;
* **who disagrees where** — an evaluator × question grid of the mean absolute difference between
  the evaluator's answer and the consensus of the others, in percentage points of the question's
  weight (answers as scoring fractions, N/A left out).

The functions take the ``SessionResults`` of ``calibration.session_results`` (read only through
its documented attributes), so the screen, the ``chart`` command and tests share one derivation.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa_studio.domain.scoring import fraction

if TYPE_CHECKING:
    from qa_studio.scorecards.schema import Scorecard
    from qa_studio.storage.repository.calibration import SessionResults


@dataclass(frozen=True)
class EvaluatorDeviations:
    """One evaluator's differences from the reference, one per interaction both scored."""

    evaluator: str
    deviations: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.deviations)

    @property
    def mean(self) -> float | None:
        return math.fsum(self.deviations) / self.n if self.deviations else None


@dataclass(frozen=True)
class DeviationChart:
    """``reference`` is ``"expert"`` or ``"consensus"``; ``expert`` names the expert."""

    reference: str
    expert: str | None
    tolerance: float
    evaluators: tuple[EvaluatorDeviations, ...]

    @property
    def reference_text(self) -> str:
        if self.reference == "expert":
            return f"the expert ({self.expert})"
        return "the consensus (median of the other evaluators)"


@dataclass(frozen=True)
class QuestionAgreement:
    """One question: α with its interval, percent agreement (0–1), n interactions, and why α
    is missing when it is."""

    key: str
    text: str
    alpha: float | None
    alpha_ci: tuple[float, float] | None
    percent: float | None
    n: int
    reason: str | None


@dataclass(frozen=True)
class DisagreementGrid:
    """Mean absolute deviation from consensus (percentage points), questions × evaluators;
    None where the evaluator had no comparable answer on that question."""

    questions: tuple[str, ...]
    evaluators: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    counts: tuple[tuple[int, ...], ...]

    @property
    def maximum(self) -> float | None:
        present = [v for row in self.values for v in row if v is not None]
        return max(present) if present else None


@dataclass(frozen=True)
class CalibrationCharts:
    """Everything the three session charts need, with the session named for titles."""

    session_id: int
    session_name: str
    scorecard_ref: str
    n_interactions: int
    deviation: DeviationChart
    questions: tuple[QuestionAgreement, ...]
    grid: DisagreementGrid


def deviation_chart(
    scores: Mapping[tuple[str, str], float | None],
    evaluators: tuple[str, ...],
    expert: str | None,
    tolerance: float,
) -> DeviationChart:
    """Differences from the expert (when named and scoring) or from the consensus of the others,
    per evaluator, from ``{(unit, evaluator): form percent}``; the expert has no row."""
    by_unit: dict[str, dict[str, float]] = defaultdict(dict)
    for (unit, evaluator), score in scores.items():
        if score is not None:
            by_unit[unit][evaluator] = float(score)
    use_expert = expert is not None and any(expert in u for u in by_unit.values())
    rows = []
    for evaluator in evaluators:
        if use_expert and evaluator == expert:
            continue
        diffs = []
        for unit in sorted(by_unit):
            unit_scores = by_unit[unit]
            if evaluator not in unit_scores:
                continue
            if use_expert:
                if expert in unit_scores:
                    diffs.append(unit_scores[evaluator] - unit_scores[expert])
                continue
            others = [s for e, s in unit_scores.items() if e != evaluator]
            if others:
                diffs.append(unit_scores[evaluator] - statistics.median(others))
        rows.append(EvaluatorDeviations(evaluator, tuple(diffs)))
    return DeviationChart("expert" if use_expert else "consensus",
                          expert, tolerance, tuple(rows))  # fmt: skip


def question_agreement(
    card: Scorecard, reports: Mapping[str, dict]
) -> tuple[QuestionAgreement, ...]:
    """Per question of ``card`` (form order), α and percent agreement from its agreement report
    (``agreement_report`` shape: ``{"krippendorff_alpha": {...}, "percent_agreement": {...}}``)."""
    out = []
    for q in card.questions():
        report = reports.get(q.key)
        if report is None:
            out.append(QuestionAgreement(q.key, q.text, None, None, None, 0, "no answers"))
            continue
        alpha = report.get("krippendorff_alpha") or {}
        percent = report.get("percent_agreement") or {}
        ci = alpha.get("ci95")
        out.append(
            QuestionAgreement(
                q.key,
                q.text,
                alpha.get("value"),
                (float(ci[0]), float(ci[1])) if ci else None,
                percent.get("value"),
                int(report.get("n_units") or alpha.get("n") or 0),
                alpha.get("reason"),
            )
        )
    return tuple(out)


def disagreement_grid(
    card: Scorecard, answers: Mapping[tuple[str, str, str], object], evaluators: tuple[str, ...]
) -> DisagreementGrid:
    """Mean |answer − median of the others' answers| × 100 per question and evaluator, from
    ``{(unit, question, evaluator): value}`` ("na" and unknown questions left out)."""
    known = {q.key: q for q in card.questions()}
    cells: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for (unit, key, evaluator), value in answers.items():
        q = known.get(key)
        if q is None or value is None:
            continue
        try:
            share = fraction(q, value)
        except ValueError:
            continue  # an answer the current card cannot read is not a disagreement
        if share is not None:
            cells[(unit, key)][evaluator] = share
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (_unit, key), given in cells.items():
        for evaluator, share in given.items():
            others = [s for e, s in given.items() if e != evaluator]
            if others:
                sums[(key, evaluator)].append(100.0 * abs(share - statistics.median(others)))
    keys = tuple(q.key for q in card.questions())
    values = tuple(
        tuple(
            math.fsum(sums[(k, e)]) / len(sums[(k, e)]) if sums.get((k, e)) else None
            for e in evaluators
        )
        for k in keys
    )
    counts = tuple(tuple(len(sums.get((k, e), ())) for e in evaluators) for k in keys)
    return DisagreementGrid(keys, evaluators, values, counts)


def calibration_charts(
    results: SessionResults, tolerance: float | None = None
) -> CalibrationCharts:
    """The three charts' data for a closed session's ``results``; ``tolerance`` defaults to
    the one the results were computed with (±5 points unless asked otherwise)."""
    session = results.session
    tol = tolerance if tolerance is not None else _tolerance_of(results)
    evaluators = tuple(session.evaluators)
    return CalibrationCharts(
        session_id=session.id,
        session_name=session.name,
        scorecard_ref=session.scorecard_ref,
        n_interactions=len(session.interactions),
        deviation=deviation_chart(results.scores, evaluators, session.expert, tol),
        questions=question_agreement(results.card, results.questions),
        grid=disagreement_grid(results.card, results.answers, evaluators),
    )


def _tolerance_of(results: SessionResults) -> float:
    value = getattr(results, "tolerance", None)
    return float(value) if value is not None else 5.0
