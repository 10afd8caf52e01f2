"""The breach log screen: the 72-hour ICO clock of each breach, and deciding it.

A fatal data-protection or PCI fail opens a breach (``repository.breaches``); UK GDPR gives 72
hours from awareness to report it to the ICO. The screen lists open breaches first, soonest due,
with the clock as people read it ("5 h 30 min left", "OVERDUE by 3 h") and the row tinted amber
in the last day and red after it; a headline counts what needs a decision. **Decide…** records
that the breach was reported to the ICO (when) or why it is not reportable — one audited
transaction in the repository — and is offered only for open breaches.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain.timeutil import parse_iso, to_iso, utcnow
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import breaches
from qa_studio.storage.repository.breaches import ICO_HOURS, Breach
from qa_studio.ui.views.complaint_dialogs import FormDialog, apply_dialog
from qa_studio.ui.views.complaint_models import (
    KIND_LABELS,
    SOON_HOURS,
    breaches_model,
    ico_clock,
    log_table,
    reselect,
)
from qa_studio.ui.write_guard import mark_writes

__all__ = ["BreachDecisionDialog", "BreachLogView"]

DECISION_LABELS = {"reported": "Reported to the ICO", "not_reportable": "Not reportable"}
NOTE_HINTS = {
    "reported": "What was reported, and the ICO's reference",
    "not_reportable": "Why the breach is unlikely to result in a risk to the customer",
}
NOTE_PROBLEMS = {
    "reported": "Notes: say what was reported, and the ICO's reference",
    "not_reportable": "Notes: say why the breach is unlikely to result in a risk",
}


class BreachDecisionDialog(FormDialog):
    """Reported to the ICO (when, what) or not reportable (why); the notes are required."""

    def __init__(self, breach: Breach, parent: QWidget | None = None, *,
                 now: datetime | None = None) -> None:  # fmt: skip
        super().__init__(f"Decide breach {breach.id}", parent)
        self.now = now or utcnow()
        self.decision = QComboBox()
        for key, label in DECISION_LABELS.items():
            self.decision.addItem(label, key)
        self.reported_at = QDateTimeEdit()
        self.reported_at.setTimeZone(QTimeZone.utc())
        self.reported_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.reported_at.setDateTime(
            QDateTime.fromSecsSinceEpoch(int(self.now.timestamp()), QTimeZone.utc())
        )
        self.notes = QPlainTextEdit()
        self.notes.setMinimumWidth(380)
        self.notes.setMaximumHeight(110)
        what = f"{KIND_LABELS.get(breach.kind, breach.kind)} · {breach.regulation or '—'}"
        where = f"contact {breach.interaction or '—'}, question {breach.question_key or '—'}"
        self.form.addRow("Breach", QLabel(f"{what}\n{where}"))
        self.form.addRow("ICO clock", QLabel(ico_clock(breach)))
        self.form.addRow("Decision", self.decision)
        self.form.addRow("Reported at (UTC)", self.reported_at)
        self.form.addRow("Notes", self.notes)
        self.decision.currentIndexChanged.connect(self._follow_decision)
        self.notes.textChanged.connect(self.check)
        self.reported_at.dateTimeChanged.connect(self.check)
        self._follow_decision()
        self.finish()

    def _follow_decision(self) -> None:
        key = self.decision.currentData()
        self.reported_at.setEnabled(key == "reported")
        self.notes.setPlaceholderText(NOTE_HINTS[key])
        self.check()

    def _reported_iso(self) -> str:
        return to_iso(datetime.fromtimestamp(self.reported_at.dateTime().toSecsSinceEpoch(), UTC))

    def problem(self) -> str | None:
        if not self.notes.toPlainText().strip():
            return NOTE_PROBLEMS[self.decision.currentData()]
        if self.decision.currentData() == "reported" and (
            parse_iso(self._reported_iso()) > self.now
        ):
            return "Reported at: the report cannot be in the future"
        return None

    def values(self) -> dict:
        key = self.decision.currentData()
        return {"decision": key, "notes": self.notes.toPlainText().strip(),
                "at": self._reported_iso() if key == "reported" else None}  # fmt: skip


class BreachLogView(QWidget):
    """The breach log of one workspace; ``now`` fixes the clock (tests), else it is real time."""

    #: A breach was decided (its id).
    breachDecided = Signal(int)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *,
                 now: datetime | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ws = ws
        self.now = now
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.open_only = QCheckBox("Open only")
        self.open_only.toggled.connect(self.refresh)
        self.decide_button = QPushButton("Decide…")
        self.decide_button.setToolTip("Record that the breach was reported to the ICO, "
                                      "or why it is not reportable")  # fmt: skip
        self.decide_button.clicked.connect(lambda: self.decide())
        mark_writes(self.decide_button)
        self.model = breaches_model(self)
        self.table = log_table(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._follow())
        self.table.doubleClicked.connect(lambda _index: self.decide())
        bar = QHBoxLayout()
        bar.addWidget(self.headline, 1)
        bar.addWidget(self.open_only)
        bar.addWidget(self.decide_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        keep = self.current()
        rows = breaches.list_breaches(
            self.ws, status="open" if self.open_only.isChecked() else None, now=self.now
        )
        self.model.set_records(rows)
        self.headline.setText(_headline(rows))
        reselect(self.table, rows, keep.id if keep else None)
        self._follow()

    def current(self) -> Breach | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _follow(self) -> None:
        b = self.current()
        self.decide_button.setEnabled(b is not None and b.status == "open")

    def decide(self, dialog: BreachDecisionDialog | None = None) -> bool:
        """Ask for the decision on the selected open breach and record it; True when stored."""
        b = self.current()
        if b is None or b.status != "open":
            return False
        dialog = dialog or BreachDecisionDialog(b, self, now=self.now)
        if not apply_dialog(self, dialog, lambda v: breaches.decide(self.ws, b.id, **v),
                            "Breach not decided"):  # fmt: skip
            return False
        self.refresh()
        self.breachDecided.emit(b.id)
        return True


def _headline(rows: list[Breach]) -> str:
    open_rows = [b for b in rows if b.status == "open"]
    if not rows:
        return "No breaches: a fatal data-protection or PCI fail opens one here."
    if not open_rows:
        return f"{len(rows)} breach(es), all decided."
    late = sum(1 for b in open_rows if b.overdue)
    soon = sum(1 for b in open_rows if not b.overdue and (b.hours_left or 0) < SOON_HOURS)
    parts = [f"<b>{len(open_rows)} open</b> of {len(rows)}"]
    if late:
        parts.append(f"<span style='color:#a01818'><b>{late} past the {ICO_HOURS} hours</b></span>")
    if soon:
        parts.append(f"{soon} with less than {SOON_HOURS} h left")
    return " · ".join(parts) + f" — report to the ICO within {ICO_HOURS} h of awareness."
