"""The dashboard's charts: ``build_*(plot, dashboard)`` functions and a panel with "Save PNG…".

Each builder draws from the ``Dashboard`` record only (no database), in the house style of
``export.chart_style``, so the screen and the PNG file are the same drawing: "Save PNG…" (button
or the chart's context menu) re-draws the chart off-screen at 1000 × 600 through
``export.charts.render``. Every chart says what it rests on: months and channels carry their n,
scatter titles the correlation with its interval or "no claim".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain import dashboard as dd
from qa_studio.errors import QAStudioError
from qa_studio.export import chart_style as s
from qa_studio.export.charts import render
from qa_studio.storage.repository.dashboard import Dashboard

Builder = Callable[[s.PlotLike, Dashboard], pg.PlotItem]
NAN = float("nan")
BAR = "#1f5fa8"
MISS = "#c2410c"


def _arr(values) -> np.ndarray:
    return np.array([NAN if v is None else float(v) for v in values], dtype=float)


def _empty(item: pg.PlotItem, text: str) -> pg.PlotItem:
    label = pg.TextItem(text, color=s.TEAM, anchor=(0.5, 0.5))
    label.setPos(0.5, 0.5)
    item.addItem(label)
    item.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    return item


def _finish(item: pg.PlotItem, labels: list[str], values: list[float], lo0: bool = True) -> None:
    s.set_ticks(item, "bottom", [(float(i), t) for i, t in enumerate(labels)])
    finite = [v for v in values if v == v]
    low = 0.0 if lo0 or not finite else min(finite)
    high = max(finite) if finite else 1.0
    low, high = s.pad(low, high if high > low else low + 1, 0.08)
    s.set_ticks(item, "left", s.nice_ticks(low, high, 8))
    s.place_legend(item)
    item.setRange(xRange=(-0.6, max(len(labels), 1) - 0.4), yRange=(low, high), padding=0)


def build_qa_trend(plot: s.PlotLike, dash: Dashboard) -> pg.PlotItem:
    """Mean QA score by month with its 95 % band and the target line."""
    item = s.plot_item(plot)
    s.reset(item)
    s.style(item, "QA score by month", "Mean score (%)", "Month of contact (n = evaluations)")
    if not any(m.qa.mean is not None for m in dash.trend):
        return _empty(item, "No counted evaluations in these months")
    key = s.legend(item, columns=3)
    months = dash.trend
    x = np.arange(len(months), dtype=float)
    mean = _arr([m.qa.mean for m in months])
    low = np.clip(_arr([m.qa.low for m in months]), 0, 100)
    high = np.clip(_arr([m.qa.high for m in months]), 0, 100)
    ok = np.isfinite(low) & np.isfinite(high)
    if ok.any():
        item.addItem(pg.ErrorBarItem(x=x[ok], y=mean[ok], top=high[ok] - mean[ok],
                                     bottom=mean[ok] - low[ok], beam=0.15,
                                     pen=pg.mkPen(s.BAND[:3], width=2)))  # fmt: skip
        key.addItem(s.legend_line("#{:02x}{:02x}{:02x}".format(*s.BAND[:3])), "95 % CI")
    item.plot(x, mean, pen=pg.mkPen(s.AGENT, width=3), symbol="o", symbolSize=9,
              symbolBrush=s.AGENT, symbolPen="w", connect="finite", name="Mean QA score")  # fmt: skip
    values = [*mean, *low, *high]
    target = dash.targets.get(dd.QA_SCORE)
    if target is not None:
        item.plot([-0.5, len(months) - 0.5], [target] * 2,
                  pen=pg.mkPen(s.TARGET, width=2, dash=[8, 4]), name=f"Target {target:g} %")  # fmt: skip
        values.append(target)
    finite = [v for v in values if v == v]
    bottom, top = s.percent_range(finite) if finite else (0.0, 100.0)
    s.set_ticks(
        item, "bottom", [(float(i), f"{m.label}\nn = {m.qa.n}") for i, m in enumerate(months)]
    )
    s.set_ticks(item, "left", s.nice_ticks(bottom, top, 8))
    s.place_legend(item)
    item.setRange(xRange=(-0.5, len(months) - 0.5), yRange=s.pad(bottom, top), padding=0)
    return item


def build_channels(plot: s.PlotLike, dash: Dashboard) -> pg.PlotItem:
    """QA score per channel (bars; red where the channel misses its target) and each
    channel's target as a dash."""
    item = s.plot_item(plot)
    s.reset(item)
    s.style(item, "QA score by channel against each channel's target", "Mean score (%)",
            "Channel (n = evaluations)")  # fmt: skip
    rows = [c for c in dash.channels if c.qa.n]
    if not rows:
        return _empty(item, "No counted evaluations in this filter")
    key = s.legend(item, columns=3)
    x = np.arange(len(rows), dtype=float)
    means = [c.qa.mean or 0.0 for c in rows]
    brushes = [MISS if dd.QA_SCORE in c.misses else BAR for c in rows]
    item.addItem(pg.BarGraphItem(x=x, height=means, width=0.6, brushes=brushes, pen=None))
    key.addItem(s.legend_swatch(BAR), "Mean (met)")
    key.addItem(s.legend_swatch(MISS), "Mean (missed)")
    targets = [c.targets.get(dd.QA_SCORE) for c in rows]
    shown = [(i, t) for i, t in enumerate(targets) if t is not None]
    if shown:
        item.plot([i for i, _ in shown], [t for _, t in shown], pen=None, symbol="t1",
                  symbolSize=16, symbolBrush=s.TARGET, symbolPen=s.TARGET, name="Target")  # fmt: skip
    _finish(item, [f"{c.channel}\nn = {c.qa.n}" for c in rows],
            means + [t for _, t in shown])  # fmt: skip
    return item


