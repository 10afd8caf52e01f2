"""TranscriptView: readable turns, the current turn follows playback, a click seeks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from qa_studio.domain.models import Transcript, Turn
from qa_studio.ui.widgets.transcript_view import TranscriptView, format_offset

CALL = Transcript(
    "json",
    (
        Turn("Amy Khan", "agent", "Good morning, you're through to Amy.", 0.0, 3.0),
        Turn("Customer", "customer", "Hi, my broadband keeps dropping.\nSince Monday.", 3.5, 8.0),
        Turn("Amy Khan", "agent", "Sorry to hear that. Let me run a line test.", 9.0, 12.0),
        Turn("System", "system", "Call transferred", 75.0, None),
    ),
)


@pytest.fixture
def view(qtbot):
    widget = TranscriptView()
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.set_transcript(CALL)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_format_offset():
    assert [format_offset(s) for s in (None, 0, 7.9, 75, 3600 + 62)] == [
        "",
        "00:00",
        "00:07",
        "01:15",
        "1:01:02",
    ]


def test_shows_speaker_role_time_and_text(view):
    text = view.toPlainText()
    assert "00:00  Amy Khan · agent" in text
    assert "00:03  Customer" in text and "Customer · customer" not in text
    assert "Hi, my broadband keeps dropping.\nSince Monday." in text  # one block per turn
    assert "01:15  System" in text
    assert view.document().blockCount() == 4


def test_current_turn_follows_the_time(view):
    assert view.current_turn() is None
    view.set_current_time(4.0)
    assert view.current_turn() == 1 and len(view.extraSelections()) == 1
    assert view.extraSelections()[0].cursor.selectedText().startswith("00:03")
    view.set_current_time(10.5)
    assert view.current_turn() == 2
    view.set_current_time(600.0)
    assert view.current_turn() == 3
    view.set_current_time(-1.0)
    assert view.current_turn() is None and view.extraSelections() == []


def test_clicking_a_turn_seeks_to_its_start(qtbot, view):
    block = view.document().findBlockByNumber(2)
    rect = view.document().documentLayout().blockBoundingRect(block)
    point = QPoint(int(rect.left() + 40), int(rect.top() + rect.height() / 2))
    with qtbot.waitSignal(view.turnActivated, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [9.0]


def test_none_shows_the_placeholder(view):
    view.set_current_time(4.0)
    view.set_transcript(None)
    assert view.toPlainText() == "" and view.current_turn() is None
    assert "No transcript" in view.placeholderText()


def test_a_transcript_set_while_hidden_starts_at_the_top_when_shown(qtbot):
    long = Transcript(
        "json",
        tuple(
            Turn("Amy", "agent", f"Line {n} " + "words " * 30, float(n), None) for n in range(60)
        ),
    )
    view = TranscriptView()
    qtbot.addWidget(view)
    view.set_transcript(long)  # as the detail pane does before the window is first shown
    view.resize(420, 300)
    view.show()
    qtbot.waitExposed(view)
    assert view.verticalScrollBar().maximum() > 0
    assert view.verticalScrollBar().value() == 0
