"""PNG files of QA Studio's charts, drawn off-screen with pyqtgraph's ``ImageExporter``.

Exporters take data, not widgets (ARCHITECTURE.md § Headless rendering): each function here lays
out an invisible ``GraphicsLayoutWidget`` of a fixed pixel size, draws into it with the same
``chart_plots.build_*_plot`` functions the screens use, and saves it. Without a running
QApplication one is created — with the ``offscreen`` platform when there is no display — so the
``chart`` command, a batch job and a test all work over SSH and in CI.

Sizes are fixed (1000 × 600 by default) so that charts pasted into a pack or an e-mail line up;
the per-question charts grow 28 pixels per question beyond 15 so that every label stays legible.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from qa_studio.errors import DataRefused, UsageError
from qa_studio.export import chart_plots as cp
from qa_studio.services.qt_compat import keep_none_alive
from qa_studio.storage.repository.chart_data import AgentCalibration, AgentTrend
from qa_studio.storage.repository.chart_data_calibration import CalibrationCharts

WIDTH, HEIGHT = 1000, 600
#: Rows a 600-pixel question chart holds comfortably; each further question adds ROW_PX.
QUESTION_ROWS, ROW_PX = 15, 28
KINDS = ("deviation", "questions", "heatmap", "all")


def no_display() -> bool:
    """True on Linux without X11/Wayland and no platform chosen (as ``app.no_display``, which
    cannot be imported here without loading every screen): Qt would abort on start."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    )


def ensure_app() -> QCoreApplication:
    """The running QApplication, or a new one that needs no display (``offscreen`` platform when
    there is none); PySide keeps the instance alive until the process ends."""
    existing = QCoreApplication.instance()
    if existing is not None:
        return existing
    keep_none_alive()
    argv = [sys.argv[0] if sys.argv and sys.argv[0] else "qa-studio"]
    if no_display():
        argv += ["-platform", "offscreen"]
    return QApplication(argv)


def question_height(count: int, base: int = HEIGHT) -> int:
    """Pixel height for a chart with ``count`` question rows."""
    return base + max(0, count - QUESTION_ROWS) * ROW_PX


def render(
    draw: Callable[[pg.GraphicsLayoutWidget], object],
    path: Path | str,
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> Path:
    """Lay out an off-screen canvas of ``size`` pixels, let ``draw`` fill it, save it as PNG.

    ``DataRefused`` when the file cannot be written (a missing folder, no permission)."""
    app = ensure_app()
    target = Path(path)
    if not target.parent.is_dir():
        raise DataRefused(
            f"cannot write {target}: the folder {target.parent} does not exist.",
            ["Create the folder first, or give --out a path in an existing folder."],
        )
    canvas = pg.GraphicsLayoutWidget()
    try:
        canvas.setBackground("w")
        canvas.ci.setContentsMargins(12, 10, 18, 10)
        canvas.resize(*size)
        canvas.resizeEvent(None)  # lay out at this size without showing a window
        draw(canvas)
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        exporter = ImageExporter(canvas.scene())
        exporter.parameters()["background"] = QColor("white")
        exporter.parameters()["width"] = size[0]
        exporter.parameters()["height"] = size[1]
        if not exporter.export(str(target)):
            raise DataRefused(f"cannot write {target}: saving the PNG failed.",
                              ["Check the folder is writable and the name ends in .png."])  # fmt: skip
    finally:
        canvas.close()
        canvas.deleteLater()
    return target


def export_agent_trend_png(data: AgentTrend, path: Path | str) -> Path:
    """Chart 1 — the agent's score by month with team mean, target and 95 % band."""
    return render(lambda c: cp.build_agent_trend_plot(c.addPlot(), data), path)


def export_agent_calibration_png(data: AgentCalibration, path: Path | str) -> Path:
    """Chart 2 — the agent's scores by evaluator, raw and less each evaluator's leniency."""
    return render(lambda c: cp.build_agent_calibration_plot(c.addPlot(), data), path)


def _title(charts: CalibrationCharts, what: str) -> str:
    return f"{charts.session_name} (session {charts.session_id}, {charts.scorecard_ref}): {what}"


def draw_calibration(canvas: pg.GraphicsLayoutWidget, charts: CalibrationCharts, kind: str) -> None:
    """Draw chart ``kind`` (or all three stacked, for ``all``) into ``canvas``."""
    dev = charts.deviation
    titles = {
        "deviation": _title(charts, f"deviation from {dev.reference_text}"),
        "questions": _title(charts, "agreement by question"),
        "heatmap": _title(charts, "where evaluators disagree"),
    }
    if kind in ("deviation", "all"):
        cp.build_deviation_plot(canvas.addPlot(), dev, titles["deviation"])
    if kind in ("questions", "all"):
        if kind == "all":
            canvas.nextRow()
        cp.build_question_agreement_plot(canvas.addPlot(), charts.questions, titles["questions"])
    if kind in ("heatmap", "all"):
        if kind == "all":
            canvas.nextRow()
        cp.build_heatmap_plot(canvas.addPlot(), charts.grid, titles["heatmap"])


def calibration_size(charts: CalibrationCharts, kind: str) -> tuple[int, int]:
    """Pixel size of one session chart, or of the three stacked for ``all``."""
    rows = len(charts.questions)
    heights = {
        "deviation": HEIGHT,
        "questions": question_height(rows),
        "heatmap": question_height(rows),
    }
    if kind == "all":
        return WIDTH, sum(heights.values())
    return WIDTH, heights[kind]


def export_calibration_png(charts: CalibrationCharts, path: Path | str, kind: str = "all") -> Path:
    """Session charts: ``deviation`` (3), ``questions`` (4), ``heatmap`` (5), or ``all`` three
    stacked in one image (deviation on top, then questions, then the heat map)."""
    if kind not in KINDS:
        raise UsageError(f"unknown chart kind '{kind}' (one of: {', '.join(KINDS)}).")
    return render(lambda c: draw_calibration(c, charts, kind), path, calibration_size(charts, kind))
