"""JobRunner delivers progress, results and errors on the UI thread, in order, and cancels."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread, QThreadPool

from qa_studio.errors import DataRefused
from qa_studio.services.jobs import JobRunner, SyncJobRunner


def _counting(n: int):
    def job(progress, is_cancelled):
        for i in range(1, n + 1):
            progress(i, n)
        return f"counted {n}"

    return job


def _failing(progress, is_cancelled):
    progress(1, 2)
    raise DataRefused("row 2, column started_at: not a date")


def _record(handle_events: list):
    return {
        "on_progress": lambda d, t: handle_events.append(("progress", d, t)),
        "on_success": lambda r: handle_events.append(("success", r)),
        "on_error": lambda e: handle_events.append(("error", e)),
        "on_finished": lambda: handle_events.append(("finished",)),
    }


def test_sync_runner_reports_in_order(qapp):
    events: list = []
    handle = SyncJobRunner().submit(_counting(3), **_record(events))
    assert handle.done
    assert events[0] == ("progress", 1, 3)  # the first report always gets through
    assert events[-3:] == [("progress", 3, 3), ("success", "counted 3"), ("finished",)]


def test_sync_runner_reports_errors(qapp):
    events: list = []
    SyncJobRunner().submit(_failing, **_record(events))
    kinds = [e[0] for e in events]
    assert kinds == ["progress", "error", "finished"]
    assert isinstance(events[1][1], DataRefused)


def test_sync_runner_can_cancel_before_the_job_runs(qapp):
    runner = SyncJobRunner()
    runner.before_run = lambda handle: handle.cancel()
    results: list = []
    runner.submit(
        lambda p, cancelled: "stopped" if cancelled() else "ran", on_success=results.append
    )
    assert results == ["stopped"]


@pytest.fixture
def pool():
    pool = QThreadPool()
    yield pool
    pool.waitForDone(5000)


def test_thread_runner_delivers_on_the_ui_thread(qtbot, pool):
    runner = JobRunner(pool)
    ui_thread = QThread.currentThread()
    seen: list = []
    worker: list = []

    def job(progress, is_cancelled):
        worker.append(threading.get_ident())
        progress(5, 5)
        return 42

    def on_success(result):
        seen.append((result, QThread.currentThread() is ui_thread))

    handle = runner.submit(
        job, on_success=on_success, on_progress=lambda d, t: seen.append(("progress", d, t))
    )
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert worker and worker[0] != threading.get_ident()
    assert seen == [("progress", 5, 5), (42, True)]
    assert runner.active == 0


def test_thread_runner_reports_errors(qtbot, pool):
    runner = JobRunner(pool)
    errors: list = []
    handle = runner.submit(_failing, on_error=errors.append)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert len(errors) == 1 and "not a date" in errors[0].message


def test_thread_runner_cancels(qtbot, pool):
    runner = JobRunner(pool)
    started = threading.Event()

    def job(progress, is_cancelled):
        started.set()
        while not is_cancelled():
            QThread.msleep(5)
        return "cancelled cleanly"

    results: list = []
    handle = runner.submit(job, on_success=results.append)
    assert started.wait(5)
    assert not handle.done
    handle.cancel()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert results == ["cancelled cleanly"] and handle.is_cancelled()
