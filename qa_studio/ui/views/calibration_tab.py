"""The "Calibration" tab of the main window: the calibration screen, wired to scoring.

Kept out of ``main_window.py`` (as the Scoring and Scorecards tabs are): ``install(window)`` adds
the tab, follows the window's workspace, looks at the sessions as the evaluator chosen in the
Scoring menu, and opens "Score my calibration item" in the scoring screen. Installed after the
scoring integration, which it uses.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from qa_studio.ui.views.calibration import CalibrationView


def install(window: QMainWindow) -> CalibrationView:
    """Add the "Calibration" tab to ``window`` (a ``MainWindow`` with ``window.scoring``)."""
    scoring = window.scoring
    view = CalibrationView(window.workspace, scoring.view.evaluator, window.services.jobs)
    index = window.add_tab(view, "Calibration")

    def shown() -> None:
        view.set_evaluator(scoring.view.evaluator)
        view.refresh()

    def score(evaluation_id: int) -> None:
        window.tabs.setCurrentWidget(scoring.view)
        scoring.view.open_evaluation(evaluation_id)

    window.workspaceChanged.connect(view.set_workspace)
    window.tabs.currentChanged.connect(lambda i: shown() if i == index else None)
    # The Scoring menu's "Choose evaluator…" runs its own slot first, then this one.
    scoring.evaluator_action.triggered.connect(lambda _checked=False: shown())
    scoring.view.evaluationSubmitted.connect(lambda _id: view.refresh())
    view.evaluationRequested.connect(score)
    view.sessionCreated.connect(lambda _id: window.update_status())
    return view
