"""The training-needs matrix: agent × question fail rates as a heat map, and team-wide needs.

A supervisor reads the heat map to see whether a gap is one agent's (a one-to-one) or the team's
(a briefing). Beside it, the customer's side per agent: mystery shops on their own (they also
count in the fail rates, like any evaluation), negative survey responses and the themes their
comments mention (``domain.survey_themes``; hover a count for redacted example comments, a
header for the theme's phrases), and complaint categories. Questions whose fail rate exceeds X %
for at least Y % of a team's assessed agents are listed as training needs, with "Plan a team
briefing" — it emits ``briefingRequested`` (team, question keys, topic = the questions' texts) so
the main window opens the coaching record dialog preset to that briefing. X and Y are spin boxes
(defaults 30 % and 40 %).
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
from qa_studio.export import training_tables as tt
from qa_studio.export.charts import render
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.dashboard import DashboardQuery
from qa_studio.storage.repository.training_needs import TrainingMatrix, training_matrix
from qa_studio.ui.views.dashboard_tables import Index, RowsModel, TablePanel
from qa_studio.ui.write_guard import mark_writes

#: Columns beyond this are too narrow to read on screen; the XLSX export has them all.
MAX_QUESTIONS = 40
#: Screen height per heat-map row, enough for one tick label.
ROW_PX = 18


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
    agent_ticks = [(i + 0.5, ("" if i % 2 == 0 else "\n") + a.split(" ")[0][:10])
                   for i, a in enumerate(m.agents)]  # fmt: skip
    s.set_ticks(item, "bottom", agent_ticks)
    if nq > 15:  # a tall map scrolls: name the agents above it too, where the reader starts
        item.showAxis("top")
        s.set_ticks(item, "top", agent_ticks)
    if not cols:
        label = pg.TextItem("No failed questions in this filter", color=s.TEAM, anchor=(0.5, 0.5))
        label.setPos(max(na, 1) / 2, 0.5)
        item.addItem(label)
    item.setRange(xRange=(0, max(na, 1)), yRange=(0, max(nq, 1)), padding=0)
    return item


class TipsModel(RowsModel):
    """``RowsModel`` with tooltips on cells (``tips[(row, column)]``) and headers, and long
    headers shown on two lines (the panel's "Export…" writes them as they are)."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(headers, parent)
        self.tips: dict[tuple[int, int], str] = {}
        self.header_tips: dict[int, str] = {}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            return self.tips.get((index.row(), index.column()))
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.header_tips.get(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return wrapped(self.headers[section])
        return super().headerData(section, orientation, role)


def wrapped(header: str) -> str:
    """A long header on two lines (the table is read beside many narrow number columns)."""
    if len(header) <= 10:
        return header
    if " / " in header:
        return header.replace(" / ", " /\n", 1)
    cut = header.rfind(" ", 0, len(header) // 2 + 4)
    return header if cut < 0 else header[:cut] + "\n" + header[cut + 1 :]


def fit_rows(panel: TablePanel, rows: int, most: int) -> None:
    """Give a table room for its rows (at least 3, at most ``most``; it scrolls beyond)."""
    table = panel.table
    shown = min(max(rows, 3), most)
    header = table.horizontalHeader().sizeHint().height()
    table.setMinimumHeight(header + shown * table.verticalHeader().defaultSectionSize() + 6)


def evidence(m: TrainingMatrix) -> tuple[list[str], list[list], dict, dict]:
    """The "customer evidence" table: agents with a mystery shop or a negative survey; theme
    columns only for themes mentioned at all (the export has every theme). Returns headers,
    rows, cell tooltips (example comments) and header tooltips (the phrases behind a theme)."""
    used = [j for j in range(len(m.themes)) if any(s.counts[j] for s in m.surveys)]
    heads = ["Agent", "Team", *tt.MYSTERY_HEADERS, tt.NEGATIVE_HEADER,
             *(m.themes[j].label for j in used)]  # fmt: skip
    negative_col = 2 + len(tt.MYSTERY_HEADERS)
    header_tips = {negative_col: tt.NEGATIVE_RULE}
    first = negative_col + 1
    for k, j in enumerate(used):
        header_tips[first + k] = "Comments with: " + ", ".join(m.themes[j].phrases)
    rows, tips = [], {}
    for i, (a, team) in enumerate(zip(m.agents, m.agent_teams, strict=True)):
        shop, survey = m.mystery[i], m.surveys[i]
        if not shop.n and not survey.negative:
            continue
        r = len(rows)
        rows.append([a, team, shop.n, shop.mean, shop.passed, survey.negative,
                     *(survey.counts[j] for j in used)])  # fmt: skip
        for k, j in enumerate(used):
            if survey.examples[j]:
                lines = "\n".join(f"• {e}" for e in survey.examples[j])
                tips[(r, first + k)] = (f"{survey.counts[j]} negative response(s) of {a} mention "
                                        f"{m.themes[j].label.lower()}, e.g.:\n{lines}")  # fmt: skip
    return heads, rows, tips, header_tips


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
        self.needs = TablePanel(tt.NEEDS_TITLE, tt.NEEDS_HEADERS)
        self.complaints = TablePanel("Complaints by agent and category", ["Agent", "Team"])
        self.evidence = TablePanel("Mystery shops and survey themes by agent", [])
        self.evidence.model = TipsModel([], self.evidence)
        self.evidence.table.setModel(self.evidence.model)
        self.brief_button = QPushButton("Plan a team briefing")
        self.brief_button.setToolTip("Record a team briefing on the selected need's team and "
                                     "all of that team's flagged questions")  # fmt: skip
        mark_writes(self.brief_button)
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
        brief = QHBoxLayout()
        brief.addWidget(QLabel("Select a need, then brief its team on all of the team's "
                               "flagged questions:"))  # fmt: skip
        brief.addWidget(self.brief_button)
        brief.addStretch(1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.needs)
        lower_layout.addLayout(brief)
        lower_layout.addWidget(self.complaints)
        # Full width under the heat map: one row per agent, as the heat map has one column.
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plot)
        split.addWidget(self.evidence)
        split.addWidget(lower)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
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
            for panel in (self.needs, self.complaints, self.evidence):
                panel.model.set_rows([])
            self.brief_button.setEnabled(False)
            return
        self._show(training_matrix(self.ws, self.query, self.fail_pct.value(),
                                   self.share_pct.value()))  # fmt: skip

    def _show(self, m: TrainingMatrix) -> None:
        self.matrix = m
        build_matrix_plot(self.plot, m)
        # Tall enough for every question's label (the dashboard page scrolls).
        self.plot.setMinimumHeight(max(320, 140 + ROW_PX * len(shown_questions(m))))
        self.complaints.model.headers, rows = tt.complaint_rows(m)
        self.complaints.model.set_rows(rows)
        self.complaints.setVisible(bool(m.complaint_categories))
        heads, rows, tips, header_tips = evidence(m)
        model = self.evidence.model
        model.headers, model.tips, model.header_tips = heads, tips, header_tips
        model.set_rows(rows)
        self.needs.model.set_rows(tt.needs_rows(m))
        for panel, most in ((self.evidence, 12), (self.needs, 10), (self.complaints, 8)):
            fit_rows(panel, panel.model.rowCount(), most)
        shown = len(shown_questions(m))
        shops = sum(x.n for x in m.mystery)
        negative = sum(x.negative for x in m.surveys)
        self.summary.setText(
            f"{len(m.agents)} agents × {len(m.questions)} questions assessed ({shops} mystery "
            f"shop(s) included); the heat map shows the {shown} failed at least once (Export… has "
            f"all); {negative} negative survey response(s); {len(m.needs)} team training need(s)."
        )
        self.brief_button.setEnabled(bool(m.needs))

    def _brief(self) -> None:
        if self.matrix is None or not self.matrix.needs:
            return
        rows = self.needs.table.selectionModel().selectedRows()
        index = rows[0].row() if rows else 0
        need = self.matrix.needs[index]
        texts = dict(zip(self.matrix.questions, self.matrix.question_texts, strict=True))
        team = [n.question for n in self.matrix.needs if n.team == need.team]
        keys = list(dict.fromkeys(q.split(".", 1)[-1] for q in team))
        topic = "; ".join(dict.fromkeys(texts.get(q, q) for q in team))
        self.briefingRequested.emit(need.team, keys, topic)

    def tables(self) -> list:
        return [] if self.matrix is None else tt.matrix_tables(self.matrix)

    def export(self, path: str | None = None) -> Path | None:
        if self.matrix is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export training needs",
                                                  "training-needs.xlsx", "Excel workbook (*.xlsx)")  # fmt: skip
            if not path:
                return None
        try:
            return tt.write_matrix(self.matrix, path)
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
