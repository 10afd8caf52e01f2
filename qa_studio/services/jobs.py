"""Run slow work off the UI thread and hand its progress, result or error back to it.

Why: an import of a million rows takes a minute; the window must keep painting, show progress and
offer Cancel. A job is a plain function ``fn(progress, is_cancelled) -> result``: it reports with
``progress(done, total)``, polls ``is_cancelled()`` and returns (or raises). It must open its own
workspace connection (``open_workspace(path)``) because SQLite connections belong to one thread.

``JobRunner`` runs jobs on a ``QThreadPool``; ``SyncJobRunner`` runs them at once on the calling
thread, so tests stay deterministic. Both return a ``JobHandle`` whose signals are always delivered
on the UI thread, in order: any ``progressed``, then ``succeeded`` or ``failed``, then ``finished``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

Progress = Callable[[int, int], None]
JobFunction = Callable[[Progress, Callable[[], bool]], Any]

#: Progress reports closer together than this are dropped (the last one always gets through), so
#: a job calling ``progress`` once per row cannot flood the UI thread's event queue.
PROGRESS_INTERVAL_S = 0.05


class JobHandle(QObject):
    """One submitted job: cancel it, and listen to what it reports (on the UI thread)."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    # Emitted from the worker thread; queued onto this object's (the UI) thread.
    _progress_posted = Signal(int, int)
    _result_posted = Signal(object, object)

    def __init__(self, name: str = "job", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._cancel = threading.Event()
        self._done = False
        self._last_progress = 0.0
        self._progress_posted.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self._result_posted.connect(self._deliver_result, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Ask the job to stop; it notices the next time it calls ``is_cancelled()``."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def done(self) -> bool:
        return self._done

    # -- worker side ----------------------------------------------------------------------------

    def report_progress(self, done: int, total: int, *, queued: bool = True) -> None:
        now = time.monotonic()
        if done < total and now - self._last_progress < PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        if queued:
            self._progress_posted.emit(int(done), int(total))
        else:
            self._deliver_progress(int(done), int(total))

    def run(self, fn: JobFunction, *, queued: bool = True) -> None:
        """Call ``fn`` and post its outcome (from whichever thread runs this)."""

        def progress(done: int, total: int) -> None:
            self.report_progress(done, total, queued=queued)

        try:
            outcome: tuple[object, object] = (fn(progress, self.is_cancelled), None)
        except Exception as exc:  # any failure goes to the UI as an error, never lost in a thread
            outcome = (None, exc)
        if queued:
            self._result_posted.emit(*outcome)
        else:
            self._deliver_result(*outcome)

    # -- UI side --------------------------------------------------------------------------------

    @Slot(int, int)
    def _deliver_progress(self, done: int, total: int) -> None:
        if not self._done:
            self.progressed.emit(done, total)

    @Slot(object, object)
    def _deliver_result(self, result: object, error: object) -> None:
        self._done = True
        if error is None:
            self.succeeded.emit(result)
        else:
            self.failed.emit(error)
        self.finished.emit()


def _connect(
    handle: JobHandle,
    on_progress: Progress | None,
    on_success: Callable[[Any], None] | None,
    on_error: Callable[[BaseException], None] | None,
    on_finished: Callable[[], None] | None,
) -> None:
    if on_progress:
        handle.progressed.connect(on_progress)
    if on_success:
        handle.succeeded.connect(on_success)
    if on_error:
        handle.failed.connect(on_error)
    if on_finished:
        handle.finished.connect(on_finished)


class _Runnable(QRunnable):
    """A pool task that Python keeps alive until its job has finished.

    Handing ``QThreadPool.start`` a bare lambda leaves the wrapper's lifetime to the bindings; a
    garbage collection on the UI thread while the worker still ran has crashed the process
    (seen with PySide6 6.11 under pytest-qt). Owning the runnable ourselves removes that race.
    """

    def __init__(self, handle: JobHandle, fn: JobFunction) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.handle = handle
        self.fn = fn

    def run(self) -> None:
        self.handle.run(self.fn)


class JobRunner(QObject):
    """Runs jobs on a thread pool; keeps each handle alive until its job has finished."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: dict[JobHandle, _Runnable] = {}
        #: Runnables whose result is delivered; their worker may still be returning from run(),
        #: so they are released only once the pool is idle.
        self._spent: list[_Runnable] = []

    def submit(
        self,
        fn: JobFunction,
        *,
        name: str = "job",
        on_progress: Progress | None = None,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> JobHandle:
        """Start ``fn`` in the pool; callbacks are connected before it starts, so none is missed."""
        handle = JobHandle(name)
        _connect(handle, on_progress, on_success, on_error, on_finished)
        if self._pool.activeThreadCount() == 0:
            self._spent.clear()
        runnable = _Runnable(handle, fn)
        self._running[handle] = runnable
        handle.finished.connect(lambda: self._spent.append(self._running.pop(handle)))
        self._pool.start(runnable)
        return handle

    @property
    def active(self) -> int:
        return len(self._running)

    def cancel_all(self) -> None:
        for handle in list(self._running):
            handle.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (shutdown and tests); queued results still need events."""
        return self._pool.waitForDone(msecs)


class SyncJobRunner(QObject):
    """Runs each job to completion inside ``submit``: same API, no threads (for tests)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.submitted: list[JobHandle] = []
        #: Called with each handle just before its job runs — e.g. to press Cancel in a test.
        self.before_run: Callable[[JobHandle], None] | None = None

    def submit(
        self,
        fn: JobFunction,
        *,
        name: str = "job",
        on_progress: Progress | None = None,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> JobHandle:
        handle = JobHandle(name)
        _connect(handle, on_progress, on_success, on_error, on_finished)
        self.submitted.append(handle)
        if self.before_run is not None:
            self.before_run(handle)
        handle.run(fn, queued=False)
        return handle

    @property
    def active(self) -> int:
        return 0

    def cancel_all(self) -> None:
        """Nothing runs between calls, so there is never anything to cancel."""

    def wait(self, msecs: int = -1) -> bool:
        return True
