"""The evaluation lifecycle in the repository: happy path, every refusal, database guards,
one audit row per write in the same transaction."""

from __future__ import annotations

import json
import sqlite3

import pytest

from qa_studio.domain.scoring import score
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import audit
from qa_studio.storage.repository import evaluations as ev
from tests.storage.eval_helpers import GOOD, actions, audit_count, seed


@pytest.fixture
def data(ws):
    return seed(ws)


def _new(ws, data, who="Ann", n=0):
    return ev.start(ws, data["interactions"][n], data["v1"].id, who)


def _signed(ws, data, answers=GOOD, n=0):
    e = _new(ws, data, n=n)
    ev.save_answers(ws, e.id, answers)
    ev.submit(ws, e.id)
    return ev.sign_off(ws, e.id, "Ann")


def test_happy_path_draft_submit_sign_off(ws, data):
    e = _new(ws, data)
    assert (e.status, e.revision, e.source, e.evaluator) == ("draft", 1, "ad_hoc", "Ann")
    assert e.interaction_external_id == "INT-1" and e.answers == {} and e.percent is None

    e = ev.save_answer(ws, e.id, "greet", "yes")
    e = ev.save_answer(ws, e.id, "empathy", "4")
    assert e.answers == {"greet": "yes", "empathy": 4}
    assert e.percent == pytest.approx(100 * 2.5 / 3)  # running score over what is answered
    e = ev.save_answer(ws, e.id, "idv", True)
    e = ev.save_answer(ws, e.id, "cvv", "yes")
    ev.add_note(ws, e.id, "Lovely greeting", question_key="greet", at_s=3.5)
    ev.set_comment(ws, e.id, "  Solid call  ")

    e = ev.submit(ws, e.id)
    expected = score(data["v1"].card, GOOD)
    assert e.status == "submitted" and e.submitted_at
    assert (e.score, e.max_score, e.percent, e.fatal) == (
        expected.score,
        expected.max_score,
        expected.percent,
        expected.fatal,
    )
    assert round(e.percent, 2) == 92.86
    assert e.comment == "Solid call"
    assert [(n.question_key, n.at_s, n.text, n.author) for n in e.notes] == [
        ("greet", 3.5, "Lovely greeting", "Ann")
    ]

    e = ev.sign_off(ws, e.id, "Ann")
    assert e.status == "signed_off" and e.signed_by == "Ann" and e.signed_at
    assert ev.get(ws, e.id) == e
    assert actions(ws) == ["scorecard.publish", "evaluation.create"] + ["evaluation.answer"] * 4 + [
        "evaluation.note",
        "evaluation.comment",
        "evaluation.submit",
        "evaluation.sign_off",
    ]
    assert audit.verify(ws.db).ok


def test_answer_rows_hold_points_from_the_scoring_engine(ws, data):
    e = _new(ws, data)
    ev.save_answers(ws, e.id, {**GOOD, "idv": "no"})
    rows = {
        r[0]: r[1:]
        for r in ws.db.execute(
            "SELECT question_key, value, na, points, max_points, failed FROM answers "
            "WHERE evaluation_id = ?",
            [e.id],
        )
    }
    assert rows["empathy"] == ("4", 0, 1.5, 2.0, 0)
    assert rows["idv"] == ("no", 0, 0.0, 3.0, 1)
    e = ev.submit(ws, e.id)
    assert round(e.percent, 2) == 35.71  # the critical idv zeroes the compliance section


def test_fatal_fail_is_stored(ws, data):
    e = _new(ws, data)
    ev.save_answers(ws, e.id, {**GOOD, "cvv": "no"})
    e = ev.submit(ws, e.id)
    assert e.fatal and e.percent == 0 and e.max_score == 7


