"""The coaching screen: a team leader picks an agent and a period and prepares the one-to-one.

Left, the agent's score trend (the chart the ``chart agent`` command draws, by the same plot
builder) and their weakest questions against the team. Right, tabs: recent evaluations with their
comments and notes, goals with their follow-up effect (and overdue follow-ups), disputes. The
buttons write the coaching pack for this agent — or for the whole team — in a background job
with a progress bar and Cancel, record a session, print the selected evaluation (PDF or Excel),
and record the agent's acknowledgement.

The screen shows records from the repository and calls it for every change; packs are written
by ``export.coaching_pack.write_packs`` on the job runner's thread with its own connection.
Recording a session, acknowledging and disputes write, and are marked for ``ui.write_guard``;
packs and printed evaluations are files outside the workspace, so they stay on when it is
read-only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain.periods import Period, month, parse_period
from qa_studio.domain.timeutil import LONDON, parse_iso, utcnow
from qa_studio.errors import QAStudioError
from qa_studio.export.coaching_pack import PackScope
from qa_studio.export.pack_figures import development_areas, goal_suggestions
from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import chart_data, coaching, disputes, evaluations, reporting
from qa_studio.storage.repository.coaching_screen import latest_contact_day, people
from qa_studio.storage.repository.coaching_screen import recent_evaluations as recent
from qa_studio.storage.repository.evaluation_sheet import printable_evaluation
from qa_studio.storage.repository.reporting import AgentInfo
from qa_studio.ui.views.coaching_dialogs import RecordSessionDialog
from qa_studio.ui.views.coaching_panels import (
    DisputesPanel,
    EvaluationsPanel,
    GoalsPanel,
    QuestionsPanel,
)
from qa_studio.ui.views.coaching_widgets import (
    PackJobBar,
    TrendChart,
    period_choices,
    summary_html,
)
from qa_studio.ui.views.dispute_dialogs import RaiseDisputeDialog, ResolveDisputeDialog
from qa_studio.ui.views.evaluation_print import write_evaluation_form
from qa_studio.ui.write_guard import mark_writes

COACHES = ("team_leader", "qa_lead")


class CoachingView(QWidget):
    """One agent at a time (``select_agent``), one period (``set_period``)."""

    sessionRecorded = Signal(int)
    disputeChanged = Signal(int)
    #: The background job wrote these packs (paths as text).
    packsWritten = Signal(list)

    def __init__(
        self,
        ws: Workspace | None = None,
        jobs: JobRunner | SyncJobRunner | None = None,
        actor: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.jobs, self.actor = ws, jobs, actor
        self.agents: list[AgentInfo] = []
        self.agent: AgentInfo | None = None
        self.period: Period | None = None
        self.report: reporting.AgentReport | None = None
        self.recent: list = []
        self._build()
        self.set_workspace(ws)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.agent_combo = QComboBox()
        # Long team and agent names must not set the window's minimum width.
        self.agent_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.agent_combo.setMinimumContentsLength(28)
        self.agent_combo.currentIndexChanged.connect(lambda _i: self._agent_changed())
        self.period_combo = QComboBox()
        self.period_combo.setEditable(True)
        self.period_combo.setMinimumWidth(110)
        self.period_combo.activated.connect(lambda _i: self._load())
        self.period_combo.lineEdit().returnPressed.connect(self._load)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.record_button = QPushButton("Record session…")
        self.pack_button = QPushButton("Generate coaching pack…")
        self.team_button = QPushButton("Packs for team…")
        mark_writes(self.record_button)
        self.record_button.clicked.connect(self.record_session)
        self.pack_button.clicked.connect(lambda: self.generate_packs(team=False))
        self.team_button.clicked.connect(lambda: self.generate_packs(team=True))
        top = QHBoxLayout()
        top.addWidget(QLabel("Agent"))
        top.addWidget(self.agent_combo, 3)  # grows with the window, long names readable
        top.addWidget(QLabel("Period"))
        top.addWidget(self.period_combo)
        top.addStretch(1)
        for button in (
            self.record_button,
            self.pack_button,
            self.team_button,
        ):
            top.addWidget(button)
        self.job_bar = PackJobBar()
        self.job_bar.finished.connect(self._enable)
        self.job_bar.failed.connect(lambda text: QMessageBox.warning(self, "Coaching packs", text))
        self.job_bar.packsWritten.connect(self.packsWritten)

        self.plot = TrendChart()
        self.plot.setMinimumHeight(260)
        self.questions = QuestionsPanel()
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.plot)
        left.addWidget(self.questions)
        left.setSizes([420, 300])
        self.evaluations = EvaluationsPanel()
        self.print_button = self.evaluations.print_button
        self.ack_button = self.evaluations.ack_button
        self.print_button.clicked.connect(self.print_evaluation)
        self.ack_button.clicked.connect(self.acknowledge)
        self.goals = GoalsPanel()
        self.disputes = DisputesPanel()
        self.disputes.raiseRequested.connect(self.raise_dispute)
        self.disputes.resolveRequested.connect(self.resolve_dispute)
        self.evaluations.selected.connect(lambda _id: self._enable())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.evaluations, "Recent evaluations")
        self.tabs.addTab(self.goals, "Goals and follow-up")
        self.tabs.addTab(self.disputes, "Disputes")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setSizes([620, 780])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.job_bar)

    # -- workspace, agent, period ------------------------------------------------------------
    def set_workspace(self, ws: Workspace | None) -> None:
        """Show ``ws``; read it now if the screen is on show, else when it is next shown (the
        screen's queries are not worth running for a tab nobody is looking at)."""
        self.ws = ws
        self.agent = None
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Re-read on every show (evaluations signed off and disputes resolved elsewhere
        appear), but not when the window is merely restored from the task bar."""
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def set_actor(self, name: str | None) -> None:
        self.actor = name

    def refresh(self) -> None:
        """Re-read the agents (keeping the current one) and the current agent's figures."""
        current = self.agent.external_id if self.agent else None
        self.agents = reporting.resolve_agents(self.ws, everyone=True) if self.ws else []
        self.agent_combo.blockSignals(True)
        self.agent_combo.clear()
        for a in self.agents:
            self.agent_combo.addItem(
                f"{a.team or 'No team'} · {a.name} ({a.external_id})", a.external_id
            )
        self.agent_combo.blockSignals(False)
        index = self.agent_combo.findData(current) if current else -1
        self.agent_combo.setCurrentIndex(max(index, 0) if self.agents else -1)
        self._agent_changed(keep_period=index >= 0)

    def select_agent(self, external_id: str) -> None:
        index = self.agent_combo.findData(external_id)
        if index < 0:
            raise ValueError(f"no agent {external_id} in this workspace")
        self.agent_combo.setCurrentIndex(index)

    def set_period(self, key: str) -> None:
        self.period_combo.setEditText(key)
        self._load()

    def _agent_changed(self, *, keep_period: bool = False) -> None:
        ext = self.agent_combo.currentData()
        self.agent = next((a for a in self.agents if a.external_id == ext), None)
        if self.agent is not None and self.ws is not None:
            text = self.period_combo.currentText()
            latest = latest_contact_day(self.ws, self.agent.id)
            day = (
                parse_iso(latest).astimezone(LONDON).date()
                if latest
                else (utcnow().astimezone(LONDON).date())
            )
            self.period_combo.blockSignals(True)
            self.period_combo.clear()
            self.period_combo.addItems(period_choices(month(day.year, day.month)))
            self.period_combo.setEditText(
                text if keep_period and text else month(day.year, day.month).key
            )
            self.period_combo.blockSignals(False)
        self._load()

    def _load(self) -> None:
        """Fill every panel for the current agent and period."""
        self.plot.clear_chart()
        if self.ws is None or self.agent is None:
            self.summary.setText("Open a workspace with agents to prepare a one-to-one.")
            for panel in (self.questions, self.evaluations):
                panel.model.clear()
            self.goals.show_goals([], [])
            self.disputes.show_disputes([])
            self._enable()
            return
        try:
            self.period = parse_period(self.period_combo.currentText().strip())
        except QAStudioError as exc:
            self.job_bar.say(exc.message)
            return
        a, p = self.agent, self.period
        trend = chart_data.agent_trend(self.ws, a, chart_data.chart_period(self.ws, a, last=p))
        self.plot.show_trend(trend)
        self.report = reporting.agent_reports(self.ws, [a], p)[0]
        self.questions.show_questions(development_areas(self.report))
        self.recent = recent(self.ws, a.id, p)
        self.evaluations.show_evaluations(self.recent)
        self.goals.show_goals(
            coaching.follow_up(self.ws, agent=a.external_id),
            coaching.overdue_follow_ups(self.ws, agent=a.external_id),
        )
        self.disputes.show_disputes(disputes.list_disputes(self.ws, agent=a.external_id))
        self.summary.setText(summary_html(self.report))
        self._enable()

    def _enable(self) -> None:
        has = self.ws is not None and self.agent is not None
        busy = self.job_bar.busy
        selected = self.evaluations.current() if has else None
        self.record_button.setEnabled(has)
        self.pack_button.setEnabled(has and not busy)
        self.team_button.setEnabled(has and not busy and bool(self.agent and self.agent.team))
        self.print_button.setEnabled(selected is not None)
        self.ack_button.setEnabled(
            selected is not None
            and selected.status == "signed_off"
            and not selected.acknowledged_by
        )
        self.disputes.raise_button.setEnabled(has)

    # -- people ---------------------------------------------------------------------------------
    def _leaders(self) -> tuple[list[str], str | None]:
        names = people(self.ws, *COACHES)
        preferred = (
            self.actor if self.actor in names else (self.agent.leader if self.agent else None)
        )
        return names, preferred

    def _fail(self, title: str, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, QAStudioError) else str(exc)
        self.job_bar.say(message)
        QMessageBox.warning(self, title, message)

    # -- packs ----------------------------------------------------------------------------------
    def generate_packs(self, *, team: bool) -> None:
        """Ask for a folder, then write this agent's (or their team's) packs in the background."""
        if self.ws is None or self.agent is None or self.period is None or self.jobs is None:
            return
        what = f"team {self.agent.team}" if team else self.agent.name
        folder = QFileDialog.getExistingDirectory(
            self, f"Folder for the coaching packs of {what}", str(self.ws.path.parent)
        )
        if not folder:
            return
        scope = (
            PackScope.for_team(self.agent.team)
            if team
            else PackScope.for_agents(self.agent.external_id)
        )
        self.job_bar.start(self.jobs, self.ws.path, scope, self.period, folder, what)
        self._enable()

    # -- sessions, printing, acknowledgement, disputes ----------------------------------------
    def record_session(self) -> RecordSessionDialog | None:
        if self.ws is None or self.agent is None:
            return None
        names, leader = self._leaders()
        now = utcnow().astimezone(LONDON).replace(second=0, microsecond=0, tzinfo=None)
        dialog = RecordSessionDialog(
            self.ws,
            self.agent,
            leaders=names,
            leader=leader,
            recent=self.recent[:20],
            suggestions=goal_suggestions(self.report) if self.report else [],
            held=now,
            parent=self,
        )
        dialog.sessionRecorded.connect(self._session_recorded)
        dialog.open()
        return dialog

    def _session_recorded(self, session_id: int) -> None:
        self.job_bar.say(f"Recorded coaching session {session_id}.")
        self._load()
        self.tabs.setCurrentWidget(self.goals)
        self.sessionRecorded.emit(session_id)

    def print_evaluation(self) -> None:
        e = self.evaluations.current()
        if self.ws is None or e is None:
            return
        start = str(self.ws.path.parent / f"evaluation_{e.id}.pdf")
        path, chosen = QFileDialog.getSaveFileName(
            self, f"Print evaluation {e.id}", start, "PDF (*.pdf);;Excel workbook (*.xlsx)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".pdf", ".xlsx"):
            target = target.with_suffix(".xlsx" if "xlsx" in chosen else ".pdf")
        try:
            write_evaluation_form(printable_evaluation(self.ws, e.id), target)
        except (QAStudioError, OSError) as exc:
            self._fail("Print evaluation", exc)
            return
        self.job_bar.say(f"Wrote {target}.")

    def acknowledge(self) -> None:
        e = self.evaluations.current()
        if self.ws is None or self.agent is None or e is None:
            return
        answer = QMessageBox.question(
            self,
            "Acknowledge evaluation",
            f"Record that {self.agent.name} has seen and acknowledges evaluation {e.id} "
            f"({e.interaction}, {e.contact_at[:10]})?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            evaluations.acknowledge(self.ws, e.id, self.agent.external_id)
        except QAStudioError as exc:
            self._fail("Acknowledge evaluation", exc)
            return
        self.job_bar.say(f"{self.agent.name} acknowledged evaluation {e.id}.")
        self._load()

    def raise_dispute(self) -> RaiseDisputeDialog | None:
        if self.ws is None or self.agent is None:
            return None
        names, leader = self._leaders()
        selected = self.evaluations.current()
        dialog = RaiseDisputeDialog(
            self.ws,
            self.agent,
            self.recent,
            leaders=names,
            leader=leader,
            evaluation_id=selected.id if selected else None,
            parent=self,
        )
        dialog.disputeRaised.connect(self._dispute_changed)
        dialog.open()
        return dialog

    def resolve_dispute(self, dispute_id: int) -> ResolveDisputeDialog | None:
        if self.ws is None:
            return None
        leads = people(self.ws, "qa_lead")
        dialog = ResolveDisputeDialog(
            self.ws,
            disputes.get_dispute(self.ws, dispute_id),
            qa_leads=leads,
            lead=self.actor if self.actor in leads else None,
            parent=self,
        )
        dialog.disputeResolved.connect(self._dispute_changed)
        dialog.open()
        return dialog

    def _dispute_changed(self, dispute_id: int) -> None:
        self._load()
        self.tabs.setCurrentWidget(self.disputes)
        self.disputes.select(dispute_id)
        self.disputeChanged.emit(dispute_id)
