"""Table models for the calibration screen: the session list and read-only text tables.

Both are column definitions over ``RecordTableModel``: the session list shows
``CalibrationSession`` records as the repository returns them, and ``TextTableModel`` shows rows a
view has already formatted (statistics, progress,
per-question and per-evaluator tables, the drill-down), so what a test reads from a model is
exactly what the user sees. Neither model ever holds an answer the viewer may not see: the view
only fills them from ``progress`` (statuses) or from results the repository released.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from qa_studio.storage.repository.calibration_sessions import CalibrationSession
from qa_studio.ui.models.record_table import Column, RecordTableModel

SESSION_COLUMNS = ("Name", "Scorecard", "Evaluators", "Interactions", "Status", "Opened")
_OPEN_INK, _CLOSED_INK = QColor("#1d4ed8"), QColor("#374151")


def _day(iso: str | None) -> str:
    return iso[:10] if iso else ""


def _evaluators(s: CalibrationSession) -> str:
    return ", ".join(f"{e} (expert)" if e == s.expert else e for e in s.evaluators)


def _status(s: CalibrationSession) -> str:
    return ("open" if s.is_open else "closed") + (" · blind" if s.blind else "")


class SessionListModel(RecordTableModel):
    """Calibration sessions, newest first: name, scorecard, evaluators (expert marked),
    number of interactions, open/closed and the day it opened."""

    SessionIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        name, card, who, items, status, opened = SESSION_COLUMNS
        super().__init__(
            [Column(name, lambda s: s.name), Column(card, lambda s: s.scorecard_ref),
             Column(who, _evaluators, tooltip=lambda s: "\n".join(s.evaluators)),
             Column(items, lambda s: str(len(s.interactions))),
             Column(status, _status,
                    foreground=lambda s: _OPEN_INK if s.is_open else _CLOSED_INK),
             Column(opened, lambda s: _day(s.opened_at))],
            parent=parent, roles={self.SessionIdRole: lambda s: s.id},
        )  # fmt: skip

    def set_sessions(self, sessions: Sequence[CalibrationSession]) -> None:
        self.set_records(sorted(sessions, key=lambda s: s.id, reverse=True))

    def session(self, row: int) -> CalibrationSession | None:
        return self.records[row] if 0 <= row < len(self.records) else None

    def row_of(self, session_id: int) -> int | None:
        return next((i for i, s in enumerate(self.records) if s.id == session_id), None)


class _TextRow(NamedTuple):
    cells: list[str]
    tips: list[str | None]
    data: object


def _text_column(header: str, i: int) -> Column:
    return Column(header, lambda r: r.cells[i],
                  tooltip=lambda r: (r.tips[i] if r.tips else None) or r.cells[i] or None)  # fmt: skip


class TextTableModel(RecordTableModel):
    """Rows of already formatted text under fixed headers; optional tooltips per cell and a
    value per row (``RowDataRole``) a view can act on (e.g. the question key of a row)."""

    RowDataRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(self._columns(headers), parent=parent,
                         roles={self.RowDataRole: lambda r: r.data})  # fmt: skip

    @staticmethod
    def _columns(headers: Sequence[str]) -> list[Column]:
        return [_text_column(h, i) for i, h in enumerate(headers)]

    def set_headers(self, headers: Sequence[str]) -> None:
        self.set_columns(self._columns(headers))

    def set_rows(
        self,
        rows: Sequence[Sequence[str]],
        *,
        tips: Sequence[Sequence[str | None]] | None = None,
        row_data: Sequence[object] | None = None,
    ) -> None:
        width = len(self.columns)
        tips = list(tips or [])
        data = list(row_data) if row_data is not None else []
        self.set_records([
            _TextRow([str(c) for c in r][:width] + [""] * (width - len(r)),
                     list(tips[n]) + [None] * (width - len(tips[n])) if n < len(tips) else [],
                     data[n] if n < len(data) else None)
            for n, r in enumerate(rows)
        ])  # fmt: skip

    def clear(self) -> None:
        self.set_rows([])

    def row_data(self, row: int) -> object:
        return self.records[row].data if 0 <= row < len(self.records) else None
