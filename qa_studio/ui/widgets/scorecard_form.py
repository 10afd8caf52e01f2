"""The scorecard as an evaluator fills it in: running score, fail banners, questions, guidance.

The form shows and collects; it never stores or scores. The scoring view feeds it the card, the
saved answers and the engine's ``ScoreResult`` after every change, so what the evaluator sees is
exactly what was saved. Banners make the consequence of a failed critical or fatal item
impossible to miss — the industry's recurring complaint is auto-fail rules nobody can explain.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qa_studio.ui.widgets.question_widgets import (
    AMBER,
    AMBER_BG,
    CARD_STYLE,
    RED,
    RED_BG,
    QuestionCard,
)

if TYPE_CHECKING:
    from qa_studio.domain.scoring import ScoreResult
    from qa_studio.scorecards.schema import Scorecard

#: How long after the last keystroke the overall comment is saved.
COMMENT_SAVE_DELAY_MS = 700


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def banner(kind: str) -> QLabel:
    """A full-width message strip: ``fatal`` (red), ``critical`` (amber) or ``info`` (blue)."""
    colours = {"fatal": (RED_BG, RED, "#e38b8b"), "critical": (AMBER_BG, AMBER, "#e0a23a"),
               "info": ("#e8f0fe", "#1e3a8a", "#9db5e8")}  # fmt: skip
    bg, fg, border = colours[kind]
    label = QLabel()
    label.setObjectName(f"{kind}Banner")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; border: 1px solid {border};"
                        " border-radius: 4px; padding: 6px 8px; font-weight: bold; }")  # fmt: skip
    label.hide()
    return label


class CommentBox(QPlainTextEdit):
    """The overall comment; saved a moment after typing stops and when focus leaves."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMENT_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._saved = ""
        self.textChanged.connect(self._timer.start)
        self.setTabChangesFocus(True)
        self.setPlaceholderText("Overall comment for the agent (saved as you type)")
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

    def set_saved_text(self, text: str) -> None:
        self._saved = text
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)
        self._timer.stop()

    def flush(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if text != self._saved:
            self._saved = text
            self.edited.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)


