"""Pieces of the coaching screen that are not panels of records:

* ``TrendChart`` — the agent's score trend, drawn by the same ``chart_plots`` builder as the
  ``chart agent`` command, with its legend folded into two rows to fit beside the tables;
* ``PackJobBar`` — runs coaching packs through the job runner and shows what it is doing: a
  progress bar counting packs, Cancel (the batch stops after the pack being written), and the
  outcome in a status line;
* ``period_choices`` — the periods offered for an agent; ``summary_html`` — the line of figures
  above the screen.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from qa_studio.domain.periods import Period, month, quarter, year
from qa_studio.errors import QAStudioError
from qa_studio.export import chart_plots, chart_style
from qa_studio.export.coaching_pack import PackScope, write_packs
from qa_studio.export.pack_figures import evidence_note
from qa_studio.export.pack_figures import mean_interval as pack_interval
from qa_studio.services.jobs import JobHandle, JobRunner, SyncJobRunner
from qa_studio.storage.repository.chart_data import AgentTrend
from qa_studio.storage.repository.reporting_types import AgentReport

PERIOD_MONTHS = 12
LEGEND_COLUMNS = 2


def period_choices(latest: Period) -> list[str]:
    """The latest month and the eleven before it, then their quarters and years, newest first."""
    keys: list[str] = []
    y, m = latest.first.year, latest.first.month
    for _ in range(PERIOD_MONTHS):
        keys.append(month(y, m).key)
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    quarters = dict.fromkeys(quarter(int(k[:4]), (int(k[5:]) - 1) // 3 + 1).key for k in keys)
    years = dict.fromkeys(year(int(k[:4])).key for k in keys)
    return keys + list(quarters) + list(years)


def summary_html(r: AgentReport) -> str:
    """One line above the screen: who, the period, n, the mean with its 95 % interval against
    the team and the target, and the pack's "not enough evidence" warning when it applies."""
    s, ci = r.summary, pack_interval(r.summary)
    parts = [
        f"<b>{html.escape(r.agent.name)}</b> ({html.escape(r.agent.external_id)}, "
        f"{html.escape(r.agent.team or 'no team')}, team leader "
        f"{html.escape(r.agent.leader or '—')}) · {r.period.label}: {s.n} evaluations"
    ]
    if ci.mean is not None:
        band = "" if ci.low is None else f" [{ci.low:.1f}, {ci.high:.1f}]"
        team = "—" if r.team.mean is None else f"{r.team.mean:.1f} %"
        target = "—" if s.target is None else f"{s.target:g} %"
        parts.append(f"mean {ci.mean:.1f} %{band} · team {team} · target {target}")
    note = evidence_note(s)
    if note:
        parts.append(f"<span style='color: #9c2a00'>{note}</span>")
    return " · ".join(parts)


class TrendChart(pg.PlotWidget):
    """The agent's monthly mean with its 95 % band, the team's mean and the target."""

    def clear_chart(self) -> None:
        chart_style.reset(self.getPlotItem())
        self.getPlotItem().setTitle(None)

    def show_trend(self, data: AgentTrend) -> None:
        """Draw the trend; with no score in any month there is nothing to draw (and an all-empty
        series makes pyqtgraph warn while painting), so the chart says so instead."""
        if data.n == 0 or all(m.mean is None for m in data.months):
            self.clear_chart()
            first, last = data.months[0].label, data.months[-1].label
            self.getPlotItem().setTitle(
                f"{data.agent.name}: no counted evaluations from {first} to {last}"
            )
            return
        chart_plots.build_agent_trend_plot(self, data)
        self._fit_legend()

    def _fit_legend(self) -> None:
        """The shared builder lays the legend out in one row for a 1000-pixel image; here it is
        narrower, so the legend takes two rows (and the row reserved for it grows)."""
        item = self.getPlotItem()
        key = item.legend
        if key is None:
            return
        key.setColumnCount(LEGEND_COLUMNS)
        key.updateSize()
        height = math.ceil(key.height()) + 8
        spacer = item.layout.itemAt(chart_style.LEGEND_ROW, 1)
        if spacer is not None:
            spacer.setMinimumHeight(height)
            spacer.setMaximumHeight(height)
        item.layout.setRowFixedHeight(chart_style.LEGEND_ROW, height)


class PackJobBar(QWidget):
    """Status line, progress and Cancel for coaching packs written in the background."""

    #: The packs written (paths as text; fewer than asked for after Cancel).
    packsWritten = Signal(list)
    #: The job failed with this message (already shown in the status line).
    failed = Signal(str)
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.job: JobHandle | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        self._running(False)

    @property
    def busy(self) -> bool:
        return self.job is not None and not self.job.done

    def say(self, text: str) -> None:
        self.status.setText(text)

    def start(
        self,
        jobs: JobRunner | SyncJobRunner,
        workspace: Path,
        scope: PackScope,
        period: Period,
        folder: str,
        what: str,
    ) -> JobHandle:
        """Write the packs of ``scope`` for ``period`` into ``folder`` on the job runner; the
        job opens its own connection to ``workspace`` (SQLite connections are per thread)."""

        def job(progress: Callable[[int, int], None], is_cancelled: Callable[[], bool]):
            files = write_packs(
                workspace, scope, period, folder, progress=progress, is_cancelled=is_cancelled
            )
            return files, is_cancelled()

        self.progress.setRange(0, 0)
        self.say(f"Writing coaching packs for {what}, {period.label}…")
        self._running(True)
        self.job = jobs.submit(
            job,
            name="coaching packs",
            on_progress=self._progressed,
            on_success=lambda outcome: self._written(outcome, folder),
            on_error=self._failed,
            on_finished=self._finished,
        )
        return self.job

    def cancel(self) -> None:
        if self.busy:
            assert self.job is not None
            self.job.cancel()
            self.say("Cancelling after the current pack…")

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} of {total} packs")

    def _written(self, outcome: tuple[list, bool], folder: str) -> None:
        files, cancelled = outcome
        n = len(files)
        self.say(
            f"{'Cancelled: w' if cancelled else 'W'}rote {n} coaching pack"
            f"{'' if n == 1 else 's'} to {folder}."
        )
        self.packsWritten.emit([str(f) for f in files])

    def _failed(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, QAStudioError) else str(exc)
        self.say(message)
        self.failed.emit(message)

    def _finished(self) -> None:
        self._running(False)
        self.finished.emit()

    def _running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
