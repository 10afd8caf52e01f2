"""The scoring screen: listen or read on the left, score on the right, keyboard throughout.

Layout (a QSplitter that fits 1400×900): the evaluator's queue of drafts; the interaction — its
header, the recording player (voice only) and the transcript, whose current turn follows
playback and whose turns seek when clicked; the scorecard form with its running score, fail
banners, lifecycle banner and Submit / Sign off / Reopen actions.

Every answer, note and comment goes straight to the repository through ``ScoringSession`` (one
transaction each), and the form is then redrawn from what was stored. Refusals from the
repository (a signed evaluation, an invalid value) are shown in the message bar, never raised.

While the window's workspace is read-only (``ui.write_guard``) the screen only shows: Submit,
Sign off, Reopen and their keys are marked as writes, the form is read-only, and opening an
interaction shows its latest evaluation instead of starting a draft.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qa_studio.bundles.api import start_assigned
from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.errors import QAStudioError
from qa_studio.services import scoring_session as service
from qa_studio.services.scoring_session import ScoringSession
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import evaluations, samples
from qa_studio.ui.views import scoring_shortcuts
from qa_studio.ui.views.scoring_panes import (
    InteractionPane,
    MessageBar,
    QueuePanel,
    lifecycle_text,
)
from qa_studio.ui.widgets.scorecard_form import ScorecardForm, banner
from qa_studio.ui.write_guard import mark_writes, writes_allowed

READ_ONLY_TEXT = ("The workspace is open read-only: evaluations can be viewed but not started or "
                  "changed.")  # fmt: skip


class ScoringView(QWidget):
    """The scoring screen for one evaluator; ``open_interaction`` / ``open_evaluation`` load work."""

    evaluationOpened = Signal(int)
    evaluationSubmitted = Signal(int)
    evaluationSignedOff = Signal(int)
    evaluationReopened = Signal(int)

    def __init__(self, ws: Workspace | None = None, evaluator: str | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ws = ws
        self.evaluator = evaluator
        self.session: ScoringSession | None = None
        self._build()
        self.actions_by_key = scoring_shortcuts.install(self, {
            "next": lambda _k: self.form.move(1),
            "previous": lambda _k: self.form.move(-1),
            "next_unanswered": lambda _k: self._next_unanswered(),
            "yes": lambda _k: self._answer_key("yes"),
            "no": lambda _k: self._answer_key("no"),
            "na": lambda _k: self._answer_key("na"),
            "digit": lambda k: self._answer_digit(int(k)),
            "comment": lambda _k: self._open_comment(),
            "play": lambda _k: self.player.toggle_play(),
            "back": lambda _k: self.player.skip(-5),
            "forward": lambda _k: self.player.skip(5),
            "slower": lambda _k: self.player.change_speed(-1),
            "faster": lambda _k: self.player.change_speed(1),
            "submit": lambda _k: self.submit(),
            "sign_off": lambda _k: self.sign_off(),
        })  # fmt: skip
        mark_writes(*(a for k, a in self.actions_by_key.items()
                      if k.split(":")[0] in ("submit", "sign_off")))  # fmt: skip
        self.refresh_queue()
        self._show_empty()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.queue = QueuePanel()
        self.queue.evaluationChosen.connect(self._queue_chosen)
        self.queue.sampleItemChosen.connect(self._sample_item_chosen)
        self.queue_list, self.queue_title = self.queue.list, self.queue.title
        self.pane = InteractionPane()
        self.player, self.transcript = self.pane.player, self.pane.transcript
        self.transcript_note = self.pane.note

        self.lifecycle_banner = banner("info")
        self.message_bar = MessageBar()
        self.form = ScorecardForm()
        self.help_label = QLabel(scoring_shortcuts.HELP_LINE + " (hover for all keys)")
        self.help_label.setObjectName("shortcutHelp")
        self.help_label.setWordWrap(True)
        self.help_label.setStyleSheet("color: #475569;")
        self.help_label.setToolTip(scoring_shortcuts.help_html())
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #475569;")
        self.reopen_button = QPushButton("Reopen…")
        self.submit_button = QPushButton("Submit  (Ctrl+Enter)")
        self.sign_button = QPushButton("Sign off  (Ctrl+Shift+S)")
        for b in (self.reopen_button, self.submit_button, self.sign_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        mark_writes(self.reopen_button, self.submit_button, self.sign_button)
        self.reopen_button.clicked.connect(self.reopen)
        self.submit_button.clicked.connect(self.submit)
        self.sign_button.clicked.connect(self.sign_off)
        actions = QHBoxLayout()
        actions.addWidget(self.status_label, 1)
        for b in (self.reopen_button, self.submit_button, self.sign_button):
            actions.addWidget(b)
        right = QWidget()
        r_layout = QVBoxLayout(right)
        r_layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.lifecycle_banner, self.message_bar):
            r_layout.addWidget(w)
        r_layout.addWidget(self.form, 1)
        r_layout.addLayout(actions)
        r_layout.addWidget(self.help_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for w in (self.queue, self.pane, right):
            self.splitter.addWidget(w)
        self.queue.setMinimumWidth(150)
        self.pane.setMinimumWidth(360)
        right.setMinimumWidth(480)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 5)
        self.splitter.setSizes([210, 520, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        self.form.answerChosen.connect(self._answer)
        self.form.noteSaved.connect(self._add_note)
        self.form.commentEdited.connect(self._set_comment)
        self.form.seekRequested.connect(self.player.seek_s)

    # -- queue and loading ------------------------------------------------------------------
    def set_workspace(self, ws: Workspace | None) -> None:
        """Show another workspace (or none).

        The previous workspace may already be closed, so nothing is written to it here: the
        overall comment was saved when focus left it (opening a menu or dialog moves focus).
        """
        self.close_evaluation(save=ws is self.ws)
        self.ws = ws
        self.refresh_queue()

    def set_evaluator(self, name: str | None) -> None:
        """Change who is scoring; their drafts fill the queue."""
        if name != self.evaluator:
            self.close_evaluation()
        self.evaluator = name
        self.refresh_queue()

    def refresh_queue(self) -> None:
        ready = self.ws is not None and self.evaluator
        entries = service.queue(self.ws, self.evaluator) if ready else []
        current = self.session.evaluation_id if self.session else None
        self.queue.show_entries(self.evaluator, entries, current)
        if ready:  # sample items assigned to the evaluator and not started yet
            try:
                items = samples.queue_for(self.ws, self.evaluator)
            except QAStudioError:  # an evaluator this workspace does not know: no items
                items = []
            self.queue.add_sample_items([q for q in items if q.status == "assigned"])

    def _sample_item_chosen(self, item_id: int) -> None:
        """Start the sample item's draft (source ``sample``) and open it."""
        if not writes_allowed(self):
            self.show_message(READ_ONLY_TEXT, "warning")
            return
        if self._require_evaluator():
            record = self._guard(lambda: start_assigned(self.ws, item_id))
            if record is not None:
                self.open_evaluation(record.id)

    def _queue_chosen(self, evaluation_id: int) -> None:
        if self.session is None or self.session.evaluation_id != evaluation_id:
            self.open_evaluation(evaluation_id)

    def open_evaluation(self, evaluation_id: int) -> ScoringSession | None:
        if not self._require_evaluator():
            return None
        return self._guard(lambda: self._load(ScoringSession(self.ws, evaluation_id,
                                                             self.evaluator)))  # fmt: skip

    def open_interaction(self, interaction_id: int,
                         version_id: int | None = None) -> ScoringSession | None:  # fmt: skip
        """Score an interaction: resume the evaluator's draft or start one on ``version_id``
        (default: the channel's one published card; otherwise the evaluator picks)."""
        if not self._require_evaluator():
            return None
        if not writes_allowed(self):
            return self._view_latest(interaction_id)
        if version_id is None:
            version_id = self._guard(lambda: self._choose_version(interaction_id))
            if version_id is None:
                return None
        return self._guard(lambda: self._load(service.open_for_interaction(
            self.ws, interaction_id, self.evaluator, version_id)))  # fmt: skip

    def latest_evaluation(self, interaction_id: int) -> int | None:
        """The evaluator's latest evaluation of the interaction, else anyone's (None: none)."""
        found = evaluations.list_for_interaction(self.ws, interaction_id) if self.ws else []
        mine = [r for r in found if r.evaluator == self.evaluator]
        latest = max(mine or found, key=lambda r: (r.started_at or "", r.id), default=None)
        return latest.id if latest is not None else None

    def _view_latest(self, interaction_id: int) -> ScoringSession | None:
        """Read-only: show the interaction's latest evaluation instead of starting a draft."""
        evaluation_id = self.latest_evaluation(interaction_id)
        if evaluation_id is None:
            self.show_message(READ_ONLY_TEXT + " This interaction has no evaluation to show.",
                              "warning")  # fmt: skip
            return None
        return self.open_evaluation(evaluation_id)

    def _choose_version(self, interaction_id: int) -> int | None:
        channel = service.interaction_info(self.ws, interaction_id).channel
        default = service.default_version(self.ws, channel)
        if default is not None:
            return default.id
        versions = service.candidate_versions(self.ws, channel)
        if not versions:
            self.show_message("No scorecard is published yet: publish one in the Scorecards tab "
                              "first.", "error")  # fmt: skip
            return None
        labels = [f"{v.name} (v{v.version}, {v.channel})" for v in versions]
        choice, ok = QInputDialog.getItem(self, "Choose a scorecard",
                                          f"Score this {channel} interaction against:",
                                          labels, 0, False)  # fmt: skip
        return versions[labels.index(choice)].id if ok and choice in labels else None

    def _load(self, session: ScoringSession) -> ScoringSession:
        self.form.comment_box.flush()
        self.session = session
        self.pane.show_session(session)
        self.form.set_scorecard(session.card)
        self.message_bar.hide()
        self._refresh()
        self._saved()
        self.refresh_queue()
        first = self.form.next_unanswered(from_start=True) or session.card.questions()[0].key
        self.form.focus_question(first)
        self.evaluationOpened.emit(session.evaluation_id)
        return session

    def close_evaluation(self, *, save: bool = True) -> None:
        """Stop showing the evaluation (its answers are already stored)."""
        if save:
            self.form.comment_box.flush()
        self.session = None
        self.status_label.clear()
        self._show_empty()

    def _show_empty(self) -> None:
        self.pane.show_empty()
        self.lifecycle_banner.hide()
        self.form.setEnabled(False)
        for b in (self.reopen_button, self.submit_button, self.sign_button):
            b.setEnabled(False)
        self.reopen_button.hide()

    # -- redraw from the stored record ------------------------------------------------------
    def _refresh(self) -> None:
        session = self.session
        if session is None:
            return
        record = session.record
        self.form.setEnabled(True)
        self.form.set_answers(record.answers)
        self.form.set_notes(record.notes)
        self.form.set_comment(record.comment)
        self.form.set_result(session.result())
        writable = writes_allowed(self)
        self.form.set_read_only(not session.editable() or not writable)
        self.submit_button.setEnabled(session.allowed("submit"))
        self.sign_button.setEnabled(session.allowed("sign_off"))
        self.reopen_button.setVisible(session.allowed("reopen"))
        self.reopen_button.setEnabled(session.allowed("reopen"))
        text = lifecycle_text(record, can_reopen=session.allowed("reopen"))
        if not writable:
            text = " ".join(t for t in (READ_ONLY_TEXT, text) if t)
        self.lifecycle_banner.setText(text)
        self.lifecycle_banner.setVisible(bool(text))

    def _saved(self) -> None:
        stamp = self.session.record.updated_at if self.session else None
        self.status_label.setText(
            f"Last saved {parse_iso(stamp).astimezone(LONDON):%d %b %H:%M:%S}" if stamp else ""
        )

    # -- user actions -----------------------------------------------------------------------
    def show_message(self, text: str, kind: str = "error") -> None:
        self.message_bar.show_message(text, kind)

    def _guard(self, action):
        """Run ``action``; show a repository refusal in the message bar instead of raising."""
        try:
            return action()
        except QAStudioError as exc:
            self.show_message(html.escape(exc.message))
            self._refresh()
            return None

    def _require_evaluator(self) -> bool:
        if self.ws is None:
            self.show_message("Open a workspace first (File ▸ Open…).")
            return False
        if self.evaluator:
            return True
        self.show_message("Choose who you are (Scoring ▸ Choose evaluator…) before scoring.")
        return False

    def _editable_session(self) -> ScoringSession | None:
        if self.session is None:
            return None
        if not writes_allowed(self):
            self.show_message(READ_ONLY_TEXT, "warning")
            return None
        if not self.session.editable():
            self.show_message("This evaluation is read-only "
                              f"({self.session.record.status.replace('_', ' ')}).", "warning")  # fmt: skip
            return None
        return self.session

    def _answer(self, key: str, value: object) -> None:
        session = self._editable_session()
        if session is None:
            self._refresh()
            return
        if self._guard(lambda: session.answer(key, value)) is not None:
            self.message_bar.hide()
            self._refresh()
            self._saved()
            self.refresh_queue()

    def _answer_key(self, value: str) -> None:
        qcard = self.form.current_card()
        if qcard is None or self._editable_session() is None:
            return
        if not qcard.choose(value):
            self.show_message(f"N/A is not allowed for question {qcard.number}." if value == "na"
                              else f"Question {qcard.number} is not a Yes/No question: use the "
                              "digits shown on its buttons.", "warning")  # fmt: skip

    def _answer_digit(self, digit: int) -> None:
        qcard = self.form.current_card()
        if qcard is None or self._editable_session() is None:
            return
        if not qcard.choose_digit(digit):
            self.show_message(f"{digit} is not an answer to question {qcard.number}: use the "
                              "keys shown on its buttons.", "warning")  # fmt: skip

    def _next_unanswered(self) -> None:
        key = self.form.next_unanswered()
        if key is not None:
            self.form.focus_question(key)

    def _open_comment(self) -> None:
        qcard = self.form.current_card()
        if qcard is None or self._editable_session() is None:
            return
        at_s = self.player.position_s() if self.player.is_available() else None
        qcard.open_comment(at_s)

    def _add_note(self, key: str, text: str, at_s: object) -> None:
        session = self._editable_session()
        if session is None:
            return
        at = float(at_s) if at_s is not None else None
        if self._guard(lambda: session.add_note(text, key, at)) is not None:
            self._refresh()
            self._saved()
            self.form.focus_question(key)

    def _set_comment(self, text: str) -> None:
        session = self._editable_session()
        if session is not None and self._guard(lambda: session.set_comment(text)) is not None:
            self._saved()

    def submit(self) -> None:
        session = self.session
        if session is None:
            return
        self.form.comment_box.flush()
        missing = session.missing()
        if missing:
            cards = [self.form.cards[k] for k in missing]
            listed = "".join(f"<br>• {html.escape(c.number)} {html.escape(c.question.text)}"
                             for c in cards[:8])  # fmt: skip
            more = f"<br>… and {len(cards) - 8} more" if len(cards) > 8 else ""
            n = len(cards)
            self.show_message(f"<b>Cannot submit: {n} question{'s' if n != 1 else ''} "
                              f"unanswered.</b>{listed}{more}", "error")  # fmt: skip
            self.form.focus_question(missing[0])
            return
        if self._guard(session.submit) is not None:
            self._refresh()
            self.show_message(f"Submitted: {session.record.percent or 0:.1f} %. Sign off with "
                              "Ctrl+Shift+S when you are sure.", "ok")  # fmt: skip
            self.refresh_queue()
            self.evaluationSubmitted.emit(session.evaluation_id)

    def sign_off(self) -> None:
        session = self.session
        if session is None:
            return
        if session.record.status == "draft":
            self.show_message("Submit the evaluation first (Ctrl+Enter), then sign it off.",
                              "warning")  # fmt: skip
            return
        self.form.comment_box.flush()
        if self._guard(session.sign_off) is not None:
            self._refresh()
            self.show_message(f"Signed off by {html.escape(session.record.signed_by or '')}.",
                              "ok")  # fmt: skip
            self.refresh_queue()
            self.evaluationSignedOff.emit(session.evaluation_id)

    def reopen(self) -> None:
        session = self.session
        if session is None or not session.allowed("reopen"):
            return
        reason, ok = QInputDialog.getText(
            self,
            "Reopen evaluation",
            "Why is this signed evaluation being reopened? (recorded in the audit trail)",
        )
        if not ok:
            return
        if not reason.strip():
            self.show_message("A reason is required to reopen a signed evaluation.")
            return
        if self._guard(lambda: session.reopen(reason.strip())) is not None:
            self._refresh()
            self.show_message("Reopened: the evaluation can be corrected and signed off again.",
                              "ok")  # fmt: skip
            self.refresh_queue()
            self.evaluationReopened.emit(session.evaluation_id)
