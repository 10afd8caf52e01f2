"""File ▸ Export my results…: the evaluator's finished evaluations, for the QA lead to import.

Built on ``BundleExportDialog`` (passphrase, save dialog, background job, progress and Cancel):
this dialog only says whose results go and whether unfinished drafts go with them — by default
they stay behind, because the lead counts what is sent.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from qa_studio.bundles import api
from qa_studio.bundles.api import ExportResult
from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import evaluations
from qa_studio.ui.views.bundle_send import BundleExportDialog


class ExportResultsDialog(BundleExportDialog):
    """File ▸ Export my results…: the evaluator's evaluations (and the audit trail) for the lead."""

    KIND = "results"

    def __init__(self, ws: Workspace, evaluator: str, jobs: JobRunner | SyncJobRunner,
                 settings: Settings | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(ws, jobs, settings, parent)
        self.setWindowTitle("Export my results")
        self.resize(560, 440)
        self.evaluator = evaluator
        self.drafts = drafts = len(evaluations.drafts(ws, evaluator))
        self.intro = QLabel(
            f"Everything <b>{html.escape(evaluator)}</b> has submitted or signed off — answers, comments and "
            "the audit trail — goes into one file for the QA lead to import."
        )
        self.intro.setWordWrap(True)
        self.drafts_check = QCheckBox(f"Include unfinished drafts ({drafts:,})")
        self.drafts_check.setEnabled(drafts > 0)
        self.drafts_note = QLabel(
            f"{drafts:,} draft{'s stay' if drafts != 1 else ' stays'} on this computer unless "
            "included."
            if drafts
            else "No drafts are open: every evaluation is finished."
        )
        self.drafts_note.setStyleSheet("color: #475569;")
        self.body.addWidget(self.intro)
        self.body.addWidget(self.drafts_check)
        self.body.addWidget(self.drafts_note)
        self._update()

    def default_name(self) -> str:
        return f"{self.evaluator} results {date.today():%Y-%m-%d}.qab"

    def export_call(self) -> Callable[..., ExportResult]:
        evaluator, include = self.evaluator, self.drafts_check.isChecked()

        def call(ws, out, passphrase, progress, is_cancelled) -> ExportResult:
            return api.export_results(ws, out, include_drafts=include, evaluator=evaluator,
                                      passphrase=passphrase, progress=progress,
                                      is_cancelled=is_cancelled)  # fmt: skip

        return call

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.drafts_check.setEnabled(enabled and self.drafts > 0)
