"""Table models for the calibration screen: the session list and read-only text tables.

Both are thin: the session list shows ``CalibrationSession`` records as the repository returns
them, and ``TextTableModel`` shows rows a view has already formatted (statistics, progress,
per-question and per-evaluator tables, the drill-down), so what a test reads from a model is
exactly what the user sees. Neither model ever holds an answer the viewer may not see: the view
only fills them from ``progress`` (statuses) or from results the repository released.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from qa_studio.storage.repository.calibration_sessions import CalibrationSession

_Index = QModelIndex | QPersistentModelIndex
SESSION_COLUMNS = ("Name", "Scorecard", "Evaluators", "Interactions", "Status", "Opened")
_OPEN_INK, _CLOSED_INK = QColor("#1d4ed8"), QColor("#374151")


def _day(iso: str | None) -> str:
    return iso[:10] if iso else ""


class SessionListModel(QAbstractTableModel):
    """Calibration sessions, newest first: name, scorecard, evaluators (expert marked),
    number of interactions, open/closed and the day it opened."""

    SessionIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sessions: list[CalibrationSession] = []

    def set_sessions(self, sessions: Sequence[CalibrationSession]) -> None:
        self.beginResetModel()
        self._sessions = sorted(sessions, key=lambda s: s.id, reverse=True)
        self.endResetModel()

    def session(self, row: int) -> CalibrationSession | None:
        return self._sessions[row] if 0 <= row < len(self._sessions) else None

    def row_of(self, session_id: int) -> int | None:
        return next((i for i, s in enumerate(self._sessions) if s.id == session_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sessions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SESSION_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(SESSION_COLUMNS)
        ):
            return SESSION_COLUMNS[section]
        return None

    def _cell(self, s: CalibrationSession, column: int) -> str:
        if column == 0:
            return s.name
        if column == 1:
            return s.scorecard_ref
        if column == 2:
            return ", ".join(f"{e} (expert)" if e == s.expert else e for e in s.evaluators)
        if column == 3:
            return str(len(s.interactions))
        if column == 4:
            return ("open" if s.is_open else "closed") + (" · blind" if s.blind else "")
        return _day(s.opened_at)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._sessions):
            return None
        s = self._sessions[index.row()]
        column = index.column()
        if not 0 <= column < len(SESSION_COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(s, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return "\n".join(s.evaluators)
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            return _OPEN_INK if s.is_open else _CLOSED_INK
        if role == self.SessionIdRole:
            return s.id
        return None


class TextTableModel(QAbstractTableModel):
    """Rows of already formatted text under fixed headers; optional tooltips per cell and a
    value per row (``RowDataRole``) a view can act on (e.g. the question key of a row)."""

    RowDataRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[list[str]] = []
        self._tips: list[list[str | None]] = []
        self._row_data: list[object] = []

    def set_headers(self, headers: Sequence[str]) -> None:
        self.beginResetModel()
        self._headers = list(headers)
        self._rows, self._tips, self._row_data = [], [], []
        self.endResetModel()

    def set_rows(
        self,
        rows: Sequence[Sequence[str]],
        *,
        tips: Sequence[Sequence[str | None]] | None = None,
        row_data: Sequence[object] | None = None,
    ) -> None:
        width = len(self._headers)
        self.beginResetModel()
        self._rows = [[str(c) for c in r][:width] + [""] * (width - len(r)) for r in rows]
        self._tips = [list(t) + [None] * (width - len(t)) for t in tips] if tips else []
        self._row_data = list(row_data) if row_data is not None else []
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def row_data(self, row: int) -> object:
        return self._row_data[row] if 0 <= row < len(self._row_data) else None

    def all_text(self) -> str:
        """Every header and cell, for a reader (or a test) that wants everything shown."""
        return "\n".join(["\t".join(self._headers)] + ["\t".join(r) for r in self._rows])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._headers)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[row][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tips[row][column] if row < len(self._tips) else None
            return tip or (self._rows[row][column] or None)
        if role == self.RowDataRole:
            return self.row_data(row)
        return None
