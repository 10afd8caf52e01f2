"""Disputes end to end: raise, uphold (answer changed, score recomputed, revision + 1), reject,
the evaluation's status, audit rows, the database's guards, and dispute rates."""

from __future__ import annotations

import json
import sqlite3

import pytest

from qa_studio.domain.scoring import score
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import audit, calibration, disputes, evaluations, scorecards
from qa_studio.storage.repository.evaluation_records import stored_answers
from qa_studio.storage.repository.interactions import interaction_id
from tests.storage import coaching_data
from tests.storage.eval_helpers import actions


@pytest.fixture
def data(ws):
    return coaching_data.build(ws)


def payloads(ws, action: str) -> list[dict]:
    return [
        json.loads(r[0])
        for r in ws.db.execute(
            "SELECT payload FROM audit_log WHERE action = ? ORDER BY seq", [action]
        ).fetchall()
    ]


def test_an_upheld_dispute_changes_the_answer_and_recomputes_the_score(ws, data):
    eid = data["before"][0]  # B-0, greet "yes": 100 %
    evaluations.acknowledge(ws, eid, "Alex Agent")
    d = disputes.raise_dispute(
        ws,
        eid,
        "greet",
        "I did greet: listen at 0:03",
        agent="A1",
        entered_by="Tara",
        at="2026-06-20T09:00:00Z",
    )
    assert (d.status, d.raised_by, d.entered_by, d.raised_at) == (
        "open",
        "Alex Agent",
        "Tara",
        "2026-06-20T09:00:00Z",
    )
    e = evaluations.get(ws, eid)
    assert e.status == "disputed" and e.percent == 100.0 and e.revision == 1  # still counts

    # a second question of the same evaluation may be disputed too
    d2 = disputes.raise_dispute(ws, eid, "empathy", "I was warm", agent="a1")
    with pytest.raises(DataRefused, match=r"Tara \(team leader\) may not uphold"):
        disputes.uphold(ws, d.id, by="Tara", value="no", resolution="Agreed")
    with pytest.raises(DataRefused, match="a reason is required to uphold"):
        disputes.uphold(ws, d.id, by="Lee", value="no", resolution=" ")
    with pytest.raises(DataRefused, match="'maybe' is not a valid answer"):
        disputes.uphold(ws, d.id, by="Lee", value="maybe", resolution="Agreed")
    with pytest.raises(DataRefused, match=r"already .yes.*reject the dispute instead"):
        disputes.uphold(ws, d.id, by="Lee", value="yes", resolution="Agreed")

    up = disputes.uphold(
        ws, d.id, by="Lee", value="no", resolution="No name given", at="2026-06-22T10:00:00Z"
    )
    assert (up.status, up.resolved_by, up.resolution) == ("upheld", "Lee", "No name given")
    assert (up.previous_value, up.new_value) == ("yes", "no")
    assert (up.revision_before, up.revision_after) == (1, 2)
    assert up.percent_before == 100.0 and up.percent_after == pytest.approx(600 / 7)
    e = evaluations.get(ws, eid)
    assert e.status == "disputed"  # the empathy dispute is still open
    assert e.revision == 2 and e.answers["greet"] == "no"
    assert e.acknowledged_by is None  # that acknowledgement was of revision 1
    card = scorecards.get_version(ws, e.scorecard_version_id).card
    want = score(card, stored_answers(ws, eid, card))
    assert (e.score, e.max_score, e.percent, e.fatal) == (
        want.score,
        want.max_score,
        want.percent,
        want.fatal,
    )
    row = ws.db.execute(
        "SELECT points, max_points, failed FROM answers WHERE evaluation_id = ? "
        "AND question_key = 'greet'",
        [eid],
    ).fetchone()
    assert row == (0.0, 1.0, 1)

    rejected = disputes.reject(ws, d2.id, by="Lee", resolution="Empathy was generic")
    assert rejected.status == "rejected" and rejected.revision_after == 2
    e = evaluations.get(ws, eid)
    assert e.status == "final" and e.revision == 2 and e.answers["empathy"] == 5

    assert actions(ws)[-5:] == [
        "dispute.raise",
        "dispute.raise",
        "dispute.uphold",
        "evaluation.revise",
        "dispute.reject",
    ]
    revise = payloads(ws, "evaluation.revise")[0]
    assert revise["previous_value"] == "yes" and revise["new_value"] == "no"
    assert revise["revision"] == 2 and revise["previous_acknowledged_by"] == "Alex Agent"
    assert revise["new_percent"] == pytest.approx(600 / 7)
    raised = payloads(ws, "dispute.raise")[0]
    assert raised["reason"] == "I did greet: listen at 0:03" and raised["answer"] == "yes"
    assert audit.verify(ws.db).ok
    with pytest.raises(DataRefused, match="cannot dispute this evaluation: it is final"):
        disputes.raise_dispute(ws, eid, "greet", "again", agent="A1")


