"""One scorecard question as an evaluator answers it: text, badges, answer buttons, comments.

A card is the unit of keyboard focus in the scoring form: the answer buttons never take focus,
so Tab / Up / Down move from question to question and the letter and digit shortcuts always
apply to the highlighted card. Guidance is the card's tooltip (and shown in the form's guidance
panel when the card has focus); compliance items show the regulation they enforce, and
critical/fatal items carry a badge so the consequence of "No" is never a surprise.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qa_studio.ui.widgets.audio_player import format_time

if TYPE_CHECKING:
    from qa_studio.scorecards.schema import Question

NA = "na"

#: Colours shared by the badges here and the banners of the form.
RED, RED_BG = "#9b1c1c", "#fde8e8"
AMBER, AMBER_BG = "#8a4b00", "#fff4d6"
BLUE = "#1d4ed8"

CARD_STYLE = f"""
QFrame#questionCard {{ background: palette(base); border: 1px solid palette(mid);
    border-radius: 6px; }}
QFrame#questionCard[current="true"] {{ border: 2px solid {BLUE}; background: #eef4ff; }}
QFrame#questionCard[readOnly="true"] {{ background: palette(window); }}
QPushButton[answer="true"] {{ padding: 3px 10px; }}
QPushButton[answer="true"]:checked {{ background: {BLUE}; color: white;
    border: 1px solid {BLUE}; border-radius: 3px; }}
QLabel[badge="critical"] {{ background: {AMBER_BG}; color: {AMBER}; border: 1px solid #e0a23a;
    border-radius: 3px; padding: 0 4px; font-weight: bold; }}
QLabel[badge="fatal"] {{ background: {RED_BG}; color: {RED}; border: 1px solid #e38b8b;
    border-radius: 3px; padding: 0 4px; font-weight: bold; }}
QLabel[badge="regulation"] {{ background: #eef2f7; color: #334155; border: 1px solid #c3ccd8;
    border-radius: 3px; padding: 0 4px; }}
