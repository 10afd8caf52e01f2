"""The panels of the coaching screen, each filled from plain records (no queries here):

* ``QuestionsPanel`` — the agent's weakest questions, agent against team pass rate (the same
  ranking as the coaching pack's development areas);
* ``EvaluationsPanel`` — recent evaluations with their comments and the selected one's notes,
  each with its playback time;
* ``GoalsPanel`` — goals with their follow-up effect (before, after, change with its interval,
  verdict, target met) and overdue follow-ups;
* ``DisputesPanel`` — the agent's disputes with Raise / Uphold / Reject.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain import followup as fu
from qa_studio.export.pack_figures import playback
from qa_studio.storage.repository.coaching_followup import GoalFollowUp, OverdueFollowUp
from qa_studio.storage.repository.coaching_screen import RecentEvaluation
from qa_studio.storage.repository.disputes import Dispute
from qa_studio.storage.repository.reporting_types import QuestionRate
from qa_studio.ui.models.coaching_models import BAD, GOOD, MUTED, WARN, CoachingTableModel
from qa_studio.ui.write_guard import mark_writes


def table(
    model: CoachingTableModel, stretch: int | tuple[int, ...] = (), *, wrap: bool = False
) -> QTableView:
    """A read-only, row-selecting view; ``stretch`` columns share the spare width and, with
    ``wrap``, long text wraps and rows grow to fit it as the columns settle or resize."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(wrap)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in (stretch,) if isinstance(stretch, int) else stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    if wrap:
        header.sectionResized.connect(lambda *_: view.resizeRowsToContents())
        model.modelReset.connect(view.resizeRowsToContents)
    return view


class WrappedPanel(QWidget):
    """A panel whose table wraps text: rows are re-measured once the panel is on screen (a
    hidden tab lays its columns out at their minimum width)."""

    view: QTableView

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.view.resizeRowsToContents)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def _empty(label: QLabel, text: str, empty: bool) -> None:
    label.setText(text)
    label.setVisible(empty)


class QuestionsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CoachingTableModel(["Question", "Agent", "Team", "Gap", "n"], self)
        self.view = table(self.model, stretch=0)
        self.empty = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Weakest questions</b> — agent against team pass rate"))
        layout.addWidget(self.empty)
        layout.addWidget(self.view)

    def show_questions(self, questions: list[QuestionRate]) -> None:
        rows = [
            [
                f"{q.key} — {q.text}",
                _pct(q.agent_rate),
                _pct(q.team_rate),
                "—" if q.gap is None else f"{q.gap:+.0f}",
                str(q.agent_n),
            ]
            for q in questions
        ]
        tips = [
            [f"{q.scorecard}: {q.text}" + (f" ({q.regulation})" if q.regulation else "")]
            for q in questions
        ]
        colours = [BAD if (q.gap or 0) <= -15 else WARN for q in questions]
        self.model.set_rows(rows, tips=tips, row_data=[q.key for q in questions], colours=colours)
        _empty(self.empty, "No question below the team's pass rate in this period.", not rows)


class EvaluationsPanel(QWidget):
    selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CoachingTableModel(
            ["Contact", "Interaction", "Scorecard", "Evaluator", "Score", "Status", "Comment"], self
        )
        self.view = table(self.model, stretch=6)
        self.view.selectionModel().currentRowChanged.connect(lambda c, _p: self._show(c.row()))
        self.detail = QTextBrowser()
        self.detail.setMaximumHeight(150)
        self.empty = QLabel()
        self._items: list[RecentEvaluation] = []
        # Acting on the selected evaluation: the buttons sit with the list they act on.
        self.print_button = QPushButton("Print evaluation…")
        self.ack_button = QPushButton("Acknowledge…")
        mark_writes(self.ack_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.ack_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.detail, 1)

    def show_evaluations(self, items: list[RecentEvaluation]) -> None:
        self._items = list(items)
        rows = [
            [
                e.contact_at[:10],
                f"{e.interaction} ({e.channel})",
                e.scorecard,
                e.evaluator,
                "—" if e.percent is None else f"{e.percent:.1f} %" + (" fatal" if e.fatal else ""),
                e.status.replace("_", " ") + (" · ack" if e.acknowledged_by else ""),
                (e.comment or "").replace("\n", " "),
            ]
            for e in items
        ]
        colours = [BAD if e.fatal else (WARN if e.status == "disputed" else None) for e in items]
        self.model.set_rows(
            rows,
            tips=[[None] * 6 + [e.comment] for e in items],
            row_data=[e.id for e in items],
            colours=colours,
        )
        _empty(
            self.empty, "No counted evaluations of this agent's contacts in this period.", not rows
        )
        self.detail.clear()
        if items:
            self.view.selectRow(0)

    def current(self) -> RecentEvaluation | None:
        row = self.view.currentIndex().row()
        return self._items[row] if 0 <= row < len(self._items) else None

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._items):
            self.detail.clear()
            return
        e = self._items[row]
        lines = [f"<b>Evaluation {e.id}</b> · revision {e.revision} · {e.evaluator}"]
        if e.failed:
            lines.append(f"Failed: {', '.join(e.failed)}")
        for n in e.notes:
            when = playback(n.at_s)
            stamp = f"[{when}] " if when else ""
            lines.append(f"{stamp}<i>{n.question_key or 'general'}</i>: {_html(n.text)}")
        if e.comment:
            lines.append(f"<b>Comment:</b> {_html(e.comment)}")
        self.detail.setHtml("<br/>".join(lines))
        self.selected.emit(e.id)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


