"""Cohen's κ (two raters; unweighted, linear and quadratic weights) and Fleiss' κ (many raters).

Cohen (1960) corrects two raters' agreement for the agreement their own category frequencies
would give by chance; Cohen (1968) weights near misses, which matters for ordered answers such as
"met / partly met / not met". The interval is the large-sample one of Fleiss, Cohen & Everitt
(1969) — the formula SAS PROC FREQ and most textbooks print — so our numbers can be checked
against theirs. Categories are those either rater used on the units both rated, in numeric order
when every value is a number, else sorted; the weights use the categories' positions, as in
Cohen (1968), R ``irr::kappa2`` and ``vcd::Kappa``.

Fleiss (1971) generalises Scott's π to any number of raters when every unit has the same number
of ratings; categories are nominal. Fleiss gave only a standard error under "no agreement", which
is a test, not an interval, so the interval here is a bootstrap over units.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from qa_studio.domain.agreement_data import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    RatingTable,
    Stat,
    basic_reason,
    bootstrap_ci,
    category_counts,
    resample_weights,
    too_few_units,
)

Weights = Literal["unweighted", "linear", "quadratic"]
WEIGHTS: tuple[Weights, ...] = ("unweighted", "linear", "quadratic")
#: Two-sided 95 % normal quantile.
Z95 = 1.959963984540054
_EPS = 1e-12


def agreement_weights(k: int, weights: Weights) -> np.ndarray:
    """k × k agreement weights: 1 on the diagonal, falling with distance between positions."""
    if weights not in WEIGHTS:
        raise ValueError(f"unknown weights {weights!r}; use one of {WEIGHTS}")
    i, j = np.indices((k, k))
    if weights == "unweighted" or k < 2:
        return (i == j).astype(float)
    distance = np.abs(i - j) / (k - 1)
    return 1.0 - (distance if weights == "linear" else distance**2)


def cohen_kappa_table(table: np.ndarray | list, weights: Weights = "unweighted") -> Stat:
    """κ from a k × k table of counts (rows rater 1, columns rater 2, categories in order).

    CI: κ ± 1.96·SE with the non-null large-sample variance of Fleiss, Cohen & Everitt (1969)::

        var = [Σ p_ij (w_ij − (w̄_i. + w̄_.j)(1 − κ))² − (κ − p_e(1 − κ))²] / (n (1 − p_e)²)
    """
    counts = np.asarray(table, dtype=float)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError("Cohen's κ needs a square table of counts")
    n = float(counts.sum())
    n_int = round(n)
    if n_int < 2:
        return Stat.not_applicable(
            f"needs at least 2 units rated by both raters; found {n_int}", n_int
        )
    k = counts.shape[0]
    used = (counts.sum(axis=0) + counts.sum(axis=1)) > 0
    if used.sum() < 2:
        return Stat.not_applicable(
            "both raters put every unit in the same category: no variation, so κ is undefined",
            n_int,
        )
    w = agreement_weights(k, weights)
    p = counts / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    p_o = float((w * p).sum())
    p_e = float((w * np.outer(rows, cols)).sum())
    if 1.0 - p_e <= _EPS:
        return Stat.not_applicable("chance agreement is 100 %, so κ is undefined", n_int)
    kappa = (p_o - p_e) / (1.0 - p_e)
    w_row = w @ cols  # w̄_i.
    w_col = rows @ w  # w̄_.j
    spread = (w - (w_row[:, None] + w_col[None, :]) * (1.0 - kappa)) ** 2
    var = ((p * spread).sum() - (kappa - p_e * (1.0 - kappa)) ** 2) / (n * (1.0 - p_e) ** 2)
    se = float(np.sqrt(max(var, 0.0)))
    lo, hi = kappa - Z95 * se, kappa + Z95 * se
    note = f"95 % CI: large-sample SE {se:.4f} (Fleiss, Cohen & Everitt 1969)"
    if lo < -1.0 or hi > 1.0:
        lo, hi = max(lo, -1.0), min(hi, 1.0)
        note += "; limits clipped to κ's range −1 to 1"
    return Stat(kappa, (lo, hi), n=n_int, note=note)


def cohen_kappa(table: RatingTable, weights: Weights = "unweighted") -> Stat:
    """Cohen's κ between the table's two raters over the units both rated."""
    reason = basic_reason(table)
    if reason:
        return Stat.not_applicable(reason)
    if table.n_raters != 2:
        return Stat.not_applicable(
            f"Cohen's κ is for exactly two raters; found {table.n_raters} "
            "(see Fleiss' κ and Krippendorff's α)"
        )
    if weights != "unweighted" and table.level == "nominal":
        return Stat.not_applicable(
            "weighted κ needs ordered categories; at nominal level they have no order "
            "(use ordinal, interval or ratio level)"
        )
    both = table.codes[~np.isnan(table.codes).any(axis=1)]
    reason = too_few_units(len(both), "units rated by both raters")
    if reason:
        return Stat.not_applicable(reason, len(both))
    categories, coded = np.unique(both, return_inverse=True)
    coded = coded.reshape(both.shape)
    k = len(categories)
    counts = np.zeros((k, k))
    np.add.at(counts, (coded[:, 0], coded[:, 1]), 1.0)
    return cohen_kappa_table(counts, weights)


def cohen_kappas(table: RatingTable) -> dict[str, Stat]:
    """``{"unweighted": …, "linear": …, "quadratic": …}``."""
    return {w: cohen_kappa(table, w) for w in WEIGHTS}


def _fleiss_from_counts(counts: np.ndarray) -> tuple[float | None, str | None]:
    m = counts.sum(axis=1)[0]
    n_units = counts.shape[0]
    p_units = ((counts**2).sum(axis=1) - m) / (m * (m - 1))
    p_bar = p_units.mean()
    p_cat = counts.sum(axis=0) / (n_units * m)
    p_e = float((p_cat**2).sum())
    if 1.0 - p_e <= _EPS:
        return None, (
            "every rating is in the same category: no variation, so Fleiss' κ is undefined"
        )
    return float((p_bar - p_e) / (1.0 - p_e)), None


def fleiss_kappa_counts(
    counts: np.ndarray | list, *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> Stat:
    """Fleiss' κ from a units × categories table of counts (each row sums to the raters per unit)."""
    c = np.asarray(counts, dtype=float)
    if c.ndim != 2:
        raise ValueError("Fleiss' κ needs a units × categories table of counts")
    n_units = c.shape[0]
    reason = too_few_units(n_units, "units")
    if reason:
        return Stat.not_applicable(reason, n_units)
    per_unit = c.sum(axis=1)
    if per_unit.min() != per_unit.max():
        return Stat.not_applicable(
            "Fleiss' κ needs the same number of ratings on every unit; found between "
            f"{int(per_unit.min())} and {int(per_unit.max())} (Krippendorff's α handles this)",
            n_units,
        )
    m = per_unit[0]
    if m < 2:
        return Stat.not_applicable(f"needs at least two ratings per unit; found {int(m)}", n_units)
    kappa, why = _fleiss_from_counts(c)
    if kappa is None:
        return Stat.not_applicable(why or "undefined", n_units)

    p_units = ((c**2).sum(axis=1) - m) / (m * (m - 1))

    def replicate(indices: np.ndarray) -> np.ndarray:
        weights = resample_weights(indices, n_units)
        p_bar = weights @ p_units / n_units
        p_cat = weights @ c / (n_units * m)
        p_e = (p_cat**2).sum(axis=1)
        out = np.full(len(p_e), np.nan)
        ok = 1.0 - p_e > _EPS
        out[ok] = (p_bar[ok] - p_e[ok]) / (1.0 - p_e[ok])
        return out

    ci, note = bootstrap_ci(n_units, replicate, what="κ", resamples=resamples, seed=seed)
    return Stat(kappa, ci, n=n_units, note=note)


def fleiss_kappa(
    table: RatingTable, *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> Stat:
    """Fleiss' κ over the table's units, every value treated as a nominal category."""
    reason = basic_reason(table)
    if reason:
        return Stat.not_applicable(reason)
    return fleiss_kappa_counts(category_counts(table.codes), resamples=resamples, seed=seed)
