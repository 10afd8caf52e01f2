"""First run: the welcome dialog's choices, carried out through the main window; icons; About."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qa_studio.storage.db import open_workspace
from qa_studio.ui import icons
from qa_studio.ui.views import first_run
from qa_studio.ui.views.about import about_box, versions
from qa_studio.ui.views.first_run import WelcomeDialog, carry_out, offer_first_run
from tests.ui.windows import ini_settings, main_window


@pytest.fixture
def settings(tmp_path):
    return ini_settings(tmp_path)


@pytest.fixture
def window(qtbot, settings):
    return main_window(qtbot, settings, remember=True)


def _workspace_file(path):
    open_workspace(path, name="made for the test").close()
    return path


def test_the_dialog_offers_three_ways_in_and_lists_recent_files(qtbot, tmp_path):
    there = _workspace_file(tmp_path / "there.qaw")
    gone = tmp_path / "gone.qaw"
    dlg = WelcomeDialog([there, gone])
    qtbot.addWidget(dlg)
    assert dlg.demo_button.text().strip().startswith("Open the demo")
    assert dlg.new_button.text().strip().startswith("Create a workspace…")
    assert dlg.open_button.text().strip().startswith("Open a workspace…")
    assert not dlg.demo_button.icon().isNull()
    texts = [dlg.recent_list.item(i).text() for i in range(dlg.recent_list.count())]
    assert texts[0].startswith("there.qaw — ")
    assert texts[1].startswith("gone.qaw (missing) — ")
    dlg.recent_list.itemActivated.emit(dlg.recent_list.item(0))
    assert (dlg.choice, dlg.chosen_path) == (first_run.RECENT, there)


def test_without_recent_files_the_list_is_hidden(qtbot):
    dlg = WelcomeDialog([])
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.recent_list.isVisible()
    assert not dlg.recent_label.isVisible()


@pytest.mark.parametrize(
    ("button", "choice"),
    [
        ("demo_button", first_run.DEMO),
        ("new_button", first_run.NEW),
        ("open_button", first_run.OPEN),
    ],
)
def test_each_button_records_its_choice_and_closes(qtbot, button, choice):
    from PySide6.QtCore import Qt

    dlg = WelcomeDialog([])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(getattr(dlg, button), Qt.MouseButton.LeftButton)
    assert dlg.choice == choice
    assert dlg.result() == WelcomeDialog.DialogCode.Accepted
    assert not dlg.isVisible()


def _chosen(choice, path=None) -> WelcomeDialog:
    dlg = WelcomeDialog([])
    dlg.choice, dlg.chosen_path = choice, path
    return dlg


def test_choosing_the_demo_builds_it_once_and_opens_it(window, tmp_path):
    built = []

    def build():
        built.append(True)
        return _workspace_file(tmp_path / "demo.qaw")

    dlg = _chosen(first_run.DEMO)
    assert carry_out(window, dlg, build)
    assert built == [True]
    assert window.workspace is not None and window.workspace.path.name == "demo.qaw"
    dlg.deleteLater()


def test_choosing_create_asks_for_a_file_and_creates_it(window, tmp_path, monkeypatch):
    target = tmp_path / "team"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "QA Studio workspace (*.qaw)")
    )
    dlg = _chosen(first_run.NEW)
    assert carry_out(window, dlg)
    assert window.workspace.path == tmp_path / "team.qaw"
    assert (tmp_path / "team.qaw").exists()
    dlg.deleteLater()


def test_choosing_open_and_cancelling_leaves_the_window_empty(window, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    dlg = _chosen(first_run.OPEN)
    assert not carry_out(window, dlg)
    assert window.workspace is None
    dlg.deleteLater()


def test_choosing_a_recent_file_opens_it(window, tmp_path, settings):
    there = _workspace_file(tmp_path / "recent.qaw")
    dlg = _chosen(first_run.RECENT, there)
    assert carry_out(window, dlg)
    assert window.workspace.path == there
    assert settings.recent_files()[0] == there.resolve()
    dlg.deleteLater()


def test_closing_the_dialog_opens_nothing(window, monkeypatch):
    monkeypatch.setattr(WelcomeDialog, "exec", lambda self: WelcomeDialog.DialogCode.Rejected)
    assert not offer_first_run(window, build_demo=lambda: pytest.fail("demo must not be built"))
    assert window.workspace is None


def test_with_a_workspace_open_the_dialog_is_not_shown(window, tmp_path, monkeypatch):
    window.open_path(_workspace_file(tmp_path / "open.qaw"))
    monkeypatch.setattr(WelcomeDialog, "exec", lambda self: pytest.fail("must not be shown"))
    assert not offer_first_run(window)


def test_every_icon_loads_and_the_window_has_the_app_icon(window):
    for name in icons.ICON_NAMES:
        assert not icons.icon(name).isNull(), name
        assert not icons.icon(name).pixmap(48, 48).isNull(), name
    assert icons.icon("no-such-icon").isNull()
    assert not window.windowIcon().isNull()


def test_file_menu_has_settings_before_quit(window):
    file_menu = window.quit_action.associatedObjects()[0]
    texts = [a.text() for a in file_menu.actions()]
    assert "&Settings…" in texts
    assert texts.index("&Settings…") < texts.index("&Quit")
    dialog = window.preferences.open_settings()
    assert dialog.isVisible()
    assert dialog.workspace is None
    dialog.reject()


def test_about_names_every_component_version(window, monkeypatch):
    found = versions()
    assert list(found)[:4] == ["QA Studio", "Qt", "PySide6", "Python"]
    for name in ("SQLite", "openpyxl", "pyqtgraph", "sqlite-utils"):
        assert found[name] and found[name] != "unknown", name
    box = about_box(window)
    for name, value in found.items():
        assert f"{name} {value}" in box.text()
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.about_action.trigger()
    assert len(shown) == 1 and f"SQLite {found['SQLite']}" in shown[0]
    box.deleteLater()
