"""The coaching screen's table model: the calibration screen's ``TextTableModel`` (formatted text,
tooltips, a value per row) with a colour per row, so a failed goal, an open dispute or a weak
question stands out without a second model to keep in step."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from qa_studio.ui.models.calibration_models import TextTableModel

GOOD, BAD, WARN, MUTED = "#166534", "#9c2a00", "#92400e", "#6b7280"


class CoachingTableModel(TextTableModel):
    """``TextTableModel`` plus an optional text colour per row (``set_colours``)."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(headers, parent)
        self._colours: list[str | None] = []

    def set_rows(self, rows, *, tips=None, row_data=None, colours=None) -> None:  # type: ignore[override]
        self._colours = list(colours) if colours is not None else []
        super().set_rows(rows, tips=tips, row_data=row_data)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row = index.row()
            if 0 <= row < min(len(self._colours), self.rowCount()) and self._colours[row]:
                return QBrush(QColor(self._colours[row]))
            return None
        return super().data(index, role)
