"""Evaluator agreement: percent agreement, Krippendorff's α and the full report.

This is the module calibration screens, charts and the ``stats`` command import; it re-exports
the κ, ICC and evaluator functions so callers have one place to look:

* ``RatingTable.from_rows(rows, level)`` — pivot ``(unit, rater, value)`` rows;
* ``percent_agreement``, ``krippendorff_alpha``, ``fleiss_kappa``, ``cohen_kappa(s)``, ``icc``;
* ``agreement_report(rows, level)`` — everything at once, as the CLI prints it;
* ``evaluator_deviations`` and ``na_rates`` — per-evaluator findings for a calibration session.

Krippendorff's α is computed by the ``krippendorff`` package, never by our own code; because that
package raises on one rater, identical values or no pairable ratings, each of those is checked
first and reported as a reason. Its interval is a percentile bootstrap over units (Hayes &
Krippendorff 2007 resample pairable values instead; resampling units keeps each evaluator's
answers on a call together, which is what a calibration session samples).
"""

from __future__ import annotations

from collections.abc import Iterable

import krippendorff
import numpy as np

from qa_studio.domain.agreement_data import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    LEVELS,
    RatingTable,
    Row,
    Stat,
    basic_reason,
    bootstrap_ci,
    category_counts,
    check_level,
    is_missing,
    pivot,
    resample_weights,
    too_few_units,
)
from qa_studio.domain.agreement_evaluators import (
    Deviation,
    EvaluatorDeviation,
    NaRate,
    evaluator_deviations,
    na_rates,
)
from qa_studio.domain.agreement_icc import ICC_FORMS, MeanSquares, icc, icc_matrix, mean_squares
from qa_studio.domain.agreement_kappa import (
    WEIGHTS,
    cohen_kappa,
    cohen_kappa_table,
    cohen_kappas,
    fleiss_kappa,
    fleiss_kappa_counts,
)
from qa_studio.domain.interpretation import interpret

#: The ``krippendorff`` package builds a units × values × values array per call. Above this many
#: elements (≈ 160 MB) α is not attempted; above ``_BOOTSTRAP_WORK`` element-operations in total
#: (≈ 6 s) the interval is skipped. Only many distinct continuous values get near either.
_ALPHA_ELEMENTS = 20_000_000
_BOOTSTRAP_WORK = 400_000_000

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "ICC_FORMS",
    "LEVELS",
    "WEIGHTS",
    "Deviation",
    "EvaluatorDeviation",
    "MeanSquares",
    "NaRate",
    "RatingTable",
    "Row",
    "Stat",
    "agreement_report",
    "cohen_kappa",
    "cohen_kappa_table",
    "cohen_kappas",
    "evaluator_deviations",
    "fleiss_kappa",
    "fleiss_kappa_counts",
    "icc",
    "icc_matrix",
    "is_missing",
    "krippendorff_alpha",
    "mean_squares",
    "na_rates",
    "percent_agreement",
    "pivot",
    "report_for_table",
]


def _pairable_reason(table: RatingTable) -> str | None:
    return basic_reason(table) or too_few_units(len(table.pairable()))


