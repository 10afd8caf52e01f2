"""Input a statistic cannot measure: a null value and a reason, never a crash, NaN or a number
that looks meaningful. Also the invariants of ``Stat`` and of the bootstrap."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from qa_studio.domain.agreement import (
    LEVELS,
    RatingTable,
    Stat,
    agreement_report,
    cohen_kappa_table,
    fleiss_kappa_counts,
    icc_matrix,
    krippendorff_alpha,
    percent_agreement,
)
from qa_studio.errors import DataRefused


def every_stat(report: dict) -> dict[str, dict]:
    flat = {
        "percent_agreement": report["percent_agreement"],
        "krippendorff_alpha": report["krippendorff_alpha"],
        "fleiss_kappa": report["fleiss_kappa"],
    }
    flat |= {f"cohen_{k}": v for k, v in report["cohen_kappa"].items()}
    flat |= {f"icc_{k}": v for k, v in report["icc"].items()}
    return flat


def assert_clean(report: dict) -> None:
    """JSON without NaN/inf; every entry either a finite value or a reason."""
    json.dumps(report, allow_nan=False)
    for name, doc in every_stat(report).items():
        assert (doc["value"] is None) == (doc["reason"] is not None), name
        if doc["value"] is None:
            assert doc["ci95"] is None and doc["reason"].strip(), name
        else:
            assert math.isfinite(doc["value"]), name


ONE_RATER = [("c1", "Ann", 3), ("c2", "Ann", 4), ("c3", "Ann", 5)]
ONE_UNIT = [("c1", "Ann", 3), ("c1", "Bob", 4), ("c1", "Cy", 5)]
IDENTICAL = [(f"c{u}", r, 4) for u in range(5) for r in ("Ann", "Bob")]
ALL_MISSING = [(f"c{u}", r, v) for u in range(3) for r in ("Ann", "Bob") for v in (None,)]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (ONE_RATER, "at least two raters"),
        (ONE_UNIT, "at least 2"),
        (ALL_MISSING, "every value is missing"),
        ([], "every value is missing"),
    ],
)
def test_degenerate_input_gives_reasons_for_every_statistic(rows, expected, level):
    report = agreement_report(rows, level)
    assert_clean(report)
    for name, doc in every_stat(report).items():
        assert doc["value"] is None, name
        assert doc["reason"], name
    assert expected in report["krippendorff_alpha"]["reason"]
    assert expected in report["icc"]["ICC2"]["reason"] or level in ("nominal", "ordinal")


@pytest.mark.parametrize("level", LEVELS)
def test_identical_values_leave_chance_corrected_statistics_undefined(level):
    """Percent agreement is truly 1 (every pair agrees); α, κ and ICC divide by a variation
    that is zero, so they have no value and say so."""
    report = agreement_report(IDENTICAL, level)
    assert_clean(report)
    assert report["percent_agreement"]["value"] == 1.0
    assert "same value" in report["krippendorff_alpha"]["reason"]
    assert "same category" in report["fleiss_kappa"]["reason"]
    assert "same category" in report["cohen_kappa"]["unweighted"]["reason"]
    if level in ("interval", "ratio"):
        for form in report["icc"].values():
            assert "no variance" in form["reason"]


def test_reports_name_the_reason_a_statistic_does_not_apply():
    unequal = [
        ("c1", "A", 1),
        ("c1", "B", 2),
        ("c1", "C", 2),
        ("c2", "A", 1),
        ("c2", "B", 1),
        ("c3", "A", 2),
        ("c3", "B", 1),
        ("c3", "C", 2),
    ]
    report = agreement_report(unequal, "interval")
    assert_clean(report)
    assert "same number of ratings" in report["fleiss_kappa"]["reason"]
    assert "exactly two raters" in report["cohen_kappa"]["linear"]["reason"]
    assert "every rater to rate every unit" in report["icc"]["ICC1"]["reason"]
    assert report["krippendorff_alpha"]["value"] is not None
    nominal = agreement_report([(u, r, v) for u, r, v in unequal if r != "C"], "nominal")
    assert nominal["cohen_kappa"]["unweighted"]["value"] is not None
    assert "ordered categories" in nominal["cohen_kappa"]["quadratic"]["reason"]
    assert "interval or ratio" in nominal["icc"]["ICC3"]["reason"]


def test_icc_forms_with_a_zero_denominator_are_null_not_nan():
    """Rater A always 5, rater B always 7: no variation between units and none left over —
    ICC3 (consistency) is 0/0; ICC1 and ICC2 are still defined."""
    out = icc_matrix([[5, 7], [5, 7], [5, 7]])
    assert out["ICC3"].value is None and "denominator is zero" in out["ICC3"].reason
    assert out["ICC3k"].value is None and out["ICC1k"].value is None
    assert out["ICC2"].value == pytest.approx(0.0, abs=1e-12)
    assert out["ICC1"].value == pytest.approx(-1.0, abs=1e-12)
    assert out["ICC1"].ci95 is None and "no interval" in out["ICC1"].note


def test_kappa_tables_that_cannot_measure_agreement():
    assert "found 1" in cohen_kappa_table([[1, 0], [0, 0]]).reason
    assert "same category" in cohen_kappa_table([[9, 0], [0, 0]]).reason
    assert "at least 2 units" in fleiss_kappa_counts([[3, 0]]).reason
    assert "two ratings per unit" in fleiss_kappa_counts([[1, 0], [0, 1]]).reason


def test_alpha_bootstrap_skips_resamples_where_alpha_is_undefined():
    """Two units on which both raters agree on 1 and one with 1 vs 2: a resample drawing only
    the agreeing units has no variation; those are skipped and counted."""
    table = RatingTable.from_matrix([[1, 1], [1, 1], [1, 2]], "nominal")
    stat = krippendorff_alpha(table)
    assert stat.value is not None
    assert "skipped (undefined α)" in stat.note
    used = int(stat.note.split(", ")[2].split()[0])
    assert 500 <= used < 1000  # P(no draw of unit 3) = (2/3)³ ≈ 0.30


def test_bootstrap_replicate_on_the_original_units_equals_the_estimate():
    """The bootstrap calls the package with value counts; on the unresampled units that must
    give the α the package computes from the reliability matrix."""
    from qa_studio.domain import agreement

    rows = [[1, 2, None], [3, 3, 4], [2, 2, 2], [5, 4, 5], [None, 1, 1]]
    for level in LEVELS:
        table = RatingTable.from_matrix(rows, level)
        pairable = table.pairable()
        domain = np.unique(pairable[~np.isnan(pairable)])
        counts = (pairable[..., None] == domain).sum(axis=1)
        assert agreement._alpha(counts, domain, level) == pytest.approx(
            krippendorff_alpha(table).value, abs=1e-12
        )


def test_percent_agreement_interval_is_reproducible():
    table = RatingTable.from_matrix([[1, 1], [1, 2], [2, 2], [3, 1]], "nominal")
    assert percent_agreement(table).ci95 == percent_agreement(table).ci95


def test_stat_refuses_nan_and_mixed_states():
    with pytest.raises(ValueError):
        Stat(float("nan"))
    with pytest.raises(ValueError):
        Stat(None)
    with pytest.raises(ValueError):
        Stat(0.5, reason="both")
    with pytest.raises(ValueError):
        Stat(None, (0.1, 0.2), reason="no value")
    stat = Stat(np.float64(0.5), (0.1, 0.9), n=4, note="x")
    assert type(stat.value) is float
    assert Stat.from_dict(stat.as_dict()) == stat
    assert stat.as_dict() == {"value": 0.5, "ci95": [0.1, 0.9], "reason": None, "n": 4, "note": "x"}


def test_rows_are_pivoted_and_coded():
    table = RatingTable.from_rows(
        [
            ("c1", "Ann", "10"),
            ("c1", "Bob", 9),
            ("c2", "Ann", "NA"),
            ("c2", "Bob", " 2 "),
            ("c1", "Ann", 10.0),
            ("c3", "Cy", None),
        ],
        "ordinal",
    )
    assert table.units == ("c1", "c2") and table.raters == ("Ann", "Bob")
    assert table.categories == (2.0, 9.0, 10.0)  # numeric order, not text order
    assert np.array_equal(table.codes, [[2, 1], [np.nan, 0]], equal_nan=True)
    text = RatingTable.from_rows([("c1", "A", "yes"), ("c1", "B", 1), ("c2", "A", "no")], "nominal")
    assert text.categories == ("1", "no", "yes")


def test_conflicting_and_non_numeric_rows_are_refused():
    with pytest.raises(DataRefused, match="rated twice"):
        RatingTable.from_rows([("c1", "Ann", 3), ("c1", "Ann", 4)])
    with pytest.raises(DataRefused, match="rated twice"):
        RatingTable.from_rows([("c1", "Ann", 3), ("c1", "Ann", None)])
    with pytest.raises(DataRefused, match="not a number"):
        RatingTable.from_rows([("c1", "Ann", "good")], "interval")
    with pytest.raises(DataRefused, match="negative"):
        RatingTable.from_rows([("c1", "Ann", -1)], "ratio")
    with pytest.raises(DataRefused, match="unknown level"):
        agreement_report([], "cardinal")


def test_alpha_declines_work_the_package_cannot_do_in_reasonable_memory_or_time():
    """The ``krippendorff`` package builds units × values² arrays: with hundreds of distinct
    continuous values α (or its bootstrap) is declined with a reason instead of exhausting memory."""
    many = [[u + 0.25, u + 0.5] for u in range(300)]  # 600 distinct values on 300 units
    stat = krippendorff_alpha(RatingTable.from_matrix(many, "interval"))
    assert stat.value is None and "too many distinct values (600)" in stat.reason
    some = [[u + 0.25, u + 0.5] for u in range(90)]  # 180 values: α yes, 1,000 resamples no
    stat = krippendorff_alpha(RatingTable.from_matrix(some, "interval"))
    assert stat.value == pytest.approx(1.0, abs=0.01)
    assert stat.ci95 is None and stat.note.startswith("no interval")


def test_cohen_interval_is_clipped_to_kappas_range():
    """κ ± 1.96·SE can pass 1 on small samples; κ cannot, so the limit is clipped and said so."""
    pairs = [[1, 1], [2, 2], [3, 2], [1, 1], [2, 3], [3, 3], [1, 2], [2, 2]]
    stat = cohen_kappa_table(
        [[sum(1 for a, b in pairs if (a, b) == (i, j)) for j in (1, 2, 3)] for i in (1, 2, 3)],
        "quadratic",
    )
    assert stat.value == pytest.approx(2 / 3, abs=1e-12)
    assert stat.ci95[1] == 1.0 and "clipped" in stat.note
    assert "clipped" not in cohen_kappa_table([[20, 5], [10, 15]]).note
