"""Student t and Fisher F quantiles for non-integer degrees of freedom, without SciPy.

Why this module exists: SciPy (with its own copy of OpenBLAS) was the largest single package in
the one-folder bundle (≈ 34 MB of the 150 MB target, issue 10), and QA Studio used it for two
functions only: ``scipy.special.stdtrit`` (planner and follow-up t intervals, whose effective
degrees of freedom are fractional) and ``scipy.special.fdtri`` (ICC intervals, whose
Satterthwaite df are fractional). Both are inverses of the regularised incomplete beta function
I_x(a, b):

* F(dfn, dfd) at probability p: x = I⁻¹_p(dfn/2, dfd/2), F = (dfd·x) / (dfn·(1 − x));
* t(df) at p > ½: x = I⁻¹_{2(1−p)}(df/2, ½), t = √(df·(1 − x)/x), and t is odd in p − ½.

How: Halley's method on the continued fraction of I_x (Numerical Recipes, 3rd ed., §6.4, with
its Abramowitz & Stegun 26.5.22 starting value), kept inside a shrinking bisection bracket, solving
for the smaller of x and 1 − x so that neither loses digits. The one place double precision is
not enough is the normalising constant ln B(a, b): for large df the three log-gammas cancel
(t with 10⁷ df loses eight digits there), so it comes from ``mpmath.loggamma`` (pure Python,
arbitrary precision) at 20 digits. Accuracy, checked against SciPy and closed forms in
``tests/domain/test_quantiles.py``: relative error below 1e-13 for df up to 10⁴ and below 1e-10
up to 10⁷ (the continued fraction's own rounding grows with df), p from 10⁻⁴ to 1 − 10⁻⁴. A call
costs 0.1–0.5 ms (about 60 µs of it the three mpmath log-gammas); results are memoised
because callers ask for the same few (p, df) over and over.

mpmath is imported on first use (≈ 70 ms) and used through a private context under a lock:
mpmath raises a context's working precision temporarily inside its functions, so two threads
must not share one context at the same time.
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache
from statistics import NormalDist
from typing import Any

_DIGITS = 20
_LOCK = threading.Lock()
_CONTEXT: list[Any] = []  # the private mpmath context, created on first use


def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with ``df`` (> 0, may be fractional or ``inf``) df."""
    if not 0 < p < 1:
        raise ValueError(f"probability must be between 0 and 1, not {p}")
    if not df > 0:
        raise ValueError(f"degrees of freedom must be above 0, not {df}")
    if p == 0.5:
        return 0.0
    if math.isinf(df):
        return NormalDist().inv_cdf(p)
    upper = _t_upper(min(p, 1 - p) * 2, float(df))
    return upper if p > 0.5 else -upper


def f_quantile(p: float, dfn: float, dfd: float) -> float:
    """The p-quantile of the F distribution with ``dfn`` and ``dfd`` (> 0, finite) df."""
    if not 0 < p < 1:
        raise ValueError(f"probability must be between 0 and 1, not {p}")
    if not (dfn > 0 and dfd > 0) or math.isinf(dfn) or math.isinf(dfd):
        raise ValueError(f"degrees of freedom must be finite and above 0, not {dfn}, {dfd}")
    return _f(float(p), float(dfn), float(dfd))


@lru_cache(maxsize=4096)
def _t_upper(two_tail: float, df: float) -> float:
    """t > 0 with P(|T| > t) = two_tail: I_x(df/2, ½) = two_tail at x = df/(df + t²)."""
    x, y = _inverse_beta_pair(two_tail, df / 2, 0.5)
    return math.sqrt(df * y / x)


@lru_cache(maxsize=4096)
def _f(p: float, dfn: float, dfd: float) -> float:
    x, y = _inverse_beta_pair(p, dfn / 2, dfd / 2)
    return dfd * x / (dfn * y)


def _inverse_beta_pair(p: float, a: float, b: float) -> tuple[float, float]:
    """x = I⁻¹_p(a, b) and 1 − x, each to nearly full double precision.

    The smaller of the two is solved for (through I_{1−x}(b, a) = 1 − I_x(a, b) when x > ½),
    so that neither loses digits to cancellation: t near 0 and huge F need 1 − x exactly.
    """
    log_norm = _log_inverse_beta_function(a, b)
    if p <= _beta_cdf(0.5, a, b, log_norm):
        x = _inverse_beta(p, a, b, log_norm)
        return x, 1 - x
    y = _inverse_beta(1 - p, b, a, log_norm)
    return 1 - y, y


def _log_inverse_beta_function(a: float, b: float) -> float:
    """−ln B(a, b) = ln Γ(a + b) − ln Γ(a) − ln Γ(b), by mpmath at 20 digits.

    In double precision the three log-gammas cancel: for a = 5·10⁶, b = ½ (t with 10⁷ df) the
    difference is 7.14 computed from terms near 7·10⁷, wrong in the ninth digit.
    """
    with _LOCK:
        if not _CONTEXT:
            import mpmath

            ctx = mpmath.MPContext()
            ctx.dps = _DIGITS
            _CONTEXT.append(ctx)
        mp = _CONTEXT[0]
        return float(mp.loggamma(a + b) - mp.loggamma(a) - mp.loggamma(b))


def _beta_cdf(x: float, a: float, b: float, log_norm: float) -> float:
    """I_x(a, b) in double precision (Numerical Recipes §6.4), ``log_norm`` = −ln B(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(log_norm + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(x, a, b) / a
    return 1 - front * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b), evaluated by the modified Lentz method."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def _start(p: float, a: float, b: float) -> float:
    """A first guess for I⁻¹_p(a, b) (Numerical Recipes ``invbetai``)."""
    if a >= 1 and b >= 1:
        pp = p if p < 0.5 else 1 - p
        t = math.sqrt(-2 * math.log(pp))
        z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
        z = -z if p < 0.5 else z
        al = (z * z - 3) / 6
        h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
        w = z * math.sqrt(al + h) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (
            al + 5 / 6 - 2 / (3 * h)
        )
        return a / (a + b * math.exp(min(2 * w, 700.0)))
    lna, lnb = math.log(a / (a + b)), math.log(b / (a + b))
    t, u = math.exp(a * lna) / a, math.exp(b * lnb) / b
    w = t + u
    if p < t / w:
        return (a * w * p) ** (1 / a)
    return 1 - (b * w * (1 - p)) ** (1 / b)


def _inverse_beta(p: float, a: float, b: float, log_norm: float) -> float:
    """I⁻¹_p(a, b) in double precision: Halley steps kept inside a shrinking bisection bracket."""
    lo, hi = 0.0, 1.0
    x = min(max(_start(p, a, b), 1e-300), 1 - 1e-16)
    for _ in range(200):
        err = _beta_cdf(x, a, b, log_norm) - p
        if err == 0:
            return x
        if err > 0:
            hi = x
        else:
            lo = x
        density = math.exp(log_norm + (a - 1) * math.log(x) + (b - 1) * math.log1p(-x))
        step = err / density if density > 0 else math.inf
        curvature = step * ((a - 1) / x - (b - 1) / (1 - x))
        step /= 1 - 0.5 * min(1.0, curvature) if math.isfinite(curvature) else 1
        if abs(step) <= 1e-14 * x:  # converged (checked first: x − step may round to x)
            return x - step if lo < x - step < hi else x
        new = x - step
        x = new if lo < new < hi else 0.5 * (lo + hi)
    return x
