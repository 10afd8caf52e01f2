"""The "Complaints & RCA" tab: the complaints log, root-cause analyses and the breach log.

Built per workspace like the other tabs (a placeholder when none is open). ``open_rca(id)`` is
what other screens call to show an RCA — the complaints log's "Start RCA" and the dashboard's
target misses (which start it with ``repository.rca.start_rca``).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import breaches, rca
from qa_studio.ui.views.complaints import ComplaintsView
from qa_studio.ui.views.rca_editor import RcaEditor

Index = QModelIndex | QPersistentModelIndex


class BreachesModel(QAbstractTableModel):
    HEADERS = ("#", "Kind", "Regulation", "Contact", "Agent", "Question", "Opened", "ICO due",
               "Status", "Hours left")  # fmt: skip

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[breaches.Breach] = []

    def set_rows(self, rows: list[breaches.Breach]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        b = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            left = "" if b.hours_left is None else f"{b.hours_left:g}"
            return (str(b.id), b.kind, b.regulation or "", b.interaction or "", b.agent or "",
                    b.question_key or "", b.opened_at[:16], b.ico_due[:16], b.status,
                    left)[index.column()]  # fmt: skip
        if role == Qt.ItemDataRole.BackgroundRole and b.overdue:
            return QColor("#f8d0d0")
        return None


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
        self.editor = RcaEditor(self.ws, rca_id)
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
    """Complaints log, RCAs and breaches of one workspace."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.complaints = ComplaintsView(ws)
        self.rcas = RcaPane(ws)
        self.breaches_model = BreachesModel(self)
        self.breaches_view = QTableView()
        self.breaches_view.setModel(self.breaches_model)
        self.breaches_view.verticalHeader().hide()
        header = self.breaches_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.addTab(self.complaints, "Complaints log")
        self.addTab(self.rcas, "Root-cause analyses")
        self.addTab(self.breaches_view, "Breach log")
        self.complaints.rcaStarted.connect(self.open_rca)
        self.refresh()

    def refresh(self) -> None:
        self.complaints.refresh()
        self.breaches_model.set_rows(breaches.list_breaches(self.ws))

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
            self.screen = ComplaintsRcaWidget(ws)
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
