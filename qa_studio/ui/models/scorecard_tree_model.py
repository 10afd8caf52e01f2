"""Tree of the scorecard being edited: the form, its sections, their questions.

A thin Qt model over ``WorkingCopy``: every change the editor makes goes through this model so views
and persistent indexes stay right. Each index's ``internalId`` is the uid of its *parent* node
(0 for the form item, 1 for sections, the section's uid for questions); uids never change when rows
move, which is what Qt requires of internal ids.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from qa_studio.ui.models.working_copy import QuestionDraft, SectionDraft, WorkingCopy

ROOT_PARENT = 0
FORM_PARENT = 1
COLUMNS: tuple[str, ...] = ("Item", "Details")
TYPE_LABELS: dict[str, str] = {"yes_no": "Yes/No", "scale": "Scale", "points": "Points"}

Index = QModelIndex | QPersistentModelIndex
#: The invalid index, as a default argument (Qt's own signatures use ``QModelIndex()``).
NO_INDEX = QModelIndex()


def question_details(q: QuestionDraft) -> str:
    """The short summary shown beside a question: type, weight and flags."""
    parts = [TYPE_LABELS.get(q.type, q.type or "?")]
    weight = q.fields.get("weight")
    if weight not in (None, 1, 1.0):
        parts.append(f"×{weight:g}" if isinstance(weight, int | float) else f"×{weight}")
    if q.fields.get("critical"):
        parts.append("critical")
    if q.fields.get("fatal"):
        parts.append("fatal")
    if q.fields.get("allow_na"):
        parts.append("N/A")
    if q.fields.get("regulation"):
        parts.append("§")
    return " · ".join(parts)


class ScorecardTreeModel(QAbstractItemModel):
    """Form → sections → questions, two columns (label, details)."""

    #: Emitted after any change to the working copy (field, add, move, remove, reset).
    edited = Signal()

    def __init__(self, working: WorkingCopy | None = None, parent=None) -> None:
        super().__init__(parent)
        self._wc = working or WorkingCopy()

    # --- access -------------------------------------------------------------------------------

    @property
    def working(self) -> WorkingCopy:
        return self._wc

    def set_working_copy(self, working: WorkingCopy) -> None:
        self.beginResetModel()
        self._wc = working
        self.endResetModel()
        self.edited.emit()

    def form_index(self, column: int = 0) -> QModelIndex:
        return self.createIndex(0, column, ROOT_PARENT)

    def kind(self, index: Index) -> str | None:
        if not index.isValid():
            return None
        pid = index.internalId()
        return "form" if pid == ROOT_PARENT else "section" if pid == FORM_PARENT else "question"

    def node(self, index: Index) -> WorkingCopy | SectionDraft | QuestionDraft | None:
        kind = self.kind(index)
        if kind == "form":
            return self._wc
        if kind == "section":
            return self._wc.sections[index.row()]
        if kind == "question":
            section = self._wc.section_by_uid(index.internalId())
            return section.questions[index.row()] if section else None
        return None

    def index_for_uid(self, uid: int, column: int = 0) -> QModelIndex:
        for row, sec in enumerate(self._wc.sections):
            if sec.uid == uid:
                return self.createIndex(row, column, FORM_PARENT)
        found = self._wc.locate_question(uid)
        if found:
            return self.createIndex(found[1], column, found[0].uid)
        return QModelIndex()

    def uid_of(self, index: Index) -> int | None:
        node = self.node(index)
        return None if node is None or isinstance(node, WorkingCopy) else node.uid

    # --- QAbstractItemModel ---------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = NO_INDEX) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        kind = self.kind(parent)
        if kind is None:
            return self.createIndex(row, column, ROOT_PARENT)
        if kind == "form":
            return self.createIndex(row, column, FORM_PARENT)
        if kind == "section":
            return self.createIndex(row, column, self._wc.sections[parent.row()].uid)
        return QModelIndex()

    def parent(self, index: Index = NO_INDEX) -> QModelIndex:  # type: ignore[override]
        kind = self.kind(index)
        if kind == "section":
            return self.form_index()
        if kind == "question":
            return self.index_for_uid(index.internalId())
        return QModelIndex()

    def rowCount(self, parent: Index = NO_INDEX) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        kind = self.kind(parent)
        if kind is None:
            return 1
        if kind == "form":
            return len(self._wc.sections)
        if kind == "section":
            return len(self._wc.sections[parent.row()].questions)
        return 0

    def columnCount(self, parent: Index = NO_INDEX) -> int:
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if isinstance(node, QuestionDraft):
                return node.fields.get("guidance") or node.fields.get("text") or None
            return node.fields.get("description") or None
        if role == Qt.ItemDataRole.FontRole and not isinstance(node, QuestionDraft):
            font = QFont()
            font.setBold(True)
            return font
        return None

    @staticmethod
    def _display(node: WorkingCopy | SectionDraft | QuestionDraft, column: int) -> str:
        if isinstance(node, WorkingCopy):
            if column == 0:
                return str(node.fields.get("name") or node.fields.get("key") or "(unnamed form)")
            return f"{node.fields.get('channel') or '?'} · target {node.fields.get('target')}%"
        if isinstance(node, SectionDraft):
            if column == 0:
                return str(node.fields.get("name") or node.key or "(unnamed section)")
            return f"{len(node.questions)} question{'s' if len(node.questions) != 1 else ''}"
        if column == 0:
            text = str(node.fields.get("text") or "").strip()
            return f"{node.key}: {text}" if text else (node.key or "(no key)")
        return question_details(node)

    # --- edits --------------------------------------------------------------------------------

    def set_field(self, index: Index, name: str, value: object) -> None:
        """Change one field of the item at ``index`` and refresh its row."""
        node = self.node(index)
        if node is None or node.fields.get(name) == value:
            return
        node.fields[name] = value
        self._changed(index)

    def update_question(self, index: Index, mutate: Callable[[QuestionDraft], None]) -> None:
        """Apply ``mutate`` to the question (its scale or options) and refresh its row."""
        node = self.node(index)
        if isinstance(node, QuestionDraft):
            mutate(node)
            self._changed(index)

    def _changed(self, index: Index) -> None:
        first = self.index(index.row(), 0, index.parent())
        last = self.index(index.row(), len(COLUMNS) - 1, index.parent())
        self.dataChanged.emit(first, last, [Qt.ItemDataRole.DisplayRole])
        if self.kind(index) == "question":
            parent = index.parent()
            self.dataChanged.emit(
                parent.siblingAtColumn(1), parent.siblingAtColumn(1), [Qt.ItemDataRole.DisplayRole]
            )
        self.edited.emit()

    def add_section(self, after: Index = NO_INDEX) -> QModelIndex:
        """Insert a new section after the section holding ``after`` (or at the end)."""
        row = self._section_row_of(after)
        row = len(self._wc.sections) if row is None else row + 1
        self.beginInsertRows(self.form_index(), row, row)
        self._wc.sections.insert(row, self._wc.new_section())
        self.endInsertRows()
        self._refresh_form_details()
        self.edited.emit()
        return self.index(row, 0, self.form_index())

    def add_question(self, qtype: str, at: Index = NO_INDEX) -> QModelIndex:
        """Insert a question of ``qtype`` after the selected question, or at the end of the
        selected (or last) section; a form with no sections gets one first."""
        if not self._wc.sections:
            self.add_section()
        kind = self.kind(at)
        if kind == "question":
            section = self._wc.section_by_uid(at.internalId())
            row = at.row() + 1
        else:
            srow = self._section_row_of(at)
            section = self._wc.sections[srow if srow is not None else -1]
            row = len(section.questions)
        assert section is not None
        parent = self.index_for_uid(section.uid)
        self.beginInsertRows(parent, row, row)
        section.questions.insert(row, self._wc.new_question(qtype))
        self.endInsertRows()
        self.dataChanged.emit(parent.siblingAtColumn(1), parent.siblingAtColumn(1))
        self.edited.emit()
        return self.index(row, 0, parent)

    def can_move(self, index: Index, delta: int) -> bool:
        kind = self.kind(index)
        if kind == "section":
            return 0 <= index.row() + delta < len(self._wc.sections)
        if kind == "question":
            return self._question_target(index, delta) is not None
        return False

    def move(self, index: Index, delta: int) -> QModelIndex:
        """Move a section or question one place up (-1) or down (+1); a question at the edge of
        its section moves into the neighbouring section. Returns the item's new index."""
        if not self.can_move(index, delta):
            return QModelIndex(index)
        if self.kind(index) == "section":
            row = index.row()
            dest = row + delta
            form = self.form_index()
            self.beginMoveRows(form, row, row, form, dest + 1 if delta > 0 else dest)
            sections = self._wc.sections
            sections.insert(dest, sections.pop(row))
            self.endMoveRows()
            self.edited.emit()
            return self.index(dest, 0, form)
        target = self._question_target(index, delta)
        assert target is not None
        src_section = self._wc.section_by_uid(index.internalId())
        dst_section, dst_row = target
        assert src_section is not None
        src_parent, dst_parent = index.parent(), self.index_for_uid(dst_section.uid)
        row = index.row()
        qt_dest = dst_row + 1 if dst_section is src_section and delta > 0 else dst_row
        self.beginMoveRows(src_parent, row, row, dst_parent, qt_dest)
        question = src_section.questions.pop(row)
        dst_section.questions.insert(dst_row, question)
        self.endMoveRows()
        if dst_section is not src_section:
            self._refresh_form_details()
        self.edited.emit()
        return self.index_for_uid(question.uid)

    def _question_target(self, index: Index, delta: int) -> tuple[SectionDraft, int] | None:
        section = self._wc.section_by_uid(index.internalId())
        if section is None:
            return None
        row = index.row() + delta
        if 0 <= row < len(section.questions):
            return section, row
        srow = self._wc.sections.index(section) + delta
        if not 0 <= srow < len(self._wc.sections):
            return None
        neighbour = self._wc.sections[srow]
        return neighbour, (len(neighbour.questions) if delta < 0 else 0)

    def remove(self, index: Index) -> None:
        kind = self.kind(index)
        if kind not in ("section", "question"):
            return
        parent, row = index.parent(), index.row()
        self.beginRemoveRows(parent, row, row)
        if kind == "section":
            del self._wc.sections[row]
        else:
            section = self._wc.section_by_uid(index.internalId())
            assert section is not None
            del section.questions[row]
        self.endRemoveRows()
        self._refresh_form_details()
        self.edited.emit()

    def _section_row_of(self, index: Index) -> int | None:
        kind = self.kind(index)
        if kind == "section":
            return index.row()
        if kind == "question":
            section = self._wc.section_by_uid(index.internalId())
            return self._wc.sections.index(section) if section else None
        return None

    def _refresh_form_details(self) -> None:
        """Section rows show their question counts; refresh them all after structural changes."""
        form = self.form_index()
        count = len(self._wc.sections)
        if count:
            self.dataChanged.emit(self.index(0, 1, form), self.index(count - 1, 1, form))