QLabel[outcome="pass"] {{ color: #166534; font-weight: bold; }}
QLabel[outcome="fail"] {{ color: {RED}; font-weight: bold; }}
QLabel[outcome="na"] {{ color: #475569; font-weight: bold; }}
"""


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def choices(question: Question) -> list[tuple[object, str, str]]:
    """(stored value, button text, tooltip) for every answer the question accepts."""
    out: list[tuple[object, str, str]] = []
    if question.type == "yes_no":
        out += [("yes", "Yes  (Y)", "Yes — press Y"), ("no", "No  (N)", "No — press N")]
    elif question.type == "scale" and question.scale is not None:
        scale = question.scale
        for value in range(scale.min, scale.max + 1):
            anchor = scale.anchors.get(value, "")
            tip = f"{value}" + (f" — {anchor}" if anchor else "")
            if scale.pass_at is not None and value < scale.pass_at:
                tip += " (fails: below the pass mark)"
            out.append((value, str(value), tip + f" — press {digit_for_scale(question, value)}"))
    else:
        for index, option in enumerate(question.options, start=1):
            key_hint = f"press {index}" if index <= 9 else "click"
            out.append(
                (
                    option.label,
                    f"{index}  {option.label} ({option.points:g})",
                    f"{option.label}: {option.points:g} points — {key_hint}",
                )
            )
    if question.allow_na:
        out.append((NA, "N/A  (A)", "Not applicable — press A"))
    return out


def digit_for_scale(question: Question, value: int) -> str:
    """The key that picks ``value``: its digit, or 0 for 10 on a scale that has no 0."""
    if 0 <= value <= 9:
        return str(value)
    if value == 10 and question.scale is not None and question.scale.min > 0:
        return "0"
    return "click"


def value_for_digit(question: Question, digit: int) -> object | None:
    """The answer a digit key stands for on this question, or None if it means nothing."""
    if question.type == "scale" and question.scale is not None:
        lo, hi = question.scale.min, question.scale.max
        if lo <= digit <= hi:
            return digit
        if digit == 0 and lo > 0 and lo <= 10 <= hi:
            return 10
        return None
    if question.type == "points" and 1 <= digit <= min(9, len(question.options)):
        return question.options[digit - 1].label
    return None


class CommentEdit(QLineEdit):
    """The inline comment box: Enter saves (QLineEdit.returnPressed), Escape cancels."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class QuestionCard(QFrame):
    """A question with its answer buttons; emits what the evaluator chose, never stores it."""

    #: (question key, value) — value None clears the answer.
    answerChosen = Signal(str, object)
    #: (question key, comment text, playback time in seconds or None).
    noteSaved = Signal(str, str, object)
    #: The card received keyboard focus.
    focusEntered = Signal(str)
    #: A comment's timestamp link was clicked: seconds.
    seekRequested = Signal(float)

    def __init__(self, question: Question, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.number = number
        #: Moves focus to the next (+1) / previous (−1) card; returns False at either end.
        self.navigator: Callable[[int], bool] | None = None
        self._value: object | None = None
        self._read_only = False
        self._pending_at: float | None = None
        self.setObjectName("questionCard")
        self.setProperty("current", False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setAccessibleName(f"Question {number}: {question.text}")
        if question.guidance:
            self.setToolTip(question.guidance)
        self._build()

    @property
    def key(self) -> str:
        return self.question.key

    # -- construction -----------------------------------------------------------------------
    def _build(self) -> None:
        q = self.question
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(5)

        header = QHBoxLayout()
        header.setSpacing(6)
        self.text_label = QLabel(f"<b>{html.escape(self.number)}</b>&nbsp; {html.escape(q.text)}")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.text_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        header.addWidget(self.text_label, 1)
        self.badges: list[QLabel] = []
        if q.critical:
            self.badges.append(
                self._badge("CRITICAL", "critical", "A fail sets this question's section to 0")
            )
        if q.fatal:
            self.badges.append(
                self._badge("FATAL", "fatal", "A fail triggers the form's fatal policy")
            )
        if q.weight != 1:
            self.badges.append(self._badge(f"×{q.weight:g}", "regulation", "Weight"))
        for badge in self.badges:
            header.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        self.outcome_label = QLabel("")
        self.outcome_label.setMinimumWidth(
            self.outcome_label.fontMetrics().horizontalAdvance("Fail 10/10")
        )
        self.outcome_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.outcome_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        if q.regulation:
            reg = QHBoxLayout()
            self.regulation_label = self._badge(
                f"⚖ {q.regulation}", "regulation", "The regulation this item enforces"
            )
            reg.addWidget(self.regulation_label)
            reg.addStretch(1)
            layout.addLayout(reg)
        else:
            self.regulation_label = None

        row = QHBoxLayout()
        row.setSpacing(4)
        self.buttons: dict[object, QPushButton] = {}
        for value, text, tip in choices(q):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setProperty("answer", True)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, v=value: self._clicked(v))
            row.addWidget(button)
            self.buttons[value] = button
        row.addStretch(1)
        layout.addLayout(row)

        if q.type == "scale" and q.scale is not None and q.scale.anchors:
            anchors = " · ".join(
                f"<b>{v}</b> {html.escape(t)}" for v, t in sorted(q.scale.anchors.items())
            )
            self.anchor_label = QLabel(anchors)
            self.anchor_label.setWordWrap(True)
            self.anchor_label.setStyleSheet("color: palette(dark);")
            layout.addWidget(self.anchor_label)

        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.notes_label.linkActivated.connect(self._link)
        self.notes_label.hide()
        layout.addWidget(self.notes_label)

        self.comment_edit = CommentEdit()
        self.comment_edit.returnPressed.connect(self._save_comment)
        self.comment_edit.cancelled.connect(self.close_comment)
        self.comment_edit.hide()
        layout.addWidget(self.comment_edit)

    def _badge(self, text: str, kind: str, tip: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("badge", kind)
        label.setToolTip(tip)
        return label

    # -- state ------------------------------------------------------------------------------
    def value(self) -> object | None:
        return self._value

    def set_value(self, value: object | None) -> None:
        """Show ``value`` as chosen (None: unanswered). Does not emit."""
        self._value = value
        for v, button in self.buttons.items():
            button.setChecked(value is not None and v == value)

    def set_outcome(
        self, points: float | None, max_points: float | None, failed: bool, na: bool
    ) -> None:
        """The pass/fail chip at the right of the header; nothing while unanswered."""
        if self._value is None:
            text, kind = "", ""
        elif na:
            text, kind = "N/A", "na"
        else:
            score = f" {points:g}/{max_points:g}" if points is not None and max_points else ""
            text, kind = ("Fail" if failed else "Pass") + score, "fail" if failed else "pass"
        self.outcome_label.setText(text)
        self.outcome_label.setProperty("outcome", kind)
        _repolish(self.outcome_label)

    def set_current(self, current: bool) -> None:
        if bool(self.property("current")) != current:
            self.setProperty("current", current)
            _repolish(self)

    def is_current(self) -> bool:
        return bool(self.property("current"))

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for button in self.buttons.values():
            button.setEnabled(not read_only)
        if read_only:
            self.close_comment()
        self.setProperty("readOnly", read_only)
        _repolish(self)

    def set_notes(self, notes: Sequence[tuple[float | None, str, str | None]]) -> None:
        """Comments on this question as (playback seconds or None, text, author)."""
        if not notes:
            self.notes_label.clear()
            self.notes_label.hide()
            return
        lines = []
        for at_s, text, author in notes:
            stamp = (
                f'<a href="seek:{at_s:.3f}">{format_time(at_s)}</a> ' if at_s is not None else ""
            )
            who = f' <span style="color: gray;">— {html.escape(author)}</span>' if author else ""
            lines.append(f"✎ {stamp}{html.escape(text)}{who}")
        self.notes_label.setText("<br>".join(lines))
        self.notes_label.show()

    # -- answering --------------------------------------------------------------------------
    def choose(self, value: object | None) -> bool:
        """Answer as if the evaluator had clicked ``value``; False when not allowed here."""
        if self._read_only:
            return False
        if value is not None and value not in self.buttons:
            return False
        self.set_value(value)
        self.answerChosen.emit(self.key, value)
        return True

    def choose_digit(self, digit: int) -> bool:
        value = value_for_digit(self.question, digit)
        return value is not None and self.choose(value)

    def open_comment(self, at_s: float | None) -> bool:
        """Show the inline comment box stamped with ``at_s``; Enter saves, Escape cancels."""
        if self._read_only:
            return False
        self._pending_at = at_s
        stamp = f" at {format_time(at_s)}" if at_s is not None else ""
        self.comment_edit.setPlaceholderText(f"Comment{stamp} — Enter saves, Esc cancels")
        self.comment_edit.clear()
        self.comment_edit.show()
        self.comment_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def close_comment(self) -> None:
        had_focus = self.comment_edit.hasFocus()
        self.comment_edit.clear()
        self.comment_edit.hide()
        if had_focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_comment(self) -> None:
        text = self.comment_edit.text().strip()
        at_s = self._pending_at
        self.close_comment()
        if text:
            self.noteSaved.emit(self.key, text, at_s)

    def _clicked(self, value: object) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if not self.choose(value):
            self.set_value(self._value)

    def _link(self, link: str) -> None:
        if link.startswith("seek:"):
            self.seekRequested.emit(float(link[5:]))

    # -- keyboard and focus -----------------------------------------------------------------
    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focusEntered.emit(self.key)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        if self.navigator is not None and self.navigator(1 if next else -1):
            return True
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.navigator is not None:
            self.navigator(1 if key == Qt.Key.Key_Down else -1)
            event.accept()
            return
        if plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self._value is not None:
                self.choose(None)
            event.accept()
            return
        super().keyPressEvent(event)
