"""Agreement statistics against published worked examples (sources in ``agreement_data.py``).

Each test asserts the number as published (its rounding) and, where the published data determine
it, the exact value to 1e-6 — computed independently here with ``fractions.Fraction`` from the
textbook formula, so a coding slip in the module cannot hide behind a rounded comparison.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import numpy as np
import pytest

from qa_studio.domain.agreement import (
    RatingTable,
    cohen_kappa_table,
    cohen_kappas,
    fleiss_kappa,
    fleiss_kappa_counts,
    icc,
    icc_matrix,
    krippendorff_alpha,
    mean_squares,
    percent_agreement,
)
from tests.domain.agreement_data import (
    ANXIETY,
    FLEISS_1971,
    KRIPPENDORFF_2011,
    SAS_TABLE,
    SHROUT_FLEISS,
    WIKIPEDIA_ALPHA,
    WIKIPEDIA_FLEISS_COUNTS,
    WOLLSCHLAEGER_3X3,
    WOLLSCHLAEGER_6X6,
    table_to_pairs,
    transpose,
)

F = Fraction


def shown(value: float, places: int) -> str:
    return f"{value:.{places}f}"


# --- Shrout & Fleiss (1979) ------------------------------------------------------------------


def exact_mean_squares(x: list[list[int]]) -> dict[str, Fraction]:
    """BMS, WMS, JMS, EMS of Shrout & Fleiss (1979) Table 2, in exact arithmetic."""
    n, k = len(x), len(x[0])
    grand = F(sum(map(sum, x)), n * k)
    row_means = [F(sum(r), k) for r in x]
    col_means = [F(sum(r[j] for r in x), n) for j in range(k)]
    ss_total = sum((F(v) - grand) ** 2 for r in x for v in r)
    ss_rows = k * sum((m - grand) ** 2 for m in row_means)
    ss_cols = n * sum((m - grand) ** 2 for m in col_means)
    return {
        "BMS": ss_rows / (n - 1),
        "WMS": (ss_total - ss_rows) / (n * (k - 1)),
        "JMS": ss_cols / (k - 1),
        "EMS": (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1)),
    }


def exact_iccs(x: list[list[int]]) -> dict[str, Fraction]:
    ms = exact_mean_squares(x)
    n, k = len(x), len(x[0])
    b, w, j, e = ms["BMS"], ms["WMS"], ms["JMS"], ms["EMS"]
    return {
        "ICC1": (b - w) / (b + (k - 1) * w),
        "ICC2": (b - e) / (b + (k - 1) * e + k * (j - e) / n),
        "ICC3": (b - e) / (b + (k - 1) * e),
        "ICC1k": (b - w) / b,
        "ICC2k": (b - e) / (b + (j - e) / n),
        "ICC3k": (b - e) / b,
    }


def test_shrout_fleiss_mean_squares_match_table_2():
    """Shrout & Fleiss (1979) Table 2: BMS = 11.24, WMS = 6.26, JMS = 32.49, EMS = 1.02."""
    exact = exact_mean_squares(SHROUT_FLEISS)
    ms = mean_squares(SHROUT_FLEISS)
    ours = {"BMS": ms.bms, "WMS": ms.wms, "JMS": ms.jms, "EMS": ms.ems}
    published = {"BMS": "11.24", "WMS": "6.26", "JMS": "32.49", "EMS": "1.02"}
    for name, text in published.items():
        assert shown(ours[name], 2) == text
        assert ours[name] == pytest.approx(float(exact[name]), abs=1e-9)


@pytest.mark.parametrize(
    ("form", "published"),
    [
        ("ICC1", ".17"),
        ("ICC2", ".29"),
        ("ICC3", ".71"),
        ("ICC1k", ".44"),
        ("ICC2k", ".62"),
        ("ICC3k", ".91"),
    ],
)
def test_shrout_fleiss_six_iccs_match_table_2(form, published):
    """Shrout & Fleiss (1979) Table 2: ICC(1,1) .17, ICC(2,1) .29, ICC(3,1) .71, ICC(1,4) .44,
    ICC(2,4) .62, ICC(3,4) .91 — and the exact value from the Table 1 data to 1e-6."""
    stat = icc_matrix(SHROUT_FLEISS)[form]
    assert shown(stat.value, 2).lstrip("0") == published
    assert stat.value == pytest.approx(float(exact_iccs(SHROUT_FLEISS)[form]), abs=1e-6)
    assert stat.n == 6 and stat.reason is None


@pytest.mark.parametrize(
    ("form", "lower", "upper"),
    [
        ("ICC1", "-0.133", "0.72"),
        ("ICC2", "0.019", "0.76"),
        ("ICC3", "0.342", "0.95"),
        ("ICC1k", "-0.884", "0.91"),
        ("ICC2k", "0.071", "0.93"),
        ("ICC3k", "0.676", "0.99"),
    ],
)
def test_shrout_fleiss_intervals_match_psych(form, lower, upper):
    """95 % limits for the Shrout & Fleiss data as printed by R ``psych::ICC(ratings)``
    (reproduced in D. Wollschläger's RExRepos, "interRaterICC"): lower to 3, upper to 2 places."""
    lo, hi = icc_matrix(SHROUT_FLEISS)[form].ci95
    assert shown(lo, 3) == lower
    assert shown(hi, 2) == upper
    assert lo < icc_matrix(SHROUT_FLEISS)[form].value < hi


def test_anxiety_iccs_and_intervals_match_psych_to_1e6():
    """R ``psych::ICC(irr::anxiety)`` (7 significant digits), 20 subjects × 3 raters; the irr
    documentation's ``icc(anxiety, "twoway", "agreement")`` prints ICC(A,1) = 0.198 with
    95 % CI −0.039 < ICC < 0.494."""
    psych = {
        "ICC1": (0.1750225, -0.07744650, 0.4843362),
        "ICC2": (0.1979983, -0.03891068, 0.4935740),
        "ICC3": (0.2160493, -0.04625793, 0.5222590),
        "ICC1k": (0.3889259, -0.27492318, 0.7380652),
        "ICC2k": (0.4254988, -0.12658288, 0.7451493),
        "ICC3k": (0.4525861, -0.15292145, 0.7663308),
    }
    ours = icc_matrix(ANXIETY)
    for form, (value, lo, hi) in psych.items():
        assert ours[form].value == pytest.approx(value, abs=1e-6)
        assert ours[form].ci95 == pytest.approx((lo, hi), abs=1e-6)
        assert ours[form].value == pytest.approx(float(exact_iccs(ANXIETY)[form]), abs=1e-12)
    assert shown(ours["ICC2"].value, 3) == "0.198"
    assert [shown(x, 3) for x in ours["ICC2"].ci95] == ["-0.039", "0.494"]


def test_icc_from_long_rows_equals_the_matrix():
    rows = [(f"t{i}", f"j{j}", v) for i, r in enumerate(SHROUT_FLEISS) for j, v in enumerate(r)]
    from_rows = icc(RatingTable.from_rows(reversed(rows), "interval"))
    for form, stat in icc_matrix(SHROUT_FLEISS).items():
        assert from_rows[form].value == pytest.approx(stat.value, abs=1e-12)
        assert from_rows[form].ci95 == pytest.approx(stat.ci95, abs=1e-12)


# --- Krippendorff's α -------------------------------------------------------------------------


def exact_alpha(units: list[list], level: str) -> Fraction:
    """α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck from the coincidence matrix
    (Krippendorff 2011), exact. Independent of the ``krippendorff`` package."""
    pairable = [[F(v) for v in u if v is not None] for u in units]
    pairable = [u for u in pairable if len(u) >= 2]
    values = sorted({v for u in pairable for v in u})
    o: dict[tuple[Fraction, Fraction], Fraction] = defaultdict(Fraction)
    for u in pairable:
        for i, a in enumerate(u):
            for j, b in enumerate(u):
                if i != j:
                    o[a, b] += F(1, len(u) - 1)
    n_c = {c: sum(o[c, k] for k in values) for c in values}
    n = sum(n_c.values())

    def delta(c: Fraction, k: Fraction) -> Fraction:
        if level == "nominal":
            return F(0 if c == k else 1)
        if level == "interval":
            return (c - k) ** 2
        if level == "ratio":
            return ((c - k) / (c + k)) ** 2
        lo, hi = min(c, k), max(c, k)
        return (sum(n_c[g] for g in values if lo <= g <= hi) - (n_c[c] + n_c[k]) / 2) ** 2

    observed = sum(o[c, k] * delta(c, k) for c in values for k in values)
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values)
    return 1 - (n - 1) * observed / expected


