"""Run every benchmark and print one table: figure, value, target, ratio and verdict (issue 10 §5).

    python benchmarks/run_all.py [--quick] [--only NAME ...] [--cache DIR] [--bundle DIR]

Each benchmark runs in its own process (``--json``), so one's memory and caches cannot flatter
another, and the figures are read from its JSON document rather than from its text. The
1,000,000-row workspaces take a minute or two each to generate, so they are built once into
``--cache`` (default: ``qa-studio-bench`` in the temporary folder) and reused by later runs —
the browser benchmark's workspace also serves the start-up and memory measurements:

* **cold start to main window** — a fresh ``python`` process that builds the application, opens
  the workspace and shows the main window; the clock runs from just before the process is started
  until the first page of the table has been fetched and the window is exposed (target < 2 s);
* **RSS with the 1 M workspace open** — that same process's resident memory at that moment
  (target < 300 MB);
* **cold start, CLI screenshot** — the wall time of ``qa-studio --db F --screenshot OUT`` (which
  includes the fixed 250 ms it lets the window settle before the grab), and the same from the
  PyInstaller bundle when ``--bundle`` (default ``dist/qa-studio``) exists;
* **browser filter on 1 M rows** — the slowest filter change in ``browser_bench`` (< 300 ms).

``--quick`` uses small sizes (a smoke run of the harness, not of the targets). ``--only`` takes
one or more of: import, browser, sampling, packs, startup.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
NAMES = ("import", "browser", "sampling", "packs", "startup")


@dataclass(frozen=True)
class Figure:
    """One row of the table; ``target`` None for figures reported without a target."""

    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        if self.target is None or self.target == 0:
            return None
        return self.target / self.value if self.higher_is_better else self.value / self.target

    @property
    def verdict(self) -> str:
        if self.ratio is None:
            return "info"
        return "met" if self.ratio <= 1.0 else "MISSED"


@dataclass(frozen=True)
class Sizes:
    rows: int
    import_rows: int
    sampling_agents: int
    pack_agents: int
    repeat: int


FULL = Sizes(rows=1_000_000, import_rows=1_000_000, sampling_agents=500, pack_agents=500, repeat=5)
QUICK = Sizes(rows=20_000, import_rows=20_000, sampling_agents=50, pack_agents=20, repeat=2)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_json(script: str, *args: str) -> dict:
    """Run ``benchmarks/<script> --json ARGS``, echo its text, return its (last) JSON document."""
    command = [sys.executable, str(BENCH / script), *args, "--json"]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    done = subprocess.run(command, capture_output=True, text=True, env=_env(), cwd=ROOT)
    text = done.stdout
    start = text.rfind("\n{")
    body = text[: start + 1] if start >= 0 else text
    print(body.rstrip(), flush=True)
    if done.returncode != 0 or start < 0:
        sys.stderr.write(done.stderr)
        raise RuntimeError(f"{script} failed (exit code {done.returncode})")
    return json.loads(text[start + 1 :])


# -- the benchmarks ------------------------------------------------------------------------------


def bench_import(sizes: Sizes, cache: Path) -> list[Figure]:
    r = run_json("import_bench.py", "--rows", str(sizes.import_rows))
    rows = r["rows"]
    return [
        Figure(f"import {rows:,} rows: rows/s", rows / r["import_s"], "rows/s"),
        Figure(
            "import / raw executemany (best of wall, CPU)",
            min(r["ratio"], r["ratio_cpu"]),
            "×",
            1.5,
        ),
        Figure("import peak RSS", r["peak_rss_mb"], "MB"),
    ]


def browser_db(sizes: Sizes, cache: Path) -> Path:
    return cache / f"browser_{sizes.rows}.qaw"


def bench_browser(sizes: Sizes, cache: Path) -> list[Figure]:
    path = browser_db(sizes, cache)
    r = run_json("browser_bench.py", "--db", str(path), "--rows", str(sizes.rows))
    times = r["times_ms"]
    filters = {k: v for k, v in times.items() if k.startswith("filter:")}
    slowest = max(filters, key=filters.get)
    sorts = {k: v for k, v in times.items() if k.startswith("sort:")}
    rows = r["rows"]
    return [
        Figure(
            f"browser first page, {rows:,} rows",
            times["first page shown (window built and painted)"],
            "ms",
            1000,
        ),
        Figure(
            f"browser filter on {rows:,} rows (slowest: {slowest[8:]})", filters[slowest], "ms", 300
        ),
        Figure("browser slowest sort", max(sorts.values()), "ms"),
        Figure("browser session peak RSS (after scrolling everywhere)", r["peak_rss_mib"], "MiB"),
    ]


def bench_sampling(sizes: Sizes, cache: Path) -> list[Figure]:
    path = cache / f"sampling_{sizes.rows}_{sizes.sampling_agents}.qaw"
    r = run_json("sampling_bench.py", "--db", str(path), "--rows", str(sizes.rows),
                 "--agents", str(sizes.sampling_agents), "--repeat", str(sizes.repeat))  # fmt: skip
    t = r["times_s"]
    figures = [
        Figure(f"sampling preview, {name} ({r['in_month']:,} in month)", t[name] * 1000, "ms", 500)
        for name in ("no risk weights", "common risk keys", "every risk key")
    ]
    window = t["window"]
    figures.append(Figure("sampling every-risk / window query", t["every risk key"] / window,
                          "×", 1.0))  # fmt: skip
    return figures


def bench_packs(sizes: Sizes, cache: Path) -> list[Figure]:
    r = run_json("packs_bench.py", "--agents", str(sizes.pack_agents))
    return [
        Figure(f"coaching packs, {r['packs']} packs + index", r["packs_s"], "s", 20),
        Figure(
            "packs / bare openpyxl (best of wall, CPU)", min(r["ratio"], r["ratio_cpu"]), "×", 2.0
        ),
    ]


#: Runs in a fresh interpreter: build the app and the main window on a workspace, as app.run_gui
#: does, and report when the first page is fetched and the window exposed, with the process's RSS.
PROBE = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop, QSettings
from qa_studio.app import application
from qa_studio.services.jobs import JobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import open_workspace
from qa_studio.ui.main_window import MainWindow, Services

app = application(headless_ok=True)
settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
window = MainWindow(Services(settings=settings, jobs=JobRunner()), open_workspace(Path(sys.argv[1])),
                    remember=False)
window.resize(1400, 900)
window.show()
end = time.time() + 60
while time.time() < end:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    handle = window.windowHandle()
    if handle is not None and handle.isExposed() and window.browser.model.pages_fetched > 0:
        break
ready = time.time()
status = {}
with open("/proc/self/status", encoding="ascii") as fh:
    for line in fh:
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            status[key] = int(value.split()[0]) / 1024
print(json.dumps({"ready": ready, "rows": window.browser.model.rowCount(), **status}))
window.close()
"""


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise RuntimeError(f"{' '.join(command)} failed (exit code {done.returncode})")
    return elapsed


