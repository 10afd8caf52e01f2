"""Native Excel charts for the pack's Summary sheet.

Native charts (not pictures) stay live: a leader who corrects a figure in the chart data sees the
chart follow, and the charts print sharply at any scale. Each chart reads a block of cells that
the Summary sheet writes in its "Chart data" area; the functions take those cell ranges, so the
sheet decides the layout and the chart only points at it.

openpyxl 3.1 leaves the axes' ``delete`` flag unset, which recent Excel reads as "hide the
axis"; it is set explicitly here.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.worksheet.worksheet import Worksheet

AGENT_COLOUR, TEAM_COLOUR, TARGET_COLOUR = "1F77B4", "9CA3AF", "C2410C"


@dataclass(frozen=True)
class Block:
    """A table in the sheet: header row ``header``, data rows ``first``…``last``, category
    labels in ``label_column`` and one series per column in ``series_columns``."""

    header: int
    first: int
    last: int
    label_column: int
    series_columns: tuple[int, ...]


def _title(text: str, size_pt: int = 11) -> Title:
    """A chart title at ``size_pt`` (openpyxl's plain string title prints at 18 pt)."""
    props = CharacterProperties(sz=size_pt * 100, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _text_size(size_pt: int) -> RichText:
    """Axis label text at ``size_pt``."""
    props = CharacterProperties(sz=size_pt * 100)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _axes(chart: LineChart | BarChart, y_title: str) -> None:
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.title = y_title
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.number_format = "0"
    chart.legend.position = "b"


def _colour(series, colour: str, *, dashed: bool = False, line: bool = True) -> None:
    if line:
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28575  # 2.25 pt in EMU
        if dashed:
            series.graphicalProperties.line.dashStyle = "dash"
    else:
        series.graphicalProperties = GraphicalProperties(
            solidFill=colour, ln=LineProperties(solidFill=colour)
        )


def _plot_block(chart: LineChart | BarChart, ws: Worksheet, block: Block) -> None:
    """The block's series columns (titled by their header row) over its label column."""
    data = Reference(
        ws,
        min_col=block.series_columns[0],
        max_col=block.series_columns[-1],
        min_row=block.header,
        max_row=block.last,
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(
        Reference(ws, min_col=block.label_column, min_row=block.first, max_row=block.last)
    )


def trend_chart(ws: Worksheet, block: Block, anchor: str, *, title: str) -> LineChart:
    """Monthly mean score of the agent and the team against the target line."""
    chart = LineChart()
    chart.title = _title(title)
    chart.style = 2
    chart.height, chart.width = 7.5, 16.0
    _plot_block(chart, ws, block)
    colours = (AGENT_COLOUR, TEAM_COLOUR, TARGET_COLOUR)
    for index, series in enumerate(chart.series):
        _colour(series, colours[index % 3], dashed=index == 2)
        series.smooth = False
        if index < 2:
            series.marker.symbol = "circle"
            series.marker.size = 6
    _axes(chart, "Score %")
    chart.layout = Layout(ManualLayout(x=0.01, y=0.12, w=0.97, h=0.62))
    ws.add_chart(chart, anchor)
    return chart


def section_chart(ws: Worksheet, block: Block, anchor: str, *, title: str) -> BarChart:
    """Mean section scores, agent beside team, one bar pair per section (horizontal bars so
    long section names stay readable; first section at the top)."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = _title(title)
    chart.style = 2
    rows = block.last - block.first + 1
    chart.width = 16.0
    # room for every category label (a crowded axis silently skips every other one)
    chart.height = max(6.0, min(26.0, 3.0 + 1.3 * rows))
    _plot_block(chart, ws, block)
    for index, series in enumerate(chart.series):
        _colour(series, (AGENT_COLOUR, TEAM_COLOUR)[index % 2], line=False)
    _axes(chart, "Score %")
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.txPr = _text_size(8)
    chart.gapWidth = 60
    ws.add_chart(chart, anchor)
    return chart
