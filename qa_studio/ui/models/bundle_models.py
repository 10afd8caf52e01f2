"""Table models for the bundle screens: what an import changes, and conflicts side by side.

All of them are thin, read-only views over what ``qa_studio.bundles.api`` returns — an
``ImportResult``'s counts, ``ConflictSummary`` records and a ``ConflictDetail`` — so the screen
and its tests read exactly what the engine decided. Rows where the two versions of an evaluation
differ are highlighted (background and bold), because the lead's eye has to find them first.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from qa_studio.bundles.api import ConflictDetail, ConflictSummary, ImportResult, QuestionDiff, Side
from qa_studio.domain.timeutil import LONDON, parse_iso

_Index = QModelIndex | QPersistentModelIndex
DIFFERS_BACKGROUND = QColor("#fff1c2")
_BOLD = QFont()
_BOLD.setBold(True)

#: How the tables a bundle carries are named on screen, in the order they are listed.
TABLE_NAMES = {
    "evaluators": "Evaluators", "teams": "Teams", "agents": "Agents",
    "interactions": "Interactions", "transcripts": "Transcripts", "scorecards": "Scorecards",
    "scorecard_versions": "Scorecard versions", "samples": "Samples",
    "sample_items": "Sample items", "calibration_sessions": "Calibration sessions",
    "calibration_items": "Calibration items", "calibration_evaluators": "Calibration members",
    "evaluations": "Evaluations", "answers": "Answers", "answer_notes": "Comments",
    "audit_log": "Audit rows",
}  # fmt: skip
KIND_TEXT = {
    "edited_both": "changed on both sides",
    "signed_vs_edited": "signed off on one side, edited on the other",
}
#: The evaluation-level facts compared side by side, with their labels.
FIELD_LABELS = (
    ("status", "Status"), ("revision", "Revision"), ("score", "Score"),
    ("max_score", "Out of"), ("percent", "Percent"), ("fatal", "Fatal failure"),
    ("comment", "Overall comment"), ("scorecard", "Scorecard"), ("evaluator", "Evaluator"),
    ("submitted_at", "Submitted"), ("signed_by", "Signed off by"), ("signed_at", "Signed off"),
    ("notes", "Comments on questions"),
)  # fmt: skip


def table_name(table: str) -> str:
    return TABLE_NAMES.get(table, table.replace("_", " ").capitalize())


def answer_text(value: object, points: float | None = None) -> str:
    """An answer as the scoring screen shows it: Yes / No / N/A / 4 / Partial, with its points."""
    if value is None:
        return "— (unanswered)"
    if isinstance(value, str):
        shown = {"yes": "Yes", "no": "No", "na": "N/A"}.get(value, value)
    elif isinstance(value, float):
        shown = f"{value:g}"
    else:
        shown = str(value)
    return shown if points is None else f"{shown}  ({points:g} pt)"


def field_text(name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if name == "fatal":
        return "yes" if value else "no"
    if name == "percent" and isinstance(value, int | float):
        return f"{value:.1f} %"
    if name in ("score", "max_score") and isinstance(value, int | float):
        return f"{value:g}"
    if name == "status":
        return str(value).replace("_", " ")
    if name in ("submitted_at", "signed_at", "updated_at") and isinstance(value, str):
        return f"{parse_iso(value).astimezone(LONDON):%d %b %Y %H:%M}"
    return str(value)


def side_value(side: Side, name: str) -> object:
    return len(side.notes) if name == "notes" else getattr(side, name)


class _ReadOnlyTable(QAbstractTableModel):
    """Fixed headers, rows supplied whole; subclasses say what each cell shows."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def _reset(self, rows: Sequence) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def _valid(self, index: _Index) -> bool:
        return (
            index.isValid()
            and 0 <= index.row() < len(self._rows)
            and 0 <= index.column() < len(self.HEADERS)
        )

    def text(self, row: int, column: int) -> str:
        return str(self.data(self.index(row, column)) or "")

    def all_text(self) -> str:
        """Headers and every cell, as a reader (or a test) sees them."""
        lines = ["\t".join(self.HEADERS)]
        for r in range(self.rowCount()):
            lines.append("\t".join(self.text(r, c) for c in range(self.columnCount())))
        return "\n".join(lines)


