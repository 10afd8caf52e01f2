"""The one drawing path for QA Studio's charts: ``build_*_plot(plot, data)``.

The calibration screen draws into its ``PlotWidget``s and the PNG exporter (``charts``) into an
off-screen layout with these same functions, so a chart looks the same on screen, in a file and
in a test. Each function clears the plot and draws the data afresh (a screen calls it again when
the data changes) and returns the ``PlotItem``. Every figure says what it rests on: months carry
the agent's and team's n, evaluators their n and offset, questions their n.

The data are plain records from ``storage.repository.chart_data`` (agent charts) and
``chart_data_calibration`` (session charts); nothing here reads a database.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from qa_studio.export import chart_style as s
from qa_studio.storage.repository.chart_data import AgentCalibration, AgentTrend
from qa_studio.storage.repository.chart_data_calibration import (
    DeviationChart,
    DisagreementGrid,
    QuestionAgreement,
)

TENTATIVE, RELIABLE = 0.667, 0.8
NAN = float("nan")


def _array(values: list[float | None]) -> np.ndarray:
    return np.array([NAN if v is None else float(v) for v in values], dtype=float)


def _runs(mask: np.ndarray) -> list[slice]:
    """Consecutive stretches where ``mask`` holds (months that have an interval)."""
    out, start = [], None
    for i, flag in enumerate([*mask, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append(slice(start, i))
            start = None
    return out


def _band(item: pg.PlotItem, x: np.ndarray, mid: np.ndarray, low: np.ndarray,
          high: np.ndarray) -> None:  # fmt: skip
    """The 95 % band: shaded between the bounds over each run of two or more months, a
    whisker where a month with an interval stands alone."""
    edge = pg.mkPen(s.BAND[:3], width=1)
    for run in _runs(np.isfinite(low) & np.isfinite(high)):
        if run.stop - run.start > 1:
            lo = pg.PlotDataItem(x[run], low[run], pen=edge)
            hi = pg.PlotDataItem(x[run], high[run], pen=edge)
            item.addItem(lo)
            item.addItem(hi)
            item.addItem(pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(s.BAND)))
        else:
            item.addItem(pg.ErrorBarItem(x=x[run], y=mid[run], top=high[run] - mid[run],
                                         bottom=mid[run] - low[run], beam=0.12,
                                         pen=pg.mkPen(s.BAND[:3], width=2)))  # fmt: skip


def build_agent_trend_plot(plot: s.PlotLike, data: AgentTrend) -> pg.PlotItem:
    """Chart 1: the agent's monthly mean with its 95 % band, the team's mean and the target;
    each month's label carries the n of agent and team."""
    item = s.plot_item(plot)
    s.reset(item)
    a = data.agent
    s.style(item, f"{a.name} ({a.external_id}): score by month", "Mean score (%)",
            "Month of contact (n = agent's evaluations · team's)")  # fmt: skip
    key = s.legend(item, columns=4)
    months = data.months
    x = np.arange(len(months), dtype=float)
    agent_y = _array([m.mean for m in months])
    team_y = _array([m.team_mean for m in months])
    low = np.clip(_array([m.ci_low for m in months]), 0, 100)
    high = np.clip(_array([m.ci_high for m in months]), 0, 100)
    # A series with no value at all (an agent not yet scored, an agent with no team) is left
    # out: pyqtgraph warns while painting an all-NaN curve, and there is nothing to show.
    if np.isfinite(agent_y).any():
        _band(item, x, agent_y, low, high)
        key.addItem(s.legend_swatch(s.BAND), "95 % CI of agent mean")
        item.plot(x, agent_y, pen=pg.mkPen(s.AGENT, width=3), symbol="o", symbolSize=9,
                  symbolBrush=s.AGENT, symbolPen="w", connect="finite", name="Agent mean")  # fmt: skip
    if np.isfinite(team_y).any():
        item.plot(x, team_y, pen=pg.mkPen(s.TEAM, width=2, dash=[4, 3]), symbol="s",
                  symbolSize=7, symbolBrush=s.TEAM, symbolPen=s.TEAM, connect="finite",
                  name=f"Team mean ({a.team or 'no team'})")  # fmt: skip
    values = [v for v in (*agent_y, *team_y, *low) if np.isfinite(v)]
    if data.target is not None:
        item.plot([-0.5, len(months) - 0.5], [data.target] * 2,
                  pen=pg.mkPen(s.TARGET, width=2, dash=[8, 4]),
                  name=f"Target {s.fmt_number(data.target)} %")  # fmt: skip
        values.append(data.target)
    s.set_ticks(item, "bottom",
                [(float(i), f"{m.label}\nn = {m.n} · {m.team_n}") for i, m in enumerate(months)])  # fmt: skip
    bottom, top = s.percent_range(values)
    s.set_ticks(item, "left", s.nice_ticks(bottom, top, 10))
    s.place_legend(item)
    item.setRange(xRange=(-0.5, len(months) - 0.5), yRange=s.pad(bottom, top), padding=0)
    return item


