"""A workspace the user may not write opens read-only: no WAL switch, no migration, no write.

CI runs as root, where file permissions prove nothing, so permission problems are simulated: a
``mode=ro`` URI makes SQLite itself refuse writes, and ``os.access`` is patched for the checks
QA Studio makes before opening.
"""

from __future__ import annotations

import sqlite3

import pytest

from qa_studio.errors import WorkspaceError
from qa_studio.storage import db as dbmod
from qa_studio.storage.db import open_workspace
from qa_studio.storage.migrations import latest_version


def _workspace(tmp_path, journal: str = "wal"):
    path = tmp_path / "shared.qaw"
    ws = open_workspace(path)
    ws.db.execute("INSERT INTO settings (key, value) VALUES ('marker', 'kept')")
    ws.db.conn.commit()
    uuid = ws.uuid
    if journal != "wal":
        ws.db.execute(f"PRAGMA journal_mode = {journal}")
    ws.close()
    return path, uuid


def _side_files(path):
    return sorted(p.name for p in path.parent.glob(path.name + "-*"))


def test_read_only_request_uses_mode_ro_and_changes_nothing(tmp_path):
    path, uuid = _workspace(tmp_path, journal="delete")
    before = path.read_bytes()
    ws = open_workspace(path, read_only=True)
    try:
        assert ws.read_only and ws.uuid == uuid
        assert "requested" in ws.read_only_reason
        assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no WAL switch
        assert (
            ws.db.execute("SELECT value FROM settings WHERE key='marker'").fetchone()[0] == "kept"
        )
        with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
            ws.db.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
    finally:
        ws.close()
    assert path.read_bytes() == before
    assert _side_files(path) == []


def test_write_refused_by_sqlite_falls_back_to_read_only(tmp_path, monkeypatch):
    """Opening for writing fails with 'attempt to write a readonly database' → read-only."""
    path, uuid = _workspace(tmp_path, journal="delete")
    before = path.read_bytes()
    real_connect = dbmod._connect
    calls = []

    def connect(p, read_only, immutable=False):
        calls.append((read_only, immutable))
        return real_connect(p, True, immutable)  # the file behaves as one we may not write

    monkeypatch.setattr(dbmod, "_connect", connect)
    ws = open_workspace(path)
    try:
        assert ws.read_only and ws.uuid == uuid
        assert "cannot be written" in ws.read_only_reason
        assert calls[0] == (False, False) and calls[-1][0] is True
        assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        ws.close()
    assert path.read_bytes() == before


def test_file_without_write_permission_opens_read_only(tmp_path, monkeypatch):
    path, _uuid = _workspace(tmp_path)
    before = path.read_bytes()
    real_access = dbmod.os.access
    monkeypatch.setattr(
        dbmod.os, "access", lambda p, mode: False if str(p) == str(path) else real_access(p, mode)
    )
    ws = open_workspace(path)
    try:
        assert ws.read_only and "permission" in ws.read_only_reason
        assert ws.db.execute("SELECT count(*) FROM workspace").fetchone()[0] == 1
    finally:
        ws.close()
    assert path.read_bytes() == before


def test_read_only_folder_without_shm_uses_immutable(tmp_path, monkeypatch):
    path, uuid = _workspace(tmp_path)
    assert _side_files(path) == []  # a clean close removes -wal and -shm
    before = path.read_bytes()
    real_access = dbmod.os.access
    folder = str(path.parent)
    monkeypatch.setattr(
        dbmod.os, "access", lambda p, mode: False if str(p) == folder else real_access(p, mode)
    )
    real_connect = dbmod._connect
    seen = []
    monkeypatch.setattr(
        dbmod,
        "_connect",
        lambda p, ro, imm=False: seen.append((ro, imm)) or real_connect(p, ro, imm),
    )
    ws = open_workspace(path)
    try:
        assert ws.read_only
        assert seen == [(True, True)]
        assert ws.db.execute("SELECT uuid FROM workspace").fetchone()[0] == uuid
        assert _side_files(path) == []  # immutable: no -shm, no -wal created
    finally:
        ws.close()
    assert path.read_bytes() == before


def test_existing_shm_means_no_immutable(tmp_path, monkeypatch):
    path, _ = _workspace(tmp_path)
    keeper = open_workspace(path)  # holds -wal/-shm open, as another reader would
    try:
        monkeypatch.setattr(dbmod.os, "access", lambda p, mode: False)
        assert dbmod._needs_immutable(path) is False
        ws = open_workspace(path)
        try:
            assert ws.read_only
        finally:
            ws.close()
    finally:
        keeper.close()


def test_read_only_never_migrates(tmp_path, monkeypatch):
    path, _ = _workspace(tmp_path, journal="delete")
    before = path.read_bytes()
    monkeypatch.setattr(dbmod, "latest_version", lambda: latest_version() + 1)
    monkeypatch.setattr(dbmod.migrations, "apply", lambda db: pytest.fail("migrated"))
    with pytest.raises(WorkspaceError, match="needs upgrading") as info:
        open_workspace(path, read_only=True)
    assert info.value.exit_code == 3
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak-v*"))  # no backup written either


def test_read_only_never_inserts_the_identity(tmp_path):
    path, _ = _workspace(tmp_path, journal="delete")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM workspace")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="no workspace identity"):
        open_workspace(path, read_only=True)
    assert path.read_bytes() == before


def test_read_only_of_missing_file_is_refused(tmp_path):
    with pytest.raises(WorkspaceError, match="does not exist"):
        open_workspace(tmp_path / "none.qaw", read_only=True)
    assert not (tmp_path / "none.qaw").exists()


def test_immutable_open_says_that_wal_changes_are_not_shown(tmp_path, monkeypatch):
    path, uuid = _workspace(tmp_path)
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"left by a crash on another computer")
    folder = str(path.parent)
    real_access = dbmod.os.access
    monkeypatch.setattr(
        dbmod.os, "access", lambda p, mode: False if str(p) == folder else real_access(p, mode)
    )
    ws = open_workspace(path)
    try:
        assert ws.read_only and ws.uuid == uuid
        assert "still in shared.qaw-wal" in ws.read_only_reason
    finally:
        ws.close()
    assert wal.read_bytes() == b"left by a crash on another computer"
