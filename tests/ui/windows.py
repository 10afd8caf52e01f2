"""The main window as the UI tests build it.

Every test that drives the whole window wants the same thing: settings in an INI file under the
test's own folder (never the user's real settings), jobs run synchronously unless the test says
otherwise, the widget handed to ``qtbot`` for clean-up, and usually the window on screen before
the first click. Building it in one place keeps those choices the same everywhere; the
``Settings`` used stays reachable as ``win.services.settings``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import Workspace
from qa_studio.ui.main_window import MainWindow, Services


def ini_settings(
    folder: Path, name: str = "settings.ini", *, evaluator: str | None = None
) -> Settings:
    """Settings kept in ``folder / name``; ``evaluator`` is stored as already chosen."""
    settings = Settings(QSettings(str(folder / name), QSettings.Format.IniFormat))
    if evaluator is not None:
        settings.set_evaluator_name(evaluator)
    return settings


def main_window(
    qtbot,
    settings: Settings | Path,
    ws: Workspace | None = None,
    *,
    jobs: JobRunner | SyncJobRunner | None = None,
    remember: bool = False,
    show: bool = True,
) -> MainWindow:
    """A main window on ``ws``, owned by ``qtbot``; shown and exposed unless ``show`` is False.

    ``settings`` is a ``Settings`` or the folder (a test's ``tmp_path``) for a fresh
    ``settings.ini``. ``jobs`` defaults to a ``SyncJobRunner``, so imports and exports finish
    before the call that started them returns. ``remember`` is off by default so that a test
    writes no recent files or geometry unless it is about them.
    """
    if isinstance(settings, Path):
        settings = ini_settings(settings)
    services = Services(settings=settings, jobs=jobs if jobs is not None else SyncJobRunner())
    win = MainWindow(services, ws, remember=remember)
    qtbot.addWidget(win)
    if show:
        win.show()
        qtbot.waitExposed(win)
    return win
