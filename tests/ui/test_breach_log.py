"""The breach log: the 72-hour ICO clock as shown, and deciding a breach through its dialog."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import QDialog

from qa_studio.domain.timeutil import parse_iso
from qa_studio.storage.repository import breaches
from qa_studio.ui.views.breach_log import BreachDecisionDialog, BreachLogView
from qa_studio.ui.views.complaint_models import TONES
from tests.ui.complaint_helpers import BREACH_OPENED, open_breaches, shown

OPENED = parse_iso(BREACH_OPENED)
CLOCK = 9  # column "ICO clock"


def _view(qtbot, ws, qtmodeltester, hours: float) -> BreachLogView:
    view = BreachLogView(ws, now=OPENED + timedelta(hours=hours))
    return shown(qtbot, qtmodeltester, view, 1500, 400)


def _headline(view) -> str:
    return re.sub("<[^>]+>", "", view.headline.text())


def _background(view, row: int) -> str | None:
    brush = view.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
    return None if brush is None else brush.color().name()


@pytest.fixture
def ids(ws):
    return open_breaches(ws)


def test_the_clock_in_words_and_colours(qtbot, ws, ids, qtmodeltester):
    early = _view(qtbot, ws, qtmodeltester, 10)
    assert early.model.rowCount() == 2
    assert early.model.index(0, CLOCK).data() == "62 h left"
    assert _background(early, 0) is None
    assert early.model.index(0, 7).data() == "2026-10-05 11:10"  # ICO due
    assert "2 open" in _headline(early)
    late_day = _view(qtbot, ws, qtmodeltester, 66.5)
    assert late_day.model.index(0, CLOCK).data() == "5 h 30 min left"
    assert _background(late_day, 0) == TONES["due_soon"]
    assert "Less than 24 hours" in late_day.model.index(0, CLOCK).data(
        Qt.ItemDataRole.ToolTipRole)  # fmt: skip
    assert "2 with less than 24 h left" in _headline(late_day)
    overdue = _view(qtbot, ws, qtmodeltester, 75)
    assert overdue.model.index(0, CLOCK).data() == "OVERDUE by 3 h 00 min"
    assert _background(overdue, 0) == TONES["overdue"]
    assert "2 past the 72 hours" in _headline(overdue)


def test_report_to_the_ico_through_the_dialog(qtbot, ws, ids, qtmodeltester, monkeypatch):
    view = _view(qtbot, ws, qtmodeltester, 75)
    view.table.selectRow(0)
    first = view.current().id
    assert view.decide_button.isEnabled()
    reported = OPENED + timedelta(hours=74)

    def fill(dialog):
        assert dialog.decision.currentData() == "reported" and dialog.reported_at.isEnabled()
        assert not dialog.ok.isEnabled()  # notes are required
        dialog.reported_at.setDateTime(QDateTime.fromSecsSinceEpoch(
            int((OPENED + timedelta(hours=80)).timestamp()), QTimeZone.utc()))  # fmt: skip
        qtbot.keyClicks(dialog.notes, "Reported online, ICO ref IC-1234")
        assert not dialog.ok.isEnabled()
        assert "cannot be in the future" in dialog.problem_label.text()
        dialog.reported_at.setDateTime(QDateTime.fromSecsSinceEpoch(
            int(reported.timestamp()), QTimeZone.utc()))  # fmt: skip
        assert dialog.ok.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BreachDecisionDialog, "exec", fill)
    with qtbot.waitSignal(view.breachDecided) as decided:
        qtbot.mouseClick(view.decide_button, Qt.MouseButton.LeftButton)
    assert decided.args == [first]
    stored = {b.id: b for b in breaches.list_breaches(ws)}[first]
    assert (stored.status, stored.reported_at, stored.decided_by, stored.notes) == (
        "reported",
        "2026-10-05T13:10:00Z",
        "Test Evaluator",
        "Reported online, ICO ref IC-1234",
    )
    row = next(r for r, b in enumerate(view.model.records) if b.id == first)
    assert view.model.index(row, CLOCK).data() == "reported after 74 h (late)"
    assert view.model.index(row, 8).data() == "reported"
    assert _background(view, row) is None
    view.table.selectRow(row)
    assert not view.decide_button.isEnabled()
    assert view.decide() is False  # nothing to decide twice


def test_not_reportable_needs_the_reason(qtbot, ws, ids, qtmodeltester, monkeypatch):
    view = _view(qtbot, ws, qtmodeltester, 20)
    view.table.selectRow(1)
    second = view.current().id

    def fill(dialog):
        dialog.decision.setCurrentIndex(dialog.decision.findData("not_reportable"))
        assert not dialog.reported_at.isEnabled()
        assert "why the breach is unlikely" in dialog.problem_label.text()
        dialog.notes.setPlainText("Card number masked in the recording; no risk")
        assert dialog.ok.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BreachDecisionDialog, "exec", fill)
    assert view.decide()
    stored = {b.id: b for b in breaches.list_breaches(ws)}[second]
    assert (stored.status, stored.reported_at) == ("not_reportable", None)
    assert view.current().id == second  # the selection stays on the decided row
    assert view.model.index(view.table.currentIndex().row(), CLOCK).data() == "not reportable"
    assert "1 open of 2" in _headline(view)
    view.open_only.setChecked(True)
    assert [b.status for b in view.model.records] == ["open"]


def test_refusal_is_shown_and_nothing_stored(qtbot, ws, ids, qtmodeltester, monkeypatch):
    view = _view(qtbot, ws, qtmodeltester, 20)
    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning",
                        lambda parent, title, text: shown.append((title, text)))  # fmt: skip
    monkeypatch.setattr(BreachDecisionDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    assert view.decide() is False  # the dialog's checks skipped: the repository refuses
    assert shown == [("Breach not decided",
                      "notes: say what was reported, or why it is not reportable")]  # fmt: skip
    assert all(b.status == "open" for b in breaches.list_breaches(ws))


def test_empty_log_says_what_opens_a_breach(qtbot, ws, qtmodeltester):
    view = BreachLogView(ws, now=datetime(2026, 10, 1, tzinfo=UTC))
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    assert "fatal data-protection or PCI fail" in _headline(view)
    assert not view.decide_button.isEnabled()
