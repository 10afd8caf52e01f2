"""``qa-studio scorecard validate`` and ``scorecard score``: output, JSON shape and exit codes."""

from __future__ import annotations

import io
import json

import pytest

from tests.domain.test_scoring import WORKED_EXAMPLE

from .test_validation import card


@pytest.fixture
def example(tmp_path):
    path = tmp_path / "voice_example.yaml"
    path.write_text(WORKED_EXAMPLE, encoding="utf-8")
    return path


def answers_file(tmp_path, answers: dict, name: str = "answers.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    return str(path)


def test_validate_ok_files_and_builtins(run_cli, example):
    code, out, _ = run_cli("scorecard", "validate", str(example), "compliance")
    assert code == 0
    assert out.splitlines() == [
        f"{example}: ok (voice_example: 2 sections, 4 questions)",
        "compliance: ok (compliance: 5 sections, 15 questions)",
    ]


def test_validate_prints_every_error_and_exits_1(run_cli, tmp_path, example):
    bad = tmp_path / "voice.yaml"
    bad.write_text(card("- {key: greet, text: T, type: stars, weight: 0}\n"), encoding="utf-8")
    code, out, _ = run_cli("scorecard", "validate", str(example), str(bad))
    assert code == 1
    assert out.splitlines() == [
        f"{example}: ok (voice_example: 2 sections, 4 questions)",
        f"{bad}:15 sections[1].questions[0].key: duplicate question key 'greet' "
        "(first used at sections[0].questions[0])",
        f"{bad}:15 sections[1].questions[0].type: unknown type 'stars'; "
        "expected one of yes_no, scale, points",
        f"{bad}:15 sections[1].questions[0].weight: must be > 0",
        "1 of 2 files invalid",
    ]


def test_validate_json(run_cli, tmp_path, example):
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: a\nkey: b\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    code, out, _ = run_cli("scorecard", "validate", str(example), str(bad), str(missing), "--json")
    assert code == 1
    doc = json.loads(out)
    files = doc["files"]
    assert files[0] == {"file": str(example), "valid": True, "errors": []}
    assert files[1]["valid"] is False
    assert {"line": 2, "path": "key", "message": "duplicate key (first given on line 1)"} in files[
        1
    ]["errors"]
    assert {"line": 1, "path": "name", "message": "required field is missing"} in files[1]["errors"]
    assert files[2]["valid"] is False
    assert files[2]["errors"][0]["line"] is None
    assert files[2]["errors"][0]["message"].startswith("no such file, and not a built-in scorecard")


def test_score_worked_example_json(run_cli, tmp_path, example):
    a = answers_file(tmp_path, {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"})
    code, out, _ = run_cli("scorecard", "score", str(example), a, "--json")
    assert code == 0
    assert json.loads(out) == {
        "score": 6.5,
        "max_score": 7.0,
        "percent": 92.86,
        "fatal": False,
        "failed_critical": [],
        "failed_fatal": [],
        "missing": [],
        "reason": None,
        "sections": {
            "opening": {"score": 2.5, "max_score": 3.0, "percent": 83.33},
            "compliance": {"score": 4.0, "max_score": 4.0, "percent": 100.0},
        },
    }


def test_score_critical_and_fatal_json(run_cli, tmp_path, example):
    a = answers_file(tmp_path, {"greet": "yes", "empathy": 4, "idv": "no", "cvv": "yes"})
    doc = json.loads(run_cli("scorecard", "score", str(example), a, "--json")[1])
    assert doc["percent"] == 35.71 and doc["failed_critical"] == ["idv"]
    a = answers_file(tmp_path, {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "no"})
    doc = json.loads(run_cli("scorecard", "score", str(example), a, "--json")[1])
    assert (
        doc["percent"] == 0 and doc["score"] == 0 and doc["max_score"] == 7 and doc["fatal"] is True
    )


def test_score_text_output(run_cli, tmp_path, example):
    a = answers_file(tmp_path, {"greet": "yes", "empathy": 4, "idv": "no", "cvv": "no"})
    code, out, _ = run_cli("scorecard", "score", str(example), a)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Voice example (voice_example): 0 / 7 = 0.00 % — target 85 % missed"
    assert "FATAL failed: cvv (the form scores 0)" in lines
    assert "Critical failed (section zeroed): idv" in lines


def test_unanswered_questions_exit_1_unless_partial(run_cli, tmp_path, example):
    a = answers_file(tmp_path, {"greet": "yes", "empathy": 4})
    code, out, _ = run_cli("scorecard", "score", str(example), a, "--json")
    assert code == 1
    err = json.loads(out)["error"]
    assert (
        err["message"]
        == f"{a}: 2 questions unanswered: idv, cvv (give --partial to score an incomplete form)"
    )
    code, out, _ = run_cli("scorecard", "score", str(example), a, "--partial", "--json")
    assert code == 0
    doc = json.loads(out)
    # greet 1 + empathy 1.5 of 3 → 83.33; compliance nothing answered
    assert doc["percent"] == 83.33 and doc["missing"] == ["idv", "cvv"]
    assert doc["sections"]["compliance"] == {"score": 0.0, "max_score": 0.0, "percent": None}


def test_invalid_answer_values_are_all_listed(run_cli, tmp_path, example):
    a = answers_file(tmp_path, {"greet": "maybe", "empathy": 7, "idv": "na", "cvv": "yes"})
    code, out, _ = run_cli("scorecard", "score", str(example), a, "--json")
    assert code == 1
    err = json.loads(out)["error"]
    assert err["message"] == f"{a}: 3 problems with the answers for 'voice_example'"
    assert err["details"] == [
        'greet: \'maybe\' is not a valid answer; expected "yes" or "no"',
        "empathy: 7 is not a valid answer; expected a whole number from 1 to 5",
        'idv: N/A is not allowed for this question; expected "yes" or "no"',
    ]


def test_score_accepts_a_builtin_key_and_stdin(run_cli, monkeypatch):
    from qa_studio.scorecards.loader import load_builtin

    answers = {
        q.key: ("yes" if q.type == "yes_no" else 5 if q.type == "scale" else "Full")
        for q in load_builtin("voice_service").questions()
    }
    answers["hold_etiquette"] = "na"
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"answers": answers})))
    code, out, _ = run_cli("scorecard", "score", "voice_service", "-", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["percent"] == 100.0
    assert set(doc["sections"]) == {
        "opening",
        "data_protection",
        "resolution",
        "communication",
        "closing",
    }


def test_bad_inputs_are_refused_with_exit_1(run_cli, tmp_path, example):
    broken_json = tmp_path / "broken.json"
    broken_json.write_text('{"answers": {\n  "greet": yes}\n}', encoding="utf-8")
    code, out, _ = run_cli("scorecard", "score", str(example), str(broken_json), "--json")
    assert code == 1
    assert json.loads(out)["error"]["message"].startswith(f"{broken_json}:2 not valid JSON:")
    wrong = answers_file(tmp_path, {}, "wrong.json")
    (tmp_path / "wrong.json").write_text('{"greet": "yes"}', encoding="utf-8")
    code, out, _ = run_cli("scorecard", "score", str(example), wrong, "--json")
    assert code == 1 and 'expected {"answers"' in json.loads(out)["error"]["message"]
    code, out, _ = run_cli("scorecard", "score", "no_such_card", wrong, "--json")
    assert code == 1
    err = json.loads(out)["error"]
    assert err["message"] == "no_such_card is not a valid scorecard"
    assert err["details"][0].startswith("no_such_card: no such file, and not a built-in scorecard")


def test_invalid_scorecard_for_score_lists_its_problems(run_cli, tmp_path):
    bad = tmp_path / "voice.yaml"
    bad.write_text(card("- {key: x, text: X, type: yes_no, weight: -1}\n"), encoding="utf-8")
    a = answers_file(tmp_path, {"x": "yes"})
    code, _, err = run_cli("scorecard", "score", str(bad), a)
    assert code == 1
    assert f"qa-studio: {bad} is not a valid scorecard" in err
    assert f"{bad}:15 sections[1].questions[0].weight: must be > 0" in err


def test_scorecard_without_subcommand_is_a_usage_error(run_cli):
    code, out, _ = run_cli("scorecard", "--json")
    assert code == 2
    assert "SUBCOMMAND" in json.loads(out)["error"]["message"]
