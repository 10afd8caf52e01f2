"""Dialogs of the complaints log: log/edit a complaint, record the final response.

The dialogs only collect values; the view passes them to ``repository.complaints`` and shows any
refusal (which names the field) without closing the dialog's values.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from qa_studio.domain.complaint_rules import Regime
from qa_studio.domain.timeutil import parse_iso, to_iso
from qa_studio.storage.repository.complaints import CLASSIFICATIONS, PRIORITIES, STATUSES
from qa_studio.storage.repository.complaints_query import Complaint

LEVELS = ("0 – first line", "1 – team leader", "2 – complaints team", "3 – executive")


class ComplaintDialog(QDialog):
    """Log a new complaint (``complaint`` None) or edit one; ``values()`` gives the fields."""

    def __init__(
        self, regimes: tuple[Regime, ...], complaint: Complaint | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Edit complaint" if complaint else "Log a complaint")
        self.category = QLineEdit()
        self.classification = QComboBox()
        self.classification.addItems(list(CLASSIFICATIONS))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why formal / informal (e.g. asked for a complaint)")
        self.priority = QComboBox()
        self.priority.addItems(list(PRIORITIES))
        self.priority.setCurrentText("medium")
        self.vulnerable = QCheckBox("Vulnerable customer")
        self.need = QLineEdit()
        self.need.setPlaceholderText("Kind of need (health, life event, resilience, capability)")
        self.owner = QLineEdit()
        self.status = QComboBox()
        self.status.addItems(list(STATUSES))
        self.level = QComboBox()
        self.level.addItems(list(LEVELS))
        self.first_line = QCheckBox("First-line resolution attempted")
        self.regime = QComboBox()
        for r in regimes:
            self.regime.addItem(f"{r.name} ({r.reference})", r.key)
        self.exceptional = QCheckBox("Exceptional circumstances (longer final deadline)")
        self.received = QDateTimeEdit(QDateTime.currentDateTimeUtc())
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received.setTimeZone(QTimeZone.utc())
        self.summary = QPlainTextEdit()
        self.summary.setMaximumHeight(80)
        self.redress = QDoubleSpinBox()
        self.redress.setRange(0, 1_000_000)
        self.redress.setPrefix("£")
        form = QFormLayout(self)
        form.addRow("Category", self.category)
        form.addRow("Classification", self.classification)
        form.addRow("Reason", self.reason)
        form.addRow("Priority", self.priority)
        form.addRow("", self.vulnerable)
        form.addRow("Need", self.need)
        form.addRow("Owner", self.owner)
        form.addRow("Received (UTC)", self.received)
        form.addRow("Regime", self.regime)
        form.addRow("", self.exceptional)
        form.addRow("Escalation", self.level)
        form.addRow("", self.first_line)
        form.addRow("Summary", self.summary)
        if complaint is not None:
            form.addRow("Status", self.status)
            form.addRow("Redress", self.redress)
            self._fill(complaint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.editing = complaint is not None

    def _fill(self, c: Complaint) -> None:
        self.category.setText(c.category)
        self.classification.setCurrentText(c.classification)
        self.reason.setText(c.classification_reason)
        self.priority.setCurrentText(c.priority)
        self.vulnerable.setChecked(c.vulnerable)
        self.need.setText(c.vulnerability_need or "")
        self.owner.setText(c.owner or "")
        self.status.setCurrentText(c.status)
        self.level.setCurrentIndex(c.escalation_level)
        self.first_line.setChecked(c.first_line_attempted)
        self.regime.setCurrentIndex(max(0, self.regime.findData(c.regime)))
        self.exceptional.setChecked(c.exceptional)
        self.received.setDateTime(QDateTime.fromSecsSinceEpoch(
            int(parse_iso(c.opened_at).timestamp()), QTimeZone.utc()))  # fmt: skip
        self.summary.setPlainText(c.summary)
        self.redress.setValue(c.redress_amount or 0.0)

    def set_received(self, iso: str) -> None:
        self.received.setDateTime(QDateTime.fromSecsSinceEpoch(
            int(parse_iso(iso).timestamp()), QTimeZone.utc()))  # fmt: skip

    def values(self) -> dict:
        received = to_iso(parse_iso(
            self.received.dateTime().toUTC().toString("yyyy-MM-ddTHH:mm:ssZ")))  # fmt: skip
        out = {
            "category": self.category.text().strip(),
            "classification": self.classification.currentText(),
            "classification_reason": self.reason.text().strip(),
            "priority": self.priority.currentText(),
            "vulnerable": self.vulnerable.isChecked(),
            "vulnerability_need": self.need.text().strip() or None,
            "owner": self.owner.text().strip() or None,
            "escalation_level": self.level.currentIndex(),
            "first_line_attempted": self.first_line.isChecked(),
            "regime": self.regime.currentData(),
            "exceptional": self.exceptional.isChecked(),
            "summary": self.summary.toPlainText().strip(),
            "opened_at": received,
        }
        if self.editing:
            out["status"] = self.status.currentText()
            out["redress_amount"] = self.redress.value() or None
        return out


class ResponseDialog(QDialog):
    """The final response (or summary resolution): how it was resolved, redress, follow-up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record the response")
        self.resolution = QPlainTextEdit()
        self.redress = QLineEdit()
        self.redress.setPlaceholderText("e.g. refund of the fee, goodwill payment")
        self.amount = QDoubleSpinBox()
        self.amount.setRange(0, 1_000_000)
        self.amount.setPrefix("£")
        self.summary_resolution = QCheckBox("Summary resolution (within the summary window)")
        self.follow_up = QLineEdit()
        self.follow_up.setPlaceholderText("Follow-up due YYYY-MM-DD (optional)")
        form = QFormLayout(self)
        form.addRow("Resolution", self.resolution)
        form.addRow("Redress", self.redress)
        form.addRow("Amount", self.amount)
        form.addRow("", self.summary_resolution)
        form.addRow("Follow-up", self.follow_up)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        return {
            "resolution": self.resolution.toPlainText().strip(),
            "redress": self.redress.text().strip() or None,
            "redress_amount": self.amount.value() or None,
            "summary_resolution": self.summary_resolution.isChecked(),
            "follow_up_due": self.follow_up.text().strip() or None,
        }
