"""Writing bundles from the screens: "Send work to evaluator…" (and, in ``bundle_results``,
"Export my results…", built on the same ``BundleExportDialog``).

Both dialogs say what will go before anything is written, offer a passphrase (typed twice,
because a typo would lock the evaluator out of their work), ask where to save, and write the
bundle off the UI thread through the ``JobRunner`` — ``JobDialog`` gives the job its *own* workspace
connection, because SQLite connections belong to the thread that made them — with a progress bar
and Cancel. Writing a bundle appends to the audit trail, so Save is off in a read-only workspace.
A cancelled export leaves no file behind (the engine writes to a temporary file and renames it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_studio.bundles import api
from qa_studio.bundles.api import BundleCancelled, ExportResult
from qa_studio.errors import QAStudioError
from qa_studio.services.jobs import JobHandle, JobRunner, SyncJobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import Workspace
from qa_studio.ui.views.dialog_parts import ERROR_COLOUR, JobDialog, error_text, human_size
from qa_studio.ui.write_guard import mark_writes

__all__ = ["BUNDLE_FILTER", "ERROR_COLOUR", "BundleExportDialog", "PassphraseFields",
           "SendWorkDialog", "error_text", "human_size"]  # fmt: skip
BUNDLE_FILTER = "QA Studio bundle (*.qab)"
SHARE_NOTE = (
    "Tell the evaluator the passphrase separately — by phone or in person, never in the same "
    "e-mail or on the same USB stick as the bundle. Without it the bundle cannot be opened."
)


class PassphraseFields(QGroupBox):
    """Optional encryption: tick, type the passphrase twice, and read why to share it apart."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Encrypt with a passphrase (recommended: bundles carry recordings)", parent
        )
        self.setCheckable(True)
        self.setChecked(False)
        self.edit, self.repeat = QLineEdit(), QLineEdit()
        for edit, hint in ((self.edit, "Passphrase"), (self.repeat, "The same passphrase again")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(hint)
            edit.textChanged.connect(lambda _t: self.changed.emit())
        self.note = QLabel(SHARE_NOTE)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #7a4100;")
        form = QFormLayout(self)
        form.addRow("Passphrase", self.edit)
        form.addRow("Repeat", self.repeat)
        form.addRow(self.note)
        self.toggled.connect(lambda _on: self.changed.emit())

    def passphrase(self) -> str | None:
        return self.edit.text() if self.isChecked() else None

    def problem(self) -> str | None:
        """Why the passphrase cannot be used yet, or None."""
        if not self.isChecked():
            return None
        if len(self.edit.text()) < 8:
            return "The passphrase needs at least 8 characters."
        if self.edit.text() != self.repeat.text():
            return "The two passphrases differ: type the same one twice."
        return None


class BundleExportDialog(JobDialog):
    """What both export dialogs share: passphrase, save dialog, the job, progress and Cancel."""

    #: The ``ExportResult`` of a bundle written and in place.
    exported = Signal(object)
    KIND = "bundle"
    #: Each subclass says what its job calls: ``export_call()`` returns
    #: ``fn(ws, out, passphrase, progress, is_cancelled) -> ExportResult``.
    export_call: Callable[[], Callable[..., ExportResult]]
    CANCELLING = "Cancelling… no file will be left behind."

    def __init__(self, ws: Workspace, jobs: JobRunner | SyncJobRunner,
                 settings: Settings | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(ws, jobs, settings, parent)
        self.ws = ws
        self._showing_problem = False
        self.last_result: ExportResult | None = None
        self.passphrase = PassphraseFields()
        self.progress_bar.hide()
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.save_button = QPushButton("Save bundle…")
        self.save_button.setDefault(True)
        mark_writes(self.save_button)
        self.cancel_button = QPushButton("Cancel export")
        self.cancel_button.hide()
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.save_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.body)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.summary_label, 1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.passphrase.changed.connect(self._update)

    # -- for subclasses ---------------------------------------------------------------------
    def ready(self) -> str | None:
        """Why nothing can be saved yet (shown to the user), or None."""
        return None

    def default_name(self) -> str:
        return f"{self.KIND} {date.today():%Y-%m-%d}.qab"

    # -- saving -----------------------------------------------------------------------------
    def _update(self) -> None:
        problem = self.ready() or self.passphrase.problem()
        self.save_button.setEnabled(problem is None and not self._running)
        if problem is not None and not self._running:
            self.say(problem, error=True)
            self._showing_problem = True
        elif self._showing_problem:  # fixed now: clear the complaint, keep any outcome shown
            self.say("")
            self._showing_problem = False

    def save(self) -> JobHandle | None:
        """Ask where to save, then write the bundle as a background job."""
        if self._running or (self.ready() or self.passphrase.problem()) is not None:
            return None
        folder = self._settings.last_folder() if self._settings else None
        start = str(Path(folder or self.ws.path.parent) / self.default_name())
        chosen, _ = QFileDialog.getSaveFileName(self, f"Save {self.KIND}", start, BUNDLE_FILTER)
        if not chosen:
            return None
        out = Path(chosen)
        if out.suffix.lower() != ".qab":
            out = out.with_name(out.name + ".qab")
        if self._settings is not None:
            self._settings.set_last_folder(out.parent)
        return self.start(out)

    def start(self, out: Path) -> JobHandle:
        call, passphrase = self.export_call(), self.passphrase.passphrase()

        def work(ws, progress, is_cancelled) -> ExportResult:
            return call(ws, out, passphrase, progress, is_cancelled)

        self.last_result = None
        self.progress_bar.show()
        return self.run_job(work, name=f"export {self.KIND}", busy=f"Writing {out.name}…",
                            on_success=self._succeeded, on_error=self._failed)  # fmt: skip

    def _succeeded(self, result: ExportResult) -> None:
        self.last_result = result
        self.end_progress("Done")
        self.say(self.outcome(result), error=bool(result.missing_media))
        self.exported.emit(result)

    def outcome(self, result: ExportResult) -> str:
        parts = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in result.counts.items())
        lines = [
            f"Saved {result.path.name} ({human_size(result.size_bytes)}"
            f"{', encrypted' if result.encrypted else ''}) in {result.path.parent}.",
            f"It holds {parts}; {result.media_files} recording(s).",
        ]
        if result.encrypted:
            lines.append("Remember: share the passphrase separately from the file.")
        if result.missing_media:
            lines.append(f"Warning: {len(result.missing_media)} recording(s) were not found and "
                         "were left out:")  # fmt: skip
            lines += [f"  {m}" for m in result.missing_media]
        return "\n".join(lines)

    def _failed(self, error: BaseException) -> None:
        cancelled = isinstance(error, BundleCancelled)
        self.end_progress("Cancelled" if cancelled else "Failed", done=False)
        self.say("Export cancelled: no bundle was written." if cancelled
                  else error_text(error, "export"), error=True)  # fmt: skip

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.passphrase.setEnabled(not running)
        self.set_inputs_enabled(not running)
        self._update()

    def set_inputs_enabled(self, enabled: bool) -> None:
        """Subclasses lock their own choices while the bundle is written."""


