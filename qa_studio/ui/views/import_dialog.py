"""File ▸ Import…: pick a file, check the column mapping on its first rows, dry-run or import.

The import itself runs off the UI thread through the ``JobRunner`` (a million rows take a while):
the job opens its *own* connection to the workspace file, because SQLite connections belong to
the thread that made them, and reports progress; Cancel rolls the whole import back. Problems come
back as ``row N, column C: message`` lines in a table, the same lines the command line prints.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_studio.errors import QAStudioError
from qa_studio.importers.api import (
    FORMATS,
    ImportReport,
    Preview,
    RowError,
    detect_format,
    preview,
    run_import,
)
from qa_studio.services.jobs import JobHandle, JobRunner, SyncJobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.ui.widgets.column_mapping import ColumnMapping, label_headers

FILE_FILTER = "Interaction exports (*.csv *.tsv *.xlsx *.json *.jsonl *.ndjson);;All files (*)"
FORMAT_NAMES = {
    "csv": "CSV (comma or semicolon)", "xlsx": "Excel workbook", "json": "QA Studio JSON",
    "connect": "Amazon Connect contact records", "genesys": "Genesys Cloud conversations",
    "zendesk": "Zendesk ticket export",
}  # fmt: skip
#: Formats whose columns the user maps; vendor exports have documented fields.
MAPPED_FORMATS = ("csv", "xlsx")
ERROR_COLOUR = "#a01818"


def outcome_text(report: ImportReport) -> str:
    """What happened, in the dialog's words (the problems themselves are listed in the table)."""
    name = report.path.name if report.path else "The file"
    counts = (f"{report.inserted:,} new, {report.updated:,} updated, "
              f"{report.unchanged:,} unchanged, {report.rejected:,} rejected")  # fmt: skip
    if report.cancelled:
        return "Import cancelled: nothing was written."
    if report.dry_run:
        lines = [f"Dry run of {name}: would import {counts}.", "Nothing was written."]
    elif report.errors and not report.written:
        lines = [
            f"Nothing was written: {name} has problems, listed below by row.",
            "Correct them, or tick “Skip invalid rows” to import the valid rows.",
        ]
    else:
        lines = [f"Imported {name}: {counts}."]
        if report.transcripts:
            lines.append(f"{report.transcripts:,} transcript(s) stored with their interactions.")
    if report.rejects_path is not None:
        lines.append(f"Rejected rows, with the reason, were saved to {report.rejects_path}.")
    lines += report.notes
    return "\n".join(lines)


