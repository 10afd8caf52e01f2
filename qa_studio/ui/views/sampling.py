"""The "Sampling" tab: samples, their items, evaluator workloads and the evaluator's own queue.

Why on one screen: whoever runs QA needs to see at once what samples are open, how far each has
got, and whether the work is fairly spread (the workload bars against weekly capacity); an
evaluator needs their own queue. Actions here are thin calls to ``samples`` (close, reassign,
redistribute an absent evaluator's items), each one audited transaction; opening a queue item is
handed to the main window (``itemOpened``) which starts or resumes the draft in the scoring
screen. The writing buttons and the Enter "Score this item" action are marked for
``ui.write_guard``, so a read-only workspace's samples and workloads can be looked at only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_studio.errors import QAStudioError
from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import samples, targeted
from qa_studio.storage.repository.evaluators import list_evaluators
from qa_studio.ui.models.sampling_models import (
    Column,
    QueueRow,
    RecordTableModel,
    queue_model,
    samples_model,
    workload_model,
)
from qa_studio.ui.views.sampling_wizard import SamplingWizard, error_text
from qa_studio.ui.widgets.workload_bars import WorkloadBars
from qa_studio.ui.write_guard import mark_writes


def items_model(parent=None) -> RecordTableModel:
    """The selected sample's items (``QueueItem``), overdue ones tinted."""
    return RecordTableModel([
        Column("Interaction", lambda q: q.external_id),
        Column("Agent", lambda q: q.agent_name or q.agent or "—"),
        Column("Stratum", lambda q: q.stratum or "—"),
        Column("Evaluator", lambda q: q.evaluator or "(unassigned)"),
        Column("Status", lambda q: q.status.replace("_", " ")),
        Column("Why this evaluator", lambda q: q.reason or ""),
    ], lambda q: "Overdue." if q.overdue else None, parent)  # fmt: skip


def _table(name: str, model: RecordTableModel) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # the last column (a reason, a status) takes what is left and elides; its tooltip has it all
    header.setSectionResizeMode(model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)
    return view


