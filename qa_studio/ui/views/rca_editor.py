"""The RCA editor: problem, 5 Whys, fishbone causes with a live picture, Pareto, actions, effect.

One screen for one root-cause analysis. The fishbone at the top repaints whenever the problem or
a cause changes (it is painted by ``export.fishbone``, the same code as the PNG export), and the
Pareto follows the causes' weights. **Save** writes the whole record in one transaction
(``rca.save_rca``); **Export PNG** writes the fishbone picture. The effect check compares the
chosen metric before and after the change date with the coaching follow-up arithmetic.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain.rca import (
    ACTION_STATUSES,
    CATEGORIES,
    STATUSES,
    ActionDraft,
    CauseDraft,
    RcaDraft,
    pareto,
)
from qa_studio.errors import QAStudioError
from qa_studio.export.fishbone import paint_fishbone, save_fishbone_png
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import rca
from qa_studio.storage.repository.rca_effect import check_metric, effect_of
from qa_studio.ui.views.rca_models import ActionsModel, CausesModel, ChoiceDelegate, pareto_model
from qa_studio.ui.write_guard import mark_writes

METRICS = ("qa_score", "csat", "aht", "fcr", "pass_rate:")


class FishboneWidget(QWidget):
    """Paints the fishbone of the current problem and causes, scaled to the widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem = ""
        self.causes: tuple[CauseDraft, ...] = ()
        self.setMinimumSize(720, 330)

    def set_content(self, problem: str, causes: tuple[CauseDraft, ...]) -> None:
        self.problem, self.causes = problem, tuple(causes)
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        try:
            paint_fishbone(painter, QRectF(self.rect()), self.problem, self.causes)
        finally:
            painter.end()


