"""The sampling wizard: spec → preview (drawn off the UI thread) → create.

Why a wizard: a sample is only worth creating once its shape is visible — how many contacts each
agent gets, where the frame ran short, who scores what, and how precise the result will be
("4 per agent gives ±12 points"). The preview is the real draw (``preview_sample``) run as a job
with its own workspace connection, progress and Cancel; "Create" stores exactly that previewed
plan (``create_sample``), in one transaction. Bad specs are explained on the page; nothing is
created until the last step.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from qa_studio.domain.sampling import SampleSpec, validate_spec
from qa_studio.domain.timeutil import LONDON
from qa_studio.errors import QAStudioError
from qa_studio.services.jobs import JobHandle, JobRunner, SyncJobRunner
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.storage.repository import samples
from qa_studio.storage.repository.sample_plan import SamplePlan
from qa_studio.ui.models.sampling_models import agent_counts_model, count_model, plan_counts
from qa_studio.ui.views.sampling_spec_form import SampleSpecForm

WIZARD_SIZE = (1240, 780)
ERROR_STYLE = "color: #9b1c1c; font-weight: bold;"


def error_text(exc: BaseException) -> str:
    """A refusal's message and what to do, for a label."""
    if isinstance(exc, QAStudioError):
        details = "".join(f"\n• {d}" for d in exc.details or [])
        return f"{exc.message}{details}"
    return f"Unexpected error: {exc}"


def _table(name: str, model) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


class SpecPage(QWizardPage):
    """The spec form; Next checks what can be checked without drawing."""

    def __init__(self, wizard: SamplingWizard) -> None:
        super().__init__()
        self.setTitle("1. What to sample")
        self.setSubTitle("Choose the period, the contacts, how many per agent, risk weights and "
                         "who scores them. Nothing is stored until you press Create.")  # fmt: skip
        self.form = SampleSpecForm()
        self.message = _message_label("specMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.message)
        self._wizard = wizard

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def validatePage(self) -> bool:
        problems: list[str] = []
        if not self.form.channels():
            problems.append("tick at least one channel")
        if not self.form.spec_evaluators():
            problems.append("tick at least one evaluator to score the sample")
        try:
            spec = self.form.spec()
        except ValueError as exc:
            problems.append(str(exc))
            spec = None
        if spec is not None:
            try:
                validate_spec(spec)
            except QAStudioError as exc:
                problems.append(error_text(exc))
        if problems:
            self.show_message("Cannot preview yet: " + "; ".join(problems) + ".")
            return False
        self.show_message("")
        self._wizard.spec = spec
        return True


class PreviewPage(QWizardPage):
    """Runs the draw as a job and shows its counts; complete once a plan is in hand."""

    def __init__(self, wizard: SamplingWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("2. Preview")
        self.setSubTitle("The sample as it will be created. Rows in orange fall short: the agent "
                         "has fewer eligible contacts than asked, so all of them are taken.")  # fmt: skip
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Create sample")
        self.progress = QProgressBar()
        self.progress.setObjectName("previewProgress")
        self.cancel_button = QPushButton("Cancel preview")
        self.retry_button = QPushButton("Preview again")
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button.clicked.connect(self.start)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.retry_button)
        self.message = _message_label("previewMessage")
        self.precision = QLabel()
        self.precision.setObjectName("precisionLine")
        self.precision.setWordWrap(True)
        self.precision.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.frame_line = QLabel()
        self.frame_line.setWordWrap(True)
        self.agents_model = agent_counts_model(self)
        self.strata_model = count_model("Stratum", self)
        self.evaluators_model = count_model("Evaluator", self)
        self.agents_view = _table("agentCounts", self.agents_model)
        self.strata_view = _table("strataCounts", self.strata_model)
        self.evaluators_view = _table("evaluatorCounts", self.evaluators_model)
        tables = QHBoxLayout()
        for title, view, stretch in (("Per agent", self.agents_view, 5),
                                     ("Per stratum", self.strata_view, 2),
                                     ("Per evaluator", self.evaluators_view, 3)):  # fmt: skip
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(view, 1)
            tables.addLayout(column, stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.precision)
        layout.addWidget(self.frame_line)
        layout.addLayout(tables, 1)
        self.handle: JobHandle | None = None
        self.plan: SamplePlan | None = None

    def initializePage(self) -> None:
        self.start()

    def cleanupPage(self) -> None:
        self.cancel()
        self._show(None)

    def isComplete(self) -> bool:
        return self.plan is not None and bool(self.plan.items)

    # -- the job -------------------------------------------------------------------------
    def start(self) -> None:
        """Draw the preview off the UI thread (its own connection to the workspace)."""
        wizard = self._wizard
        spec, path, today = wizard.spec, wizard.ws.path, wizard.today

        def job(progress, is_cancelled) -> SamplePlan:
            ws = open_workspace(path, create=False)
            try:
                return samples.preview_sample(ws, spec, progress=progress,
                                              is_cancelled=is_cancelled, today=today)  # fmt: skip
            finally:
                ws.close()

        self._show(None)
        self.message.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.retry_button.setEnabled(False)
        self.handle = wizard.jobs.submit(
            job,
            name="sample preview",
            on_progress=self._progressed,
            on_success=self._succeeded,
            on_error=self._failed,
            on_finished=self._finished,
        )

    def cancel(self) -> None:
        if self.handle is not None and not self.handle.done:
            self.handle.cancel()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _succeeded(self, plan: SamplePlan) -> None:
        self._show(plan)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, samples.SamplingCancelled):
            text = "Preview cancelled; nothing was created. Press “Preview again” or go Back."
        else:
            text = "Cannot draw this sample: " + error_text(exc)
        self.message.setText(text)
        self.message.show()

    def _finished(self) -> None:
        self.handle = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self.plan is not None else 0)
        self.cancel_button.setEnabled(False)
        self.retry_button.setEnabled(True)

    def _show(self, plan: SamplePlan | None) -> None:
        self.plan = plan
        self.agents_model.set_records(plan.agents if plan else [])
        strata, evaluators = plan_counts(plan) if plan else ([], [])
        self.strata_model.set_records(strata)
        self.evaluators_model.set_records(evaluators)
        if plan is None:
            self.precision.clear()
            self.frame_line.clear()
        else:
            f = plan.frame
            short = len(plan.shortfalls)
            self.precision.setText(plan.precision.text)
            self.frame_line.setText(
                f"{len(plan.items)} contacts from {plan.period}: {f.in_period} in the period, {f.in_frame} match the spec, "
                f"{f.already_evaluated_or_sampled} already evaluated or sampled, {f.eligible} "
                f"eligible. Due {plan.due_on}. "
                + (f"{short} shortfall(s)." if short else "No shortfalls.")
            )
            if not plan.items:
                self._failed(QAStudioError("the sample is empty: nothing to create"))
        self.completeChanged.emit()

    def validatePage(self) -> bool:
        """Create: store the previewed plan (refused if its contacts were taken meanwhile)."""
        wizard = self._wizard
        try:
            wizard.sample_id = samples.create_sample(wizard.ws, self.plan.spec, self.plan,
                                                     today=wizard.today)  # fmt: skip
        except QAStudioError as exc:
            self._failed(exc)
            return False
        wizard.sampleCreated.emit(wizard.sample_id)
        return True


