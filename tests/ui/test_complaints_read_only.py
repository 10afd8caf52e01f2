"""The Complaints & RCA tab on a read-only workspace: everything readable, nothing writable.

A workspace with complaints in every step, two open breaches and an RCA is opened read-only in a
main window; each sub-tab is shown with a row selected that would switch its buttons on. Then the
named writing controls are off (failing if one is no longer marked), so is every other push
button but the few that only read or export, and the file is unchanged. Reopened writable, the
same buttons come back on.
"""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtWidgets import QPushButton

from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import rca
from qa_studio.ui.main_window import MainWindow
from qa_studio.ui.write_guard import MARK, REASON
from tests.ui.complaint_helpers import log_complaints, open_breaches
from tests.ui.prompts import never_ask_evaluator
from tests.ui.windows import ini_settings, main_window

#: Push buttons of the tab that only read or write a file outside the workspace.
READS_ONLY = {"Export PNG…", "Check effect"}


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "complaints.qaw"
    ws = open_workspace(target)
    try:
        log = log_complaints(ws)
        open_breaches(ws)
        rca.start_rca(ws, "complaint_category", "Fees", "Fee complaints doubled")
    finally:
        ws.close()
    return target, log


def _window(qtbot, tmp_path, ws, monkeypatch) -> MainWindow:
    never_ask_evaluator(monkeypatch)
    return main_window(qtbot, ini_settings(tmp_path, evaluator="Ann"), ws)


def _visit(qtbot, win, log):
    """Show the tab and each of its screens with a row selected that enables its buttons."""
    win.tabs.setCurrentWidget(win.complaints)
    screen = win.complaints.screen
    assert screen is not None
    log_view = screen.complaints
    row = next(r for r, c in enumerate(log_view.model.records) if c.id == log["answered"])
    log_view.table.selectRow(row)  # answered: follow-up and referral are open
    screen.setCurrentWidget(screen.rcas)
    screen.rcas.list.setCurrentRow(0)
    assert screen.rcas.editor is not None
    qtbot.wait(1)
    screen.setCurrentWidget(screen.breach_log)
    screen.breach_log.table.selectRow(0)
    qtbot.wait(1)
    screen.setCurrentWidget(log_view)
    qtbot.wait(1)
    return screen


def _named(screen) -> dict[str, QPushButton]:
    log_view, editor = screen.complaints, screen.rcas.editor
    return {
        "Log complaint": log_view.new_button,
        "From flagged contact": log_view.from_button,
        "Edit": log_view.edit_button,
        "Add note": log_view.note_button,
        "Record response": log_view.response_button,
        "Ombudsman/ADR referral": log_view.refer_button,
        "Record follow-up": log_view.follow_up_button,
        "Start RCA": log_view.rca_button,
        "Decide breach": screen.breach_log.decide_button,
        "New RCA": screen.rcas.new_button,
        "Save RCA": editor.save_button,
    }


def _fingerprint(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_nothing_writes_on_a_read_only_workspace(qtbot, path, tmp_path, monkeypatch):
    file, log = path
    before = _fingerprint(file)
    ws = open_workspace(file, read_only=True)
    win = _window(qtbot, tmp_path, ws, monkeypatch)
    screen = _visit(qtbot, win, log)
    named = _named(screen)
    unmarked = [name for name, button in named.items() if not button.property(MARK)]
    assert unmarked == []
    on = [name for name, button in named.items() if button.isEnabled()]
    assert on == []
    assert REASON in screen.complaints.follow_up_button.toolTip()
    stray = [b.text() for b in screen.findChildren(QPushButton)
             if b.isEnabled() and b.text() not in READS_ONLY]  # fmt: skip
    assert stray == []
    assert screen.complaints.model.rowCount() == 4  # still readable
    assert screen.breach_log.model.rowCount() == 2
    win.close()
    ws.close()
    assert _fingerprint(file) == before


def test_the_same_buttons_are_on_when_writable(qtbot, path, tmp_path, monkeypatch):
    file, log = path
    ws = open_workspace(file)
    try:
        win = _window(qtbot, tmp_path, ws, monkeypatch)
        screen = _visit(qtbot, win, log)
        off = [name for name, button in _named(screen).items() if not button.isEnabled()]
        assert off == ["Record response"]  # the answered complaint has had its response
        log_view = screen.complaints
        row = next(r for r, c in enumerate(log_view.model.records) if c.id == log["late"])
        log_view.table.selectRow(row)
        assert log_view.response_button.isEnabled()
        assert REASON not in screen.complaints.follow_up_button.toolTip()
        win.close()
    finally:
        ws.close()
