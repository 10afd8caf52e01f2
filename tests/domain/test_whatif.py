"""What-if re-scoring (SCORECARDS.md § What-if) on constructed v1 → v2 changes.

Every expected percent is worked by hand from the worked example's card (v1):
opening = greet (yes_no, w1) + empathy (scale 1–5, w2); compliance = idv (yes_no, w3, critical)
+ cvv (yes_no, w1, fatal, zero_form).
"""

from __future__ import annotations

import pytest

from qa_studio.domain import whatif
from qa_studio.scorecards.loader import load_text

V1 = """
key: voice_example
name: Voice example
channel: voice
target: 85
na_policy: exclude
fatal_policy: zero_form
sections:
  - key: opening
    name: Opening
    questions:
      - {key: greet, text: Greeted the customer, type: yes_no}
      - key: empathy
        text: Acknowledged the customer's situation
        type: scale
        weight: 2
        scale: {min: 1, max: 5, pass_at: 3, anchors: {1: "None", 5: "Sincere"}}
  - key: compliance
    name: Compliance
    questions:
      - {key: idv, text: Verified identity, type: yes_no, weight: 3, critical: true}
      - {key: cvv, text: No card security code, type: yes_no, fatal: true}
"""

GOOD = {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"}
POINTS_GREET = """      - key: greet
        text: Greeted the customer
        type: points
        options: [{label: Full, points: 2}, {label: Partial, points: 1}, {label: None, points: 0}]
        pass_at: 1
"""


def card(text: str):
    return load_text(text, "v.yaml")


def v1():
    return card(V1)


def test_identical_versions_change_nothing():
    r = whatif.rescore(v1(), v1(), GOOD, stored_percent=92.857)
    assert r.old_percent == pytest.approx(92.857, abs=1e-3)
    assert r.new_percent == pytest.approx(r.old_percent) and r.delta == 0
    assert r.not_assessed == {} and r.removed == () and r.migratable


def test_weight_change():
    v2 = card(V1.replace("weight: 2", "weight: 4"))
    r = whatif.rescore(v1(), v2, GOOD)
    # old: (1 + 2×0.75 + 3 + 1) / 7 = 92.86; new: (1 + 4×0.75 + 3 + 1) / 9 = 88.89
    assert r.as_dict()["old_percent"] == 92.86
    assert r.as_dict()["new_percent"] == 88.89
    assert r.as_dict()["delta"] == -3.97
    assert r.migratable


def test_new_question_is_not_assessed_in_either_score():
    v2 = card(
        V1.replace(
            "      - {key: cvv,",
            "      - {key: recap, text: Recapped, type: yes_no}\n      - {key: cvv,",
        )
    )
    r = whatif.rescore(v1(), v2, GOOD)
    assert r.not_assessed == {"recap": whatif.NEW_IN_TARGET}
    assert r.as_dict()["old_percent"] == 92.86 and r.as_dict()["new_percent"] == 92.86
    assert not r.migratable


def test_type_change_leaves_question_out_of_both_scores():
    v2 = card(
        V1.replace("      - {key: greet, text: Greeted the customer, type: yes_no}\n", POINTS_GREET)
    )
    r = whatif.rescore(v1(), v2, {**GOOD, "greet": "no"})
    # greet left out of both: (2×0.75 + 3 + 1) / 6 = 91.67 on each side
    assert r.not_assessed == {"greet": "type changed (yes_no → points)"}
    assert r.as_dict()["old_percent"] == 91.67 and r.as_dict()["new_percent"] == 91.67
    assert r.delta == pytest.approx(0)


def test_removed_question_drops_out_and_is_listed():
    v2 = card(
        V1.replace(
            "      - {key: cvv, text: No card security code, type: yes_no, fatal: true}\n", ""
        )
    )
    r = whatif.rescore(v1(), v2, {**GOOD, "cvv": "no"}, stored_percent=0.0)
    # stored: fatal cvv → 0; without cvv: (1 + 1.5 + 3) / 6 = 91.67 on both sides
    assert r.removed == ("cvv",)
    assert r.as_dict()["old_percent_stored"] == 0.0
    assert r.as_dict()["old_percent"] == 91.67 and r.as_dict()["new_percent"] == 91.67
    assert r.old.fatal is False and r.migratable


def test_all_changes_together():
    v2_text = (
        V1.replace("weight: 2", "weight: 4")
        .replace("      - {key: greet, text: Greeted the customer, type: yes_no}\n", POINTS_GREET)
        .replace(
            "      - {key: cvv, text: No card security code, type: yes_no, fatal: true}\n",
            "      - {key: recap, text: Recapped next steps, type: yes_no}\n",
        )
    )
    answers = {"greet": "yes", "empathy": 3, "idv": "no", "cvv": "yes"}
    r = whatif.rescore(v1(), card(v2_text), answers, stored_percent=100 * 2 / 7)
    # stored v1: opening 1 + 2×0.5 = 2 of 3, compliance zeroed (idv critical) 0 of 4 → 28.57
    # comparable = empathy, idv. old: (2×0.5 + 0) / (2 + 3) = 20.00; new: (4×0.5 + 0) / 7 = 28.57
    doc = r.as_dict()
    assert doc["old_percent_stored"] == 28.57
    assert doc["old_percent"] == 20.0 and doc["new_percent"] == 28.57 and doc["delta"] == 8.57
    assert doc["not_assessed"] == ["greet", "recap"]
    assert doc["not_assessed_reasons"]["greet"].startswith("type changed")
    assert doc["removed"] == ["cvv"]
    assert r.old.failed_critical == ["idv"] and r.new.failed_critical == ["idv"]


def test_question_becoming_fatal_changes_new_score():
    v2 = card(V1.replace("weight: 3, critical: true", "weight: 3, fatal: true"))
    r = whatif.rescore(v1(), v2, {**GOOD, "idv": "no"})
    # old: compliance zeroed → (1 + 1.5) / 7 = 35.71; new: fatal under zero_form → 0
    assert r.as_dict()["old_percent"] == 35.71 and r.as_dict()["new_percent"] == 0.0
    assert r.new.fatal and r.as_dict()["new_fatal"] is True


def test_answer_that_no_longer_fits_is_not_assessed():
    v2 = card(
        V1.replace(
            '{min: 1, max: 5, pass_at: 3, anchors: {1: "None", 5: "Sincere"}}',
            '{min: 1, max: 3, pass_at: 2, anchors: {1: "None", 3: "Sincere"}}',
        )
    )
    r = whatif.rescore(v1(), v2, GOOD)
    assert list(r.not_assessed) == ["empathy"]
    assert "does not fit the target version" in r.not_assessed["empathy"]
    # both sides without empathy: (1 + 3 + 1) / 5 = 100
    assert r.old_percent == pytest.approx(100) and r.new_percent == pytest.approx(100)
    assert not r.migratable


def test_nothing_comparable_gives_no_percent():
    other = card(
        V1.replace("greet", "g2").replace("empathy", "e2").replace("idv", "i2").replace("cvv", "c2")
    )
    r = whatif.rescore(v1(), other, GOOD, stored_percent=92.86)
    assert r.old_percent is None and r.new_percent is None and r.delta is None
    assert set(r.removed) == {"greet", "empathy", "idv", "cvv"}


def test_restrict_drops_empty_sections():
    small = whatif.restrict(v1(), ["idv"])
    assert [s.key for s in small.sections] == ["compliance"]
    assert [q.key for q in small.questions()] == ["idv"]


def test_aggregate_means():
    v2 = card(V1.replace("weight: 2", "weight: 4"))
    a = whatif.rescore(v1(), v2, GOOD, stored_percent=92.857142)
    b = whatif.rescore(v1(), v2, {**GOOD, "idv": "no"}, stored_percent=35.714285)
    # b: old (1 + 1.5) / 7 = 35.71; new (1 + 3) / 9 = 44.44
    agg = whatif.aggregate([a, b])
    assert agg["n"] == 2 and agg["n_compared"] == 2
    assert agg["mean_old_stored"] == pytest.approx((92.857142 + 35.714285) / 2, abs=0.01)
    assert agg["mean_old"] == pytest.approx((92.857 + 35.714) / 2, abs=0.01)
    assert agg["mean_new"] == pytest.approx((88.889 + 44.444) / 2, abs=0.01)
    assert agg["mean_delta"] == pytest.approx(((88.889 - 92.857) + (44.444 - 35.714)) / 2, abs=0.01)
    assert agg["not_migratable"] == 0


def test_aggregate_of_nothing():
    assert whatif.aggregate([]) == {
        "n": 0,
        "n_compared": 0,
        "mean_old_stored": None,
        "mean_old": None,
        "mean_new": None,
        "mean_delta": None,
        "not_migratable": 0,
    }
