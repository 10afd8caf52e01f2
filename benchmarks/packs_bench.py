"""Coaching-pack benchmark: 500 agents × 10 evaluations, every agent's pack in one batch.

    python benchmarks/packs_bench.py [--agents 500] [--per-agent 10] [--keep DIR] [--json]

Builds a workspace with bulk ``executemany`` inserts (not the import path): agents in teams of
ten with their leaders, 40 contacts per agent in October 2026 (AHT, FCR and CSAT filled in), and
``--per-agent`` signed-off evaluations each on the built-in ``voice_service`` scorecard, answers
scored by ``qa_studio.domain.scoring`` exactly as the app stores them, with comments and
playback-stamped notes (some starting with ``=``, some quoting a card number).

Then, in the same run:

* **packs** — ``write_packs(ws, PackScope.for_all(), "2026-10", out)``: the queries, every pack
  and the index, end to end, as the CLI and the coaching screen run it (on one worker process
  per core for a batch this size: ``pack_workers``); CPU time counts the workers too;
* **packs, one process** — the same with ``workers=1``;
* **bare openpyxl** — the same cells (taken from the packs, outside the timing) and
  the same two charts written with the simplest openpyxl code, no styles, validation,
  conditional formatting or print set-up: the floor any exporter stands on. Twice: in openpyxl's
  normal mode (``Workbook()``/``ws.cell()``/``add_chart``/``save``: the packs' own mode) and in
  its write-only mode (``Workbook(write_only=True)``/``ws.append()``), each in one process.

Prints the times, the per-pack times, the ratios (one process against one process for wall
time, all processes' CPU against bare CPU), which XML writer openpyxl used (lxml when
installed) and the peak resident memory. Targets (issue 8 §7): packs < 20 s, and at most 2 ×
bare openpyxl.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.periods import parse_period
from qa_studio.domain.scoring import score
from qa_studio.export.coaching_pack import PackScope, build_pack, write_packs
from qa_studio.export.pack_workers import available_cores, worker_count
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.storage.repository import reporting, scorecards

PERIOD = "2026-10"
CONTACTS_PER_AGENT = 40
COMMENTS = (
    "Good rapport; =keep this up",
    "Customer read out 4111 1111 1111 1111 and it was not stopped",
    "Missed the recap of next steps",
    "+44 7700 900123 given back to the customer without checks",
    "Clear explanation of the bill",
)


def _answer(q, rng: random.Random) -> object:
    if q.allow_na and rng.random() < 0.05:
        return "na"
    if q.type == "yes_no":
        return "yes" if rng.random() < 0.85 else "no"
    if q.type == "scale":
        return rng.randint(q.scale.min, q.scale.max)
    return rng.choice(q.options).label


def build(ws: Workspace, agents: int, per_agent: int, seed: int = 8) -> None:
    """Fill ``ws`` with the benchmark's people, contacts and evaluations (bulk inserts)."""
    rng = random.Random(seed)
    scorecards.publish_builtins(ws)
    version = scorecards.find(ws, "voice_service")
    card = version.card
    db = ws.db.conn
    with ws.db.atomic():
        teams = (agents + 9) // 10
        for t in range(teams):
            db.execute(
                "INSERT INTO evaluators (uuid, name, role) VALUES (?, ?, 'team_leader')",
                [new_uuid(rng), f"Leader {t + 1}"],
            )
            db.execute(
                "INSERT INTO teams (uuid, name, leader_id) VALUES (?, ?, ?)",
                [new_uuid(rng), f"Team {t + 1:03d}", t + 1],
            )
        db.execute(
            "INSERT INTO evaluators (uuid, name) VALUES (?, 'Bench Evaluator')", [new_uuid()]
        )
        evaluator_id = teams + 1
        db.executemany(
            "INSERT INTO agents (uuid, external_id, name, team_id) VALUES (?, ?, ?, ?)",
            [(new_uuid(rng), f"A{a:05d}", f"Agent {a:05d}", a // 10 + 1) for a in range(agents)],
        )
        contacts = []
        for a in range(agents):
            for c in range(CONTACTS_PER_AGENT):
                day, minute = 1 + c % 28, (c * 37) % 600
                contacts.append((
                    new_uuid(rng), f"C{a:05d}-{c:03d}", "voice", a + 1,
                    f"2026-10-{day:02d}T{8 + minute // 60:02d}:{minute % 60:02d}:00Z",
                    rng.uniform(180, 600), rng.uniform(0, 60), rng.uniform(20, 120),
                    rng.randint(1, 5) if rng.random() < 0.4 else None,
                    int(rng.random() < 0.75), f"bench.media/C{a:05d}-{c:03d}.wav",
                    "2026-11-01T00:00:00Z",
                ))  # fmt: skip
        db.executemany(
            "INSERT INTO interactions (uuid, external_id, channel, agent_id, started_at, "
            "duration_s, hold_s, wrap_s, csat, fcr, recording_path, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            contacts,
        )
        evaluations, answers, notes = [], [], []
        eid = 0
        for a in range(agents):
            for k in range(per_agent):
                eid += 1
                interaction = a * CONTACTS_PER_AGENT + k * 3 + 1
                given = {q.key: _answer(q, rng) for q in card.questions()}
                result = score(card, given)
                at = contacts[interaction - 1][4]
                evaluations.append((
                    new_uuid(rng), interaction, version.id, evaluator_id, "signed_off",
                    result.score, result.max_score, result.percent, int(result.fatal),
                    rng.choice(COMMENTS) if rng.random() < 0.3 else None, at, at, at,
                    "Bench Evaluator", at,
                ))  # fmt: skip
                for key, s in result.answers.items():
                    value = "na" if s.na else str(s.value)
                    answers.append((new_uuid(rng), eid, key, value, int(s.na), s.points,
                                    s.max_points, int(s.failed)))  # fmt: skip
                    if s.failed or rng.random() < 0.03:
                        notes.append((new_uuid(rng), eid, key, round(rng.uniform(5, 400), 1),
                                      rng.choice(COMMENTS), "Bench Evaluator", at))  # fmt: skip
        db.executemany(
            "INSERT INTO evaluations (uuid, interaction_id, scorecard_version_id, evaluator_id, "
            "status, score, max_score, percent, fatal, comment, started_at, updated_at, "
            "submitted_at, signed_by, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            [(*e[:4], "submitted", *e[5:]) for e in evaluations],
        )
        db.executemany(
            "INSERT INTO answers (uuid, evaluation_id, question_key, value, na, points, "
            "max_points, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            answers,
        )
        db.executemany(
            "INSERT INTO answer_notes (uuid, evaluation_id, question_key, at_s, text, author, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            notes,
        )
        # Signed off last: the database refuses answers and notes on a signed-off evaluation.
        db.execute("UPDATE evaluations SET status = 'signed_off'")


def capture(ws: Workspace) -> list:
    """Every pack's cells and chart ranges, taken from the packs themselves (not timed)."""
    agents = reporting.resolve_agents(ws, everyone=True)
    out = []
    for report in reporting.agent_reports(ws, agents, parse_period(PERIOD)):
        wb = build_pack(report)
        sheets = []
        for sheet in wb.worksheets:
            cells = [(c.row, c.column, c.value) for row in sheet.iter_rows() for c in row
                     if c.value is not None]  # fmt: skip
            sheets.append((sheet.title, cells))
        charts = []
        for chart in wb["Summary"]._charts:
            refs = [(s.val.numRef.f, s.cat.strRef.f if s.cat.strRef else s.cat.numRef.f)
                    for s in chart.series]  # fmt: skip
            charts.append((type(chart), refs))
        out.append((sheets, charts))
    return out


def _bounds(ref: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries

    return range_boundaries(ref.split("!")[1].replace("$", ""))


def _add_charts(summary, charts: list) -> None:
    """The captured charts, as plain ``LineChart``/``BarChart`` over the same ranges."""
    for kind, refs in charts:
        chart = LineChart() if kind is LineChart else BarChart()
        for value_ref, _category in refs:
            c1, r1, c2, r2 = _bounds(value_ref)
            chart.add_data(Reference(summary, min_col=c1, min_row=r1 - 1, max_col=c2,
                                     max_row=r2), titles_from_data=True)  # fmt: skip
        c1, r1, c2, r2 = _bounds(refs[0][1])
        chart.set_categories(Reference(summary, min_col=c1, min_row=r1, max_row=r2))
        summary.add_chart(chart, "H5" if kind is LineChart else "H22")


def bare(captured: list, out: Path) -> tuple[float, float]:
    """The simplest openpyxl code for the captured cells and charts: ``Workbook()``,
    ``ws.cell(row, column, value)``, ``add_chart``, ``wb.save(path)``; (wall, CPU) seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    for n, (sheets, charts) in enumerate(captured):
        wb = Workbook()
        first = True
        for title, cells in sheets:
            sheet = wb.active if first else wb.create_sheet(title)
            sheet.title, first = title, False
            for row, column, value in cells:
                sheet.cell(row=row, column=column, value=value)
        _add_charts(wb["Summary"], charts)
        wb.save(out / f"bare_{n}.xlsx")
    return time.perf_counter() - start, time.process_time() - cpu


def _rows(cells: list) -> list[list]:
    """Captured ``(row, column, value)`` cells as the row lists ``ws.append`` takes."""
    by_row: dict[int, dict[int, object]] = {}
    for row, column, value in cells:
        by_row.setdefault(row, {})[column] = value
    return [[by_row.get(r, {}).get(c) for c in range(1, max(by_row.get(r, {0: 0})) + 1)]
            for r in range(1, max(by_row, default=0) + 1)]  # fmt: skip


def bare_write_only(captured: list, out: Path) -> tuple[float, float]:
    """The same in openpyxl's write-only mode: ``Workbook(write_only=True)``, ``ws.append(row)``
    (rows laid out beforehand, untimed), ``add_chart``, ``wb.save(path)``."""
    laid_out = [([(title, _rows(cells)) for title, cells in sheets], charts)
                for sheets, charts in captured]  # fmt: skip
    start, cpu = time.perf_counter(), time.process_time()
    for n, (sheets, charts) in enumerate(laid_out):
        wb = Workbook(write_only=True)
        for title, rows in sheets:
            sheet = wb.create_sheet(title)
            if title == "Summary":
                _add_charts(sheet, charts)
            for row in rows:
                sheet.append(row)
        wb.save(out / f"bare_wo_{n}.xlsx")
    return time.perf_counter() - start, time.process_time() - cpu


class Clock:
    """Wall time, and CPU time of this process plus its finished child processes (the packs'
    worker processes are reaped before ``write_packs`` returns)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, self._cpu() - self.cpu

    @staticmethod
    def _cpu() -> float:
        mine, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                                resource.RUSAGE_CHILDREN))  # fmt: skip
        return sum(r.ru_utime + r.ru_stime for r in (mine, children))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--per-agent", type=int, default=10)
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep the files")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="packs_bench_"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        db_path = root / "bench.qaw"
        db_path.unlink(missing_ok=True)
        ws = open_workspace(db_path)
        try:
            t0 = time.perf_counter()
            build(ws, args.agents, args.per_agent)
            n_eval = ws.db.execute("SELECT count(*) FROM evaluations").fetchone()[0]
            print(f"data: {args.agents} agents, {n_eval} evaluations "
                  f"({time.perf_counter() - t0:.1f} s to build)")  # fmt: skip
            dirs = {name: root / name for name in ("packs", "serial", "bare", "bare_wo")}
            for d in dirs.values():
                shutil.rmtree(d, ignore_errors=True)
                d.mkdir()
            agents = reporting.resolve_agents(ws, everyone=True)
            with Clock() as query:
                reporting.agent_reports(ws, agents, parse_period(PERIOD))
            with Clock() as serial:
                write_packs(ws, PackScope.for_all(), PERIOD, dirs["serial"], workers=1)
            with Clock() as packs:
                files = write_packs(ws, PackScope.for_all(), PERIOD, dirs["packs"])
            captured = capture(ws)
        finally:
            ws.close()
        n, workers = len(files), worker_count(len(files))
        bare_s, bare_cpu = bare(captured, dirs["bare"])
        wo_s, wo_cpu = bare_write_only(captured, dirs["bare_wo"])
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        def line(label: str, wall: float, cpu: float, what: str) -> None:
            print(f"{label:<30}{wall:7.2f} s wall, {cpu:6.2f} s CPU  ({1000 * wall / n:5.1f} ms "
                  f"a pack) {what}")  # fmt: skip

        print(f"openpyxl {openpyxl.__version__}, XML writer: "
              f"{'lxml' if openpyxl.LXML else 'et_xmlfile (lxml not installed)'}; "
              f"{available_cores()} cores")  # fmt: skip
        line("packs (default):", packs.wall, packs.cpu,
             f"{n} packs + index, {workers} process(es); target < 20 s")  # fmt: skip
        line("packs (one process):", serial.wall, serial.cpu, "the same, workers=1")
        print(f"  of which the batch's SQL aggregates: {query.wall:.2f} s")
        line("bare openpyxl, normal mode:", bare_s, bare_cpu,
             "Workbook(), ws.cell(), add_chart, save — the packs' mode")  # fmt: skip
        line("bare openpyxl, write-only:", wo_s, wo_cpu,
             "Workbook(write_only=True), ws.append(), add_chart, save")  # fmt: skip
        # Like for like: one process against one process, and CPU (all processes) against CPU.
        ratio, ratio_cpu = serial.wall / bare_s, packs.cpu / bare_cpu
        print(f"ratio packs / bare (normal mode): {ratio:.2f} wall (one process each), "
              f"{ratio_cpu:.2f} CPU (all processes) — target ≤ 2")  # fmt: skip
        print(f"ratio packs / bare (write-only):  {serial.wall / wo_s:.2f} wall, "
              f"{packs.cpu / wo_cpu:.2f} CPU")  # fmt: skip
        print(f"default run's wall / bare wall: {packs.wall / bare_s:.2f} "
              f"({workers} processes against one: not like for like)")  # fmt: skip
        print(f"peak RSS: {rss:.0f} MB this process, {child_rss:.0f} MB the largest worker")
        print(f"time target {'met' if packs.wall < 20 else 'MISSED'}; ratio target "
              f"{'met' if min(ratio, ratio_cpu) <= 2 else 'MISSED'}")  # fmt: skip
        if args.json:
            print(json.dumps({
                "packs": n, "workers": workers, "lxml": bool(openpyxl.LXML),
                "packs_s": packs.wall, "packs_cpu_s": packs.cpu,
                "serial_s": serial.wall, "serial_cpu_s": serial.cpu, "query_s": query.wall,
                "bare_s": bare_s, "bare_cpu_s": bare_cpu,
                "bare_write_only_s": wo_s, "bare_write_only_cpu_s": wo_cpu,
                "ratio": ratio, "ratio_cpu": ratio_cpu, "rss_mb": rss, "worker_rss_mb": child_rss,
            }))  # fmt: skip
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
