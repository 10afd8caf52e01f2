"""Dialogs of the complaints log: log/edit a complaint, the response, referral and follow-up.

The dialogs only collect values; the view passes them to ``repository.complaints`` and shows any
refusal (which names the field) verbatim. ``FormDialog`` keeps OK off, with the reason in red
under the form, while a required field is empty or a date does not read, so most refusals never
reach the repository.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from qa_studio.domain.complaint_rules import Regime
from qa_studio.domain.timeutil import parse_iso, to_iso
from qa_studio.errors import QAStudioError
from qa_studio.storage.repository.complaints import CLASSIFICATIONS, PRIORITIES, STATUSES
from qa_studio.storage.repository.complaints_query import Complaint

LEVELS = ("0 – first line", "1 – team leader", "2 – complaints team", "3 – executive")
PROBLEM_COLOUR = "#a01818"


class FormDialog(QDialog):
    """A form with OK/Cancel; OK stays off while ``problem()`` names something to fix."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {PROBLEM_COLOUR}")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def finish(self) -> None:
        """Put the problem line and the buttons under the rows; call after adding them."""
        self.form.addRow(self.problem_label)
        self.form.addRow(self.buttons)
        self.check()

    def problem(self) -> str | None:
        """What must be fixed before OK (``field: what``), or None."""
        return None

    def check(self) -> None:
        problem = self.problem()
        self.problem_label.setText(problem or "")
        self.problem_label.setVisible(problem is not None)
        self.ok.setEnabled(problem is None)

    def accept(self) -> None:
        if self.problem() is None:
            super().accept()


def apply_dialog(
    parent: QWidget, dialog: QDialog, write: Callable[[dict], object], refused: str
) -> bool:
    """Show ``dialog``; on OK hand its ``values()`` to ``write`` (one repository call, so one
    transaction). A refusal is shown verbatim under the title ``refused``. True when stored."""
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        write(dialog.values())  # type: ignore[attr-defined]
    except QAStudioError as exc:
        show_refusal(parent, refused, exc)
        return False
    return True


def show_refusal(parent: QWidget, title: str, exc: QAStudioError) -> None:
    """The repository's refusal verbatim: its message, then each detail on a line."""
    QMessageBox.warning(parent, title, "\n".join([exc.message, *map(str, exc.details)]))


def money_box() -> QDoubleSpinBox:
    """An amount of redress in pounds (0 = none)."""
    box = QDoubleSpinBox()
    box.setRange(0, 1_000_000)
    box.setPrefix("£")
    return box


class ComplaintDialog(FormDialog):
    """Log a new complaint (``complaint`` None) or edit one; ``values()`` gives the fields."""

    def __init__(
        self, regimes: tuple[Regime, ...], complaint: Complaint | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__("Edit complaint" if complaint else "Log a complaint", parent)
        self.category = QLineEdit()
        self.category.textChanged.connect(self.check)
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
        self.redress = money_box()
        rows = (("Category", self.category), ("Classification", self.classification),
                ("Reason", self.reason), ("Priority", self.priority), ("", self.vulnerable),
                ("Need", self.need), ("Owner", self.owner), ("Received (UTC)", self.received),
                ("Regime", self.regime), ("", self.exceptional), ("Escalation", self.level),
                ("", self.first_line), ("Summary", self.summary))  # fmt: skip
        for label, widget in rows:
            self.form.addRow(label, widget)
        if complaint is not None:
            self.form.addRow("Status", self.status)
            self.form.addRow("Redress", self.redress)
            self._fill(complaint)
        self.editing = complaint is not None
        self.finish()

    def problem(self) -> str | None:
        return None if self.category.text().strip() else "Category: a category is required"

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


class ResponseDialog(FormDialog):
    """The final response (or summary resolution): how it was resolved, redress, follow-up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Record the response", parent)
        self.resolution = QPlainTextEdit()
        self.resolution.textChanged.connect(self.check)
        self.redress = QLineEdit()
        self.redress.setPlaceholderText("e.g. refund of the fee, goodwill payment")
        self.amount = money_box()
        self.summary_resolution = QCheckBox("Summary resolution (within the summary window)")
        self.follow_up = QLineEdit()
        self.follow_up.setPlaceholderText("Follow-up due YYYY-MM-DD (optional)")
        self.follow_up.textChanged.connect(self.check)
        self.form.addRow("Resolution", self.resolution)
        self.form.addRow("Redress", self.redress)
        self.form.addRow("Amount", self.amount)
        self.form.addRow("", self.summary_resolution)
        self.form.addRow("Follow-up", self.follow_up)
        self.finish()

    def problem(self) -> str | None:
        if not self.resolution.toPlainText().strip():
            return "Resolution: say how the complaint was resolved"
        text = self.follow_up.text().strip()
        if text:
            try:
                date.fromisoformat(text)
            except ValueError:
                return f"Follow-up: {text!r} is not a date like 2026-12-01"
        return None

    def values(self) -> dict:
        return {
            "resolution": self.resolution.toPlainText().strip(),
            "redress": self.redress.text().strip() or None,
            "redress_amount": self.amount.value() or None,
            "summary_resolution": self.summary_resolution.isChecked(),
            "follow_up_due": self.follow_up.text().strip() or None,
        }


class ReferralDialog(FormDialog):
    """The customer took the complaint to the ombudsman / ADR scheme: its case reference."""

    def __init__(self, complaint: Complaint, scheme: str, parent: QWidget | None = None) -> None:
        super().__init__("Ombudsman / ADR referral", parent)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("The scheme's case reference, if known")
        self.reference.setMinimumWidth(260)
        self.form.addRow("Complaint", QLabel(f"{complaint.id} · {complaint.category}"))
        self.form.addRow("Referred to", QLabel(scheme))
        self.form.addRow("Reference", self.reference)
        self.finish()

    def values(self) -> dict:
        return {"reference": self.reference.text().strip() or None}


class FollowUpDialog(FormDialog):
    """The follow-up after resolution: what the customer said; closing the complaint."""

    def __init__(self, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__("Follow-up after resolution", parent)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("What the customer said when contacted after the response")
        self.note.textChanged.connect(self.check)
        self.close_it = QCheckBox("Close the complaint")
        self.close_it.setChecked(True)
        self.form.addRow("Complaint", QLabel(f"{complaint.id} · {complaint.category}"))
        self.form.addRow("Follow-up", self.note)
        self.form.addRow("", self.close_it)
        self.finish()

    def problem(self) -> str | None:
        return None if self.note.toPlainText().strip() else "Follow-up: say what the customer said"

    def values(self) -> dict:
        return {"note": self.note.toPlainText().strip(), "close": self.close_it.isChecked()}
