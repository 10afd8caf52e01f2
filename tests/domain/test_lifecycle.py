"""The lifecycle table: who may move an evaluation where, and the refusals they get."""

from __future__ import annotations

import pytest

from qa_studio.domain import lifecycle as lc
from qa_studio.domain.models import EVALUATION_STATUSES
from qa_studio.errors import DataRefused


def test_statuses_match_the_data_model():
    assert lc.STATUSES == EVALUATION_STATUSES


@pytest.mark.parametrize(
    ("action", "status", "role", "owner", "target"),
    [
        ("create", None, "evaluator", True, "draft"),
        ("submit", "draft", "evaluator", True, "submitted"),
        ("sign_off", "submitted", "evaluator", True, "signed_off"),
        ("sign_off", "submitted", "qa_lead", False, "signed_off"),
        ("acknowledge", "signed_off", "team_leader", False, "signed_off"),
        ("dispute", "signed_off", "team_leader", False, "disputed"),
        ("uphold", "disputed", "qa_lead", False, "final"),
        ("finalise", "signed_off", "qa_lead", False, "final"),
    ],
)
def test_allowed_transitions(action, status, role, owner, target):
    reason = "a reason" if lc.transition_for(action).needs_reason else None
    assert lc.require(action, status, role=role, is_owner=owner, reason=reason) == target


def test_reopen_by_qa_lead_with_reason_returns_to_submitted():
    assert (
        lc.require(
            "reopen", "signed_off", role="qa_lead", is_owner=False, reason="wrong call reviewed"
        )
        == "submitted"
    )


def test_reopen_by_non_lead_is_refused_naming_them():
    with pytest.raises(DataRefused) as err:
        lc.require(
            "reopen", "signed_off", role="evaluator", is_owner=True, who="Sam", reason="typo"
        )
    assert "Sam (evaluator) may not reopen" in err.value.message
    assert "a QA lead" in err.value.message


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_reopen_without_reason_is_refused(reason):
    with pytest.raises(DataRefused, match="reason is required to reopen"):
        lc.require("reopen", "signed_off", role="qa_lead", is_owner=False, reason=reason)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("submit", "submitted"),
        ("submit", "signed_off"),
        ("sign_off", "draft"),
        ("reopen", "submitted"),
        ("acknowledge", "draft"),
        ("uphold", "signed_off"),
    ],
)
def test_wrong_source_status_is_refused(action, status):
    with pytest.raises(DataRefused, match=f"it is {lc.label(status)}"):
        lc.require(action, status, role="qa_lead", is_owner=True, reason="x")


def test_sign_off_by_another_plain_evaluator_is_refused():
    with pytest.raises(DataRefused, match="own evaluator or a QA lead"):
        lc.require("sign_off", "submitted", role="evaluator", is_owner=False, who="Kim")


@pytest.mark.parametrize("status", ["signed_off", "final", "disputed"])
def test_locked_statuses_are_not_editable(status):
    with pytest.raises(DataRefused, match="cannot change"):
        lc.require_editable(status)


def test_signed_off_refusal_says_what_to_do():
    with pytest.raises(DataRefused, match="Ask a QA lead to reopen"):
        lc.require_editable("signed_off", "comment")


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_draft_and_submitted_are_editable(status):
    lc.require_editable(status)


def test_allowed_actions_for_buttons():
    assert lc.allowed_actions("signed_off", "qa_lead", is_owner=False) == [
        "reopen",
        "acknowledge",
        "finalise",
    ]
    assert lc.allowed_actions("signed_off", "evaluator", is_owner=True) == []
    assert lc.allowed_actions("draft", "evaluator", is_owner=True) == ["submit"]


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown lifecycle action"):
        lc.require("teleport", "draft")
