"""The coaching screen's session dialog: record a one-to-one or a team briefing with its SMART
goals (the dispute dialogs are in ``dispute_dialogs``).

Each dialog calls the repository when the user presses its main button and stays open with the
refusal shown in red when the repository says no (a goal without a target, a QA lead missing),
so nothing typed is lost; it closes and emits its past-tense signal once the change is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain import followup as fu
from qa_studio.domain.timeutil import LONDON
from qa_studio.errors import QAStudioError
from qa_studio.export.pack_figures import GoalSuggestion
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import coaching
from qa_studio.storage.repository.coaching import GoalSpec
from qa_studio.storage.repository.coaching_screen import RecentEvaluation
from qa_studio.storage.repository.reporting import AgentInfo

GOAL_COLUMNS = ("Goal (what the agent will do)", "Questions or KPI", "Target", "Due")
GOAL_HINT = (
    "Questions: scorecard question keys separated by commas (their pass rate, %). "
    f"KPI: one of {', '.join(fu.KPI_METRICS)} (AHT in seconds, CSAT 1–5, others %)."
)


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #9c2a00;")
    label.hide()
    return label


def buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def combo(items: list[str], current: str | None) -> QComboBox:
    combo = QComboBox()
    combo.addItems(items)
    if current in items:
        combo.setCurrentText(current)
    return combo


def evaluation_label(e: RecentEvaluation) -> str:
    pct = "—" if e.percent is None else f"{e.percent:.1f} %"
    return f"#{e.id} · {e.contact_at[:10]} · {e.interaction} · {e.scorecard} · {pct} · {e.status}"


class RecordSessionDialog(QDialog):
    """Record a one-to-one with the agent, or a team briefing for their team.

    Opened with ``kind=coaching.TEAM_BRIEFING`` (the training-needs matrix's "Plan a team
    briefing") it offers only the briefing for ``agent.team``, with ``topic`` and
    ``question_keys`` filled in: there the agent merely names the team."""

    sessionRecorded = Signal(int)

    def __init__(
        self,
        ws: Workspace,
        agent: AgentInfo,
        *,
        leaders: list[str],
        leader: str | None,
        recent: list[RecentEvaluation],
        suggestions: list[GoalSuggestion],
        held: datetime,
        parent: QWidget | None = None,
        kind: str = coaching.ONE_TO_ONE,
        topic: str = "",
        question_keys: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.ws, self.agent = ws, agent
        briefing_only = kind == coaching.TEAM_BRIEFING
        self.setWindowTitle(f"Record a team briefing — {agent.team}" if briefing_only
                            else f"Record a coaching session — {agent.name}")  # fmt: skip
        self.resize(860, 640)
        self.kind = QComboBox()
        if not briefing_only:
            self.kind.addItem(f"One-to-one with {agent.name}", coaching.ONE_TO_ONE)
        if agent.team:
            self.kind.addItem(f"Team briefing: {agent.team}", coaching.TEAM_BRIEFING)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.held = QDateTimeEdit(
            QDateTime(QDate(held.year, held.month, held.day), QTime(held.hour, held.minute))
        )
        self.held.setCalendarPopup(True)
        self.held.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.leader = combo(leaders, leader)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What was discussed and agreed")
        self.notes.setMaximumHeight(70)
        self.discussed = QListWidget()
        self.discussed.setMaximumHeight(110)
        for e in recent:
            item = QListWidgetItem(evaluation_label(e))
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.discussed.addItem(item)
        self.topic = QLineEdit(topic)
        self.topic.setPlaceholderText("The team-wide gap, e.g. Hold etiquette")
        self.topic.setCursorPosition(0)  # a long preset topic shows its start
        self.questions = QLineEdit(", ".join(question_keys))
        self.questions.setPlaceholderText("Question keys, e.g. hold_etiquette")
        self.goals = QTableWidget(0, len(GOAL_COLUMNS))
        self.goals.setHorizontalHeaderLabels(list(GOAL_COLUMNS))
        self.goals.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.goals.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.goals.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        earliest = held.date() + timedelta(days=fu.DEFAULT_WINDOW_DAYS)
        for s in suggestions:  # due no earlier than a follow-up window after the session
            due = max(s.due, earliest)
            self.add_goal(s.specific, s.question_key, f"{s.target:g}", due.isoformat())
        add, remove = QPushButton("Add goal"), QPushButton("Remove goal")
        add.clicked.connect(lambda: self.add_goal("", "", "", ""))
        remove.clicked.connect(self._remove_goal)
        self.follow_up = QDateEdit(QDate(held.year, held.month, held.day).addDays(30))
        self.follow_up.setCalendarPopup(True)
        self.follow_up.setDisplayFormat("dd/MM/yyyy")
        self.error = error_label()

        form = QFormLayout()
        form.addRow("Session", self.kind)
        form.addRow("Held on", self.held)
        form.addRow("Held by", self.leader)
        form.addRow("Notes", self.notes)
        self.discussed_label = QLabel("Evaluations discussed")
        form.addRow(self.discussed_label, self.discussed)
        self.topic_label, self.questions_label = QLabel("Topic"), QLabel("Questions")
        form.addRow(self.topic_label, self.topic)
        form.addRow(self.questions_label, self.questions)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        hint = QLabel(GOAL_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #4b5563;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>SMART goals</b> — specific, measurable (a target), due by"))
        layout.addWidget(self.goals, 1)
        layout.addLayout(row)
        layout.addWidget(hint)
        follow = QFormLayout()
        follow.addRow("Follow-up on", self.follow_up)
        layout.addLayout(follow)
        layout.addWidget(self.error)
        layout.addWidget(buttons(self, "Record session"))
        self._kind_changed()

    def add_goal(self, text: str, measure: str, target: str, due: str) -> None:
        row = self.goals.rowCount()
        self.goals.insertRow(row)
        for column, value in enumerate((text, measure, target, due)):
            self.goals.setItem(row, column, QTableWidgetItem(value))

    def _remove_goal(self) -> None:
        row = self.goals.currentRow()
        if row >= 0:
            self.goals.removeRow(row)

    def _kind_changed(self) -> None:
        briefing = self.kind.currentData() == coaching.TEAM_BRIEFING
        for widget in (self.topic, self.questions, self.topic_label, self.questions_label):
            widget.setVisible(briefing)
        for widget in (self.discussed, self.discussed_label):
            widget.setVisible(not briefing)

    def _cell(self, row: int, column: int) -> str:
        item = self.goals.item(row, column)
        return item.text().strip() if item is not None else ""

    def goal_specs(self) -> list[GoalSpec]:
        """The goals as typed (rows left entirely blank are skipped)."""
        out = []
        for row in range(self.goals.rowCount()):
            text, measure, target, due = (self._cell(row, c) for c in range(4))
            if not any((text, measure, target, due)):
                continue
            try:
                value = float(target)
            except ValueError:
                raise ValueError(
                    f"goal {row + 1}: the target {target!r} is not a number."
                ) from None
            keys = tuple(k.strip() for k in measure.split(",") if k.strip())
            if measure in fu.KPI_METRICS:
                out.append(GoalSpec(text, value, due, metric=measure))
            else:
                out.append(GoalSpec(text, value, due, question_keys=keys))
        return out

    def accept(self) -> None:
        held = self.held.dateTime().toPython().replace(tzinfo=LONDON)
        follow = self.follow_up.date().toPython()
        try:
            goals = self.goal_specs()
            if self.kind.currentData() == coaching.ONE_TO_ONE:
                checked = [
                    self.discussed.item(i).data(Qt.ItemDataRole.UserRole)
                    for i in range(self.discussed.count())
                    if self.discussed.item(i).checkState() == Qt.CheckState.Checked
                ]
                session = coaching.record_one_to_one(
                    self.ws,
                    agent=self.agent.external_id,
                    leader=self.leader.currentText(),
                    held_at=held,
                    notes=self.notes.toPlainText(),
                    evaluation_ids=checked,
                    goals=goals,
                    follow_up_due=follow,
                )
            else:
                session = coaching.record_team_briefing(
                    self.ws,
                    team=self.agent.team or "",
                    leader=self.leader.currentText(),
                    held_at=held,
                    topic=self.topic.text(),
                    question_keys=[k.strip() for k in self.questions.text().split(",")],
                    notes=self.notes.toPlainText(),
                    goals=goals,
                    follow_up_due=follow,
                )
        except (QAStudioError, ValueError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.sessionRecorded.emit(session.id)
        super().accept()