class SendWorkDialog(BundleExportDialog):
    """File ▸ Send work to evaluator…: one evaluator's open sample items as an assignment."""

    KIND = "assignment"

    def __init__(self, ws: Workspace, jobs: JobRunner | SyncJobRunner,
                 settings: Settings | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(ws, jobs, settings, parent)
        self.setWindowTitle("Send work to evaluator")
        self.resize(620, 600)
        self.evaluator_combo = QComboBox()
        self.sample_combo = QComboBox()
        self.intro = QLabel(
            "The evaluator's open sample items go into one file with their transcripts, "
            "recordings and scorecards, to score offline on their own computer."
        )
        self.intro.setWordWrap(True)
        self.preview_labels = {
            key: QLabel() for key in ("items", "interactions", "versions", "recordings", "missing")
        }
        self.preview_labels["missing"].setWordWrap(True)
        self.preview_labels["missing"].setStyleSheet(f"color: {ERROR_COLOUR}")
        choose = QFormLayout()
        choose.addRow("Evaluator", self.evaluator_combo)
        choose.addRow("Sample", self.sample_combo)
        preview_box = QGroupBox("What goes in the bundle")
        form = QFormLayout(preview_box)
        for key, label in (("items", "Sample items"), ("interactions", "Interactions"),
                           ("versions", "Scorecard versions"), ("recordings", "Recordings"),
                           ("missing", "Missing recordings")):  # fmt: skip
            form.addRow(label, self.preview_labels[key])
        self.body.addWidget(self.intro)
        self.body.addLayout(choose)
        self.body.addWidget(preview_box)
        self.preview: api.SendPreview | None = None
        self._problem: str | None = None
        self.evaluator_combo.currentIndexChanged.connect(lambda _i: self._fill_samples())
        self.sample_combo.currentIndexChanged.connect(lambda _i: self._refresh_preview())
        for name, count in api.evaluators_with_work(ws):
            self.evaluator_combo.addItem(f"{name} — {count:,} open item{'s' * (count != 1)}", name)
        if self.evaluator_combo.count() == 0:
            self._problem = ("Nobody has open sample items to send: draw a sample and allocate "
                             "it first.")  # fmt: skip
            self._update()

    def evaluator(self) -> str | None:
        return self.evaluator_combo.currentData()

    def sample_id(self) -> int | None:
        return self.sample_combo.currentData()

    def choose(self, evaluator: str, sample_id: int | None = None) -> None:
        self.evaluator_combo.setCurrentIndex(self.evaluator_combo.findData(evaluator))
        self.sample_combo.setCurrentIndex(max(0, self.sample_combo.findData(sample_id)))

    def _fill_samples(self) -> None:
        name = self.evaluator()
        self.sample_combo.blockSignals(True)
        self.sample_combo.clear()
        self.sample_combo.addItem("All their open samples", None)
        if name is not None:
            counts: dict[int, list] = {}
            for item in api.queue_for(self.ws, name):
                counts.setdefault(item.sample_id, [item.sample_name, 0])[1] += 1
            for sample_id, (sample_name, n) in sorted(counts.items()):
                self.sample_combo.addItem(f"{sample_name} (#{sample_id}) — {n:,} open",
                                          sample_id)  # fmt: skip
        self.sample_combo.blockSignals(False)
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        name = self.evaluator()
        self.preview, self._problem = None, None
        if name is not None:
            try:
                self.preview = api.send_preview(self.ws, name, self.sample_id())
            except QAStudioError as exc:
                self._problem = error_text(exc, "preview")
        p = self.preview
        labels = self.preview_labels
        labels["items"].setText(f"{p.sample_items:,}" if p else "—")
        labels["interactions"].setText(f"{p.interactions:,} (with their transcripts)" if p
                                       else "—")  # fmt: skip
        labels["versions"].setText(f"{p.scorecard_versions:,}" if p else "—")
        labels["recordings"].setText(f"{p.recordings:,} ({human_size(p.recording_bytes)})" if p
                                     else "—")  # fmt: skip
        missing = p.missing_recordings if p else ()
        labels["missing"].setText(
            "\n".join([f"{len(missing)} not found — they will be left out:", *missing])
            if missing else "none"
        )  # fmt: skip
        labels["missing"].setStyleSheet(f"color: {ERROR_COLOUR}" if missing else "")
        self.last_result = None
        self.say("")
        self._update()

    def ready(self) -> str | None:
        return self._problem

    def default_name(self) -> str:
        return f"{self.evaluator() or 'evaluator'} work {date.today():%Y-%m-%d}.qab"

    def export_call(self) -> Callable[..., ExportResult]:
        evaluator, sample_id = self.evaluator(), self.sample_id()

        def call(ws, out, passphrase, progress, is_cancelled) -> ExportResult:
            return api.export_assignment(ws, out, evaluator, sample_id=sample_id,
                                         passphrase=passphrase, progress=progress,
                                         is_cancelled=is_cancelled)  # fmt: skip

        return call

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.evaluator_combo.setEnabled(enabled)
        self.sample_combo.setEnabled(enabled)
