"""The look every QA Studio chart shares: ink, fonts, legend below the plot, axes sized to fit.

Why a module of its own: the chart builders (``chart_plots``) say *what* to draw; this says how
it reads on paper — dark text on white, a legend that never covers a data point (it sits in its
own row under the plot), and axes wide or tall enough for every tick label. pyqtgraph sizes an
axis from the labels it drew last time, so a label that does not fit on the first (and, when
exporting, only) paint is dropped; ``fit_axes`` measures the labels up front instead.
"""

from __future__ import annotations

import html
import math

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics

INK, AXIS, GRID = "#111827", "#374151", 0.18
AGENT, TEAM, TARGET = "#1f5fa8", "#6b7280", "#c2410c"
BAND = (31, 95, 168, 55)
TOLERANCE = (22, 163, 74, 45)
ADJUSTED = "#d97706"
POINTS = (31, 95, 168, 160)
ALPHA_BAR, PERCENT_BAR = "#1f5fa8", "#9ca3af"
TENTATIVE_COLOUR, RELIABLE_COLOUR = "#d97706", "#15803d"
#: White → amber → red: more disagreement reads as "hotter", in print and in grey scale.
HEAT = pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[(255, 255, 255), (253, 174, 97), (200, 30, 30)])
TICK_PT, LABEL_PT, TITLE_PT, LEGEND_PT = 10, 11, 13, 10
#: Titles longer than this many characters go on two lines; a title row is this many pixels.
TITLE_CHARS, TITLE_ROW = 80, 30
#: Row of the PlotItem's grid layout that holds the legend (0 title, 1–3 axes and view).
LEGEND_ROW = 4

PlotLike = pg.PlotItem | pg.PlotWidget


def tick_font() -> QFont:
    font = QFont()
    font.setPointSize(TICK_PT)
    return font


def plot_item(plot: PlotLike) -> pg.PlotItem:
    """The PlotItem to draw in; a PlotWidget also gets the white background."""
    if isinstance(plot, pg.PlotWidget):
        plot.setBackground("w")
        return plot.getPlotItem()
    return plot


def _extras(plot: pg.PlotItem) -> list:
    extras = getattr(plot, "_qa_extras", None)
    if extras is None:
        extras = []
        plot._qa_extras = extras  # type: ignore[attr-defined]
    return extras


def track(plot: pg.PlotItem, widget: pg.GraphicsWidget) -> None:
    """Remember a widget added to the plot's own layout (a colour bar) so ``reset`` removes it."""
    _extras(plot).append(widget)


def reset(plot: pg.PlotItem) -> None:
    """Remove everything a previous ``build_*`` call drew: items, legend, colour bar, ticks."""
    plot.clear()
    if plot.legend is not None:
        old, plot.legend = plot.legend, None
        if old.scene() is not None:
            old.scene().removeItem(old)
    extras = _extras(plot)
    for widget in extras:
        plot.layout.removeItem(widget)
        if widget.scene() is not None:
            widget.scene().removeItem(widget)
    extras.clear()
    plot.layout.setRowFixedHeight(LEGEND_ROW, 0)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTicks(None)
        axis.setWidth(None) if name == "left" else axis.setHeight(None)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.getViewBox().setMenuEnabled(False)


def style(plot: pg.PlotItem, title: str, left: str, bottom: str, *, grid_x: bool = False,
          grid_y: bool = True) -> None:  # fmt: skip
    """Title and axis titles in dark ink, readable tick fonts, a faint grid. A title longer
    than ``TITLE_CHARS`` is set on two lines (a title label never shrinks below its text, so one
    long line would widen the plot past the canvas and clip its right-hand side)."""
    lines = wrap_title(title)
    plot.setTitle("<br>".join(html.escape(line, quote=False) for line in lines), color=INK,
                  size=f"{TITLE_PT}pt")  # fmt: skip
    if len(lines) > 1:
        plot.titleLabel.setMaximumHeight(TITLE_ROW * 2)
        plot.layout.setRowFixedHeight(0, TITLE_ROW * 2)
    for name, text in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(AXIS, width=1))
        axis.setTextPen(pg.mkPen(INK))
        axis.setStyle(tickFont=tick_font(), tickTextOffset=6)
        axis.setLabel(text, color=INK, **{"font-size": f"{LABEL_PT}pt"})
    plot.showGrid(x=grid_x, y=grid_y, alpha=GRID)


