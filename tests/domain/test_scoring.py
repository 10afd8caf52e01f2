"""Scoring engine: the SCORECARDS.md worked example and a hand-worked table of cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_studio.domain.scoring import (
    AnswerError,
    failed,
    fraction,
    normalise_answer,
    score,
)
from qa_studio.scorecards.loader import load_text
from qa_studio.scorecards.schema import validate
from tests.scorecard_examples import WORKED_EXAMPLE


@pytest.fixture
def example():
    return load_text(WORKED_EXAMPLE, "voice_example.yaml")


def test_worked_example_all_pass(example):
    r = score(example, {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"})
    # opening 1 + 2 × 0.75 = 2.5 of 3; compliance 3 + 1 = 4 of 4; 100 × 6.5 / 7
    assert r.sections["opening"].score == 2.5
    assert r.sections["opening"].max_score == 3
    assert r.sections["compliance"].score == 4
    assert r.score == 6.5 and r.max_score == 7
    assert r.percent == pytest.approx(92.857142857)
    assert r.as_dict()["percent"] == 92.86
    assert not r.fatal and r.failed_critical == []


def test_worked_example_critical_idv_fail(example):
    r = score(example, {"greet": "yes", "empathy": 4, "idv": "no", "cvv": "yes"})
    # compliance earns 0 (critical), keeps its 4 possible → 100 × 2.5 / 7
    assert r.sections["compliance"].score == 0
    assert r.sections["compliance"].max_score == 4
    assert r.as_dict()["percent"] == 35.71
    assert r.failed_critical == ["idv"]
    assert not r.fatal


def test_worked_example_fatal_cvv_fail(example):
    r = score(example, {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "no"})
    assert r.fatal is True
    assert r.failed_fatal == ["cvv"]
    assert r.percent == 0 and r.score == 0
    assert r.max_score == 7  # kept under zero_form
    d = r.as_dict()
    assert d["percent"] == 0 and d["fatal"] is True and d["failed_critical"] == []
    # the section subtotals still show where points were lost (compliance 3 of 4)
    assert d["sections"]["compliance"] == {"score": 3.0, "max_score": 4.0, "percent": 75.0}


def _table_card(na_policy: str, fatal_policy: str):
    """Section A: a1 yes_no w2; a2 scale 1–5 pass 3 w1; a3 points 2/1/0 pass 2 w3.
    Section B: b1 yes_no w2 critical; b2 yes_no w1 fatal; b3 yes_no w1 (answered N/A)."""
    return validate(
        {
            "key": "table",
            "name": "Table",
            "channel": "any",
            "target": 80,
            "na_policy": na_policy,
            "fatal_policy": fatal_policy,
            "sections": [
                {
                    "key": "a",
                    "name": "A",
                    "questions": [
                        {"key": "a1", "text": "a1", "type": "yes_no", "weight": 2},
                        {
                            "key": "a2",
                            "text": "a2",
                            "type": "scale",
                            "allow_na": True,
                            "scale": {
                                "min": 1,
                                "max": 5,
                                "pass_at": 3,
                                "anchors": {1: "lo", 5: "hi"},
                            },
                        },
                        {
                            "key": "a3",
                            "text": "a3",
                            "type": "points",
                            "weight": 3,
                            "options": [
                                {"label": "Full", "points": 2},
                                {"label": "Partial", "points": 1},
                                {"label": "None", "points": 0},
                            ],
                            "pass_at": 2,
                        },
                    ],
                },
                {
                    "key": "b",
                    "name": "B",
                    "questions": [
                        {
                            "key": "b1",
                            "text": "b1",
                            "type": "yes_no",
                            "weight": 2,
                            "critical": True,
                        },
                        {"key": "b2", "text": "b2", "type": "yes_no", "fatal": True},
                        {"key": "b3", "text": "b3", "type": "yes_no", "allow_na": True},
                    ],
                },
            ],
        }
    )


# Every case answers a1 yes (2/2), a2 4 (0.75/1), a3 Partial (1.5/3, a non-critical fail) and
# b3 "na": section A = 2 + 0.75 + 1.5 = 4.25 of 6 in all cases.
# Section B: b1 yes 2/2 or no 0/2 (critical → B earns 0); b2 yes 1/1 or no 0/1 (fatal);
# b3 N/A → nothing (exclude) or 1/1 (count_as_pass).
# Columns: na_policy, fatal_policy, b1, b2, expected (score, max, percent, B score, fatal, critical)
TABLE = [
    # exclude: B possible 3, form possible 9
    ("exclude", "zero_form", "yes", "yes", 7.25, 9, 80.5556, 3, False, []),  # B 2+1; 7.25/9
    ("exclude", "zero_form", "no", "yes", 4.25, 9, 47.2222, 0, False, ["b1"]),  # B zeroed; 4.25/9
    ("exclude", "zero_form", "yes", "no", 0, 9, 0.0, 2, True, []),  # fatal → form 0 (B 2+0)
    ("exclude", "zero_form", "no", "no", 0, 9, 0.0, 0, True, ["b1"]),  # both: form 0, B 0
    ("exclude", "report_separately", "yes", "yes", 7.25, 9, 80.5556, 3, False, []),
    ("exclude", "report_separately", "no", "yes", 4.25, 9, 47.2222, 0, False, ["b1"]),
    ("exclude", "report_separately", "yes", "no", 6.25, 9, 69.4444, 2, True, []),  # 4.25+2
    ("exclude", "report_separately", "no", "no", 4.25, 9, 47.2222, 0, True, ["b1"]),  # B zeroed
    # count_as_pass: b3 earns 1 of 1 → B possible 4, form possible 10
    ("count_as_pass", "zero_form", "yes", "yes", 8.25, 10, 82.5, 4, False, []),  # B 2+1+1
    ("count_as_pass", "zero_form", "no", "yes", 4.25, 10, 42.5, 0, False, ["b1"]),
    ("count_as_pass", "zero_form", "yes", "no", 0, 10, 0.0, 3, True, []),  # B 2+0+1, form 0
    ("count_as_pass", "zero_form", "no", "no", 0, 10, 0.0, 0, True, ["b1"]),
    ("count_as_pass", "report_separately", "yes", "yes", 8.25, 10, 82.5, 4, False, []),
    ("count_as_pass", "report_separately", "no", "yes", 4.25, 10, 42.5, 0, False, ["b1"]),
    ("count_as_pass", "report_separately", "yes", "no", 7.25, 10, 72.5, 3, True, []),
    ("count_as_pass", "report_separately", "no", "no", 4.25, 10, 42.5, 0, True, ["b1"]),
]


@pytest.mark.parametrize(
    (
        "na_policy",
        "fatal_policy",
        "b1",
        "b2",
        "total",
        "possible",
        "percent",
        "b_score",
        "fatal",
        "crit",
    ),
    TABLE,
)
def test_policy_table(
    na_policy, fatal_policy, b1, b2, total, possible, percent, b_score, fatal, crit
):
    card = _table_card(na_policy, fatal_policy)
    r = score(card, {"a1": "yes", "a2": 4, "a3": "Partial", "b1": b1, "b2": b2, "b3": "na"})
    assert r.score == pytest.approx(total)
    assert r.max_score == possible
    assert r.percent == pytest.approx(percent, abs=1e-4)
    assert r.sections["a"].score == pytest.approx(4.25) and r.sections["a"].max_score == 6
    assert r.sections["b"].score == pytest.approx(b_score)
    assert r.fatal is fatal
    assert r.failed_fatal == (["b2"] if fatal else [])
    assert r.failed_critical == crit
    assert r.answers["a3"].failed and not r.answers["a3"].na  # Partial < pass_at 2
    assert r.answers["b3"].na and not r.answers["b3"].failed
    assert r.reason is None


@pytest.mark.parametrize(
    ("answers", "percent", "a_percent", "note"),
    [
        # a2 N/A under exclude: A = 2 + 3 (Full) = 5 of 5; B = 2 + 1 = 3 of 3 → 8/8
        (
            {"a1": "yes", "a2": "na", "a3": "Full", "b1": "yes", "b2": "yes", "b3": "na"},
            100.0,
            100.0,
            "na",
        ),
        # a2 = 2 (fraction 0.25, fails pass_at 3 but not critical): A = 2 + 0.25 + 3 = 5.25 of 6;
        # B 2 + 1 + 1 = 4 of 4 → 9.25 / 10 = 92.5
        (
            {"a1": "yes", "a2": 2, "a3": "Full", "b1": "yes", "b2": "yes", "b3": "yes"},
            92.5,
            87.5,
            "scale",
        ),
        # a3 None (0 of 3), a1 no (0 of 2), a2 1 (0 of 1): A 0 of 6; B 2 + 1 + 0 = 3 of 4 → 3/10
        (
            {"a1": "no", "a2": 1, "a3": "None", "b1": "yes", "b2": "yes", "b3": "no"},
            30.0,
            0.0,
            "zeros",
        ),
        # option labels match case-insensitively ("partial"): A = 2 + 1 (a2 = 5) + 1.5 = 4.5 of 6;
        # b3 no (not critical): B = 2 + 1 + 0 = 3 of 4 → 7.5 / 10
        (
            {"a1": "yes", "a2": 5, "a3": "partial", "b1": "yes", "b2": "yes", "b3": "no"},
            75.0,
            75.0,
            "case",
        ),
    ],
)
def test_question_types_and_weights(answers, percent, a_percent, note):
    r = score(_table_card("exclude", "zero_form"), answers)
    assert r.percent == pytest.approx(percent, abs=1e-4), note
    assert r.sections["a"].percent == pytest.approx(a_percent, abs=1e-4), note


def _mini(na_policy: str, *, critical_na: bool = False):
    q = [
        {
            "key": "x",
            "text": "x",
            "type": "yes_no",
            "allow_na": True,
            "critical": critical_na,
            "weight": 2,
        },
        {"key": "y", "text": "y", "type": "yes_no", "allow_na": True, "weight": 0.5},
    ]
    return validate(
        {
            "key": "mini",
            "name": "Mini",
            "channel": "chat",
            "target": 90,
            "na_policy": na_policy,
            "fatal_policy": "zero_form",
            "sections": [
                {"key": "s1", "name": "S1", "questions": q},
                {
                    "key": "s2",
                    "name": "S2",
                    "questions": [
                        {
                            "key": "z",
                            "text": "z",
                            "type": "scale",
                            "weight": 1.5,
                            "allow_na": True,
                            "scale": {
                                "min": 0,
                                "max": 10,
                                "pass_at": 6,
                                "anchors": {0: "a", 10: "b"},
                            },
                        }
                    ],
                },
            ],
        }
    )


def test_all_na_under_exclude_has_no_percent_and_a_reason():
    r = score(_mini("exclude"), {"x": "na", "y": "NA", "z": "n/a"})
    assert r.percent is None and r.score == 0 and r.max_score == 0
    assert "N/A" in r.reason and "exclude" in r.reason
    assert r.sections["s1"].percent is None
    assert r.as_dict()["percent"] is None and r.as_dict()["reason"] == r.reason


def test_all_na_under_count_as_pass_is_full_marks():
    r = score(_mini("count_as_pass"), {"x": "na", "y": "na", "z": "na"})
    # 2 + 0.5 + 1.5 = 4 of 4
    assert r.score == 4 and r.max_score == 4 and r.percent == 100


def test_na_on_a_critical_question_never_fails():
    r = score(_mini("exclude", critical_na=True), {"x": "na", "y": "no", "z": 6})
    # s1: y 0 of 0.5 (x excluded) — not zeroed; s2: z 1.5 × 0.6 = 0.9 of 1.5 → 0.9 / 2 = 45 %
    assert r.failed_critical == []
    assert r.sections["s1"].score == 0 and r.sections["s1"].max_score == 0.5
    assert r.score == pytest.approx(0.9) and r.percent == pytest.approx(45.0)
    assert r.answers["z"].failed is False  # 6 is pass_at


def test_section_without_applicable_questions_has_no_percent_but_form_does():
    r = score(_mini("exclude"), {"x": "na", "y": "na", "z": 5})
    # s1 nothing applicable; s2 1.5 × 0.5 = 0.75 of 1.5 → 50 %, z fails (5 < 6)
    assert r.sections["s1"].percent is None
    assert r.percent == pytest.approx(50.0)
    assert r.answers["z"].failed


def test_partial_scoring_leaves_missing_questions_out_of_both_sums(example):
    r = score(example, {"greet": "yes", "idv": "yes"}, partial=True)
    # greet 1 of 1, idv 3 of 3 → 4 / 4
    assert r.missing == ["empathy", "cvv"]
    assert r.score == 4 and r.max_score == 4 and r.percent == 100
    assert set(r.answers) == {"greet", "idv"}
    assert r.as_dict()["missing"] == ["empathy", "cvv"]


def test_partial_with_nothing_answered_says_so(example):
    r = score(example, {}, partial=True)
    assert r.percent is None and r.reason == "no questions answered yet"


def test_missing_answers_are_an_error_listing_keys(example):
    with pytest.raises(AnswerError) as info:
        score(example, {"greet": "yes", "empathy": None})
    assert info.value.missing == ["empathy", "idv", "cvv"]
    assert "3 questions unanswered: empathy, idv, cvv" in str(info.value)


def test_every_invalid_answer_is_reported_at_once(example):
    with pytest.raises(AnswerError) as info:
        score(example, {"greet": "maybe", "empathy": 7, "idv": "na", "cvv": "yes", "gret": "yes"})
    problems = info.value.problems
    assert problems == [
        "not questions on scorecard 'voice_example': gret",
        'greet: \'maybe\' is not a valid answer; expected "yes" or "no"',
        "empathy: 7 is not a valid answer; expected a whole number from 1 to 5",
        'idv: N/A is not allowed for this question; expected "yes" or "no"',
    ]
    assert info.value.missing == []


def test_unknown_keys_can_be_ignored_for_what_if(example):
    r = score(
        example,
        {"greet": "yes", "empathy": 3, "idv": "yes", "cvv": "yes", "old": "no"},
        ignore_unknown=True,
    )
    assert "old" not in r.answers and r.percent == pytest.approx(100 * 6 / 7)


def test_normalise_answer_accepts_natural_spellings(example):
    greet, empathy = example.question("greet"), example.question("empathy")
    assert normalise_answer(greet, True) == "yes"
    assert normalise_answer(greet, " No ") == "no"
    assert normalise_answer(empathy, "4") == 4
    assert normalise_answer(empathy, 4.0) == 4
    for bad in (3.5, True, "four", 0, 6, None):
        with pytest.raises(ValueError, match="empathy: "):
            normalise_answer(empathy, bad)


def test_points_labels_fraction_and_fail():
    q = _table_card("exclude", "zero_form").question("a3")
    assert normalise_answer(q, "full") == "Full"
    assert fraction(q, "Full") == 1.0 and fraction(q, "Partial") == 0.5 and fraction(q, "None") == 0
    assert failed(q, "Partial") and not failed(q, "Full")
    with pytest.raises(ValueError, match=r'expected one of "Full", "Partial", "None"$'):
        normalise_answer(q, "Most")
    with pytest.raises(ValueError, match="N/A is not allowed"):
        normalise_answer(q, "na")


def test_scale_fraction_uses_min_and_max():
    q = _mini("exclude").question("z")  # 0–10
    assert fraction(q, 6) == pytest.approx(0.6)
    assert fraction(q, "na") is None
    assert not failed(q, "na")


@given(
    st.fixed_dictionaries(
        {
            "a1": st.sampled_from(["yes", "no"]),
            "a2": st.sampled_from([1, 2, 3, 4, 5, "na"]),
            "a3": st.sampled_from(["Full", "Partial", "None"]),
            "b1": st.sampled_from(["yes", "no"]),
            "b2": st.sampled_from(["yes", "no"]),
            "b3": st.sampled_from(["yes", "no", "na"]),
        }
    ),
    st.sampled_from(["exclude", "count_as_pass"]),
    st.sampled_from(["zero_form", "report_separately"]),
)
def test_score_invariants(answers, na_policy, fatal_policy):
    r = score(_table_card(na_policy, fatal_policy), answers)
    assert 0 <= r.score <= r.max_score
    assert r.percent is not None and 0 <= r.percent <= 100
    assert r.fatal == (answers["b2"] == "no")
    assert (r.failed_critical == ["b1"]) == (answers["b1"] == "no")
    if r.fatal and fatal_policy == "zero_form":
        assert r.percent == 0
    else:
        assert r.score == pytest.approx(sum(s.score for s in r.sections.values()))
