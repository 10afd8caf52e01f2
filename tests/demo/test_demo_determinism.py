"""Same seed and --end → the same workspace; the demo never overwrites data; the CLI."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest

from qa_studio.demo.builder import DemoSpec, build_demo
from qa_studio.errors import DataRefused, UsageError
from qa_studio.storage.db import open_workspace
from tests.demo.conftest import SMALL, build

#: Columns allowed to differ between two builds: the run's own time stamps and the identity
#: of the workspace file (its uuid is the origin of its audit chain, so the chain differs too).
VOLATILE = {
    "workspace": {"uuid", "created_at"},
    "interactions": {"imported_at"},
    "survey_responses": {"imported_at"},
    "_sqlite_migrations": {"applied_at"},
    "audit_log": {"uuid", "origin_uuid", "at", "entity_uuid", "prev_hash", "hash"},
}


def snapshot(path) -> dict[str, list[tuple]]:
    """Every row of every table, minus the volatile columns, in rowid order."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out = {}
        for table in tables:
            cols = [
                r[1]
                for r in conn.execute(f'PRAGMA table_info("{table}")')
                if r[1] not in VOLATILE.get(table, set())
            ]
            select = ", ".join(f'"{c}"' for c in cols)
            out[table] = conn.execute(f'SELECT {select} FROM "{table}" ORDER BY rowid').fetchall()
        return out
    finally:
        conn.close()


def test_two_builds_with_the_same_seed_are_identical(tmp_path, demo_path):
    again = tmp_path / "demo.qaw"  # same file name, so media paths compare equal
    build(again)
    first, second = snapshot(demo_path), snapshot(again)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table
    assert len(first["interactions"]) == SMALL.interactions
    assert first["transcripts"] and first["agents"] and first["evaluators"]
    media = sorted(p.read_bytes() for p in (tmp_path / "demo.media").iterdir())
    assert media == sorted(p.read_bytes() for p in demo_path.with_name("demo.media").iterdir())


def test_uuids_come_from_the_seed(tmp_path, demo_path):
    again = tmp_path / "demo.qaw"
    build(again)
    query = "SELECT uuid FROM interactions UNION ALL SELECT uuid FROM agents"
    for path in (demo_path, again):
        conn = sqlite3.connect(path)
        try:
            found = [r[0] for r in conn.execute(query)]
        finally:
            conn.close()
        assert len(set(found)) == len(found)
    assert snapshot(demo_path)["interactions"][0][1] == snapshot(again)["interactions"][0][1]


def test_a_different_seed_builds_different_content(tmp_path, demo_path):
    other = tmp_path / "demo.qaw"
    build(other, dataclasses.replace(SMALL, seed=SMALL.seed + 1))
    first, second = snapshot(demo_path), snapshot(other)
    assert first["interactions"] != second["interactions"]
    assert first["transcripts"] != second["transcripts"]
    assert first["agents"] != second["agents"]


def test_a_different_end_moves_every_contact(tmp_path, demo_path):
    other = tmp_path / "demo.qaw"
    build(other, dataclasses.replace(SMALL, end=SMALL.end.replace(month=9, day=30)))
    conn = sqlite3.connect(other)
    try:
        last = conn.execute("SELECT max(started_at), min(started_at) FROM interactions").fetchone()
    finally:
        conn.close()
    assert last[0] < "2026-10-01" and last[1] >= "2026-03-31"


def test_building_into_a_workspace_with_interactions_is_refused(demo):
    before = snapshot(demo.path)
    with pytest.raises(DataRefused, match="already has 400 interactions"):
        build_demo(demo, SMALL)
    assert snapshot(demo.path) == before


def test_impossible_sizes_are_usage_errors(ws):
    with pytest.raises(UsageError, match="--agents"):
        build_demo(ws, DemoSpec(agents=2, interactions=400))
    with pytest.raises(UsageError, match="--interactions"):
        build_demo(ws, DemoSpec(agents=8, interactions=10))
    assert ws.db.execute("SELECT count(*) FROM agents").fetchone() == (0,)


def test_a_failed_build_leaves_nothing_behind(ws):
    def explode(ctx):
        raise RuntimeError("disk full")

    from qa_studio.demo.builder import STEPS

    with pytest.raises(RuntimeError, match="disk full"):
        build_demo(ws, SMALL, steps=(*STEPS, ("explode", explode)))
    for table in ("agents", "interactions", "transcripts", "audit_log"):
        assert ws.db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    assert not any(ws.media_dir.glob("*.wav"))


def test_cli_builds_and_reports_json(run_cli, tmp_path):
    path = tmp_path / "cli.qaw"
    code, out, err = run_cli(
        "--db",
        str(path),
        "demo",
        "--agents",
        "8",
        "--interactions",
        "400",
        "--seed",
        "11",
        "--end",
        "2026-10-31",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["counts"]["interactions"] == 400 and doc["counts"]["agents"] == 8
    assert doc["built"]["recordings"] == 10 and doc["first_day"] == "2026-05-01"
    assert "demo:" in err  # progress goes to stderr
    code, out, _ = run_cli("--db", str(path), "info", "--json")
    assert code == 0 and json.loads(out)["counts"]["transcripts"] > 300


def test_cli_refuses_a_second_build(run_cli, demo_path):
    code, out, _ = run_cli(
        "--db", str(demo_path), "demo", "--interactions", "400", "--agents", "8", "--json"
    )
    assert code == 1
    assert "already has 400 interactions" in json.loads(out)["error"]["message"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--end", "31/10/2026"], "YYYY-MM-DD"),
        (["--agents", "2"], "--agents"),
        (["--interactions", "five"], "invalid int"),
    ],
)
def test_cli_usage_errors_create_no_file(run_cli, tmp_path, args, message):
    path = tmp_path / "bad.qaw"
    code, out, _ = run_cli("--db", str(path), "demo", *args, "--json")
    assert code == 2
    assert message in json.loads(out)["error"]["message"]
    assert not path.exists()


def test_cli_demo_needs_a_db(run_cli):
    code, out, _ = run_cli("demo", "--json")
    assert code == 2 and "--db" in json.loads(out)["error"]["message"]


def test_workspace_opened_after_the_build_is_unchanged(demo_path):
    before = snapshot(demo_path)
    ws = open_workspace(demo_path)
    ws.close()
    assert snapshot(demo_path) == before
