"""File ▸ Conflicts…: evaluations changed on both sides, shown side by side for the lead.

An import never overwrites an evaluation that changed here too; it records a conflict. This
screen lists the open ones and shows both versions of the selected one — the evaluation's own
facts, every question's two answers and both sets of comments — with the differences
highlighted, so the lead decides on what actually differs. "Keep mine" and "Take theirs" ask for
confirmation, then resolve in one audited transaction (``api.resolve_conflict``); the list
follows at once.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_studio.bundles import api
from qa_studio.bundles.api import ConflictDetail, ConflictSummary
from qa_studio.errors import QAStudioError
from qa_studio.storage.db import Workspace
from qa_studio.ui.models.bundle_models import (
    DIFFERS_BACKGROUND,
    KIND_TEXT,
    ConflictListModel,
    FieldDiffModel,
    QuestionDiffModel,
)
from qa_studio.ui.views.bundle_send import ERROR_COLOUR
from qa_studio.ui.widgets.audio_player import format_time

CONFIRM = {
    "mine": ("Keep mine",
             "Your version of {what} stays exactly as it is; theirs is set aside.\n\n"
             "Importing the same bundle again will not raise this conflict again. The decision "
             "is recorded in the audit trail."),
    "theirs": ("Take theirs",
               "Your version of {what} is replaced by theirs — status, answers, score and "
               "comments — exactly as it arrived.\n\nWhat it replaced is recorded in the audit "
               "trail with the decision."),
}  # fmt: skip


def note_text(note: dict) -> str:
    where = note.get("question_key") or "overall"
    at = f" @ {format_time(note['at_s'])}" if note.get("at_s") is not None else ""
    return f"{where}{at}: {note.get('text', '')} — {note.get('author') or '?'}"


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    return view


class ConflictResolverDialog(QDialog):
    """Open conflicts of ``ws``; ``resolver`` names the QA lead deciding (else the workspace's
    actor). Emits ``conflictResolved(conflict_id)`` after each decision."""

    conflictResolved = Signal(int)

    def __init__(self, ws: Workspace, *, resolver: str | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ws, self.resolver = ws, resolver
        self.detail: ConflictDetail | None = None
        self.setWindowTitle("Conflicts")
        self.resize(1240, 800)
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.conflicts = ConflictListModel(self)
        self.list_view = QTableView()
        self.list_view.setModel(self.conflicts)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.verticalHeader().hide()
        self.list_view.setWordWrap(False)
        self.list_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.list_view.horizontalHeader().setStretchLastSection(True)
        self.list_view.setMaximumHeight(150)
        self.list_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show(current.row())
        )

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.fields = FieldDiffModel(self)
        self.questions = QuestionDiffModel(self)
        self.fields_view, self.questions_view = _table(self.fields), _table(self.questions)
        fh = self.fields_view.horizontalHeader()
        fh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for c in (1, 2):
            fh.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        qh = self.questions_view.horizontalHeader()
        qh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        qh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for c in (2, 3):
            qh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(self._titled("The evaluation", self.fields_view))
        tables.addWidget(self._titled("Answers, question by question", self.questions_view))
        tables.setSizes([560, 660])

        self.mine_notes, self.theirs_notes = QListWidget(), QListWidget()
        for notes in (self.mine_notes, self.theirs_notes):
            notes.setWordWrap(True)
            notes.setMaximumHeight(96)
        self.mine_title = QLabel("<b>Comments — mine</b>")
        self.theirs_title = QLabel("<b>Comments — theirs</b>")
        notes_row = QHBoxLayout()
        notes_row.addWidget(self._titled_label(self.mine_title, self.mine_notes))
        notes_row.addWidget(self._titled_label(self.theirs_title, self.theirs_notes))

        self.keep_button = QPushButton("Keep mine…")
        self.keep_button.setToolTip("Keep this workspace's version; set the incoming one aside")
        self.take_button = QPushButton("Take theirs…")
        self.take_button.setToolTip("Replace this workspace's version with the incoming one")
        self.close_button = QPushButton("Close")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.take_button)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list_view)
        layout.addWidget(self.heading)
        layout.addWidget(tables, 1)
        layout.addLayout(notes_row)
        layout.addLayout(buttons)
        self.keep_button.clicked.connect(lambda: self.resolve("mine"))
        self.take_button.clicked.connect(lambda: self.resolve("theirs"))
        self.close_button.clicked.connect(self.accept)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        return ConflictResolverDialog._titled_label(QLabel(f"<b>{html.escape(title)}</b>"), widget)

    @staticmethod
    def _titled_label(label: QLabel, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(widget, 1)
        return box

    # -- showing ------------------------------------------------------------------------------
    def refresh(self, select_row: int = 0) -> None:
        """Reload the open conflicts and show the one at ``select_row`` (or the last)."""
        conflicts = api.list_conflicts(self.ws)
        self.conflicts.set_conflicts(conflicts)
        n = len(conflicts)
        self.intro.setText(
            f"<b>{n} open conflict{'s' * (n != 1)}.</b> An evaluation changed both here and in "
            "the bundle. Nothing was overwritten: compare the two versions (differences are "
            "highlighted) and keep yours or take theirs." if n else
            "<b>No open conflicts.</b> Every imported evaluation merged without one."
        )  # fmt: skip
        if n:
            row = min(max(select_row, 0), n - 1)
            self.list_view.selectionModel().setCurrentIndex(
                self.conflicts.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )  # after the reset nothing is current, so this shows the row (currentRowChanged)
        else:
            self._show(-1)

    def _show(self, row: int) -> None:
        summary = self.conflicts.conflict(row)
        self.detail = None
        if summary is not None:
            try:
                self.detail = api.conflict_detail(self.ws, summary.id)
            except QAStudioError as exc:
                self._say(exc.message, error=True)
        self.fields.set_detail(self.detail)
        self.questions.set_questions(self.detail.questions if self.detail else ())
        self.fields_view.resizeRowsToContents()
        self.questions_view.resizeRowsToContents()
        self._fill_notes(self.detail.conflict if self.detail else None)
        self.heading.setText(self._heading(self.detail.conflict) if self.detail else "")
        for b in (self.keep_button, self.take_button):
            b.setEnabled(self.detail is not None)

    @staticmethod
    def _heading(c: ConflictSummary) -> str:
        kind = KIND_TEXT.get(c.kind, c.kind.replace("_", " "))
        return (f"<b>{html.escape(c.interaction)}</b> — {html.escape(c.mine.evaluator)}'s "
                f"evaluation on {html.escape(c.mine.scorecard)}: <b>{kind}</b>. "
                f"Theirs arrived in a bundle from “{html.escape(c.origin_name)}” "
                f"(detected {html.escape(c.detected_at[:16].replace('T', ' '))} UTC).")  # fmt: skip

    def _fill_notes(self, c: ConflictSummary | None) -> None:
        mine = c.mine.notes if c else ()
        theirs = c.theirs.notes if c else ()
        for widget, notes, other in ((self.mine_notes, mine, theirs),
                                     (self.theirs_notes, theirs, mine)):  # fmt: skip
            widget.clear()
            others = {n.get("uuid") for n in other}
            for note in notes:
                item = QListWidgetItem(note_text(note))
                if note.get("uuid") not in others:
                    item.setBackground(DIFFERS_BACKGROUND)
                    item.setToolTip("Only on this side")
                widget.addItem(item)
            if not notes:
                item = QListWidgetItem("(no comments)")
                item.setForeground(QColor("#6b7280"))
                widget.addItem(item)
        origin = html.escape(c.origin_name) if c else "the bundle"
        self.theirs_title.setText(f"<b>Comments — theirs</b> (from “{origin}”)")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR}" if error else "color: #14532d;")
        self.message.setText(text)

    # -- deciding -----------------------------------------------------------------------------
    def resolve(self, keep: str) -> bool:
        """Ask for confirmation, then keep ``"mine"`` or take ``"theirs"`` (audited)."""
        if self.detail is None:
            return False
        c = self.detail.conflict
        title, text = CONFIRM[keep]
        what = f"{c.interaction} ({c.mine.evaluator})"
        answer = QMessageBox.question(
            self, f"{title} — {c.interaction}", text.format(what=what),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return False
        row = self.list_view.currentIndex().row()
        try:
            api.resolve_conflict(self.ws, c.id, keep, by=self.resolver)
        except QAStudioError as exc:
            self._say(exc.message, error=True)
            return False
        self.refresh(select_row=row)
        self._say(("Kept your version of " if keep == "mine" else "Took their version of ")
                  + f"{c.interaction}; recorded in the audit trail.")  # fmt: skip
        self.conflictResolved.emit(c.id)
        return True
