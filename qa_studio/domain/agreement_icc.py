"""The six intraclass correlations of Shrout & Fleiss (1979) with their F-based 95 % intervals.

Why six: whether evaluators are a sample of all possible evaluators (ICC2) or the only ones that
matter (ICC3), whether each unit may have had different evaluators (ICC1), and whether a single
evaluator's score or the mean of k is what gets used (…k) all change the number. All six come
from one two-way ANOVA of the complete units × raters matrix:

    BMS  between-targets mean square          (n − 1 df)
    WMS  within-target mean square            (n(k − 1) df)
    JMS  between-judges (raters) mean square  (k − 1 df)
    EMS  residual mean square                 ((n − 1)(k − 1) df)

Intervals follow Shrout & Fleiss (1979) Table 4 and McGraw & Wong (1996), as implemented by R
``psych::ICC``; ICC2's uses Satterthwaite's approximate degrees of freedom. F quantiles come from
``quantiles.f_quantile``, which accepts the non-integer df that approximation produces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa_studio.domain.agreement_data import RatingTable, Stat, basic_reason, too_few_units
from qa_studio.domain.quantiles import f_quantile

ICC_FORMS: tuple[str, ...] = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
_Q = 0.975  # upper quantile for a two-sided 95 % interval


@dataclass(frozen=True)
class MeanSquares:
    """The ANOVA of a complete n (units) × k (raters) matrix."""

    n: int
    k: int
    bms: float
    wms: float
    jms: float
    ems: float
    total_ss: float


def mean_squares(matrix: np.ndarray | list) -> MeanSquares:
    """Mean squares of a complete matrix (rows = units/targets, columns = raters/judges)."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or np.isnan(x).any():
        raise ValueError("mean squares need a complete two-dimensional matrix")
    n, k = x.shape
    if n < 2 or k < 2:
        raise ValueError("mean squares need at least two units and two raters")
    grand = x.mean()
    ss_total = float(((x - grand) ** 2).sum())
    ss_rows = float(k * ((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = float(n * ((x.mean(axis=0) - grand) ** 2).sum())
    ss_error = max(ss_total - ss_rows - ss_cols, 0.0)
    ss_within = max(ss_total - ss_rows, 0.0)
    return MeanSquares(
        n=n,
        k=k,
        bms=ss_rows / (n - 1),
        wms=ss_within / (n * (k - 1)),
        jms=ss_cols / (k - 1),
        ems=ss_error / ((n - 1) * (k - 1)),
        total_ss=ss_total,
    )


def _f_quantile(dfn: float, dfd: float) -> float:
    return f_quantile(_Q, dfn, dfd)


def _ratio(num: float, den: float, scale: float) -> float | None:
    """num / den, or None when the denominator is zero up to rounding (relative to ``scale``)."""
    if abs(den) <= 1e-12 * scale:
        return None
    return num / den


def _icc_values(ms: MeanSquares, scale: float) -> dict[str, float | None]:
    n, k, bms, wms, jms, ems = ms.n, ms.k, ms.bms, ms.wms, ms.jms, ms.ems
    return {
        "ICC1": _ratio(bms - wms, bms + (k - 1) * wms, scale),
        "ICC2": _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n, scale),
        "ICC3": _ratio(bms - ems, bms + (k - 1) * ems, scale),
        "ICC1k": _ratio(bms - wms, bms, scale),
        "ICC2k": _ratio(bms - ems, bms + (jms - ems) / n, scale),
        "ICC3k": _ratio(bms - ems, bms, scale),
    }


def _intervals(
    ms: MeanSquares, icc2: float | None, scale: float
) -> dict[str, tuple[float, float] | None]:
    """F-based 95 % limits; None for a form whose F ratio is undefined (a zero mean square)."""
    n, k, bms, wms, jms, ems = ms.n, ms.k, ms.bms, ms.wms, ms.jms, ms.ems
    out: dict[str, tuple[float, float] | None] = dict.fromkeys(ICC_FORMS)
    f1 = _ratio(bms, wms, scale)
    if f1 is not None and f1 > 0:
        df_n, df_d = n - 1, n * (k - 1)
        lo_f, hi_f = f1 / _f_quantile(df_n, df_d), f1 * _f_quantile(df_d, df_n)
        out["ICC1"] = ((lo_f - 1) / (lo_f + k - 1), (hi_f - 1) / (hi_f + k - 1))
        out["ICC1k"] = (1 - 1 / lo_f, 1 - 1 / hi_f)
    f3 = _ratio(bms, ems, scale)
    if f3 is not None and f3 > 0:
        df_n, df_d = n - 1, (n - 1) * (k - 1)
        lo_f, hi_f = f3 / _f_quantile(df_n, df_d), f3 * _f_quantile(df_d, df_n)
        out["ICC3"] = ((lo_f - 1) / (lo_f + k - 1), (hi_f - 1) / (hi_f + k - 1))
        out["ICC3k"] = (1 - 1 / lo_f, 1 - 1 / hi_f)
    fj = _ratio(jms, ems, scale)
    if fj is not None and icc2 is not None:
        a = n * (1 + (k - 1) * icc2) - k * icc2
        v_num = (k - 1) * (n - 1) * (k * icc2 * fj + a) ** 2
        v_den = (n - 1) * k**2 * icc2**2 * fj**2 + a**2
        v = _ratio(v_num, v_den, 1.0)
        if v is not None and v > 0:
            f_u, f_l = _f_quantile(n - 1, v), _f_quantile(v, n - 1)
            spread = k * jms + (k * n - k - n) * ems
            lo = _ratio(n * (bms - f_u * ems), f_u * spread + n * bms, scale)
            hi = _ratio(n * (f_l * bms - ems), spread + n * f_l * bms, scale)
            if lo is not None and hi is not None:
                out["ICC2"] = (lo, hi)
                # Spearman-Brown to the mean of k raters; a single-rater limit at or below
                # −1/(k−1) has no finite mean-of-k counterpart (the limit is unbounded).
                if min(1 + lo * (k - 1), 1 + hi * (k - 1)) > 1e-12:
                    out["ICC2k"] = (lo * k / (1 + lo * (k - 1)), hi * k / (1 + hi * (k - 1)))
    return out


def icc_matrix(matrix: np.ndarray | list) -> dict[str, Stat]:
    """All six forms for a complete n × k matrix (rows units, columns raters)."""
    x = np.asarray(matrix, dtype=float)
    n = x.shape[0] if x.ndim == 2 else 0
    if x.ndim != 2 or np.isnan(x).any():
        return _all("ICC needs a complete units × raters matrix", n)
    reason = too_few_units(n, "units") or (
        None if x.shape[1] >= 2 else f"needs at least two raters; found {x.shape[1]}"
    )
    if reason:
        return _all(reason, n)
    ms = mean_squares(x)
    if ms.total_ss <= 0.0:
        return _all("every rating is the same: no variance, so the ICC is undefined", n)
    scale = ms.total_ss / (n * ms.k - 1)  # the total variance: what "zero" is measured against
    values = _icc_values(ms, scale)
    cis = _intervals(ms, values["ICC2"], scale)
    out: dict[str, Stat] = {}
    for form in ICC_FORMS:
        value = values[form]
        if value is None:
            out[form] = Stat.not_applicable(
                "undefined: its ANOVA denominator is zero (no variation between units and no "
                "residual variation)",
                n,
            )
            continue
        ci = cis[form]
        if ci is not None and not (np.isfinite(ci).all() and ci[0] <= ci[1] + 1e-12):
            ci = None  # limits from degenerate F quantiles (e.g. no variation between units)
        note = (
            "95 % CI: F distribution (Shrout & Fleiss 1979; McGraw & Wong 1996), "
            f"n = {n} units, k = {ms.k} raters"
        )
        if ci is None:
            note = (
                "no interval: its F-based limits are undefined here (a zero mean square, no "
                "variation between units, or a single-rater limit below -1/(k-1) for a mean "
                "of k raters)"
            )
        out[form] = Stat(value, ci, n=n, note=note)
    return out


def icc(table: RatingTable) -> dict[str, Stat]:
    """The six ICCs of a rating table; complete interval/ratio data only."""
    reason = basic_reason(table)
    if reason:
        return _all(reason, 0)
    if table.level not in ("interval", "ratio"):
        return _all(
            f"ICC needs numeric ratings at interval or ratio level; level is {table.level}",
            table.n_units,
        )
    if not table.complete:
        missing = int(np.isnan(table.codes).sum())
        return _all(
            f"ICC needs every rater to rate every unit: {missing} of {table.codes.size} "
            "unit × rater ratings are missing (Krippendorff's α handles missing ratings)",
            table.n_units,
        )
    return icc_matrix(table.codes)


def _all(reason: str, n: int) -> dict[str, Stat]:
    return {form: Stat.not_applicable(reason, n) for form in ICC_FORMS}