@pytest.mark.parametrize(
    ("level", "published"),
    [
        ("nominal", "0.743"),
        ("ordinal", "0.815"),
        ("interval", "0.849"),
        ("ratio", "0.797"),
    ],
)
def test_krippendorff_2011_example_at_all_four_levels(level, published):
    """Krippendorff (2011), 4 observers × 12 units with missing values: α nominal .743,
    ordinal .815, interval .849, ratio .797."""
    units = transpose(KRIPPENDORFF_2011)
    stat = krippendorff_alpha(RatingTable.from_matrix(units, level))
    assert shown(stat.value, 3) == published
    assert stat.value == pytest.approx(float(exact_alpha(units, level)), abs=1e-6)
    assert stat.n == 11  # unit 12 has one value only: not pairable
    lo, hi = stat.ci95
    assert -1.0 <= lo <= hi <= 1.0
    assert "1000 resamples of 11 units" in stat.note


def test_krippendorff_2011_text_categories_at_nominal_level():
    """The same example with the category names of the ``krippendorff`` docstring: nominal
    α does not depend on the labels (.743)."""
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    units = [[names[v] if v is not None else None for v in u] for u in transpose(KRIPPENDORFF_2011)]
    stat = krippendorff_alpha(RatingTable.from_matrix(units, "nominal"))
    assert shown(stat.value, 3) == "0.743"


