"""The editor's structure tree (form → sections → questions) with its add/move/remove buttons.

Buttons and shortcuts act on the current item through ``ScorecardTreeModel``; removing asks for
confirmation because a section takes its questions with it. The panel keeps the selection on the
item it just added or moved, so a user can press Ctrl+Up repeatedly.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qa_studio.scorecards.schema import QUESTION_TYPES
from qa_studio.ui.models.scorecard_tree_model import TYPE_LABELS, ScorecardTreeModel


class StructurePanel(QWidget):
    """Tree view plus: Add section, [type] Add question, Up, Down, Remove."""

    currentItemChanged = Signal(QModelIndex)

    def __init__(self, model: ScorecardTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeView()
        self.tree.setObjectName("structureTree")
        self.tree.setModel(model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        model.modelReset.connect(self._after_reset)
        model.rowsMoved.connect(self.update_buttons)
        model.rowsInserted.connect(self.update_buttons)
        model.rowsRemoved.connect(self.update_buttons)
        layout.addWidget(self.tree, 1)

        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.add_section_button = QPushButton("Add section")
        self.add_section_button.clicked.connect(self.add_section)
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("newQuestionType")
        for qtype in QUESTION_TYPES:
            self.type_combo.addItem(TYPE_LABELS.get(qtype, qtype), qtype)
        self.add_question_button = QPushButton("Add question")
        self.add_question_button.clicked.connect(self.add_question)
        for w in (self.add_section_button, self.type_combo, self.add_question_button):
            row1.addWidget(w)
        row1.addStretch(1)
        self.up_button = QPushButton("▲ Up")
        self.up_button.setToolTip("Move up (Ctrl+Up)")
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton("▼ Down")
        self.down_button.setToolTip("Move down (Ctrl+Down)")
        self.down_button.clicked.connect(lambda: self.move(1))
        self.remove_button = QPushButton("Remove…")
        self.remove_button.clicked.connect(self.remove)
        for w in (self.up_button, self.down_button, self.remove_button):
            row2.addWidget(w)
        row2.addStretch(1)
        layout.addLayout(row1)
        layout.addLayout(row2)
        for text, key, delta in (("Move up", "Ctrl+Up", -1), ("Move down", "Ctrl+Down", 1)):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, d=delta: self.move(d))
            self.tree.addAction(action)
        self.update_buttons()

    # --- selection ----------------------------------------------------------------------------

    def current(self) -> QModelIndex:
        return self.tree.currentIndex().siblingAtColumn(0)

    def select(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.tree.expand(index.parent())
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.update_buttons()
        self.currentItemChanged.emit(current.siblingAtColumn(0))

    def _after_reset(self) -> None:
        self.tree.expandAll()
        self.select(self.model.form_index())
        self.update_buttons()

    def update_buttons(self, *_args) -> None:
        index = self.current()
        kind = self.model.kind(index)
        self.up_button.setEnabled(self.model.can_move(index, -1))
        self.down_button.setEnabled(self.model.can_move(index, 1))
        self.remove_button.setEnabled(kind in ("section", "question"))

    # --- actions ------------------------------------------------------------------------------

    def add_section(self) -> QModelIndex:
        index = self.model.add_section(self.current())
        self.select(index)
        return index

    def add_question(self) -> QModelIndex:
        index = self.model.add_question(self.type_combo.currentData(), self.current())
        self.select(index)
        return index

    def move(self, delta: int) -> None:
        index = self.current()
        if self.model.can_move(index, delta):
            self.select(self.model.move(index, delta))
        self.update_buttons()

    def remove(self) -> None:
        index = self.current()
        kind = self.model.kind(index)
        node = self.model.node(index)
        if kind not in ("section", "question") or node is None:
            return
        label = node.key or "(no key)"
        if kind == "section":
            count = len(node.questions)  # type: ignore[union-attr]
            text = (f"Remove section “{label}” and its {count} question"
                    f"{'' if count == 1 else 's'} from the working copy?")  # fmt: skip
        else:
            text = f"Remove question “{label}” from the working copy?"
        answer = QMessageBox.question(
            self,
            "Remove",
            text + "\n\nPublished versions are not affected.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        parent, row = index.parent(), index.row()
        self.model.remove(index)
        rows = self.model.rowCount(parent)
        self.select(self.model.index(min(row, rows - 1), 0, parent) if rows else parent)
