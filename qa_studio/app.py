"""Start the desktop application: build the QApplication, open the workspace, show the window.

Called by ``cli.main`` when no command is given. ``--screenshot OUT.png`` renders the main window
(1400×900, first row selected so the detail pane shows a transcript), saves it and exits — with the
``offscreen`` platform when there is no display, so it works in CI and over SSH. Everything is
created here and passed down; nothing is global.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from qa_studio import __version__
from qa_studio.errors import QAStudioError, UsageError, WorkspaceError
from qa_studio.services.jobs import JobRunner
from qa_studio.services.media_logging import quiet_media_probing
from qa_studio.services.paths import ensure_app_identity
from qa_studio.services.qt_compat import keep_none_alive
from qa_studio.services.settings import Settings
from qa_studio.ui.main_window import MainWindow, Services, show_error
from qa_studio.ui.views.first_run import offer_first_run
from qa_studio.ui.views.recovery import offer_restore

SCREENSHOT_SIZE = (1400, 900)
#: After the window is exposed, how long events run before the grab (first page, detail pane).
SETTLE_MS = 250
EXPOSE_TIMEOUT_MS = 5000


def no_display() -> bool:
    """True on Linux without X11/Wayland and no platform chosen: Qt would abort on start."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    )


def application(*, headless_ok: bool) -> QApplication:
    """The running QApplication, or a new one (offscreen when allowed and there is no display)."""
    existing = QApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    argv = [sys.argv[0] if sys.argv and sys.argv[0] else "qa-studio"]
    if no_display():
        if not headless_ok:
            raise UsageError(
                "no display is available to show the window",
                [
                    "Run QA Studio on a desktop session, or render the window to a file with "
                    "--screenshot OUT.png."
                ],
            )
        argv += ["-platform", "offscreen"]
    quiet_media_probing()  # cli.main already did, before QtMultimedia was imported
    ensure_app_identity()
    keep_none_alive()
    app = QApplication(argv)
    app.setApplicationVersion(__version__)
    return app


def run_gui(ctx) -> int:
    """Open the main window on ``--db``/``--demo`` (or the last workspace) and run it."""
    shot = Path(ctx.args.screenshot) if getattr(ctx.args, "screenshot", None) else None
    app = application(headless_ok=shot is not None)
    services = Services(settings=Settings(), jobs=JobRunner())
    workspace = None
    if getattr(ctx.args, "db", None) or getattr(ctx.args, "demo", False):
        try:
            workspace = ctx.workspace()
        except WorkspaceError as exc:
            if shot is not None:
                raise
            if not offer_restore(None, ctx.db_path(), exc):
                show_error(None, "Cannot open workspace", exc.message, exc.details)
                return exc.exit_code
            workspace = ctx.workspace()
    elif shot is None:
        workspace = _last_workspace(services)
    window = MainWindow(services, workspace, remember=shot is None)
    if shot is not None:
        window.scoring.pick_for_screenshot()
        code = save_screenshot(app, window, shot)
        ctx.progress(f"saved {shot}")
        return code
    window.show()
    offer_first_run(window)  # only when no workspace is open: the welcome dialog
    window.scoring.ask_if_needed()
    return int(app.exec())


def _last_workspace(services: Services):
    """Reopen the most recent workspace; any problem just starts with an empty window."""
    for path in services.settings.recent_files()[:1]:
        if path.exists():
            try:
                return services.open_workspace(path, create=False)
            except WorkspaceError:
                return None
    return None


def save_screenshot(app: QApplication, window: MainWindow, path: Path) -> int:
    """Show ``window``, let it render, save ``window.grab()`` as PNG at ``path``, close it."""
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.browser.select_first_row()
    clock = QElapsedTimer()
    clock.start()
    handle = window.windowHandle()
    while (handle is None or not handle.isExposed()) and clock.elapsed() < EXPOSE_TIMEOUT_MS:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        handle = window.windowHandle()
    loop = QEventLoop()
    QTimer.singleShot(SETTLE_MS, loop.quit)
    loop.exec()
    pixmap = window.grab()
    saved = not pixmap.isNull() and pixmap.save(str(path), "PNG")
    window.close()
    if not saved:
        raise QAStudioError(
            f"cannot write the screenshot to {path}",
            ["Check that the folder exists and is writable."],
        )
    return 0