def test_audit_payloads_use_uuids_and_stay_small(ws, data):
    e = _new(ws, data)
    ev.save_answer(ws, e.id, "greet", "yes")
    rows = list(
        ws.db.query(
            "SELECT action, entity_uuid, payload, actor FROM audit_log "
            "WHERE entity = 'evaluation' ORDER BY seq"
        )
    )
    create = json.loads(rows[0]["payload"])
    assert rows[0]["entity_uuid"] == e.uuid and rows[0]["actor"] == "Ann"
    assert create["scorecard_version"] == data["v1"].uuid
    assert (
        create["interaction"]
        == ws.db.execute("SELECT uuid FROM interactions WHERE external_id = 'INT-1'").fetchone()[0]
    )
    assert json.loads(rows[1]["payload"]) == {"key": "greet", "value": "yes"}


def test_unchanged_answer_writes_nothing(ws, data):
    e = _new(ws, data)
    ev.save_answer(ws, e.id, "greet", "yes")
    before = audit_count(ws)
    ev.save_answer(ws, e.id, "greet", "YES")
    assert audit_count(ws) == before


def test_clearing_an_answer_in_a_draft(ws, data):
    e = _new(ws, data)
    ev.save_answers(ws, e.id, {"greet": "yes", "idv": "no"})
    e = ev.save_answer(ws, e.id, "idv", None)
    assert e.answers == {"greet": "yes"} and e.percent == 100


def test_start_refusals(ws, data):
    with pytest.raises(DataRefused, match=r"unknown evaluator 'Zed' \(known: Ann, Bo, Lee\)"):
        _new(ws, data, who="Zed")
    with pytest.raises(DataRefused, match="unknown evaluation source"):
        ev.start(ws, data["interactions"][0], data["v1"].id, "Ann", source="gossip")
    with pytest.raises(DataRefused, match="no interaction with id 999"):
        ev.start(ws, 999, data["v1"].id, "Ann")
    first = _new(ws, data)
    with pytest.raises(DataRefused, match=f"already has draft evaluation {first.id}"):
        _new(ws, data)
    assert ev.find_draft(ws, data["interactions"][0], "Ann").id == first.id
    assert ev.find_draft(ws, data["interactions"][0], "Bo") is None
    assert [d.id for d in ev.drafts(ws, "Ann")] == [first.id]


def test_invalid_answers_are_refused(ws, data):
    e = _new(ws, data)
    with pytest.raises(DataRefused, match="empathy: 9 is not a valid answer"):
        ev.save_answer(ws, e.id, "empathy", 9)
    with pytest.raises(DataRefused, match="greet: N/A is not allowed"):
        ev.save_answer(ws, e.id, "greet", "na")
    with pytest.raises(DataRefused, match="voice_example@1 has no question 'hold'"):
        ev.save_answer(ws, e.id, "hold", "yes")
    assert actions(ws) == ["scorecard.publish", "evaluation.create"]


def test_submit_incomplete_lists_the_unanswered_keys(ws, data):
    e = _new(ws, data)
    ev.save_answer(ws, e.id, "empathy", 3)
    with pytest.raises(DataRefused) as err:
        ev.submit(ws, e.id)
    assert "3 questions unanswered: greet, idv, cvv" in err.value.message
    assert err.value.details == ["greet", "idv", "cvv"]
    assert ev.get(ws, e.id).status == "draft"


def test_submit_twice_is_refused(ws, data):
    e = _new(ws, data)
    ev.save_answers(ws, e.id, GOOD)
    ev.submit(ws, e.id)
    with pytest.raises(DataRefused, match="it is submitted"):
        ev.submit(ws, e.id)


def test_submitted_evaluation_can_still_be_corrected_but_not_cleared(ws, data):
    e = _new(ws, data)
    ev.save_answers(ws, e.id, GOOD)
    ev.submit(ws, e.id)
    e = ev.save_answer(ws, e.id, "idv", "no")
    assert round(e.percent, 2) == 35.71
    with pytest.raises(DataRefused, match="must stay answered"):
        ev.save_answer(ws, e.id, "idv", None)


def test_sign_off_needs_a_submitted_evaluation_and_a_rightful_signer(ws, data):
    e = _new(ws, data)
    with pytest.raises(DataRefused, match="it is a draft"):
        ev.sign_off(ws, e.id, "Ann")
    ev.save_answers(ws, e.id, GOOD)
    ev.submit(ws, e.id)
    with pytest.raises(DataRefused, match=r"Bo \(evaluator\) may not sign off"):
        ev.sign_off(ws, e.id, "Bo")
    with pytest.raises(DataRefused, match="unknown evaluator 'Nobody'"):
        ev.sign_off(ws, e.id, "Nobody")
    assert ev.sign_off(ws, e.id, "Lee").signed_by == "Lee"  # a QA lead may sign anyone's


