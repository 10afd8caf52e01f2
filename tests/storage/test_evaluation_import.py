"""Recording whole evaluations in bulk: the same stored result as the one-action-at-a-time path,
one audit row each, every refusal before anything is written."""

from __future__ import annotations

import json
import random
from datetime import datetime

import pytest

from qa_studio.domain.scoring import score
from qa_studio.domain.timeutil import LONDON
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import audit
from qa_studio.storage.repository import evaluations as ev
from qa_studio.storage.repository.evaluation_import import (
    EvaluationImport,
    record_evaluation,
    record_evaluations,
)
from tests.storage.eval_helpers import GOOD, actions, audit_count, seed

STARTED = "2026-10-05T09:00:00Z"
SUBMITTED = "2026-10-05T09:20:00Z"
SIGNED = "2026-10-06T11:00:00Z"


@pytest.fixture
def data(ws):
    return seed(ws)


def _answers_rows(ws, evaluation_id):
    return sorted(
        ws.db.execute(
            "SELECT question_key, value, na, points, max_points, failed FROM answers "
            "WHERE evaluation_id = ?",
            [evaluation_id],
        ).fetchall()
    )


def _score_row(ws, evaluation_id):
    return ws.db.execute(
        "SELECT score, max_score, percent, fatal FROM evaluations WHERE id = ?", [evaluation_id]
    ).fetchone()


def _record(ws, data, answers=GOOD, n=0, **kw):
    args = {
        "interaction_id": data["interactions"][n],
        "version_id": data["v1"].id,
        "evaluator": "Ann",
        "answers": answers,
        "started_at": STARTED,
        "submitted_at": SUBMITTED,
        "signed_at": SIGNED,
        **kw,
    }
    return record_evaluation(ws, **args)


@pytest.mark.parametrize(
    "answers",
    [
        GOOD,
        {**GOOD, "idv": "no"},  # critical: the compliance section earns 0
        {**GOOD, "cvv": "no"},  # fatal: the form's percent is 0
        {"greet": "no", "empathy": 1, "idv": "yes", "cvv": "yes"},
    ],
)
def test_the_stored_result_equals_what_the_screen_path_stores(ws, data, answers):
    screen = ev.start(ws, data["interactions"][0], data["v1"].id, "Ann")
    ev.save_answers(ws, screen.id, answers)
    ev.submit(ws, screen.id)
    ev.sign_off(ws, screen.id, "Ann")
    recorded = _record(ws, data, answers, n=1)

    assert _answers_rows(ws, recorded) == _answers_rows(ws, screen.id)
    assert _score_row(ws, recorded) == _score_row(ws, screen.id)
    expected = score(data["v1"].card, answers)
    assert _score_row(ws, recorded) == (
        expected.score,
        expected.max_score,
        expected.percent,
        int(expected.fatal),
    )
    got = ev.get(ws, recorded)
    assert (got.status, got.signed_by, got.signed_at) == ("signed_off", "Ann", SIGNED)
    assert (got.started_at, got.submitted_at, got.updated_at) == (STARTED, SUBMITTED, SIGNED)
    assert got.answers == ev.get(ws, screen.id).answers


