"""The write guard: marked controls are off while the window's workspace is read-only, whatever
their screen does meanwhile, and come back as their screen last asked once writes are allowed."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from qa_studio.ui.write_guard import REASON, mark_writes, set_writes_allowed, writes_allowed


def _window(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    save = QPushButton("Save", window)
    view = QPushButton("View", window)
    layout.addWidget(save)
    layout.addWidget(view)
    return window, save, view


def test_marked_button_is_off_while_read_only_and_unmarked_one_is_not(qtbot):
    window, save, view = _window(qtbot)
    mark_writes(save)
    window.show()
    set_writes_allowed(window, False)
    assert not writes_allowed(save)
    assert not save.isEnabled()
    assert view.isEnabled()
    assert REASON in save.toolTip()
    # The screen enables its button again (a row was selected): it stays off.
    save.setEnabled(True)
    assert not save.isEnabled()
    set_writes_allowed(window, True)
    assert save.isEnabled()
    assert REASON not in save.toolTip()


def test_a_button_marked_after_the_workspace_went_read_only_starts_off(qtbot):
    window, _save, _view = _window(qtbot)
    set_writes_allowed(window, False)
    late = QPushButton("Delete", window)
    window.layout().addWidget(late)
    mark_writes(late)
    assert not late.isEnabled()
    set_writes_allowed(window, True)
    assert late.isEnabled()


def test_a_button_its_screen_disabled_stays_disabled_when_writes_return(qtbot):
    window, save, _view = _window(qtbot)
    save.setEnabled(False)
    mark_writes(save)
    set_writes_allowed(window, False)
    set_writes_allowed(window, True)
    assert not save.isEnabled()


def test_marked_action_follows_its_window(qtbot):
    window, _save, _view = _window(qtbot)
    action = QAction("Record session", window)
    window.addAction(action)
    mark_writes(action)
    set_writes_allowed(window, False)
    assert not action.isEnabled()
    action.setEnabled(True)
    assert not action.isEnabled()
    set_writes_allowed(window, True)
    assert action.isEnabled()


def test_two_windows_do_not_share_the_state(qtbot):
    first, save_1, _ = _window(qtbot)
    _second, save_2, _ = _window(qtbot)
    mark_writes(save_1, save_2)
    set_writes_allowed(first, False)
    assert not save_1.isEnabled()
    assert save_2.isEnabled()


def test_a_dialog_follows_the_window_it_was_opened_over(qtbot):
    from PySide6.QtWidgets import QDialog

    window, _save, _view = _window(qtbot)
    set_writes_allowed(window, False)
    dialog = QDialog(window)
    ok = QPushButton("Import", dialog)
    mark_writes(ok)
    assert not ok.isEnabled()
    set_writes_allowed(window, True)
    assert ok.isEnabled()
    dialog.deleteLater()
