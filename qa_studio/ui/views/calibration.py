"""The calibration screen: sessions, their progress while open, their results once closed.

Left, every session (name, scorecard, evaluators, interactions, open/closed) and "New
session…" (the wizard). Right, the selected session:

* **Progress** — each evaluator's status on each interaction (statuses only: safe while blind),
  the current evaluator's own items with "Score my calibration item" (the scoring screen opens
  their calibration evaluation, via ``evaluationRequested``) and "Close session…";
* **Results** — once the session is closed (or if it is not blind): statistics, questions with
  drill-down, evaluators and charts (``calibration_results.ResultsPanel``).

Blindness is the repository's rule, not the screen's: the screen shows only ``progress`` and the
current evaluator's own evaluations while a blind session is open, and ``session_results``
refuses to compute anything until it closes. Results take about a second (bootstrap intervals),
so they are computed by the job runner on its own connection and cached per closed session.

New session, Score my calibration item (it starts the evaluation) and Close session write, and
are marked for ``ui.write_guard``: a read-only workspace's sessions and results can be read only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_studio.errors import QAStudioError
from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.storage.repository import calibration
from qa_studio.storage.repository.calibration import CalibrationSession, SessionResults
from qa_studio.storage.repository.calibration_sessions import results_hidden
from qa_studio.ui.models.calibration_models import SessionListModel, TextTableModel
from qa_studio.ui.views.calibration_results import ResultsPanel
from qa_studio.ui.views.calibration_wizard import CalibrationWizard
from qa_studio.ui.write_guard import mark_writes

BLIND_NOTE = ("Blind session: while it is open everyone sees statuses only — never anyone "
              "else's answers or scores. Closing it reveals the results to all.")  # fmt: skip
HIDDEN_NOTE = "Results are hidden until the session is closed (it is blind)."


def compute_results(path, session_id: int, *, read_only: bool = False) -> SessionResults:
    """Results on a connection of the calling thread (SQLite connections are per thread), opened
    read-only when the screen's workspace is (no WAL switch, nothing written)."""
    ws = open_workspace(path, create=False, read_only=read_only)
    try:
        return calibration.session_results(ws, session_id)
    finally:
        ws.close()


