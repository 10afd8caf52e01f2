"""``scorecard publish`` and the what-if ``scorecard rescore`` from the command line."""

from __future__ import annotations

import json

import pytest

from qa_studio.domain.timeutil import london_month, utcnow_iso
from qa_studio.scorecards.loader import builtin_keys
from qa_studio.storage.repository import evaluations as ev
from tests.storage.eval_helpers import (
    GOOD,
    V2_NEW_QUESTION,
    V2_WEIGHTS,
    WORKED_EXAMPLE,
    audit_count,
    seed,
)


def _cli(run_cli, db, *argv):
    code, out, _ = run_cli("--db", db, *argv, "--json")
    return code, json.loads(out)


@pytest.fixture
def db(ws, tmp_path, run_cli):
    """v1 published; INT-1 (agent A1) signed off with GOOD, INT-2 (A2) submitted with idv 'no'."""
    seed(ws)
    path = str(ws.path)
    for n, answers, flag in ((1, GOOD, "--sign-off"), (2, {**GOOD, "idv": "no"}, "--submit")):
        f = tmp_path / f"a{n}.json"
        f.write_text(json.dumps({"answers": answers}), encoding="utf-8")
        code, out = _cli(
            run_cli,
            path,
            "evaluate",
            "--interaction",
            f"INT-{n}",
            "--scorecard",
            "voice_example@1",
            "--evaluator",
            "Ann",
            str(f),
            flag,
        )
        assert code == 0, out
    return path


def _publish(run_cli, db, tmp_path, text, note="v2", name="v2.yaml"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return _cli(run_cli, db, "scorecard", "publish", str(f), "--note", note)


def _stored(ws):
    return list(
        ws.db.execute(
            "SELECT id, scorecard_version_id, revision, percent FROM evaluations ORDER BY id"
        )
    )


def test_publish_next_version_and_refusals(ws, db, tmp_path, run_cli):
    code, doc = _publish(run_cli, db, tmp_path, V2_WEIGHTS, "Empathy weighs 4")
    assert (
        code == 0 and doc["ref"] == "voice_example@2" and doc["change_note"] == "Empathy weighs 4"
    )
    code, doc = _publish(run_cli, db, tmp_path, V2_WEIGHTS, "same again")
    assert code == 1 and "no changes since version 2" in doc["error"]["message"]
    code, doc = _publish(run_cli, db, tmp_path, WORKED_EXAMPLE + "# tweak\n", "  ")
    assert code == 1 and "change note is required" in doc["error"]["message"]
    bad = tmp_path / "bad.yaml"
    code, doc = _publish(
        run_cli,
        db,
        tmp_path,
        WORKED_EXAMPLE.replace("weight: 3", "weight: 0"),
        "broken",
        name="bad.yaml",
    )
    assert code == 1 and f"{bad}:" in doc["error"]["message"]
    assert "weight: must be > 0" in doc["error"]["message"]
    code, doc = _cli(run_cli, db, "scorecard", "publish", "--json")
    assert code == 2


def test_publish_builtins(db, run_cli):
    code, doc = _cli(run_cli, db, "scorecard", "publish", "--builtins")
    assert code == 0 and sorted(v["key"] for v in doc["published"]) == sorted(builtin_keys())
    code, doc = _cli(run_cli, db, "scorecard", "publish", "--builtins")
    assert code == 0 and doc["published"] == []


def test_rescore_shows_old_and_new_and_changes_nothing(ws, db, tmp_path, run_cli):
    _publish(run_cli, db, tmp_path, V2_WEIGHTS)
    before, audit_before = _stored(ws), audit_count(ws)
    code, doc = _cli(run_cli, db, "scorecard", "rescore", "--to", "voice_example@2")
    assert code == 0 and doc["to"] == "voice_example@2" and doc["applied"] is False
    got = [
        (
            e["interaction"],
            e["old_percent_stored"],
            e["old_percent"],
            e["new_percent"],
            e["delta"],
            e["not_assessed"],
            e["removed"],
        )
        for e in doc["evaluations"]
    ]
    assert got == [
        ("INT-1", 92.86, 92.86, 88.89, -3.97, [], []),
        ("INT-2", 35.71, 35.71, 44.44, 8.73, [], []),
    ]
    assert doc["aggregate"] == {
        "n": 2,
        "n_compared": 2,
        "mean_old_stored": 64.29,
        "mean_old": 64.29,
        "mean_new": 66.67,
        "mean_delta": 2.38,
        "not_migratable": 0,
    }
    assert _stored(ws) == before and audit_count(ws) == audit_before


def test_rescore_filters(db, tmp_path, run_cli):
    _publish(run_cli, db, tmp_path, V2_WEIGHTS)
    this_month = london_month(utcnow_iso())
    code, doc = _cli(
        run_cli,
        db,
        "scorecard",
        "rescore",
        "--to",
        "voice_example@2",
        "--agent",
        "A2",
        "--period",
        this_month,
    )
    assert code == 0 and [e["interaction"] for e in doc["evaluations"]] == ["INT-2"]
    assert doc["filters"] == {"scorecard": "voice_example", "agent": "A2", "period": this_month}
    code, doc = _cli(
        run_cli, db, "scorecard", "rescore", "--to", "voice_example@2", "--team", "Blue"
    )
    assert [e["interaction"] for e in doc["evaluations"]] == ["INT-1"]
    code, doc = _cli(
        run_cli, db, "scorecard", "rescore", "--to", "voice_example@2", "--period", "2001-01"
    )
    assert code == 0 and doc["evaluations"] == [] and doc["aggregate"]["mean_delta"] is None


def test_rescore_apply_migrates_and_is_audited(ws, db, tmp_path, run_cli):
    _publish(run_cli, db, tmp_path, V2_WEIGHTS)
    code, doc = _cli(run_cli, db, "scorecard", "rescore", "--to", "voice_example@2", "--apply")
    assert code == 0 and doc["applied"] is True
    rows = _stored(ws)
    assert [(r[2], round(r[3], 2)) for r in rows] == [(2, 88.89), (2, 44.44)]
    assert ev.get(ws, rows[0][0]).status == "signed_off"
    migrations = ws.db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'evaluation.migrate'"
    ).fetchone()[0]
    assert migrations == 2
    code, doc = _cli(run_cli, db, "audit", "verify")
    assert code == 0 and doc["ok"]


