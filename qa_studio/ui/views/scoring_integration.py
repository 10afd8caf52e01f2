"""Put the scoring screen into the main window: a tab, a menu, and the browser's way in.

Kept out of ``main_window.py`` so the window stays a frame around screens: ``install(window)``
adds the "Scoring" tab, a "Scoring" menu (score the selected interaction, choose evaluator), an
Enter key and context-menu action on the interaction table, and follows the window's workspace.
Who is scoring is remembered in the settings; there is no log-in, the audit trail also records
the operating-system user. While the workspace is read-only the score action and Enter are off
(they start drafts); a double-click still shows the interaction's latest evaluation.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMenu

from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.evaluators import list_evaluators
from qa_studio.ui.views.scoring import ScoringView
from qa_studio.ui.write_guard import mark_writes


class ScoringIntegration(QObject):
    """The scoring screen's wiring into a ``MainWindow`` (see ``install``)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.services.settings
        self.view = ScoringView(None, self.settings.evaluator_name())
        self.tab_index = window.add_tab(self.view, "Scoring")
        bar = window.menuBar()
        menu = QMenu("&Scoring", bar)
        help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)
        else:
            bar.addMenu(menu)
        self.menu = menu
        self.score_action = QAction("&Score selected interaction", window)
        self.score_action.setShortcut(QKeySequence("Ctrl+E"))
        self.score_action.triggered.connect(self.score_selected)
        self.evaluator_action = QAction("Choose &evaluator…", window)
        self.evaluator_action.triggered.connect(lambda: self.choose_evaluator(ask=True))
        menu.addAction(self.score_action)
        menu.addAction(self.evaluator_action)

        table = window.browser.table
        enter = QAction("Score this interaction", table)
        enter.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        enter.triggered.connect(self.score_selected)
        table.addAction(enter)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.doubleClicked.connect(lambda _index: self.score_selected())
        self.enter_action = enter
        mark_writes(self.score_action, self.enter_action)

        self.view.evaluationSubmitted.connect(lambda _id: window.update_status())
        self.view.evaluationOpened.connect(lambda _id: window.update_status())
        window.workspaceChanged.connect(self._workspace_changed)
        window.installEventFilter(self)
        self._workspace_changed(window.workspace)

    # -- evaluator -----------------------------------------------------------------------------
    def _names(self, ws: Workspace | None) -> list[str]:
        return [e.name for e in list_evaluators(ws) if e.active] if ws is not None else []

    def _current(self, names: list[str]) -> str | None:
        """Who is scoring now, else who was remembered — if this workspace knows them."""
        for name in (self.view.evaluator, self.settings.evaluator_name()):
            if name in names:
                return name
        return None

    def choose_evaluator(self, *, ask: bool) -> str | None:
        """Pick who is scoring: ask (a list of the workspace's evaluators) or, when ``ask`` is
        False, keep the remembered name if the workspace knows it, else the only one there is."""
        names = self._names(self.window.workspace)
        current = self._current(names)
        if not names:
            self.view.set_evaluator(None)
            self.view.show_message("This workspace has no evaluators yet: add one with "
                                   "qa-studio evaluators add NAME.", "warning")  # fmt: skip
            return None
        if not ask:
            chosen = current or (names[0] if len(names) == 1 else None)
        else:
            start = names.index(current) if current in names else 0
            name, ok = QInputDialog.getItem(self.window, "Who is scoring?",
                                            "Evaluator (remembered on this computer):",
                                            names, start, False)  # fmt: skip
            chosen = name if ok else current
        self._set_evaluator(chosen)
        return chosen

    def pick_for_screenshot(self) -> str | None:
        """Never block: the remembered evaluator if known here, else the first one."""
        names = self._names(self.window.workspace)
        current = self._current(names)
        chosen = current or (names[0] if names else None)
        self.view.set_evaluator(chosen)
        return chosen

    def ask_if_needed(self) -> None:
        """At start-up: ask only when the remembered evaluator is not in this workspace."""
        if self.window.workspace is not None and self.view.evaluator is None:
            self.choose_evaluator(ask=True)

    def _set_evaluator(self, name: str | None) -> None:
        self.view.set_evaluator(name)
        if name and getattr(self.window, "remember", True):
            self.settings.set_evaluator_name(name)
        self.evaluator_action.setText(f"Choose &evaluator… (now {name})" if name
                                      else "Choose &evaluator…")  # fmt: skip

    # -- actions -------------------------------------------------------------------------------
    def score_selected(self) -> None:
        """Open the browser's selected interaction in the scoring screen."""
        interaction_id = self.window.browser.selected_interaction()
        if interaction_id is None:
            self.window.statusBar().showMessage("Select an interaction to score first.", 5000)
            return
        if not self.view.evaluator:
            self.choose_evaluator(ask=True)
        self.window.tabs.setCurrentWidget(self.view)
        self.view.open_interaction(interaction_id)

    def _workspace_changed(self, ws: Workspace | None) -> None:
        self.view.set_workspace(ws)
        self.score_action.setEnabled(ws is not None)
        if ws is not None:
            self.choose_evaluator(ask=False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Before the window closes its workspace: save the comment being typed.
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.view.close_evaluation()
        return False


def install(window: QMainWindow) -> ScoringIntegration:
    """Add the scoring screen to ``window``; keep the returned object (it owns the wiring)."""
    return ScoringIntegration(window)
