"""``qa-studio sample``, ``plan``, ``samples …`` and ``targeted …`` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa_studio.storage.db import open_workspace
from tests.storage.sample_fixtures import build

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "centre.qaw"
    ws = open_workspace(path)
    build(ws)
    ws.close()
    return str(path)


def _rows(db: str, sql: str) -> list:
    ws = open_workspace(db)
    try:
        return ws.db.execute(sql).fetchall()
    finally:
        ws.close()


def _stored(db: str) -> tuple:
    return tuple(
        _rows(db, f"SELECT count(*) FROM {t}")[0][0]
        for t in ("samples", "sample_items", "audit_log")
    )


SAMPLE = ("sample", "--period", "2026-10", "--per-agent", "4", "--seed", "7", "--json")


def test_dry_run_prints_the_sample_and_stores_nothing(run_cli, db):
    before = _stored(db)
    code, out, _ = run_cli("--db", db, *SAMPLE, "--dry-run", "--risk", "complaint=3,repeat=2")
    doc = json.loads(out)
    assert code == 0 and doc["sample_id"] is None and doc["seed"] == 7
    assert len(doc["items"]) == 24 and doc["shortfalls"] == []
    assert set(doc["items"][0]) >= {
        "interaction_id",
        "external_id",
        "agent",
        "evaluator",
        "stratum",
    }
    assert _stored(db) == before


def test_sample_is_created_and_can_be_listed_shown_and_reassigned(run_cli, db):
    code, out, _ = run_cli(
        "--db",
        db,
        *SAMPLE,
        "--channels",
        "voice,chat",
        "--min-duration",
        "100",
        "--evaluators",
        "Ann,Bo",
        "--objective",
        "October check",
        "--due",
        "2026-12-01",
    )
    doc = json.loads(out)
    assert code == 0 and isinstance(doc["sample_id"], int)
    assert {i["evaluator"] for i in doc["items"]} == {"Ann", "Bo"}
    stored = _rows(db, "SELECT objective, due_on FROM samples")
    assert stored == [("October check", "2026-12-01")]
    code, out, _ = run_cli("--db", db, "samples", "list", "--json")
    assert json.loads(out)["samples"][0]["items"] == 24
    code, out, _ = run_cli("--db", db, "samples", "show", str(doc["sample_id"]), "--json")
    shown = json.loads(out)
    assert shown["spec"]["seed"] == 7 and len(shown["items"]) == 24
    item = next(i for i in shown["items"] if i["evaluator"] == "Ann")["item_id"]
    code, out, _ = run_cli(
        "--db", db, "samples", "reassign", "--items", str(item), "--to", "Quinn", "--json"
    )
    assert code == 0 and json.loads(out) == {"moved": 1, "to": "Quinn"}
    code, out, _ = run_cli("--db", db, "samples", "queue", "Quinn", "--json")
    assert [i["item_id"] for i in json.loads(out)["items"]] == [item]
    code, out, _ = run_cli("--db", db, "samples", "workload", "--json")
    load = {w["name"]: w for w in json.loads(out)["evaluators"]}
    assert load["Quinn"]["assigned"] == 1 and load["Ann"]["assigned"] == 11
    code, out, _ = run_cli("--db", db, "samples", "redistribute", "--json")
    assert code == 0 and json.loads(out) == {"moved": []}
    code, out, _ = run_cli("--db", db, "samples", "close", str(doc["sample_id"]), "--json")
    assert json.loads(out)["status"] == "closed"


def test_text_output_names_shortfalls(run_cli, db):
    code, out, _ = run_cli(
        "--db",
        db,
        "sample",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
        "--per-agent",
        "40",
        "--seed",
        "1",
        "--dry-run",
    )
    assert code == 0
    assert "Dry run: nothing stored — 180 interactions" in out
    assert "shortfall: A01 (Agent A01) wanted 40, only 30 eligible" in out


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("--period", "2026-10", "--per-agent", "4", "--channels", "fax"), 1, "unknown channel"),
        (("--period", "2026-10", "--per-agent", "0"), 1, "per-agent count 0"),
        (("--period", "2026-10", "--proportion", "1.5"), 1, "proportion 1.5"),
        (("--period", "2027-02", "--per-agent", "4"), 1, "no interactions in February 2027"),
        (
            ("--period", "2026-10", "--per-agent", "4", "--evaluators", "Zed"),
            1,
            "unknown evaluator",
        ),
        (("--period", "2026-10", "--per-agent", "4", "--risk", "angry=2"), 1, "unknown risk"),
        (("--period", "2026-10", "--per-agent", "4", "--risk", "complaint"), 2, "KEY=VALUE"),
        (("--per-agent", "4"), 2, "one of the arguments --period --from is required"),
        (("--from", "2026-10-01", "--per-agent", "4"), 2, "give both --from and --to"),
        (("--period", "2026-10", "--per-agent", "4", "--proportion", "0.1"), 2, "not allowed"),
    ],
)
def test_bad_specs_exit_with_a_message_and_create_nothing(run_cli, db, args, code, needle):
    before = _stored(db)
    got, out, _ = run_cli("--db", db, "sample", *args, "--json")
    assert got == code
    error = json.loads(out)["error"]
    assert needle in error["message"] or any(needle in str(d) for d in error["details"])
    assert _stored(db) == before


@pytest.mark.slow
def test_the_same_seed_gives_the_same_sample_in_separate_processes(db):
    def draw(hash_seed: str) -> list[int]:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "QT_QPA_PLATFORM": "offscreen"}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "qa_studio",
                "--db",
                db,
                *SAMPLE,
                "--dry-run",
                "--risk",
                "complaint=3,low_csat=2,long_handle=2,repeat=2",
                "--strata",
                "channel",
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=120,
            check=True,
        )
        return [item["interaction_id"] for item in json.loads(proc.stdout)["items"]]

    first, second = draw("1"), draw("2")
    assert first == second and len(first) == 24


def test_plan_cochran_in_proportions_and_percents(run_cli):
    code, out, _ = run_cli(
        "plan", "--population", "1000", "--margin", "0.05", "--confidence", "0.95", "--json"
    )
    doc = json.loads(out)
    assert code == 0 and doc["n"] == 278 and doc["n0"] == pytest.approx(384.146, abs=1e-3)
    code, out, _ = run_cli(
        "plan", "--population", "1000", "--margin", "5", "--confidence", "95", "--json"
    )
    assert json.loads(out)["n"] == 278
    code, out, _ = run_cli("plan", "--margin", "5%", "--json")
    assert json.loads(out)["n"] == 385
    code, out, _ = run_cli("plan", "--margin", "0.05", "--proportion", "0.2", "--json")
    assert json.loads(out)["n"] == 246
    code, out, _ = run_cli("plan", "--margin", "0.05", "--confidence", "100", "--json")
    assert code == 2 and "confidence" in json.loads(out)["error"]["message"]
    code, out, _ = run_cli("plan", "--margin", "wide", "--json")
    assert code == 2


def test_plan_per_agent_and_evidence(run_cli, db):
    code, out, _ = run_cli(
        "--db", db, "plan", "--margin", "0.1", "--period", "2026-10", "--evidence", "--json"
    )
    doc = json.loads(out)
    assert code == 0
    assert doc["agents"][0] == {"agent": "A01", "volume": 30, "n": 24}  # 96.04 / 4.168 = 23.04 → 24
    assert doc["evidence"] == []


def test_targeted_commands(run_cli, db):
    code, out, _ = run_cli("--db", db, "targeted", "run", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["checked"] == 185 and len(doc["queued"]) == 18
    code, out, _ = run_cli("--db", db, "targeted", "list", "--json")
    items = json.loads(out)["items"]
    assert len(items) == 18
    code, out, _ = run_cli(
        "--db", db, "targeted", "dismiss", str(items[0]["id"]), "--note", "known issue", "--json"
    )
    assert json.loads(out) == {"dismissed": 1}
    code, out, _ = run_cli("--db", db, "targeted", "list", "--status", "dismissed", "--json")
    assert len(json.loads(out)["items"]) == 1