def test_edits_after_sign_off_are_refused(ws, data):
    e = _signed(ws, data)
    before = audit_count(ws)
    with pytest.raises(DataRefused, match="signed off: its answers cannot change"):
        ev.save_answer(ws, e.id, "greet", "no")
    with pytest.raises(DataRefused, match="its comment cannot change"):
        ev.set_comment(ws, e.id, "changed my mind")
    with pytest.raises(DataRefused, match="its notes cannot change"):
        ev.add_note(ws, e.id, "late note")
    assert audit_count(ws) == before and ev.get(ws, e.id) == e


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE answers SET value = 'no' WHERE question_key = 'greet'",
        "DELETE FROM answers WHERE question_key = 'greet'",
        "INSERT INTO answers (uuid, evaluation_id, question_key, value) VALUES ('u', 1, 'x', 'yes')",
        "UPDATE evaluations SET percent = 100",
        "UPDATE evaluations SET comment = 'edited'",
        "INSERT INTO answer_notes (uuid, evaluation_id, text, created_at) VALUES ('n', 1, 't', 'x')",
    ],
)
def test_the_database_guards_a_signed_off_evaluation(ws, data, sql):
    e = _signed(ws, data)
    assert e.id == 1
    with pytest.raises(sqlite3.IntegrityError, match="signed-off evaluation"):
        ws.db.execute(sql)
    assert ev.get(ws, e.id) == e


def test_reopen_by_a_non_lead_is_refused(ws, data):
    e = _signed(ws, data)
    with pytest.raises(DataRefused, match=r"Ann \(evaluator\) may not reopen"):
        ev.reopen(ws, e.id, "Ann", "typo")


@pytest.mark.parametrize("reason", ["", "  "])
def test_reopen_without_a_reason_is_refused(ws, data, reason):
    e = _signed(ws, data)
    with pytest.raises(DataRefused, match="reason is required"):
        ev.reopen(ws, e.id, "Lee", reason)
    assert ev.get(ws, e.id).status == "signed_off"


def test_reopen_a_submitted_evaluation_is_refused(ws, data):
    e = _new(ws, data)
    ev.save_answers(ws, e.id, GOOD)
    ev.submit(ws, e.id)
    with pytest.raises(DataRefused, match="only an evaluation that is signed off"):
        ev.reopen(ws, e.id, "Lee", "why not")


def test_reopen_by_qa_lead_then_correct_and_sign_again(ws, data):
    e = _signed(ws, data)
    ev.acknowledge(ws, e.id, "Alex Agent")
    e = ev.reopen(ws, e.id, "Lee", "Identity check was actually skipped")
    assert (e.status, e.revision, e.signed_by, e.acknowledged_by) == ("submitted", 2, None, None)
    e = ev.save_answer(ws, e.id, "idv", "no")
    e = ev.sign_off(ws, e.id, "Ann")
    assert e.status == "signed_off" and round(e.percent, 2) == 35.71
    row = ws.db.execute(
        "SELECT actor, payload FROM audit_log WHERE action = 'evaluation.reopen'"
    ).fetchone()
    assert row[0] == "Lee"
    assert json.loads(row[1])["reason"] == "Identity check was actually skipped"


def test_acknowledge(ws, data):
    e = _new(ws, data)
    with pytest.raises(DataRefused, match="it is a draft"):
        ev.acknowledge(ws, e.id, "Alex Agent")
    e = _signed(ws, data, n=1)
    with pytest.raises(
        DataRefused,
        match=r"'Alex Agent' is not the agent of interaction INT-2 "
        r"\(Sam Agent, A2\)",
    ):
        ev.acknowledge(ws, e.id, "Alex Agent")
    e = ev.acknowledge(ws, e.id, "a2")
    assert e.acknowledged_by == "Sam Agent" and e.acknowledged_at and e.status == "signed_off"
    with pytest.raises(DataRefused, match="already acknowledged by Sam Agent"):
        ev.acknowledge(ws, e.id, "Sam Agent")


