"""The "Coaching" tab of the main window: the coaching screen, wired to the window.

Kept out of ``main_window.py`` (as the Scoring, Scorecards and Calibration tabs are):
``install(window)`` adds the tab, follows the window's workspace, acts as the person chosen in
the Scoring menu (the default leader or QA lead in its dialogs), re-reads its figures whenever
the tab is shown (the screen's own ``showEvent``: evaluations signed off elsewhere appear), and reports written packs, sessions
and disputes in the status bar. Installed after the scoring integration, which it uses.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from qa_studio.ui.views.coaching import CoachingView

MESSAGE_MS = 8000


def install(window: QMainWindow) -> CoachingView:
    """Add the "Coaching" tab to ``window`` (a ``MainWindow`` with ``window.scoring``)."""
    scoring = getattr(window, "scoring", None)
    actor = scoring.view.evaluator if scoring is not None else None
    view = CoachingView(window.workspace, window.services.jobs, actor)
    index = window.add_tab(view, "Coaching")

    def shown() -> None:
        # The screen re-reads itself when shown; here it learns who is using it.
        if scoring is not None:
            view.set_actor(scoring.view.evaluator)

    def say(text: str) -> None:
        window.statusBar().showMessage(text, MESSAGE_MS)

    window.workspaceChanged.connect(view.set_workspace)
    window.tabs.currentChanged.connect(lambda i: shown() if i == index else None)
    view.packsWritten.connect(lambda files: say(f"Wrote {len(files)} coaching pack(s)."))
    view.sessionRecorded.connect(lambda sid: say(f"Recorded coaching session {sid}."))
    view.disputeChanged.connect(lambda _id: window.update_status())
    return view