@pytest.mark.parametrize(("level", "published"), [("nominal", "0.691"), ("interval", "0.811")])
def test_wikipedia_alpha_example(level, published):
    """Wikipedia "Krippendorff's alpha", computational example: α nominal 0.691, interval 0.811."""
    units = transpose(WIKIPEDIA_ALPHA)
    stat = krippendorff_alpha(RatingTable.from_matrix(units, level))
    assert shown(stat.value, 3) == published
    assert stat.value == pytest.approx(float(exact_alpha(units, level)), abs=1e-6)


def test_alpha_bootstrap_is_reproducible_and_brackets_the_estimate():
    table = RatingTable.from_matrix(transpose(KRIPPENDORFF_2011), "interval")
    first, again = krippendorff_alpha(table), krippendorff_alpha(table)
    assert first.ci95 == again.ci95
    other = krippendorff_alpha(table, seed=7)
    assert other.ci95 != first.ci95 and other.value == first.value
    lo, hi = first.ci95
    assert lo < first.value <= hi


# --- Fleiss' κ --------------------------------------------------------------------------------


def exact_fleiss(counts: list[list[int]]) -> Fraction:
    n, m = len(counts), sum(counts[0])
    p_bar = sum(F(sum(c * c for c in row) - m, m * (m - 1)) for row in counts) / n
    p_e = sum(F(sum(row[j] for row in counts), n * m) ** 2 for j in range(len(counts[0])))
    return (p_bar - p_e) / (1 - p_e)


def test_fleiss_1971_table_1():
    """Fleiss (1971): κ = .430 for 30 patients × 6 psychiatrists; R ``irr::kappam.fleiss``
    prints 0.4302445."""
    table = RatingTable.from_matrix(FLEISS_1971, "nominal")
    stat = fleiss_kappa(table)
    assert shown(stat.value, 3) == "0.430"
    assert stat.value == pytest.approx(0.4302445, abs=1e-6)
    counts = [[row.count(c) for c in range(1, 6)] for row in FLEISS_1971]
    assert stat.value == pytest.approx(float(exact_fleiss(counts)), abs=1e-12)
    assert stat.n == 30 and stat.ci95[0] < stat.value < stat.ci95[1]


def test_wikipedia_fleiss_example():
    """Wikipedia "Fleiss' kappa" worked example: P̄ = 0.378, P̄e = 0.213, κ = 0.210."""
    stat = fleiss_kappa_counts(WIKIPEDIA_FLEISS_COUNTS)
    assert shown(stat.value, 3) == "0.210"
    assert stat.value == pytest.approx(float(exact_fleiss(WIKIPEDIA_FLEISS_COUNTS)), abs=1e-12)
    assert stat.n == 10


# --- Cohen's κ --------------------------------------------------------------------------------


def exact_cohen(table: list[list[int]], weights: str = "unweighted") -> Fraction:
    k, n = len(table), sum(map(sum, table))

    def w(i: int, j: int) -> Fraction:
        if weights == "unweighted":
            return F(int(i == j))
        d = F(abs(i - j), k - 1)
        return 1 - (d if weights == "linear" else d * d)

    rows = [F(sum(r), n) for r in table]
    cols = [F(sum(r[j] for r in table), n) for j in range(k)]
    p_o = sum(w(i, j) * F(table[i][j], n) for i in range(k) for j in range(k))
    p_e = sum(w(i, j) * rows[i] * cols[j] for i in range(k) for j in range(k))
    return (p_o - p_e) / (1 - p_e)


def test_cohen_wikipedia_two_by_two():
    """Wikipedia "Cohen's kappa": 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → p_o 0.7,
    p_e 0.5, κ = 0.4."""
    stat = cohen_kappa_table([[20, 5], [10, 15]])
    assert stat.value == pytest.approx(0.4, abs=1e-12)
    assert stat.n == 50


