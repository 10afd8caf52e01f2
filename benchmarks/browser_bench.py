"""Browser benchmark: a 1,000,000-interaction workspace in the main window, offscreen.

    QT_QPA_PLATFORM=offscreen python benchmarks/browser_bench.py [--db FILE] [--rows N]

Without ``--db`` a workspace is generated in a temporary folder (bulk ``executemany`` of random
rows: a fixture, not the import path — ``import_bench.py`` measures that). With ``--db FILE`` an
existing file is reused, or created there when missing, so repeated runs skip the minute of
generation. Prints the time to open the workspace, to show the first page, of the count query, to
scroll to the end, of filter and sort changes, and the peak RSS. Targets (issue 3): first page
< 1 s, a filter change < 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa_studio.storage.db import open_workspace

TEAMS = ("Billing", "Broadband Faults", "Payments", "Customer Relations")
CHANNELS = (("voice", 50), ("chat", 30), ("email", 15), ("social", 3), ("task", 2))
QUEUES = ("Billing", "Faults", "Payments", "Complaints", "Moves", "Retention")
BATCH = 20_000


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build(path: Path, rows: int, agents: int = 24, seed: int = 7) -> None:
    """Fill a new workspace with ``rows`` random interactions over six months, in random order."""
    rng = random.Random(seed)
    ws = open_workspace(path)
    try:
        conn = ws.db.conn
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB: random index inserts stay in memory
        with ws.db.atomic():
            team_ids = []
            for name in TEAMS:
                cur = conn.execute(
                    "INSERT INTO teams (uuid, name) VALUES (?, ?)", (_uuid(rng), name)
                )
                team_ids.append(cur.lastrowid)
            agent_ids = []
            for i in range(agents):
                cur = conn.execute(
                    "INSERT INTO agents (uuid, external_id, name, team_id) VALUES (?, ?, ?, ?)",
                    (_uuid(rng), f"agent{i:03d}", f"Agent {i:03d}", team_ids[i % len(team_ids)]),
                )
                agent_ids.append(cur.lastrowid)
            channels = [c for c, _ in CHANNELS]
            weights = [w for _, w in CHANNELS]
            end = datetime(2026, 10, 31, tzinfo=UTC)
            span = int(timedelta(days=183).total_seconds())
            sql = (
                "INSERT INTO interactions (uuid, external_id, channel, agent_id, queue, started_at,"
                " duration_s, csat, fcr, complaint, vulnerable, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            stamp = "2026-11-01T00:00:00Z"
            for start in range(0, rows, BATCH):
                batch = []
                for n in range(start, min(rows, start + BATCH)):
                    at = end - timedelta(seconds=rng.randrange(span))
                    roll = rng.random()
                    batch.append(
                        (
                            _uuid(rng),
                            f"{rng.getrandbits(48):012x}-{n:07d}",
                            rng.choices(channels, weights)[0],
                            None if roll < 0.02 else rng.choice(agent_ids),
                            rng.choice(QUEUES),
                            at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                            float(rng.randrange(30, 1800)),
                            rng.randint(1, 5) if roll > 0.4 else None,
                            rng.randint(0, 1) if roll > 0.3 else None,
                            "formal" if roll > 0.995 else "informal" if roll > 0.975 else "none",
                            1 if rng.random() < 0.03 else 0,
                            stamp,
                        )
                    )
                conn.executemany(sql, batch)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        ws.close()


class Bench:
    """Times UI actions: each runs, then Qt processes events until ``ready`` holds (painted)."""

    def __init__(self, app) -> None:
        self.app = app
        self.results: dict[str, float] = {}

    def settle(self, ready=lambda: True, timeout_s: float = 60.0) -> None:
        from PySide6.QtCore import QEventLoop

        end = time.perf_counter() + timeout_s
        while True:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            if ready() or time.perf_counter() > end:
                break
        self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

    def time(self, name: str, action, ready=lambda: True) -> float:
        start = time.perf_counter()
        action()
        self.settle(ready)
        ms = (time.perf_counter() - start) * 1000
        self.results[name] = ms
        print(f"{name:<44} {ms:9.1f} ms", flush=True)
        return ms


def _rss_status() -> dict[str, int]:
    """Current RssAnon (private memory) and RssFile (shared libraries: Qt, Python) in MiB."""
    out = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("RssAnon", "RssFile", "VmHWM")):
                key, value = line.split(":")
                out[key] = int(value.split()[0]) // 1024
    return out


def run(path: Path) -> dict:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from qa_studio.services.jobs import SyncJobRunner
    from qa_studio.services.qt_compat import keep_none_alive
    from qa_studio.services.settings import Settings
    from qa_studio.storage.repository.browser_query import BrowserFilter, BrowserQuery, BrowserSort
    from qa_studio.ui.main_window import MainWindow, Services
    from qa_studio.ui.models.interactions_model import COLUMNS

    keep_none_alive()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    bench = Bench(app)
    box: dict = {}
    bench.time("open workspace", lambda: box.update(ws=open_workspace(path, create=False)))
    ws = box["ws"]
    folder = tempfile.mkdtemp(prefix="browser-bench-")
    settings = Settings(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))

    def show() -> None:
        win = MainWindow(Services(settings, SyncJobRunner()), ws, remember=False)
        win.resize(1400, 900)
        win.show()
        box["win"] = win

    bench.time(
        "first page shown (window built and painted)",
        show,
        lambda: box.get("win") is not None and box["win"].browser.model.pages_fetched > 0,
    )
    win = box["win"]
    model, table, browser = win.browser.model, win.browser.table, win.browser
    total = model.rowCount()
    print(f"{'rows in the table':<44} {total:9,d}")
    bench.time(
        "count query (no filter)", lambda: BrowserQuery(ws, BrowserFilter(), BrowserSort()).total
    )
    last_page = (total - 1) // model.PAGE_SIZE
    bench.time("scroll to the end", table.scrollToBottom, lambda: last_page in model.cached_pages())
    bar = table.verticalScrollBar()
    bench.time(
        "jump to the middle (scroll bar)",
        lambda: bar.setValue(bar.maximum() // 2),
        lambda: (total // 2) // model.PAGE_SIZE in model.cached_pages(),
    )
    steps = []
    for _ in range(10):
        steps.append(bench.time("  page down", lambda: bar.setValue(bar.value() + bar.pageStep())))
    bench.results["page down (mean of 10)"] = sum(steps) / len(steps)
    bench.time("back to the top", table.scrollToTop, lambda: 0 in model.cached_pages())

    def choose(combo, text):
        def action():
            combo.setCurrentIndex(combo.findText(text))
            browser.apply_filters()

        return action

    agent_name = browser.agent_combo.itemText(2)
    team_name = browser.team_combo.itemText(2)
    filters = [
        ("filter: channel = chat", choose(browser.channel_combo, "Chat")),
        ("filter: + one agent", choose(browser.agent_combo, agent_name)),
        ("filter: all agents again (chat only)", choose(browser.agent_combo, "All agents")),
        ("filter: + one team", choose(browser.team_combo, team_name)),
        (
            "filter: + vulnerable only",
            lambda: (browser.vulnerable_check.setChecked(True), browser.apply_filters()),
        ),
        ("filter: clear all", browser.clear_filters),
        ("filter: formal complaints", choose(browser.complaint_combo, "Formal")),
        ("filter: clear all", browser.clear_filters),
        (
            "filter: external id prefix (4 chars)",
            lambda: (
                browser.external_id_edit.setText(model.index(0, len(COLUMNS) - 1).data()[:4]),
                browser.apply_filters(),
            ),
        ),
        ("filter: clear all", browser.clear_filters),
        (
            "filter: one month",
            lambda: (
                browser.date_check.setChecked(True),
                browser.date_to.setDate(browser.date_to.date()),
                browser.date_from.setDate(browser.date_to.date().addMonths(-1)),
                browser.apply_filters(),
            ),
        ),
        ("filter: clear all", browser.clear_filters),
    ]
    for name, action in filters:
        bench.time(name, action, lambda: model.rowCount() == 0 or 0 in model.cached_pages())
    keys = [k for _, k in COLUMNS]
    for key, order in (
        ("agent", Qt.SortOrder.AscendingOrder),
        ("team", Qt.SortOrder.AscendingOrder),
        ("channel", Qt.SortOrder.AscendingOrder),
        ("external_id", Qt.SortOrder.AscendingOrder),
        ("started_at", Qt.SortOrder.AscendingOrder),
        ("started_at", Qt.SortOrder.DescendingOrder),
    ):
        bench.time(
            f"sort: {key} {'asc' if order == Qt.SortOrder.AscendingOrder else 'desc'}",
            lambda k=key, o=order: table.sortByColumn(keys.index(k), o),
            lambda: 0 in model.cached_pages(),
        )
        if key in ("agent", "external_id"):
            bench.time(
                f"  then scroll to the end ({key})",
                table.scrollToBottom,
                lambda: last_page in model.cached_pages(),
            )
            table.scrollToTop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    status = _rss_status()
    print(
        f"{'peak RSS':<44} {peak:9,d} MiB (now: anonymous {status.get('RssAnon')} MiB, "
        f"file-backed (shared libraries) {status.get('RssFile')} MiB)"
    )
    win.close()
    return {"rows": total, "times_ms": bench.results, "peak_rss_mib": peak, **status}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="reuse (or create) this workspace file")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows when generating")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args(argv)
    path = args.db or Path(tempfile.mkdtemp(prefix="browser-bench-")) / "bench.qaw"
    if not path.exists():
        start = time.perf_counter()
        build(path, args.rows)
        print(
            f"generated {args.rows:,} interactions in {time.perf_counter() - start:.1f} s "
            f"({path.stat().st_size / 2**20:,.0f} MiB) at {path}",
            flush=True,
        )
    result = run(path)
    times = result["times_ms"]
    verdicts = {
        "first page < 1 s": times["first page shown (window built and painted)"] < 1000,
        "filter changes < 300 ms": all(
            v < 300 for k, v in times.items() if k.startswith("filter:")
        ),
    }
    for name, ok in verdicts.items():
        print(f"target {name}: {'met' if ok else 'MISSED'}")
    if args.json:
        print(json.dumps({**result, "targets": verdicts}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
