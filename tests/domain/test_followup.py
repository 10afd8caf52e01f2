"""Before/after comparisons checked against published examples and hand-worked numbers.

* Welch: Student's (1908) sleep data (Cushny & Peebles 1905), the worked example of R's
  ``t.test`` help page: ``t.test(extra ~ group, data = sleep)`` gives t = −1.8608,
  df = 17.776, 95 % CI −3.3654832 to 0.2054832 for mean(group 1) − mean(group 2).
* Newcombe (1998, Stat. Med. 17:873–890) Table II, method 10 (hybrid score, no continuity
  correction): 56/70 − 48/80 → 0.0524 to 0.3339 and 9/10 − 3/10 → 0.1705 to 0.8090 (as also
  reproduced by the test suite of the R package propint, tests/testthat/
  test_Two_Independent_Props_CI.R).
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from qa_studio.domain import followup as fu

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_welch_matches_the_sleep_data_example():
    # after = group 1, before = group 2, so the difference is group 1 − group 2 as R reports it
    d = fu.welch_interval(SLEEP_2, SLEEP_1)
    assert d is not None and d.method == "welch"
    assert d.estimate == pytest.approx(-1.58)
    assert d.df == pytest.approx(17.776, abs=5e-4)
    assert d.low == pytest.approx(-3.3654832, abs=1e-7)
    assert d.high == pytest.approx(0.2054832, abs=1e-7)
    se = math.sqrt(stats.tvar(SLEEP_1) / 10 + stats.tvar(SLEEP_2) / 10)  # the t statistic R prints
    assert d.estimate / se == pytest.approx(-1.8608, abs=5e-5)


def test_welch_from_summaries_agrees_with_raw_values():
    raw = fu.welch_interval(SLEEP_2, SLEEP_1)
    n = len(SLEEP_1)
    s1 = fu.side_from_sums(n, sum(SLEEP_1), sum(v * v for v in SLEEP_1))
    s2 = fu.side_from_sums(n, sum(SLEEP_2), sum(v * v for v in SLEEP_2))
    summary = fu.welch_from_summary(s2, s1)
    assert summary is not None and raw is not None
    assert (summary.low, summary.high) == pytest.approx((raw.low, raw.high), abs=1e-9)


def test_welch_hand_worked_csat_example():
    # before 3,3,4,2,3 (mean 3.0, s² 0.5); after 4,5,4,5,4 (mean 4.4, s² 0.3)
    d = fu.welch_interval([3, 3, 4, 2, 3], [4, 5, 4, 5, 4])
    assert d is not None
    assert d.estimate == pytest.approx(1.4)
    assert d.df == pytest.approx(0.0256 / 0.0034)
    half = stats.t.ppf(0.975, 0.0256 / 0.0034) * 0.4
    assert (d.low, d.high) == pytest.approx((1.4 - half, 1.4 + half))
    assert 0.45 < d.low < 0.5 and 2.3 < d.high < 2.35


@pytest.mark.parametrize(
    ("a", "n", "b", "m", "low", "high"),
    [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090)],
)
def test_newcombe_matches_table_ii(a, n, b, m, low, high):
    d = fu.newcombe_interval(a, n, b, m)
    assert d is not None and d.method == "newcombe"
    assert d.estimate == pytest.approx(a / n - b / m)
    assert d.low == pytest.approx(low, abs=5e-5)
    assert d.high == pytest.approx(high, abs=5e-5)


def test_newcombe_stays_inside_minus_one_to_one_at_the_extremes():
    d = fu.newcombe_interval(10, 10, 0, 10)
    assert d is not None and -1 <= d.low < d.high <= 1 and d.estimate == 1.0
    assert fu.newcombe_interval(0, 0, 3, 5) is None


def test_compare_rates_gives_points_verdict_and_target():
    e = fu.compare_rates(fu.PASS_RATE, 4, 10, 9, 10, target=80)
    assert (e.before.mean, e.after.mean) == (40.0, 90.0)
    assert e.before.successes == 4 and e.after.n == 10
    raw = fu.newcombe_interval(9, 10, 4, 10)
    assert raw is not None and e.difference is not None
    assert e.difference.estimate == pytest.approx(50.0)
    assert (e.difference.low, e.difference.high) == pytest.approx((100 * raw.low, 100 * raw.high))
    assert e.verdict == fu.IMPROVED and e.target_met is True and e.enough
    missed = fu.compare_rates(fu.PASS_RATE, 4, 10, 9, 10, target=95)
    assert missed.target_met is False


def test_too_few_to_tell_below_the_minimum_on_either_side():
    e = fu.compare_rates(fu.PASS_RATE, 4, 10, 4, 4, target=80)
    assert e.verdict == fu.TOO_FEW and e.target_met is None and e.difference is None
    assert e.after.mean == 100.0  # the counts are still shown
    assert e.as_dict()["verdict_text"] == "too few to tell"
    means = fu.compare_means(fu.CSAT, fu.summarise([4] * 5), fu.summarise([5, 5]), target=4.5)
    assert means.verdict == fu.TOO_FEW and not means.enough
    assert fu.compare_means(fu.CSAT, fu.summarise([4] * 3), fu.summarise([5] * 3), min_n=3).enough


def test_the_target_needs_only_enough_results_after_the_session():
    # one answer before the session: no verdict on the change, but 1 of 10 after misses 80 %
    e = fu.compare_rates(fu.PASS_RATE, 0, 1, 1, 10, target=80)
    assert e.verdict == fu.TOO_FEW and e.difference is None and e.target_met is False
    m = fu.compare_means(fu.AHT, fu.summarise([400]), fu.summarise([300] * 5), target=350)
    assert m.verdict == fu.TOO_FEW and m.target_met is True


def test_lower_is_better_for_handle_time():
    e = fu.compare_means(
        fu.AHT,
        fu.summarise([400, 420, 380, 410, 390]),
        fu.summarise([300, 310, 290, 305, 295]),
        target=350,
    )
    assert e.difference is not None and e.difference.high < 0
    assert e.verdict == fu.IMPROVED and e.target_met is True
    worse = fu.compare_means(
        fu.AHT,
        fu.summarise([300, 310, 290, 305, 295]),
        fu.summarise([400, 420, 380, 410, 390]),
        target=350,
    )
    assert worse.verdict == fu.WORSE and worse.target_met is False


def test_no_clear_change_when_the_interval_straddles_zero():
    e = fu.compare_rates(fu.PASS_RATE, 5, 10, 6, 10)
    assert e.verdict == fu.NO_CLEAR_CHANGE and e.target_met is None


def test_identical_values_give_a_point_interval():
    d = fu.welch_interval([80.0] * 5, [90.0] * 5)
    assert d is not None and d.low == d.high == d.estimate == 10.0 and d.df is None
    e = fu.compare_means(fu.QA_SCORE, fu.summarise([80.0] * 5), fu.summarise([90.0] * 5))
    assert e.verdict == fu.IMPROVED


def test_sums_with_rounding_never_give_a_negative_variance():
    side = fu.side_from_sums(3, 3 * 0.1, 3 * 0.1 * 0.1 - 1e-18)
    assert side.sd == 0.0 and side.mean == pytest.approx(0.1)
    assert fu.side_from_sums(0, None, None).mean is None


@pytest.mark.parametrize(
    ("metric", "target", "ok"),
    [
        ("pass_rate", 80, True),
        ("pass_rate", 120, False),
        ("csat", 4.2, True),
        ("csat", 6, False),
        ("aht", 360, True),
        ("aht", 0, False),
        ("fcr", float("nan"), False),
        ("nps", 5, False),
    ],
)
def test_targets_are_checked_per_metric(metric, target, ok):
    problem = fu.check_target(metric, target)
    assert (problem is None) is ok
    if not ok:
        assert metric in problem or "target" in problem
