"""A read-only table model whose rows are records (dataclasses, tuples) shown column by column.

Why one generic model: most tables in the app (sampling previews and queues, complaints, breaches,
Pareto rows, bundle contents, calibration lists) are a list of frozen records shown column by
column, with a few rows to highlight (a shortfall, an overdue item). ``RecordTableModel`` takes
the columns as ``Column(header, getter)`` and an optional ``flag`` that tints a row and explains
it in a tooltip; each screen names its columns once instead of writing another model. A column
may also say, per record, its tooltip, whether it is bold, and its background and text colours
(conflict diffs, open/closed sessions); ``roles`` adds custom data roles (a record's id).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

__all__ = ["FLAG_COLOUR", "LONG_TEXT", "RECORD_ROLE", "Column", "RecordTableModel"]

#: Cells longer than this also show their whole text as a tooltip (views do not wrap them).
LONG_TEXT = 40
#: Background of a row that needs attention (a shortfall, an overdue item).
FLAG_COLOUR = QColor("#fde2c8")
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
_BOLD = QFont()
_BOLD.setBold(True)


@dataclass(frozen=True)
class Column:
    """One column: its header, the cell's value, and optional per-record presentation."""

    header: str
    value: Callable[[Any], object]
    align_right: bool = False
    #: The cell's tooltip (instead of the long-text/flag tooltip).
    tooltip: Callable[[Any], str | None] | None = None
    bold: Callable[[Any], bool] | None = None
    #: Colours (``QColor``/``QBrush``) or None for the view's own.
    background: Callable[[Any], object] | None = None
    foreground: Callable[[Any], object] | None = None


class RecordTableModel(QAbstractTableModel):
    """Rows are records; ``flag(record)`` returns a tooltip for rows to highlight, or None."""

    def __init__(self, columns: Sequence[Column],
                 flag: Callable[[Any], str | None] | None = None,
                 parent=None, *,
                 roles: Mapping[int, Callable[[Any], object]] | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.columns = list(columns)
        self._flag = flag
        self._roles = dict(roles or {})
        self.records: list[Any] = []

    def set_columns(self, columns: Sequence[Column], records: Sequence[Any] = ()) -> None:
        """New columns (and records) at once: tables whose columns follow the data."""
        self.beginResetModel()
        self.columns = list(columns)
        self.records = list(records)
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        """The cell's text as shown."""
        value = self.columns[column].value(self.records[row])
        return "" if value is None else str(value)

    def all_text(self) -> str:
        """Headers and every cell, as a reader (or a test) sees them."""
        lines = ["\t".join(c.header for c in self.columns)]
        for r in range(len(self.records)):
            lines.append("\t".join(self.text(r, c) for c in range(len(self.columns))))
        return "\n".join(lines)

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
        if not 0 <= index.column() < len(self.columns):
            return None
        record = self.records[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = column.value(record)
            return "" if value is None else str(value)
        if role in self._roles:  # before RECORD_ROLE: a screen's own role may share its number
            return self._roles[role](record)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return _BOLD if column.bold is not None and column.bold(record) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return column.foreground(record) if column.foreground is not None else None
        if role == Qt.ItemDataRole.BackgroundRole and column.background is not None:
            colour = column.background(record)
            if colour is not None:
                return colour
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record) or None
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