VERDICT_COLOUR = {fu.IMPROVED: GOOD, fu.WORSE: BAD, fu.NO_CLEAR_CHANGE: WARN, fu.TOO_FEW: MUTED}


class GoalsPanel(WrappedPanel):
    COLUMNS = (
        "Held",
        "Goal",
        "Due · status",
        "Before → after",
        "Change [95 % CI]",
        "Verdict · target",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CoachingTableModel(list(self.COLUMNS), self)
        self.view = table(self.model, stretch=1, wrap=True)
        self.overdue = QLabel()
        self.overdue.setWordWrap(True)
        self.overdue.setStyleSheet("background: #fde2c8; color: #9c2a00; padding: 6px;")
        self.empty = QLabel()
        note = QLabel(
            f"Before and after: results in the {fu.DEFAULT_WINDOW_DAYS} days either side of the "
            f"session; with fewer than {fu.DEFAULT_MIN_N} on a side it is too few to tell. "
            "Pass rates in %, change in points."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #4b5563;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.overdue)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)

    def show_goals(self, results: list[GoalFollowUp], overdue: list[OverdueFollowUp]) -> None:
        rows, colours, tips = [], [], []
        for r in results:
            e, g = r.effect, r.goal
            d = e.difference
            change = "—" if d is None else f"{d.estimate:+.1f}\n[{d.low:+.1f}, {d.high:+.1f}]"
            met = {True: "met", False: "not met", None: "too few to tell"}[e.target_met]
            so_far = "" if r.after_complete else " so far"
            rows.append(
                [
                    f"{r.session.held_at[:10]}\n{r.session.kind.replace('_', ' ')}",
                    f"{g.text}\n{g.describe()}",
                    f"{g.due_on or '—'}\n{g.status.replace('_', ' ')}",
                    f"{_side(e.before.mean, e.before.n)}\n→ {_side(e.after.mean, e.after.n)}"
                    + so_far,
                    change,
                    f"{fu.VERDICT_TEXT[e.verdict]}\ntarget {met}",
                ]
            )
            colours.append(VERDICT_COLOUR[e.verdict])
            tips.append([r.session.title, f"{g.text} ({g.describe()})"] + [None] * 4)
        self.model.set_rows(rows, tips=tips, row_data=[r.goal.id for r in results], colours=colours)
        _empty(self.empty, "No coaching goals for this agent yet: use Record session….", not rows)
        text = "; ".join(
            f"session of {o.session.held_at[:10]} ({o.session.title}) was due for "
            f"follow-up on {o.session.follow_up_due}, {o.days_overdue} days ago"
            for o in overdue
        )
        _empty(self.overdue, f"Overdue follow-up: {text}.", bool(overdue))


def _side(mean: float | None, n: int) -> str:
    return f"— (n={n})" if mean is None else f"{mean:.1f} (n={n})"


class DisputesPanel(WrappedPanel):
    raiseRequested = Signal()
    resolveRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CoachingTableModel(
            ["Raised", "Evaluation", "Question", "Reason", "Status", "Resolution"], self
        )
        self.view = table(self.model, stretch=(3, 5), wrap=True)
        self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._enable())
        self.raise_button = QPushButton("Raise dispute…")
        self.resolve_button = QPushButton("Uphold or reject…")
        mark_writes(self.raise_button, self.resolve_button)
        self.raise_button.clicked.connect(self.raiseRequested)
        self.resolve_button.clicked.connect(
            lambda: self.current() is not None and self.resolveRequested.emit(self.current().id)
        )
        self.empty = QLabel()
        self._items: list[Dispute] = []
        buttons = QHBoxLayout()
        buttons.addWidget(self.raise_button)
        buttons.addWidget(self.resolve_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self._enable()

    def show_disputes(self, items: list[Dispute]) -> None:
        self._items = list(items)
        rows = [
            [
                d.raised_at[:10],
                f"{d.evaluation_id} ({d.interaction})",
                d.question_key,
                d.reason,
                d.status + (f" ({d.previous_value} → {d.new_value})" if d.new_value else ""),
                (d.resolution or "") + (f" — {d.resolved_by}" if d.resolved_by else ""),
            ]
            for d in items
        ]
        colours = [
            WARN if d.status == "open" else (GOOD if d.status == "upheld" else MUTED) for d in items
        ]
        self.model.set_rows(rows, row_data=[d.id for d in items], colours=colours)
        _empty(self.empty, "No disputes by this agent.", not rows)
        self._enable()

    def current(self) -> Dispute | None:
        row = self.view.currentIndex().row()
        return self._items[row] if 0 <= row < len(self._items) else None

    def select(self, dispute_id: int) -> None:
        for row, d in enumerate(self._items):
            if d.id == dispute_id:
                self.view.selectRow(row)

    def _enable(self) -> None:
        d = self.current()
        self.resolve_button.setEnabled(d is not None and d.status == "open")