def _jitter(count: int, width: float = 0.28) -> np.ndarray:
    """Evenly spread x offsets (deterministic, so a chart is the same every time)."""
    return np.linspace(-width / 2, width / 2, count) if count > 1 else np.zeros(count)


def build_agent_calibration_plot(plot: s.PlotLike, data: AgentCalibration) -> pg.PlotItem:
    """Chart 2: the agent's scores by evaluator, each evaluator's leniency offset, and the
    agent's mean raw and with each evaluator's offset taken out."""
    item = s.plot_item(plot)
    s.reset(item)
    a = data.agent
    s.style(item, f"{a.name} ({a.external_id}): scores by evaluator, raw and less leniency",
            "Score (%)", "Evaluator (leniency offset from calibration sessions · n)")  # fmt: skip
    key = s.legend(item, columns=2)
    xs: list[float] = []
    ys: list[float] = []
    for i, e in enumerate(data.evaluators):
        xs.extend(i + _jitter(len(e.scores)))
        ys.extend(e.scores)
    values = list(ys)
    scatter = pg.ScatterPlotItem(xs, ys, size=8, brush=pg.mkBrush(s.POINTS), pen=pg.mkPen("w"))
    item.addItem(scatter)
    key.addItem(scatter, "One evaluation")
    for i, e in enumerate(data.evaluators):
        if e.mean is None:
            continue
        item.plot([i - 0.3, i + 0.3], [e.mean] * 2, pen=pg.mkPen(s.INK, width=3))
        if e.offset is not None and e.adjusted_mean is not None:
            item.plot([i - 0.3, i + 0.3], [e.adjusted_mean] * 2,
                      pen=pg.mkPen(s.ADJUSTED, width=3, dash=[5, 3]), symbol="d", symbolSize=11,
                      symbolBrush=s.ADJUSTED, symbolPen=s.ADJUSTED)  # fmt: skip
            values.append(e.adjusted_mean)
    key.addItem(s.legend_line(s.INK), "Evaluator's mean, raw")
    if data.has_calibration:
        key.addItem(s.legend_line(s.ADJUSTED, dash=[5, 3], symbol="d"),
                    "Evaluator's mean less their leniency offset")  # fmt: skip
    span = (-0.5, max(len(data.evaluators), 1) - 0.5)
    if data.raw_mean is not None:
        item.plot(span, [data.raw_mean] * 2, pen=pg.mkPen(s.AGENT, width=1.5, dash=[2, 3]),
                  name=f"Agent mean, raw: {data.raw_mean:.1f} (n = {data.n})")  # fmt: skip
    if data.has_calibration and data.adjusted_mean is not None:
        item.plot(span, [data.adjusted_mean] * 2,
                  pen=pg.mkPen(s.ADJUSTED, width=1.5, dash=[2, 3]),
                  name=f"Agent mean adjusted for leniency: {data.adjusted_mean:.1f} "
                       f"({data.n_adjusted} of {data.n} scores by calibrated evaluators)")  # fmt: skip
        values.append(data.adjusted_mean)
    labels = []
    for i, e in enumerate(data.evaluators):
        offset = "not calibrated" if e.offset is None else f"offset {s.fmt_signed(e.offset)}"
        labels.append((float(i), f"{e.evaluator}\n{offset} · n = {len(e.scores)}"))
    s.set_ticks(item, "bottom", labels)
    bottom, top = s.percent_range(values)
    s.set_ticks(item, "left", s.nice_ticks(bottom, top, 10))
    s.place_legend(item)
    item.setRange(xRange=span, yRange=s.pad(bottom, top), padding=0)
    return item


