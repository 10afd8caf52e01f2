"""The "Dashboard" tab of the main window: the KPI dashboard, following the open workspace.

Kept out of ``main_window.py`` (as the Calibration and Scorecards tabs are): ``install(window)``
adds the tab, re-reads the figures whenever the tab is shown (evaluations scored elsewhere appear
at once), and routes what the dashboard asks for to the rest of the window: an RCA started from a
target miss is announced in the status bar (and shown in an RCA tab when the window has one), a
team briefing planned from the training-needs matrix opens the coaching record dialog preset to
that briefing (``open_briefing``) and the recorded session is announced in the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from qa_studio.domain.timeutil import LONDON, utcnow
from qa_studio.errors import QAStudioError
from qa_studio.storage.repository import coaching
from qa_studio.storage.repository.coaching_screen import people
from qa_studio.storage.repository.reporting import resolve_agents
from qa_studio.ui.views.coaching import COACHES
from qa_studio.ui.views.coaching_dialogs import RecordSessionDialog
from qa_studio.ui.views.dashboard import DashboardView

MESSAGE_MS = 8000


def open_briefing(
    window: QMainWindow, team: str, question_keys: list, topic: str
) -> RecordSessionDialog | None:
    """Open the coaching "record a session" dialog preset to a team briefing for ``team`` on
    ``question_keys`` with ``topic`` filled in; saving stores it through
    ``coaching.record_team_briefing`` (audited), with the team's active agents as attendees.

    The dialog is written around an agent (its one-to-one form) although a briefing stores only
    the team, so it is handed the team's first agent by name; it then offers the briefing only.
    A team with no agents, or the "(no team)" row of agents without one, cannot be briefed: the
    status bar says so and nothing opens. "Held by" defaults to the person chosen in the Scoring
    menu when they are a team leader or QA lead, else the team's leader. The dialog is
    window-modal but not blocking (``open``), and deletes itself when closed."""
    ws = window.workspace
    if ws is None:
        return None
    try:
        members = resolve_agents(ws, team=team)
    except QAStudioError:
        members = []
    if not members:
        window.statusBar().showMessage(
            f"No team briefing for {team}: it is not a team with agents in this workspace.",
            MESSAGE_MS,
        )
        return None
    names = people(ws, *COACHES)
    scoring = getattr(window, "scoring", None)
    actor = scoring.view.evaluator if scoring is not None else None
    now = utcnow().astimezone(LONDON).replace(second=0, microsecond=0, tzinfo=None)
    dialog = RecordSessionDialog(
        ws, members[0], leaders=names, leader=actor if actor in names else members[0].leader,
        recent=[], suggestions=[], held=now, parent=window, kind=coaching.TEAM_BRIEFING,
        topic=topic, question_keys=question_keys,
    )  # fmt: skip
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sessionRecorded.connect(
        lambda sid: window.statusBar().showMessage(
            f"Recorded team briefing {sid} for {team}.", MESSAGE_MS
        )
    )
    dialog.open()
    return dialog


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

    def workspace_changed(ws) -> None:
        if window.tabs.currentIndex() == index or ws is None:
            view.set_workspace(ws)

    window.workspaceChanged.connect(workspace_changed)
    window.tabs.currentChanged.connect(lambda i: shown() if i == index else None)
    view.rcaStarted.connect(rca_started)
    view.briefingRequested.connect(lambda t, q, topic: open_briefing(window, t, q, topic))
    return view
