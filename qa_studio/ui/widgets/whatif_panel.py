"""What-if panel: how would this card's stored evaluations score on another version?

It runs ``evaluations.rescore`` (SCORECARDS.md § What-if) for a target version and optional
filters, and shows every evaluation's stored, old and new percent with the questions left out of
the comparison, plus the aggregate. Nothing stored changes unless the user applies the migration
and confirms it; the repository audits it and refuses it as a whole when any evaluation would be
left with questions nobody answered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_studio.errors import QAStudioError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import evaluations, scorecards
from qa_studio.storage.repository.evaluations import RescoreReport
from qa_studio.ui.models.whatif_model import WhatIfModel
from qa_studio.ui.write_guard import mark_writes


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def summary(report: RescoreReport) -> str:
    """The aggregate line under the table, in words a QA lead reads at a glance."""
    agg = report.aggregate
    n = agg["n"]
    if not n:
        text = f"No submitted evaluations of {report.to.key} on other versions match."
    else:
        delta = agg["mean_delta"]
        text = (f"<b>{n} evaluation{'' if n == 1 else 's'}</b> ({agg['n_compared']} compared): "
                f"mean old {_mean(agg['mean_old'])} → new {_mean(agg['mean_new'])}"
                f" (Δ {'—' if delta is None else f'{delta:+.1f}'}); "
                f"stored mean {_mean(agg['mean_old_stored'])}.")  # fmt: skip
        if agg["not_migratable"]:
            text += (f" {agg['not_migratable']} cannot be migrated: questions new in "
                     f"{report.to.ref} were never answered.")  # fmt: skip
    if report.already_on_target:
        text += f" {report.already_on_target} already on {report.to.ref}."
    return text


class WhatIfPanel(QWidget):
    """Target version + filters → table of re-scored evaluations → optional migration."""

    migrationApplied = Signal(str, int)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.key: str | None = None
        self.report: RescoreReport | None = None
        self._run_filters: dict = {}
        layout = QVBoxLayout(self)
        intro = QLabel("Re-score this scorecard's submitted evaluations against another version. "
                       "Questions new in the target (or whose type changed) are left out of both "
                       "scores. Nothing is changed unless you apply a migration.")  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.target = QComboBox()
        self.target.setObjectName("whatifTarget")
        form.addRow("Target version", self.target)
        filters = QHBoxLayout()
        self.period = QLineEdit()
        self.period.setPlaceholderText("month YYYY-MM (optional)")
        self.agent = QLineEdit()
        self.agent.setPlaceholderText("agent id (optional)")
        self.team = QLineEdit()
        self.team.setPlaceholderText("team (optional)")
        for w in (self.period, self.agent, self.team):
            w.returnPressed.connect(self.run)
            filters.addWidget(w)
        form.addRow("Filter", filters)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.run_button = QPushButton("Run what-if")
        self.run_button.setObjectName("whatifRun")
        self.run_button.clicked.connect(self.run)
        self.apply_button = QPushButton("Apply migration…")
        self.apply_button.setObjectName("whatifApply")
        self.apply_button.clicked.connect(self.apply_migration)
        mark_writes(self.apply_button)
        buttons.addWidget(self.run_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        layout.addLayout(buttons)
        self.model = WhatIfModel(self)
        self.table = QTableView()
        self.table.setObjectName("whatifTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("whatifSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.set_card(None)

    def set_card(self, key: str | None) -> None:
        """Offer the versions of ``key`` (latest first) as targets; clears any previous result."""
        self.key = key
        self.target.clear()
        versions = scorecards.list_versions(self.ws, key) if key else []
        for v in reversed(versions):
            self.target.addItem(f"{v.ref} — {v.change_note[:60]}", v.ref)
        self.report = None
        self.model.set_rows([])
        enabled = len(versions) > 1
        self.run_button.setEnabled(enabled)
        self.apply_button.setEnabled(False)
        if not key:
            self.summary.setText("Open a published scorecard to compare its versions.")
        elif not enabled:
            self.summary.setText(f"{key} has one version; publish another to compare.")
        else:
            self.summary.setText("Choose a target version and press “Run what-if”.")

    def _filters(self) -> dict:
        return {"agent": self.agent.text().strip() or None,
                "team": self.team.text().strip() or None,
                "period": self.period.text().strip() or None}  # fmt: skip

    def run(self) -> RescoreReport | None:
        ref = self.target.currentData()
        if not ref:
            return None
        self._run_filters = self._filters()
        try:
            report = evaluations.rescore(self.ws, ref, **self._run_filters)
        except QAStudioError as exc:
            self.report = None
            self.model.set_rows([])
            self.apply_button.setEnabled(False)
            self.summary.setText(f"<span style='color:#b91c1c'>{exc.message}</span>")
            return None
        self.report = report
        self.model.set_rows(report.items)
        migratable = bool(report.items) and not report.aggregate["not_migratable"]
        # The tip first: a read-only workspace's guard appends its reason when it is enabled.
        self.apply_button.setToolTip(
            "" if migratable else "Only possible when every evaluation can be re-scored in full."
        )
        self.apply_button.setEnabled(migratable)
        self.summary.setText(summary(report))
        return report

    def apply_migration(self) -> bool:
        report = self.report
        if report is None or not report.items:
            return False
        n = len(report.items)
        answer = QMessageBox.question(
            self, "Apply migration?",
            f"Move {n} evaluation{'' if n == 1 else 's'} to {report.to.ref} and store their new "
            "scores? Each change is audited and the evaluations' revision goes up by one.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            evaluations.rescore(self.ws, report.to.ref, apply=True, **self._run_filters)
        except QAStudioError as exc:
            QMessageBox.warning(
                self, "Migration refused", "\n".join([exc.message, *map(str, exc.details)])
            )
            return False
        self.migrationApplied.emit(report.to.ref, n)
        self.run()
        self.summary.setText(
            f"Migrated {n} evaluation{'' if n == 1 else 's'} to "
            f"{report.to.ref}. " + self.summary.text()
        )
        return True
