"""A read-only table model whose rows are records (dataclasses, tuples) shown column by column.

Why one generic model: most tables in the app (sampling previews and queues, complaints, breaches,
Pareto rows, bundle contents, calibration lists) are a list of frozen records shown column by
column, with a few rows to highlight (a shortfall, an overdue item). ``RecordTableModel`` takes
the columns as ``Column(header, getter)`` and an optional ``flag`` that tints a row and explains
it in a tooltip; each screen names its columns once instead of writing another model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

__all__ = ["FLAG_COLOUR", "LONG_TEXT", "RECORD_ROLE", "Column", "RecordTableModel"]

#: Cells longer than this also show their whole text as a tooltip (views do not wrap them).
LONG_TEXT = 40
#: Background of a row that needs attention (a shortfall, an overdue item).
FLAG_COLOUR = QColor("#fde2c8")
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]
    align_right: bool = False


class RecordTableModel(QAbstractTableModel):
    """Rows are records; ``flag(record)`` returns a tooltip for rows to highlight, or None."""

    def __init__(self, columns: Sequence[Column],
                 flag: Callable[[Any], str | None] | None = None,
                 parent=None) -> None:  # fmt: skip
        super().__init__(parent)
        self.columns = list(columns)
        self._flag = flag
        self.records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self.records[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.records):
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not (0 <= index.row() < len(self.records)):
            return None
        record = self.records[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = column.value(record)
            return "" if value is None else str(value)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        why = self._flag(record) if self._flag else None
        if role == Qt.ItemDataRole.BackgroundRole and why:
            return QBrush(FLAG_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = str(column.value(record) or "")
            long_text = text if len(text) > LONG_TEXT else ""
            return "\n".join(t for t in (long_text, why) if t) or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
