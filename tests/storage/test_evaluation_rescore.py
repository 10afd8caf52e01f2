"""What-if re-scoring of stored evaluations and the confirmed, audited migration."""

from __future__ import annotations

import json

import pytest

from qa_studio.errors import DataRefused
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository import evaluations as ev
from tests.storage.eval_helpers import GOOD, V2_NEW_QUESTION, V2_WEIGHTS, audit_count, seed


@pytest.fixture
def data(ws):
    """INT-1 (A1, Blue) signed off with GOOD; INT-2 (A2, Red) submitted with idv failed;
    INT-3 (A1) still a draft; all on v1."""
    d = seed(ws)
    ids = []
    for n, answers in ((0, GOOD), (1, {**GOOD, "idv": "no"})):
        e = ev.start(ws, d["interactions"][n], d["v1"].id, "Ann")
        ev.save_answers(ws, e.id, answers)
        ev.submit(ws, e.id)
        ids.append(e.id)
    ev.sign_off(ws, ids[0], "Ann")
    draft = ev.start(ws, d["interactions"][2], d["v1"].id, "Bo")
    ev.save_answers(ws, draft.id, GOOD)
    return {**d, "signed": ids[0], "submitted": ids[1], "draft": draft.id}


def _state(ws):
    return (
        list(ws.db.execute("SELECT * FROM evaluations ORDER BY id")),
        list(ws.db.execute("SELECT * FROM answers ORDER BY id")),
        audit_count(ws),
    )


def test_what_if_compares_without_changing_anything(ws, data):
    scorecards.publish(ws, V2_WEIGHTS, "Empathy matters more")
    before = _state(ws)
    report = ev.rescore(ws, "voice_example@2")
    doc = report.as_dict()
    assert doc["to"] == "voice_example@2" and doc["applied"] is False
    rows = {e["id"]: e for e in doc["evaluations"]}
    assert set(rows) == {data["signed"], data["submitted"]}  # drafts never count
    good, bad = rows[data["signed"]], rows[data["submitted"]]
    # GOOD: v1 (1 + 1.5 + 4) / 7 = 92.86 → v2 (1 + 3 + 4) / 9 = 88.89
    assert (
        good["old_percent_stored"],
        good["old_percent"],
        good["new_percent"],
        good["delta"],
    ) == (92.86, 92.86, 88.89, -3.97)
    # idv failed (critical): v1 2.5 / 7 = 35.71 → v2 (1 + 3) / 9 = 44.44
    assert (bad["old_percent"], bad["new_percent"], bad["delta"]) == (35.71, 44.44, 8.73)
    assert good["from"] == "voice_example@1" and good["agent"] == "A1"
    assert good["not_assessed"] == [] and good["removed"] == []
    agg = doc["aggregate"]
    assert agg["n"] == 2 and agg["mean_old"] == 64.29 and agg["mean_new"] == 66.67
    assert agg["mean_delta"] == 2.38
    assert _state(ws) == before


def test_filters_agent_team_period(ws, data):
    scorecards.publish(ws, V2_WEIGHTS, "weights")
    assert [e.id for e in ev.rescore(ws, "voice_example@2", agent="A2").items] == [
        data["submitted"]
    ]
    assert [e.id for e in ev.rescore(ws, "voice_example@2", team="Blue").items] == [data["signed"]]
    ws.db.execute(
        "UPDATE evaluations SET submitted_at = '2026-09-30T23:30:00Z' WHERE id = ?",
        [data["submitted"]],
    )  # 00:30 on 1 October in London (BST)
    assert [e.id for e in ev.rescore(ws, "voice_example@2", period="2026-10").items] == [
        data["submitted"]
    ]
    with pytest.raises(DataRefused, match="unknown agent 'A9'"):
        ev.rescore(ws, "voice_example@2", agent="A9")
    with pytest.raises(DataRefused, match="unknown team 'Green'"):
        ev.rescore(ws, "voice_example@2", team="Green")
    with pytest.raises(DataRefused, match="must be a month written YYYY-MM"):
        ev.rescore(ws, "voice_example@2", period="Oct 2026")


