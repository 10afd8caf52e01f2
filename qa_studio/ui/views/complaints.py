"""The complaints log screen: filtered list, detail with the audited timeline, dialogs.

The list is the log, most urgent first, coloured by due state (overdue red, due soon amber);
filters narrow it by status, due state and vulnerable customers. Selecting a complaint shows its
fields and its timeline (every hand-off, note, status change and response, with who and when).
Complaints are logged by hand or from a flagged interaction; "Start RCA" opens a root-cause
analysis on the complaint's category and links it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain import complaint_rules as rules
from qa_studio.domain.complaint_rules import Regime
from qa_studio.errors import QAStudioError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import complaints as repo
from qa_studio.storage.repository import rca
from qa_studio.storage.repository.complaints_query import (
    Complaint,
    flagged_contact,
    flagged_without_complaint,
    get_complaint,
    list_complaints,
    london_today,
)
from qa_studio.ui.views.complaint_detail import (
    detail_html,
    follow_up_block,
    referral_block,
    response_block,
)
from qa_studio.ui.views.complaint_dialogs import (
    ComplaintDialog,
    FollowUpDialog,
    ReferralDialog,
    ResponseDialog,
    apply_dialog,
    show_refusal,
)
from qa_studio.ui.views.complaint_models import DUE_LABELS, complaints_model, log_table, reselect
from qa_studio.ui.write_guard import REASON, mark_writes, writes_allowed


class ComplaintsView(QWidget):
    """The log with filters and the selected complaint's detail and timeline."""

    #: An RCA was started from a complaint (its id).
    rcaStarted = Signal(int)
    complaintChanged = Signal(int)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ws = ws
        self.today = today
        self.status_filter = QComboBox()
        self.status_filter.addItem("Any status", None)
        for s in repo.STATUSES:
            self.status_filter.addItem(s, s)
        self.due_filter = QComboBox()
        self.due_filter.addItem("Any due state", None)
        for key, label in DUE_LABELS.items():
            self.due_filter.addItem(label, key)
        self.vulnerable_filter = QCheckBox("Vulnerable only")
        for w in (self.status_filter, self.due_filter):
            w.currentIndexChanged.connect(self.refresh)
        self.vulnerable_filter.toggled.connect(self.refresh)
        self.count = QLabel()
        self.new_button = QPushButton("Log complaint…")
        self.new_button.clicked.connect(lambda: self.new_complaint())
        self.from_button = QPushButton("From flagged contact…")
        self.from_button.clicked.connect(lambda: self.new_from_interaction())
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_complaint)
        self.note_button = QPushButton("Add note…")
        self.note_button.clicked.connect(lambda: self.add_note())
        self.response_button = QPushButton("Record response…")
        self.response_button.clicked.connect(self.record_response)
        self.refer_button = QPushButton("Ombudsman/ADR referral…")
        self.refer_button.clicked.connect(lambda: self.refer())
        self.follow_up_button = QPushButton("Record follow-up…")
        self.follow_up_button.clicked.connect(lambda: self.follow_up())
        self.rca_button = QPushButton("Start RCA")
        self.rca_button.clicked.connect(self.start_rca)
        self.steps = {  # the buttons a selected complaint enables, with why one may be off
            self.edit_button: lambda c: None,
            self.note_button: lambda c: None,
            self.rca_button: lambda c: None,
            self.response_button: response_block,
            self.refer_button: lambda c: referral_block(c, self._regime(c), self._today()),
            self.follow_up_button: follow_up_block,
        }
        mark_writes(self.new_button, self.from_button, *self.steps)
        bar = QHBoxLayout()
        for w in (self.status_filter, self.due_filter, self.vulnerable_filter, self.count):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.new_button, self.from_button):
            bar.addWidget(w)
        self.model = complaints_model(self)
        self.table = log_table(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        self.detail = QTextBrowser()
        actions = QGridLayout()  # in the order a complaint goes through them
        steps = (self.edit_button, self.note_button, self.response_button, self.refer_button,
                 self.follow_up_button, self.rca_button)  # fmt: skip
        for i, w in enumerate(steps):
            actions.addWidget(w, i // 2, i % 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.detail)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([1010, 450])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split)
        self.refresh()

    # -- reading --------------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.current()
        rows = list_complaints(
            self.ws, status=self.status_filter.currentData(), due=self.due_filter.currentData(),
            vulnerable=True if self.vulnerable_filter.isChecked() else None, today=self.today,
        )  # fmt: skip
        self.model.set_records(rows)
        self.count.setText(f"{len(rows)} complaint(s)")
        reselect(self.table, rows, keep.id if keep else None)
        self.show_detail()

    def current(self) -> Complaint | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _today(self) -> date:
        return self.today or london_today()

    def _regime(self, c: Complaint) -> Regime | None:
        try:
            return rules.find(repo.regimes(self.ws), c.regime)
        except (KeyError, QAStudioError):
            return None

    def show_detail(self) -> None:
        c = self.current()
        for button, block in self.steps.items():
            why = "Select a complaint." if c is None else block(c)
            button.setEnabled(why is None)
            tip = why or ""
            if not writes_allowed(button):
                tip = f"{tip}\n{REASON}".strip()
            button.setToolTip(tip)
        if c is None:
            self.detail.setHtml("<p>No complaint selected.</p>")
            return
        full = get_complaint(self.ws, c.id, today=self.today)
        assert full is not None
        self.detail.setHtml(detail_html(full))

    # -- writing --------------------------------------------------------------------------------

    def new_complaint(self, dialog: ComplaintDialog | None = None,
                      interaction_id: int | None = None) -> int | None:  # fmt: skip
        dialog = dialog or ComplaintDialog(repo.regimes(self.ws), parent=self)
        created: list[int] = []

        def write(values: dict) -> None:
            new = repo.NewComplaint(**values, interaction_id=interaction_id)
            created.append(repo.create_complaint(self.ws, new))

        if not apply_dialog(self, dialog, write, "Complaint not logged"):
            return None
        self._after_change(created[0])
        return created[0]

    def new_from_interaction(self, external_id: str | None = None) -> int | None:
        if external_id is None:
            flagged = [f"{f.external_id} · {f.complaint} · {f.started_at[:10]}"
                       for f in flagged_without_complaint(self.ws)]  # fmt: skip
            choice, ok = QInputDialog.getItem(
                self, "Log from a contact", "Flagged contact (or type an external id):",
                flagged, 0, True,
            )  # fmt: skip
            if not ok or not choice.strip():
                return None
            external_id = choice.split(" · ")[0].strip()
        contact = flagged_contact(self.ws, external_id)
        if contact is None:
            QMessageBox.warning(self, "No such contact", f"No interaction {external_id!r}.")
            return None
        dialog = ComplaintDialog(repo.regimes(self.ws), parent=self)
        dialog.classification.setCurrentText(
            "formal" if contact.complaint == "formal" else "informal"
        )
        dialog.vulnerable.setChecked(contact.vulnerable)
        dialog.regime.setCurrentIndex(
            max(0, dialog.regime.findData("fca" if contact.complaint == "formal" else "internal"))
        )
        dialog.set_received(contact.started_at)
        dialog.reason.setText(f"flagged {contact.complaint} on contact {contact.external_id}")
        return self.new_complaint(dialog, interaction_id=contact.id)

    def edit_complaint(self) -> None:
        c = self.current()
        if c is None:
            return
        dialog = ComplaintDialog(repo.regimes(self.ws), c, parent=self)
        if apply_dialog(self, dialog, lambda v: repo.update_complaint(self.ws, c.id, v),
                        "Complaint not changed"):  # fmt: skip
            self._after_change(c.id)

    def add_note(self, text: str | None = None) -> None:
        c = self.current()
        if c is None:
            return
        if text is None:
            text, ok = QInputDialog.getMultiLineText(self, "Investigation note", "Note:")
            if not ok:
                return
        try:
            repo.add_note(self.ws, c.id, text)
        except QAStudioError as exc:
            show_refusal(self, "Note not added", exc)
            return
        self._after_change(c.id)

    def record_response(self) -> None:
        c = self.current()
        if c is None or response_block(c):
            return
        if apply_dialog(self, ResponseDialog(self),
                        lambda v: repo.record_final_response(self.ws, c.id, **v),
                        "Response not recorded"):  # fmt: skip
            self._after_change(c.id)

    def refer(self, dialog: ReferralDialog | None = None) -> bool:
        """The customer referred the selected complaint to the ombudsman/ADR; True when stored."""
        c = self.current()
        regime = self._regime(c) if c is not None else None
        if c is None or referral_block(c, regime, self._today()):
            return False
        dialog = dialog or ReferralDialog(c, regime.referral if regime else "", parent=self)
        done = apply_dialog(self, dialog, lambda v: repo.refer(self.ws, c.id, **v),
                            "Referral not recorded")  # fmt: skip
        if done:
            self._after_change(c.id)
        return done

    def follow_up(self, dialog: FollowUpDialog | None = None) -> bool:
        """Record the follow-up after resolution of the selected complaint; True when stored."""
        c = self.current()
        if c is None or follow_up_block(c):
            return False
        dialog = dialog or FollowUpDialog(c, parent=self)
        done = apply_dialog(self, dialog, lambda v: repo.record_follow_up(self.ws, c.id, **v),
                            "Follow-up not recorded")  # fmt: skip
        if done:
            self._after_change(c.id)
        return done

    def start_rca(self) -> int | None:
        c = self.current()
        if c is None:
            return None
        rid = c.rca_id or rca.start_rca(
            self.ws, "complaint_category", c.category,
            f"Complaints about {c.category}: find and fix the cause", owner=c.owner,
        )  # fmt: skip
        if c.rca_id is None:
            repo.update_complaint(self.ws, c.id, {"rca_id": rid}, note=f"RCA {rid} started")
            self._after_change(c.id)
        self.rcaStarted.emit(rid)
        return rid

    def _after_change(self, complaint_id: int) -> None:
        self.refresh()
        reselect(self.table, self.model.records, complaint_id)
        self.complaintChanged.emit(complaint_id)