def test_notes_are_validated(ws, data):
    e = _new(ws, data)
    with pytest.raises(DataRefused, match="needs some text"):
        ev.add_note(ws, e.id, "  ")
    with pytest.raises(DataRefused, match="must be a number of seconds"):
        ev.add_note(ws, e.id, "x", at_s=-1)
    with pytest.raises(DataRefused, match="has no question 'nope'"):
        ev.add_note(ws, e.id, "x", question_key="nope")
    note = ev.add_note(ws, e.id, "General remark")
    assert note.question_key is None and note.at_s is None and note.author == "Ann"


def test_every_write_adds_exactly_one_audit_row(ws, data):
    def one_row(action):
        before = audit_count(ws)
        result = action()
        assert audit_count(ws) == before + 1
        return result

    e = one_row(lambda: _new(ws, data))
    for key, value in GOOD.items():
        one_row(lambda k=key, v=value: ev.save_answer(ws, e.id, k, v))
    one_row(lambda: ev.set_comment(ws, e.id, "ok"))
    one_row(lambda: ev.add_note(ws, e.id, "note", at_s=1.0))
    one_row(lambda: ev.submit(ws, e.id))
    one_row(lambda: ev.sign_off(ws, e.id, "Ann"))
    one_row(lambda: ev.acknowledge(ws, e.id, "A1"))
    one_row(lambda: ev.reopen(ws, e.id, "Lee", "second look"))


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize(
    "step", ["start", "answer", "comment", "note", "submit", "sign_off", "reopen", "acknowledge"]
)
def test_a_failure_mid_write_leaves_neither_change_nor_audit_row(ws, data, monkeypatch, step):
    e = _new(ws, data)
    if step in ("submit", "sign_off", "reopen", "acknowledge"):
        ev.save_answers(ws, e.id, GOOD)
    if step in ("sign_off", "reopen", "acknowledge"):
        ev.submit(ws, e.id)
    if step in ("reopen", "acknowledge"):
        ev.sign_off(ws, e.id, "Ann")
    before_audit = list(ws.db.execute("SELECT * FROM audit_log ORDER BY seq"))
    before_rows = {
        t: list(ws.db.execute(f"SELECT * FROM {t} ORDER BY id"))
        for t in ("evaluations", "answers", "answer_notes")
    }

    def explode(*args, **kwargs):
        raise Boom("disk on fire")

    monkeypatch.setattr(audit, "append", explode)
    calls = {
        "start": lambda: ev.start(ws, data["interactions"][1], data["v1"].id, "Bo"),
        "answer": lambda: ev.save_answer(ws, e.id, "greet", "no"),
        "comment": lambda: ev.set_comment(ws, e.id, "new comment"),
        "note": lambda: ev.add_note(ws, e.id, "a note", at_s=2),
        "submit": lambda: ev.submit(ws, e.id),
        "sign_off": lambda: ev.sign_off(ws, e.id, "Ann"),
        "reopen": lambda: ev.reopen(ws, e.id, "Lee", "reason"),
        "acknowledge": lambda: ev.acknowledge(ws, e.id, "A1"),
    }
    with pytest.raises(Boom):
        calls[step]()
    assert list(ws.db.execute("SELECT * FROM audit_log ORDER BY seq")) == before_audit
    for table, rows in before_rows.items():
        assert list(ws.db.execute(f"SELECT * FROM {table} ORDER BY id")) == rows, table
    assert not ws.db.conn.in_transaction


def test_list_for_interaction(ws, data):
    a = _new(ws, data)
    b = _new(ws, data, who="Bo")
    assert [x.id for x in ev.list_for_interaction(ws, data["interactions"][0])] == [a.id, b.id]
    assert ev.list_for_interaction(ws, data["interactions"][1]) == []
    with pytest.raises(DataRefused, match="no evaluation with id 42"):
        ev.get(ws, 42)