class ImportDialog(QDialog):
    """Preview, map and import one file into ``workspace`` (emits ``imported`` after writing)."""

    #: The report of an import that wrote rows (not a dry run, not cancelled).
    imported = Signal(object)

    def __init__(
        self,
        workspace: Workspace,
        jobs: JobRunner | SyncJobRunner,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import interactions")
        self.resize(980, 760)
        self._ws_path = workspace.path
        self._actor = workspace.actor
        self._jobs = jobs
        self._settings = settings
        self._path: Path | None = None
        self._preview: Preview | None = None
        self._handle: JobHandle | None = None
        self._running = False
        self._close_when_done = False
        self.last_report: ImportReport | None = None
        self._build()
        self._set_running(False)

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Choose a CSV, Excel or JSON export…")
        self.choose_button = QPushButton("Choose file…")
        self.format_combo = QComboBox()
        for fmt in FORMATS:
            self.format_combo.addItem(FORMAT_NAMES.get(fmt, fmt), fmt)
        top = QGridLayout()
        top.addWidget(QLabel("File"), 0, 0)
        top.addWidget(self.path_edit, 0, 1)
        top.addWidget(self.choose_button, 0, 2)
        top.addWidget(QLabel("Format"), 1, 0)
        top.addWidget(self.format_combo, 1, 1)

        self.preview_table = QTableWidget()
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setWordWrap(False)
        preview_box = QGroupBox("First rows of the file")
        QVBoxLayout(preview_box).addWidget(self.preview_table)

        self.mapping_box = ColumnMapping()
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)

        self.skip_check = QCheckBox(
            "Skip invalid rows: import the valid ones and save the others beside the file "
            "(NAME.rejects.csv) with the reason"
        )
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors_table = QTableWidget(0, 3)
        self.errors_table.setHorizontalHeaderLabels(["Row", "Column", "Problem"])
        self.errors_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors_table.verticalHeader().hide()
        self.errors_table.horizontalHeader().setStretchLastSection(True)
        self.errors_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )

        self.dry_run_button = QPushButton("Dry run")
        self.dry_run_button.setToolTip("Check every row and count what would change; write nothing")
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel import")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.dry_run_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(preview_box, 3)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.mapping_note)
        layout.addWidget(self.skip_check)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.errors_table, 2)
        layout.addLayout(buttons)

        self.choose_button.clicked.connect(self.choose_file)
        self.format_combo.activated.connect(lambda _i: self._reload_preview())
        self.dry_run_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        self.cancel_button.clicked.connect(self.cancel)
        self.mapping_box.mappingChanged.connect(self._mapping_changed)
        self.close_button.clicked.connect(self.reject)

    # -- choosing and previewing ----------------------------------------------------------------

    def choose_file(self) -> None:
        folder = self._settings.last_folder() if self._settings else None
        path, _ = QFileDialog.getOpenFileName(
            self, "Import interactions", str(folder or ""), FILE_FILTER
        )
        if path:
            if self._settings is not None:
                self._settings.set_last_folder(Path(path).parent)
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Show ``path``: detect its format, preview its first rows, guess the mapping."""
        self._path = Path(path)
        self.path_edit.setText(str(self._path))
        self._clear_results()
        try:
            fmt = detect_format(self._path)
        except QAStudioError as exc:
            self._say(
                exc.message + "".join(f" {d}" for d in exc.details) + " Choose the format above.",
                error=True,
            )
            fmt = None
        if fmt is not None:
            self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(fmt)))
        self._reload_preview()

    def _reload_preview(self) -> None:
        if self._path is None:
            return
        fmt = self.format_combo.currentData()
        try:
            self._preview = preview(self._path, fmt)
        except QAStudioError as exc:
            self._preview = None
            self._say(exc.message, error=True)
        self._fill_preview()
        self._fill_mapping()
        if self._preview is not None and self._preview.errors:
            self._show_errors(self._preview.errors)
            self._say(
                f"{self._path.name} cannot be imported as it is: see the problems below.",
                error=True,
            )
        self._update_buttons()

    def _fill_preview(self) -> None:
        pv = self._preview
        headers = pv.headers if pv else []
        rows = pv.rows if pv else []
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(headers))
        self.preview_table.setRowCount(len(rows))
        self.preview_table.setHorizontalHeaderLabels(headers)
        first = 2 if self.format_combo.currentData() in MAPPED_FORMATS else 1  # header = row 1
        self.preview_table.setVerticalHeaderLabels([str(first + r) for r in range(len(rows))])
        for r, row in enumerate(rows):
            for c, value in enumerate(row[: len(headers)]):
                self.preview_table.setItem(r, c, QTableWidgetItem(value))

    def _fill_mapping(self) -> None:
        pv = self._preview
        mapped = pv is not None and self.format_combo.currentData() in MAPPED_FORMATS
        self.mapping_box.setVisible(mapped)
        if mapped:
            self.mapping_box.set_fields(pv.fields, pv.required, pv.headers, pv.mapping)
        else:
            self.mapping_box.clear_fields()
        if pv is not None and not mapped:
            self.mapping_note.setText(
                f"{self.format_combo.currentText()}: fields are read as the vendor documents "
                "them; no column mapping is needed."
            )
        self.mapping_note.setVisible(pv is not None and not mapped)
        self._mapping_changed()

    def _mapping_changed(self) -> None:
        """Show under each preview header which fields it feeds; re-check the required ones."""
        if self._preview is not None:
            labels = label_headers(self._preview.headers, self.mapping_box.mapping() or {})
            for c, text in enumerate(labels):
                self.preview_table.setHorizontalHeaderItem(c, QTableWidgetItem(text))
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self._running
        missing = self.mapping_box.missing_required()
        ready = self._preview is not None and not missing and not running
        self.dry_run_button.setEnabled(ready)
        self.import_button.setEnabled(ready)
        if missing and not running:
            self._say(
                "Choose a column for the required fields: " + ", ".join(missing) + ".", error=True
            )

    # -- running --------------------------------------------------------------------------------

    def start(self, *, dry_run: bool) -> JobHandle | None:
        """Run the import (or dry run) as a background job with its own workspace connection."""
        if self._path is None or self._running:
            return None
        self._clear_results()
        path, fmt, mapping = self._path, self.format_combo.currentData(), self.mapping_box.mapping()
        skip, ws_path, actor = self.skip_check.isChecked(), self._ws_path, self._actor

        def job(progress, is_cancelled) -> ImportReport:
            ws = open_workspace(ws_path, create=False)
            try:
                ws.actor = actor
                return run_import(
                    ws,
                    path,
                    fmt=fmt,
                    mapping=mapping,
                    dry_run=dry_run,
                    skip_invalid=skip,
                    progress=progress,
                    is_cancelled=is_cancelled,
                )
            finally:
                ws.close()

        self.progress_bar.setRange(0, 0)
        self._say("Checking the file (dry run)…" if dry_run else "Importing…")
        self._set_running(True)
        self._handle = self._jobs.submit(
            job,
            name="import",
            on_progress=self._progressed,
            on_success=self._succeeded,
            on_error=self._failed,
            on_finished=self._finished,
        )
        return self._handle

    def cancel(self) -> None:
        if self._running and self._handle is not None:
            self._handle.cancel()
            self._say("Cancelling… nothing will be written.")

    def _progressed(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total) if total else 0)
        if total:
            self.progress_bar.setFormat(f"{done:,} of {total:,} rows")

    def _succeeded(self, report: ImportReport) -> None:
        self.last_report = report
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        refused = report.errors and not report.written
        self.progress_bar.setFormat(
            "Cancelled" if report.cancelled else "Stopped: nothing written" if refused else "Done"
        )
        self._show_errors(report.errors)
        self._say(outcome_text(report), error=bool(report.errors) or report.cancelled)
        if (
            report.written
            and not report.dry_run
            and not report.cancelled
            and (report.inserted or report.updated or report.transcripts)
        ):
            self.imported.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("Failed")
        if isinstance(error, QAStudioError):
            text = error.message + "".join(f"\n{d}" for d in error.details)
        else:
            text = f"The import failed: {error}. Nothing was written."
        self._say(text, error=True)

    def _finished(self) -> None:
        self._set_running(False)
        if self._close_when_done:
            super().reject()

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        for w in (self.choose_button, self.format_combo, self.skip_check, self.mapping_box):
            w.setEnabled(not running)
        self.progress_bar.setVisible(running or self.last_report is not None)
        self._update_buttons()

    # -- results --------------------------------------------------------------------------------

    def _clear_results(self) -> None:
        self.last_report = None
        self.errors_table.setRowCount(0)
        self.summary_label.clear()
        self.progress_bar.reset()
        self.progress_bar.setFormat("%p%")

    def _show_errors(self, errors: list[RowError]) -> None:
        self.errors_table.setRowCount(len(errors))
        for r, err in enumerate(errors):
            row = QTableWidgetItem(str(err.row) if err.row else "")
            row.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.errors_table.setItem(r, 0, row)
            self.errors_table.setItem(r, 1, QTableWidgetItem(err.column))
            self.errors_table.setItem(r, 2, QTableWidgetItem(err.message))
            self.errors_table.item(r, 2).setToolTip(str(err))

    def error_lines(self) -> list[str]:
        """The listed problems as ``row N, column C: message`` text."""
        lines = []
        for r in range(self.errors_table.rowCount()):
            row, column, message = (self.errors_table.item(r, c).text() for c in range(3))
            lines.append(str(RowError(int(row or 0), column, message)))
        return lines

    def _say(self, text: str, *, error: bool = False) -> None:
        self.summary_label.setStyleSheet(f"color: {ERROR_COLOUR}" if error else "")
        self.summary_label.setText(text)

    def reject(self) -> None:
        """Closing while an import runs cancels it first; the dialog closes when it has stopped."""
        if self._running:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()
