"""Published data sets for the agreement tests, each with its source.

Kept apart from the tests so that the numbers can be checked against the cited page in one read.
"""

from __future__ import annotations

import numpy as np

NA = None

#: Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
#: reliability. Psychological Bulletin 86(2), 420–428, Table 1: 6 targets (rows) × 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]

#: Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
#: Communication, University of Pennsylvania (repository.upenn.edu/asc_papers/43): the worked
#: example with missing values — 4 observers × 12 units, "*" (here NA) = missing — for which the
#: paper reports α = 0.743 (nominal), 0.815 (ordinal), 0.849 (interval) and 0.797 (ratio).
#: Rows are observers A–D, as in the paper; the ``krippendorff`` package's docstring uses it too.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
]

#: Wikipedia, "Krippendorff's alpha", section "A computational example": 3 coders × 15 units.
#: The ``krippendorff`` package's docstring uses the same data (nominal 0.691, interval 0.811).
WIKIPEDIA_ALPHA = [
    [NA, NA, NA, NA, NA, 3, 4, 1, 2, 1, 1, 3, 3, NA, 3],
    [1, NA, 2, 1, 3, 3, 4, 3, NA, NA, NA, NA, NA, NA, NA],
    [NA, NA, 2, 1, 3, 4, 4, NA, 2, 1, 1, 3, 3, NA, 4],
]

#: Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
#: Bulletin 76(5), 378–382, Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses
#: (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other), in the
#: subjects × raters form of R ``irr::diagnoses`` (statsmodels' test suite lists it the same way).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]

#: Wikipedia, "Fleiss' kappa", worked example: 10 subjects × 5 categories, 14 raters per subject
#: (counts of raters per category). Published: P̄ = 0.378, P̄e = 0.213, κ = 0.210.
WIKIPEDIA_FLEISS_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

#: R package ``irr``, data set ``anxiety``: 20 subjects rated 1–6 by 3 raters (columns).
ANXIETY = (
    np.array(
        [
            3,
            3,
            3,
            4,
            5,
            5,
            2,
            3,
            5,
            2,
            2,
            6,
            1,
            5,
            2,
            2,
            1,
            2,
            4,
            3,
            3,
            6,
            4,
            6,
            2,
            4,
            2,
            4,
            3,
            3,
            2,
            3,
            3,
            3,
            2,
            2,
            1,
            3,
            3,
            4,
            2,
            1,
            4,
            4,
            3,
            2,
            1,
            6,
            1,
            1,
            1,
            2,
            3,
            3,
            1,
            1,
            3,
            3,
            2,
            2,
        ]
    )
    .reshape(3, 20)
    .T.tolist()
)

#: SAS/STAT PROC FREQ ``AGREE`` output for this 3 × 3 table, as recorded in statsmodels'
#: ``statsmodels/stats/tests/test_inter_rater.py`` (``table10``): simple κ 0.4842, ASE 0.1380,
#: 95 % limits 0.2137–0.7547; weighted (Cicchetti–Allison = linear) κ 0.4701, ASE 0.1457,
#: limits 0.1845–0.7558. SAS uses the Fleiss, Cohen & Everitt (1969) variance.
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]

#: D. Wollschläger, RExRepos "Inter-rater-reliability and Intra-class-correlation"
#: (github.com/dwoll/RExRepos, interRaterICC), R ``irr::kappa2`` output:
#: the 3 × 3 table below (rows rater 1, columns rater 2) → Kappa = 0.429;
WOLLSCHLAEGER_3X3 = [[53, 5, 2], [11, 14, 5], [1, 6, 3]]
#: and the 6 × 6 table of ordered categories with weight = "equal" (linear) → Kappa = 0.316.
WOLLSCHLAEGER_6X6 = [
    [5, 8, 1, 2, 4, 2],
    [3, 5, 3, 5, 5, 0],
    [1, 2, 6, 11, 2, 1],
    [0, 1, 5, 4, 3, 3],
    [0, 0, 1, 2, 5, 2],
    [0, 0, 1, 2, 1, 4],
]


def transpose(rows: list[list]) -> list[list]:
    """Observers × units (as Krippendorff prints them) → units × raters (as we take them)."""
    return [list(column) for column in zip(*rows, strict=True)]


def table_to_pairs(table: list[list[int]]) -> list[list[int]]:
    """A k × k table of counts back to one (rater 1, rater 2) row per unit, categories 1..k."""
    return [
        [i + 1, j + 1]
        for i, row in enumerate(table)
        for j, count in enumerate(row)
        for _ in range(count)
    ]