def test_notes_comment_and_one_audit_row(ws, data):
    before = audit_count(ws)
    evaluation_id = _record(
        ws,
        data,
        notes=[("greet", 3.5, "  Rushed opening  "), (None, None, "Good call overall")],
        comment="Solid call",
        source="sample",
    )
    got = ev.get(ws, evaluation_id)
    assert got.comment == "Solid call" and got.source == "sample"
    assert [(n.question_key, n.at_s, n.text, n.author, n.created_at) for n in got.notes] == [
        ("greet", 3.5, "Rushed opening", "Ann", STARTED),
        (None, None, "Good call overall", "Ann", STARTED),
    ]
    assert audit_count(ws) == before + 1 and actions(ws)[-1] == "evaluation.record"
    row = ws.db.execute(
        "SELECT entity_uuid, actor, payload FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    payload = json.loads(row[2])
    assert row[0] == got.uuid and row[1] == "Ann"
    assert payload["answers"] == GOOD and payload["status"] == "signed_off"
    assert payload["scorecard_version"] == data["v1"].uuid
    assert payload["notes"] == 2 and round(payload["percent"], 2) == 92.86
    assert audit.verify(ws.db).ok


def test_signed_evaluations_are_locked_like_any_other(ws, data):
    evaluation_id = _record(ws, data)
    with pytest.raises(DataRefused, match="signed off"):
        ev.save_answer(ws, evaluation_id, "greet", "no")
    with pytest.raises(Exception, match="cannot change"):
        ws.db.execute("UPDATE answers SET value = 'no' WHERE evaluation_id = ?", [evaluation_id])


def test_submitted_and_draft_statuses(ws, data):
    submitted = _record(ws, data, signed_at=None, status="submitted")
    draft = _record(
        ws,
        data,
        {"greet": "yes", "empathy": 4},
        n=1,
        status="draft",
        submitted_at=None,
        signed_at=None,
    )
    got = ev.get(ws, submitted)
    assert (got.status, got.signed_by, got.signed_at) == ("submitted", None, None)
    d = ev.get(ws, draft)
    assert d.status == "draft" and d.submitted_at is None
    assert d.percent == pytest.approx(100 * 2.5 / 3)  # the running score over what is answered
    assert [x.id for x in ev.drafts(ws, "Ann")] == [draft]
    # the draft carries on through the ordinary workflow
    ev.save_answers(ws, draft, {"idv": "yes", "cvv": "yes"})
    assert round(ev.submit(ws, draft).percent, 2) == 92.86


def test_a_batch_is_one_transaction_and_uuids_follow_the_seed(ws, data, tmp_path):
    items = [
        EvaluationImport(
            interaction_id=data["interactions"][i],
            version_id=data["v1"].id,
            evaluator="Bo",
            answers={**GOOD, "empathy": 2 + i},
            started_at=datetime(2026, 10, 5 + i, 10, 0, tzinfo=LONDON),
            submitted_at=datetime(2026, 10, 5 + i, 10, 25, tzinfo=LONDON),
            signed_at=datetime(2026, 10, 7 + i, 9, 0, tzinfo=LONDON),
            signed_by="Lee",
        )
        for i in range(3)
    ]
    ids = record_evaluations(ws, items, rng=random.Random(5))
    assert len(ids) == 3 and ids == sorted(ids)
    got = [ev.get(ws, i) for i in ids]
    assert [g.answers["empathy"] for g in got] == [2, 3, 4]
    assert {g.signed_by for g in got} == {"Lee"}
    assert got[0].started_at == "2026-10-05T09:00:00Z"  # London summer time → UTC
    uuids = [g.uuid for g in got]

    from qa_studio.storage.db import open_workspace

    other = open_workspace(tmp_path / "other.qaw")
    try:
        data2 = seed(other)
        items2 = [
            EvaluationImport(**{**it.__dict__, "interaction_id": data2["interactions"][n]})
            for n, it in enumerate(items)
        ]
        ids2 = record_evaluations(other, items2, rng=random.Random(5))
        assert [ev.get(other, i).uuid for i in ids2] == uuids
    finally:
        other.close()


def test_a_bad_item_refuses_the_whole_batch(ws, data):
    good = EvaluationImport(
        interaction_id=data["interactions"][0],
        version_id=data["v1"].id,
        evaluator="Ann",
        answers=GOOD,
        started_at=STARTED,
        submitted_at=SUBMITTED,
        status="submitted",
    )
    bad = EvaluationImport(**{**good.__dict__, "answers": {**GOOD, "empathy": 9}})
    before = audit_count(ws)
    with pytest.raises(DataRefused) as err:
        record_evaluations(ws, [good, bad])
    assert err.value.message.startswith("evaluation 2 (interaction INT-1 on voice_example@1): ")
    assert "empathy: 9 is not a valid answer" in err.value.message
    assert ws.db.execute("SELECT count(*) FROM evaluations").fetchone() == (0,)
    assert audit_count(ws) == before


@pytest.mark.parametrize(
    "change, message",
    [
        ({"answers": {"greet": "yes"}}, "3 questions unanswered: empathy, idv, cvv"),
        ({"answers": {**GOOD, "hold": "yes"}}, "not questions on scorecard 'voice_example': hold"),
        ({"answers": {**GOOD, "greet": "na"}}, "greet: N/A is not allowed"),
        ({"evaluator": "Zed"}, "unknown evaluator 'Zed'"),
        ({"interaction_id": 999}, "no interaction with id 999"),
        ({"version_id": 999}, "no scorecard version with id 999"),
        ({"sample_id": 999}, "no sample with id 999"),
        ({"status": "final"}, "status 'final' cannot be recorded"),
        ({"source": "gossip"}, "source 'gossip' cannot be recorded"),
        ({"signed_by": "Bo"}, r"Bo \(evaluator\) may not sign off"),
        ({"signed_at": None}, "needs signed_at"),
        ({"submitted_at": None}, "needs submitted_at"),
        ({"submitted_at": "2026-10-05T08:00:00Z"}, "is before started_at"),
        ({"signed_at": "2026-10-05T09:10:00Z"}, "is before submitted_at"),
        ({"started_at": "yesterday"}, "started_at 'yesterday' is not an ISO-8601 instant"),
        ({"status": "submitted"}, "not signed yet; drop signed_at"),
        ({"status": "draft", "signed_at": None}, "a draft has no submitted_at"),
        ({"notes": [("greet", -1, "x")]}, "note 1: time -1 must be a number of seconds"),
        ({"notes": [("hold", 1.0, "x")]}, "note 1: scorecard voice_example@1 has no question"),
        ({"notes": [(None, None, "  ")]}, "note 1 has no text"),
    ],
)
def test_refusals_name_the_problem_and_store_nothing(ws, data, change, message):
    args = {
        "interaction_id": data["interactions"][0],
        "version_id": data["v1"].id,
        "evaluator": "Ann",
        "answers": GOOD,
        "started_at": STARTED,
        "submitted_at": SUBMITTED,
        "signed_at": SIGNED,
        **change,
    }
    before = audit_count(ws)
    with pytest.raises(DataRefused, match=message):
        record_evaluation(ws, **args)
    assert ws.db.execute("SELECT count(*) FROM evaluations").fetchone() == (0,)
    assert ws.db.execute("SELECT count(*) FROM answers").fetchone() == (0,)
    assert audit_count(ws) == before