def _box(item: pg.PlotItem, x: float, values: np.ndarray) -> None:
    """A box (quartiles), median bar and min–max whiskers; only with three or more values."""
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    pen = pg.mkPen(s.INK, width=1.5)
    item.addItem(pg.BarGraphItem(x=[x], y0=[q1], height=[max(q3 - q1, 0.05)], width=0.5,
                                 brush=pg.mkBrush(255, 255, 255, 0), pen=pen))  # fmt: skip
    item.plot([x - 0.25, x + 0.25], [median] * 2, pen=pg.mkPen(s.INK, width=3))
    item.plot([x, x], [values.min(), q1], pen=pen)
    item.plot([x, x], [q3, values.max()], pen=pen)


def build_deviation_plot(plot: s.PlotLike, data: DeviationChart, title: str = "") -> pg.PlotItem:
    """Chart 3: each evaluator's form-score difference from the expert (or consensus) per
    interaction, a box where there are three or more, and the shaded tolerance band."""
    item = s.plot_item(plot)
    s.reset(item)
    who = "the expert" if data.reference == "expert" else "the consensus"
    s.style(item, title or f"Deviation from {data.reference_text}",
            f"Form score minus {who} (points)",
            "Evaluator (n interactions · mean deviation)")  # fmt: skip
    key = s.legend(item, columns=3)
    span = (-0.6, max(len(data.evaluators), 1) - 0.4)
    tol = data.tolerance
    edge = pg.mkPen(s.TOLERANCE[:3], width=1)
    lower, upper = pg.PlotDataItem(span, [-tol] * 2, pen=edge), pg.PlotDataItem(span, [tol] * 2,
                                                                                pen=edge)  # fmt: skip
    for part in (lower, upper, pg.FillBetweenItem(lower, upper, brush=pg.mkBrush(s.TOLERANCE))):
        item.addItem(part)
    key.addItem(s.legend_swatch(s.TOLERANCE), f"Tolerance ±{s.fmt_number(tol)} points")
    item.plot(span, [0, 0], pen=pg.mkPen(s.AXIS, width=1))
    xs: list[float] = []
    ys: list[float] = []
    extent = [tol]
    for i, e in enumerate(data.evaluators):
        values = np.array(e.deviations, dtype=float)
        if values.size >= 3:
            _box(item, i, values)
        xs.extend(i + _jitter(values.size, 0.36))
        ys.extend(values)
        extent.extend(abs(values))
    scatter = pg.ScatterPlotItem(xs, ys, size=9, brush=pg.mkBrush(s.POINTS), pen=pg.mkPen("w"))
    item.addItem(scatter)
    key.addItem(scatter, "One interaction")
    key.addItem(s.legend_line(s.INK), "Median and quartiles (3+ interactions)")
    s.set_ticks(item, "bottom", [(float(i), f"{e.evaluator}\nn = {e.n} · mean "
                                 f"{s.fmt_signed(e.mean)}") for i, e in enumerate(data.evaluators)])  # fmt: skip
    reach = max(extent) * 1.1 + 1
    s.set_ticks(item, "left", s.nice_ticks(-reach, reach, 8))
    s.place_legend(item)
    item.setRange(xRange=span, yRange=(-reach, reach), padding=0)
    return item


def _why_no_alpha(row: QuestionAgreement) -> str:
    """A few words on the chart; the full reason is in the results table."""
    if row.n < 2:
        return "α n/a: fewer than 2 interactions rated"
    if row.percent is not None and row.percent >= 1.0 - 1e-9:
        return "α n/a: every answer the same"
    return "α n/a"