def wrap_title(title: str) -> list[str]:
    """One line, or two split after a colon (else at the space nearest the middle)."""
    if len(title) <= TITLE_CHARS:
        return [title]
    cut = title.rfind(": ", 0, TITLE_CHARS)
    if cut > 0:
        return [title[: cut + 1], title[cut + 2 :]]
    spaces = [i for i, c in enumerate(title) if c == " "]
    if not spaces:
        return [title]
    middle = min(spaces, key=lambda i: abs(i - len(title) / 2))
    return [title[:middle], title[middle + 1 :]]


def legend(plot: pg.PlotItem, columns: int) -> pg.LegendItem:
    """A legend for ``plot`` (series added with ``name=`` join it); ``place_legend`` puts it
    in its own row below the plot once every entry is in."""
    key = pg.LegendItem(offset=None, labelTextColor=INK, labelTextSize=f"{LEGEND_PT}pt",
                        brush=pg.mkBrush(255, 255, 255, 235), pen=pg.mkPen("#9ca3af"),
                        horSpacing=18, colCount=columns)  # fmt: skip
    key.setParentItem(plot)
    plot.legend = key
    return key


def place_legend(plot: pg.PlotItem) -> None:
    """Reserve a layout row under the bottom axis as tall as the legend and anchor it there."""
    key = plot.legend
    if key is None:
        return
    key.updateSize()
    spacer = pg.GraphicsWidget()
    height = math.ceil(key.height()) + 8
    spacer.setMinimumHeight(height)
    spacer.setMaximumHeight(height)
    plot.layout.addItem(spacer, LEGEND_ROW, 1)
    plot.layout.setRowFixedHeight(LEGEND_ROW, height)
    _extras(plot).append(spacer)
    key.anchor(itemPos=(0.5, 1), parentPos=(0.5, 1), offset=(0, -2))


def legend_swatch(brush: tuple | str) -> pg.BarGraphItem:
    """A legend-only sample for a shaded area (FillBetweenItem has no legend sample)."""
    return pg.BarGraphItem(x=[0], height=[0], width=0, brush=pg.mkBrush(brush), pen=None)


def legend_line(colour: str, *, width: float = 3, dash: list | None = None,
                symbol: str | None = None) -> pg.PlotDataItem:  # fmt: skip
    """A legend-only sample of a line (and marker) drawn elsewhere as several pieces."""
    pen = pg.mkPen(colour, width=width, dash=dash) if dash else pg.mkPen(colour, width=width)
    return pg.PlotDataItem([0], [0], pen=pen, symbol=symbol, symbolBrush=colour,
                           symbolPen=colour)  # fmt: skip


def set_ticks(plot: pg.PlotItem, name: str, ticks: list[tuple[float, str]]) -> None:
    """Fixed major ticks (labels may have two lines), no minor ticks; the axis is sized to its
    widest (left) or tallest (bottom) label so every label is drawn on the first paint."""
    axis = plot.getAxis(name)
    axis.setTicks([ticks, []])
    metrics = QFontMetrics(tick_font())
    label_height = QFontMetrics(_label_font()).height()
    lines = [line for _v, text in ticks for line in text.split("\n")]
    if name == "left":
        widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
        axis.setWidth(widest + 6 + 5 + label_height + 14)
    else:
        rows = max((text.count("\n") + 1 for _v, text in ticks), default=1)
        axis.setHeight(rows * metrics.lineSpacing() + 6 + 5 + label_height + 8)


def _label_font() -> QFont:
    font = QFont()
    font.setPointSize(LABEL_PT)
    return font


def nice_ticks(low: float, high: float, count: int = 8) -> list[tuple[float, str]]:
    """Round-numbered ticks (1, 2, 2.5 or 5 × 10ⁿ apart) covering ``low``…``high``."""
    span = max(high - low, 1e-9)
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    out = []
    value = first
    while value <= high + 1e-9:
        shown = round(value, 6) + 0.0
        out.append((shown, f"{shown:g}"))
        value += step
    return out


def percent_range(values: list[float]) -> tuple[float, float]:
    """A 0–100 scale cut at a round number below the data, never hiding a point."""
    low = min(values, default=0.0)
    return max(0.0, math.floor((low - 5) / 10) * 10), 100.0


def pad(low: float, high: float, share: float = 0.03) -> tuple[float, float]:
    """``low``–``high`` widened a little so markers on the edge are drawn whole."""
    extra = (high - low) * share
    return low - extra, high + extra


def fmt_signed(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:+.{places}f}"


def fmt_number(value: float) -> str:
    """``85`` for 85.0, ``84.7`` for 84.697: targets and means as a reader says them."""
    return f"{round(value, 1):g}"
