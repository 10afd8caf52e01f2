"""The main window offers to restore a damaged workspace and shows a read-only banner."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from qa_studio.storage.db import backup, backup_path, open_workspace
from tests.ui.prompts import pick_open_file
from tests.ui.windows import main_window


@pytest.fixture
def window(qtbot, tmp_path):
    win = main_window(qtbot, tmp_path)
    yield win
    win.close()


@pytest.fixture
def answer(monkeypatch):
    """Every QMessageBox shown is recorded and answered by clicking the button named ``choice``."""
    state = {"choice": None, "shown": []}

    def fake_exec(box):
        state["shown"].append((box.icon(), box.text(), box.informativeText()))
        for button in box.buttons():
            if state["choice"] and button.text().replace("&", "") == state["choice"]:
                button.click()
                break
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return state


def _damaged_workspace_with_backup(tmp_path):
    path = tmp_path / "team.qaw"
    ws = open_workspace(path)
    ws.db.execute("INSERT INTO settings (key, value) VALUES ('marker', 'from backup')")
    ws.db.conn.commit()
    bak = backup(ws.db.conn, backup_path(path, 1))
    ws.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x13\x37" * ((len(data) - 100) // 2))
    return path, bak


def _choose(monkeypatch, path):
    pick_open_file(monkeypatch, path)


def test_damaged_workspace_offers_restore_and_opens_the_backup(
    window, answer, monkeypatch, tmp_path
):
    path, bak = _damaged_workspace_with_backup(tmp_path)
    damaged = path.read_bytes()
    answer["choice"] = "Restore backup"
    _choose(monkeypatch, path)
    window.open_action.trigger()
    icon, text, info = answer["shown"][0]
    assert icon == QMessageBox.Icon.Warning and "damaged" in text
    assert bak.name in info
    assert len(answer["shown"]) == 1  # no error box after a successful restore
    assert window.workspace is not None and window.workspace.path == path
    marker = window.workspace.db.execute("SELECT value FROM settings WHERE key='marker'")
    assert marker.fetchone()[0] == "from backup"
    kept = list(tmp_path.glob("team.qaw.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert window.windowTitle().startswith("team.qaw")


def test_cancel_keeps_the_damaged_file_and_reports_it(window, answer, monkeypatch, tmp_path):
    path, _bak = _damaged_workspace_with_backup(tmp_path)
    damaged = path.read_bytes()
    answer["choice"] = "Cancel"
    _choose(monkeypatch, path)
    window.open_action.trigger()
    assert [s[0] for s in answer["shown"]] == [QMessageBox.Icon.Warning, QMessageBox.Icon.Critical]
    assert "recover --restore" in answer["shown"][1][2]
    assert window.workspace is None
    assert path.read_bytes() == damaged
    assert not list(tmp_path.glob("*.damaged-*"))


def test_read_only_workspace_shows_the_banner_and_disables_import(qtbot, window, tmp_path):
    path = tmp_path / "shared.qaw"
    open_workspace(path).close()
    window.set_workspace(open_workspace(path, read_only=True))
    banner = window.read_only_banner
    assert banner.isVisible()
    assert banner.text().startswith("Read-only:") and "changes are disabled" in banner.text()
    assert not window.import_action.isEnabled()
    # the banner sits above the tabs
    assert (
        banner.mapTo(window, banner.rect().topLeft()).y()
        < window.tabs.mapTo(window, window.tabs.rect().topLeft()).y()
    )
    window.set_workspace(open_workspace(tmp_path / "mine.qaw"))
    assert not banner.isVisible()
    assert window.import_action.isEnabled()


def test_start_up_on_a_damaged_file_restores_then_opens(answer, monkeypatch, tmp_path, qapp):
    """``qa-studio --db DAMAGED``: the offer comes before the window; Restore opens the backup."""
    import argparse
    import types

    from qa_studio import app as app_module
    from qa_studio.cli import CliContext

    path, bak = _damaged_workspace_with_backup(tmp_path)
    opened = []

    class FakeWindow:
        def __init__(self, services, workspace, remember=True):
            opened.append(workspace)
            self.scoring = types.SimpleNamespace(ask_if_needed=lambda: None)

        def show(self):
            pass

    monkeypatch.setattr(app_module, "MainWindow", FakeWindow)
    monkeypatch.setattr(app_module, "offer_first_run", lambda window: None, raising=False)
    monkeypatch.setattr(type(qapp), "exec", lambda self: 0)
    args = argparse.Namespace(db=str(path), demo=False, screenshot=None, json=False)

    answer["choice"] = "Cancel"
    ctx = CliContext(args)
    assert app_module.run_gui(ctx) == 3 and opened == []
    assert [s[0] for s in answer["shown"]] == [QMessageBox.Icon.Warning, QMessageBox.Icon.Critical]

    answer["choice"], answer["shown"][:] = "Restore backup", []
    ctx = CliContext(args)
    try:
        assert app_module.run_gui(ctx) == 0
        (ws,) = opened
        assert ws is not None and ws.path == path
        assert ws.db.execute("SELECT value FROM settings WHERE key='marker'").fetchone()[0] == (
            "from backup"
        )
    finally:
        ctx.close()
    assert len(list(tmp_path.glob("team.qaw.damaged-*"))) == 1 and bak.exists()
