"""Table models of the RCA editor: editable causes and actions, the read-only Pareto.

Thin models over plain lists of the domain drafts (``CauseDraft``/``ActionDraft``): the editor
asks them for their rows when it saves, and they emit ``changed`` (past tense: ``rowsEdited``)
whenever a row is added, removed or edited so the fishbone and Pareto can follow. The Pareto is
read-only, so it is only column definitions over the generic ``RecordTableModel``.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from qa_studio.domain.rca import ACTION_STATUSES, CATEGORIES, ActionDraft, CauseDraft
from qa_studio.ui.models.record_table import Column, RecordTableModel

Index = QModelIndex | QPersistentModelIndex


class _DraftRows(QAbstractTableModel):
    """An editable list of frozen dataclass rows; ``FIELDS`` are the columns."""

    rowsEdited = Signal()
    FIELDS: tuple[str, ...] = ()
    HEADERS: tuple[str, ...] = ()

    def __init__(self, rows: list | None = None, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = list(rows or [])

    def rows(self) -> list:
        return list(self._rows)

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        self.rowsEdited.emit()

    def append(self, row) -> None:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()
        self.rowsEdited.emit()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.rowsEdited.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIELDS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def _display(self, field: str, value) -> str:
        return "" if value is None else str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        field = self.FIELDS[index.column()]
        value = getattr(self._rows[index.row()], field)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._display(field, value)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def _convert(self, field: str, text: str):
        """The stored value for ``text``; ValueError refuses the edit."""
        return text.strip() or None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        field = self.FIELDS[index.column()]
        try:
            converted = self._convert(field, str(value))
        except ValueError:
            return False
        row = self._rows[index.row()]
        self._rows[index.row()] = dataclasses.replace(row, **{field: converted})
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        self.rowsEdited.emit()
        return True


class CausesModel(_DraftRows):
    FIELDS = ("category", "text", "weight")
    HEADERS = ("Category", "Cause", "Weight")

    def _display(self, field: str, value) -> str:
        return f"{value:g}" if field == "weight" else super()._display(field, value)

    def _convert(self, field: str, text: str):
        if field == "category":
            if text not in CATEGORIES:
                raise ValueError(text)
            return text
        if field == "weight":
            value = float(text)
            if value < 0:
                raise ValueError(text)
            return value
        if not text.strip():
            raise ValueError("empty")
        return text.strip()

    def causes(self) -> tuple[CauseDraft, ...]:
        return tuple(self._rows)


class ActionsModel(_DraftRows):
    FIELDS = ("text", "owner", "due_on", "status")
    HEADERS = ("Corrective action", "Owner", "Due (YYYY-MM-DD)", "Status")

    def _convert(self, field: str, text: str):
        if field == "status":
            if text not in ACTION_STATUSES:
                raise ValueError(text)
            return text
        if field == "due_on" and text.strip():
            return date.fromisoformat(text.strip()).isoformat()
        if field == "text" and not text.strip():
            raise ValueError("empty")
        return text.strip() or None

    def actions(self) -> tuple[ActionDraft, ...]:
        return tuple(self._rows)


VITAL = "One of the vital few: together they explain about 80 % of the problem"


def pareto_model(parent=None) -> RecordTableModel:
    """Read-only: causes by weight with share and cumulative share; the vital few tinted."""
    return RecordTableModel([
        Column("Cause", lambda r: r.text),
        Column("Category", lambda r: r.category),
        Column("Weight", lambda r: f"{r.weight:g}", True),
        Column("Share %", lambda r: f"{r.share:.1f}", True),
        Column("Cumulative %", lambda r: f"{r.cumulative:.1f}", True),
    ], lambda r: VITAL if r.vital else None, parent)  # fmt: skip


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor offering fixed choices (fishbone category, action status)."""

    def __init__(self, choices: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(list(self.choices))
        return combo

    def setEditorData(self, editor: QWidget, index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model, index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
