"""A closed calibration session's results: statistics, questions, evaluators, charts, answers.

Five tabs, each answering one question a team leader asks after a session:

* **Statistics** — how much do we agree, on the form and on every answer: each statistic with its
  95 % interval, n and a plain-English sentence (or why it does not apply);
* **Questions** — which questions cause disagreement (α, percent agreement, κ); selecting one
  shows below it every evaluator's answer and comments side by side, per interaction;
* **Evaluators** — who drifts: deviation from the expert and the consensus, the share within
  tolerance, N/A habits;
* **Charts** — the same three charts the ``chart calibration`` command writes, drawn by the same
  functions (``export.chart_plots``).

The panel only ever receives results the repository released (it refuses while a blind session
is open), so nothing here needs to hide anything.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain.agreement import Stat
from qa_studio.domain.scoring import NA
from qa_studio.export import chart_plots, chart_style
from qa_studio.storage.repository.calibration import SessionResults
from qa_studio.storage.repository.chart_data_calibration import calibration_charts
from qa_studio.ui.models.calibration_models import TextTableModel

STAT_HEADERS = ("Scope", "Statistic", "Value", "95 % CI", "n", "Interpretation")
QUESTION_HEADERS = ("Question", "Text", "n", "Agreement", "α", "α: interpretation", "κ",
                    "κ: interpretation")  # fmt: skip
EVALUATOR_HEADERS = ("Evaluator", "n", "vs expert (mean)", "vs expert (|mean|)",
                     "within tolerance (expert)", "vs consensus (mean)", "vs consensus (|mean|)",
                     "within tolerance (consensus)", "N/A flags", "Interpretation")  # fmt: skip
#: (label, key in the report, sub-key) in the order the statistics table lists them.
STATISTICS = (
    ("Percent agreement", "percent_agreement", None),
    ("Krippendorff's α", "krippendorff_alpha", None),
    ("Fleiss' κ", "fleiss_kappa", None),
    ("Cohen's κ (unweighted)", "cohen_kappa", "unweighted"),
    ("Cohen's κ (linear)", "cohen_kappa", "linear"),
    ("Cohen's κ (quadratic)", "cohen_kappa", "quadratic"),
    *((f"{form} (Shrout & Fleiss)", "icc", form) for form in
      ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")),
)  # fmt: skip


def stat_cells(doc: dict) -> tuple[str, str, str]:
    """Value, interval and n of a ``Stat.as_dict()`` as shown: ``0.62``, ``0.40 to 0.80``."""
    stat = Stat.from_dict(doc)
    value = f"{stat.value:.2f}" if stat.value is not None else "n/a"
    ci = f"{stat.ci95[0]:.2f} to {stat.ci95[1]:.2f}" if stat.ci95 is not None else ""
    return value, ci, str(stat.n)


def _pick(report: dict, key: str, sub: str | None) -> tuple[dict, str]:
    stat = report[key] if sub is None else report[key][sub]
    words = report["interpretation"][key]
    return stat, (words if sub is None else words[sub])


def statistics_rows(results: SessionResults) -> list[list[str]]:
    """The statistics table: form percent scores, then every answer, each statistic a row."""
    rows = []
    for scope, report in (("Form percent scores", results.form), ("All answers", results.overall)):
        for label, key, sub in STATISTICS:
            stat, words = _pick(report, key, sub)
            rows.append([scope, label, *stat_cells(stat), words])
    return rows


def _kappa(report: dict) -> tuple[dict, str, str]:
    """Fleiss' κ, or Cohen's unweighted κ when Fleiss' does not apply (two raters, gaps)."""
    fleiss = report["fleiss_kappa"]
    if fleiss.get("value") is None and report["cohen_kappa"]["unweighted"].get("value") is not None:
        return (report["cohen_kappa"]["unweighted"], " (Cohen)",
                report["interpretation"]["cohen_kappa"]["unweighted"])  # fmt: skip
    return fleiss, "", report["interpretation"]["fleiss_kappa"]


def question_rows(results: SessionResults) -> tuple[list[list[str]], list[str]]:
    """Per question (form order): n, percent agreement, α and κ with their sentences."""
    rows, keys = [], []
    for q in results.card.questions():
        report = results.questions.get(q.key)
        if report is None:
            continue
        percent = Stat.from_dict(report["percent_agreement"])
        alpha, _ci, _n = stat_cells(report["krippendorff_alpha"])
        kappa_doc, which, kappa_words = _kappa(report)
        kappa = stat_cells(kappa_doc)[0]
        agree = f"{percent.value:.0%}" if percent.value is not None else "n/a"
        rows.append([q.key, q.text, str(report["n_units"]), agree, alpha,
                     report["interpretation"]["krippendorff_alpha"], kappa + which, kappa_words])  # fmt: skip
        keys.append(q.key)
    return rows, keys


def _dev(d) -> tuple[str, str, str]:
    if d is None or d.n == 0 or d.mean_signed is None:
        return "–", "–", "–"
    return (f"{d.mean_signed:+.1f}", f"{d.mean_absolute:.1f}",
            f"{round(d.within_tolerance * d.n)} of {d.n}")  # fmt: skip


