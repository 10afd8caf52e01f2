"""Live, read-only preview of the scorecard exactly as an evaluator will see it.

It reuses the scoring screen's ``ScorecardForm`` in read-only mode, so the preview cannot drift from
the real form. That widget needs a *valid* scorecard; while the working copy is invalid the preview
keeps the last valid form and says so in a banner, rather than going blank on every half-typed key.
Rebuilding the form's widgets on every keystroke would be wasteful, so updates are coalesced with a
short timer (``flush()`` applies a pending update at once).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from qa_studio.ui.widgets.scorecard_form import ScorecardForm, banner

if TYPE_CHECKING:
    from qa_studio.scorecards.schema import Scorecard

#: Pause after the last edit before the preview's widgets are rebuilt.
PREVIEW_DELAY_MS = 150


class FormPreview(QWidget):
    """A banner plus the evaluator's form, read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.stale_banner = banner("info")
        self.stale_banner.setObjectName("previewStaleBanner")
        layout.addWidget(self.stale_banner)
        self.empty_label = QLabel("Nothing to preview yet: choose a scorecard, start from a "
                                  "built-in or import a YAML file.")  # fmt: skip
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty_label)
        self.form = ScorecardForm(self)
        self.form.set_read_only(True)
        self.form.score_label.setText("<i>Preview — read-only, as an evaluator will see it</i>")
        self.form.sections_label.hide()  # running section scores mean nothing without answers
        self.form.hide()
        layout.addWidget(self.form, 1)
        self.card: Scorecard | None = None
        self._pending: Scorecard | None = None
        self._reveal_key: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def show_card(self, card: Scorecard | None, problems: int = 0) -> None:
        """Show ``card`` soon; ``None`` (with the number of problems) keeps the last valid form."""
        if card is None:
            self.flush()  # the last valid state is the one waiting, if any
            if self.card is None:
                self.empty_label.setText(
                    f"The preview appears once the scorecard is valid: fix the {problems} "
                    f"problem{'' if problems == 1 else 's'} listed under the properties, or "
                    "start from a published scorecard, a built-in or a YAML file.")  # fmt: skip
            else:
                self.stale_banner.setText(
                    f"Preview paused: the scorecard has {problems} problem"
                    f"{'' if problems == 1 else 's'}. Fix them (listed under the properties) "
                    "and the preview catches up.")  # fmt: skip
                self.stale_banner.show()
            return
        self.stale_banner.hide()
        if card == self.card:
            self._timer.stop()
            self._pending = None
            return
        self._pending = card
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def flush(self) -> None:
        """Rebuild the form now if an update is waiting."""
        self._timer.stop()
        card, self._pending = self._pending, None
        if card is None:
            return
        bar = self.form.scroll.verticalScrollBar()
        position = bar.value()
        self.form.set_scorecard(card)
        self.form.set_read_only(True)
        for section in card.sections:  # no answers in a preview: just the section names
            label = self.form.section_labels.get(section.key)
            if label is not None:
                label.setText(f"<b>{html.escape(section.name)}</b>")
        self.form.score_label.setText("<i>Preview — read-only, as an evaluator will see it</i>")
        self.card = card
        self.empty_label.hide()
        self.form.show()
        bar.setValue(min(position, bar.maximum()))
        qcard = self.form.cards.get(self._reveal_key or "")
        if qcard is not None:  # only scroll: the author may be typing in a table cell right now
            self.form.scroll.ensureWidgetVisible(qcard, 10, 40)

    def reveal(self, question_key: str | None) -> None:
        """Scroll to a question and show its guidance (called when the tree's selection moves)."""
        self._reveal_key = question_key
        if question_key not in self.form.cards:
            return
        # focus_question also shows the question's guidance below the form; the author's focus
        # (in the tree or a property field) is given back at once.
        had_focus = QApplication.focusWidget()
        self.form.focus_question(question_key)
        if had_focus is not None:
            had_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def question_numbers(self) -> list[tuple[str, str]]:
        """(number, key) of every question shown, in form order — what a test or user reads."""
        return [(qcard.number, key) for key, qcard in self.form.cards.items()]
