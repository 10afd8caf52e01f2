"""A transcript shown as a readable conversation: who spoke, when, and what they said.

Each turn is one block of a read-only rich-text document — time (``mm:ss``), speaker and role in
the role's colour, then the words — on a light tint of that colour, so agent and customer are told
apart at a glance. The scoring screen plays the recording alongside: ``set_current_time`` marks
the turn being spoken (an overlay selection, so the document is never rebuilt while playing) and
scrolls it into view, and a click on a turn emits ``turnActivated(start_seconds)`` to seek there.
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from qa_studio.domain.models import Transcript, Turn

#: (text colour, tint) per role; anything else is shown like "system".
ROLE_COLOURS: dict[str, tuple[str, str]] = {
    "agent": ("#1d4f91", "#eef4fb"),
    "customer": ("#2f6b2f", "#f0f7ec"),
    "system": ("#5f5f5f", "#f4f4f4"),
}
CURRENT_TURN_COLOUR = "#ffe69a"
TIME_COLOUR = "#707070"
LINE_BREAK = "\u2028"  # a line break inside a block: one turn stays one block


def format_offset(seconds: float | None) -> str:
    """``mm:ss`` from the start of the contact (``h:mm:ss`` past an hour); empty when unknown."""
    if seconds is None:
        return ""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class TranscriptView(QTextEdit):
    """Read-only conversation view with a current-turn highlight and click-to-seek."""

    turnActivated = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setPlaceholderText("No transcript for this interaction.")
        self.document().setDocumentMargin(8)
        self._turns: tuple[Turn, ...] = ()
        self._starts: list[float] = []
        self._timed: list[int] = []
        self._current: int | None = None

    # -- content --------------------------------------------------------------------------------

    def set_transcript(self, transcript: Transcript | None) -> None:
        """Show ``transcript`` (or the placeholder for None), scrolled to the top."""
        self.clear()
        self._current = None
        self.setExtraSelections([])
        self._turns = transcript.turns if transcript else ()
        timed = [(t.start_s, i) for i, t in enumerate(self._turns) if t.start_s is not None]
        timed.sort()
        self._starts = [s for s, _ in timed]
        self._timed = [i for _, i in timed]
        if not self._turns:
            return
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for index, turn in enumerate(self._turns):
            self._write_turn(cursor, index, turn)
        cursor.endEditBlock()
        # The view's own cursor was pushed to the end by the insertions; a later relayout would
        # scroll to keep it visible, so put it back at the top.
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.verticalScrollBar().setValue(0)

    def _write_turn(self, cursor: QTextCursor, index: int, turn: Turn) -> None:
        ink, tint = ROLE_COLOURS.get(turn.role, ROLE_COLOURS["system"])
        block = QTextBlockFormat()
        block.setBackground(QColor(tint))
        block.setTopMargin(0 if index == 0 else 6)
        block.setLeftMargin(4)
        block.setRightMargin(4)
        if index == 0:
            cursor.setBlockFormat(block)
        else:
            cursor.insertBlock(block)
        cursor.block().setUserState(index)
        plain = QTextCharFormat()
        if turn.start_s is not None:
            stamp = QTextCharFormat()
            stamp.setForeground(QColor(TIME_COLOUR))
            stamp.setFontFamilies(["monospace"])
            stamp.setFontFixedPitch(True)
            cursor.insertText(format_offset(turn.start_s) + "  ", stamp)
        who = QTextCharFormat()
        who.setForeground(QColor(ink))
        who.setFontWeight(QFont.Weight.Bold)
        cursor.insertText(turn.speaker or turn.role.capitalize(), who)
        if turn.speaker and turn.speaker.casefold() != turn.role.casefold():
            role = QTextCharFormat()
            role.setForeground(QColor(ink))
            cursor.insertText(f" · {turn.role}", role)
        cursor.insertText(LINE_BREAK + turn.text.replace("\n", LINE_BREAK), plain)

    def turns(self) -> tuple[Turn, ...]:
        return self._turns

    # -- playback -------------------------------------------------------------------------------

    def current_turn(self) -> int | None:
        """Index of the highlighted turn, if any."""
        return self._current

    def set_current_time(self, seconds: float) -> None:
        """Highlight the turn being spoken at ``seconds`` and scroll it into view."""
        pos = bisect_right(self._starts, seconds) - 1
        index = self._timed[pos] if pos >= 0 else None
        if index == self._current:
            return
        self._current = index
        if index is None:
            self.setExtraSelections([])
            return
        block = self.document().findBlockByNumber(index)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = QTextCursor(block)
        selection.cursor.movePosition(
            QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
        )
        selection.format.setBackground(QColor(CURRENT_TURN_COLOUR))
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        self.setExtraSelections([selection])
        self._scroll_to_block(index)

    def _scroll_to_block(self, index: int) -> None:
        block = self.document().findBlockByNumber(index)
        rect = self.document().documentLayout().blockBoundingRect(block)
        bar = self.verticalScrollBar()
        top, height = int(rect.top()), int(rect.height())
        view = self.viewport().height()
        if top < bar.value() or top + height > bar.value() + view:
            bar.setValue(max(0, top - view // 4))

    # -- click to seek --------------------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        index = self.cursorForPosition(event.position().toPoint()).block().userState()
        if 0 <= index < len(self._turns) and self._turns[index].start_s is not None:
            self.turnActivated.emit(float(self._turns[index].start_s))