def test_a_rejected_dispute_leaves_the_answer_and_makes_the_evaluation_final(ws, data):
    eid = data["before"][5]  # greet "no"
    d = disputes.raise_dispute(ws, eid, "greet", "I said hello", agent="Alex Agent")
    before = evaluations.get(ws, eid)
    r = disputes.reject(
        ws, d.id, by="Lee", resolution="No greeting on the recording", at="2026-06-25T08:00:00Z"
    )
    assert (r.status, r.resolved_at, r.new_value, r.percent_after) == (
        "rejected",
        "2026-06-25T08:00:00Z",
        None,
        None,
    )
    after = evaluations.get(ws, eid)
    assert after.status == "final" and after.answers == before.answers
    assert after.revision == before.revision and after.percent == before.percent
    with pytest.raises(DataRefused, match="already rejected by Lee on 2026-06-25"):
        disputes.uphold(ws, d.id, by="Lee", value="yes", resolution="changed my mind")
    with pytest.raises(sqlite3.IntegrityError, match="a resolved dispute cannot change"):
        ws.db.execute("UPDATE disputes SET status = 'upheld' WHERE id = ?", [d.id])
    with pytest.raises(sqlite3.IntegrityError, match="signed-off evaluation cannot change"):
        ws.db.execute(
            "UPDATE answers SET value = 'yes' WHERE evaluation_id = ? AND question_key = 'greet'",
            [eid],
        )


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"question_key": "smile"}, "has no question 'smile' to dispute"),
        ({"agent": "Sam Agent"}, "'Sam Agent' is not the agent of interaction B-1"),
        ({"reason": ""}, "a reason is required to dispute"),
        ({"entered_by": "Ann"}, "Ann is evaluator: a dispute is entered"),
        ({"entered_by": "Zed"}, "unknown evaluator 'Zed'"),
    ],
)
def test_bad_disputes_are_refused_and_nothing_changes(ws, data, kw, message):
    eid = data["before"][1]
    args = {"question_key": "greet", "reason": "Wrong", "agent": "A1", **kw}
    before = len(actions(ws))
    with pytest.raises(DataRefused, match=message):
        disputes.raise_dispute(ws, eid, args.pop("question_key"), args.pop("reason"), **args)
    assert evaluations.get(ws, eid).status == "signed_off"
    assert disputes.list_disputes(ws) == [] and len(actions(ws)) == before


def test_only_signed_off_evaluations_can_be_disputed_once_per_question(ws, data):
    eid = data["before"][2]
    evaluations.reopen(ws, eid, "Lee", "Recheck")
    with pytest.raises(DataRefused, match="it is submitted; only an evaluation that is signed"):
        disputes.raise_dispute(ws, eid, "greet", "Wrong", agent="A1")
    evaluations.sign_off(ws, eid, "Lee")
    d = disputes.raise_dispute(ws, eid, "greet", "Wrong", agent="A1")
    with pytest.raises(DataRefused, match=r"already disputed \(dispute 1, still open"):
        disputes.raise_dispute(ws, eid, "greet", "Still wrong", agent="A1")
    assert [x.id for x in disputes.list_disputes(ws, status="open")] == [d.id]
    assert disputes.list_disputes(ws, agent="A2") == []
    assert [x.id for x in disputes.list_disputes(ws, team="Blue", evaluation_id=eid)] == [d.id]
    with pytest.raises(DataRefused, match="unknown dispute status 'closed'"):
        disputes.list_disputes(ws, status="closed")