class CalibrationView(QWidget):
    """Sessions of one workspace, seen by one evaluator (``set_evaluator``)."""

    #: Open this (calibration) evaluation in the scoring screen.
    evaluationRequested = Signal(int)
    sessionCreated = Signal(int)
    sessionClosed = Signal(int)

    def __init__(
        self,
        ws: Workspace | None = None,
        evaluator: str | None = None,
        jobs: JobRunner | SyncJobRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self._shown_id: int | None = None  # the session the detail pane last showed
        self.evaluator = evaluator
        self.jobs = jobs
        self.wizard: CalibrationWizard | None = None
        self._results: dict[tuple[int, str | None], SessionResults] = {}
        self._build()
        self.refresh()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.sessions = SessionListModel(self)
        self.session_view = QTableView()
        self.session_view.setModel(self.sessions)
        self.session_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.session_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.session_view.verticalHeader().hide()
        self.session_view.horizontalHeader().setStretchLastSection(True)
        self.session_view.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_current()
        )
        self.new_button = QPushButton("New session…")
        self.new_button.clicked.connect(self.new_session)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addWidget(self.session_view)

        self.header = QLabel()
        self.header.setWordWrap(True)
        self.blind_note = QLabel(BLIND_NOTE)
        self.blind_note.setWordWrap(True)
        self.blind_note.setStyleSheet("background: #eef2ff; padding: 6px; border-radius: 4px;")
        self.progress = TextTableModel(["Evaluator"], self)
        self.progress_view = QTableView()
        self.progress_view.setModel(self.progress)
        self.progress_view.verticalHeader().hide()
        self.progress_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.me_label = QLabel()
        self.my_items = QComboBox()
        self.score_button = QPushButton("Score my calibration item")
        self.score_button.clicked.connect(self.score_mine)
        self.close_button = QPushButton("Close session…")
        self.close_button.clicked.connect(self.close_session)
        mark_writes(self.new_button, self.score_button, self.close_button)
        mine = QHBoxLayout()
        mine.addWidget(self.me_label)
        mine.addWidget(self.my_items, 1)
        mine.addWidget(self.score_button)
        mine.addStretch(1)
        mine.addWidget(self.close_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a01818;")
        progress_page = QWidget()
        p_layout = QVBoxLayout(progress_page)
        for w in (self.blind_note, self.progress_view):
            p_layout.addWidget(w)
        p_layout.addLayout(mine)
        p_layout.addWidget(self.message)

        self.results_panel = ResultsPanel()
        self.hidden_label = QLabel(HIDDEN_NOTE)
        self.hidden_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results_stack = QStackedWidget()
        self.results_stack.addWidget(self.hidden_label)
        self.results_stack.addWidget(self.results_panel)
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(progress_page, "Progress")
        self.detail_tabs.addTab(self.results_stack, "Results")
        detail = QWidget()
        d_layout = QVBoxLayout(detail)
        d_layout.setContentsMargins(0, 0, 0, 0)
        d_layout.addWidget(self.header)
        d_layout.addWidget(self.detail_tabs, 1)
        self.placeholder = QLabel("Select a session, or create one with New session…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QStackedWidget()
        self.detail.addWidget(self.placeholder)
        self.detail.addWidget(detail)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([560, 1040])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split)

    # -- state ------------------------------------------------------------------------------
    def set_workspace(self, ws: Workspace | None) -> None:
        self.ws = ws
        self._results.clear()
        self.refresh()

    def set_evaluator(self, name: str | None) -> None:
        """Who is looking; in a blind open session they see only their own work."""
        if name != self.evaluator:
            self.evaluator = name
            self._show_current()

    def current_session(self) -> CalibrationSession | None:
        return self.sessions.session(self.session_view.currentIndex().row())

    def refresh(self) -> None:
        """Re-read the sessions, keeping the selected one selected."""
        current = self.current_session()
        self.new_button.setEnabled(self.ws is not None)
        sessions = calibration.list_sessions(self.ws) if self.ws else []
        self.sessions.set_sessions(sessions)
        # Nothing chosen yet: open on the newest session rather than on an empty pane.
        self.select_session(current.id if current else (sessions[-1].id if sessions else None))

    def select_session(self, session_id: int | None) -> None:
        row = self.sessions.row_of(session_id) if session_id is not None else None
        if row is None:
            self.session_view.clearSelection()
            self.session_view.setCurrentIndex(self.sessions.index(-1, -1))
            self._show_current()
            return
        self.session_view.selectRow(row)
        self._show_current()

    # -- the selected session ----------------------------------------------------------------
    def _show_current(self) -> None:
        session = self.current_session()
        self.message.clear()
        if session is None or self.ws is None:
            self.detail.setCurrentWidget(self.placeholder)
            return
        self.detail.setCurrentIndex(1)
        if session.id != self._shown_id:
            # A newly chosen session opens where its news is: results once closed, else progress.
            self._shown_id = session.id
            self.detail_tabs.setCurrentIndex(1 if session.status == "closed" else 0)
        flags = [session.status, "blind" if session.blind else "not blind",
                 "counts toward scores" if session.counts_toward_scores else
                 "does not count toward scores"]  # fmt: skip
        expert = f"expert {session.expert}" if session.expert else "no expert"
        self.header.setText(f"<b>{session.name}</b> (session {session.id}) · "
                            f"{session.scorecard_ref} · {expert} · {', '.join(flags)}")  # fmt: skip
        hidden = results_hidden(session)
        self.blind_note.setVisible(hidden)
        self._fill_progress(session)
        self._fill_mine(session)
        if hidden:
            self.results_panel.clear()
            self.results_stack.setCurrentWidget(self.hidden_label)
        else:
            self._load_results(session)

    def _fill_progress(self, session: CalibrationSession) -> None:
        statuses = calibration.progress(self.ws, session.id)
        externals = [e for _i, e in session.interactions]
        self.progress.set_headers(["Evaluator", *externals])
        rows = []
        for name in session.evaluators:
            label = name + (" (you)" if name == self.evaluator else "")
            label += " (expert)" if name == session.expert else ""
            rows.append([label, *(statuses.get(name, {}).get(e, "") for e in externals)])
        self.progress.set_rows(rows)
        self.progress_view.resizeColumnsToContents()

    def _fill_mine(self, session: CalibrationSession) -> None:
        self.my_items.clear()
        me = self.evaluator
        member = me is not None and me in session.evaluators
        if me is None:
            self.me_label.setText("Choose who you are in Scoring ▸ Choose evaluator…")
        elif not member:
            self.me_label.setText(f"You ({me}) are not an evaluator in this session.")
        else:
            self.me_label.setText(f"Your items ({me}):")
            mine = calibration.progress(self.ws, session.id).get(me, {})
            first_open = None
            for iid, external in session.interactions:
                status = mine.get(external, calibration.NOT_STARTED)
                self.my_items.addItem(f"{external} — {status}", iid)
                if first_open is None and status in (calibration.NOT_STARTED, "draft"):
                    first_open = self.my_items.count() - 1
            self.my_items.setCurrentIndex(first_open or 0)
        can_score = session.is_open and member
        self.my_items.setEnabled(can_score)
        self.score_button.setEnabled(can_score)
        self.close_button.setEnabled(session.is_open)

    def _load_results(self, session: CalibrationSession) -> None:
        key = (session.id, session.closed_at)
        if key in self._results:
            self._show_results(key, self._results[key])
            return
        self.results_panel.clear()
        self.results_stack.setCurrentWidget(self.hidden_label)
        self.hidden_label.setText("Computing the results (agreement statistics with bootstrap "
                                  "intervals)…")  # fmt: skip
        path, read_only = self.ws.path, self.ws.read_only
        if self.jobs is None:
            self._results_ready(key, compute_results(path, session.id, read_only=read_only))
            return
        self.jobs.submit(lambda _progress, _cancelled: compute_results(path, session.id,
                                                                      read_only=read_only),
                         name="calibration results",
                         on_success=lambda results: self._results_ready(key, results),
                         on_error=self._results_failed)  # fmt: skip

    def _results_ready(self, key: tuple[int, str | None], results: SessionResults) -> None:
        self._results[key] = results
        self._show_results(key, results)

    def _show_results(self, key: tuple[int, str | None], results: SessionResults) -> None:
        current = self.current_session()
        if current is None or (current.id, current.closed_at) != key:
            return  # the user moved on while it was computed
        self.results_panel.show_results(results)
        self.results_stack.setCurrentWidget(self.results_panel)

    def _results_failed(self, error: BaseException) -> None:
        text = error.message if isinstance(error, QAStudioError) else str(error)
        self.hidden_label.setText(f"The results could not be computed: {text}")

    # -- actions ----------------------------------------------------------------------------
    def new_session(self) -> CalibrationWizard | None:
        if self.ws is None:
            return None
        self.wizard = CalibrationWizard(self.ws, self.evaluator, self)
        self.wizard.sessionCreated.connect(self._created)
        self.wizard.open()
        return self.wizard

    def _created(self, session_id: int) -> None:
        self.refresh()
        self.select_session(session_id)
        self.sessionCreated.emit(session_id)

    def score_mine(self) -> int | None:
        """Open (starting it if needed) the current evaluator's evaluation of the chosen item."""
        session = self.current_session()
        iid = self.my_items.currentData()
        if session is None or self.evaluator is None or iid is None:
            return None
        try:
            record = calibration.find_evaluation(self.ws, session.id, int(iid), self.evaluator)
            if record is None:
                record = calibration.start_evaluation(self.ws, session.id, int(iid),
                                                      self.evaluator)  # fmt: skip
        except QAStudioError as exc:
            self.message.setText(exc.message)
            return None
        self._fill_progress(session)
        self.evaluationRequested.emit(record.id)
        return record.id

    def close_session(self) -> bool:
        """Ask, then close the session: results are revealed and nothing in it can change."""
        session = self.current_session()
        if session is None or not session.is_open:
            return False
        statuses = calibration.progress(self.ws, session.id)
        cells = [s for per in statuses.values() for s in per.values()]
        done = sum(1 for s in cells if s not in (calibration.NOT_STARTED, "draft"))
        answer = QMessageBox.question(
            self,
            "Close calibration session",
            f"Close “{session.name}”? {done} of {len(cells)} evaluations are submitted; "
            "drafts are left out of the results. Everyone will see everyone's answers, and "
            "nothing in the session can change afterwards.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            calibration.close_session(self.ws, session.id)
        except QAStudioError as exc:
            self.message.setText(exc.message)
            return False
        self.refresh()
        self.select_session(session.id)
        self.detail_tabs.setCurrentIndex(1)
        self.sessionClosed.emit(session.id)
        return True