class ScorecardForm(QWidget):
    """Sections of question cards under a running score, with a guidance panel below."""

    answerChosen = Signal(str, object)
    noteSaved = Signal(str, str, object)
    seekRequested = Signal(float)
    currentChanged = Signal(str)
    commentEdited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card: Scorecard | None = None
        self.cards: dict[str, QuestionCard] = {}
        self.section_labels: dict[str, QLabel] = {}
        self._order: list[str] = []
        self._current: str | None = None
        self._read_only = False
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.score_label = QLabel("No evaluation open")
        self.score_label.setObjectName("scoreLabel")
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.sections_label = QLabel()
        self.sections_label.setWordWrap(True)
        self.sections_label.setTextFormat(Qt.TextFormat.RichText)
        self.fatal_banner = banner("fatal")
        self.critical_banner = banner("critical")
        for w in (self.score_label, self.sections_label, self.fatal_banner, self.critical_banner):
            layout.addWidget(w)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.body = QWidget()
        self.body.setObjectName("formBody")
        self.body.setStyleSheet(CARD_STYLE)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(8, 8, 8, 8)
        self.body_layout.setSpacing(6)
        self.scroll.setWidget(self.body)
        layout.addWidget(self.scroll, 1)

        self.comment_box = CommentBox()
        self.comment_box.edited.connect(self.commentEdited)

        self.guidance = QLabel()
        self.guidance.setObjectName("guidancePanel")
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.RichText)
        self.guidance.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.guidance.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.guidance.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.guidance.setStyleSheet("QLabel#guidancePanel { background: #f8fafc;"
                                    " border: 1px solid #cbd5e1; border-radius: 4px; padding: 6px; }")  # fmt: skip
        layout.addWidget(self.guidance)

    # -- content ----------------------------------------------------------------------------
    def set_scorecard(self, card: Scorecard) -> None:
        """Build the cards for ``card`` (replacing any previous form)."""
        self.card = card
        self.cards.clear()
        self.section_labels.clear()
        self._order = []
        self._current = None
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget()
            if widget is not None and widget is not self.comment_box:
                widget.deleteLater()
        title = QLabel(f"<b>{html.escape(card.name)}</b> — target {card.target:g} %, "
                       f"N/A {card.na_policy.replace('_', ' ')}, "
                       f"fatal items {card.fatal_policy.replace('_', ' ')}")  # fmt: skip
        title.setWordWrap(True)
        self.body_layout.addWidget(title)
        for s_index, section in enumerate(card.sections, start=1):
            head = QLabel()
            head.setTextFormat(Qt.TextFormat.RichText)
            head.setStyleSheet("font-size: 11pt; padding-top: 6px;")
            if section.description:
                head.setToolTip(section.description)
            self.section_labels[section.key] = head
            self.body_layout.addWidget(head)
            for q_index, question in enumerate(section.questions, start=1):
                qcard = QuestionCard(question, f"{s_index}.{q_index}", self.body)
                qcard.navigator = self.move
                qcard.answerChosen.connect(self.answerChosen)
                qcard.noteSaved.connect(self.noteSaved)
                qcard.seekRequested.connect(self.seekRequested)
                qcard.focusEntered.connect(self._focus_entered)
                self.cards[question.key] = qcard
                self._order.append(question.key)
                self.body_layout.addWidget(qcard)
        comment_head = QLabel("<b>Overall comment</b>")
        self.body_layout.addWidget(comment_head)
        self.body_layout.addWidget(self.comment_box)
        self.body_layout.addStretch(1)
        # Shown now rather than when the layout gets round to it, so focus_question() right
        # after loading lands on the card instead of waiting for the event loop.
        for i in range(self.body_layout.count()):
            widget = self.body_layout.itemAt(i).widget()
            if widget is not None:
                widget.show()
        self._show_sections({})
        if self._order:
            self._make_current(self._order[0])

    def set_answers(self, answers: Mapping[str, object]) -> None:
        for key, qcard in self.cards.items():
            qcard.set_value(answers.get(key))

    def set_notes(self, notes: Sequence) -> None:
        """Comments (objects with question_key, at_s, text, author) shown under their question."""
        by_key: dict[str, list] = {k: [] for k in self.cards}
        for note in notes:
            if note.question_key in by_key:
                by_key[note.question_key].append((note.at_s, note.text, note.author))
        for key, qcard in self.cards.items():
            qcard.set_notes(by_key[key])

    def set_comment(self, text: str | None) -> None:
        self.comment_box.set_saved_text(text or "")

    def set_result(self, result: ScoreResult) -> None:
        """Running score, section subtotals, per-question outcome and the fail banners."""
        if self.card is None:
            return
        card = self.card
        answered = len(self.cards) - len(result.missing)
        colour = "#166534" if (result.percent or 0) >= card.target else RED
        big = "font-size: 15pt; font-weight: bold;"
        if result.percent is None:
            reason = html.escape(result.reason or "nothing applicable yet")
            score = f"<span style='{big}'>—</span>&nbsp; <i>{reason}</i>"
        else:
            score = (f"<span style='{big} color: {colour};'>{_pct(result.percent)}</span>&nbsp;"
                     f" {result.score:g} of {result.max_score:g} points")  # fmt: skip
        self.score_label.setText(
            f"{score} · target {card.target:g} % · {answered} of {len(self.cards)} answered"
        )
        self._show_sections(result.sections, result.answers)
        for key, qcard in self.cards.items():
            detail = result.answers.get(key) if result.answers else None
            if detail is None:
                qcard.set_outcome(None, None, False, False)
            else:
                qcard.set_outcome(detail.points, detail.max_points, detail.failed, detail.na)
        fatal = [card.question(k).text for k in result.failed_fatal]
        consequence = ("form scores 0%" if card.fatal_policy == "zero_form"
                       else "reported separately")  # fmt: skip
        self.fatal_banner.setText("<br>".join(
            f"✖ Fatal: {html.escape(t)} — {consequence}" for t in fatal))  # fmt: skip
        self.fatal_banner.setVisible(bool(fatal))
        critical = [(card.question(k).text, card.section_of(k).name)
                    for k in result.failed_critical]  # fmt: skip
        self.critical_banner.setText("<br>".join(
            f"⚠ Critical: {html.escape(t)} — section {html.escape(s)} scores 0"
            for t, s in critical))  # fmt: skip
        self.critical_banner.setVisible(bool(critical))

    def _show_sections(self, sections: Mapping, answered: Mapping | None = None) -> None:
        if self.card is None:
            return
        answered = answered or {}
        chips = []
        for section in self.card.sections:
            sub = sections.get(section.key)
            started = any(q.key in answered for q in section.questions)
            if sub is None or not started:
                figures, short = "not started", "—"
            elif sub.max_score <= 0:
                figures, short = "all N/A", "N/A"
            else:
                figures = f"{sub.score:g} / {sub.max_score:g} ({_pct(sub.percent)})"
                short = _pct(sub.percent)
            self.section_labels[section.key].setText(
                f"<b>{html.escape(section.name)}</b> <span style='color: gray;'>— {figures}</span>"
            )
            name = html.escape(section.name).replace(" ", "&nbsp;")
            chips.append(f"<span style='background-color: #e2e8f0; color: #1e293b;'>&nbsp;{name}"
                         f"&nbsp;<b>{short.replace(' ', '&nbsp;')}</b>&nbsp;</span>")  # fmt: skip
        self.sections_label.setText(" &nbsp; ".join(chips))

    # -- navigation -------------------------------------------------------------------------
    def current_key(self) -> str | None:
        return self._current

    def current_card(self) -> QuestionCard | None:
        return self.cards.get(self._current) if self._current else None

    def focus_question(self, key: str) -> None:
        qcard = self.cards[key]
        self._make_current(key)
        qcard.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scroll.ensureWidgetVisible(qcard, 10, 30)

    def move(self, delta: int) -> bool:
        """Focus the next (+1) or previous (−1) question; False at either end of the form."""
        if not self._order:
            return False
        index = self._order.index(self._current) if self._current in self._order else -1
        target = index + delta
        if not 0 <= target < len(self._order):
            return False
        self.focus_question(self._order[target])
        return True

    def next_unanswered(self, *, from_start: bool = False) -> str | None:
        """The first unanswered question after the current one (or from the top), wrapping."""
        start = 0
        if not from_start and self._current in self._order:
            start = self._order.index(self._current) + 1
        for key in self._order[start:] + self._order[:start]:
            if self.cards[key].value() is None:
                return key
        return None

    def _focus_entered(self, key: str) -> None:
        self._make_current(key)
        self.scroll.ensureWidgetVisible(self.cards[key], 10, 30)

    def _make_current(self, key: str) -> None:
        if self._current == key:
            return
        if self._current in self.cards:
            self.cards[self._current].set_current(False)
        self._current = key
        self.cards[key].set_current(True)
        self._show_guidance(key)
        self.currentChanged.emit(key)

    def _show_guidance(self, key: str) -> None:
        qcard = self.cards[key]
        q = qcard.question
        parts = [f"<b>{html.escape(qcard.number)} {html.escape(q.text)}</b>"]
        parts.append(html.escape(q.guidance) if q.guidance else
                     "<i>No guidance written for this question.</i>")  # fmt: skip
        if q.regulation:
            parts.append(f"<span style='color: #334155;'>Regulation: "
                         f"{html.escape(q.regulation)}</span>")  # fmt: skip
        if q.critical:
            parts.append(f"<span style='color: {AMBER};'>Critical: a fail sets section "
                         f"“{html.escape(self.card.section_of(key).name)}” to 0.</span>")  # fmt: skip
        if q.fatal:
            consequence = ("the whole form scores 0 %" if self.card.fatal_policy == "zero_form"
                           else "the form is flagged as a fatal fail")  # fmt: skip
            parts.append(f"<span style='color: {RED};'>Fatal: a fail means {consequence}.</span>")
        self.guidance.setText("<br>".join(parts))

    # -- read-only --------------------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for qcard in self.cards.values():
            qcard.set_read_only(read_only)
        self.comment_box.setReadOnly(read_only)

    def is_read_only(self) -> bool:
        return self._read_only
