"""The dashboard's tables: one thin model over headers + rows, and a panel with "Export…".

Every table on the dashboard and the training-needs matrix is a short list the repository has
already aggregated (channels, agents, evaluators, regulations), so one read-only model serves them
all; the targets table adds an editable value column whose edits go back through a callback (the
view saves them with ``targets.set_target``, audited). "Export…" writes exactly the rows shown,
numbers as numbers, through ``export.table_xlsx``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_studio.errors import QAStudioError
from qa_studio.export.table_xlsx import write_table

Index = QModelIndex | QPersistentModelIndex
_NOT_ENOUGH = QColor("#fef3c7")


def fmt(value: object, places: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{places}f}"
    return str(value)


class RowsModel(QAbstractTableModel):
    """Headers and rows of plain values; ``highlight`` rows are tinted (e.g. "not enough
    evidence"); ``editable`` columns call ``on_edit(row, column, text)`` which returns whether
    the edit was saved."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list] = []
        self.highlight: set[int] = set()
        self.editable: set[int] = set()
        self.on_edit: Callable[[int, int, str], bool] | None = None
        self.places: dict[int, int] = {}

    def set_rows(self, rows: Sequence[Sequence], highlight: set[int] | None = None) -> None:
        self.beginResetModel()
        self.rows = [list(r) for r in rows]
        self.highlight = set(highlight or ())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return fmt(value, self.places.get(index.column(), 1))
        if role == Qt.ItemDataRole.BackgroundRole and index.row() in self.highlight:
            return QBrush(_NOT_ENOUGH)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):  # fmt: skip
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in self.editable:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if index.column() not in self.editable or self.on_edit is None:
            return False
        return self.on_edit(index.row(), index.column(), str(value))


class TablePanel(QWidget):
    """A titled table with an "Export…" button that writes the shown rows to XLSX."""

    exported = Signal(str)

    def __init__(self, title: str, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.model = RowsModel(headers, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(180)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip(f"Save '{title}' as an Excel workbook")
        self.export_button.clicked.connect(lambda: self.export())
        head = QHBoxLayout()
        label = QLabel(f"<b>{title}</b>")
        head.addWidget(label)
        head.addStretch(1)
        head.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.table)

    def export(self, path: str | None = None) -> Path | None:
        """Ask for a file (unless given) and write the rows; a refusal is shown, not raised."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, f"Export {self.title}",
                                                  f"{self.title}.xlsx", "Excel workbook (*.xlsx)")  # fmt: skip
            if not path:
                return None
        try:
            written = write_table(self.title, self.model.headers, self.model.rows, path)
        except QAStudioError as exc:
            QMessageBox.warning(self, "Export", str(exc))
            return None
        self.exported.emit(str(written))
        return written