def build_question_agreement_plot(
    plot: s.PlotLike, rows: tuple[QuestionAgreement, ...], title: str = ""
) -> pg.PlotItem:
    """Chart 4: per question, Krippendorff's α and percent agreement as horizontal bars (first
    question at the top), with α's 0.667 and 0.8 reference lines; n in each question's label."""
    item = s.plot_item(plot)
    s.reset(item)
    s.style(item, title or "Agreement by question", "Question (n interactions)",
            "Agreement (α; share of agreeing pairs)", grid_x=True, grid_y=False)  # fmt: skip
    key = s.legend(item, columns=2)
    k = len(rows)
    y = np.arange(k - 1, -1, -1, dtype=float)  # first question at the top
    for values, shift, colour, name in (
        ([r.alpha for r in rows], 0.19, s.ALPHA_BAR, "Krippendorff's α (interval)"),
        ([r.percent for r in rows], -0.19, s.PERCENT_BAR, "Percent agreement (not chance-corrected)"),
    ):  # fmt: skip
        width = _array(values)
        present = np.isfinite(width)
        bars = pg.BarGraphItem(x0=np.zeros(int(present.sum())), y=y[present] + shift,
                               width=width[present], height=0.36, brush=colour, pen=None)  # fmt: skip
        item.addItem(bars)
        key.addItem(bars, name)
    for r, row_y in zip(rows, y, strict=True):
        if r.alpha is None:
            text = pg.TextItem(_why_no_alpha(r), color=s.TARGET, anchor=(0, 0.5))
            text.setPos(0.01, row_y + 0.19)
            item.addItem(text)
    for value, colour, name in ((TENTATIVE, s.TENTATIVE_COLOUR, "α ≥ 0.667: tentative"),
                                (RELIABLE, s.RELIABLE_COLOUR, "α ≥ 0.8: reliable")):  # fmt: skip
        item.plot([value, value], [-0.6, k - 0.4], pen=pg.mkPen(colour, width=2, dash=[6, 4]),
                  name=name)  # fmt: skip
    low = max(-1.0, min([-0.1, *(r.alpha - 0.05 for r in rows if r.alpha is not None)]))
    s.set_ticks(item, "left", [(float(row_y), f"{r.key} (n = {r.n})")
                               for r, row_y in zip(rows, y, strict=True)])  # fmt: skip
    s.set_ticks(item, "bottom", [(v / 10, f"{v / 10:g}") for v in range(-10, 11, 2)
                                 if v / 10 >= low - 1e-9])  # fmt: skip
    s.place_legend(item)
    item.setRange(xRange=(low, 1.02), yRange=(-0.6, k - 0.4), padding=0)
    return item


def build_heatmap_plot(plot: s.PlotLike, grid: DisagreementGrid, title: str = "") -> pg.PlotItem:
    """Chart 5: evaluator × question grid of mean |answer − consensus| (points), colour-coded
    with a colour bar, each cell printed; "–" where there was nothing to compare."""
    item = s.plot_item(plot)
    s.reset(item)
    s.style(item, title or "Where evaluators disagree", "Question",
            "Evaluator (cell: mean |answer − consensus of the others|, points)",
            grid_y=False)  # fmt: skip
    nq, ne = len(grid.questions), len(grid.evaluators)
    image = np.full((max(ne, 1), max(nq, 1)), NAN)  # image[x, y]; question j at y = nq-1-j
    for j, row in enumerate(grid.values):
        for i, value in enumerate(row):
            if value is not None:
                image[i, nq - 1 - j] = value
    top = max(20.0, float(np.ceil((grid.maximum or 0.0) / 10) * 10))
    img = pg.ImageItem(image, levels=(0, top))
    img.setColorMap(s.HEAT)
    item.addItem(img)
    for j, row in enumerate(grid.values):
        for i, value in enumerate(row):
            dark = value is not None and value > 0.7 * top
            cell = pg.TextItem("–" if value is None else f"{value:.0f}",
                               color="#ffffff" if dark else s.INK, anchor=(0.5, 0.5))  # fmt: skip
            cell.setPos(i + 0.5, nq - 1 - j + 0.5)
            item.addItem(cell)
    bar = pg.ColorBarItem(values=(0, top), colorMap=s.HEAT, interactive=False, width=18)
    bar.setImageItem(img, insert_in=item)
    bar.axis.setTextPen(pg.mkPen(s.INK))
    bar.axis.setPen(pg.mkPen(s.AXIS))
    bar.axis.setStyle(tickFont=s.tick_font())
    bar.axis.setLabel("Mean |difference| (points)", color=s.INK,
                      **{"font-size": f"{s.LABEL_PT}pt"})  # fmt: skip
    s.track(item, bar)
    s.set_ticks(item, "bottom", [(i + 0.5, e) for i, e in enumerate(grid.evaluators)])
    s.set_ticks(item, "left", [(nq - 1 - j + 0.5, q) for j, q in enumerate(grid.questions)])
    item.setRange(xRange=(0, max(ne, 1)), yRange=(0, max(nq, 1)), padding=0)
    return item
