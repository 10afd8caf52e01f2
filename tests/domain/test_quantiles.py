"""t and F quantiles against printed tables, closed forms and SciPy (a test-only oracle).

The run time no longer ships SciPy (bundle size, issue 10); these tests hold the replacement to
what SciPy's ``stdtrit``/``fdtri`` gave, including the fractional degrees of freedom the planner
(effective sample sizes, Welch) and the ICC intervals (Satterthwaite) produce.
"""

from __future__ import annotations

import itertools
import math
import threading

import pytest
from scipy import special

from qa_studio.domain.quantiles import f_quantile, t_quantile


@pytest.mark.parametrize(
    ("p", "df", "table"),
    [
        # NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2 "Critical Values of the
        # Student's t Distribution" (upper-tail α = 0.025, 0.05, 0.01, 0.005; ν = ∞ row).
        (0.975, 10, 2.228),
        (0.95, 1, 6.314),
        (0.99, 20, 2.528),
        (0.995, 5, 4.032),
        (0.975, math.inf, 1.960),
        (0.975, 1e7, 1.960),
    ],
)
def test_t_matches_the_nist_table(p, df, table):
    assert t_quantile(p, df) == pytest.approx(table, abs=5e-4)
    assert t_quantile(1 - p, df) == pytest.approx(-table, abs=5e-4)


@pytest.mark.parametrize(
    ("p", "dfn", "dfd", "table"),
    [
        # NIST/SEMATECH e-Handbook, §1.3.6.7.3 "Upper Critical Values of the F Distribution"
        # (α = 0.05, 0.01 and 0.10 tables).
        (0.95, 5, 10, 3.326),
        (0.99, 3, 20, 4.938),
        (0.90, 4, 12, 2.480),
        (0.95, 1, 1, 161.448),
        # The 2.5 % point printed in standard F tables (not in the NIST handbook).
        (0.975, 3, 20, 3.859),
    ],
)
def test_f_matches_the_tables(p, dfn, dfd, table):
    assert f_quantile(p, dfn, dfd) == pytest.approx(table, abs=5e-4)


def test_closed_forms_to_full_precision():
    for p in (0.5000001, 0.6, 0.975, 0.999, 0.0001):
        # Cauchy (t with 1 df): tan(π(p − ½)); t with 2 df: (2p − 1)/√(2p(1 − p)).
        assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-12)
        two = (2 * p - 1) / math.sqrt(2 * p * (1 - p))
        assert t_quantile(p, 2) == pytest.approx(two, rel=1e-12)
        # F(2, 2) has CDF x/(1 + x); F(1, ν) is t(ν) squared.
        assert f_quantile(p, 2, 2) == pytest.approx(p / (1 - p), rel=1e-12)
        for df in (3.7, 41.0):
            t = t_quantile((1 + p) / 2, df)
            assert f_quantile(p, 1, df) == pytest.approx(t * t, rel=1e-11)
    assert t_quantile(0.5, 7.3) == 0.0


T_DF = (0.3, 0.75, 1, 1.5, 2, 2.7, 4.2, 7.5, 10, 13.3, 29.6, 100, 333.3, 1e4, 1e6)
P = (0.001, 0.025, 0.05, 0.55, 0.75, 0.9, 0.95, 0.975, 0.99, 0.9999)


def test_t_agrees_with_scipy_including_fractional_df():
    worst = max(
        abs(t_quantile(p, df) / float(special.stdtrit(df, p)) - 1)
        for df, p in itertools.product(T_DF, P)
    )
    assert worst < 1e-9


def test_f_agrees_with_scipy_including_fractional_df():
    dfs = (0.5, 1, 1.7, 3, 4.5, 8, 12.4, 37.9, 120, 1e4)
    worst = max(
        abs(f_quantile(p, m, n) / float(special.fdtri(m, n, p)) - 1)
        for m, n, p in itertools.product(dfs, dfs, (0.025, 0.05, 0.5, 0.95, 0.975, 0.999))
    )
    assert worst < 1e-9


def test_threads_get_the_same_answers():
    """mpmath's working precision is shared per context: concurrent callers must not mix."""
    cases = [(0.975, 3 + i / 7, 11 + i / 3) for i in range(12)]
    expected = [float(special.fdtri(m, n, p)) for p, m, n in cases]
    results: dict[int, list[float]] = {}

    def work(slot: int) -> None:
        results[slot] = [f_quantile(p, m + slot * 1e-3, n) for p, m, n in cases]

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for slot in range(3):
        for got, (p, m, n) in zip(results[slot], cases, strict=True):
            assert got == pytest.approx(float(special.fdtri(m + slot * 1e-3, n, p)), rel=1e-9)
    assert [f_quantile(p, m, n) for p, m, n in cases] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: t_quantile(0, 5), "probability"),
        (lambda: t_quantile(1.2, 5), "probability"),
        (lambda: t_quantile(0.9, 0), "degrees of freedom"),
        (lambda: t_quantile(0.9, math.nan), "degrees of freedom"),
        (lambda: f_quantile(0.9, 0, 5), "degrees of freedom"),
        (lambda: f_quantile(0.9, 3, math.inf), "degrees of freedom"),
        (lambda: f_quantile(1.0, 3, 5), "probability"),
    ],
)
def test_bad_arguments_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