def _startup_env(cache: Path) -> dict[str, str]:
    """``_env()`` with bytecode caching on, kept under ``cache`` rather than in the source tree.

    An installed QA Studio (wheel or bundle) runs from compiled bytecode; with
    ``PYTHONDONTWRITEBYTECODE`` set (as in some shells and CI images) every start would compile
    ~250 modules from source first, about 0.7 s that no user pays. The warm-up run compiles them.
    """
    env = _env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    return env


def bench_startup(sizes: Sizes, cache: Path, bundle: Path | None = None) -> list[Figure]:
    """Start-up time and memory on the browser benchmark's workspace (built there if missing)."""
    path = browser_db(sizes, cache)
    if not path.exists():
        run_json("browser_bench.py", "--db", str(path), "--rows", str(sizes.rows))
    env = _startup_env(cache)
    with tempfile.TemporaryDirectory(prefix="qa-startup-") as tmp:
        env.update(XDG_CONFIG_HOME=f"{tmp}/config", XDG_DATA_HOME=f"{tmp}/data")
        probe = [sys.executable, "-c", PROBE, str(path), f"{tmp}/settings.ini"]
        subprocess.run(probe, capture_output=True, env=env, cwd=ROOT)  # warm the disk cache once
        results = []
        for _ in range(3):
            start = time.time()
            done = subprocess.run(probe, capture_output=True, text=True, env=env, cwd=ROOT)
            if done.returncode != 0:
                sys.stderr.write(done.stderr)
                raise RuntimeError("start-up probe failed")
            doc = json.loads(done.stdout.strip().splitlines()[-1])
            results.append((doc["ready"] - start, doc))
        best, doc = min(results, key=lambda item: item[0])
        shot = [sys.executable, "-m", "qa_studio", "--db", str(path), "--screenshot",
                f"{tmp}/shot.png"]  # fmt: skip
        cli = min(_timed(shot, env) for _ in range(3))
        # Parsing is on every start's path; it must not import the command modules (cli.py).
        version = min(
            _timed([sys.executable, "-m", "qa_studio", "--version"], env) for _ in range(3)
        )
        usage = min(_timed([sys.executable, "-m", "qa_studio", "--help"], env) for _ in range(3))
        rows = doc["rows"]
        print(f"\nstart-up on {rows:,} rows: window shown in {best:.2f} s (best of 3), "
              f"RSS {doc['VmRSS']:.0f} MiB; CLI screenshot {cli:.2f} s", flush=True)  # fmt: skip
        figures = [
            Figure(f"cold start to main window ({rows:,} rows, python)", best, "s", 2.0),
            Figure(f"RSS with the {rows:,}-row workspace open", doc["VmRSS"], "MiB", 300),
            Figure("cold start, qa-studio --screenshot (incl. 250 ms settle)", cli, "s", 2.0),
            Figure("qa-studio --version", version, "s"),
            Figure("qa-studio --help (lists every command)", usage, "s"),
        ]
        exe = (bundle or ROOT / "dist" / "qa-studio") / "qa-studio"
        if exe.exists():
            command = [str(exe), "--db", str(path), "--screenshot", f"{tmp}/bundle.png"]
            _timed(command, env)
            frozen = min(_timed(command, env) for _ in range(3))
            figures.append(Figure("cold start, bundle --screenshot (incl. 250 ms settle)", frozen,
                                  "s", 2.0))  # fmt: skip
    return figures


