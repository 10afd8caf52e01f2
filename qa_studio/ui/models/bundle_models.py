"""Table models for the bundle screens: what an import changes, and conflicts side by side.

All of them are column definitions over ``RecordTableModel`` showing what
``qa_studio.bundles.api`` returns — an ``ImportResult``'s counts, ``ConflictSummary`` records and a
``ConflictDetail`` — so the screen and its tests read exactly what the engine decided. Rows where the two versions of an evaluation
differ are highlighted (background and bold), because the lead's eye has to find them first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from qa_studio.bundles.api import ConflictDetail, ConflictSummary, ImportResult, QuestionDiff, Side
from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.ui.models.record_table import Column, RecordTableModel

DIFFERS_BACKGROUND = QColor("#fff1c2")

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


def _count(i: int, *, bold: bool = False, conflict: bool = False) -> Column:
    """A count column of ``ImportCountsModel`` (record = ``(table, new, updated, same, conflicts)``)."""
    return Column(
        ("Records", "New", "Updated", "Unchanged", "In conflict")[i],
        lambda r: f"{r[i]:,}",
        align_right=True,
        bold=(lambda r: bool(r[i])) if bold else None,
        background=(lambda r: DIFFERS_BACKGROUND if r[i] else None) if conflict else None,
    )


class ImportCountsModel(RecordTableModel):
    """Per table: how many records an import inserts, updates and leaves unchanged — and how
    many evaluations conflict (neither taken in nor overwritten: the lead decides)."""

    HEADERS = ("Records", "New", "Updated", "Unchanged", "In conflict")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([Column("Records", lambda r: table_name(r[0])), _count(1, bold=True),
                          _count(2, bold=True), _count(3), _count(4, bold=True, conflict=True)],
                         parent=parent)  # fmt: skip

    def set_result(self, result: ImportResult | None) -> None:
        rows = []
        if result is not None:
            conflicts = {"evaluations": len(result.conflicts)} if result.conflicts else {}
            tables = {*result.inserted, *result.updated, *result.skipped, *conflicts}
            order = list(TABLE_NAMES)
            for table in sorted(tables, key=lambda t: (order.index(t) if t in order else 99, t)):
                rows.append((table, result.inserted.get(table, 0), result.updated.get(table, 0),
                             result.skipped.get(table, 0), conflicts.get(table, 0)))  # fmt: skip
        self.set_records(rows)

    def counts(self, table: str) -> tuple[int, ...] | None:
        """``(new, updated, unchanged)`` for ``table``, or None when the bundle has none."""
        return next((tuple(r[1:4]) for r in self.records if r[0] == table), None)

    def conflicts(self, table: str = "evaluations") -> int:
        return next((r[4] for r in self.records if r[0] == table), 0)


def _side(side: Side) -> str:
    return f"{field_text('status', side.status)}, {field_text('percent', side.percent)}"


def _detected(c: ConflictSummary) -> str:
    return f"Detected {c.detected_at} in a bundle from {c.origin_name}"


class ConflictListModel(RecordTableModel):
    """Open conflicts, oldest first: the interaction, what happened, and both scores."""

    HEADERS = ("Interaction", "Evaluator", "Conflict", "Mine", "Theirs", "From")
    ConflictIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        values = (
            lambda c: c.interaction,
            lambda c: c.mine.evaluator,
            lambda c: KIND_TEXT.get(c.kind, c.kind.replace("_", " ")),
            lambda c: _side(c.mine),
            lambda c: _side(c.theirs),
            lambda c: c.origin_name,
        )
        columns = [
            Column(h, v, tooltip=_detected) for h, v in zip(self.HEADERS, values, strict=True)
        ]
        super().__init__(columns, parent=parent, roles={self.ConflictIdRole: lambda c: c.id})

    def set_conflicts(self, conflicts: Sequence[ConflictSummary]) -> None:
        self.set_records(conflicts)

    def conflict(self, row: int) -> ConflictSummary | None:
        return self.records[row] if 0 <= row < len(self.records) else None

    def row_of(self, conflict_id: int) -> int | None:
        return next((i for i, c in enumerate(self.records) if c.id == conflict_id), None)


def _differs_background(r) -> QColor | None:
    return DIFFERS_BACKGROUND if r.differs else None


class _FieldRow(NamedTuple):
    name: str
    label: str
    mine: object
    theirs: object
    differs: bool


def _field_column(header: str, side: str) -> Column:
    def text(r: _FieldRow) -> str:
        return field_text(r.name, getattr(r, side))

    return Column(header, text, tooltip=text, bold=lambda r: r.differs,
                  background=_differs_background)  # fmt: skip


class FieldDiffModel(RecordTableModel):
    """The evaluation's own facts, mine beside theirs; the rows that differ highlighted."""

    HEADERS = ("", "Mine (this workspace)", "Theirs (from the bundle)")

    def __init__(self, parent: QObject | None = None) -> None:
        label = Column("", lambda r: r.label, tooltip=lambda r: r.label, bold=lambda r: True,
                       background=_differs_background)  # fmt: skip
        super().__init__([label, _field_column(self.HEADERS[1], "mine"),
                          _field_column(self.HEADERS[2], "theirs")], parent=parent)  # fmt: skip

    def set_detail(self, detail: ConflictDetail | None) -> None:
        rows = []
        if detail is not None:
            differing = {name for name, _m, _t in detail.fields}
            mine, theirs = detail.conflict.mine, detail.conflict.theirs
            for name, label in FIELD_LABELS:
                rows.append(_FieldRow(name, label, side_value(mine, name), side_value(theirs, name),
                                      name in differing))  # fmt: skip
        self.set_records(rows)

    def differing(self) -> list[str]:
        return [r.name for r in self.records if r.differs]


class QuestionDiffModel(RecordTableModel):
    """Every question of the form, in order: my answer beside theirs, differences highlighted."""

    HEADERS = ("Section", "Question", "Mine", "Theirs")
    DiffersRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        def tip(q: QuestionDiff) -> str:
            return f"{q.key}: {q.text}"

        def answer(header: str, value) -> Column:
            return Column(header, value, tooltip=tip, bold=lambda q: q.differs,
                          background=_differs_background)  # fmt: skip

        super().__init__(
            [Column("Section", lambda q: q.section, tooltip=tip, background=_differs_background),
             Column("Question", lambda q: q.text, tooltip=tip, background=_differs_background),
             answer("Mine", lambda q: answer_text(q.mine, q.mine_points)),
             answer("Theirs", lambda q: answer_text(q.theirs, q.theirs_points))],
            parent=parent, roles={self.DiffersRole: lambda q: q.differs},
        )  # fmt: skip

    def set_questions(self, questions: Sequence[QuestionDiff]) -> None:
        self.set_records(questions)

    def differing(self) -> list[str]:
        return [q.key for q in self.records if q.differs]
