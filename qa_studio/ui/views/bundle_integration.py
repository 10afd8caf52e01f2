"""Put offline bundles into the main window's File menu.

Kept out of ``main_window.py`` (as the scoring screen's wiring is): ``install(window)`` adds,
after File ▸ Import…, "Send work to evaluator…" and "Import results…" for the QA lead,
"Export my results…" and "Import bundle…" for the evaluator on their own computer, and
"Conflicts (N)…" whose count follows the workspace. After an import the window's screens and
counts are refreshed, and the scoring queue shows the drafts an assignment started. Every item but
Conflicts… writes (an import merges; an export appends to the audit trail), so they are marked
for ``write_guard``; in the conflicts dialog only the two resolving buttons write.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from qa_studio.bundles import api
from qa_studio.services.scoring_session import evaluator_role
from qa_studio.storage.db import Workspace
from qa_studio.ui.views.bundle_import import ImportBundleDialog
from qa_studio.ui.views.bundle_results import ExportResultsDialog
from qa_studio.ui.views.bundle_send import SendWorkDialog
from qa_studio.ui.views.conflict_resolver import ConflictResolverDialog
from qa_studio.ui.write_guard import mark_writes


def _file_menu(window: QMainWindow) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and window.import_action in menu.actions():
            return menu
    raise LookupError("the main window has no File menu holding Import…")


class BundleIntegration(QObject):
    """The bundle menu items of a ``MainWindow`` and the dialogs they open (see ``install``)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None
        menu = _file_menu(window)
        following = menu.actions()[menu.actions().index(window.import_action) + 1 :]
        before = following[0] if following else None

        def add(text: str, slot) -> QAction:
            action = QAction(text, window)
            action.triggered.connect(lambda _checked=False: slot())
            menu.insertAction(before, action)
            return action

        menu.insertSeparator(before)
        self.send_action = add("Send &work to evaluator…", self.send_work)
        self.import_results_action = add("Import &results…", lambda: self.import_bundle("results"))
        self.export_results_action = add("E&xport my results…", self.export_results)
        self.import_bundle_action = add("Import &bundle…", self.import_bundle)
        mark_writes(self.send_action, self.import_results_action, self.export_results_action,
                    self.import_bundle_action)  # fmt: skip
        self.conflicts_action = add("&Conflicts…", self.show_conflicts)
        self.actions = (self.send_action, self.import_results_action, self.export_results_action,
                        self.import_bundle_action, self.conflicts_action)  # fmt: skip
        menu.aboutToShow.connect(self.update_conflict_count)
        window.workspaceChanged.connect(self._workspace_changed)
        self._workspace_changed(window.workspace)

    # -- state --------------------------------------------------------------------------------
    def _workspace_changed(self, ws: Workspace | None) -> None:
        for action in self.actions:
            action.setEnabled(ws is not None)
        self.update_conflict_count()

    def conflict_count(self) -> int:
        ws = self.window.workspace
        return len(api.list_conflicts(ws)) if ws is not None else 0

    def update_conflict_count(self) -> None:
        n = self.conflict_count()
        self.conflicts_action.setText(f"&Conflicts ({n})…" if n else "&Conflicts…")

    def _settings(self):
        return self.window.services.settings if getattr(self.window, "remember", True) else None

    def _show(self, dialog: QDialog) -> QDialog:
        """Open ``dialog`` window-modal, replacing the previous bundle dialog."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- actions ------------------------------------------------------------------------------
    def send_work(self) -> SendWorkDialog | None:
        ws = self.window.workspace
        if ws is None:
            return None
        dialog = SendWorkDialog(ws, self.window.services.jobs, self._settings(), self.window)
        dialog.exported.connect(lambda _r: self.window.update_status())
        return self._show(dialog)

    def export_results(self) -> ExportResultsDialog | None:
        ws = self.window.workspace
        if ws is None:
            return None
        scoring = self.window.scoring
        evaluator = scoring.view.evaluator or scoring.choose_evaluator(ask=True)
        if not evaluator:
            self.window.statusBar().showMessage(
                "Choose who you are (Scoring ▸ Choose evaluator…) to export your results.", 8000
            )
            return None
        dialog = ExportResultsDialog(ws, evaluator, self.window.services.jobs, self._settings(),
                                     self.window)  # fmt: skip
        return self._show(dialog)

    def import_bundle(self, expect_kind: str | None = None) -> ImportBundleDialog | None:
        ws = self.window.workspace
        if ws is None:
            return None
        dialog = ImportBundleDialog(ws, self.window.services.jobs, self._settings(),
                                    expect_kind=expect_kind, parent=self.window)  # fmt: skip
        dialog.imported.connect(self._imported)
        return self._show(dialog)

    def show_conflicts(self) -> ConflictResolverDialog | None:
        ws = self.window.workspace
        if ws is None:
            return None
        who = self.window.scoring.view.evaluator
        resolver = who if evaluator_role(ws, who) == "qa_lead" else None
        dialog = ConflictResolverDialog(ws, resolver=resolver, parent=self.window)
        mark_writes(dialog.keep_button, dialog.take_button)
        dialog.conflictResolved.connect(self._resolved)
        return self._show(dialog)

    # -- after a change -----------------------------------------------------------------------
    def _imported(self, _result: object) -> None:
        self.window.workspace_data_changed()
        scoring = self.window.scoring
        if scoring.view.evaluator is None:
            scoring.choose_evaluator(ask=False)
        else:
            scoring.view.refresh_queue()
        self.update_conflict_count()

    def _resolved(self, conflict_id: int) -> None:
        ws, view = self.window.workspace, self.window.scoring.view
        if ws is not None and view.session is not None:
            evaluation_id = api.get_conflict(ws, conflict_id).evaluation_id
            if view.session.evaluation_id == evaluation_id:
                view.open_evaluation(evaluation_id)  # show the version now stored
        view.refresh_queue()
        self.window.update_status()
        self.update_conflict_count()


def install(window: QMainWindow) -> BundleIntegration:
    """Add the bundle menu items to ``window``; keep the returned object (it owns the wiring)."""
    return BundleIntegration(window)
