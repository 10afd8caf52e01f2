"""Writing a batch of coaching packs on this process or on worker processes.

A pack costs 50–70 ms of CPU, nearly all of it openpyxl building and serialising cells, so a
contact centre's 500 packs are CPU-bound Python that threads cannot share out. Large batches go
to a ``ProcessPoolExecutor`` with one worker per available core; the figures are computed in a
fixed number of SQL queries in the calling process, so the workers only receive reports (plain
dataclasses) and write files.

* **Start method.** Workers are *spawned* (a fresh interpreter), never forked: the caller may be
  a Qt application whose job runs on a pool thread, and forking a process with running threads
  copies locks in whatever state they are in. A frozen build (PyInstaller) writes in-process,
  because spawning there needs ``multiprocessing.freeze_support()`` in the entry point. As with
  any spawned process, a worker imports the parent's main *script* (not a ``-m`` module), so a
  script that writes a large batch keeps its top level under ``if __name__ == "__main__":`` —
  the ``qa-studio`` entry points, pytest and the benchmarks do.
* **Ctrl+C** reaches the parent only (the workers ignore SIGINT): it finishes the packs being
  written, stops the pool and re-raises.
* **Start-up.** A spawned worker needs nearly a second to import openpyxl, mpmath and the exporter;
  ``WorkerPool`` starts the workers (running ``prepare`` in each) as soon as it is entered, so
  that happens while the caller runs its queries. Small batches (under ``PACKS_PER_WORKER`` packs
  a worker) are written in-process.
* **Order, progress, Cancel.** Packs are handed out in order, at most two per worker at a time,
  and ``is_cancelled`` is asked before each is handed out; after a Cancel the packs already
  handed out are finished and nothing more is started, so the packs written are always the
  first *n* of the batch, under file names chosen beforehand. ``progress`` is called on the
  calling thread as packs complete.
* **Errors.** The first error from a pack is raised in the caller once the workers have finished
  what they were doing and been shut down; no worker outlives the ``WorkerPool`` block.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from datetime import date
from pathlib import Path
from types import TracebackType

from qa_studio.storage.repository.reporting_types import AgentReport

__all__ = ["MAX_WORKERS", "PACKS_PER_WORKER", "WorkerPool", "available_cores", "worker_count",
           "write_all"]  # fmt: skip

#: A worker is only worth its start-up (under a second, overlapping the queries) for at least
#: this many packs (50–70 ms each).
PACKS_PER_WORKER = 16
#: A cap on processes: each worker holds its own ~100 MB of interpreter, openpyxl and numpy.
MAX_WORKERS = 4

WritePack = Callable[..., Path]
Progress = Callable[[int, int], None]
Jobs = Sequence[tuple[AgentReport, Path]]


def available_cores() -> int:
    """Cores this process may run on (its affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def worker_count(packs: int, cores: int | None = None) -> int:
    """How many processes should write ``packs`` packs: 1 (in-process) for a small batch, a
    frozen build or a single core; else one per core, at most ``MAX_WORKERS`` and at most one
    per ``PACKS_PER_WORKER`` packs."""
    if getattr(sys, "frozen", False):
        return 1
    cores = available_cores() if cores is None else cores
    return max(1, min(cores, MAX_WORKERS, packs // PACKS_PER_WORKER))


class WorkerPool:
    """``workers`` spawned worker processes for the length of a ``with`` block (none when
    ``workers`` is 1, or in a frozen build: ``write_all`` then writes in-process). Each worker
    runs ``prepare`` (a module-level function: imports, warm caches) as soon as the block is
    entered."""

    def __init__(self, workers: int, prepare: Callable[[], object] | None = None) -> None:
        self.workers = max(1, workers)
        self._prepare = prepare
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> WorkerPool:
        if self.workers > 1 and not getattr(sys, "frozen", False):
            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self._prepare,),
            )
            # With "spawn" the pool starts a process per submission while none is idle: one
            # task each starts them all now rather than at the first pack.
            for _ in range(self.workers):
                self.executor.submit(_started)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def _start_worker(prepare: Callable[[], object] | None) -> None:
    """A worker's first act: leave Ctrl+C to the parent (which finishes the packs being written
    and stops the pool) rather than dying mid-file, then ``prepare``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if prepare is not None:
        prepare()


def _started() -> None:
    """The task that makes the pool start a worker (its initializer does the work)."""


def write_all(
    jobs: Jobs,
    write: WritePack,
    *,
    generated: date,
    media_root: Path | None,
    pool: WorkerPool | None = None,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write every ``(report, path)`` of ``jobs`` with ``write(report, path, generated=…,
    media_root=…)`` — a module-level function, so that a worker process can import it — on the
    workers of ``pool`` (in-process without one). Returns how many were written: always the
    first *n* jobs (fewer than all only after a Cancel)."""
    if progress is not None:
        progress(0, len(jobs))
    if pool is None or pool.executor is None:
        return _write_here(jobs, write, generated, media_root, progress, is_cancelled)
    return _write_in_workers(jobs, write, generated, media_root, pool, progress, is_cancelled)


def _write_here(
    jobs: Jobs,
    write: WritePack,
    generated: date,
    media_root: Path | None,
    progress: Progress | None,
    is_cancelled: Callable[[], bool] | None,
) -> int:
    for done, (report, path) in enumerate(jobs, start=1):
        if is_cancelled is not None and is_cancelled():
            return done - 1
        write(report, path, generated=generated, media_root=media_root)
        if progress is not None:
            progress(done, len(jobs))
    return len(jobs)


def _write_in_workers(
    jobs: Jobs,
    write: WritePack,
    generated: date,
    media_root: Path | None,
    pool: WorkerPool,
    progress: Progress | None,
    is_cancelled: Callable[[], bool] | None,
) -> int:
    executor = pool.executor
    assert executor is not None
    in_flight: set[Future] = set()
    handed_out = finished = 0
    cancelled = False
    try:
        while True:
            while not cancelled and handed_out < len(jobs) and len(in_flight) < 2 * pool.workers:
                if is_cancelled is not None and is_cancelled():
                    cancelled = True
                    break
                report, path = jobs[handed_out]
                in_flight.add(
                    executor.submit(write, report, path, generated=generated, media_root=media_root)
                )
                handed_out += 1
            if not in_flight:
                return handed_out
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()  # a pack's error, raised here
                finished += 1
                if progress is not None:
                    progress(finished, len(jobs))
    except BaseException:
        # Let the packs being written finish, start no more; the caller's block shuts down.
        for future in in_flight:
            future.cancel()
        wait(in_flight)
        raise