class RcaEditor(QWidget):
    """Edit one RCA of ``ws``; ``rcaSaved(id)`` after a successful save."""

    rcaSaved = Signal(int)

    def __init__(self, ws: Workspace, rca_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rca_id = rca_id
        self._writers: list[QPushButton] = []  # the pages' add/remove buttons: drafts to save
        self.source = QLabel()
        self.problem = QPlainTextEdit()
        self.problem.setObjectName("problem")
        self.problem.setPlaceholderText("What went wrong, where, how often, since when")
        self.problem.setMaximumHeight(70)
        self.owner = QLineEdit()
        self.status = QComboBox()
        self.status.addItems(list(STATUSES))
        self.fishbone = FishboneWidget()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._whys_page(), "5 Whys")
        self.tabs.addTab(self._causes_page(), "Causes && Pareto")
        self.tabs.addTab(self._actions_page(), "Actions")
        self.tabs.addTab(self._effect_page(), "Effect check")
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.export_button = QPushButton("Export PNG…")
        self.export_button.clicked.connect(self.export_png)
        head = QFormLayout()
        head.addRow("Started from", self.source)
        head.addRow("Problem", self.problem)
        row = QHBoxLayout()
        row.addWidget(QLabel("Owner"))
        row.addWidget(self.owner)
        row.addWidget(QLabel("Status"))
        row.addWidget(self.status)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.save_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(head)
        top_layout.addLayout(row)
        top_layout.addWidget(self.fishbone, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.problem.textChanged.connect(self._refresh_picture)
        self.causes_model.rowsEdited.connect(self._refresh_picture)
        mark_writes(self.save_button, *self._writers)  # once all are in ``parent``'s window
        self.load()

    # -- pages ----------------------------------------------------------------------------------

    def _whys_page(self) -> QWidget:
        page = QWidget()
        self.whys = QListWidget()
        self.why_input = QLineEdit()
        self.why_input.setPlaceholderText("Why did that happen? (Enter adds it to the chain)")
        self.why_input.returnPressed.connect(self.add_why)
        add = QPushButton("Add why")
        add.clicked.connect(self.add_why)
        remove = QPushButton("Remove selected")
        remove.clicked.connect(lambda: self.whys.takeItem(self.whys.currentRow()))
        self._writers += [add, remove]
        line = QHBoxLayout()
        line.addWidget(self.why_input, 1)
        line.addWidget(add)
        line.addWidget(remove)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Ask \u201cwhy?\u201d until you reach a cause you can act on "
                                "(double-click an answer to edit it)."))  # fmt: skip
        layout.addWidget(self.whys)
        layout.addLayout(line)
        return page

    def _causes_page(self) -> QWidget:
        page = QWidget()
        self.causes_model = CausesModel(parent=self)
        self.causes_view = QTableView()
        self.causes_view.setModel(self.causes_model)
        self.causes_view.setItemDelegateForColumn(0, ChoiceDelegate(CATEGORIES, self))
        self.causes_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.causes_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cause_category = QComboBox()
        self.cause_category.addItems(list(CATEGORIES))
        self.cause_text = QLineEdit()
        self.cause_text.setPlaceholderText("Cause")
        self.cause_text.returnPressed.connect(self.add_cause)
        self.cause_weight = QDoubleSpinBox()
        self.cause_weight.setRange(0, 100000)
        self.cause_weight.setValue(1)
        self.cause_weight.setToolTip("How many of the failures this cause explains")
        add = QPushButton("Add cause")
        add.clicked.connect(self.add_cause)
        remove = QPushButton("Remove selected")
        remove.clicked.connect(
            lambda: self.causes_model.remove(self.causes_view.currentIndex().row())
        )
        self._writers += [add, remove]
        line = QHBoxLayout()
        for w in (self.cause_category, self.cause_text, self.cause_weight, add, remove):
            line.addWidget(w, 1 if w is self.cause_text else 0)
        self.pareto_model = pareto_model(self)
        self.pareto_view = QTableView()
        self.pareto_view.setModel(self.pareto_model)
        header = self.pareto_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.pareto_view.verticalHeader().hide()
        self.causes_model.rowsEdited.connect(
            lambda: self.pareto_model.set_records(pareto(self.causes_model.causes()))
        )
        left = QVBoxLayout()
        left.addWidget(self.causes_view)
        left.addLayout(line)
        right = QVBoxLayout()
        right.addWidget(QLabel("Pareto (tinted: the vital few, ~80 %)"))
        right.addWidget(self.pareto_view)
        layout = QHBoxLayout(page)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        return page

    def _actions_page(self) -> QWidget:
        page = QWidget()
        self.actions_model = ActionsModel(parent=self)
        self.actions_view = QTableView()
        self.actions_view.setModel(self.actions_model)
        self.actions_view.setItemDelegateForColumn(3, ChoiceDelegate(ACTION_STATUSES, self))
        self.actions_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.action_text = QLineEdit()
        self.action_text.setPlaceholderText("Corrective action")
        self.action_owner = QLineEdit()
        self.action_owner.setPlaceholderText("Owner")
        self.action_due = QLineEdit()
        self.action_due.setPlaceholderText("Due YYYY-MM-DD")
        add = QPushButton("Add action")
        add.clicked.connect(self.add_action)
        remove = QPushButton("Remove selected")
        remove.clicked.connect(
            lambda: self.actions_model.remove(self.actions_view.currentIndex().row())
        )
        self._writers += [add, remove]
        line = QHBoxLayout()
        for w in (self.action_text, self.action_owner, self.action_due, add, remove):
            line.addWidget(w, 1 if w is self.action_text else 0)
        layout = QVBoxLayout(page)
        layout.addWidget(self.actions_view)
        layout.addLayout(line)
        return page

    def _effect_page(self) -> QWidget:
        page = QWidget()
        self.metric_box = QComboBox()
        self.metric_box.setEditable(True)
        self.metric_box.addItems(list(METRICS))
        self.metric_box.setToolTip("qa_score, csat, aht, fcr, or pass_rate:<question key>")
        self.change_on = QLineEdit()
        self.change_on.setPlaceholderText("YYYY-MM-DD: the day the actions took effect")
        self.effect_note = QLineEdit()
        check = QPushButton("Check effect")
        check.clicked.connect(self.check_effect)
        self.effect_result = QLabel("Choose a metric and the change date, then check.")
        self.effect_result.setWordWrap(True)
        self.effect_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(page)
        form.addRow("Metric", self.metric_box)
        form.addRow("Change date", self.change_on)
        form.addRow("Note", self.effect_note)
        form.addRow("", check)
        form.addRow("Result", self.effect_result)
        return page

    # -- actions --------------------------------------------------------------------------------

    def load(self) -> None:
        r = rca.get_rca(self.ws, self.rca_id)
        self.source.setText(f"RCA {r.id} · {r.source_kind.replace('_', ' ')}: {r.source_ref}"
                            f" · created {r.created_at[:10]} by {r.created_by or '-'}")  # fmt: skip
        self.problem.setPlainText(r.problem)
        self.owner.setText(r.owner or "")
        self.status.setCurrentText(r.status)
        self.whys.clear()
        for why in r.whys:
            self._why_item(why)
        draft = r.draft()
        self.causes_model.set_rows(list(draft.causes))
        self.actions_model.set_rows(list(draft.actions))
        self.metric_box.setCurrentText(r.metric or "")
        self.change_on.setText(r.change_on or "")
        self.effect_note.setText(r.effect_note or "")
        self._refresh_picture()

    def _why_item(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.whys.addItem(item)

    def add_why(self) -> None:
        text = self.why_input.text().strip()
        if text:
            self._why_item(text)
            self.why_input.clear()

    def add_cause(self) -> None:
        text = self.cause_text.text().strip()
        if text:
            self.causes_model.append(
                CauseDraft(self.cause_category.currentText(), text, self.cause_weight.value())
            )
            self.cause_text.clear()

    def add_action(self) -> None:
        text = self.action_text.text().strip()
        due = self.action_due.text().strip() or None
        if not text:
            return
        if due is not None:
            try:
                due = date.fromisoformat(due).isoformat()
            except ValueError:
                QMessageBox.warning(self, "Due date", f"{due!r} is not a date like 2026-12-01.")
                return
        self.actions_model.append(ActionDraft(text, self.action_owner.text().strip() or None, due))
        for w in (self.action_text, self.action_owner, self.action_due):
            w.clear()

    def draft(self) -> RcaDraft:
        return RcaDraft(
            problem=self.problem.toPlainText().strip(),
            owner=self.owner.text().strip() or None,
            status=self.status.currentText(),
            metric=self.metric_box.currentText().strip() or None,
            change_on=self.change_on.text().strip() or None,
            effect_note=self.effect_note.text().strip() or None,
            whys=tuple(self.whys.item(i).text() for i in range(self.whys.count())),
            causes=self.causes_model.causes(),
            actions=self.actions_model.actions(),
        )

    def save(self) -> bool:
        try:
            rca.save_rca(self.ws, self.rca_id, self.draft())
        except QAStudioError as exc:
            QMessageBox.warning(
                self, "RCA not saved", "\n".join([exc.message, *map(str, exc.details)])
            )
            return False
        self.rcaSaved.emit(self.rca_id)
        return True

    def export_png(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export fishbone", f"rca-{self.rca_id}-fishbone.png", "PNG image (*.png)"
        )
        if not path:
            return None
        draft = self.draft()
        try:
            save_fishbone_png(path, draft.problem, draft.causes)
        except OSError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return None
        return path

    def check_effect(self) -> None:
        metric = self.metric_box.currentText().strip()
        problem = check_metric(metric)
        try:
            day = date.fromisoformat(self.change_on.text().strip())
        except ValueError:
            problem = problem or "change date: a date like 2026-11-01"
        if problem:
            self.effect_result.setText(problem)
            return
        e = effect_of(self.ws, metric, day).effect
        lines = [f"Before: n = {e.before.n}, mean = {_fmt(e.before.mean)}",
                 f"After: n = {e.after.n}, mean = {_fmt(e.after.mean)}"]  # fmt: skip
        if e.difference is not None:
            d = e.difference
            lines.append(f"Difference {d.estimate:+.2f} (95 % CI {d.low:+.2f} to {d.high:+.2f},"
                         f" {d.method})")  # fmt: skip
        lines.append(f"Verdict: {e.as_dict()['verdict_text']}")
        self.effect_result.setText("\n".join(lines))

    def _refresh_picture(self) -> None:
        self.fishbone.set_content(self.problem.toPlainText(), self.causes_model.causes())


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
