"""The dispute dialogs of the coaching screen: raise a dispute for the agent (a team leader types
it in), and resolve one as the QA lead (uphold, changing the answer, or reject).

Like the session dialog, each calls the repository when its main button is pressed and stays
open with the refusal in red when the repository says no; it emits its past-tense signal and
closes once the change is stored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from qa_studio.errors import QAStudioError
from qa_studio.scorecards.schema import Question
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import disputes, evaluations, scorecards
from qa_studio.storage.repository.coaching_screen import RecentEvaluation
from qa_studio.storage.repository.reporting import AgentInfo
from qa_studio.ui.views.coaching_dialogs import buttons, combo, error_label, evaluation_label


def answer_choices(q: Question) -> list[str]:
    """Every answer the question accepts, as stored."""
    if q.type == "yes_no":
        values = ["yes", "no"]
    elif q.type == "scale" and q.scale is not None:
        values = [str(v) for v in range(q.scale.min, q.scale.max + 1)]
    else:
        values = [o.label for o in q.options]
    return values + (["na"] if q.allow_na else [])


class RaiseDisputeDialog(QDialog):
    """The agent disputes one question of a signed-off evaluation; a team leader types it in."""

    disputeRaised = Signal(int)

    def __init__(
        self,
        ws: Workspace,
        agent: AgentInfo,
        recent: list[RecentEvaluation],
        *,
        leaders: list[str],
        leader: str | None,
        evaluation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.agent = ws, agent
        self.setWindowTitle(f"Raise a dispute for {agent.name}")
        self.resize(640, 360)
        self.evaluation = QComboBox()
        for e in recent:
            if e.status in ("signed_off", "disputed"):
                self.evaluation.addItem(evaluation_label(e), e.id)
        if evaluation_id is not None and self.evaluation.findData(evaluation_id) >= 0:
            self.evaluation.setCurrentIndex(self.evaluation.findData(evaluation_id))
        self.question = QComboBox()
        self.evaluation.currentIndexChanged.connect(self._fill_questions)
        self.entered_by = combo(leaders, leader)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("The agent's reason, in their words")
        self.error = error_label()
        form = QFormLayout(self)
        form.addRow("Agent", QLabel(f"{agent.name} ({agent.external_id})"))
        form.addRow("Evaluation", self.evaluation)
        form.addRow("Question", self.question)
        form.addRow("Entered by", self.entered_by)
        form.addRow("Reason", self.reason)
        form.addRow(self.error)
        form.addRow(buttons(self, "Raise dispute"))
        self._fill_questions()

    def _fill_questions(self) -> None:
        self.question.clear()
        eid = self.evaluation.currentData()
        if eid is None:
            return
        record = evaluations.get(self.ws, int(eid))
        card = scorecards.get_version(self.ws, record.scorecard_version_id).card
        for q in card.questions():
            answer = record.answers.get(q.key, "—")
            self.question.addItem(f"{q.key} — {q.text} (answered {answer})", q.key)

    def accept(self) -> None:
        try:
            d = disputes.raise_dispute(
                self.ws,
                int(self.evaluation.currentData() or 0),
                self.question.currentData() or "",
                self.reason.toPlainText(),
                agent=self.agent.external_id,
                entered_by=self.entered_by.currentText() or None,
            )
        except QAStudioError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.disputeRaised.emit(d.id)
        super().accept()


class ResolveDisputeDialog(QDialog):
    """A QA lead upholds (the answer changes) or rejects a dispute, with a reason."""

    disputeResolved = Signal(int)

    def __init__(
        self,
        ws: Workspace,
        dispute: disputes.Dispute,
        *,
        qa_leads: list[str],
        lead: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.dispute = ws, dispute
        self.setWindowTitle(f"Resolve dispute {dispute.id}")
        self.resize(600, 340)
        record = evaluations.get(ws, dispute.evaluation_id)
        q = scorecards.get_version(ws, record.scorecard_version_id).card.question(
            dispute.question_key
        )
        current = record.answers.get(q.key)
        summary = QLabel(
            f"Evaluation {dispute.evaluation_id} ({dispute.interaction}), question "
            f"<b>{q.key}</b> — {q.text}<br/>Answered <b>{current}</b>; disputed by "
            f"{dispute.raised_by}: “{dispute.reason}”"
        )
        summary.setWordWrap(True)
        summary.setTextFormat(Qt.TextFormat.RichText)
        self.uphold = QRadioButton("Uphold — change the answer to")
        self.reject_button = QRadioButton("Reject — the answer stands")
        self.uphold.setChecked(True)
        self.value = QComboBox()
        self.value.addItems([v for v in answer_choices(q) if v != str(current)])
        self.uphold.toggled.connect(self.value.setEnabled)
        self.lead = combo(qa_leads, lead)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why (shown to the agent and kept in the audit trail)")
        self.error = error_label()
        choice = QHBoxLayout()
        choice.addWidget(self.uphold)
        choice.addWidget(self.value)
        choice.addStretch(1)
        form = QFormLayout(self)
        form.addRow(summary)
        form.addRow(choice)
        form.addRow(self.reject_button)
        form.addRow("QA lead", self.lead)
        form.addRow("Reason", self.reason)
        form.addRow(self.error)
        form.addRow(buttons(self, "Resolve"))

    def accept(self) -> None:
        try:
            if self.uphold.isChecked():
                d = disputes.uphold(
                    self.ws,
                    self.dispute.id,
                    by=self.lead.currentText(),
                    value=self.value.currentText(),
                    resolution=self.reason.toPlainText(),
                )
            else:
                d = disputes.reject(
                    self.ws,
                    self.dispute.id,
                    by=self.lead.currentText(),
                    resolution=self.reason.toPlainText(),
                )
        except QAStudioError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.disputeResolved.emit(d.id)
        super().accept()
