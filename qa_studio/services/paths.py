"""Where QA Studio keeps its own files, found through ``QStandardPaths``.

The demo workspace lives in the user's application-data folder (``~/.local/share/QA Studio/QA
Studio`` on Linux, ``%APPDATA%`` on Windows, ``~/Library/Application Support`` on macOS). Only
``QCoreApplication``'s static organisation and application names are needed, not an application
object, so the command line can resolve the path before (or without) any window exists. Tests
switch ``QStandardPaths`` into test mode so they never touch the real folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

ORGANISATION = "QA Studio"
APPLICATION = "QA Studio"
DEMO_FILE = "demo.qaw"


def ensure_app_identity() -> None:
    """Name the application for ``QStandardPaths`` and ``QSettings`` unless someone already did.

    An organisation name is only ever set on purpose, so when it is present both names are left
    alone; when it is missing, the application name is Qt's default (the executable's) and is
    replaced too, so the CLI and the GUI agree on the folder.
    """
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)


def app_data_dir() -> Path:
    """The writable application-data folder, created if missing."""
    ensure_app_identity()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    folder = Path(location)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def demo_workspace_path() -> Path:
    return app_data_dir() / DEMO_FILE


def ensure_demo_workspace(progress: Callable[[str], None] | None = None) -> Path:
    """The demo workspace, built with the default size and seed on first use.

    "First use" means the file is missing or holds no interactions (an earlier build that was
    interrupted rolls back to an empty workspace, so it is simply built again).
    """
    from qa_studio.demo.builder import DemoSpec, build_demo
    from qa_studio.storage.db import open_workspace

    path = demo_workspace_path()
    ws = open_workspace(path, name="QA Studio demo")
    try:
        empty = ws.db.execute("SELECT 1 FROM interactions LIMIT 1").fetchone() is None
        if empty:
            if progress:
                progress(f"Building the demo workspace in {path} (first run only)…")
            build_demo(ws, DemoSpec(), progress=progress)
    finally:
        ws.close()
    return path