@pytest.mark.parametrize(
    ("weights", "kappa", "ase", "lower", "upper"),
    [
        ("unweighted", "0.4842", "0.1380", "0.2137", "0.7547"),
        ("linear", "0.4701", "0.1457", "0.1845", "0.7558"),
    ],
)
def test_cohen_sas_output_with_asymptotic_interval(weights, kappa, ase, lower, upper):
    """SAS PROC FREQ AGREE (as recorded in statsmodels' tests): κ, ASE and 95 % limits
    by Fleiss, Cohen & Everitt (1969)."""
    stat = cohen_kappa_table(SAS_TABLE, weights)
    assert shown(stat.value, 4) == kappa
    assert f"SE {ase}" in stat.note
    assert [shown(x, 4) for x in stat.ci95] == [lower, upper]
    assert stat.value == pytest.approx(float(exact_cohen(SAS_TABLE, weights)), abs=1e-12)


def test_cohen_from_rows_matches_the_published_tables():
    """RExRepos ``irr::kappa2``: 3 × 3 table → 0.429; 6 × 6 ordered table, weight "equal"
    (linear) → 0.316. Percent agreement of the 3 × 3 table: ``irr::agree`` → 70 %."""
    three = RatingTable.from_matrix(table_to_pairs(WOLLSCHLAEGER_3X3), "ordinal")
    assert shown(cohen_kappas(three)["unweighted"].value, 3) == "0.429"
    assert cohen_kappas(three)["unweighted"].value == pytest.approx(
        float(exact_cohen(WOLLSCHLAEGER_3X3)), abs=1e-12
    )
    assert percent_agreement(three).value == pytest.approx(0.70, abs=1e-12)
    six = RatingTable.from_matrix(table_to_pairs(WOLLSCHLAEGER_6X6), "ordinal")
    linear = cohen_kappas(six)["linear"]
    assert shown(linear.value, 3) == "0.316"
    assert linear.value == pytest.approx(float(exact_cohen(WOLLSCHLAEGER_6X6, "linear")), abs=1e-12)
    assert linear.n == 100


@pytest.mark.parametrize(
    ("raters", "expected"),
    [
        ((0, 1), {"unweighted": 0.1195, "linear": 0.1892, "quadratic": 0.2968}),
        ((1, 2), {"unweighted": -0.006289308, "linear": 0.1459075, "quadratic": 0.2520325}),
    ],
)
def test_cohen_weighted_irr_anxiety(raters, expected):
    """R ``irr::kappa2(anxiety[, pair], weight)`` with "unweighted", "equal" (linear) and
    "squared" (quadratic): raters 1–2 0.1195 / 0.1892 / 0.2968 (4 places); raters 2–3
    −0.006289308 / 0.1459075 / 0.2520325 (as recorded in statsmodels' tests). irr uses only
    the categories that occur, as we do (rater 2–3 never use 5)."""
    pairs = [[row[raters[0]], row[raters[1]]] for row in ANXIETY]
    kappas = cohen_kappas(RatingTable.from_matrix(pairs, "ordinal"))
    places = 4 if raters == (0, 1) else 7
    for weights, value in expected.items():
        assert kappas[weights].value == pytest.approx(value, abs=0.5 * 10**-places + 1e-9)


def test_quadratic_kappa_is_the_fleiss_cohen_1973_moment_ratio():
    """Fleiss & Cohen (1973): quadratic-weighted κ = 2·s₁₂ / (s₁² + s₂² + (x̄₁ − x̄₂)²) on the
    category positions (population moments) — the agreement ICC of two raters in large samples."""
    pairs = [[row[0], row[1]] for row in FLEISS_1971]
    kappa = cohen_kappas(RatingTable.from_matrix(pairs, "ordinal"))["quadratic"].value
    positions = np.unique(np.array(pairs), return_inverse=True)[1].reshape(-1, 2).astype(float)
    a, b = positions[:, 0], positions[:, 1]
    ratio = (
        2
        * np.mean((a - a.mean()) * (b - b.mean()))
        / (a.var() + b.var() + (a.mean() - b.mean()) ** 2)
    )
    assert kappa == pytest.approx(ratio, abs=1e-12)
    icc2 = icc_matrix(positions)["ICC2"].value
    assert abs(kappa - icc2) < 0.05


def test_percent_agreement_counts_agreeing_pairs_per_unit():
    """Unit 1: a, a, b → 1 of 3 pairs agree; unit 2: all agree; unit 3: two raters differ."""
    table = RatingTable.from_matrix([["a", "a", "b"], ["c", "c", "c"], ["a", "b", None]], "nominal")
    stat = percent_agreement(table)
    assert stat.value == pytest.approx((1 / 3 + 1 + 0) / 3, abs=1e-12)
    assert stat.n == 3 and 0.0 <= stat.ci95[0] <= stat.ci95[1] <= 1.0
