"""The two left-hand panes of the scoring screen: the evaluator's queue and the interaction.

The interaction pane keeps the recording and the transcript in step — the turn being played is
highlighted, a clicked turn seeks the recording — and says plainly when there is nothing to
play, so a missing or broken recording never stands between the evaluator and the transcript.
"""

from __future__ import annotations

import html
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.services.scoring_session import QueueEntry, ScoringSession
from qa_studio.storage.repository.evaluations import EvaluationRecord
from qa_studio.ui.widgets.audio_player import AudioPlayer, format_time
from qa_studio.ui.widgets.transcript_view import TranscriptView


def local_time(iso: str | None, fmt: str = "%d %b %Y %H:%M") -> str:
    """A stored UTC instant as a UK reader expects it: ``12 Oct 2026 14:05``."""
    if not iso:
        return "—"
    return parse_iso(iso).astimezone(LONDON).strftime(fmt)


def lifecycle_text(record: EvaluationRecord, *, can_reopen: bool) -> str:
    """The banner over a non-draft evaluation: where it is in its lifecycle (empty for a draft)."""
    status = record.status
    if status == "draft":
        return ""
    if status == "submitted":
        return (f"Submitted on {local_time(record.submitted_at)} — check it, then sign off with "
                "Ctrl+Shift+S.")  # fmt: skip
    if record.signed_by:
        text = (f"Signed off by {html.escape(record.signed_by)} on "
                f"{local_time(record.signed_at)} — read-only.")  # fmt: skip
        return text if can_reopen else text + " Only a QA lead can reopen it."
    return f"This evaluation is {status.replace('_', ' ')} — read-only."


class MessageBar(QLabel):
    """One line (or a short list) telling the evaluator what just happened or what is wrong."""

    STYLES: ClassVar[dict[str, str]] = {
        "error": "background: #fde8e8; color: #9b1c1c; border: 1px solid #e38b8b;",
        "warning": "background: #fff4d6; color: #8a4b00; border: 1px solid #e0a23a;",
        "ok": "background: #e7f6ec; color: #14532d; border: 1px solid #86c99b;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.setText(text)
        self.setStyleSheet(f"QLabel#messageBar {{ {self.STYLES[kind]} border-radius: 4px;"
                           " padding: 6px 8px; }")  # fmt: skip
        self.show()


#: Data role of a queue line that is a sample item without a draft yet (its item id).
SAMPLE_ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


class QueuePanel(QWidget):
    """The evaluator's drafts; choosing one (click or Enter) emits its evaluation id."""

    evaluationChosen = Signal(int)
    sampleItemChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<b>My drafts</b>")
        self.list = QListWidget()
        self.list.setObjectName("scoringQueue")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)

    def show_entries(self, evaluator: str | None, entries: list[QueueEntry],
                     current_id: int | None) -> None:  # fmt: skip
        self.list.clear()
        if not evaluator:
            self.title.setText("<b>My drafts</b> — choose an evaluator first")
            return
        self.title.setText(f"<b>Drafts of {html.escape(evaluator)}</b> ({len(entries)})")
        for entry in entries:
            item = QListWidgetItem(entry.label)
            item.setData(Qt.ItemDataRole.UserRole, entry.evaluation_id)
            item.setToolTip(f"Started {local_time(entry.started_at)}")
            self.list.addItem(item)
            if entry.evaluation_id == current_id:
                self.list.setCurrentItem(item)

    def add_sample_items(self, items: list) -> None:
        """Append assigned sample items not started yet (``sample_work.QueueItem``)."""
        for q in items:
            entry = QListWidgetItem(f"{q.external_id} · to start ({q.sample_name})")
            entry.setData(SAMPLE_ITEM_ROLE, q.item_id)
            entry.setToolTip(f"Assigned in {q.sample_name}, due {q.due_on or '—'}")
            self.list.addItem(entry)
        if items:
            self.title.setText(f"{self.title.text()} · {len(items)} assigned")

    def _chosen(self, item: QListWidgetItem) -> None:
        sample_item = item.data(SAMPLE_ITEM_ROLE)
        if sample_item is not None:
            self.sampleItemChosen.emit(int(sample_item))
            return
        self.evaluationChosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))


class InteractionPane(QWidget):
    """Header, recording player (voice only) and transcript of the interaction being scored."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.player = AudioPlayer()
        self.note = QLabel()
        self.note.setObjectName("transcriptNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel#transcriptNote { color: #7a4100; font-weight: bold; }")
        self.transcript = TranscriptView()
        # Clicking a turn seeks; focus stays on the form so Y/N/digits keep answering.
        self.transcript.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.header, self.player, self.note):
            layout.addWidget(widget)
        layout.addWidget(self.transcript, 1)
        self._has_audio = False
        self.player.positionChanged.connect(self.transcript.set_current_time)
        self.player.mediaFailed.connect(self._media_failed)
        self.transcript.turnActivated.connect(self.player.seek_s)

    def show_session(self, session: ScoringSession) -> None:
        info = session.interaction
        agent = html.escape(info.agent or "no agent")
        queue = f" · {html.escape(info.queue)}" if info.queue else ""
        duration = format_time(info.duration_s) if info.duration_s else "—"
        self.header.setText(
            f"<b style='font-size: 12pt;'>{html.escape(info.external_id)}</b> · {info.channel}"
            f" · {agent}{queue}<br>{local_time(info.started_at)} · {duration} · scored on "
            f"<b>{html.escape(session.version.name)}</b> v{session.version.version} by "
            f"{html.escape(session.record.evaluator)}"
        )
        self._has_audio = session.has_audio
        self.note.hide()
        self.player.setVisible(session.has_audio)
        if session.has_audio:
            self.player.load(session.recording())
        else:
            self.player.clear()
        if session.transcript is not None and session.transcript.turns:
            self.transcript.set_transcript(session.transcript)
        else:
            self.transcript.set_transcript(None)
            self._show_note("There is no transcript for this interaction.")

    def show_empty(self) -> None:
        self.header.setText("<b>Nothing open.</b> Pick a draft on the left, or choose "
                            "“Score this interaction” in the Interactions tab.")  # fmt: skip
        self._has_audio = False
        self.player.clear()
        self.player.hide()
        self.transcript.set_transcript(None)
        self.note.hide()

    def _show_note(self, text: str) -> None:
        """Show ``text`` under the player (added to what is already said, not replacing it)."""
        shown = self.note.text() if not self.note.isHidden() else ""
        self.note.setText(f"{shown}\n{text}" if shown and text not in shown else text)
        self.note.show()

    def _media_failed(self, _message: str) -> None:
        # With no recording at all the player already says so; the note is for a recording
        # that exists but will not play.
        if self._has_audio and self.player.has_source():
            self._show_note("The recording cannot be played — score from the transcript below.")
