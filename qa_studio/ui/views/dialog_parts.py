"""What the file dialogs share: picking a file, one background job with progress and Cancel, and
an outcome line that turns red for problems.

Why a base class: File ▸ Import…, Import bundle… and the bundle exports all run one workspace job
at a time off the UI thread. Each job opens its *own* workspace connection (SQLite connections
belong to the thread that made them), reports progress, stops when Cancel is pressed, and the
dialog refuses to close under it: closing cancels first and the dialog closes once the job has
stopped. ``JobDialog`` does that once; a subclass builds its widgets, calls ``run_job`` and says in
``_set_running`` which of its controls to lock while a job runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from qa_studio.errors import QAStudioError
from qa_studio.importers.report import RowError
from qa_studio.services.jobs import JobHandle, JobRunner, Progress, SyncJobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import Workspace, open_workspace

__all__ = [
    "ERROR_COLOUR",
    "JobDialog",
    "RowErrorTable",
    "error_text",
    "human_size",
]

ERROR_COLOUR = "#a01818"
#: ``work(ws, progress, is_cancelled)``: the job's body, given the job's own workspace connection.
Work = Callable[[Workspace, Progress, Callable[[], bool]], Any]


def human_size(n: int) -> str:
    """Bytes as people read them: ``830 bytes``, ``12.4 KB``, ``1.2 GB``."""
    if n < 1024:
        return f"{n:,} bytes"
    size = float(n)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:,.1f} {unit}"


def error_text(error: BaseException, what: str) -> str:
    """A refusal's message and details, or an unexpected failure said plainly."""
    if isinstance(error, QAStudioError):
        return error.message + "".join(f"\n{d}" for d in error.details)
    return f"The {what} failed: {error}. Nothing was written."


class RowErrorTable(QTableWidget):
    """Problems with a file, one per line: row (as a spreadsheet counts), column, message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Row", "Column", "Problem"])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

    def show_errors(self, errors: list[RowError]) -> None:
        self.setRowCount(len(errors))
        for r, err in enumerate(errors):
            row = QTableWidgetItem(str(err.row) if err.row else "")
            row.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(r, 0, row)
            self.setItem(r, 1, QTableWidgetItem(err.column))
            message = QTableWidgetItem(err.message)
            message.setToolTip(str(err))
            self.setItem(r, 2, message)

    def lines(self) -> list[str]:
        """The listed problems as ``row N, column C: message`` text."""
        cells = ((self.item(r, c).text() for c in range(3)) for r in range(self.rowCount()))
        return [str(RowError(int(row or 0), column, message)) for row, column, message in cells]


class JobDialog(QDialog):
    """A dialog that runs one workspace job at a time (see the module docstring).

    It owns ``progress_bar`` and ``summary_label``; the subclass places them in its layout.
    """

    #: Shown when Cancel is pressed.
    CANCELLING = "Cancelling… nothing will be written."

    def __init__(self, ws: Workspace, jobs: JobRunner | SyncJobRunner,
                 settings: Settings | None, parent: QWidget | None) -> None:  # fmt: skip
        super().__init__(parent)
        self._ws_path, self._actor = ws.path, ws.actor
        self._jobs, self._settings = jobs, settings
        self._handle: JobHandle | None = None
        self._stop = threading.Event()
        self._running = self._close_when_done = False
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    # -- choosing a file ------------------------------------------------------------------------
    def pick_open_file(self, title: str, file_filter: str) -> Path | None:
        """Ask for a file to read, starting in (and remembering) the last folder used."""
        folder = self._settings.last_folder() if self._settings else None
        chosen, _ = QFileDialog.getOpenFileName(
            self, title, str(folder or self._ws_path.parent), file_filter
        )
        if not chosen:
            return None
        if self._settings is not None:
            self._settings.set_last_folder(Path(chosen).parent)
        return Path(chosen)

    # -- running ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    def run_job(self, work: Work, *, name: str, busy: str, on_success: Callable[[Any], None],
                on_error: Callable[[BaseException], None],
                on_progress: Progress | None = None) -> JobHandle:  # fmt: skip
        """Run ``work`` off the UI thread with its own connection; lock the dialog meanwhile."""
        ws_path, actor = self._ws_path, self._actor
        # Cancel may be pressed before ``submit`` has returned the handle (a synchronous runner)
        stop = self._stop = threading.Event()

        def job(progress: Progress, is_cancelled: Callable[[], bool]) -> Any:
            ws = open_workspace(ws_path, create=False)
            try:
                ws.actor = actor
                return work(ws, progress, lambda: stop.is_set() or is_cancelled())
            finally:
                ws.close()

        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat("%p%")
        self.say(busy)
        self._enter(True)
        self._handle = self._jobs.submit(
            job, name=name, on_progress=on_progress or self._progressed, on_success=on_success,
            on_error=on_error, on_finished=self._finished,
        )  # fmt: skip
        return self._handle

    def cancel(self) -> None:
        if self._running:
            self._stop.set()
            if self._handle is not None:
                self._handle.cancel()
            self.say(self.CANCELLING)

    def end_progress(self, text: str, *, done: bool = True) -> None:
        """Leave the bar full (or empty) with ``text`` on it."""
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1 if done else 0)
        self.progress_bar.setFormat(text)

    def _progressed(self, done: int, total: int) -> None:
        if total <= 0:  # a count of rows without a known end: keep the bar busy
            self.progress_bar.setRange(0, 0)
            return
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue((1000 * min(done, total)) // total)

    def _finished(self) -> None:
        self._enter(False)
        if self._close_when_done:
            super().reject()

    def _enter(self, running: bool) -> None:
        self._running = running
        self._set_running(running)

    def _set_running(self, running: bool) -> None:
        """Subclasses lock and unlock their controls here."""

    # -- saying -----------------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        self.summary_label.setStyleSheet(f"color: {ERROR_COLOUR}" if error else "")
        self.summary_label.setText(text)

    def reject(self) -> None:
        """Closing while a job runs cancels it first; the dialog closes once it has stopped."""
        if self._running:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()