def evaluator_rows(results: SessionResults) -> list[list[str]]:
    """Per evaluator (session order): deviations from expert and consensus, N/A flags."""
    rows = []
    for name in results.session.evaluators:
        dev = results.evaluators.get(name)
        if dev is None:
            continue
        flags = [
            f"{q}: {rate.rate:.0%} N/A vs colleagues {rate.colleagues_rate:.0%}"
            for q, per in results.na_rates.items()
            for rater, rate in per.items()
            if rater == name and rate.flagged and rate.colleagues_rate is not None
        ]
        expert = ("(the expert)", "", "") if name == results.session.expert else _dev(dev.vs_expert)
        rows.append([name, str(dev.n), *expert, *_dev(dev.vs_consensus),
                     "; ".join(flags) or "none", results.evaluator_notes.get(name, "")])  # fmt: skip
    return rows


def answer_text(value: object) -> str:
    if value is None:
        return "not answered"
    return "N/A" if value == NA else str(value)


def drill_rows(results: SessionResults, key: str) -> list[list[str]]:
    """One row per interaction: each evaluator's answer to question ``key`` and their comments."""
    rows = []
    for _iid, external in results.session.interactions:
        row = [external]
        for name in results.session.evaluators:
            text = answer_text(results.answers.get((external, key, name)))
            notes = results.comments.get((external, key, name), [])
            row.append(text + "".join(f"\n“{n}”" for n in notes))
        rows.append(row)
    return rows


def _table(model: TextTableModel, *, stretch_last: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(stretch_last)
    return view


class ResultsPanel(QWidget):
    """The results of one session; ``show_results`` fills every tab, ``clear`` empties them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: SessionResults | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.statistics = TextTableModel(STAT_HEADERS, self)
        self.statistics_view = _table(self.statistics)
        self.tabs.addTab(self.statistics_view, "Statistics")

        self.questions = TextTableModel(QUESTION_HEADERS, self)
        self.questions_view = _table(self.questions)
        self.questions_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_question(self.questions.row_data(current.row()))
        )
        self.drill_title = QLabel("Select a question to compare every evaluator's answers.")
        self.drill_title.setWordWrap(True)
        self.drill = TextTableModel(["Interaction"], self)
        self.drill_view = _table(self.drill, stretch_last=False)
        self.drill_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.drill_title)
        lower_layout.addWidget(self.drill_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.questions_view)
        split.addWidget(lower)
        self.tabs.addTab(split, "Questions")

        self.evaluators = TextTableModel(EVALUATOR_HEADERS, self)
        self.evaluators_view = _table(self.evaluators)
        self.tabs.addTab(self.evaluators_view, "Evaluators")

        self.charts = QTabWidget()
        self.deviation_plot = pg.PlotWidget()
        self.questions_plot = pg.PlotWidget()
        self.heatmap_plot = pg.PlotWidget()
        for widget, title in ((self.deviation_plot, "Deviation"),
                              (self.questions_plot, "Agreement by question"),
                              (self.heatmap_plot, "Disagreement heat map")):  # fmt: skip
            widget.setBackground("w")
            self.charts.addTab(widget, title)
        self.tabs.addTab(self.charts, "Charts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    def clear(self) -> None:
        self.results = None
        self.summary.clear()
        for model in (self.statistics, self.questions, self.evaluators, self.drill):
            model.clear()
        for widget in (self.deviation_plot, self.questions_plot, self.heatmap_plot):
            chart_style.reset(widget.getPlotItem())

    def show_results(self, results: SessionResults) -> None:
        self.results = results
        s = results.session
        submitted = sum(1 for v in results.scores.values() if v is not None)
        expert = f"expert {s.expert}" if s.expert else "no expert (compared with the consensus)"
        self.summary.setText(
            f"<b>{s.name}</b> · {s.scorecard_ref} · {len(s.interactions)} interactions · "
            f"{len(s.evaluators)} evaluators · {expert} · {submitted} scored forms · "
            f"tolerance ±{results.tolerance:g} points"
        )
        self.statistics.set_rows(statistics_rows(results))
        rows, keys = question_rows(results)
        self.questions.set_rows(rows, row_data=keys)
        self.evaluators.set_rows(evaluator_rows(results))
        self.drill.set_headers(["Interaction", *s.evaluators])
        self.drill_title.setText("Select a question to compare every evaluator's answers.")
        for view in (self.statistics_view, self.questions_view, self.evaluators_view):
            view.resizeColumnsToContents()
            view.resizeRowsToContents()
        charts = calibration_charts(results)
        chart_plots.build_deviation_plot(self.deviation_plot, charts.deviation)
        chart_plots.build_question_agreement_plot(self.questions_plot, charts.questions)
        chart_plots.build_heatmap_plot(self.heatmap_plot, charts.grid)

    def show_question(self, key: object) -> None:
        """Drill down: every evaluator's answer and comments on ``key``, per interaction."""
        if self.results is None or not isinstance(key, str):
            return
        q = self.results.card.question(key)
        self.drill_title.setText(f"<b>{q.key}</b>: {q.text}")
        self.drill.set_rows(drill_rows(self.results, key))
        self.drill_view.resizeRowsToContents()

    def select_question(self, key: str) -> None:
        """Select the question's row (as a click would) and show its answers."""
        for row in range(self.questions.rowCount()):
            if self.questions.row_data(row) == key:
                self.questions_view.selectRow(row)
                return
