"""The "Dashboard" tab of the main window: the KPI dashboard, following the open workspace.

Kept out of ``main_window.py`` (as the Calibration and Scorecards tabs are): ``install(window)``
adds the tab, re-reads the figures whenever the tab is shown (evaluations scored elsewhere appear
at once), and routes what the dashboard asks for to the rest of the window: an RCA started from a
target miss is announced in the status bar (and shown in an RCA tab when the window has one), a
team briefing planned from the training-needs matrix opens the Coaching tab when present.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from qa_studio.ui.views.dashboard import DashboardView

MESSAGE_MS = 8000


def install(window: QMainWindow) -> DashboardView:
    """Add the "Dashboard" tab to ``window`` (a ``MainWindow``)."""
    # Created empty: the figures are computed when the tab is first shown, not while the window
    # opens (a million-row workspace would otherwise keep a job busy behind the browser).
    view = DashboardView(None, window.services.jobs)
    index = window.add_tab(view, "Dashboard")

    def shown() -> None:
        if view.ws is not window.workspace:
            view.set_workspace(window.workspace)
        else:
            view.refresh()

    def rca_started(rca_id: int) -> None:
        window.statusBar().showMessage(f"Root-cause analysis {rca_id} started.", MESSAGE_MS)
        rca_view = getattr(window, "rca", None)
        if rca_view is not None and hasattr(rca_view, "open_rca"):
            window.tabs.setCurrentWidget(rca_view)
            rca_view.open_rca(rca_id)

    def briefing(team: str, questions: list, topic: str) -> None:
        window.statusBar().showMessage(
            f"Plan a team briefing for {team} on {', '.join(questions)} in the Coaching tab.",
            MESSAGE_MS,
        )
        coaching = getattr(window, "coaching", None)
        if coaching is not None:
            window.tabs.setCurrentWidget(getattr(coaching, "view", coaching))

    def workspace_changed(ws) -> None:
        if window.tabs.currentIndex() == index or ws is None:
            view.set_workspace(ws)

    window.workspaceChanged.connect(workspace_changed)
    window.tabs.currentChanged.connect(lambda i: shown() if i == index else None)
    view.rcaStarted.connect(rca_started)
    view.briefingRequested.connect(briefing)
    return view
