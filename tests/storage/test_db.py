"""Opening, creating, migrating and refusing workspace files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from qa_studio.errors import WorkspaceError
from qa_studio.storage.db import backup_path, open_workspace
from qa_studio.storage.migrations import latest_version


def _digest(path):
    return path.read_bytes()


def test_new_workspace_is_migrated_with_wal_and_foreign_keys(tmp_path):
    ws = open_workspace(tmp_path / "new.qaw")
    assert ws.db.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ws.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert ws.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert len(ws.uuid) == 36
    tables = set(ws.db.table_names())
    for t in (
        "interactions",
        "agents",
        "teams",
        "evaluators",
        "transcripts",
        "evaluations",
        "answers",
        "answer_notes",
        "audit_log",
        "scorecard_versions",
        "samples",
    ):
        assert t in tables
    # every table that can travel carries a uuid column
    for t in tables - {"settings", "_sqlite_migrations"}:
        assert "uuid" in ws.db[t].columns_dict, t
    ws.close()


def test_no_backup_for_a_new_file_and_reopen_is_idempotent(tmp_path):
    path = tmp_path / "w.qaw"
    open_workspace(path).close()
    first_uuid = open_workspace(path).uuid
    assert open_workspace(path).uuid == first_uuid
    assert not list(tmp_path.glob("*.bak-v*"))


def test_migrating_from_version_1_backs_up_first(tmp_path, monkeypatch):
    """An older file is copied (WAL content included) to NAME.bak-vN before migrating."""
    from qa_studio.storage import db as dbmod

    path = tmp_path / "old.qaw"
    ws = open_workspace(path)
    ws.db.execute("INSERT INTO settings (key, value) VALUES ('marker', 'in-wal')")
    ws.db.conn.commit()
    # pretend the build now knows one more migration step
    current = latest_version()
    monkeypatch.setattr(dbmod, "latest_version", lambda: current + 1)
    applied = []
    monkeypatch.setattr(dbmod.migrations, "apply", lambda db: applied.append(True))
    reopened = open_workspace(path)
    bak = backup_path(path, current)
    assert bak.exists() and applied
    copy = sqlite3.connect(bak)
    assert copy.execute("SELECT value FROM settings WHERE key='marker'").fetchone() == ("in-wal",)
    copy.close()
    reopened.close()
    ws.close()


def test_newer_schema_is_refused_and_untouched(tmp_path, run_cli):
    path = tmp_path / "future.qaw"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(WorkspaceError, match="newer QA Studio"):
        open_workspace(path)
    code, out, _ = run_cli("--db", str(path), "info", "--json")
    assert code == 3
    assert "newer" in json.loads(out)["error"]["message"]
    assert _digest(path) == before
    assert not (tmp_path / "future.qaw-wal").exists()


def test_non_sqlite_file_is_refused_and_untouched(tmp_path, run_cli):
    path = tmp_path / "notes.qaw"
    path.write_bytes(b"this is a spreadsheet, honestly\n" * 20)
    before = _digest(path)
    code, out, _ = run_cli("--db", str(path), "info", "--json")
    assert code == 3
    assert "not an SQLite database" in json.loads(out)["error"]["message"]
    assert _digest(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path, run_cli):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (a)")
    conn.commit()
    conn.close()
    before = _digest(path)
    code, out, _ = run_cli("--db", str(path), "info", "--json")
    assert code == 3
    assert "not a QA Studio workspace" in json.loads(out)["error"]["message"]
    assert _digest(path) == before


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
"""


def test_file_locked_by_another_process_is_refused_with_exit_3(tmp_path):
    path = tmp_path / "busy.qaw"
    open_workspace(path).close()
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout.readline().strip() == "locked"
        result = subprocess.run(
            [sys.executable, "-m", "qa_studio", "--db", str(path), "info", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 3, result.stderr
        assert "locked by another process" in json.loads(result.stdout)["error"]["message"]
    finally:
        locker.communicate("\n", timeout=10)


def test_info_json_reports_counts(tmp_path, run_cli):
    code, out, _ = run_cli("--db", str(tmp_path / "i.qaw"), "info", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc == {
        "schema_version": latest_version(),
        "counts": {"agents": 0, "interactions": 0, "transcripts": 0, "evaluations": 0},
    }


def test_usage_error_is_json_with_exit_2(run_cli):
    code, out, _ = run_cli("no-such-command", "--json")
    assert code == 2
    assert "invalid choice" in json.loads(out)["error"]["message"]
