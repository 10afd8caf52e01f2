"""The "Sampling" tab in the main window, and the way from "My queue" into the scoring screen.

Kept out of ``main_window.py`` (as the Scoring, Scorecards and Calibration tabs are):
``install(window)`` adds the tab, follows the window's workspace and the evaluator chosen in the
Scoring menu, and opens a queue line for scoring. A sample item resumes or starts its draft with
``start_assigned`` (source ``sample``, linked to the sample); a targeted-review entry starts one
with source ``targeted``. When no single scorecard fits, the evaluator picks one. Installed after
the scoring integration, which it uses. While the workspace is read-only, a queue line shows
the interaction's latest evaluation instead (``ui.write_guard``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMainWindow

from qa_studio.bundles.api import start_assigned
from qa_studio.errors import DataRefused, QAStudioError
from qa_studio.services import scoring_session as scoring_service
from qa_studio.storage.repository import evaluations, scorecards
from qa_studio.ui.models.sampling_models import QueueRow
from qa_studio.ui.views.sampling import SamplingView
from qa_studio.ui.views.sampling_wizard import error_text
from qa_studio.ui.write_guard import writes_allowed

MESSAGE_MS = 8000


def _pick_version(window: QMainWindow, channel: str) -> int | None:
    """Ask which published card to score on (None when cancelled or there is none)."""
    versions = scoring_service.candidate_versions(window.workspace, channel)
    if not versions:
        return None
    labels = [f"{v.name} (v{v.version}, {v.channel})" for v in versions]
    choice, ok = QInputDialog.getItem(window, "Choose a scorecard",
                                      f"Score this {channel} interaction against:",
                                      labels, 0, False)  # fmt: skip
    return versions[labels.index(choice)].id if ok and choice in labels else None


def evaluation_for(window: QMainWindow, row: QueueRow) -> int | None:
    """The evaluation to open for a queue line: resumed, or started now (audited)."""
    ws, evaluator = window.workspace, window.scoring.view.evaluator
    if row.kind == "sample" and row.item is not None:
        try:
            return start_assigned(ws, row.item.item_id).id
        except DataRefused:
            version_id = _pick_version(window, row.channel)
            if version_id is None:
                raise
            return start_assigned(ws, row.item.item_id, version_id=version_id).id
    version = scoring_service.default_version(ws, row.channel)
    version_id = version.id if version is not None else _pick_version(window, row.channel)
    if version_id is None:
        raise DataRefused(f"no scorecard chosen for {row.external_id}")
    key = scorecards.get_version(ws, version_id).key
    draft = evaluations.find_draft(ws, row.interaction_id, evaluator, scorecard_key=key)
    if draft is not None:
        return draft.id
    return evaluations.start(ws, row.interaction_id, version_id, evaluator, source="targeted").id


def install(window: QMainWindow) -> SamplingView:
    """Add the "Sampling" tab to ``window`` (a ``MainWindow`` with ``window.scoring``)."""
    scoring = window.scoring
    view = SamplingView(window.workspace, scoring.view.evaluator, window.services.jobs)
    index = window.add_tab(view, "Sampling")

    def shown() -> None:
        view.set_evaluator(scoring.view.evaluator)
        view.refresh()

    def open_row(row: QueueRow) -> None:
        if not scoring.view.evaluator:
            scoring.choose_evaluator(ask=True)
        if not scoring.view.evaluator:
            return
        if not writes_allowed(window):
            shown_id = scoring.view.latest_evaluation(row.interaction_id)
            if shown_id is None:
                view.show_message(f"{row.external_id} has no evaluation yet, and the workspace "
                                  "is open read-only: nothing can be started.", error=True)  # fmt: skip
                return
            window.tabs.setCurrentWidget(scoring.view)
            scoring.view.open_evaluation(shown_id)
            return
        try:
            evaluation_id = evaluation_for(window, row)
        except QAStudioError as exc:
            view.show_message(f"Cannot score {row.external_id}: {error_text(exc)}", error=True)
            return
        window.tabs.setCurrentWidget(scoring.view)
        scoring.view.open_evaluation(evaluation_id)
        scoring.view.refresh_queue()

    window.workspaceChanged.connect(view.set_workspace)
    window.tabs.currentChanged.connect(lambda i: shown() if i == index else None)
    scoring.evaluator_action.triggered.connect(lambda _checked=False: shown())
    scoring.view.evaluationSubmitted.connect(lambda _id: view.refresh())
    view.itemOpened.connect(open_row)
    view.sampleCreated.connect(lambda _id: window.update_status())
    view.messagePosted.connect(lambda text: window.statusBar().showMessage(text, MESSAGE_MS))
    return view
