"""File ▸ Import…: pick a file, check the column mapping on its first rows, dry-run or import.

Three kinds of file come in here: interaction exports (CSV, Excel, vendor JSON, with a column
mapping), and customer feedback — survey results and mystery-shop results (CSV or Excel, with a
scorecard choice for the shops; see ``feedback_import``). The import itself runs off the UI thread
through the ``JobRunner`` (a million rows take a while; ``JobDialog`` gives the job its *own*
workspace connection, because SQLite connections belong to the thread that made them); Cancel
rolls the whole import back. Problems come back as ``row N, column C: message`` lines in a table,
the same lines the command line prints.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from qa_studio.storage.db import Workspace
from qa_studio.ui.views import feedback_import as feedback
from qa_studio.ui.views.dialog_parts import JobDialog, RowErrorTable, error_text
from qa_studio.ui.widgets.column_mapping import ColumnMapping, label_headers
from qa_studio.ui.write_guard import mark_writes

FILE_FILTER = "Interaction exports (*.csv *.tsv *.xlsx *.json *.jsonl *.ndjson);;All files (*)"
FORMAT_NAMES = {
    "csv": "CSV (comma or semicolon)", "xlsx": "Excel workbook", "json": "QA Studio JSON",
    "connect": "Amazon Connect contact records", "genesys": "Genesys Cloud conversations",
    "zendesk": "Zendesk ticket export",
}  # fmt: skip
#: Formats whose columns the user maps; vendor exports have documented fields.
MAPPED_FORMATS = ("csv", "xlsx")


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


class ImportDialog(JobDialog):
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
        super().__init__(workspace, jobs, settings, parent)
        self.setWindowTitle("Import")
        self.resize(980, 760)
        self._path: Path | None = None
        self._preview: Preview | None = None
        self.last_report: ImportReport | None = None
        self._build()
        feedback.fill_scorecards(self.scorecard_combo, workspace)
        self._kind_changed()

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind_combo = feedback.KindChoice()
        self.kind_note = QLabel()
        self.kind_note.setWordWrap(True)
        self.kind_note.setStyleSheet("color: #475569;")
        self.scorecard_label = QLabel("Scorecard")
        self.scorecard_combo = QComboBox()
        self.scorecard_combo.setToolTip(
            "The scorecard the shops were scored on; a row's own Scorecard cell wins over it"
        )
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Choose a CSV, Excel or JSON export…")
        self.choose_button = QPushButton("Choose file…")
        self.format_label = QLabel("Format")
        self.format_combo = QComboBox()
        for fmt in FORMATS:
            self.format_combo.addItem(FORMAT_NAMES.get(fmt, fmt), fmt)
        top = QGridLayout()
        top.addWidget(QLabel("Import"), 0, 0)
        top.addWidget(self.kind_combo, 0, 1)
        top.addWidget(self.kind_note, 1, 1, 1, 2)
        top.addWidget(QLabel("File"), 2, 0)
        top.addWidget(self.path_edit, 2, 1)
        top.addWidget(self.choose_button, 2, 2)
        top.addWidget(self.format_label, 3, 0)
        top.addWidget(self.format_combo, 3, 1)
        top.addWidget(self.scorecard_label, 4, 0)
        top.addWidget(self.scorecard_combo, 4, 1)

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
        self.errors_table = RowErrorTable()

        self.dry_run_button = QPushButton("Dry run")
        self.dry_run_button.setToolTip("Check every row and count what would change; write nothing")
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        # The dry run also needs a writable workspace: it imports in a transaction it rolls back.
        mark_writes(self.import_button, self.dry_run_button)
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
        self.kind_combo.activated.connect(lambda _i: self._kind_changed())
        self.format_combo.activated.connect(lambda _i: self._reload_preview())
        self.dry_run_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        self.cancel_button.clicked.connect(self.cancel)
        self.mapping_box.mappingChanged.connect(self._mapping_changed)
        self.close_button.clicked.connect(self.reject)

    # -- choosing and previewing ----------------------------------------------------------------

    def _kind_changed(self) -> None:
        """Show the controls of the chosen kind and re-read the file as that kind."""
        kind, is_feedback = self.kind_combo.kind(), self.kind_combo.is_feedback()
        self.setWindowTitle(f"Import {feedback.KIND_NAMES[kind].split(' (')[0].lower()}")
        self.kind_note.setText(feedback.KIND_HELP.get(kind, ""))
        self.kind_note.setVisible(is_feedback)
        for w in (self.format_label, self.format_combo):
            w.setVisible(not is_feedback)
        for w in (self.scorecard_label, self.scorecard_combo):
            w.setVisible(kind == "mystery_shop")
        if self._path is not None:
            self.load_file(self._path)

    def choose_file(self) -> None:
        is_feedback = self.kind_combo.is_feedback()
        path = self.pick_open_file(
            self.windowTitle(), feedback.FEEDBACK_FILTER if is_feedback else FILE_FILTER
        )
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        """Show ``path``: detect its format, preview its first rows, guess the mapping."""
        self._path = Path(path)
        self.path_edit.setText(str(self._path))
        self._clear_results()
        if self.kind_combo.is_feedback():
            self._reload_preview()
            return
        try:
            fmt = detect_format(self._path)
        except QAStudioError as exc:
            self.say(
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
        fmt = self._format()
        try:
            self._preview = preview(self._path, fmt)
        except QAStudioError as exc:
            self._preview = None
            self.say(exc.message, error=True)
        self._fill_preview()
        self._fill_mapping()
        if self._preview is not None and self._preview.errors:
            self._show_errors(self._preview.errors)
            self.say(
                f"{self._path.name} cannot be imported as it is: see the problems below.",
                error=True,
            )
        self._update_buttons()

    def _format(self) -> str:
        """The reader the preview uses: the chosen format, or CSV/XLSX for feedback files."""
        if self.kind_combo.is_feedback() and self._path is not None:
            return feedback.feedback_format(self._path)
        return str(self.format_combo.currentData())

    def _fill_preview(self) -> None:
        pv = self._preview
        headers = pv.headers if pv else []
        rows = pv.rows if pv else []
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(headers))
        self.preview_table.setRowCount(len(rows))
        self.preview_table.setHorizontalHeaderLabels(headers)
        first = 2 if self._format() in MAPPED_FORMATS else 1  # header = row 1
        self.preview_table.setVerticalHeaderLabels([str(first + r) for r in range(len(rows))])
        for r, row in enumerate(rows):
            for c, value in enumerate(row[: len(headers)]):
                self.preview_table.setItem(r, c, QTableWidgetItem(value))

    def _fill_mapping(self) -> None:
        pv = self._preview
        is_feedback = self.kind_combo.is_feedback()
        mapped = pv is not None and not is_feedback and self._format() in MAPPED_FORMATS
        self.mapping_box.setVisible(mapped)
        if mapped:
            self.mapping_box.set_fields(pv.fields, pv.required, pv.headers, pv.mapping)
        else:
            self.mapping_box.clear_fields()
        if pv is not None and is_feedback:
            self.mapping_note.setText(
                "Columns are recognised by their headers (shown under each header above); "
                "every row is checked when you press Dry run or Import."
            )
        elif pv is not None and not mapped:
            self.mapping_note.setText(
                f"{self.format_combo.currentText()}: fields are read as the vendor documents "
                "them; no column mapping is needed."
            )
        self.mapping_note.setVisible(pv is not None and not mapped)
        self._mapping_changed()

    def _mapping_changed(self) -> None:
        """Show under each preview header which fields it feeds; re-check the required ones."""
        if self._preview is not None:
            headers = self._preview.headers
            labels = (
                feedback.header_labels(headers, self.kind_combo.kind())
                if self.kind_combo.is_feedback()
                else label_headers(headers, self.mapping_box.mapping() or {})
            )
            for c, text in enumerate(labels):
                self.preview_table.setHorizontalHeaderItem(c, QTableWidgetItem(text))
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self._running
        missing = [] if self.kind_combo.is_feedback() else self.mapping_box.missing_required()
        ready = self._preview is not None and not missing and not running
        self.dry_run_button.setEnabled(ready)
        self.import_button.setEnabled(ready)
        if missing and not running:
            self.say(
                "Choose a column for the required fields: " + ", ".join(missing) + ".", error=True
            )

    # -- running --------------------------------------------------------------------------------

    def start(self, *, dry_run: bool) -> JobHandle | None:
        """Run the import (or dry run) as a background job with its own workspace connection."""
        if self._path is None or self._running:
            return None
        self._clear_results()
        path, skip, kind = self._path, self.skip_check.isChecked(), self.kind_combo.kind()
        if self.kind_combo.is_feedback():
            work = feedback.feedback_work(
                path, kind, scorecard=self.scorecard_combo.currentData()
                if kind == "mystery_shop" else None, dry_run=dry_run, skip_invalid=skip,
            )  # fmt: skip
        else:
            fmt, mapping = self.format_combo.currentData(), self.mapping_box.mapping()

            def work(ws, progress, is_cancelled) -> ImportReport:
                return run_import(ws, path, fmt=fmt, mapping=mapping, dry_run=dry_run,
                                  skip_invalid=skip, progress=progress,
                                  is_cancelled=is_cancelled)  # fmt: skip

        return self.run_job(
            work, name=f"import {kind}", on_progress=self._progressed,
            busy="Checking the file (dry run)…" if dry_run else "Importing…",
            on_success=self._succeeded, on_error=self._failed,
        )  # fmt: skip

    def _progressed(self, done: int, total: int) -> None:
        if total <= 0:  # feedback files are read without a known end: a busy bar and a count
            self.progress_bar.setRange(0, 0)
            if self._running:
                self.say(f"Working… {done:,} row(s) read so far.")
            return
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(min(done, total))
        self.progress_bar.setFormat(f"{done:,} of {total:,} rows")

    def _succeeded(self, report: ImportReport) -> None:
        self.last_report = report
        refused = report.errors and not report.written
        self.end_progress(
            "Cancelled" if report.cancelled else "Stopped: nothing written" if refused else "Done"
        )
        self._show_errors(report.errors)
        self.say(outcome_text(report), error=bool(report.errors) or report.cancelled)
        if (
            report.written
            and not report.dry_run
            and not report.cancelled
            and (report.inserted or report.updated or report.transcripts)
        ):
            self.imported.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.end_progress("Failed", done=False)
        self.say(error_text(error, "import"), error=True)

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        for w in (self.kind_combo, self.choose_button, self.format_combo, self.scorecard_combo,
                  self.skip_check, self.mapping_box):  # fmt: skip
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
        self.errors_table.show_errors(errors)

    def error_lines(self) -> list[str]:
        """The listed problems as ``row N, column C: message`` text."""
        return self.errors_table.lines()
