"""The "Complaints & RCA" tab: the complaints log, root-cause analyses and the breach log.

Built per workspace like the other tabs (a placeholder when none is open). ``open_rca(id)`` is
what other screens call to show an RCA — the complaints log's "Start RCA" and the dashboard's
target misses (which start it with ``repository.rca.start_rca``).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain.timeutil import LONDON
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import rca
from qa_studio.ui.views.breach_log import BreachLogView
from qa_studio.ui.views.complaints import ComplaintsView
from qa_studio.ui.views.rca_editor import RcaEditor
from qa_studio.ui.write_guard import mark_writes


class RcaPane(QWidget):
    """RCAs newest first on the left, the selected one's editor on the right."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(lambda item, _old: self._show(item))
        self.new_button = QPushButton("New RCA…")
        self.new_button.clicked.connect(lambda: self.new_rca())
        mark_writes(self.new_button)
        self.editors = QStackedWidget()
        self.placeholder = QLabel("Select an RCA, or start one from a complaint or the "
                                  "dashboard's target misses.")  # fmt: skip
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editors.addWidget(self.placeholder)
        self.editor: RcaEditor | None = None
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list)
        left_layout.addWidget(self.new_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.editors)
        split.setStretchFactor(1, 4)
        split.setSizes([280, 1200])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        current = select if select is not None else (self.editor.rca_id if self.editor else None)
        self.list.blockSignals(True)
        self.list.clear()
        for r in rca.list_rcas(self.ws):
            item = QListWidgetItem(f"#{r.id} [{r.status.replace('_', ' ')}] {r.problem}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setToolTip(f"{r.source_kind}: {r.source_ref}")
            self.list.addItem(item)
            if r.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if current is not None:
            self.open(current)

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.open(int(item.data(Qt.ItemDataRole.UserRole)))

    def open(self, rca_id: int) -> RcaEditor:
        if self.editor is not None and self.editor.rca_id == rca_id:
            return self.editor
        if self.editor is not None:
            self.editors.removeWidget(self.editor)
            self.editor.deleteLater()
        self.editor = RcaEditor(self.ws, rca_id, self.editors)
        self.editor.rcaSaved.connect(lambda rid: self.refresh(select=rid))
        self.editors.addWidget(self.editor)
        self.editors.setCurrentWidget(self.editor)
        return self.editor

    def new_rca(self, problem: str | None = None) -> int | None:
        if problem is None:
            problem, ok = QInputDialog.getText(self, "New RCA", "Problem statement:")
            if not ok or not problem.strip():
                return None
        rid = rca.start_rca(self.ws, "manual", "", problem)
        self.refresh(select=rid)
        return rid


class ComplaintsRcaWidget(QTabWidget):
    """Complaints log, RCAs and breaches of one workspace; ``now`` fixes the clock (tests)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *,
                 now: datetime | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ws = ws
        today: date | None = now.astimezone(LONDON).date() if now is not None else None
        self.complaints = ComplaintsView(ws, self, today=today)
        self.rcas = RcaPane(ws, self)
        self.breach_log = BreachLogView(ws, self, now=now)
        self.addTab(self.complaints, "Complaints log")
        self.addTab(self.rcas, "Root-cause analyses")
        self.addTab(self.breach_log, "Breach log")
        self.complaints.rcaStarted.connect(self.open_rca)
        self.refresh()

    def refresh(self) -> None:
        self.complaints.refresh()
        self.breach_log.refresh()

    def open_rca(self, rca_id: int) -> RcaEditor:
        self.rcas.refresh(select=rca_id)
        self.setCurrentWidget(self.rcas)
        return self.rcas.open(rca_id)


class ComplaintsTab(QStackedWidget):
    """A placeholder, or the complaints & RCA screens of the current workspace."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = QLabel("Open a workspace to see its complaints and RCAs.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.placeholder)
        self.screen: ComplaintsRcaWidget | None = None

    def set_workspace(self, ws: Workspace | None) -> None:
        if self.screen is not None:
            if self.screen.ws is ws:
                return
            self.removeWidget(self.screen)
            self.screen.deleteLater()
            self.screen = None
        if ws is not None:
            self.screen = ComplaintsRcaWidget(ws, self)  # in the window: its marks apply at once
            self.addWidget(self.screen)
            self.setCurrentWidget(self.screen)
        else:
            self.setCurrentWidget(self.placeholder)

    def refresh(self) -> None:
        if self.screen is not None:
            self.screen.refresh()

    def open_rca(self, rca_id: int) -> RcaEditor | None:
        return self.screen.open_rca(rca_id) if self.screen is not None else None


def install(window: QMainWindow) -> ComplaintsTab:
    """Add the "Complaints & RCA" tab to ``window`` (a ``MainWindow``) and follow its workspace."""
    tab = ComplaintsTab()
    index = window.add_tab(tab, "Complaints && RCA")
    window.workspaceChanged.connect(tab.set_workspace)
    window.tabs.currentChanged.connect(lambda i: tab.refresh() if i == index else None)
    tab.set_workspace(window.workspace)
    return tab