def _box(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for w in widgets:
        layout.addWidget(w)
    return box


class ReassignDialog(QDialog):
    """Choose who takes the selected items, and why (the note goes to the audit trail)."""

    def __init__(self, names: list[str], count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reassign items")
        self.evaluator = QComboBox()
        self.evaluator.addItems(names)
        self.note = QLineEdit()
        self.note.setPlaceholderText("e.g. Sam is on leave next week")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(QLabel(f"Give {count} item(s) to:"))
        layout.addRow("Evaluator", self.evaluator)
        layout.addRow("Why", self.note)
        layout.addRow(buttons)

    @classmethod
    def ask(cls, parent: QWidget, names: list[str], count: int) -> tuple[str, str | None] | None:
        dialog = cls(names, count, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.evaluator.currentText(), dialog.note.text().strip() or None


class SamplingView(QWidget):
    """``itemOpened(QueueRow)`` asks the window to score a queue line; ``sampleCreated(id)``."""

    itemOpened = Signal(object)
    sampleCreated = Signal(int)
    messagePosted = Signal(str)

    def __init__(self, ws: Workspace | None, evaluator: str | None,
                 jobs: JobRunner | SyncJobRunner, *, today: date | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ws, self.evaluator, self.jobs, self.today = ws, evaluator, jobs, today
        self.wizard: SamplingWizard | None = None
        self._build()
        self.refresh()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.samples_model = samples_model(self._period_of, self)
        self.items_model = items_model(self)
        self.workload_model = workload_model(self)
        self.queue_model = queue_model(self)
        self.samples_view = _table("samplesTable", self.samples_model)
        # An objective is a sentence: a fixed width (full text in its tooltip) keeps the period,
        # counts and due date in sight.
        objective = self.samples_view.horizontalHeader()
        objective.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        objective.resizeSection(1, 220)
        self.items_view = _table("sampleItemsTable", self.items_model)
        self.items_view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.workload_view = _table("workloadTable", self.workload_model)
        self.queue_view = _table("myQueueTable", self.queue_model)
        self.bars = WorkloadBars()
        self._periods: dict[int, str] = {}

        self.new_button = QPushButton("New sample…")
        self.close_button = QPushButton("Close sample")
        self.reassign_button = QPushButton("Reassign selected items…")
        self.absent_button = QPushButton("Redistribute absent evaluators' items")
        mark_writes(self.new_button, self.close_button, self.reassign_button, self.absent_button)
        self.absent_button.setToolTip("Move open items of evaluators absent today to colleagues "
                                      "with the skills and capacity.")  # fmt: skip
        self.new_button.clicked.connect(self.new_sample)
        self.close_button.clicked.connect(self.close_selected_sample)
        self.reassign_button.clicked.connect(self.reassign_selected)
        self.absent_button.clicked.connect(self.redistribute_absent)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.close_button, self.reassign_button, self.absent_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("samplingMessage")
        self.message.setWordWrap(True)

        self.queue_title = QLabel()
        open_action = QAction("Score this item", self.queue_view)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(self.open_current)
        self.queue_view.addAction(open_action)
        self.queue_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.queue_view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.open_action = open_action
        mark_writes(open_action)
        self.samples_view.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_items()
        )
        self.items_view.selectionModel().selectionChanged.connect(
            lambda _s, _d: self._update_buttons()
        )

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(_box("Samples", self.samples_view))
        left.addWidget(_box("Items of the selected sample", self.items_view))
        queue_box = QGroupBox("My queue")
        queue_layout = QVBoxLayout(queue_box)
        queue_layout.addWidget(self.queue_title)
        queue_layout.addWidget(self.queue_view)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(_box("Workload per evaluator (open samples)", self.bars,
                             self.workload_view))  # fmt: skip
        right.addWidget(queue_box)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setSizes([680, 720])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(main, 1)

    # -- state ----------------------------------------------------------------------------
    def set_workspace(self, ws: Workspace | None) -> None:
        self.ws = ws
        self.refresh()

    def set_evaluator(self, name: str | None) -> None:
        self.evaluator = name
        self.refresh_queue()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #9b1c1c; font-weight: bold;" if error else "")
        self.message.setText(text)
        if text and not error:
            self.messagePosted.emit(text)

    def _period_of(self, summary: samples.SampleSummary) -> str:
        return self._periods.get(summary.id, "—")

    def refresh(self, *, select: int | None = None) -> None:
        """Re-read samples, workloads and the queue (after any change); keep the selected
        sample selected, or select ``select``."""
        ws = self.ws
        for b in (self.new_button, self.absent_button):
            b.setEnabled(ws is not None)
        current = select if select is not None else self.selected_sample_id()
        found = samples.list_samples(ws) if ws is not None else []
        self._periods = {
            s.id: str(samples.get_sample(ws, s.id, today=self.today).result.get("period", "—"))
            for s in found
        }
        self.samples_model.set_records(found)
        workloads = samples.workload(ws, today=self.today) if ws is not None else []
        self.workload_model.set_records(workloads)
        self.bars.set_workloads(workloads)
        ids = [s.id for s in found]
        if found:
            self.samples_view.selectRow(ids.index(current) if current in ids else 0)
        self._show_items()
        self.refresh_queue()

    def refresh_queue(self) -> None:
        ws, name = self.ws, self.evaluator
        if ws is None or not name:
            self.queue_title.setText("Choose who is scoring (Scoring ▸ Choose evaluator…) to "
                                     "see their queue.")  # fmt: skip
            self.queue_model.set_records([])
            return
        try:
            mine = samples.queue_for(ws, name, today=self.today)
        except QAStudioError as exc:  # e.g. an evaluator this workspace does not know
            self.queue_title.setText(f"{name}: {error_text(exc)}")
            self.queue_model.set_records([])
            return
        rows = [QueueRow("sample", q.interaction_id, q.external_id, q.agent_name or q.agent
                         or "—", q.channel, q.started_at, q.sample_name, q.status, q.due_on,
                         q.reason or "", q.overdue, q)
                for q in mine]  # fmt: skip
        rows += [QueueRow("targeted", t.interaction_id, t.external_id, t.agent_name or t.agent
                          or "—", t.channel, t.started_at, "Targeted review", "open", None,
                          t.reason, False)
                 for t in targeted.targeted_queue(ws, "open")]  # fmt: skip
        sampled = sum(1 for r in rows if r.kind == "sample")
        self.queue_title.setText(
            f"<b>{name}</b>: {sampled} sample item(s), {len(rows) - sampled} targeted "
            "review(s). Double-click or press Enter to score one."
        )
        self.queue_model.set_records(rows)

    def selected_sample_id(self) -> int | None:
        index = self.samples_view.currentIndex()
        if not index.isValid() or index.row() >= self.samples_model.rowCount():
            return None
        return self.samples_model.record(index.row()).id

    def _show_items(self) -> None:
        sample_id = self.selected_sample_id()
        items = ()
        if self.ws is not None and sample_id is not None:
            items = samples.get_sample(self.ws, sample_id, today=self.today).items
        self.items_model.set_records(items)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Close needs an open sample chosen, Reassign some of its items chosen."""
        row = self.samples_view.currentIndex().row()
        chosen = (
            self.samples_model.record(row) if 0 <= row < self.samples_model.rowCount() else None
        )
        is_open = chosen is not None and chosen.status == "open"
        self.close_button.setEnabled(is_open)
        self.close_button.setToolTip("" if is_open else "Choose an open sample to close.")
        has_items = bool(self.items_view.selectionModel().selectedRows())
        self.reassign_button.setEnabled(is_open and has_items)
        self.reassign_button.setToolTip(
            "" if is_open and has_items else "Choose items of an open sample to reassign."
        )

    def selected_item_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.items_view.selectionModel().selectedRows()})
        return [self.items_model.record(r).item_id for r in rows]

    # -- actions --------------------------------------------------------------------------
    def new_sample(self) -> SamplingWizard | None:
        """Open the wizard (window-modal); the list refreshes when a sample is created."""
        if self.ws is None:
            return None
        self.wizard = SamplingWizard(self.ws, self.jobs, today=self.today, parent=self)
        self.wizard.sampleCreated.connect(self._created)
        self.wizard.open()
        return self.wizard

    def _created(self, sample_id: int) -> None:
        self.refresh(select=sample_id)
        self.show_message(f"Sample #{sample_id} created.")
        self.sampleCreated.emit(sample_id)

    def _run(self, action, done: str) -> None:
        try:
            result = action()
        except QAStudioError as exc:
            self.show_message(error_text(exc), error=True)
            return
        self.refresh()
        self.show_message(done.format(result=result))

    def close_selected_sample(self) -> None:
        sample_id = self.selected_sample_id()
        if sample_id is None or self.ws is None:
            self.show_message("Select a sample to close.", error=True)
            return
        answer = QMessageBox.question(self, "Close sample", "Close the selected sample? Its open "
                                      "items leave the evaluators' queues.")  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            ws = self.ws
            self._run(lambda: samples.close_sample(ws, sample_id), f"Sample #{sample_id} closed.")

    def reassign_selected(self) -> None:
        ids = self.selected_item_ids()
        if not ids or self.ws is None:
            self.show_message("Select the items to reassign in the sample's item list.",
                              error=True)  # fmt: skip
            return
        names = [e.name for e in list_evaluators(self.ws) if e.active]
        chosen = ReassignDialog.ask(self, names, len(ids))
        if chosen is None:
            return
        name, note = chosen
        ws = self.ws
        self._run(lambda: samples.reassign(ws, ids, name, note=note),
                  "{result} item(s) given to " + name + ".")  # fmt: skip

    def redistribute_absent(self) -> None:
        if self.ws is None:
            return
        ws, today = self.ws, self.today
        self._run(lambda: len(samples.reassign_absent(ws, today=today)),
                  "{result} item(s) of absent evaluators redistributed.")  # fmt: skip

    def open_current(self) -> None:
        index = self.queue_view.currentIndex()
        if index.isValid():
            self.open_row(index.row())

    def open_row(self, row: int) -> None:
        if 0 <= row < self.queue_model.rowCount(QModelIndex()):
            self.itemOpened.emit(self.queue_model.record(row))