def build_pareto(plot: s.PlotLike, dash: Dashboard, limit: int = 10) -> pg.PlotItem:
    """Failed questions by count (bars, % of all fails) and the cumulative share (line)."""
    item = s.plot_item(plot)
    s.reset(item)
    bars = dash.pareto[:limit]
    total = sum(b.count for b in dash.pareto)
    s.style(item, f"Pareto of failed questions ({total} fails; top {len(bars)})",
            "Share of fails (%)", "Question (fails)")  # fmt: skip
    if not bars:
        return _empty(item, "No failed questions in this filter")
    key = s.legend(item, columns=3)
    x = np.arange(len(bars), dtype=float)
    item.addItem(pg.BarGraphItem(x=x, height=[b.share for b in bars], width=0.6, brush=BAR))
    key.addItem(s.legend_swatch(BAR), "Share of fails")
    item.plot(x, [b.cumulative for b in bars], pen=pg.mkPen(s.TARGET, width=2), symbol="o",
              symbolSize=7, symbolBrush=s.TARGET, name="Cumulative share")  # fmt: skip
    item.plot([-0.5, len(bars) - 0.5], [80, 80], pen=pg.mkPen(s.TEAM, width=1, dash=[4, 4]),
              name="80 %")  # fmt: skip
    # Alternate label rows so that neighbouring question keys never overlap.
    labels = [("" if i % 2 == 0 else "\n\n") + f"{b.label.split('.', 1)[-1][:16]}\n{b.count}"
              for i, b in enumerate(bars)]  # fmt: skip
    _finish(item, labels, [100.0])
    return item


def build_regulations(plot: s.PlotLike, dash: Dashboard) -> pg.PlotItem:
    """Compliance fail rate per regulation reference (horizontal bars, most fails at the top)."""
    item = s.plot_item(plot)
    s.reset(item)
    s.style(item, "Compliance fails by regulation", "Regulation (fails / assessed)",
            "Fail rate (%)", grid_x=True, grid_y=False)  # fmt: skip
    rows = dash.regulations[:10]
    if not rows:
        return _empty(item, "No questions with a regulation were assessed")
    rates = [100.0 * r.failed / r.assessed if r.assessed else 0.0 for r in rows]
    k = len(rows)
    y = np.array([k - 1 - i for i in range(k)], dtype=float)
    item.addItem(pg.BarGraphItem(x0=0, y=y, height=0.6, width=rates, brush=MISS, pen=None))
    s.set_ticks(item, "left", [(float(k - 1 - i), f"{r.regulation.split(';')[0][:30]} "
                                f"({r.failed}/{r.assessed})") for i, r in enumerate(rows)])  # fmt: skip
    high = max(rates) if max(rates) > 0 else 10.0
    s.set_ticks(item, "bottom", s.nice_ticks(0, high * 1.08, 6))
    item.setRange(xRange=(0, high * 1.08), yRange=(-0.6, k - 0.4), padding=0)
    return item


_KPI = {
    dd.AHT: ("AHT by month (voice)", "Seconds", lambda k: k.aht_s, lambda k: k.aht_n),
    dd.FCR: ("FCR by month", "Resolved first time (%)", lambda k: k.fcr_pct, lambda k: k.fcr_n),
    dd.CSAT: ("CSAT by month", "Mean survey score (1–5)", lambda k: k.csat, lambda k: k.csat_n),
    dd.SERVICE_LEVEL: ("Service level by month", "Answered in time (%)",
                       lambda k: k.service_level_pct, lambda k: k.sl_n),
}  # fmt: skip