def test_rescore_apply_refused_when_questions_would_be_unanswered(ws, db, tmp_path, run_cli):
    _publish(run_cli, db, tmp_path, V2_NEW_QUESTION)
    before = _stored(ws)
    code, doc = _cli(run_cli, db, "scorecard", "rescore", "--to", "voice_example@2")
    assert code == 0 and all(e["not_assessed"] == ["recap"] for e in doc["evaluations"])
    code, doc = _cli(run_cli, db, "scorecard", "rescore", "--to", "voice_example@2", "--apply")
    assert code == 1 and "nobody answered" in doc["error"]["message"]
    assert "recap (new in the target version)" in doc["error"]["details"][0]
    assert _stored(ws) == before


def test_rescore_usage_and_unknowns(db, run_cli):
    code, doc = _cli(run_cli, db, "scorecard", "rescore", "--to", "voice_example")
    assert code == 2 and "KEY@VERSION" in doc["error"]["message"]
    code, doc = _cli(run_cli, db, "scorecard", "rescore", "--to", "voice_example@9")
    assert code == 1 and "has no version 9" in doc["error"]["message"]
    code, doc = _cli(
        run_cli, db, "scorecard", "rescore", "--to", "voice_example@1", "--agent", "ZZ"
    )
    assert code == 1 and "unknown agent 'ZZ'" in doc["error"]["message"]


def test_rescore_text_output(db, tmp_path, run_cli):
    _publish(run_cli, db, tmp_path, V2_WEIGHTS)
    code, out, _ = run_cli("--db", db, "scorecard", "rescore", "--to", "voice_example@2")
    assert code == 0
    assert "what-if against voice_example@2: 2 evaluation(s)" in out
    assert "nothing was changed (give --apply to migrate)" in out
    assert " 88.89 " in out and " -3.97\n" in out
