"""The Interactions tab driven as a user would: filters, header clicks, the detail pane."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QPoint, Qt

from qa_studio.storage.repository import browser_query
from qa_studio.ui.main_window import MainWindow
from qa_studio.ui.models.interactions_model import COLUMNS
from tests.ui.browser_data import ROWS, fill, newest_first
from tests.ui.windows import main_window

EXT = [key for _, key in COLUMNS].index("external_id")


@pytest.fixture
def window(qtbot, ws, tmp_path):
    fill(ws)
    win = main_window(qtbot, tmp_path, ws, remember=True)
    return win


def shown(win: MainWindow) -> list[str]:
    model = win.browser.model
    return [model.index(r, EXT).data() for r in range(model.rowCount())]


def wait_for_rows(qtbot, win: MainWindow, expected: list[str]) -> None:
    qtbot.waitUntil(lambda: shown(win) == expected, timeout=3000)


def test_window_title_and_status(window):
    assert window.windowTitle() == "test.qaw — QA Studio"
    assert window.status_label.text() == (
        "40 interactions · 5 agents · 0 evaluations · workspace test.qaw"
    )
    assert shown(window) == newest_first(ROWS)
    assert window.tabs.tabText(0) == "Interactions"


def test_team_combo_then_agent_combo(qtbot, window):
    browser = window.browser
    browser.team_combo.setFocus()
    qtbot.keyClicks(browser.team_combo, "Faults")
    assert browser.team_combo.currentText() == "Faults"
    faults = [r for r in ROWS if r.team == "Faults"]
    wait_for_rows(qtbot, window, newest_first(faults))
    assert window.status_label.text().startswith(f"Showing {len(faults)} of 40 interactions · ")
    agents = [browser.agent_combo.itemText(i) for i in range(browser.agent_combo.count())]
    assert agents == ["All agents", "Cat Doyle", "Dev Patel"]
    qtbot.keyClicks(browser.agent_combo, "Dev")
    wait_for_rows(qtbot, window, newest_first([r for r in faults if r.agent == "Dev Patel"]))


def test_external_id_prefix_typed(qtbot, window):
    edit = window.browser.external_id_edit
    qtbot.keyClicks(edit, "CH-001")
    wait_for_rows(
        qtbot, window, newest_first([r for r in ROWS if r.external_id.startswith("CH-001")])
    )
    assert len(shown(window)) == 4  # CH-0010, -13, -16, -19
    edit.clear()
    wait_for_rows(qtbot, window, newest_first(ROWS))


def test_vulnerable_checkbox_complaint_and_channel(qtbot, window):
    browser = window.browser
    qtbot.mouseClick(browser.vulnerable_check, Qt.MouseButton.LeftButton)
    assert browser.vulnerable_check.isChecked()
    vulnerable = [r for r in ROWS if r.vulnerable]
    wait_for_rows(qtbot, window, newest_first(vulnerable))
    browser.channel_combo.setCurrentIndex(browser.channel_combo.findText("Chat"))
    wait_for_rows(qtbot, window, newest_first([r for r in vulnerable if r.channel == "chat"]))
    qtbot.mouseClick(browser.clear_button, Qt.MouseButton.LeftButton)
    assert not browser.vulnerable_check.isChecked()
    wait_for_rows(qtbot, window, newest_first(ROWS))
    browser.complaint_combo.setCurrentIndex(browser.complaint_combo.findText("Any complaint"))
    wait_for_rows(qtbot, window, newest_first([r for r in ROWS if r.complaint != "none"]))


def test_date_range_in_london_days(qtbot, window):
    browser = window.browser
    assert not browser.date_from.isEnabled()
    qtbot.mouseClick(browser.date_check, Qt.MouseButton.LeftButton)
    assert browser.date_from.isEnabled() and browser.date_to.isEnabled()
    browser.date_from.setDate(QDate(2026, 10, 3))
    browser.date_to.setDate(QDate(2026, 10, 4))
    # London days 3-4 October (BST) are 2 Oct 23:00 to 4 Oct 23:00 UTC.
    inside = [r for r in ROWS if "2026-10-02T23:00:00Z" <= r.started_at < "2026-10-04T23:00:00Z"]
    wait_for_rows(qtbot, window, newest_first(inside))
    assert len(inside) == 8


def test_clicking_headers_sorts(qtbot, window):
    header = window.browser.table.horizontalHeader()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click(EXT)
    first = shown(window)
    assert first in (sorted(first), sorted(first, reverse=True)) and len(first) == 40
    click(EXT)
    assert shown(window) == list(reversed(first))
    assert header.sortIndicatorSection() == EXT
    agent = [key for _, key in COLUMNS].index("agent")
    click(agent)
    names = [window.browser.model.index(r, agent).data() for r in range(40)]
    named = [n for n in names if n != "—"]
    assert named in (sorted(named), sorted(named, reverse=True))
    assert names[-3:] == ["—"] * 3  # contacts without an agent come last


def test_refused_sort_shows_a_message_and_keeps_the_indicator(qtbot, window, monkeypatch):
    monkeypatch.setattr(browser_query, "SORT_ROW_LIMIT", 10)
    header = window.browser.table.horizontalHeader()
    duration = [key for _, key in COLUMNS].index("duration_s")
    x = header.sectionViewportPosition(duration) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert "narrow the filter" in window.statusBar().currentMessage()
    assert header.sortIndicatorSection() == 0
    assert shown(window) == newest_first(ROWS)


def test_detail_pane_shows_the_selected_transcript(qtbot, window):
    browser = window.browser
    ids = shown(window)
    assert browser.detail.title.text().startswith(ids[0])  # first row selected on load
    row = next(i for i, ext in enumerate(ids) if ext.startswith("VC-"))
    browser.table.selectRow(row)
    detail = browser.detail
    assert detail.title.text().startswith(ids[row])
    assert f"I'm calling about reference {ids[row]}." in detail.transcript.toPlainText()
    metadata = detail.metadata.toPlainText()
    assert "media/missing.wav" in metadata and "file missing" in metadata
    email = next(i for i, ext in enumerate(ids) if ext.startswith("EM-"))
    browser.table.selectRow(email)
    assert detail.transcript.toPlainText() == ""
    assert "Recording" in detail.metadata.toPlainText()


def test_screens_render(qtbot, window, tmp_path):
    window.resize(1400, 900)
    window.browser.select_first_row()
    image = window.grab().toImage()
    assert image.width() >= 1400 and image.height() >= 900
    colours = {image.pixelColor(x, y).name() for x in range(0, 1400, 50) for y in range(0, 900, 50)}
    assert len(colours) > 5  # not a blank window


def test_reading_the_filters_keeps_none_alive(window):
    """PySide6 6.12 drops a reference to None for each None item data read back; the combos
    must never hold None, or a long session aborts the interpreter."""
    import sys

    before = sys.getrefcount(None)
    for _ in range(2000):
        window.browser.filter_from_widgets()
    assert sys.getrefcount(None) > before - 100
