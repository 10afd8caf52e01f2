"""Edit ▸ Settings…: the user's own preferences and the open workspace's policies in one dialog.

Two groups because they are stored, and owned, differently: "You, on this computer" (evaluator
name, default scorecard per channel) goes to ``QSettings`` through ``services.settings``; "This
workspace" (calibration tolerance, "not enough evidence" width, redaction on import, retention)
is written to the workspace's ``settings`` table by ``workspace_settings.save`` in one
transaction with an audit row per change, because it governs everybody's data. With no workspace
open, or one open read-only, that group is disabled and says why (and nothing is written to the
workspace on OK); the personal group is still saved. The dialog is a window of its own, so it
asks its workspace rather than ``ui.write_guard``, which follows the main window.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain.models import CHANNELS
from qa_studio.errors import QAStudioError
from qa_studio.scorecards.loader import builtin_keys
from qa_studio.services.settings import Settings
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import workspace_settings as wss
from qa_studio.storage.repository.evaluators import list_evaluators
from qa_studio.storage.repository.scorecards import list_cards

NO_DEFAULT = "(ask each time)"


class SettingsDialog(QDialog):
    """Shows the current values; OK validates and stores them (nothing is stored on Cancel)."""

    settingsSaved = Signal(list)  # names of the workspace settings that changed

    def __init__(
        self, settings: Settings, workspace: Workspace | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        self.workspace = workspace
        layout = QVBoxLayout(self)
        layout.addWidget(self._user_group())
        layout.addWidget(self._workspace_group())
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons
        self._load()

    # -- building -------------------------------------------------------------------------------

    def _user_group(self) -> QGroupBox:
        group = QGroupBox("You, on this computer")
        form = QFormLayout(group)
        self.evaluator = QComboBox()
        self.evaluator.setEditable(True)
        self.evaluator.setToolTip("The name your evaluations are recorded under.")
        form.addRow("Evaluator name:", self.evaluator)
        self.default_cards: dict[str, QComboBox] = {}
        for channel in CHANNELS:
            combo = QComboBox()
            self.default_cards[channel] = combo
            form.addRow(f"Default scorecard, {channel}:", combo)
        return group

    def _workspace_group(self) -> QGroupBox:
        name = self.workspace.path.name if self.workspace is not None else "no workspace open"
        group = QGroupBox(f"This workspace ({name})")
        form = QFormLayout(group)
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setRange(*wss.TOLERANCE_RANGE)
        self.tolerance.setSingleStep(0.5)
        self.tolerance.setDecimals(1)
        self.tolerance.setPrefix("± ")
        self.tolerance.setSuffix(" points")
        self.tolerance.setToolTip(
            "An evaluator within this many points of the expert is calibrated."
        )
        form.addRow("Calibration tolerance:", self.tolerance)
        self.evidence_width = QDoubleSpinBox()
        self.evidence_width.setRange(*wss.EVIDENCE_WIDTH_RANGE)
        self.evidence_width.setSingleStep(1.0)
        self.evidence_width.setDecimals(1)
        self.evidence_width.setPrefix("± ")
        self.evidence_width.setSuffix(" points")
        self.evidence_width.setToolTip(
            "Figures whose confidence interval is wider than this read “not enough evidence”."
        )
        form.addRow("“Not enough evidence” beyond:", self.evidence_width)
        self.redact = QCheckBox("Redact card numbers, phones, e-mails and bank details")
        form.addRow("Transcripts on import:", self.redact)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.retention_on = QCheckBox("Delete recordings and transcripts after")
        self.retention = QSpinBox()
        self.retention.setRange(*wss.RETENTION_RANGE)
        self.retention.setSuffix(" months")
        self.retention_on.toggled.connect(self.retention.setEnabled)
        line.addWidget(self.retention_on)
        line.addWidget(self.retention)
        line.addStretch(1)
        form.addRow("Retention:", row)
        if self.workspace is None:
            group.setEnabled(False)
            group.setToolTip("Open a workspace to change its settings.")
        elif self.workspace.read_only:
            group.setEnabled(False)
            group.setTitle(f"This workspace ({name}, read-only)")
            group.setToolTip("The workspace is open read-only: its settings cannot be changed.")
        self.workspace_group = group
        return group

    def _load(self) -> None:
        names = [e.name for e in list_evaluators(self.workspace)] if self.workspace else []
        current = self.settings.evaluator_name()
        self.evaluator.addItems(names)
        self.evaluator.setCurrentText(current or "")
        cards = list_cards(self.workspace) if self.workspace is not None else []
        known = {key: f"{key} — {name}" for key, name, _channel, _v in cards}
        for key in builtin_keys():
            known.setdefault(key, f"{key} (built in)")
        for channel, combo in self.default_cards.items():
            combo.addItem(NO_DEFAULT, None)
            # Cards for this channel first, then every other card.
            ordered = [k for k, _n, ch, _v in cards if ch == channel]
            ordered += [k for k in sorted(known) if k not in ordered]
            for key in ordered:
                combo.addItem(known[key], key)
            chosen = self.settings.default_scorecard(channel)
            if chosen and combo.findData(chosen) < 0:
                combo.addItem(f"{chosen} (not in this workspace)", chosen)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        values = wss.load(self.workspace) if self.workspace is not None else wss.WorkspaceSettings()
        self.tolerance.setValue(values.tolerance)
        self.evidence_width.setValue(values.evidence_width)
        self.redact.setChecked(values.redact_on_import)
        self.retention_on.setChecked(values.retention_months is not None)
        self.retention.setValue(values.retention_months or 72)
        self.retention.setEnabled(values.retention_months is not None)

    # -- saving ---------------------------------------------------------------------------------

    def workspace_values(self) -> wss.WorkspaceSettings:
        return wss.WorkspaceSettings(
            tolerance=self.tolerance.value(),
            evidence_width=self.evidence_width.value(),
            redact_on_import=self.redact.isChecked(),
            retention_months=self.retention.value() if self.retention_on.isChecked() else None,
        )

    def accept(self) -> None:
        """Store the workspace part first: if it is refused, nothing at all is stored."""
        changed: list[str] = []
        if self.workspace is not None and not self.workspace.read_only:
            try:
                changed = wss.save(self.workspace, self.workspace_values())
            except QAStudioError as exc:
                self.error_label.setText(" ".join([exc.message, *map(str, exc.details)]))
                self.error_label.show()
                return
        self.settings.set_evaluator_name(self.evaluator.currentText().strip() or None)
        for channel, combo in self.default_cards.items():
            self.settings.set_default_scorecard(channel, combo.currentData())
        self.settings.sync()
        self.settingsSaved.emit(changed)
        super().accept()
