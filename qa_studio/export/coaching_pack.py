"""Coaching packs: one Excel workbook per agent and period, and batches of them with an index.

A pack is what a team leader takes into a one-to-one: the agent's figures against the team and
the target with an honest interval (and a warning when the sample cannot carry a judgement), the
questions behind them, the moments to replay, ranked strengths and development areas, SMART goal
suggestions to edit, and a sign-off sheet. Everything is computed by
``qa_studio.storage.repository.reporting`` in a fixed number of SQL queries per *batch*, so a
whole contact centre's packs cost little more than writing the files.

This module only uses openpyxl (no Qt), so the CLI, a background job and tests share it. The
sheets are written by ``pack_summary`` and ``pack_sheets``; text safety and redaction live in
``xlsx_safe``; files are saved by ``xlsx_io`` (in memory, then one atomic write); a large batch
is shared out among worker processes by ``pack_workers``.

Public API::

    PackScope.for_agents("A1", …) / PackScope.for_team("Blue") / PackScope.for_all()
    build_pack(report, *, generated=None, media_root=None) -> Workbook
    write_pack(report, path, *, generated=None, media_root=None) -> Path
    write_packs(ws_or_path, scope, period, out_dir, *, progress=None, is_cancelled=None,
                generated=None, workers=None)
        -> list[Path]          # the agents' packs; the index is out_dir / INDEX_NAME
    write_agent_pack(ws, external_id, period, out_dir) -> Path     # one pack, no index
    reports_for(ws, scope, period) -> Sequence[AgentReport]     # the figures, without writing
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from qa_studio.domain import planner
from qa_studio.domain.periods import Period, parse_period
from qa_studio.domain.timeutil import LONDON, utcnow
from qa_studio.errors import DataRefused
from qa_studio.export import pack_sheets as sheets
from qa_studio.export import pack_styles as st
from qa_studio.export import pack_workers
from qa_studio.export.pack_figures import development_areas, strengths
from qa_studio.export.pack_index import INDEX_NAME, build_index
from qa_studio.export.pack_summary import write_summary
from qa_studio.export.xlsx_io import save_workbook
from qa_studio.export.xlsx_safe import SheetWriter, StyleCache
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.storage.repository import reporting
from qa_studio.storage.repository.reporting_types import AgentInfo, AgentReport

__all__ = [
    "INDEX_NAME",
    "SHEETS",
    "PackScope",
    "build_pack",
    "pack_filename",
    "reports_for",
    "save_workbook",
    "write_agent_pack",
    "write_pack",
    "write_packs",
]

SHEETS = ("Summary", "Questions", "Evidence", "Strengths", "Development areas", "Goals",
          "Sign-off")  # fmt: skip
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PackScope:
    """Whose packs to write: named agents (external ids), one team, or everyone."""

    agents: tuple[str, ...] = ()
    team: str | None = None
    everyone: bool = False

    @classmethod
    def for_agents(cls, *external_ids: str) -> PackScope:
        return cls(agents=tuple(external_ids))

    @classmethod
    def for_team(cls, name: str) -> PackScope:
        return cls(team=name)

    @classmethod
    def for_all(cls) -> PackScope:
        return cls(everyone=True)

    def describe(self) -> str:
        if self.agents:
            return f"agent {', '.join(self.agents)}"
        return f"team {self.team}" if self.team is not None else "the workspace"

    def resolve(self, ws: Workspace) -> list[AgentInfo]:
        if sum((bool(self.agents), self.team is not None, self.everyone)) != 1:
            raise DataRefused("choose exactly one of: agents, a team, or all agents.")
        if self.agents:
            return [reporting.resolve_agents(ws, agent=a)[0] for a in self.agents]
        if self.team is not None:
            return reporting.resolve_agents(ws, team=self.team)
        return reporting.resolve_agents(ws, everyone=True)


def _today() -> date:
    return utcnow().astimezone(LONDON).date()


def build_pack(
    report: AgentReport, *, generated: date | None = None, media_root: Path | None = None
) -> Workbook:
    """The pack workbook for one report (not saved). ``media_root`` resolves relative recording
    paths (the workspace's folder) so the Evidence sheet shows where each recording is."""
    wb = st.new_workbook()
    styles = StyleCache()
    title = f"{report.agent.name} · {report.period.label}"
    summary = wb.active
    summary.title = SHEETS[0]

    def sheet(name: str) -> SheetWriter:
        return SheetWriter(wb.create_sheet(name), styles)

    write_summary(SheetWriter(summary, styles), report, generated or _today())
    sheets.write_questions(sheet(SHEETS[1]), report, title)
    sheets.write_evidence(sheet(SHEETS[2]), report, title, media_root)
    sheets.write_ranked(sheet(SHEETS[3]), strengths(report), title,
                        "No question is above the team's pass rate this period.")  # fmt: skip
    sheets.write_ranked(sheet(SHEETS[4]), development_areas(report), title,
                        "No question is below the team's pass rate this period.")  # fmt: skip
    sheets.write_goals(sheet(SHEETS[5]), report, title)
    sheets.write_sign_off(sheet(SHEETS[6]), report, title)
    wb.properties.title = f"Coaching pack: {title}"
    wb.properties.creator = "QA Studio"
    return wb


def write_pack(
    report: AgentReport,
    path: str | Path,
    *,
    generated: date | None = None,
    media_root: Path | None = None,
) -> Path:
    """Build and save one pack at ``path``."""
    return save_workbook(build_pack(report, generated=generated, media_root=media_root), Path(path))


def pack_filename(report: AgentReport) -> str:
    """``coaching_2026-10_A1001_Alex-Smith.xlsx``: period first so a folder sorts by period."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", report.agent.name).strip("-")
    ext = re.sub(r"[^A-Za-z0-9_.-]+", "-", report.agent.external_id).strip("-.")
    return f"coaching_{report.period.key}_{ext or 'agent'}_{name or 'agent'}.xlsx"


def _period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else parse_period(period)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = name.replace(".xlsx", f"_{n}.xlsx")
        n += 1
    taken.add(candidate.lower())
    return candidate


def _reports(
    ws: Workspace, scope: PackScope, period: Period, agents: list[AgentInfo] | None = None
) -> list[AgentReport]:
    """The reports of ``scope`` (its ``agents`` when already resolved), refusing a scope or a
    period with nothing to put in a pack."""
    agents = scope.resolve(ws) if agents is None else agents
    reports = reporting.agent_reports(ws, agents, period)
    empty = [r.agent.external_id for r in reports if r.summary.n == 0]
    if scope.agents and empty:
        raise DataRefused(
            f"no counted evaluations for agent {', '.join(empty)} in {period.label} "
            f"({period.first} to {period.last}); there is nothing to put in a pack.",
            ["Choose another period, or score some of the agent's contacts first."],
        )
    if not agents or len(empty) == len(reports):
        raise DataRefused(
            f"no counted evaluations for {scope.describe()} in {period.label} "
            f"({period.first} to {period.last}); no packs were written.",
            ["Choose another period (e.g. --period 2026-Q3), or score contacts first."],
        )
    return reports


def prepare_worker() -> None:
    """Run by each pack-writing worker process as it starts (while the parent queries): import
    the exporter (this module, openpyxl) and the t quantile (mpmath), which the first pack needs."""
    planner.t_value(0.95, 2)


def write_packs(
    source: Workspace | str | Path,
    scope: PackScope,
    period: Period | str,
    out_dir: str | Path,
    *,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    generated: date | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write a pack for every agent in ``scope`` with evaluations in ``period``, and the index.

    ``source`` is an open workspace or a workspace path (a background job passes the path and
    this opens — and closes — its own connection). ``progress(done, total)`` is called as packs
    are written; when ``is_cancelled()`` turns true the batch stops once the packs already being
    written are done (the current one, or one or two per worker process) and the index lists
    the packs written so far. ``workers`` is the number of processes writing packs: by default
    one per core for a large batch and this process alone for a small one
    (``pack_workers.worker_count``). Returns the packs' paths in index order; the index is
    ``out_dir / INDEX_NAME``. ``DataRefused`` for an unknown agent or team, or a period with no
    counted evaluations.
    """
    span = _period(period)
    out = Path(out_dir)
    when = generated or _today()
    with ExitStack() as stack:
        ws = source if isinstance(source, Workspace) else open_workspace(source, create=False)
        try:
            agents = scope.resolve(ws)
            count = workers if workers is not None else pack_workers.worker_count(len(agents))
            # The workers start (a fresh interpreter importing openpyxl) while the queries run.
            pool = stack.enter_context(pack_workers.WorkerPool(count, prepare_worker))
            reports = _reports(ws, scope, span, agents)
            media_root = ws.path.parent
        finally:
            if ws is not source:
                ws.close()
        out.mkdir(parents=True, exist_ok=True)
        taken: set[str] = {INDEX_NAME}
        jobs = [(r, out / _unique(pack_filename(r), taken)) for r in reports if r.summary.n > 0]
        done = pack_workers.write_all(
            jobs, write_pack, generated=when, media_root=media_root, pool=pool,
            progress=progress, is_cancelled=is_cancelled,
        )  # fmt: skip
    listed: list[tuple[AgentReport, Path | None]] = list(jobs[:done])
    if done == len(jobs):  # not cancelled: also list who had nothing to coach on
        listed += [(r, None) for r in reports if r.summary.n == 0]
    save_workbook(build_index(listed, when), out / INDEX_NAME)
    return [path for _report, path in jobs[:done]]


def write_agent_pack(
    ws: Workspace, external_id: str, period: Period | str, out_dir: str | Path
) -> Path:
    """One agent's pack in ``out_dir`` (the coaching screen's "Generate pack" button); no index.
    ``DataRefused`` when the agent is unknown or has no counted evaluations in the period."""
    report = _reports(ws, PackScope.for_agents(external_id), _period(period))[0]
    return write_pack(report, Path(out_dir) / pack_filename(report), media_root=ws.path.parent)


def reports_for(ws: Workspace, scope: PackScope, period: Period | str) -> Sequence[AgentReport]:
    """The reports a batch would write (the coaching screen shows them before writing)."""
    return _reports(ws, scope, _period(period))