def build_kpi_trend(plot: s.PlotLike, dash: Dashboard, metric: str) -> pg.PlotItem:
    title, unit, value, count = _KPI[metric]
    item = s.plot_item(plot)
    s.reset(item)
    s.style(item, title, unit, "Month of contact (n = contacts with a value)")
    if not any(value(m.kpi) is not None for m in dash.trend):
        return _empty(item, "No contacts with a value in these months")
    s.legend(item, columns=2)
    months = dash.trend
    x = np.arange(len(months), dtype=float)
    y = _arr([value(m.kpi) for m in months])
    item.plot(x, y, pen=pg.mkPen(s.AGENT, width=3), symbol="o", symbolSize=8, symbolBrush=s.AGENT,
              symbolPen="w", connect="finite", name="Actual")  # fmt: skip
    values = list(y)
    target = dash.targets.get(metric)
    if target is not None:
        item.plot([-0.5, len(months) - 0.5], [target] * 2,
                  pen=pg.mkPen(s.TARGET, width=2, dash=[8, 4]), name=f"Target {target:g}")  # fmt: skip
        values.append(target)
    _finish(item, [f"{m.label}\nn = {count(m.kpi)}" for m in months], values, lo0=False)
    return item


def _scatter(plot: s.PlotLike, title: str, xs, ys, xl: str, yl: str, c: dd.Correlation):
    item = s.plot_item(plot)
    s.reset(item)
    s.style(item, f"{title}: {c.note}", yl, xl, grid_x=True)
    if not xs:
        return _empty(item, "No agents with both figures")
    item.addItem(pg.ScatterPlotItem(x=xs, y=ys, size=10, brush=pg.mkBrush(s.POINTS),
                                    pen=pg.mkPen("w")))  # fmt: skip
    lx, hx = s.pad(min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1, 0.08)
    ly, hy = s.pad(min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1, 0.08)
    s.set_ticks(item, "bottom", s.nice_ticks(lx, hx, 8))
    s.set_ticks(item, "left", s.nice_ticks(ly, hy, 8))
    item.setRange(xRange=(lx, hx), yRange=(ly, hy), padding=0)
    return item


def build_qa_vs_csat(plot: s.PlotLike, dash: Dashboard) -> pg.PlotItem:
    pts = [(a.qa.mean, a.kpi.csat) for a in dash.agents
           if a.qa.mean is not None and a.kpi.csat is not None]  # fmt: skip
    return _scatter(plot, "QA vs CSAT per agent", [p[0] for p in pts], [p[1] for p in pts],
                    "Agent's mean QA score (%)", "Agent's mean CSAT", dash.qa_vs_csat)  # fmt: skip


def build_aht_vs_qa(plot: s.PlotLike, dash: Dashboard) -> pg.PlotItem:
    pts = [(a.kpi.aht_s, a.qa.mean) for a in dash.agents
           if a.qa.mean is not None and a.kpi.aht_s is not None]  # fmt: skip
    return _scatter(plot, "AHT vs QA per agent", [p[0] for p in pts], [p[1] for p in pts],
                    "Agent's AHT (s)", "Agent's mean QA score (%)", dash.aht_vs_qa)  # fmt: skip


class ChartPanel(QWidget):
    """A chart on screen with "Save PNG…" (button and context menu)."""

    saved = Signal(str)

    def __init__(self, name: str, builder: Builder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name, self.builder = name, builder
        self.dashboard: Dashboard | None = None
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(300)
        self.plot.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.plot.customContextMenuRequested.connect(self._menu)
        self.save_button = QPushButton("Save PNG…")
        self.save_button.clicked.connect(lambda: self.save_png())
        head = QHBoxLayout()
        head.addWidget(QLabel(f"<b>{name}</b>"))
        head.addStretch(1)
        head.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.plot)

    def show_dashboard(self, dash: Dashboard) -> None:
        self.dashboard = dash
        self.builder(self.plot, dash)

    def _menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction("Save PNG…", lambda: self.save_png())
        menu.popup(self.plot.mapToGlobal(pos))

    def save_png(self, path: str | None = None) -> Path | None:
        """Draw the chart off-screen (1000 × 600) into ``path`` (asked for when None)."""
        if self.dashboard is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, f"Save {self.name}", f"{self.name}.png",
                                                  "PNG image (*.png)")  # fmt: skip
            if not path:
                return None
        dash = self.dashboard
        try:
            written = render(lambda c: self.builder(c.addPlot(), dash), path)
        except QAStudioError as exc:
            QMessageBox.warning(self, "Save PNG", str(exc))
            return None
        self.saved.emit(str(written))
        return written
