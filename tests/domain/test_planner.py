"""The planner against published worked examples and textbook tables."""

from __future__ import annotations

import math

import pytest

from qa_studio.domain import planner


def test_cochran_worked_examples():
    # Cochran (1977) Sampling Techniques, 3rd ed., §4.4, as reproduced by Israel (1992),
    # "Determining Sample Size", University of Florida IFAS PEOD6: p = 0.5, e = ±5 %, 95 %
    # confidence → n0 = 1.96²·0.25/0.05² = 384.16 → 385; for N = 2,000,
    # n = n0 / (1 + (n0 − 1)/N) = 323. The issue's own check: N = 1,000 → 278.
    size = planner.cochran(0.05, 0.95)
    assert size.n0 == pytest.approx(384.146, abs=1e-3)
    assert size.n == 385
    assert planner.cochran(0.05, 0.95, population=2000).n == 323
    assert planner.cochran(0.05, 0.95, population=1000).n == 278


def test_cochran_other_inputs():
    assert planner.cochran(0.05, 0.95, proportion=0.2).n0 == pytest.approx(245.85, abs=0.01)
    assert planner.cochran(0.03, 0.99).n == math.ceil(2.5758293**2 * 0.25 / 0.0009)
    assert planner.cochran(0.05, population=50).n <= 50  # never more than the population
    assert planner.cochran(0.05, population=1).n == 1
    for bad in (
        {"margin": 0},
        {"margin": 5},
        {"margin": 0.05, "confidence": 1.2},
        {"margin": 0.05, "proportion": 1.0},
        {"margin": 0.05, "population": 0},
    ):
        with pytest.raises(ValueError):
            planner.cochran(**bad)


def test_normal_and_student_quantiles_match_the_tables():
    # NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2 (upper critical values of
    # Student's t), two-sided 95 % (0.975 quantile).
    assert planner.z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    table = {1: 12.706, 2: 4.303, 5: 2.571, 10: 2.228, 30: 2.042, 120: 1.980}
    for df, value in table.items():
        assert planner.t_value(0.95, df) == pytest.approx(value, abs=5e-4)
    assert planner.t_value(0.99, 10) == pytest.approx(3.169, abs=5e-4)
    assert 2.228 < planner.t_value(0.95, 9.5) < 2.262  # fractional df lies between


def test_t_interval_of_a_small_sample():
    # 1, 2, 3, 4, 5: mean 3, s = √2.5, se = 0.7071, t(4) = 2.7764 → 3 ± 1.9632.
    ci = planner.mean_interval([1, 2, 3, 4, 5])
    assert ci.estimate == 3
    assert ci.half_width == pytest.approx(1.9632, abs=1e-4)
    assert (ci.low, ci.high) == pytest.approx((1.0368, 4.9632), abs=1e-4)
    one = planner.mean_interval([80])
    assert one.estimate == 80 and one.low is None and math.isinf(one.half_width)
    assert planner.mean_interval([]).estimate is None


def test_weighted_interval_reduces_to_the_t_interval_and_is_scale_free():
    values = [70, 85, 90, 60, 95]
    plain = planner.mean_interval(values)
    same = planner.weighted_mean_interval(values, [3.0] * 5)
    assert (same.estimate, same.half_width) == pytest.approx((plain.estimate, plain.half_width))
    a = planner.weighted_mean_interval(values, [1, 2, 1, 4, 1])
    b = planner.weighted_mean_interval(values, [10, 20, 10, 40, 10])
    assert (a.estimate, a.half_width) == pytest.approx((b.estimate, b.half_width))
    assert a.estimate == pytest.approx((70 + 170 + 90 + 240 + 95) / 9)
    assert a.n_effective == pytest.approx(81 / 23)
    with pytest.raises(ValueError):
        planner.weighted_mean_interval([1, 2], [1, 0])


def test_wilson_interval_matches_newcombe_1998():
    # Newcombe R.G. (1998) "Two-sided confidence intervals for the single proportion:
    # comparison of seven methods", Statistics in Medicine 17:857–872, Table II, method 3
    # (Wilson score interval without continuity correction).
    cases = {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0000, 0.1611),
        (1, 29): (0.0061, 0.1718),
    }
    for (k, n), (low, high) in cases.items():
        ci = planner.wilson_interval(k, n)
        assert (round(ci.low, 4), round(ci.high, 4)) == (low, high)
    assert planner.wilson_interval(0, 0).estimate is None
    with pytest.raises(ValueError):
        planner.wilson_interval(5, 4)


def test_pooled_sd_precision_and_needed_count():
    assert planner.pooled_sd([[1, 3], [10, 14], [7]]) == pytest.approx(math.sqrt(10 / 2))
    assert planner.pooled_sd([[5]]) is None
    # 4 per agent, SD 15: t(3) · 15 / 2 = 23.9 points; the fallback SD is 15.
    assert planner.precision_for(4) == pytest.approx(3.1824 * 7.5, abs=1e-3)
    assert math.isinf(planner.precision_for(1))
    n = planner.needed_per_agent(10, sd=15)
    assert planner.precision_for(n, 15) <= 10 < planner.precision_for(n - 1, 15)
    sizes = planner.per_agent_sizes({"A1": 1000, "A2": 0}, 0.05)
    assert sizes["A1"].n == 278 and sizes["A2"].n == 0


def test_agent_evidence_flags_too_wide_intervals():
    items = {
        ("A1", "Ann"): [planner.ScoredItem(p, p >= 85) for p in (80, 90, 85, 88, 86, 84)],
        ("A2", "Bo"): [planner.ScoredItem(p, p >= 85) for p in (40, 95, 70, 100)],
    }
    a1, a2 = planner.agent_evidence(items)
    assert a1.agent == "A1" and a1.passes == 4 and a1.pass_rate.n == 6
    assert not a1.not_enough_evidence and a1.mean.half_width < 10
    assert a2.not_enough_evidence
    assert planner.agent_evidence(items, max_half_width=100)[1].not_enough_evidence is False
    assert a1.as_dict()["mean"]["estimate"] == pytest.approx(85.5)