class ImportCountsModel(_ReadOnlyTable):
    """Per table: how many records an import inserts, updates and leaves unchanged — and how
    many evaluations conflict (neither taken in nor overwritten: the lead decides)."""

    HEADERS = ("Records", "New", "Updated", "Unchanged", "In conflict")

    def set_result(self, result: ImportResult | None) -> None:
        rows = []
        if result is not None:
            conflicts = {"evaluations": len(result.conflicts)} if result.conflicts else {}
            tables = {*result.inserted, *result.updated, *result.skipped, *conflicts}
            order = list(TABLE_NAMES)
            for table in sorted(tables, key=lambda t: (order.index(t) if t in order else 99, t)):
                rows.append((table, result.inserted.get(table, 0), result.updated.get(table, 0),
                             result.skipped.get(table, 0), conflicts.get(table, 0)))  # fmt: skip
        self._reset(rows)

    def counts(self, table: str) -> tuple[int, ...] | None:
        """``(new, updated, unchanged)`` for ``table``, or None when the bundle has none."""
        return next((tuple(r[1:4]) for r in self._rows if r[0] == table), None)

    def conflicts(self, table: str = "evaluations") -> int:
        return next((r[4] for r in self._rows if r[0] == table), 0)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self._valid(index):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return table_name(row[0]) if column == 0 else f"{row[column]:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column in (1, 2, 4) and row[column]:
            return _BOLD
        if role == Qt.ItemDataRole.BackgroundRole and column == 4 and row[column]:
            return DIFFERS_BACKGROUND
        return None


class ConflictListModel(_ReadOnlyTable):
    """Open conflicts, oldest first: the interaction, what happened, and both scores."""

    HEADERS = ("Interaction", "Evaluator", "Conflict", "Mine", "Theirs", "From")
    ConflictIdRole = Qt.ItemDataRole.UserRole + 1

    def set_conflicts(self, conflicts: Sequence[ConflictSummary]) -> None:
        self._reset(conflicts)

    def conflict(self, row: int) -> ConflictSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, conflict_id: int) -> int | None:
        return next((i for i, c in enumerate(self._rows) if c.id == conflict_id), None)

    @staticmethod
    def _side(side: Side) -> str:
        return f"{field_text('status', side.status)}, {field_text('percent', side.percent)}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self._valid(index):
            return None
        c: ConflictSummary = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                c.interaction,
                c.mine.evaluator,
                KIND_TEXT.get(c.kind, c.kind.replace("_", " ")),
                self._side(c.mine),
                self._side(c.theirs),
                c.origin_name,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Detected {c.detected_at} in a bundle from {c.origin_name}"
        if role == self.ConflictIdRole:
            return c.id
        return None


class FieldDiffModel(_ReadOnlyTable):
    """The evaluation's own facts, mine beside theirs; the rows that differ highlighted."""

    HEADERS = ("", "Mine (this workspace)", "Theirs (from the bundle)")

    def set_detail(self, detail: ConflictDetail | None) -> None:
        rows = []
        if detail is not None:
            differing = {name for name, _m, _t in detail.fields}
            mine, theirs = detail.conflict.mine, detail.conflict.theirs
            for name, label in FIELD_LABELS:
                rows.append((name, label, side_value(mine, name), side_value(theirs, name),
                             name in differing))  # fmt: skip
        self._reset(rows)

    def differing(self) -> list[str]:
        return [r[0] for r in self._rows if r[4]]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self._valid(index):
            return None
        name, label, mine, theirs, differs = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return label if column == 0 else field_text(name, mine if column == 1 else theirs)
        if role == Qt.ItemDataRole.BackgroundRole and differs:
            return DIFFERS_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and (differs or column == 0):
            return _BOLD
        return None


class QuestionDiffModel(_ReadOnlyTable):
    """Every question of the form, in order: my answer beside theirs, differences highlighted."""

    HEADERS = ("Section", "Question", "Mine", "Theirs")
    DiffersRole = Qt.ItemDataRole.UserRole + 1

    def set_questions(self, questions: Sequence[QuestionDiff]) -> None:
        self._reset(questions)

    def differing(self) -> list[str]:
        return [q.key for q in self._rows if q.differs]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self._valid(index):
            return None
        q: QuestionDiff = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                q.section,
                q.text,
                answer_text(q.mine, q.mine_points),
                answer_text(q.theirs, q.theirs_points),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{q.key}: {q.text}"
        if role == Qt.ItemDataRole.BackgroundRole and q.differs:
            return DIFFERS_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and q.differs and column >= 2:
            return _BOLD
        if role == self.DiffersRole:
            return q.differs
        return None
