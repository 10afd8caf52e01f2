"""The "Scorecards" tab of the main window: the scorecard editor for the open workspace.

The editor is built for one workspace (its lists, publish and what-if all act on it), so the tab
holds a fresh ``ScorecardEditor`` per workspace and a hint when none is open. It re-reads the
workspace's scorecards whenever the tab is shown, so versions published elsewhere (the demo
builder, the CLI) appear without restarting.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from qa_studio.storage.db import Workspace
from qa_studio.ui.views.scorecard_editor import ScorecardEditor

MESSAGE_MS = 8000


class ScorecardsTab(QStackedWidget):
    """A placeholder, or the editor of the current workspace."""

    #: The current editor published ``key`` version ``n``.
    scorecardPublished = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = QLabel("Open a workspace to edit and publish its scorecards.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.placeholder)
        self.editor: ScorecardEditor | None = None

    def set_workspace(self, ws: Workspace | None) -> None:
        if self.editor is not None:
            if self.editor.ws is ws:
                return
            self.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
        if ws is not None:
            # Built inside the tab so that its writing buttons see the window's read-only state
            # (``ui.write_guard``) as soon as they are marked.
            self.editor = ScorecardEditor(ws, self)
            self.editor.scorecardPublished.connect(self.scorecardPublished)
            self.addWidget(self.editor)
            self.setCurrentWidget(self.editor)
        else:
            self.setCurrentWidget(self.placeholder)

    def refresh(self) -> None:
        if self.editor is not None:
            self.editor.refresh()


def install(window: QMainWindow) -> ScorecardsTab:
    """Add the "Scorecards" tab to ``window`` (a ``MainWindow``) and follow its workspace."""
    tab = ScorecardsTab()
    index = window.add_tab(tab, "Scorecards")

    tab.scorecardPublished.connect(
        lambda key, version: window.statusBar().showMessage(
            f"Published {key} v{version}", MESSAGE_MS
        )
    )
    window.workspaceChanged.connect(tab.set_workspace)
    window.tabs.currentChanged.connect(lambda i: tab.refresh() if i == index else None)
    tab.set_workspace(window.workspace)
    return tab