def percent_agreement(
    table: RatingTable, *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> Stat:
    """Share of rater pairs on a unit that gave the same value, averaged over units with ≥ 2
    ratings (a proportion 0–1). Not corrected for chance: report it beside κ or α, not instead."""
    reason = _pairable_reason(table)
    pairable = table.pairable()
    if reason:
        return Stat.not_applicable(reason, len(pairable))
    counts = category_counts(pairable)
    m = counts.sum(axis=1)
    per_unit = (counts * (counts - 1)).sum(axis=1) / (m * (m - 1))
    n_units = len(per_unit)

    def replicate(indices: np.ndarray) -> np.ndarray:
        return resample_weights(indices, n_units) @ per_unit / n_units

    ci, note = bootstrap_ci(n_units, replicate, what="agreement", resamples=resamples, seed=seed)
    return Stat(float(per_unit.mean()), ci, n=n_units, note=note)


def _alpha(value_counts: np.ndarray, domain: np.ndarray, level: str) -> float:
    """α from a units × values count table via the package; NaN where it is undefined."""
    present = value_counts.sum(axis=0) > 0
    if present.sum() < 2:
        return float("nan")
    with np.errstate(all="ignore"):
        value = krippendorff.alpha(
            value_counts=value_counts[:, present],
            value_domain=domain[present],
            level_of_measurement=level,
        )
    return float(value)


def krippendorff_alpha(
    table: RatingTable, *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> Stat:
    """Krippendorff's α at the table's level, missing ratings allowed, with a bootstrap 95 % CI."""
    reason = _pairable_reason(table)
    pairable = table.pairable()
    if reason:
        return Stat.not_applicable(reason, len(pairable))
    values = pairable[~np.isnan(pairable)]
    domain = np.unique(values)
    if len(domain) < 2:
        return Stat.not_applicable(
            "every paired rating has the same value: no variation, so α is undefined "
            "(observed and expected disagreement are both 0)",
            len(pairable),
        )
    size = len(pairable) * len(domain) ** 2
    if size > _ALPHA_ELEMENTS:
        return Stat.not_applicable(
            f"too many distinct values ({len(domain)}) on {len(pairable)} units for the "
            "krippendorff package's memory use; round the values (e.g. to whole points)",
            len(pairable),
        )
    with np.errstate(all="ignore"):
        value = float(
            krippendorff.alpha(reliability_data=table.codes.T, level_of_measurement=table.level)
        )
    if not np.isfinite(value):
        return Stat.not_applicable(
            "α is undefined for these ratings (no expected disagreement)", len(pairable)
        )
    value_counts = (pairable[..., None] == domain[None, None, :]).sum(axis=1)

    def replicate(indices: np.ndarray) -> np.ndarray:
        # α depends on which units were drawn and how often, not on their order: with few units
        # many resamples repeat, so each distinct draw is computed once.
        memo: dict[bytes, float] = {}
        out = np.empty(len(indices))
        for b, idx in enumerate(indices):
            drawn = np.sort(idx)
            key = drawn.tobytes()
            if key not in memo:
                memo[key] = _alpha(value_counts[drawn], domain, table.level)
            out[b] = memo[key]
        return out

    # A resample holds about 1 − 1/e ≈ 63 % of the distinct units, hence of the values.
    if size * 0.4 * resamples > _BOOTSTRAP_WORK:
        return Stat(
            value,
            None,
            n=len(pairable),
            note=(
                f"no interval: {resamples} bootstrap resamples of {len(pairable)} units with "
                f"{len(domain)} distinct values would take too long; round the values for one"
            ),
        )
    ci, note = bootstrap_ci(len(pairable), replicate, what="α", resamples=resamples, seed=seed)
    return Stat(value, ci, n=len(pairable), note=note)


def agreement_report(
    rows: Iterable[Row],
    level: str = "interval",
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict:
    """Every statistic for ``(unit, rater, value)`` rows, as the ``stats agreement`` command
    prints it: each entry a ``Stat.as_dict()``, plus one ``interpretation`` sentence per entry.

    ``level`` applies to α and decides whether ICC (interval/ratio) and weighted κ (not nominal)
    apply; Fleiss' κ and unweighted Cohen's κ always treat values as nominal categories.
    """
    check_level(level)
    table = RatingTable.from_rows(rows, level)
    return report_for_table(table, resamples=resamples, seed=seed)


def report_for_table(
    table: RatingTable, *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> dict:
    """``agreement_report`` for an already pivoted table (e.g. one question of a session)."""
    percent = percent_agreement(table, resamples=resamples, seed=seed)
    alpha = krippendorff_alpha(table, resamples=resamples, seed=seed)
    fleiss = fleiss_kappa(table, resamples=resamples, seed=seed)
    cohen = cohen_kappas(table)
    return statistics_doc(table, percent, alpha, fleiss, cohen, icc(table))


def statistics_doc(
    table: RatingTable,
    percent: Stat,
    alpha: Stat,
    fleiss: Stat,
    cohen: dict[str, Stat],
    iccs: dict[str, Stat],
    **extra: object,
) -> dict:
    """The report document for one table's statistics, each with its interpretation; ``extra``
    keys follow ``level`` (the calibration report adds ``kappa_level``)."""
    return {
        "level": table.level,
        **extra,
        "n_units": table.n_units,
        "n_raters": table.n_raters,
        "percent_agreement": percent.as_dict(),
        "krippendorff_alpha": alpha.as_dict(),
        "fleiss_kappa": fleiss.as_dict(),
        "cohen_kappa": {w: s.as_dict() for w, s in cohen.items()},
        "icc": {f: s.as_dict() for f, s in iccs.items()},
        "interpretation": {
            "percent_agreement": interpret(percent, "percent"),
            "krippendorff_alpha": interpret(alpha, "alpha"),
            "fleiss_kappa": interpret(fleiss, "kappa"),
            "cohen_kappa": {
                w: interpret(s, "kappa", "units rated by both") for w, s in cohen.items()
            },
            "icc": {f: interpret(s, "icc") for f, s in iccs.items()},
        },
    }
