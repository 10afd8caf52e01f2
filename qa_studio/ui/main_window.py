"""The application's main window: menus, tabs and status bar around the screens.

It owns no business logic: ``app.py`` hands it a workspace and the services (settings, job runner,
how to open a workspace), and it wires them to the screens. The window owns the workspace it
shows — it closes it when another is opened or when the window closes. Later screens join as tabs
(``add_tab``) and follow ``workspaceChanged``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from qa_studio.errors import WorkspaceError
from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.storage.repository.browser import Summary, summary
from qa_studio.ui.lazy_tabs import LazyTab, LazyTabs
from qa_studio.ui.views.about import show_about
from qa_studio.ui.views.browser import BrowserView
from qa_studio.ui.views.bundle_integration import install as install_bundles
from qa_studio.ui.views.cloud_banner import install as install_cloud_banner
from qa_studio.ui.views.preferences_integration import install as install_preferences
from qa_studio.ui.views.recovery import install as install_recovery
from qa_studio.ui.views.recovery import offer_restore
from qa_studio.ui.views.sampling_integration import install as install_sampling
from qa_studio.ui.views.scorecards_tab import install as install_scorecards
from qa_studio.ui.views.scoring_integration import install as install_scoring
from qa_studio.ui.write_guard import mark_writes, set_writes_allowed

WORKSPACE_FILTER = "QA Studio workspace (*.qaw)"
DEFAULT_SIZE = (1400, 900)
MESSAGE_MS = 8000

#: Screens built when their tab is first selected or ``window.<attribute>`` first read: their
#: charts and spreadsheets (pyqtgraph, openpyxl) cost a second of a cold start (``ui.lazy_tabs``).
#: The others are needed at once (Scoring's menu, the Sampling queue) or cheap.
CALIBRATION_TAB = LazyTab("calibration", "Calibration", "qa_studio.ui.views.calibration_tab")
COACHING_TAB = LazyTab("coaching", "Coaching", "qa_studio.ui.views.coaching_tab")
DASHBOARD_TAB = LazyTab("dashboard", "Dashboard", "qa_studio.ui.views.dashboard_integration")
COMPLAINTS_TAB = LazyTab(
    "complaints", "Complaints && RCA", "qa_studio.ui.views.complaints_integration"
)


@dataclass
class Services:
    """What the window needs from outside; tests pass an INI-file ``Settings`` and a sync runner."""

    settings: Settings
    jobs: JobRunner | SyncJobRunner
    open_workspace: Callable[..., Workspace] = field(default=open_workspace)


def show_error(
    parent: QWidget | None, title: str, message: str, details: list | None = None
) -> None:
    """A modal error box: what happened, then what to do (the error's details)."""
    box = QMessageBox(
        QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok, parent
    )
    if details:
        box.setInformativeText("\n".join(str(d) for d in details))
    box.exec()


class MainWindow(QMainWindow):
    """Menus File and Help, a tab per screen (Interactions first) and workspace counts."""

    workspaceChanged = Signal(object)

    def __init__(
        self,
        services: Services,
        workspace: Workspace | None = None,
        *,
        remember: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        #: Whether opened files and the window geometry are saved to the settings.
        self.remember = remember
        self.workspace: Workspace | None = None
        self._match_count = 0
        self._summary: Summary | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._lazy = LazyTabs(self.tabs, self._build_tab)
        self.browser = BrowserView()
        self.tabs.addTab(self.browser, "Interactions")
        self.setCentralWidget(self.tabs)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        self.browser.matchCountChanged.connect(self._match_count_changed)
        self.browser.messagePosted.connect(
            lambda text: self.statusBar().showMessage(text, MESSAGE_MS)
        )
        geometry = services.settings.window_geometry() if remember else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        self.scoring = install_scoring(self)
        self.scorecards = install_scorecards(self)
        self._lazy.reserve(CALIBRATION_TAB)
        self.preferences = install_preferences(self)
        self._lazy.reserve(COACHING_TAB)
        self.sampling = install_sampling(self)
        self._lazy.reserve(DASHBOARD_TAB)
        self._lazy.reserve(COMPLAINTS_TAB)
        self.bundles = install_bundles(self)
        self.read_only_banner = install_recovery(self)
        self.cloud_banner = install_cloud_banner(self)
        self.set_workspace(workspace)

    # -- menus ----------------------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action(
            file_menu, "&New workspace…", self.new_workspace, QKeySequence.StandardKey.New
        )
        self.open_action = self._action(
            file_menu, "&Open…", self.open_workspace, QKeySequence.StandardKey.Open
        )
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        # The window's own action, not the menu's: write_guard finds the window through the
        # action's parent (a menu is a window of its own), and keeps it off while read-only.
        self.import_action = QAction("&Import…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda _checked=False: self.import_interactions())
        file_menu.addAction(self.import_action)
        mark_writes(self.import_action)
        file_menu.addSeparator()
        self.quit_action = self._action(
            file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit
        )
        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = self._action(help_menu, "&About QA Studio", self.about)
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.services.settings.recent_files()
        for number, path in enumerate(files, start=1):
            missing = "" if path.exists() else " (missing)"
            action = self.recent_menu.addAction(f"&{number} {path.name}{missing} — {path.parent}")
            action.setData(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if files:
            self.recent_menu.addSeparator()
            self._action(self.recent_menu, "Clear recent", self._clear_recent)
        else:
            self.recent_menu.addAction("No recent workspaces").setEnabled(False)

    def _clear_recent(self) -> None:
        self.services.settings.clear_recent()
        self._fill_recent()

    # -- workspace ------------------------------------------------------------------------------

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a screen as a tab after the existing ones (or in its reserved place)."""
        placed = self._lazy.place(widget, title)
        return placed if placed is not None else self.tabs.addTab(widget, title)

    def _build_tab(self, attribute: str) -> object:
        """Build a reserved screen: import its module and install it, as at start-up."""
        tab = self._lazy.pending(attribute)
        if tab is None:
            return getattr(self, attribute)
        screen = importlib.import_module(tab.module).install(self)
        setattr(self, attribute, screen)
        return screen

    def __getattr__(self, name: str) -> object:
        """A reserved screen (``window.dashboard``…), built the first time it is asked for."""
        try:
            lazy = object.__getattribute__(self, "_lazy")
        except AttributeError:
            raise AttributeError(name) from None
        if lazy.pending(name) is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return self._build_tab(name)

    def set_workspace(self, ws: Workspace | None) -> None:
        """Show ``ws`` (closing the previous workspace), or an empty window for None."""
        previous = self.workspace
        self.workspace = ws
        if previous is not None and previous is not ws:
            previous.close()
        set_writes_allowed(self, ws is None or not ws.read_only)
        self.browser.set_workspace(ws)
        self.import_action.setEnabled(ws is not None)
        self.setWindowTitle(f"{ws.path.name} — QA Studio" if ws else "QA Studio")
        if ws is not None and self.remember:
            self.services.settings.add_recent(ws.path)
        self.update_status()
        if ws is None:
            self.statusBar().showMessage(
                "No workspace open: choose File ▸ Open… or File ▸ New workspace…"
            )
        self.workspaceChanged.emit(ws)

    def open_path(self, path: Path, *, create: bool = False) -> bool:
        """Open (or create) the workspace at ``path``; on failure say why and keep the current one."""
        try:
            ws = self.services.open_workspace(Path(path), create=create)
        except WorkspaceError as exc:
            if offer_restore(self, Path(path), exc):  # damaged: restore the latest backup
                return self.open_path(path, create=create)
            show_error(self, "Cannot open workspace", exc.message, exc.details)
            return False
        except Exception as exc:  # e.g. a failed upgrade step: report it, keep the current one
            show_error(self, "Cannot open workspace", f"{path} could not be opened: {exc}.",
                       ["The workspace that was open stays open."])  # fmt: skip
            return False
        self.set_workspace(ws)
        return True

    def _start_folder(self) -> str:
        if self.workspace is not None:
            return str(self.workspace.path.parent)
        folder = self.services.settings.last_folder()
        return str(folder) if folder else ""

    def open_workspace(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", self._start_folder(), f"{WORKSPACE_FILTER};;All files (*)"
        )
        if not path:
            return False
        self._remember_folder(Path(path))
        return self.open_path(Path(path))

    def new_workspace(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self, "New workspace", self._start_folder(), WORKSPACE_FILTER
        )
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != ".qaw":
            target = target.with_name(target.name + ".qaw")
        self._remember_folder(target)
        if target.exists() and target.stat().st_size > 0:
            show_error(
                self,
                "Workspace already exists",
                f"{target} already exists; a new workspace needs a new file.",
                ["Choose File ▸ Open… to open it, or pick another name."],
            )
            return False
        return self.open_path(target, create=True)

    def _remember_folder(self, path: Path) -> None:
        if self.remember:
            self.services.settings.set_last_folder(path.parent)

    # -- import ---------------------------------------------------------------------------------

    def import_interactions(self) -> None:
        """File ▸ Import…: the dialog runs the import off the UI thread and reports back."""
        if self.workspace is None:
            return
        from qa_studio.ui.views.import_dialog import ImportDialog

        dialog = ImportDialog(self.workspace, self.services.jobs, self.services.settings, self)
        dialog.imported.connect(self.workspace_data_changed)
        dialog.open()

    def workspace_data_changed(self) -> None:
        """Rows were written (by an import): refresh the screens and the counts."""
        self.browser.refresh()
        self.update_status()

    # -- status and about ---------------------------------------------------------------------

    def _match_count_changed(self, count: int) -> None:
        self._match_count = count
        self._show_status()

    def update_status(self) -> None:
        """Re-count the workspace (after a change to its data) and show the counts."""
        self._summary = summary(self.workspace) if self.workspace is not None else None
        self._show_status()

    def _show_status(self) -> None:
        """Compose the counts; a filter change only changes the first part (no re-count)."""
        ws, counts = self.workspace, self._summary
        if ws is None or counts is None:
            self.status_label.setText("")
            return
        shown = f"{counts.interactions:,} interactions"
        if self._match_count != counts.interactions:
            shown = f"Showing {self._match_count:,} of {shown}"
        self.status_label.setText(
            f"{shown} · {counts.agents:,} agents · {counts.evaluations:,} evaluations"
            f" · workspace {ws.path.name}"
        )

    def about(self) -> None:
        """Help ▸ About: the versions of QA Studio and every library (``views.about``)."""
        show_about(self)

    # -- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        jobs = self.services.jobs
        if jobs.active:
            jobs.cancel_all()
            jobs.wait()
        if self.remember:
            self.services.settings.set_window_geometry(self.saveGeometry())
            self.services.settings.sync()
        if self.workspace is not None:
            ws, self.workspace = self.workspace, None
            self.browser.set_workspace(None)
            ws.close()
        super().closeEvent(event)
