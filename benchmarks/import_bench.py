"""Import benchmark: ``run_import`` of a generated CSV against a raw ``executemany`` baseline.

    python benchmarks/import_bench.py [--rows 1000000] [--seed 7]

Generates N interactions as a CSV (UTF-8, ``;``-separated, spreadsheet-style headers) in a
temporary folder, imports it with ``qa_studio.importers.api.run_import`` into a fresh workspace,
then inserts the very same stored rows (read back from that workspace, so already parsed, with
the same uuids and agent ids) into a second fresh workspace made by ``open_workspace`` with one
``sqlite3.executemany`` in one transaction. Prints rows/s, both times, the ratio (target ≤ 1.5×)
and the peak RSS of the import phase. The import enlarges SQLite's page cache for its connection
(``pipeline.IMPORT_CACHE_KIB``), so the raw insert is also timed a second time with the same cache
for a like-for-like ratio. The temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from qa_studio.importers.api import run_import
from qa_studio.importers.pipeline import IMPORT_CACHE_KIB
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository.interactions import FIELDS

HEADERS = [
    "Contact ID",
    "Channel",
    "Start Time",
    "End Time",
    "Agent ID",
    "Agent Name",
    "Team",
    "Queue",
    "Direction",
    "Queue Wait",
    "Duration",
    "Hold",
    "Wrap",
    "Customer ID",
    "Outcome",
    "CSAT",
    "FCR",
    "Complaint",
    "Vulnerable",
    "Tags",
]
QUEUES = ["Billing", "Broadband Faults", "Payments", "Complaints", "Bereavement", "Moving Home"]
OUTCOMES = ["resolved", "escalated", "callback booked", "transferred", "information given"]


def generate(path: Path, rows: int, seed: int) -> None:
    """Write ``rows`` realistic interactions; 5 % abandoned (no agent), CSAT often missing."""
    rng = random.Random(seed)
    agents = [(f"AG{n:04d}", f"Agent {n:04d}", f"Team {n % 12:02d}") for n in range(400)]
    start = datetime(2026, 5, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(HEADERS)
        for i in range(rows):
            began = start + timedelta(seconds=i * 15 + rng.randrange(15))
            abandoned = rng.random() < 0.05
            agent = ("", "", "") if abandoned else rng.choice(agents)
            talk = 0 if abandoned else rng.randrange(60, 1800)
            wait = rng.randrange(0, 600)
            ended = began + timedelta(seconds=wait + talk)
            out.writerow(
                [
                    f"CN-{i:09d}",
                    rng.choice(("voice", "voice", "chat", "email")),
                    began.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    ended.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    *agent,
                    rng.choice(QUEUES),
                    rng.choice(("inbound", "inbound", "outbound")),
                    wait,
                    talk,
                    "" if abandoned else rng.randrange(0, 120),
                    "" if abandoned else rng.randrange(0, 90),
                    f"CUST{rng.randrange(200_000):06d}",
                    "abandoned" if abandoned else rng.choice(OUTCOMES),
                    rng.choice(("", "", "1", "2", "3", "4", "5", "5")),
                    rng.choice(("yes", "no", "")),
                    rng.choice(("none",) * 30 + ("informal", "formal")),
                    rng.choice(("no",) * 40 + ("yes",)),
                    rng.choice(("", "", "billing;repeat")),
                ]
            )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="qa-import-bench-"))
    try:
        source = folder / "interactions.csv"
        t0 = time.perf_counter()
        generate(source, args.rows, args.seed)
        size_mb = source.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )

        ws = open_workspace(folder / "import.qaw")
        rss_before = peak_rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        report = run_import(ws, source)
        import_s, import_cpu = time.perf_counter() - t0, time.process_time() - c0
        rss_import = peak_rss_mb()
        if not report.ok or report.inserted != args.rows:
            print(report.summary(), file=sys.stderr)
            return 1
        cols = ", ".join(("uuid", "external_id", *FIELDS, "imported_at"))
        agents = ws.db.execute("SELECT id, uuid, external_id, name, team_id FROM agents").fetchall()
        teams = ws.db.execute("SELECT id, uuid, name FROM teams").fetchall()
        rows = ws.db.execute(f"SELECT {cols} FROM interactions ORDER BY id").fetchall()
        ws.close()

        sql = f"INSERT INTO interactions ({cols}) VALUES ({', '.join('?' * (len(FIELDS) + 3))})"

        def raw_insert(name: str, cache_kib: int | None) -> tuple[float, float]:
            """Same rows, fresh workspace, one executemany in one transaction."""
            raw = open_workspace(folder / name)
            with raw.db.atomic():
                raw.db.conn.executemany(
                    "INSERT INTO teams (id, uuid, name) VALUES (?, ?, ?)", teams
                )
                raw.db.conn.executemany(
                    "INSERT INTO agents (id, uuid, external_id, name, "
                    "team_id) VALUES (?, ?, ?, ?, ?)",
                    agents,
                )
            if cache_kib:
                raw.db.execute(f"PRAGMA cache_size = -{cache_kib:d}")
            t0, c0 = time.perf_counter(), time.process_time()
            with raw.db.atomic():
                raw.db.conn.executemany(sql, rows)
            elapsed = (time.perf_counter() - t0, time.process_time() - c0)
            raw.close()
            return elapsed

        raw_s, raw_cpu = raw_insert("raw.qaw", None)
        same_s, same_cpu = raw_insert("raw_cache.qaw", IMPORT_CACHE_KIB)

        print(
            f"run_import        {import_s:8.1f} s  {args.rows / import_s:12,.0f} rows/s"
            f"   (CPU {import_cpu:.1f} s)"
        )
        print(
            f"raw executemany   {raw_s:8.1f} s  {args.rows / raw_s:12,.0f} rows/s"
            f"   (CPU {raw_cpu:.1f} s)"
        )
        print(
            f"raw, same cache   {same_s:8.1f} s  {args.rows / same_s:12,.0f} rows/s"
            f"   (CPU {same_cpu:.1f} s; PRAGMA cache_size as the import sets it)"
        )
        print(
            f"ratio             {import_s / raw_s:8.2f} ×  (target ≤ 1.5 ×; CPU-time ratio "
            f"{import_cpu / raw_cpu:.2f} ×, steadier on a shared machine)"
        )
        print(
            f"like-for-like     {import_s / same_s:8.2f} ×  (against the raw insert with the "
            f"same {IMPORT_CACHE_KIB // 1024} MiB page cache; CPU {import_cpu / same_cpu:.2f} ×)"
        )
        print(
            f"peak RSS          {rss_import:8.0f} MB after the import "
            f"({rss_before:.0f} MB before it; {peak_rss_mb():.0f} MB at the end, "
            "including the baseline's rows in memory)"
        )
        if args.json:
            print(json.dumps({
                "rows": args.rows, "import_s": import_s, "import_cpu_s": import_cpu,
                "raw_s": raw_s, "raw_cpu_s": raw_cpu, "same_cache_s": same_s,
                "ratio": import_s / raw_s, "ratio_cpu": import_cpu / raw_cpu,
                "like_for_like": import_s / same_s, "peak_rss_mb": rss_import,
            }))  # fmt: skip
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