# -- the table -------------------------------------------------------------------------------------


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(figures: list[Figure]) -> str:
    width = max(len(f.name) for f in figures)
    lines = [f"{'figure':<{width}}  {'value':>14}  {'target':>12}  {'ratio':>6}  verdict"]
    lines.append("-" * len(lines[0]))
    for f in figures:
        value = f"{_number(f.value)} {f.unit}"
        if f.target is None:
            target, ratio = "—", ""
        else:
            sign = "≥" if f.higher_is_better else ("≤" if f.unit == "×" else "<")
            target, ratio = f"{sign} {_number(f.target)} {f.unit}", f"{f.ratio:.2f}"
        lines.append(f"{f.name:<{width}}  {value:>14}  {target:>12}  {ratio:>6}  {f.verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", nargs="+", choices=NAMES, metavar="NAME",
                        help=f"run only these: {', '.join(NAMES)}")  # fmt: skip
    parser.add_argument("--cache", type=Path, help="folder for the generated workspaces")
    parser.add_argument("--bundle", type=Path, help="PyInstaller bundle folder (dist/qa-studio)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    cache = args.cache or Path(tempfile.gettempdir()) / "qa-studio-bench"
    cache.mkdir(parents=True, exist_ok=True)
    runners: dict[str, Callable[[Sizes, Path], list[Figure]]] = {
        "import": bench_import,
        "browser": bench_browser,
        "sampling": bench_sampling,
        "packs": bench_packs,
        "startup": lambda s, c: bench_startup(s, c, args.bundle),
    }
    figures: list[Figure] = []
    failed: list[str] = []
    for name in args.only or NAMES:
        try:
            figures += runners[name](sizes, cache)
        except RuntimeError as exc:
            failed.append(f"{name}: {exc}")
    print()
    if figures:
        print(table(figures))
    for line in failed:
        print(f"FAILED {line}")
    missed = [f.name for f in figures if f.verdict == "MISSED"]
    return 1 if failed or missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
