"""Taking a bundle in: "Import bundle…" (either kind) and "Import results…" (results only).

Nothing is written until the user has seen what will change: choosing a file runs a dry run of
the import (the engine checks every member's digest, merges inside a transaction and rolls it
back) and shows, per kind of record, what would be new, updated or unchanged, which evaluations
conflict, and which items would need a scorecard. Only "Import" commits — again in one
transaction, so a bundle refused half-way writes nothing. An encrypted bundle asks for its
passphrase first; a wrong one is refused like any other damage, with nothing written. Both runs
are background jobs with their own workspace connection, a progress bar and Cancel (``JobDialog``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_studio.bundles import api, crypto
from qa_studio.bundles.api import BundleCancelled, ImportResult
from qa_studio.services.jobs import JobHandle, JobRunner, SyncJobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import Workspace
from qa_studio.ui.models.bundle_models import KIND_TEXT, ImportCountsModel
from qa_studio.ui.views.bundle_send import BUNDLE_FILTER
from qa_studio.ui.views.dialog_parts import JobDialog, error_text, human_size
from qa_studio.ui.write_guard import mark_writes


def is_encrypted(path: Path) -> bool:
    """Whether the file starts like a passphrase-encrypted bundle (read before asking for one)."""
    with path.open("rb") as fh:
        return crypto.is_encrypted(fh.read(len(crypto.MAGIC)))


def describe(result: ImportResult) -> str:
    """Where the bundle came from and who it is for, in one line."""
    m = result.manifest
    scope = m.scope.get("evaluator") if isinstance(m.scope, dict) else None
    for_whom = f" for {scope['name']}" if isinstance(scope, dict) and scope.get("name") else ""
    locked = ", encrypted" if result.encrypted else ""
    return (f"{m.kind.capitalize()} bundle{for_whom} from workspace “{m.origin_name}”, made by "
            f"{m.actor} on {m.created_at[:16].replace('T', ' ')} UTC{locked}.")  # fmt: skip


def headline(result: ImportResult) -> str:
    """What the import does (or would do), in one sentence."""
    new, changed = sum(result.inserted.values()), sum(result.updated.values())
    conflicts = len(result.conflicts)
    preview = result.dry_run
    if result.already_imported:
        return ("This bundle was already imported: importing it again changes nothing." if
                preview else "Already imported: nothing changed.")  # fmt: skip
    if not (new or changed or conflicts):
        return ("Nothing new: every record in the bundle is already here." if preview
                else "Imported: nothing new — every record was already here.")  # fmt: skip
    parts = []
    if new:
        parts.append(f"{'add' if preview else 'added'} {new:,} record{'s' * (new != 1)}")
    if changed:
        parts.append(f"{'update' if preview else 'updated'} {changed:,}")
    text = ("Importing will " if preview else "Imported: ") + " and ".join(parts) if parts else ""
    if conflicts:
        text += "; " if text else ""
        text += (f"{conflicts} evaluation{'s conflict' if conflicts != 1 else ' conflicts'} — "
                 "nothing of yours is overwritten; you choose in File ▸ Conflicts")  # fmt: skip
    return text + "."


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def detail_lines(result: ImportResult) -> list[str]:
    lines = []
    if result.media_files or result.manifest.kind == "assignment":
        lines.append(f"Recordings: {result.media_files:,} ({human_size(result.media_bytes)}).")
    if result.manifest.kind == "assignment":
        lines.append(f"Drafts {'to start' if result.dry_run else 'started'} in the scoring queue: "
                     f"{result.drafts_started:,}.")  # fmt: skip
    if result.needs_scorecard:
        lines.append("No single scorecard fits these, start them from the Scoring tab: "
                     + ", ".join(result.needs_scorecard) + ".")  # fmt: skip
    for note in result.renumbered:
        lines.append(f"Scorecard version renumbered: {note}.")
    for c in result.conflicts:
        kind = KIND_TEXT.get(c.kind, c.kind.replace("_", " "))
        lines.append(
            f"Conflict — {c.interaction} by {c.mine.evaluator}, {kind}: here "
            f"{c.mine.status.replace('_', ' ')} {_percent(c.mine.percent)}, theirs "
            f"{c.theirs.status.replace('_', ' ')} {_percent(c.theirs.percent)}."
        )
    if result.audit_message:
        lines.append(f"Audit trail: {result.audit_message}")
    return lines


class ImportBundleDialog(JobDialog):
    """Choose a bundle, see its dry run, import it; ``imported`` carries the ``ImportResult``."""

    imported = Signal(object)

    def __init__(self, ws: Workspace, jobs: JobRunner | SyncJobRunner,
                 settings: Settings | None = None, *, expect_kind: str | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(ws, jobs, settings, parent)
        self.expect_kind = expect_kind
        self.setWindowTitle("Import results" if expect_kind == "results" else "Import bundle")
        self.resize(760, 620)
        self._path: Path | None = None
        self._passphrase: str | None = None
        self._encrypted = False
        self._mode = "preview"
        self.preview: ImportResult | None = None
        self.result: ImportResult | None = None
        self._build()
        self._set_running(False)

    def _build(self) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Choose a .qab bundle…")
        self.choose_button = QPushButton("Choose bundle…")
        self.passphrase_button = QPushButton("Passphrase…")
        self.passphrase_button.hide()
        top = QGridLayout()
        top.addWidget(QLabel("Bundle"), 0, 0)
        top.addWidget(self.path_edit, 0, 1)
        top.addWidget(self.choose_button, 0, 2)
        top.addWidget(self.passphrase_button, 0, 3)
        self.about_label = QLabel()
        self.about_label.setWordWrap(True)
        self.headline_label = QLabel()
        self.headline_label.setWordWrap(True)
        self.headline_label.setStyleSheet("font-weight: bold;")
        self.counts = ImportCountsModel(self)
        self.counts_view = QTableView()
        self.counts_view.setModel(self.counts)
        self.counts_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts_view.verticalHeader().hide()
        self.counts_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.counts_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_box = QGroupBox("What will change")
        box = QVBoxLayout(self.preview_box)
        box.addWidget(self.headline_label)
        box.addWidget(self.counts_view, 1)
        box.addWidget(self.details_label)
        self.status_label = self.summary_label
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        # Choosing a bundle runs a dry run, which merges in a transaction it rolls back.
        mark_writes(self.import_button, self.choose_button, self.passphrase_button)
        self.cancel_button = QPushButton("Cancel")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.import_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.about_label)
        layout.addWidget(self.preview_box, 1)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.choose_button.clicked.connect(self.choose_file)
        self.passphrase_button.clicked.connect(self._retry_passphrase)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

    # -- choosing -----------------------------------------------------------------------------
    def choose_file(self) -> None:
        chosen = self.pick_open_file(self.windowTitle(), f"{BUNDLE_FILTER};;All files (*)")
        if chosen is not None:
            self.load_file(chosen)

    def load_file(self, path: Path) -> JobHandle | None:
        """Show ``path``: ask for its passphrase when it is encrypted, then preview it."""
        self._path, self._passphrase = Path(path), None
        self.path_edit.setText(str(self._path))
        self._show_preview(None)
        try:
            self._encrypted = is_encrypted(self._path)
        except OSError as exc:
            self.say(f"{self._path} cannot be read ({exc.strerror}).", error=True)
            return None
        self.passphrase_button.setVisible(self._encrypted)
        if self._encrypted and not self._ask_passphrase():
            self.say(f"{self._path.name} is encrypted: it cannot be read without its "
                      "passphrase. Choose Passphrase… to enter it.", error=True)  # fmt: skip
            return None
        return self._run(dry_run=True)

    def _ask_passphrase(self) -> bool:
        text, ok = QInputDialog.getText(
            self, "Encrypted bundle",
            f"{self._path.name} is encrypted. Its passphrase (the sender gives it to you "
            "separately from the file):",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if not ok or not text:
            return False
        self._passphrase = text
        return True

    def _retry_passphrase(self) -> None:
        if self._path is not None and not self._running and self._ask_passphrase():
            self._show_preview(None)
            self._run(dry_run=True)

    # -- running ------------------------------------------------------------------------------
    def start_import(self) -> JobHandle | None:
        """Commit what the preview showed (the engine checks the bundle again as it imports)."""
        if self.preview is None or self._running or self.preview.already_imported:
            return None
        return self._run(dry_run=False)

    def _run(self, *, dry_run: bool) -> JobHandle | None:
        if self._path is None or self._running:
            return None
        path, passphrase, kind = self._path, self._passphrase, self.expect_kind

        def work(ws, progress, is_cancelled) -> ImportResult:
            return api.import_bundle(ws, path, passphrase=passphrase, expect_kind=kind,
                                     dry_run=dry_run, progress=progress,
                                     is_cancelled=is_cancelled)  # fmt: skip

        self._mode = "preview" if dry_run else "import"
        return self.run_job(
            work, name="bundle preview" if dry_run else "bundle import",
            busy=f"Checking {path.name} (nothing is written yet)…" if dry_run
            else f"Importing {path.name}…",
            on_success=self._succeeded, on_error=self._failed,
        )  # fmt: skip

    def _succeeded(self, result: ImportResult) -> None:
        self.end_progress("Checked" if self._mode == "preview" else "Imported")
        self._show_preview(result)
        if self._mode == "preview":
            self.preview = result
        else:
            self.result = result
        if self.result is not None and not result.already_imported:
            self.say(f"{self._path.name} was imported in one transaction; the audit trail "
                      "verifies.")  # fmt: skip
            self.imported.emit(result)
        elif result.already_imported:
            self.say("Nothing to do: this exact bundle is already in the workspace.")
        else:
            self.say("Nothing has been written yet: press Import to take these changes in.")

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, BundleCancelled):
            self.end_progress("Cancelled", done=False)
            self.say("Import cancelled: nothing was written.", error=True)
            return
        self.end_progress("Refused", done=False)
        text = "Refused — nothing was written.\n" + error_text(error, "import")
        if self._encrypted and crypto.WRONG in str(error):
            text += "\nCheck the passphrase with the sender, then choose Passphrase… to retry."
        self.say(text, error=True)

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.choose_button.setEnabled(not running)
        self.passphrase_button.setEnabled(not running)
        self.progress_bar.setVisible(running or self.preview is not None or self.result is not None)
        can_import = (self.preview is not None and not self.preview.already_imported
                      and self.result is None and not running)  # fmt: skip
        self.import_button.setEnabled(can_import)

    # -- showing ------------------------------------------------------------------------------
    def _show_preview(self, result: ImportResult | None) -> None:
        if result is None:
            self.preview = self.result = None
        self.counts.set_result(result)
        self.preview_box.setVisible(result is not None)
        self.about_label.setText(describe(result) if result else "")
        self.headline_label.setText(headline(result) if result else "")
        self.details_label.setText("\n".join(detail_lines(result)) if result else "")
