"""Damaged workspaces are refused with the latest backup named, and a backup restores safely."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from qa_studio.errors import WorkspaceCorrupt, WorkspaceError
from qa_studio.storage import recovery
from qa_studio.storage.db import backup, backup_path, open_workspace


def _make(tmp_path, rows: int = 200):
    """A checkpointed workspace with enough rows to span many pages, plus a backup of it."""
    path = tmp_path / "team.qaw"
    ws = open_workspace(path)
    with ws.db.atomic():
        for n in range(rows):
            ws.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [f"k{n}", "x" * 300])
    bak = backup(ws.db.conn, backup_path(path, 1))
    ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return path, bak


def _damage(path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    elif how == "random_after_header":
        rng = __import__("random").Random(7)
        path.write_bytes(bytes(data[:100]) + bytes(rng.randrange(256) for _ in data[100:]))
    elif how == "bad_page":
        page = int.from_bytes(data[16:18], "big") or 65536
        # wipe a b-tree page in the middle of the settings table with junk
        start = page * (len(data) // page // 2)
        data[start : start + page] = b"\xff" * page
        path.write_bytes(bytes(data))
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["truncated", "random_after_header", "bad_page"])
def test_damaged_file_is_refused_naming_the_latest_backup(tmp_path, how, run_cli):
    path, bak = _make(tmp_path)
    _damage(path, how)
    before = path.read_bytes()
    with pytest.raises(WorkspaceCorrupt) as info:
        open_workspace(path)
    err = info.value
    assert err.exit_code == 3 and isinstance(err, WorkspaceError)
    assert "damaged" in err.message and str(path) in err.message
    assert err.backups == [bak]
    assert any(bak.name in d for d in err.details)
    assert any("recover --restore" in d for d in err.details)
    assert path.read_bytes() == before  # refusing writes nothing
    code, out, _ = run_cli("--db", str(path), "info", "--json")
    assert code == 3 and "damaged" in json.loads(out)["error"]["message"]


def test_damage_without_a_backup_says_so(tmp_path):
    path, bak = _make(tmp_path)
    bak.unlink()
    _damage(path, "truncated")
    with pytest.raises(WorkspaceCorrupt) as info:
        open_workspace(path)
    assert info.value.backups == []
    assert "No backup" in info.value.details[0]


def test_find_backups_newest_first_ignoring_side_files(tmp_path):
    path = tmp_path / "w.qaw"
    names = ["w.qaw.bak-v1", "w.qaw.bak-v2", "w.qaw.bak", "w.qaw.bak-v2-wal", "other.qaw.bak-v9"]
    for n, name in enumerate(names):
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (1_000_000 + n, 1_000_000 + n))
    found = recovery.find_backups(path)
    assert [b.path.name for b in found] == ["w.qaw.bak", "w.qaw.bak-v2", "w.qaw.bak-v1"]
    assert [b.version for b in found] == [None, 2, 1]


def test_latest_backup_skips_a_damaged_one(tmp_path):
    path, bak = _make(tmp_path)
    newer = tmp_path / "team.qaw.bak-v2"
    newer.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    os.utime(newer, (bak.stat().st_mtime + 10, bak.stat().st_mtime + 10))
    assert recovery.find_backups(path)[0].path == newer
    assert recovery.latest_backup(path).path == bak


def test_restore_keeps_the_damaged_file_and_reopens(tmp_path, run_cli):
    path, bak = _make(tmp_path)
    _damage(path, "random_after_header")
    damaged_bytes = path.read_bytes()
    path.with_name(path.name + "-wal").write_bytes(b"stale wal")
    done = recovery.restore(path)
    assert done.backup == bak
    assert done.damaged_copy.read_bytes() == damaged_bytes
    assert done.damaged_copy.with_name(done.damaged_copy.name + "-wal").read_bytes() == b"stale wal"
    assert not path.with_name(path.name + "-wal").exists()
    assert bak.exists()  # the backup itself is kept
    assert recovery.check_integrity(path, full=True) == []
    ws = open_workspace(path)
    try:
        assert (
            ws.db.execute("SELECT count(*) FROM settings WHERE key LIKE 'k%'").fetchone()[0] == 200
        )
    finally:
        ws.close()
    code, out, _ = run_cli("--db", str(path), "recover", "--json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_restore_refuses_a_damaged_backup_and_leaves_the_file(tmp_path):
    path, bak = _make(tmp_path)
    _damage(path, "truncated")
    before = path.read_bytes()
    _damage(bak, "random_after_header")
    with pytest.raises(WorkspaceError, match="no sound backup"):
        recovery.restore(path)
    with pytest.raises(WorkspaceError, match="itself damaged"):
        recovery.restore(path, bak)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.damaged-*"))


def test_recover_cli_reports_and_restores(tmp_path, run_cli):
    path, bak = _make(tmp_path)
    _damage(path, "bad_page")
    code, out, _ = run_cli("--db", str(path), "recover", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False and doc["problems"]
    assert doc["backups"][0]["path"] == str(bak) and doc["backups"][0]["version"] == 1
    code, out, _ = run_cli("--db", str(path), "recover", "--restore", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["from"] == str(bak)
    assert os.path.exists(doc["damaged_copy"])
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