class DonePage(QWizardPage):
    def __init__(self, wizard: SamplingWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("3. Created")
        self.summary = QLabel()
        self.summary.setObjectName("createdSummary")
        self.summary.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.summary)

    def initializePage(self) -> None:
        wizard = self._wizard
        plan = wizard.preview_page.plan
        spec = plan.spec
        allocation = ", ".join(f"{n}: {c}" for n, c in sorted(plan.evaluator_counts.items()))
        self.summary.setText(
            f"<p><b>{spec.name or 'Sample ' + plan.period}</b> created with {len(plan.items)} "
            f"items (sample #{wizard.sample_id}), due {plan.due_on}.</p>"
            f"<p>Allocated — {allocation or 'nobody'}.</p><p>{plan.precision.text}</p>"
            f"<p>Seed {spec.seed}: the same spec and seed on the same data draw the same "
            "sample again.</p><p>Each evaluator finds their items in Sampling ▸ My queue.</p>"
        )


class SamplingWizard(QWizard):
    """``sampleCreated(sample_id)`` is emitted as soon as Create has stored the sample."""

    sampleCreated = Signal(int)

    def __init__(self, ws: Workspace, jobs: JobRunner | SyncJobRunner, *,
                 today: date | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("New sample")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.ws = ws
        self.jobs = jobs
        self.today = today or datetime.now(LONDON).date()
        self.spec: SampleSpec | None = None
        self.sample_id: int | None = None
        self.spec_page = SpecPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        for page in (self.spec_page, self.preview_page, self.done_page):
            self.addPage(page)
        self.form = self.spec_page.form
        self.form.load(ws, self.today)
        self.resize(*WIZARD_SIZE)
        self.finished.connect(self._closed)

    def _closed(self, _result: int) -> None:
        self.preview_page.cancel()
