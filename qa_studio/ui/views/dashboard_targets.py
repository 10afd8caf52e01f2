"""The dashboard's targets (editable) and target misses (each with "Start RCA").

Targets are edited in place (double-click a value) or added for a new scope with the form below
the table; every change is one audited ``targets.set_target`` call. Each miss row carries a
"Start RCA" button: it opens a root-cause analysis through the RCA repository
(``rca.start_rca(ws, "kpi_miss", ref, problem)``) and emits ``rcaStarted(id)``; should that module
be unavailable, ``rcaRequested(kind, ref, problem)`` is emitted instead so the caller can act.
"Set target" and "Start RCA" are marked for ``ui.write_guard``, and the value column is not
editable while the workspace is read-only.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain import dashboard as dd
from qa_studio.domain.models import CHANNELS
from qa_studio.errors import QAStudioError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import targets as tg
from qa_studio.storage.repository.dashboard import Dashboard
from qa_studio.storage.repository.reporting import kpi_targets
from qa_studio.ui.views.dashboard_tables import TablePanel
from qa_studio.ui.write_guard import mark_writes, writes_allowed

TARGET_HEADERS = ["Team", "Channel", "Metric", "Value", "Threshold (s)", "Updated", "By"]
VALUE_COLUMN = 3
MISS_HEADERS = ["Metric", "Scope", "Actual", "Target", "Gap", "n", "RCA"]


class TargetsPanel(QWidget):
    """Stored targets (value editable) and a form for a new target."""

    targetsChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.stored: list[tg.Target] = []
        self.table = TablePanel("Targets", TARGET_HEADERS)
        self.table.model.editable = {VALUE_COLUMN}
        self.table.model.on_edit = self._edited
        self.team = QComboBox()
        self.channel = QComboBox()
        self.channel.addItem("All channels", None)
        for c in CHANNELS:
            self.channel.addItem(c, c)
        self.metric = QComboBox()
        for m in dd.METRICS:
            self.metric.addItem(dd.METRIC_LABELS[m], m)
        self.value = QDoubleSpinBox()
        self.value.setRange(0, 100000)
        self.value.setDecimals(2)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0, 7 * 24 * 3600)  # e-mail answer times run to days
        self.threshold.setValue(dd.DEFAULT_SL_THRESHOLD_S)
        self.channel.currentIndexChanged.connect(
            lambda _i: self.threshold.setValue(dd.default_sl_threshold(self.channel.currentData()))
        )
        self.threshold.setSuffix(" s")
        self.metric.currentIndexChanged.connect(self._metric_changed)
        self.set_button = QPushButton("Set target")
        self.set_button.clicked.connect(self._set_clicked)
        mark_writes(self.set_button)
        form = QHBoxLayout()
        for w in (self.team, self.channel, self.metric, QLabel("="), self.value, QLabel("within"),
                  self.threshold, self.set_button):  # fmt: skip
            form.addWidget(w)
        form.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        #: Says which workspace-wide targets are not set here and what applies instead, so
        #: that misses measured against a default are never a mystery.
        self.defaults_label = QLabel()
        self.defaults_label.setWordWrap(True)
        self.defaults_label.setObjectName("targetDefaults")
        layout.addWidget(self.defaults_label)
        layout.addLayout(form)
        self._metric_changed()

    def set_workspace(self, ws: Workspace | None, teams: list[str]) -> None:
        self.ws = ws
        self.team.clear()
        self.team.addItem("All teams", None)
        for t in teams:
            self.team.addItem(t, t)
        self.reload()

    def reload(self) -> None:
        # The window says whether writes are allowed before the screens see a new workspace.
        self.table.model.editable = {VALUE_COLUMN} if writes_allowed(self) else set()
        self.stored = tg.list_targets(self.ws) if self.ws is not None else []
        self.table.model.set_rows([
            [t.team or "All teams", t.channel or "All channels", t.metric, t.value,
             t.threshold_s, t.updated_at[:16].replace("T", " "), t.updated_by or ""]
            for t in self.stored
        ])  # fmt: skip
        self.defaults_label.setText(self.defaults_text())

    def defaults_text(self) -> str:
        """The workspace-wide targets nobody has set, with the value the dashboard uses."""
        if self.ws is None:
            return ""
        stored = {t.metric for t in self.stored if t.team is None and t.channel is None}
        kpi = kpi_targets(self.ws)
        fallback = {
            dd.QA_SCORE: "the pass mark of the scorecards in use",
            dd.AHT: f"{kpi.aht_s:g} s (voice)",
            dd.FCR: f"{kpi.fcr:g} %",
            dd.CSAT: f"{kpi.csat:g}",
            dd.SERVICE_LEVEL: f"{tg.DEFAULT_SERVICE_LEVEL:g} % answered within "
            f"{dd.DEFAULT_SL_THRESHOLD_S:g} s (calls, chats) or {dd.EMAIL_SL_THRESHOLD_S / 3600:g} h (e-mails)",
        }
        unset = [f"{dd.METRIC_LABELS[m]}: {fallback[m]}" for m in dd.METRICS if m not in stored]
        if not unset:
            return ""
        return ("Not set for all teams and channels, so these apply: " + "; ".join(unset)
                + ". Set a target below to replace one.")  # fmt: skip

    def _metric_changed(self) -> None:
        self.threshold.setEnabled(self.metric.currentData() == dd.SERVICE_LEVEL)

    def set_target(self, metric: str, value: float, team: str | None, channel: str | None,
                   threshold: float | None = None) -> bool:  # fmt: skip
        if self.ws is None:
            return False
        try:
            tg.set_target(self.ws, metric, value, team=team, channel=channel, threshold_s=threshold)
        except QAStudioError as exc:
            QMessageBox.warning(self, "Target", str(exc))
            return False
        self.reload()
        self.targetsChanged.emit()
        return True

    def _set_clicked(self) -> None:
        metric = self.metric.currentData()
        threshold = self.threshold.value() if metric == dd.SERVICE_LEVEL else None
        self.set_target(metric, self.value.value(), self.team.currentData(),
                        self.channel.currentData(), threshold)  # fmt: skip

    def _edited(self, row: int, _column: int, text: str) -> bool:
        t = self.stored[row]
        try:
            value = float(text)
        except ValueError:
            QMessageBox.warning(self, "Target", f"'{text}' is not a number.")
            return False
        return self.set_target(t.metric, value, t.team, t.channel, t.threshold_s)


class MissesPanel(QWidget):
    """Target misses, worst first, each with a "Start RCA" button."""

    rcaStarted = Signal(int)
    rcaRequested = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.dashboard: Dashboard | None = None
        self.table = TablePanel("Target misses", MISS_HEADERS)
        self.buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        header = self.table.table.horizontalHeader()
        header.setStretchLastSection(False)  # the Scope column takes the width, not the button
        header.setSectionResizeMode(MISS_HEADERS.index("Scope"), QHeaderView.ResizeMode.Stretch)

    def show_dashboard(self, ws: Workspace, dash: Dashboard) -> None:
        self.ws, self.dashboard = ws, dash
        self.table.model.set_rows([
            [dd.METRIC_LABELS[m.metric], m.scope, m.actual, m.target, m.gap, m.n, ""]
            for m in dash.misses
        ])  # fmt: skip
        self.buttons = []
        for row in range(len(dash.misses)):
            button = QPushButton("Start RCA")
            button.clicked.connect(lambda _c=False, r=row: self.start_rca(r))
            self.table.table.setIndexWidget(self.table.model.index(row, len(MISS_HEADERS) - 1),
                                            button)  # fmt: skip
            mark_writes(button)  # in the window now: off at once if it is read-only
            self.buttons.append(button)

    def start_rca(self, row: int) -> None:
        if self.dashboard is None or self.ws is None:
            return
        miss = self.dashboard.misses[row]
        ref = "/".join([miss.metric, miss.team or "all", miss.channel or "all",
                        self.dashboard.query.period.key])  # fmt: skip
        problem = miss.problem() + f", {self.dashboard.query.period.label}"
        try:
            from qa_studio.storage.repository import rca
        except ImportError:
            self.rcaRequested.emit("kpi_miss", ref, problem)
            return
        try:
            rca_id = rca.start_rca(self.ws, "kpi_miss", ref, problem)
        except QAStudioError as exc:
            QMessageBox.warning(self, "Start RCA", str(exc))
            return
        self.buttons[row].setEnabled(False)
        self.buttons[row].setText(f"RCA {rca_id} started")
        self.rcaStarted.emit(int(rca_id))