def test_apply_migrates_keeps_answers_recomputes_and_audits(ws, data):
    v2 = scorecards.publish(ws, V2_WEIGHTS, "weights")
    before_answers = list(
        ws.db.execute("SELECT evaluation_id, question_key, value, na FROM answers ORDER BY id")
    )
    report = ev.rescore(ws, "voice_example@2", apply=True)
    assert report.applied
    signed = ev.get(ws, data["signed"])
    assert signed.scorecard_version_id == v2.id and signed.revision == 2
    assert signed.status == "signed_off" and signed.signed_by == "Ann"
    assert round(signed.percent, 2) == 88.89 and signed.max_score == 9
    assert signed.answers == GOOD
    submitted = ev.get(ws, data["submitted"])
    assert round(submitted.percent, 2) == 44.44 and submitted.revision == 2
    assert ev.get(ws, data["draft"]).scorecard_version_id == data["v1"].id  # drafts untouched
    assert (
        list(
            ws.db.execute("SELECT evaluation_id, question_key, value, na FROM answers ORDER BY id")
        )
        == before_answers
    )
    points = ws.db.execute(
        "SELECT points, max_points FROM answers WHERE evaluation_id = ? AND "
        "question_key = 'empathy'",
        [data["signed"]],
    ).fetchone()
    assert points == (3.0, 4.0)
    rows = list(
        ws.db.query(
            "SELECT entity_uuid, payload FROM audit_log "
            "WHERE action = 'evaluation.migrate' ORDER BY seq"
        )
    )
    assert [r["entity_uuid"] for r in rows] == [signed.uuid, submitted.uuid]
    payload = json.loads(rows[0]["payload"])
    assert payload["from"] == data["v1"].uuid and payload["to"] == v2.uuid
    assert payload["revision"] == 2 and round(payload["new_percent"], 2) == 88.89
    assert audit.verify(ws.db).ok
    # now on the target: a second what-if has nothing left to compare
    again = ev.rescore(ws, "voice_example@2")
    assert again.items == [] and again.already_on_target == 2


def test_apply_is_refused_when_a_question_would_be_left_unanswered(ws, data):
    scorecards.publish(ws, V2_NEW_QUESTION, "Recap added")
    before = _state(ws)
    report = ev.rescore(ws, "voice_example@2")
    assert all(i.as_dict()["not_assessed"] == ["recap"] for i in report.items)
    assert report.aggregate["not_migratable"] == 2
    with pytest.raises(DataRefused) as err:
        ev.rescore(ws, "voice_example@2", apply=True)
    assert "2 evaluations would be left with questions nobody answered" in err.value.message
    assert "recap (new in the target version)" in err.value.details[0]
    assert _state(ws) == before


def test_migrating_to_a_version_without_a_question_keeps_its_answer_unscored(ws, data):
    without_cvv = V2_WEIGHTS.replace(
        "      - {key: cvv, text: Did not take or repeat the card security code, type: yes_no, "
        'fatal: true, regulation: "PCI DSS 3.3.1"}\n',
        "",
    )
    scorecards.publish(ws, without_cvv, "cvv moves to the compliance card")
    report = ev.rescore(ws, "voice_example@2", apply=True)
    assert report.items[0].as_dict()["removed"] == ["cvv"]
    e = ev.get(ws, data["signed"])
    assert e.answers == {"greet": "yes", "empathy": 4, "idv": "yes"}
    assert round(e.percent, 2) == 87.5  # (1 + 3 + 3) / 8
    row = ws.db.execute(
        "SELECT value, points, max_points FROM answers WHERE evaluation_id = ? "
        "AND question_key = 'cvv'",
        [data["signed"]],
    ).fetchone()
    assert row == ("yes", None, None)


def test_failure_during_migration_changes_nothing(ws, data, monkeypatch):
    scorecards.publish(ws, V2_WEIGHTS, "weights")
    before = _state(ws)
    calls = []

    def fail_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    real = audit.append
    monkeypatch.setattr(audit, "append", fail_second)
    with pytest.raises(RuntimeError, match="power cut"):
        ev.rescore(ws, "voice_example@2", apply=True)
    monkeypatch.setattr(audit, "append", real)
    assert _state(ws) == before


def test_unknown_target_is_refused(ws, data):
    with pytest.raises(DataRefused, match="has no version 5"):
        ev.rescore(ws, "voice_example@5")
