"""``--demo``: the demo workspace in the user's data folder, built on first use only.

QStandardPaths is in test mode (tests/conftest.py) and HOME points at a temporary folder, so
these tests never touch the real data folder.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import QStandardPaths

from qa_studio.services import paths


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "not-used-in-test-mode"))
    assert QStandardPaths.isTestModeEnabled()
    return tmp_path


def audit_rows(path) -> int:
    """How many times the demo was built into ``path``."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'demo.build'"
        ).fetchone()[0]
    finally:
        conn.close()


def test_demo_path_is_in_the_test_mode_app_data_folder(home):
    path = paths.demo_workspace_path()
    assert path.name == "demo.qaw"
    assert path.parent.is_dir()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert str(path.parent) == location
    assert "qttest" in location.lower(), "test mode keeps tests out of the real folder"
    assert path.parent.name == "QA Studio"
    assert not path.exists(), "asking for the path does not build anything"


def test_demo_flag_builds_once_and_reuses(home, run_cli):
    code, out, err = run_cli("--demo", "info", "--json")
    assert code == 0, out + err
    counts = json.loads(out)["counts"]
    assert counts["interactions"] == 3000 and counts["agents"] == 24
    path = paths.demo_workspace_path()
    assert path.is_file() and audit_rows(path) == 1
    assert len(list(path.with_name("demo.media").glob("call_*.wav"))) == 10
    assert "first run" in err

    code, out, err = run_cli("--demo", "info", "--json")
    assert code == 0 and json.loads(out)["counts"]["interactions"] == 3000
    assert audit_rows(path) == 1 and "first run" not in err


def test_an_empty_demo_file_is_built_again(home):
    from qa_studio.storage.db import open_workspace

    path = paths.demo_workspace_path()
    open_workspace(path).close()  # e.g. a first build that was interrupted and rolled back
    messages: list[str] = []
    assert paths.ensure_demo_workspace(progress=messages.append) == path
    assert any("first run" in m for m in messages)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM interactions").fetchone()[0] == 3000
    finally:
        conn.close()
