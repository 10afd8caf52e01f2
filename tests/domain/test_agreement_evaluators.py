"""Per-evaluator deviations, N/A rates and the plain-English bands."""

from __future__ import annotations

import pytest

from qa_studio.domain.agreement import Stat, evaluator_deviations, na_rates
from qa_studio.domain.interpretation import (
    alpha_band,
    icc_band,
    interpret,
    kappa_band,
    verdict,
)

# Form percent scores on three calls; Lee is the expert, Max is lenient, Sue is harsh.
SCORES = {
    ("call1", "Lee"): 80.0,
    ("call1", "Max"): 92.0,
    ("call1", "Sue"): 70.0,
    ("call1", "Kim"): 82.0,
    ("call2", "Lee"): 60.0,
    ("call2", "Max"): 66.0,
    ("call2", "Sue"): 50.0,
    ("call2", "Kim"): 61.0,
    ("call3", "Lee"): 90.0,
    ("call3", "Max"): 99.0,
    ("call3", "Sue"): None,
    ("call3", "Kim"): 88.0,
}


def test_deviation_from_the_expert():
    out = evaluator_deviations(SCORES, expert="Lee")
    assert out["Lee"].vs_expert is None and out["Lee"].n == 3
    maxi = out["Max"].vs_expert
    assert maxi.n == 3
    assert maxi.mean_signed == pytest.approx((12 + 6 + 9) / 3)
    assert maxi.mean_absolute == pytest.approx(9.0)
    assert maxi.within_tolerance == 0.0
    sue = out["Sue"].vs_expert
    assert (sue.n, sue.mean_signed, sue.mean_absolute) == (2, -10.0, 10.0)
    kim = out["Kim"].vs_expert
    assert kim.within_tolerance == 1.0  # +2, +1, −2 all within ±5
    assert evaluator_deviations(SCORES, expert="Lee", tolerance=1.0)[
        "Kim"
    ].vs_expert.within_tolerance == pytest.approx(1 / 3)


def test_deviation_from_the_consensus_of_the_others():
    """Consensus = median of the OTHER evaluators, so nobody pulls it towards themselves."""
    out = evaluator_deviations(SCORES)
    assert all(d.vs_expert is None for d in out.values())
    # Max on call1: others 80, 70, 82 → median 80 → +12; call2: 60, 50, 61 → 60 → +6;
    # call3: 90, 88 (Sue missing) → 89 → +10.
    maxi = out["Max"].vs_consensus
    assert maxi.n == 3
    assert maxi.mean_signed == pytest.approx((12 + 6 + 10) / 3)
    # Sue on call1: others 80, 92, 82 → 82 → −12; call2: 60, 66, 61 → 61 → −11.
    assert out["Sue"].vs_consensus.mean_signed == pytest.approx(-11.5)
    assert out["Sue"].as_dict()["vs_consensus"]["within_tolerance"] == 0.0


def test_deviations_need_a_known_expert():
    with pytest.raises(ValueError, match="expert"):
        evaluator_deviations(SCORES, expert="Nobody")
    alone = evaluator_deviations({("call1", "Ann"): 50.0})
    assert alone["Ann"].vs_consensus.n == 0 and alone["Ann"].vs_consensus.mean_signed is None


def test_na_rates_flag_twice_the_colleagues_mean():
    answers = (
        [("Ann", "q1", i < 2) for i in range(4)]  # 50 %
        + [("Bob", "q1", i < 1) for i in range(4)]  # 25 %
        + [("Cy", "q1", False) for _ in range(4)]  # 0 %
        + [("Ann", "q2", False), ("Bob", "q2", True), ("Cy", "q2", False)]
    )
    out = na_rates(answers)
    ann = out["q1"]["Ann"]
    assert (ann.n, ann.n_na, ann.rate) == (4, 2, 0.5)
    assert ann.colleagues_rate == pytest.approx(0.125) and ann.flagged
    assert out["q1"]["Bob"].colleagues_rate == pytest.approx(0.25)
    assert not out["q1"]["Bob"].flagged  # 25 % vs 25 %
    assert not out["q1"]["Cy"].flagged  # no N/A at all is never a finding
    assert out["q2"]["Bob"].flagged  # the only one who sees N/A on q2
    assert out["q2"]["Bob"].as_dict()["colleagues_rate"] == 0.0
    assert not na_rates([("Ann", "q1", True)])["q1"]["Ann"].flagged  # no colleagues


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-0.01, "poor"),
        (0.0, "slight"),
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.41, "moderate"),
        (0.60, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_landis_koch_bands(value, label):
    assert kappa_band(value) == label


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.49, "poor"),
        (0.5, "moderate"),
        (0.74, "moderate"),
        (0.75, "good"),
        (0.9, "good"),
        (0.91, "excellent"),
    ],
)
def test_koo_li_bands(value, label):
    assert icc_band(value) == label


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.8, "reliable"),
        (0.79, "tentative conclusions only"),
        (0.667, "tentative conclusions only"),
        (0.666, "unreliable"),
    ],
)
def test_krippendorff_bands(value, label):
    assert alpha_band(value) == label


def test_interpretation_always_carries_n_and_the_interval_span():
    text = interpret(Stat(0.2898, (0.019, 0.761), n=6), "icc")
    assert text.startswith("0.29 (95 % CI 0.02 to 0.76): poor reliability (Koo & Li 2016)")
    assert "spans poor to good" in text and text.endswith("n = 6 units")
    missing = interpret(Stat.not_applicable("needs at least two raters; found 1", 3), "kappa")
    assert missing == "not available: needs at least two raters; found 1 (n = 3 units)"
    assert verdict(Stat(0.43, n=30), "kappa") == "moderate agreement (Landis & Koch 1977)"
    assert "not corrected for chance" in interpret(Stat(0.7, n=100), "percent")