def test_the_database_freezes_other_answers_of_a_disputed_evaluation(ws, data):
    eid = data["before"][3]
    disputes.raise_dispute(ws, eid, "greet", "Wrong", agent="A1")
    with pytest.raises(sqlite3.IntegrityError, match="only a disputed answer"):
        ws.db.execute(
            "UPDATE answers SET value = '1' WHERE evaluation_id = ? AND question_key = 'empathy'",
            [eid],
        )
    with pytest.raises(DataRefused, match="is disputed: its answers cannot change"):
        evaluations.save_answer(ws, eid, "empathy", 1)
    # points may still be recomputed (a migration to another version keeps the answers)
    ws.db.execute(
        "UPDATE answers SET points = points WHERE evaluation_id = ? AND question_key = 'empathy'",
        [eid],
    )


def test_dispute_rates_per_evaluator_and_question(ws, data):
    ann = data["before"]  # every before-call was scored by Ann
    first = disputes.raise_dispute(ws, ann[0], "greet", "x", agent="A1")
    disputes.uphold(ws, first.id, by="Lee", value="no", resolution="ok")
    second = disputes.raise_dispute(ws, ann[1], "greet", "x", agent="A1")
    disputes.reject(ws, second.id, by="Lee", resolution="no")
    disputes.raise_dispute(ws, ann[2], "empathy", "x", agent="A1")
    bo = data["after"][1]  # odd after-calls were scored by Bo
    disputes.raise_dispute(ws, bo, "idv", "x", agent="A1")

    rates = disputes.dispute_rates(ws)
    by_name = {e.evaluator: e.as_dict() for e in rates.evaluators}
    # Ann scored 10 before-calls, 5 after-calls and 4 of Kim's: 19; Bo 5 after-calls + 4 of Sam's
    assert by_name["Ann"]["evaluations"] == 19 and by_name["Ann"]["disputed_evaluations"] == 3
    assert by_name["Ann"]["disputes"] == 3 and by_name["Ann"]["upheld"] == 1
    assert by_name["Ann"]["dispute_rate"] == pytest.approx(100 * 3 / 19, abs=0.01)
    assert by_name["Ann"]["upheld_rate"] == 50.0
    low, high = by_name["Ann"]["dispute_rate_ci"]
    assert low < 100 * 3 / 19 < high
    assert by_name["Bo"]["evaluations"] == 9 and by_name["Bo"]["open"] == 1
    assert by_name["Bo"]["upheld_rate"] is None  # nothing decided yet
    questions = {q.question_key: q.as_dict() for q in rates.questions}
    assert questions["greet"]["answers"] == 28 and questions["greet"]["disputes"] == 2
    assert questions["greet"]["upheld"] == 1 and questions["greet"]["rejected"] == 1
    assert questions["greet"]["text"] == "Greeted the customer and gave their name"
    assert questions["cvv"]["disputes"] == 0 and questions["cvv"]["dispute_rate"] == 0.0
    assert rates.questions[0].question_key == "greet"  # highest rate first
    june = disputes.dispute_rates(ws, period="2026-05").as_dict()
    assert june["period"] == "2026-05"
    assert {e["evaluator"]: e["evaluations"] for e in june["evaluators"]} == {"Ann": 6}


def test_calibration_evaluations_are_not_disputed(ws, data):
    iid = interaction_id(ws, "K-0")
    session = calibration.create_session(ws, "Greeting check", data["v1"].id, [iid], ["Ann", "Bo"])
    e = evaluations.start(
        ws, iid, data["v1"].id, "Ann", source="calibration", calibration_session_id=session.id
    )
    with pytest.raises(DataRefused, match="belongs to calibration session"):
        disputes.raise_dispute(ws, e.id, "greet", "Wrong", agent="A3")
