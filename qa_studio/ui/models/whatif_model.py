"""Table of a what-if re-score: one row per evaluation, stored vs old vs new percent.

The rows are computed by the repository (a bounded set: one card's evaluations in a period or for an
agent), so the model simply holds them; sorting is the view's job through a proxy if ever needed.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from qa_studio.storage.repository.evaluations import RescoreItem

Index = QModelIndex | QPersistentModelIndex
#: The invalid index, as a default argument (Qt's own signatures use ``QModelIndex()``).
NO_INDEX = QModelIndex()


COLUMNS: tuple[str, ...] = (
    "#", "Interaction", "Agent", "Evaluator", "From", "Stored", "Old", "New", "Δ", "Not assessed",
)  # fmt: skip
NUMERIC = {0, 5, 6, 7, 8}
DELTA, NOT_ASSESSED = 8, 9
HEADER_TIPS: dict[int, str] = {
    5: "Percent stored on the evaluation (all its questions, its own version)",
    6: "Percent under its own version, on the questions both versions share",
    7: "Percent under the target version, on the same questions",
}
UP, DOWN = QColor("#166534"), QColor("#b91c1c")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


class WhatIfModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[RescoreItem] = []

    @property
    def rows(self) -> list[RescoreItem]:
        return list(self._rows)

    def set_rows(self, rows: list[RescoreItem]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, r: int) -> RescoreItem:
        return self._rows[r]

    def rowCount(self, parent: Index = NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = NO_INDEX) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return HEADER_TIPS.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item, col = self._rows[index.row()], index.column()
        r = item.result
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == DELTA and r.delta:
            return UP if r.delta > 0 else DOWN
        if role == Qt.ItemDataRole.ToolTipRole and col == 4:
            return item.from_ref
        if role == Qt.ItemDataRole.ToolTipRole and col in (5, 6, 7):
            return HEADER_TIPS[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == NOT_ASSESSED:
            parts = [f"{key}: {why}" for key, why in r.not_assessed.items()]
            if r.removed:
                parts.append("Not in the target version: " + ", ".join(r.removed))
            return "\n".join(parts) or None
        return None

    @staticmethod
    def _display(item: RescoreItem, col: int) -> str:
        r = item.result
        values = (
            str(item.id),
            item.interaction,
            item.agent or "—",
            item.evaluator,
            "v" + item.from_ref.rsplit("@", 1)[-1],
            _pct(r.stored_percent),
            _pct(r.old_percent),
            _pct(r.new_percent),
            "—" if r.delta is None else f"{r.delta:+.1f}",
            ", ".join(r.not_assessed) or "—",
        )
        return values[col]
