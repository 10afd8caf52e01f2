"""The main window's File and Help menus: open, new, recent, refusals, about."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qa_studio.storage.db import open_workspace
from tests.ui.browser_data import fill
from tests.ui.prompts import pick_save_file
from tests.ui.windows import ini_settings, main_window


@pytest.fixture
def settings(tmp_path):
    return ini_settings(tmp_path)


@pytest.fixture
def window(qtbot, ws, settings):
    fill(ws)
    return main_window(qtbot, settings, ws, remember=True)


@pytest.fixture
def boxes(monkeypatch):
    """Every QMessageBox shown: (icon, text, informative text); none stays open."""
    shown: list[tuple] = []

    def fake_exec(box):
        shown.append((box.icon(), box.text(), box.informativeText()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def _answer_open(monkeypatch, path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), "QA Studio workspace (*.qaw)")
    )


def test_opening_a_non_sqlite_file_is_refused_and_the_workspace_kept(
    window, boxes, monkeypatch, tmp_path
):
    bogus = tmp_path / "notes.qaw"
    bogus.write_text("these are not the rows you are looking for\n")
    _answer_open(monkeypatch, bogus)
    before = window.workspace
    window.open_action.trigger()
    assert len(boxes) == 1
    icon, text, details = boxes[0]
    assert icon == QMessageBox.Icon.Critical
    assert "notes.qaw is not a QA Studio workspace (not an SQLite database)" in text
    assert "Choose a .qaw file" in details
    assert window.workspace is before and window.browser.model.rowCount() == 40
    assert window.windowTitle() == "test.qaw — QA Studio"
    assert bogus.read_text() == "these are not the rows you are looking for\n"


def test_open_switches_workspace_and_remembers_it(window, boxes, monkeypatch, tmp_path, settings):
    other_path = tmp_path / "other.qaw"
    open_workspace(other_path).close()
    _answer_open(monkeypatch, other_path)
    old = window.workspace
    with pytest.raises(Exception, match="closed"):
        window.open_action.trigger()
        old.db.execute("SELECT 1")  # the previous workspace was closed
    assert boxes == []
    assert window.workspace.path == other_path
    assert window.windowTitle() == "other.qaw — QA Studio"
    assert window.browser.model.rowCount() == 0
    assert window.status_label.text().startswith("0 interactions")
    assert settings.recent_files()[0] == other_path.resolve()


def test_open_recent_menu_lists_and_opens(window, boxes, tmp_path, settings):
    other_path = tmp_path / "recent.qaw"
    open_workspace(other_path).close()
    settings.add_recent(other_path)
    window.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in window.recent_menu.actions()]
    assert texts[0].startswith("&1 recent.qaw")
    assert texts[1].startswith("&2 test.qaw")
    window.recent_menu.actions()[0].trigger()
    assert window.workspace.path == other_path.resolve()
    gone = tmp_path / "gone.qaw"
    settings.add_recent(gone)
    window.recent_menu.aboutToShow.emit()
    first = window.recent_menu.actions()[0]
    assert "(missing)" in first.text()
    first.trigger()
    assert "does not exist" in boxes[-1][1]
    assert window.workspace.path == other_path.resolve()


def test_new_workspace_adds_the_suffix_and_refuses_existing_files(
    window, boxes, monkeypatch, tmp_path
):
    target = tmp_path / "fresh"
    pick_save_file(monkeypatch, target)
    window.new_action.trigger()
    assert boxes == [] and window.workspace.path == tmp_path / "fresh.qaw"
    assert (tmp_path / "fresh.qaw").stat().st_size > 0
    window.new_action.trigger()  # the same name again: it exists now
    assert "already exists" in boxes[-1][1]
    assert window.workspace.path == tmp_path / "fresh.qaw"


def test_cancelled_file_dialogs_change_nothing(window, boxes, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    before = window.workspace
    assert window.open_workspace() is False and window.new_workspace() is False
    assert window.workspace is before and boxes == []


def test_about_names_the_versions(window, monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: seen.append(text))
    window.about_action.trigger()
    import platform

    import PySide6

    from qa_studio import __version__

    assert f"QA Studio {__version__}" in seen[0]
    assert f"PySide6 {PySide6.__version__}" in seen[0]
    assert f"Python {platform.python_version()}" in seen[0]


def test_menus(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0] == "&File" and titles[-1] == "&Help"  # screens add menus in between
    file_menu = window.menuBar().actions()[0].menu()
    items = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    bundles = ["Send &work to evaluator…", "Import &results…", "E&xport my results…",
               "Import &bundle…", "&Conflicts…"]  # fmt: skip
    assert items == [
        "&New workspace…",
        "&Open…",
        "Open &recent",
        "&Import…",
        *bundles,
        "&Settings…",
        "&Quit",
    ]


def test_without_a_workspace(qtbot, settings):
    win = main_window(qtbot, settings, remember=True, show=False)
    assert win.windowTitle() == "QA Studio"
    assert not win.import_action.isEnabled()
    assert "No workspace open" in win.statusBar().currentMessage()
    assert win.browser.model.rowCount() == 0


def test_closing_saves_the_geometry(qtbot, ws, settings):
    win = main_window(qtbot, settings, ws, remember=True, show=False)
    win.show()
    win.close()
    assert settings.window_geometry() is not None


def test_an_unexpected_failure_while_opening_is_shown_too(window, boxes, tmp_path):
    def broken(path, create=False):
        raise RuntimeError("index interactions_x already exists")

    window.services.open_workspace = broken
    before = window.workspace
    assert window.open_path(tmp_path / "odd.qaw") is False
    assert "index interactions_x already exists" in boxes[-1][1]
    assert window.workspace is before
