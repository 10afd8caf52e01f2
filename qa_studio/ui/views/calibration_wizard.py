"""The "New calibration session" wizard: what to score, against which card, and who scores it.

Three pages, in the order a QA lead thinks about a session:

1. **Session** — a name, the scorecard version, blind (on by default: evaluators must not anchor
   on each other's answers) and whether the scores also count toward the agents' results;
2. **Interactions** — search the workspace (the browser's paged model, limited to the card's
   channel, so even millions of contacts list instantly) and add the ones to score;
3. **Evaluators** — tick who takes part (at least two) and optionally the expert whose scores
   are the benchmark.

Finish calls ``calibration.create_session`` (one audited transaction). A refusal — an abandoned
contact with no agent, say — is shown on the page and the wizard stays open to fix it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from qa_studio.errors import QAStudioError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import calibration, scorecards
from qa_studio.storage.repository.browser import BrowserFilter
from qa_studio.storage.repository.evaluators import list_evaluators
from qa_studio.ui.models.interactions_model import COLUMNS, InteractionsModel

NO_EXPERT = "(no expert: compare each evaluator with the others)"
_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class SetupPage(QWizardPage):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("New calibration session")
        self.setSubTitle("Name the session and choose the scorecard everyone scores against.")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. October voice calibration")
        self.version = QComboBox()
        self.versions = scorecards.list_versions(ws)
        for v in sorted(self.versions, key=lambda v: (v.name, -v.version)):
            self.version.addItem(f"{v.name} v{v.version} ({v.channel})", v.id)
        self.blind = QCheckBox("Blind: nobody sees anyone else's answers until the session closes")
        self.blind.setChecked(True)
        self.counts = QCheckBox("Scores also count toward the agents' results")
        form = QFormLayout(self)
        form.addRow("Name:", self.name)
        form.addRow("Scorecard:", self.version)
        form.addRow(self.blind)
        form.addRow(self.counts)
        self.name.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self.name.text().strip()) and self.version.currentData() is not None

    def version_id(self) -> int | None:
        data = self.version.currentData()
        return int(data) if data is not None else None

    def channel(self) -> str | None:
        vid = self.version_id()
        found = next((v for v in self.versions if v.id == vid), None)
        return found.channel if found is not None and found.channel != "any" else None


class InteractionsPage(QWizardPage):
    def __init__(self, ws: Workspace, setup: SetupPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Interactions to score")
        self.setSubTitle("Search by external id (prefix), select rows and add them; every "
                         "evaluator scores every interaction.")  # fmt: skip
        self.setup = setup
        self.model = InteractionsModel(self)
        self.model.set_workspace(ws)
        self.search = QLineEdit()
        self.search.setPlaceholderText("External id starts with…")
        self.search.textChanged.connect(self._filter)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _index: self.add_selected())
        self.add_button = QPushButton("Add selected ▸")
        self.add_button.clicked.connect(self.add_selected)
        self.remove_button = QPushButton("◂ Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.picked = QListWidget()
        self.count = QLabel()
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.table)
        middle = QVBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.add_button)
        middle.addWidget(self.remove_button)
        middle.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel("In the session:"))
        right.addWidget(self.picked)
        right.addWidget(self.count)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(middle)
        layout.addLayout(right, 1)
        self._column = [key for _h, key in COLUMNS].index("external_id")
        self._update_count()

    def initializePage(self) -> None:
        self._filter()

    def _filter(self) -> None:
        channel = self.setup.channel()
        self.model.set_filter(
            BrowserFilter(channel=channel, external_id_prefix=self.search.text().strip())
        )

    def add_selected(self) -> None:
        have = set(self.interaction_ids())
        for index in sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row()):
            iid = self.model.interaction_id(index.row())
            if iid is None or iid in have:
                continue
            external = self.model.index(index.row(), self._column).data()
            item = QListWidgetItem(str(external))
            item.setData(_ID_ROLE, iid)
            self.picked.addItem(item)
            have.add(iid)
        self._update_count()

    def remove_selected(self) -> None:
        for item in self.picked.selectedItems():
            self.picked.takeItem(self.picked.row(item))
        self._update_count()

    def interaction_ids(self) -> list[int]:
        return [int(self.picked.item(i).data(_ID_ROLE)) for i in range(self.picked.count())]

    def _update_count(self) -> None:
        n = self.picked.count()
        self.count.setText(f"{n} interaction{'s' if n != 1 else ''}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.picked.count() > 0


class EvaluatorsPage(QWizardPage):
    def __init__(self, ws: Workspace, me: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Evaluators")
        self.setSubTitle("Tick at least two evaluators; optionally name the expert whose "
                         "scores are the benchmark.")  # fmt: skip
        self.list = QListWidget()
        for e in list_evaluators(ws):
            if not e.active:
                continue
            item = QListWidgetItem(e.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if e.name == me else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.expert = QComboBox()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a01818;")
        self.error.hide()
        form = QFormLayout(self)
        form.addRow(self.list)
        form.addRow("Expert:", self.expert)
        form.addRow(self.error)
        self.list.itemChanged.connect(self._checked_changed)
        self._checked_changed()

    def chosen(self) -> list[str]:
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, names: list[str]) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            wanted = item.text() in names
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def expert_name(self) -> str | None:
        data = self.expert.currentData()
        return str(data) if data else None

    def _checked_changed(self, _item: QListWidgetItem | None = None) -> None:
        current = self.expert_name()
        self.expert.blockSignals(True)
        self.expert.clear()
        self.expert.addItem(NO_EXPERT, None)
        for name in self.chosen():
            self.expert.addItem(name, name)
        index = self.expert.findData(current) if current else 0
        self.expert.setCurrentIndex(max(index, 0))
        self.expert.blockSignals(False)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return len(self.chosen()) >= calibration.MIN_EVALUATORS

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class CalibrationWizard(QWizard):
    """Create a session; ``sessionCreated(id)`` once it is stored, then the wizard closes."""

    sessionCreated = Signal(int)

    def __init__(self, ws: Workspace, me: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("New calibration session")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setup = SetupPage(ws)
        self.interactions = InteractionsPage(ws, self.setup)
        self.evaluators = EvaluatorsPage(ws, me)
        for page in (self.setup, self.interactions, self.evaluators):
            self.addPage(page)
        self.resize(980, 620)
        self.created_id: int | None = None

    def accept(self) -> None:
        """Store the session; on a refusal say why and stay open."""
        try:
            session = calibration.create_session(
                self.ws,
                self.setup.name.text(),
                self.setup.version_id() or 0,
                self.interactions.interaction_ids(),
                self.evaluators.chosen(),
                expert=self.evaluators.expert_name(),
                blind=self.setup.blind.isChecked(),
                counts_toward_scores=self.setup.counts.isChecked(),
            )
        except QAStudioError as exc:
            details = "\n".join(str(d) for d in exc.details)
            self.evaluators.show_error(exc.message + (f"\n{details}" if details else ""))
            return
        self.created_id = session.id
        self.sessionCreated.emit(session.id)
        super().accept()
