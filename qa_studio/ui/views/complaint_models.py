"""The tables of the Complaints & RCA tab, as column definitions over ``RecordTableModel``.

Why here and not one model class per table: the complaints log and the breach log are lists of
frozen records shown column by column; only their columns and the colour of a row differ. A row's
colour says how urgent it is in two steps (overdue red, due soon amber), which the generic model's
single flag colour cannot tell apart, so ``TonedRecordModel`` adds a per-row tone and keeps the
flag for the tooltip that explains it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from qa_studio.domain.timeutil import parse_iso
from qa_studio.storage.repository.breaches import ICO_HOURS, Breach
from qa_studio.storage.repository.complaints_query import Complaint
from qa_studio.ui.models.record_table import Column, Index, RecordTableModel

__all__ = [
    "DUE_LABELS",
    "SOON_HOURS",
    "TONES",
    "TonedRecordModel",
    "breaches_model",
    "complaints_model",
    "ico_clock",
    "log_table",
    "reselect",
]

#: Row backgrounds: past the deadline, and close to it.
TONES = {"overdue": "#f8d0d0", "due_soon": "#fbe7bf"}
DUE_LABELS = {"overdue": "overdue", "due_soon": "due soon", "on_track": "on track",
              "done": "answered"}  # fmt: skip
KIND_LABELS = {"pci": "PCI", "data_protection": "data protection"}
#: An open breach with fewer hours than this left on the ICO clock is shown as due soon.
SOON_HOURS = 24


class TonedRecordModel(RecordTableModel):
    """A ``RecordTableModel`` whose rows are tinted by ``tone(record)`` (a key of ``TONES``)."""

    def __init__(self, columns: Sequence[Column], tone: Callable[[Any], str | None],
                 flag: Callable[[Any], str | None] | None = None,
                 parent=None) -> None:  # fmt: skip
        super().__init__(columns, flag, parent)
        self._tone = tone

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.BackgroundRole:
            if not index.isValid() or not (0 <= index.row() < len(self.records)):
                return None
            tone = self._tone(self.records[index.row()])
            return QBrush(QColor(TONES[tone])) if tone in TONES else None
        return super().data(index, role)


def log_table(model: RecordTableModel) -> QTableView:
    """A log's table: whole rows, one at a time, columns as wide as their text, last stretched."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def reselect(table: QTableView, records: Sequence[Any], keep_id: int | None) -> None:
    """After a refresh, select the record whose ``id`` was selected before, else the first."""
    ids = [r.id for r in records]
    if ids:
        table.selectRow(ids.index(keep_id) if keep_id in ids else 0)


# -- the complaints log ---------------------------------------------------------------------------


def _due_text(c: Complaint) -> str:
    text = DUE_LABELS[c.due_state]
    return text if c.days_left is None else f"{text} ({c.days_left:+d} bd)"


def _due_why(c: Complaint) -> str | None:
    if c.due_state == "overdue":
        return f"The final response was due by {c.final_due}: it is overdue."
    if c.due_state == "due_soon":
        return f"The final response is due by {c.final_due}."
    return None


def complaints_model(parent=None) -> TonedRecordModel:
    """The complaints log: one row per complaint, tinted by its due state."""
    return TonedRecordModel([
        Column("#", lambda c: c.id, True),
        Column("Received", lambda c: c.opened_at[:10]),
        Column("Category", lambda c: c.category),
        Column("Class", lambda c: c.classification),
        Column("Priority", lambda c: c.priority),
        Column("Vulnerable", lambda c: (c.vulnerability_need or "yes") if c.vulnerable else ""),
        Column("Owner", lambda c: c.owner or ""),
        Column("Status", lambda c: c.status),
        Column("Esc.", lambda c: c.escalation_level, True),
        Column("Final due", lambda c: c.final_due),
        Column("Due state", _due_text),
    ], lambda c: c.due_state, _due_why, parent)  # fmt: skip


# -- the breach log -------------------------------------------------------------------------------


def ico_clock(b: Breach) -> str:
    """The 72-hour clock as a person reads it: time left, overdue, or what was decided."""
    if b.status == "reported" and b.reported_at:
        took = (parse_iso(b.reported_at) - parse_iso(b.opened_at)).total_seconds() / 3600
        return f"reported after {took:.0f} h" + (" (late)" if took > ICO_HOURS else "")
    if b.status == "not_reportable":
        return "not reportable"
    if b.hours_left is None:
        return b.status
    if b.hours_left < 0:
        return f"OVERDUE by {_hours(-b.hours_left)}"
    return f"{_hours(b.hours_left)} left"


def _hours(h: float) -> str:
    """``5 h 30 min`` in the last day, ``62 h`` within the 72, ``20 d 1 h`` beyond them."""
    whole = int(h)
    if whole < SOON_HOURS:
        minutes = round(h * 60)
        return f"{minutes // 60} h {minutes % 60:02d} min"
    if whole <= ICO_HOURS:
        return f"{h:.0f} h"
    return f"{whole // 24} d {whole % 24} h"


def _breach_tone(b: Breach) -> str | None:
    if b.status != "open" or b.hours_left is None:
        return None
    return "overdue" if b.overdue else "due_soon" if b.hours_left < SOON_HOURS else None


def _breach_why(b: Breach) -> str | None:
    due = b.ico_due[:16].replace("T", " ")
    if _breach_tone(b) == "overdue":
        return f"The {ICO_HOURS} hours to report to the ICO ran out at {due} UTC: decide now."
    if _breach_tone(b) == "due_soon":
        return f"Less than {SOON_HOURS} hours left: report to the ICO or record why not by {due}."
    return None


def breaches_model(parent=None) -> TonedRecordModel:
    """The breach log: open breaches first with the ICO clock, then the decided ones."""
    return TonedRecordModel([
        Column("#", lambda b: b.id, True),
        Column("Kind", lambda b: KIND_LABELS.get(b.kind, b.kind)),
        Column("Regulation", lambda b: b.regulation or ""),
        Column("Contact", lambda b: b.interaction or ""),
        Column("Agent", lambda b: b.agent or ""),
        Column("Question", lambda b: b.question_key or ""),
        Column("Opened", lambda b: _minute(b.opened_at)),
        Column("ICO due", lambda b: _minute(b.ico_due)),
        Column("Status", lambda b: b.status.replace("_", " ")),
        Column("ICO clock", ico_clock),
        Column("Decided by", lambda b: b.decided_by or ""),
        Column("Notes", lambda b: b.notes),
    ], _breach_tone, _breach_why, parent)  # fmt: skip


def _minute(iso: str) -> str:
    return iso[:16].replace("T", " ")
