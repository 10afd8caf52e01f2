"""The shipped scorecards load and meet the content bar a QA lead would expect."""

from __future__ import annotations

import pytest

from qa_studio.domain.scoring import score
from qa_studio.scorecards.loader import builtin_files, builtin_keys, load_builtin, load_file

EXPECTED = ["chat_service", "complaint_handling", "compliance", "email_service", "voice_service"]


def test_the_five_builtins_are_shipped():
    assert builtin_keys() == EXPECTED
    assert [p.name for p in builtin_files()] == [f"{k}.yaml" for k in EXPECTED]


@pytest.mark.parametrize("key", EXPECTED)
def test_builtin_loads_and_meets_the_bar(key):
    card = load_builtin(key)
    assert card.key == key  # the file stem is the key
    assert len(card.sections) >= 4
    questions = card.questions()
    assert len(questions) >= 12
    for q in questions:
        assert len(q.guidance.split()) >= 15, f"{key}.{q.key}: guidance too thin to apply"
        if q.scale is not None:  # labelled anchors on every point of the scale
            assert (q.scale.min, q.scale.max) == (1, 5)
            assert sorted(q.scale.anchors) == [1, 2, 3, 4, 5]
        if q.type == "points":
            assert [o.label for o in q.options] == ["Full", "Partial", "None"]
    assert any(q.critical for q in questions), f"{key} has no critical item"
    assert any(q.allow_na for q in questions)
    assert len({q.weight for q in questions}) > 1, f"{key} weighs everything the same"
    assert card.description


def test_builtins_together_use_all_three_question_types():
    types = {q.type for k in EXPECTED for q in load_builtin(k).questions()}
    assert types == {"yes_no", "scale", "points"}


def test_channel_specific_cards():
    assert load_builtin("voice_service").channel == "voice"
    chat = load_builtin("chat_service")
    assert chat.channel == "chat"
    assert {"response_times", "waiting_announced", "canned_responses"} <= {
        q.key for q in chat.questions()
    }
    email = load_builtin("email_service")
    assert email.channel == "email"
    assert {
        "subject_line",
        "greeting",
        "answers_all_questions",
        "clear_next_steps",
        "signature",
    } <= {q.key for q in email.questions()}


def test_voice_card_has_the_questions_the_demo_relies_on():
    keys = {q.key for q in load_builtin("voice_service").questions()}
    assert {
        "empathy",
        "ownership",
        "summarise_next_steps",
        "hold_etiquette",
        "idv",
        "no_cvv",
    } <= keys
    card = load_builtin("voice_service")
    assert card.question("idv").critical and card.question("no_cvv").fatal


def test_compliance_card_cites_its_regulations():
    card = load_builtin("compliance")
    cited = [q for q in card.questions() if q.regulation]
    assert len(cited) >= 8
    assert len(cited) == len(card.questions())  # every compliance question carries its reference
    refs = " | ".join(q.regulation for q in cited)
    for needed in (
        "UK GDPR Art. 5(1)(f)",
        "Data Protection Act 2018",
        "UK GDPR Art. 13",
        "UK GDPR Art. 15",
        "PCI DSS v4.0 3.3.1",
        "FCA FG21/1",
        "Ofcom GC C4",
        "Ofcom GC C5",
        "FCA PRIN 2A",
        "Consumer Rights Act 2015",
        "Equality Act 2010",
    ):
        assert needed in refs, needed
    no_cvv = card.question("no_cvv")
    assert no_cvv.fatal and no_cvv.regulation.startswith("PCI DSS v4.0 3.3.1")
    assert card.question("idv").critical
    assert card.section_of("idv").key == "data_protection"


def test_complaint_card_cites_disp():
    card = load_builtin("complaint_handling")
    refs = " | ".join(q.regulation or "" for q in card.questions())
    for needed in ("FCA DISP 1.3", "FCA DISP 1.4", "FCA DISP 1.5", "FCA DISP 1.6", "Ofcom GC C4"):
        assert needed in refs, needed
    keys = {q.key for q in card.questions()}
    assert {
        "recognised_dissatisfaction",
        "classified_correctly",
        "next_steps_timescales",
        "referral_rights",
        "complaint_logged",
    } <= keys


def test_policies_vary_across_builtins():
    cards = [load_builtin(k) for k in EXPECTED]
    assert {c.na_policy for c in cards} == {"exclude", "count_as_pass"}
    assert {c.fatal_policy for c in cards} == {"zero_form", "report_separately"}


@pytest.mark.parametrize("key", EXPECTED)
def test_builtin_scores_a_perfect_and_a_failing_form(key):
    card = load_builtin(key)
    best = {}
    worst = {}
    for q in card.questions():
        if q.type == "yes_no":
            best[q.key], worst[q.key] = "yes", "no"
        elif q.type == "scale":
            best[q.key], worst[q.key] = q.scale.max, q.scale.min
        else:
            best[q.key], worst[q.key] = "Full", "None"
    top = score(card, best)
    assert top.percent == 100 and not top.fatal and top.failed_critical == []
    bottom = score(card, worst)
    assert bottom.percent == 0
    assert bottom.failed_critical == [q.key for q in card.questions() if q.critical]


def test_builtin_files_load_by_path(tmp_path):
    path = builtin_files()[0]
    assert load_file(path) == load_builtin(path.stem)
    with pytest.raises(KeyError, match="no built-in scorecard 'nope'"):
        load_builtin("nope")
