"""``evaluate`` and ``evaluators add|list`` from the command line."""

from __future__ import annotations

import json

import pytest

from qa_studio.storage.repository import evaluations as ev
from tests.storage.eval_helpers import GOOD, audit_count, seed


@pytest.fixture
def db(ws):
    seed(ws)
    return str(ws.path)


def _answers(tmp_path, doc, name="answers.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def _evaluate(run_cli, db, answers_file, *extra, evaluator="Ann", card="voice_example"):
    code, out, _ = run_cli(
        "--db",
        db,
        "evaluate",
        "--interaction",
        "INT-1",
        "--scorecard",
        card,
        "--evaluator",
        evaluator,
        answers_file,
        *extra,
        "--json",
    )
    return code, json.loads(out)


def test_evaluate_submit_and_sign_off_in_one_go(ws, db, tmp_path, run_cli):
    doc = {
        "answers": GOOD,
        "comment": "Good call",
        "notes": [
            {"text": "Warm greeting", "question_key": "greet", "at_s": 4.2},
            {"text": "Overall fine"},
        ],
    }
    code, out = _evaluate(run_cli, db, _answers(tmp_path, doc), "--sign-off")
    assert code == 0, out
    assert out["status"] == "signed_off" and out["signed_by"] == "Ann"
    assert out["percent"] == 92.86 and out["scorecard"] == "voice_example@1" and out["created"]
    stored = ev.get(ws, out["id"])
    assert stored.comment == "Good call" and stored.answers == GOOD
    assert [(n.question_key, n.at_s) for n in stored.notes] == [("greet", 4.2), (None, None)]


def test_unknown_evaluator_is_named(db, tmp_path, run_cli):
    code, out = _evaluate(run_cli, db, _answers(tmp_path, {"answers": GOOD}), evaluator="Zed")
    assert code == 1 and "unknown evaluator 'Zed'" in out["error"]["message"]


def test_unknown_interaction(db, tmp_path, run_cli):
    code, out, _ = run_cli(
        "--db",
        db,
        "evaluate",
        "--interaction",
        "NOPE",
        "--scorecard",
        "voice_example",
        "--evaluator",
        "Ann",
        _answers(tmp_path, {"answers": GOOD}),
        "--json",
    )
    assert code == 1 and "unknown interaction 'NOPE'" in json.loads(out)["error"]["message"]


def test_incomplete_answers_store_nothing_without_partial(ws, db, tmp_path, run_cli):
    before = audit_count(ws)
    code, out = _evaluate(run_cli, db, _answers(tmp_path, {"answers": {"greet": "yes"}}))
    assert code == 1
    assert "3 questions of voice_example@1 unanswered: empathy, idv, cvv" in out["error"]["message"]
    assert out["error"]["details"] == ["empathy", "idv", "cvv"]
    assert audit_count(ws) == before
    assert ws.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0


def test_partial_draft_is_continued_then_signed(ws, db, tmp_path, run_cli):
    code, first = _evaluate(
        run_cli, db, _answers(tmp_path, {"answers": {"greet": "yes"}}), "--partial"
    )
    assert code == 0 and first["status"] == "draft" and first["created"]
    rest = {"answers": {"empathy": 4, "idv": "yes", "cvv": "yes"}}
    code, second = _evaluate(run_cli, db, _answers(tmp_path, rest, "rest.json"), "--sign-off")
    assert code == 0 and second["id"] == first["id"] and not second["created"]
    assert second["status"] == "signed_off" and second["percent"] == 92.86


def test_invalid_values_are_named_by_file_and_field(ws, db, tmp_path, run_cli):
    path = _answers(tmp_path, {"answers": {**GOOD, "empathy": 9, "hold": "yes"}})
    code, out = _evaluate(run_cli, db, path)
    assert code == 1
    details = out["error"]["details"]
    assert f"{path}: answers.empathy: 9 is not a valid answer" in details[0]
    assert details[1] == f"{path}: answers.hold: not a question on voice_example@1"
    assert ws.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        ([1, 2], "expected an object"),
        ({"answers": [1]}, "answers: must be an object"),
        ({"answers": {}, "notes": [{"at_s": -2}]}, "notes[0].text: required text"),
        ({"answers": {}, "notes": [{"text": "x", "at_s": -2}]}, "notes[0].at_s: must be seconds"),
        ({"answers": {}, "extra": 1}, "extra: unknown field"),
    ],
)
def test_malformed_answers_file(db, tmp_path, run_cli, doc, problem):
    code, out = _evaluate(run_cli, db, _answers(tmp_path, doc), "--partial")
    assert code == 1
    assert problem in out["error"]["message"] + " ".join(out["error"]["details"])


def test_bad_json_names_the_line(db, tmp_path, run_cli):
    path = tmp_path / "broken.json"
    path.write_text('{\n"answers": {,}\n}', encoding="utf-8")
    code, out = _evaluate(run_cli, db, str(path))
    assert code == 1 and f"{path}:2 not valid JSON" in out["error"]["message"]


def test_partial_with_submit_is_a_usage_error(db, tmp_path, run_cli):
    code, out = _evaluate(
        run_cli, db, _answers(tmp_path, {"answers": GOOD}), "--partial", "--submit"
    )
    assert code == 2 and "--partial cannot be combined" in out["error"]["message"]


def test_evaluators_add_and_list(tmp_path, run_cli):
    db = str(tmp_path / "people.qaw")
    code, out, _ = run_cli(
        "--db", db, "evaluators", "add", "Lee", "--role", "qa_lead", "--capacity", "5", "--json"
    )
    assert code == 0 and json.loads(out)["role"] == "qa_lead"
    code, out, _ = run_cli("--db", db, "evaluators", "add", "Lee", "--json")
    assert code == 1 and "already exists" in json.loads(out)["error"]["message"]
    code, out, _ = run_cli("--db", db, "evaluators", "add", "Kim", "--role", "boss", "--json")
    assert code == 2
    code, out, _ = run_cli("--db", db, "evaluators", "list", "--json")
    assert [
        (e["name"], e["role"], e["capacity_per_week"]) for e in json.loads(out)["evaluators"]
    ] == [("Lee", "qa_lead", 5)]
    code, out, _ = run_cli("--db", db, "audit", "verify", "--json")
    assert code == 0 and json.loads(out)["rows"] == 1
