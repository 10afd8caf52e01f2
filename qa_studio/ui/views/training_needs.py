"""The training-needs matrix: agent × question fail rates as a heat map, and team-wide needs.

A supervisor reads the heat map to see whether a gap is one agent's (a one-to-one) or the team's
(a briefing). Questions whose fail rate exceeds X % for at least Y % of a team's assessed agents
are listed as training needs, each with "Plan a team briefing" — it emits ``briefingRequested``
(team, question keys, topic) so the main window can open the coaching screen's record dialog.
X and Y are spin boxes (defaults 30 % and 40 %). Mystery-shop evaluations count like any other.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain import dashboard as dd
from qa_studio.errors import QAStudioError
from qa_studio.export import chart_style as s
from qa_studio.export.charts import render
from qa_studio.export.table_xlsx import write_tables
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.dashboard import DashboardQuery
from qa_studio.storage.repository.training_needs import TrainingMatrix, training_matrix
from qa_studio.ui.views.dashboard_tables import TablePanel

#: Columns beyond this are too narrow to read on screen; the XLSX export has them all.
MAX_QUESTIONS = 40


def shown_questions(m: TrainingMatrix) -> list[int]:
    """Indexes of the questions the heat map shows: those failed at least once, most failed
    first (a column of zeros tells a supervisor nothing), at most ``MAX_QUESTIONS``."""
    fails = []
    for j in range(len(m.questions)):
        total = sum(round((r[j] or 0) * c[j] / 100) for r, c in zip(m.rates, m.counts, strict=True))
        if total:
            fails.append((-total, m.questions[j], j))
    return [j for _, _, j in sorted(fails)[:MAX_QUESTIONS]]


def build_matrix_plot(plot: s.PlotLike, m: TrainingMatrix) -> pg.PlotItem:
    """Heat map: questions down (most failed at the top), agents across; cell = fail rate %,
    grey where the agent was never assessed on the question."""
    item = s.plot_item(plot)
    s.reset(item)
    s.style(item, "Fail rate by question and agent (%; grey = not assessed)", "Question",
            "Agent", grid_y=False)  # fmt: skip
    cols = shown_questions(m)
    na, nq = len(m.agents), len(cols)
    image = np.full((max(na, 1), max(nq, 1)), np.nan)  # image[x, y]; question k at y = nq-1-k
    for i, row in enumerate(m.rates):
        for k, j in enumerate(cols):
            if row[j] is not None:
                image[i, nq - 1 - k] = row[j]
    item.getViewBox().setBackgroundColor("#d1d5db")
    img = pg.ImageItem(image, levels=(0, 100))
    img.setColorMap(s.HEAT)
    item.addItem(img)
    bar = pg.ColorBarItem(values=(0, 100), colorMap=s.HEAT, interactive=False, width=16)
    bar.setImageItem(img, insert_in=item)
    bar.axis.setTextPen(pg.mkPen(s.INK))
    s.track(item, bar)
    s.set_ticks(item, "left", [(nq - 1 - k + 0.5, m.questions[j][:34]) for k, j in enumerate(cols)])
    s.set_ticks(item, "bottom", [(i + 0.5, ("" if i % 2 == 0 else "\n") + a.split(" ")[0][:10])
                                 for i, a in enumerate(m.agents)])  # fmt: skip
    if not cols:
        label = pg.TextItem("No failed questions in this filter", color=s.TEAM, anchor=(0.5, 0.5))
        label.setPos(max(na, 1) / 2, 0.5)
        item.addItem(label)
    item.setRange(xRange=(0, max(na, 1)), yRange=(0, max(nq, 1)), padding=0)
    return item


class TrainingNeedsView(QWidget):
    """The matrix for the dashboard's current filter."""

    briefingRequested = Signal(str, list, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.query: DashboardQuery | None = None
        self.matrix: TrainingMatrix | None = None
        self.fail_pct = QDoubleSpinBox()
        self.fail_pct.setRange(0, 100)
        self.fail_pct.setValue(dd.DEFAULT_FAIL_PCT)
        self.fail_pct.setSuffix(" %")
        self.share_pct = QDoubleSpinBox()
        self.share_pct.setRange(0, 100)
        self.share_pct.setValue(dd.DEFAULT_AGENT_SHARE_PCT)
        self.share_pct.setSuffix(" %")
        self.fail_pct.valueChanged.connect(lambda _v: self.refresh())
        self.share_pct.valueChanged.connect(lambda _v: self.refresh())
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(lambda: self.export())
        self.png_button = QPushButton("Save PNG…")
        self.png_button.clicked.connect(lambda: self.save_png())
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(320)
        self.needs = TablePanel("Training needs", ["Team", "Question", "Text", "Agents over",
                                                   "Agents assessed", "Share (%)"])  # fmt: skip
        self.complaints = TablePanel("Complaints by agent and category", ["Agent", "Team"])
        self.brief_button = QPushButton("Plan a team briefing")
        self.brief_button.clicked.connect(self._brief)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Fail rate above"))
        bar.addWidget(self.fail_pct)
        bar.addWidget(QLabel("for at least"))
        bar.addWidget(self.share_pct)
        bar.addWidget(QLabel("of a team's agents"))
        bar.addStretch(1)
        bar.addWidget(self.png_button)
        bar.addWidget(self.export_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.summary)
        lower_layout.addWidget(self.needs)
        lower_layout.addWidget(self.complaints)
        lower_layout.addWidget(self.brief_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plot)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split)

    def show_query(self, ws: Workspace | None, query: DashboardQuery | None) -> None:
        self.ws, self.query = ws, query
        self.refresh()

    def show_matrix(self, ws: Workspace, query: DashboardQuery, matrix: TrainingMatrix) -> None:
        """Show a matrix computed elsewhere (the dashboard's background job)."""
        self.ws, self.query = ws, query
        self._show(matrix)

    def refresh(self) -> None:
        if self.ws is None or self.query is None:
            self.matrix = None
            self.needs.model.set_rows([])
            return
        self._show(training_matrix(self.ws, self.query, self.fail_pct.value(),
                                   self.share_pct.value()))  # fmt: skip

    def _show(self, m: TrainingMatrix) -> None:
        self.matrix = m
        build_matrix_plot(self.plot, m)
        texts = dict(zip(m.questions, m.question_texts, strict=True))
        self.complaints.model.headers = ["Agent", "Team", *m.complaint_categories]
        self.complaints.model.set_rows([[a, t, *c] for a, t, c in
                                        zip(m.agents, m.agent_teams, m.complaints, strict=True)
                                        if any(c)])  # fmt: skip
        self.complaints.setVisible(bool(m.complaint_categories))
        self.needs.model.set_rows([[n.team, n.question, texts.get(n.question, ""), n.agents_over,
                                    n.agents_assessed, n.share_pct] for n in m.needs])  # fmt: skip
        shown = len(shown_questions(m))
        self.summary.setText(
            f"{len(m.agents)} agents × {len(m.questions)} questions assessed; the heat map shows "
            f"the {shown} failed at least once (Export… has all); {len(m.needs)} team training "
            "need(s)."
        )
        self.brief_button.setEnabled(bool(m.needs))

    def _brief(self) -> None:
        if self.matrix is None or not self.matrix.needs:
            return
        rows = self.needs.table.selectionModel().selectedRows()
        index = rows[0].row() if rows else 0
        need = self.matrix.needs[index]
        same = [n.question.split(".", 1)[-1] for n in self.matrix.needs if n.team == need.team]
        texts = dict(zip(self.matrix.questions, self.matrix.question_texts, strict=True))
        self.briefingRequested.emit(need.team, same, texts.get(need.question, need.question))

    def tables(self) -> list:
        m = self.matrix
        if m is None:
            return []
        heads = ["Agent", "Team", *m.questions]
        rates = [[a, t, *r] for a, t, r in zip(m.agents, m.agent_teams, m.rates, strict=True)]
        counts = [[a, t, *c] for a, t, c in zip(m.agents, m.agent_teams, m.counts, strict=True)]
        tables = [("Fail rates (%)", heads, rates), ("Assessed (n)", heads, counts),
                  (self.needs.title, self.needs.model.headers, self.needs.model.rows)]  # fmt: skip
        if m.complaint_categories:
            tables.append(("Complaints", self.complaints.model.headers, self.complaints.model.rows))
        return tables

    def export(self, path: str | None = None) -> Path | None:
        if self.matrix is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export training needs",
                                                  "training-needs.xlsx", "Excel workbook (*.xlsx)")  # fmt: skip
            if not path:
                return None
        try:
            return write_tables(self.tables(), path)
        except QAStudioError as exc:
            QMessageBox.warning(self, "Export", str(exc))
            return None

    def save_png(self, path: str | None = None) -> Path | None:
        if self.matrix is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save heat map", "training-needs.png",
                                                  "PNG image (*.png)")  # fmt: skip
            if not path:
                return None
        m = self.matrix
        height = max(600, 160 + 24 * len(shown_questions(m)))
        try:
            return render(lambda c: build_matrix_plot(c.addPlot(), m), path, (1200, height))
        except QAStudioError as exc:
            QMessageBox.warning(self, "Save PNG", str(exc))
            return None
