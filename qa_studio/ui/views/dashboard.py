"""The KPI dashboard: quality and contact KPIs against targets, with what missed and why to look.

Filters (period, team, agent, channel, scorecard) drive one ``dashboard()`` call whose record
every page draws from: targets and misses (each miss can start an RCA), quality charts (QA trend
with its 95 % interval and target, channels against their own targets, Pareto of failed questions,
compliance fails by regulation), contact KPI trends, the QA-vs-CSAT and AHT-vs-QA scatters (no
claim below n = 10), the agent table with intervals and "not enough evidence" flags — not a
league table — evaluator throughput and turnaround, and the training-needs matrix. Every chart
has "Save PNG…" and every table "Export…".
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain import dashboard as dd
from qa_studio.domain.periods import parse_period
from qa_studio.errors import QAStudioError
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.storage.repository.dashboard import Dashboard, DashboardQuery, dashboard
from qa_studio.storage.repository.dashboard_queries import filter_choices
from qa_studio.storage.repository.training_needs import training_matrix
from qa_studio.ui.views import dashboard_charts as dc
from qa_studio.ui.views.dashboard_tables import TablePanel, fmt
from qa_studio.ui.views.dashboard_targets import MissesPanel, TargetsPanel
from qa_studio.ui.views.training_needs import TrainingNeedsView

ALL = None
CHANNEL_HEADERS = ["Channel", "QA n", "QA mean", "QA target", "Pass %", "AHT (s)", "AHT target",
                   "FCR %", "FCR target", "CSAT", "CSAT target", "SL %", "SL target", "Missed"]  # fmt: skip
AGENT_HEADERS = ["Agent", "Id", "Team", "n", "Mean", "95 % low", "95 % high", "± points",
                 "Pass %", "CSAT", "AHT (s)", "Evidence"]  # fmt: skip
EVALUATOR_HEADERS = ["Evaluator", "Evaluations", "Median days contact → evaluation",
                     "Coached", "Median days evaluation → coaching"]  # fmt: skip
REGULATION_HEADERS = ["Regulation", "Fails", "Assessed", "Fail %", "Questions"]


def _page(widgets: list[QWidget], columns: int = 2) -> QScrollArea:
    inner = QWidget()
    grid = QGridLayout(inner)
    for i, w in enumerate(widgets):
        grid.addWidget(w, i // columns, i % columns)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


class DashboardView(QWidget):
    """The Dashboard screen."""

    dashboardShown = Signal()
    rcaStarted = Signal(int)
    rcaRequested = Signal(str, str, str)
    briefingRequested = Signal(str, list, str)

    def __init__(
        self, ws: Workspace | None = None, jobs=None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        #: A ``JobRunner`` computes the figures off the UI thread on its own connection; without
        #: one (a bare view in a script) they are computed in place.
        self.jobs = jobs
        self.current: Dashboard | None = None
        self._loading = False
        self._generation = 0
        self.period, self.team, self.agent = QComboBox(), QComboBox(), QComboBox()
        self.channel, self.scorecard = QComboBox(), QComboBox()
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(lambda: self.refresh())
        bar = QHBoxLayout()
        for label, combo in (("Period", self.period), ("Team", self.team), ("Agent", self.agent),
                             ("Channel", self.channel), ("Scorecard", self.scorecard)):  # fmt: skip
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.targets = TargetsPanel()
        self.targets.targetsChanged.connect(lambda: self.refresh())
        self.misses = MissesPanel()
        self.misses.rcaStarted.connect(self.rcaStarted)
        self.misses.rcaRequested.connect(self.rcaRequested)
        self.charts = {
            "qa_trend": dc.ChartPanel("QA score trend", dc.build_qa_trend),
            "channels": dc.ChartPanel("Channels against targets", dc.build_channels),
            "pareto": dc.ChartPanel("Pareto of failed questions", dc.build_pareto),
            "regulations": dc.ChartPanel("Compliance by regulation", dc.build_regulations),
            "aht": dc.ChartPanel("AHT trend", lambda p, d: dc.build_kpi_trend(p, d, dd.AHT)),
            "fcr": dc.ChartPanel("FCR trend", lambda p, d: dc.build_kpi_trend(p, d, dd.FCR)),
            "csat": dc.ChartPanel("CSAT trend", lambda p, d: dc.build_kpi_trend(p, d, dd.CSAT)),
            "sl": dc.ChartPanel("Service level trend",
                                lambda p, d: dc.build_kpi_trend(p, d, dd.SERVICE_LEVEL)),
            "qa_vs_csat": dc.ChartPanel("QA vs CSAT", dc.build_qa_vs_csat),
            "aht_vs_qa": dc.ChartPanel("AHT vs QA", dc.build_aht_vs_qa),
        }  # fmt: skip
        self.channel_table = TablePanel("Channels", CHANNEL_HEADERS)
        self.regulation_table = TablePanel("Compliance fails by regulation", REGULATION_HEADERS)
        self.agent_table = TablePanel("Agents", AGENT_HEADERS)
        self.evaluator_table = TablePanel("Evaluator throughput and turnaround", EVALUATOR_HEADERS)
        self.turnaround = QLabel()
        self.training = TrainingNeedsView()
        self.training.briefingRequested.connect(self.briefingRequested)
        c = self.charts
        self.pages = QTabWidget()
        self.pages.addTab(_page([self.targets, self.misses], 1), "Targets && misses")
        self.pages.addTab(_page([c["qa_trend"], c["channels"], c["pareto"], c["regulations"],
                                 self.channel_table, self.regulation_table]), "Quality")  # fmt: skip
        self.pages.addTab(_page([c["aht"], c["fcr"], c["csat"], c["sl"]]), "Contacts")
        self.pages.addTab(_page([c["qa_vs_csat"], c["aht_vs_qa"]]), "Correlations")
        self.pages.addTab(_page([self.agent_table, self.turnaround, self.evaluator_table], 1),
                          "Agents && evaluators")  # fmt: skip
        self.pages.addTab(_page([self.training], 1), "Training needs")  # scrolls: 900 px window
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.headline)
        layout.addWidget(self.pages, 1)
        self.set_workspace(ws)

    # -- filters --------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace | None) -> None:
        self.ws = ws
        self._loading = True
        try:
            choices = filter_choices(ws) if ws is not None else {}
            self._fill(self.period, [(m, m) for m in choices.get("months", [])], None)
            self._fill(self.team, [(t, t) for t in choices.get("teams", [])], "All teams")
            self._fill(self.agent, [(f"{n} ({e})", e) for e, n in choices.get("agents", [])],
                       "All agents")  # fmt: skip
            self._fill(self.channel, [(c, c) for c in choices.get("channels", [])], "All channels")
            self._fill(self.scorecard, [(n, k) for k, n in choices.get("scorecards", [])],
                       "All scorecards")  # fmt: skip
            self.targets.set_workspace(ws, choices.get("teams", []))
        finally:
            self._loading = False
        self.refresh()

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]], everything: str | None) -> None:
        combo.blockSignals(True)
        combo.clear()
        if everything is not None:
            combo.addItem(everything, ALL)
        for text, data in items:
            combo.addItem(text, data)
        combo.blockSignals(False)

    def query(self) -> DashboardQuery | None:
        key = self.period.currentData()
        if key is None:
            return None
        return DashboardQuery(parse_period(key), self.team.currentData(), self.agent.currentData(),
                              self.channel.currentData(), self.scorecard.currentData())  # fmt: skip

    # -- showing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._loading:
            return
        query = self.query() if self.ws is not None else None
        if query is None:
            self.current = None
            self.headline.setText("No contacts in this workspace yet: import some to see figures.")
            self.training.show_query(None, None)
            return
        self._generation += 1
        generation = self._generation
        limits = (self.training.fail_pct.value(), self.training.share_pct.value())
        if self.jobs is None:
            try:
                result = (dashboard(self.ws, query), training_matrix(self.ws, query, *limits))
            except QAStudioError as exc:
                QMessageBox.warning(self, "Dashboard", str(exc))
                return
            self._computed(generation, query, result)
            return
        path = self.ws.path

        def job(_progress, _cancelled):
            ws = open_workspace(path, create=False)
            try:
                return dashboard(ws, query), training_matrix(ws, query, *limits)
            finally:
                ws.close()

        self.headline.setText(self.headline.text() + " <i>(updating…)</i>")
        self.jobs.submit(job, name="dashboard",
                         on_success=lambda r: self._computed(generation, query, r),
                         on_error=lambda e: self._failed(generation, e))  # fmt: skip

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            QMessageBox.warning(self, "Dashboard", str(error))

    def _computed(self, generation: int, query: DashboardQuery, result: tuple) -> None:
        """Show a result unless the filters changed while it was being computed."""
        if generation != self._generation:
            return
        dash, matrix = result
        self.current = dash
        self._show(dash)
        self.training.show_matrix(self.ws, query, matrix)
        self.dashboardShown.emit()

    def _show(self, dash: Dashboard) -> None:
        q, k, t = dash.qa, dash.kpi, dash.targets
        ci = f"95 % CI {fmt(q.low)}–{fmt(q.high)}" if q.low is not None else "no interval"
        self.headline.setText(
            f"<b>{dash.query.period.label}</b> · QA score <b>{fmt(q.mean)} %</b> (n {q.n}, {ci}, "
            f"pass {fmt(q.pass_rate)} %; target {fmt(t[dd.QA_SCORE])}) · AHT <b>{fmt(k.aht_s, 0)} s"
            f"</b> (n {k.aht_n}; target {fmt(t[dd.AHT], 0)}) · FCR <b>{fmt(k.fcr_pct)} %</b> "
            f"(n {k.fcr_n}; target {fmt(t[dd.FCR])}) · CSAT <b>{fmt(k.csat, 2)}</b> (n {k.csat_n}; "
            f"target {fmt(t[dd.CSAT], 2)}) · Service level <b>{fmt(k.service_level_pct)} %</b> "
            f"within {dash.sl_threshold_s:g} s (n {k.sl_n}; target {fmt(t[dd.SERVICE_LEVEL])}) · "
            f"<b>{len(dash.misses)}</b> target miss(es)"
        )
        for panel in self.charts.values():
            panel.show_dashboard(dash)
        self.misses.show_dashboard(self.ws, dash)
        self.channel_table.model.set_rows([
            [c.channel, c.qa.n, c.qa.mean, c.targets[dd.QA_SCORE], c.qa.pass_rate, c.kpi.aht_s,
             c.targets[dd.AHT], c.kpi.fcr_pct, c.targets[dd.FCR], c.kpi.csat, c.targets[dd.CSAT],
             c.kpi.service_level_pct, c.targets[dd.SERVICE_LEVEL], ", ".join(c.misses)]
            for c in dash.channels
        ])  # fmt: skip
        self.regulation_table.model.set_rows([
            [r.regulation, r.failed, r.assessed, 100.0 * r.failed / r.assessed if r.assessed
             else None, ", ".join(r.questions)] for r in dash.regulations
        ])  # fmt: skip
        rows, weak = [], set()
        for i, a in enumerate(dash.agents):
            if not a.qa.enough:
                weak.add(i)
            rows.append([a.name, a.external_id, a.team or "", a.qa.n, a.qa.mean, a.qa.low,
                         a.qa.high, a.qa.half_width, a.qa.pass_rate, a.kpi.csat, a.kpi.aht_s,
                         "enough" if a.qa.enough else "not enough evidence"])  # fmt: skip
        self.agent_table.model.set_rows(rows, weak)
        self.turnaround.setText(
            f"Median days from contact to evaluation: <b>{fmt(dash.median_days_to_evaluation)}</b>"
            f" · from evaluation to coaching: <b>{fmt(dash.median_days_to_coaching)}</b>"
        )
        self.evaluator_table.model.set_rows([
            [e.evaluator, e.evaluations, e.median_days_to_evaluation, e.coached,
             e.median_days_to_coaching] for e in dash.evaluators
        ])  # fmt: skip
