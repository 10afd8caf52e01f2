"""The dashboard's decisions on hand-worked numbers."""

from __future__ import annotations

import math

import pytest

from qa_studio.domain import dashboard as d


def test_pareto_shares_and_ties():
    # 5 + 3 + 1 + 1 = 10: 50 %, 30 % (80), 10 % (90), 10 % (100); ties by label; zeros dropped.
    bars = d.pareto([("b", 1), ("greet", 5), ("a", 1), ("idv", 3), ("none", 0)])
    assert [(b.label, b.share, b.cumulative) for b in bars] == [
        ("greet", 50.0, 50.0), ("idv", 30.0, 80.0), ("a", 10.0, 90.0), ("b", 10.0, 100.0),
    ]  # fmt: skip
    assert d.pareto([]) == []


def test_pearson_with_fisher_interval():
    # x = 1…10, y = pairs swapped (1,3,2,5,4,7,6,9,8,10): Σxy = 381, n·x̄·ȳ = 302.5 → sxy 78.5;
    # sxx = syy = 82.5 → r = 78.5 / 82.5 = 0.951515. z = atanh r = ½ ln(1.951515/0.048485)
    # = ½ ln 40.25 = 1.847561; ± 1.959964/√7 = 0.740797 → tanh(1.106764) = 0.80286,
    # tanh(2.588358) = 0.98876.
    xs = list(range(1, 11))
    ys = [1, 3, 2, 5, 4, 7, 6, 9, 8, 10]
    c = d.pearson(xs, ys)
    assert c.n == 10 and c.claim is True
    assert c.r == pytest.approx(0.951515, abs=1e-6)
    assert c.low == pytest.approx(0.80286, abs=1e-4)
    assert c.high == pytest.approx(0.98876, abs=1e-4)
    assert "relationship" in c.note


def test_no_claim_below_ten_pairs():
    c = d.pearson([1, 2, 3, 4, 5, 6, 7, 8, 9], [2, 4, 5, 4, 5, 7, 8, 9, 10])
    assert c.n == 9 and c.r is not None and c.claim is False
    assert c.low is None and c.high is None and "no claim" in c.note
    assert d.pearson([1, 2], [3, 4]).r is None
    flat = d.pearson(list(range(12)), [3] * 12)
    assert flat.r is None and flat.claim is False


def test_interval_straddling_zero_is_no_evidence():
    # Alternating y against rising x: r near 0 with n = 12 → the interval contains 0.
    xs = list(range(12))
    ys = [0, 1] * 6
    c = d.pearson(xs, ys)
    assert c.claim and c.low < 0 < c.high and "no evidence" in c.note


def test_misses_direction():
    assert d.is_miss(d.AHT, 380, 360) and not d.is_miss(d.AHT, 350, 360)
    assert d.is_miss(d.QA_SCORE, 78.75, 80) and not d.is_miss(d.QA_SCORE, 80, 80)
    assert not d.is_miss(d.CSAT, None, 4.2) and not d.is_miss(d.CSAT, 3.0, None)
    misses = d.target_misses(
        [d.Actual(d.AHT, 400, 5), d.Actual(d.QA_SCORE, 70, 4), d.Actual(d.FCR, 90, 3),
         d.Actual(d.CSAT, 1.0, 0)],
        {(d.AHT, None, None): 360, (d.QA_SCORE, None, None): 80, (d.FCR, None, None): 75,
         (d.CSAT, None, None): 4},
    )  # fmt: skip
    # AHT 40 s over 360 = 11.1 %, QA 10 points under 80 = 12.5 % → QA first; CSAT n = 0 skipped.
    assert [m.metric for m in misses] == [d.QA_SCORE, d.AHT]
    assert misses[1].gap == 40 and misses[0].gap == 10


def test_mean_ci_and_evidence_flag():
    # 90, 80, 100: Σ 270, Σ² 24500 → mean 90, sd √((24500 − 3·8100)/2) = 10.
    ci = d.mean_ci(3, 270.0, 24500.0)
    assert ci.mean == 90 and ci.sd == pytest.approx(10.0)
    assert ci.half_width == pytest.approx(24.8414, abs=1e-3) and ci.enough is False
    one = d.mean_ci(1, 80.0, 6400.0)
    assert one.low is None and math.isinf(one.half_width) and not one.enough
    # 10 evaluations all 80 ± 2 (five 78, five 82): sd 2.108, half 1.508 → enough.
    tight = d.mean_ci(10, 800.0, 5 * 78**2 + 5 * 82**2)
    assert tight.enough and tight.half_width == pytest.approx(2.262157 * 2.108185 / 10**0.5,
                                                              rel=1e-4)  # fmt: skip
    assert d.mean_ci(0, None, None).mean is None


def test_median():
    assert d.median([]) is None
    assert d.median([4, 1, 3]) == 3
    assert d.median([2, 2, 4, 4]) == 3.0


@pytest.mark.parametrize(
    ("failed", "n", "over"),
    [(29, 100, False), (30, 100, False), (31, 100, True), (3, 10, False), (1, 3, True)],
)
def test_fail_rate_exceeds_threshold_exactly(failed, n, over):
    # "Exceeds 30 %": 29 % and exactly 30 % are not over, 31 % is; 3/10 is 30 % exactly.
    assert d.exceeds(failed, n, 30.0) is over


def _team(rates: list[tuple[int, int]], question: str = "q1") -> list:
    return [("Blue", f"A{i}", question, f, n) for i, (f, n) in enumerate(rates)]


def test_training_need_at_the_fail_threshold():
    # Five agents; two over 30 % = 40 % of the team → a need (at least 40 %).
    over = _team([(31, 100), (31, 100), (29, 100), (0, 100), (30, 100)])
    needs = d.training_needs(over)
    assert [(n.team, n.question, n.agents_over, n.agents_assessed) for n in needs] == [
        ("Blue", "q1", 2, 5)
    ]
    assert needs[0].share_pct == pytest.approx(40.0)
    # The same with the second agent at exactly 30 %: one of five = 20 % → no need.
    assert d.training_needs(_team([(31, 100), (30, 100), (29, 100), (0, 100), (30, 100)])) == []


def test_training_need_at_the_share_threshold():
    # 29 %, 30 %, 31 % of agents over the fail threshold against Y = 30 %.
    def team(k_over: int, size: int = 100) -> list:
        return _team([(1, 1)] * k_over + [(0, 1)] * (size - k_over))

    assert d.training_needs(team(29), agent_share_pct=30.0) == []
    assert len(d.training_needs(team(30), agent_share_pct=30.0)) == 1
    assert len(d.training_needs(team(31), agent_share_pct=30.0)) == 1
    # Agents never assessed on a question do not count toward its share.
    assert (
        d.training_needs([("Blue", "A1", "q1", 1, 1), ("Blue", "A2", "q1", 0, 0)])[0].share_pct
        == 100.0
    )


def test_validate_metric():
    assert d.validate_metric(d.CSAT) == d.CSAT
    with pytest.raises(ValueError, match="unknown metric"):
        d.validate_metric("speed")
