"""The complaints log screen: filtered list, detail with the audited timeline, dialogs.

The list is the log, most urgent first, coloured by due state (overdue red, due soon amber);
filters narrow it by status, due state and vulnerable customers. Selecting a complaint shows its
fields and its timeline (every hand-off, note, status change and response, with who and when).
Complaints are logged by hand or from a flagged interaction; "Start RCA" opens a root-cause
analysis on the complaint's category and links it.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

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
)
from qa_studio.ui.views.complaint_dialogs import ComplaintDialog, ResponseDialog

Index = QModelIndex | QPersistentModelIndex
DUE_COLOURS = {"overdue": "#f8d0d0", "due_soon": "#fbe7bf"}
DUE_LABELS = {"overdue": "overdue", "due_soon": "due soon", "on_track": "on track",
              "done": "answered"}  # fmt: skip


class ComplaintsModel(QAbstractTableModel):
    """Rows of the log (a few thousand at most: loaded whole, filtered in the repository)."""

    HEADERS = ("#", "Received", "Category", "Class", "Priority", "Vulnerable", "Owner", "Status",
               "Esc.", "Final due", "Due state")  # fmt: skip

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Complaint] = []

    def set_rows(self, rows: list[Complaint]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def complaint(self, row: int) -> Complaint | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        c = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            due = DUE_LABELS[c.due_state]
            if c.days_left is not None:
                due += f" ({c.days_left:+d} bd)"
            return (str(c.id), c.opened_at[:10], c.category, c.classification, c.priority,
                    c.vulnerability_need or "yes" if c.vulnerable else "", c.owner or "",
                    c.status, str(c.escalation_level), c.final_due, due)[index.column()]  # fmt: skip
        if role == Qt.ItemDataRole.BackgroundRole and c.due_state in DUE_COLOURS:
            return QColor(DUE_COLOURS[c.due_state])
        return None


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
        self.rca_button = QPushButton("Start RCA")
        self.rca_button.clicked.connect(self.start_rca)
        bar = QHBoxLayout()
        for w in (self.status_filter, self.due_filter, self.vulnerable_filter, self.count):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.new_button, self.from_button):
            bar.addWidget(w)
        self.model = ComplaintsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        self.detail = QTextBrowser()
        actions = QHBoxLayout()
        for w in (self.edit_button, self.note_button, self.response_button, self.rca_button):
            actions.addWidget(w)
        actions.addStretch(1)
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
        split.setSizes([990, 470])
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
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} complaint(s)")
        for row, c in enumerate(rows):
            if keep is not None and c.id == keep.id:
                self.table.selectRow(row)
                break
        else:
            if rows:
                self.table.selectRow(0)
        self.show_detail()

    def current(self) -> Complaint | None:
        index = self.table.currentIndex() if hasattr(self, "table") else QModelIndex()
        return self.model.complaint(index.row()) if index.isValid() else None

    def show_detail(self) -> None:
        c = self.current()
        for w in (self.edit_button, self.note_button, self.response_button, self.rca_button):
            w.setEnabled(c is not None)
        if c is None:
            self.detail.setHtml("<p>No complaint selected.</p>")
            return
        full = get_complaint(self.ws, c.id, today=self.today)
        assert full is not None
        self.detail.setHtml(_detail_html(full))

    # -- writing --------------------------------------------------------------------------------

    def _refused(self, title: str, exc: QAStudioError) -> None:
        QMessageBox.warning(self, title, "\n".join([exc.message, *map(str, exc.details)]))

    def new_complaint(self, dialog: ComplaintDialog | None = None,
                      interaction_id: int | None = None) -> int | None:  # fmt: skip
        dialog = dialog or ComplaintDialog(repo.regimes(self.ws), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        try:
            cid = repo.create_complaint(
                self.ws, repo.NewComplaint(**dialog.values(), interaction_id=interaction_id)
            )
        except QAStudioError as exc:
            self._refused("Complaint not logged", exc)
            return None
        self._after_change(cid)
        return cid

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
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            repo.update_complaint(self.ws, c.id, dialog.values())
        except QAStudioError as exc:
            self._refused("Complaint not changed", exc)
            return
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
            self._refused("Note not added", exc)
            return
        self._after_change(c.id)

    def record_response(self) -> None:
        c = self.current()
        if c is None:
            return
        dialog = ResponseDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            repo.record_final_response(self.ws, c.id, **dialog.values())
        except QAStudioError as exc:
            self._refused("Response not recorded", exc)
            return
        self._after_change(c.id)

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
        for row in range(self.model.rowCount()):
            c = self.model.complaint(row)
            if c is not None and c.id == complaint_id:
                self.table.selectRow(row)
        self.complaintChanged.emit(complaint_id)


def _detail_html(c: Complaint) -> str:
    e = html.escape
    rows = [
        ("Category", c.category), ("Classification", f"{c.classification} — {c.classification_reason}"),
        ("Priority", c.priority),
        ("Vulnerable", (c.vulnerability_need or "yes") if c.vulnerable else "no"),
        ("Owner", c.owner or "—"), ("Status", c.status),
        ("Escalation", f"level {c.escalation_level}; first line attempted: "
                       f"{'yes' if c.first_line_attempted else 'no'}"),
        ("Regime", c.regime + (" (exceptional)" if c.exceptional else "")),
        ("Received", c.opened_at), ("Summary resolution by", c.summary_due or "—"),
        ("Final response due", f"{c.final_due} ({DUE_LABELS[c.due_state]})"),
        ("Final response", c.final_response_at or "—"), ("Resolution", c.resolution or "—"),
        ("Redress", " ".join(x for x in (c.redress or "", f"£{c.redress_amount:.2f}"
                                          if c.redress_amount else "") if x) or "—"),
        ("Ombudsman / ADR", c.ombudsman_referral_at or "—"),
        ("Follow-up", c.followed_up_at or (f"due {c.follow_up_due}" if c.follow_up_due else "—")),
        ("Contact", f"{c.interaction or '—'} (agent {c.agent or '—'})"),
        ("RCA", str(c.rca_id) if c.rca_id else "—"),
    ]  # fmt: skip
    table = "".join(f"<tr><td><b>{e(k)}</b></td><td>{e(str(v))}</td></tr>" for k, v in rows)
    events = "".join(
        f"<tr><td>{e(ev.at[:16].replace('T', ' '))}</td><td>{e(ev.actor)}</td>"
        f"<td>{e(ev.kind)}</td><td>{e(ev.text)}"
        + (f" <i>({e(ev.from_value or '—')} → {e(ev.to_value or '—')})</i>"
           if ev.kind != "created" and (ev.from_value or ev.to_value) else "")
        + "</td></tr>"
        for ev in c.events
    )  # fmt: skip
    summary = f"<p>{e(c.summary)}</p>" if c.summary else ""
    return (f"<h3>Complaint {c.id}</h3>{summary}<table cellspacing='4'>{table}</table>"
            f"<h4>Timeline</h4><table cellspacing='4'>{events}</table>")  # fmt: skip
