"""The settings dialog: user preferences to QSettings, workspace policies to the workspace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from qa_studio.services.settings import Settings
from qa_studio.storage.repository import workspace_settings as wss
from qa_studio.storage.repository.evaluators import add_evaluator
from qa_studio.storage.repository.scorecards import publish_builtins
from qa_studio.ui.views.settings_dialog import NO_DEFAULT, SettingsDialog


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def dialog(qtbot, ws, settings):
    add_evaluator(ws, "Priya Shah")
    add_evaluator(ws, "Tom Reed")
    publish_builtins(ws)
    settings.set_evaluator_name("Tom Reed")
    settings.set_default_scorecard("chat", "chat_service")
    dlg = SettingsDialog(settings, ws)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_it_shows_the_current_values(dialog):
    assert dialog.evaluator.currentText() == "Tom Reed"
    assert [dialog.evaluator.itemText(i) for i in range(dialog.evaluator.count())] == [
        "Priya Shah",
        "Tom Reed",
    ]
    assert dialog.default_cards["chat"].currentData() == "chat_service"
    assert dialog.default_cards["voice"].currentText() == NO_DEFAULT
    # the voice card is offered first for voice
    assert dialog.default_cards["voice"].itemData(1) == "voice_service"
    assert dialog.tolerance.value() == 5.0
    assert dialog.evidence_width.value() == 10.0
    assert not dialog.redact.isChecked()
    assert not dialog.retention_on.isChecked()
    assert not dialog.retention.isEnabled()
    assert dialog.workspace_group.isEnabled()


def test_ok_stores_user_and_workspace_settings(qtbot, dialog, ws, settings):
    dialog.evaluator.setCurrentText("Priya Shah")
    voice = dialog.default_cards["voice"]
    voice.setCurrentIndex(voice.findData("compliance"))
    dialog.default_cards["chat"].setCurrentIndex(0)
    dialog.tolerance.setValue(3.0)
    dialog.evidence_width.setValue(8.0)
    qtbot.mouseClick(dialog.redact, _left())
    dialog.retention_on.setChecked(True)
    assert dialog.retention.isEnabled()
    dialog.retention.setValue(24)
    with qtbot.waitSignal(dialog.settingsSaved) as saved:
        dialog.buttons.accepted.emit()
    assert saved.args == [["tolerance", "evidence_width", "redact_on_import", "retention_months"]]
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert settings.evaluator_name() == "Priya Shah"
    assert settings.default_scorecard("voice") == "compliance"
    assert settings.default_scorecard("chat") is None
    assert wss.load(ws) == wss.WorkspaceSettings(3.0, 8.0, True, 24)
    audited = ws.db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'setting_changed'"
    ).fetchone()[0]
    assert audited == 4


def test_cancel_stores_nothing(dialog, ws, settings):
    dialog.evaluator.setCurrentText("Somebody Else")
    dialog.tolerance.setValue(2.0)
    dialog.buttons.rejected.emit()
    assert settings.evaluator_name() == "Tom Reed"
    assert wss.tolerance(ws) == 5.0


def test_a_refused_workspace_value_keeps_the_dialog_open_and_stores_nothing(
    dialog, ws, settings, monkeypatch
):
    # The spin boxes cannot go out of range, so a stored-side refusal is forced through the
    # values the dialog hands over.
    monkeypatch.setattr(dialog, "workspace_values", lambda: wss.WorkspaceSettings(tolerance=99.0))
    dialog.evaluator.setCurrentText("Somebody Else")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "Calibration tolerance must be between 0.5 and 50" in dialog.error_label.text()
    assert settings.evaluator_name() == "Tom Reed"
    assert wss.tolerance(ws) == 5.0


def test_without_a_workspace_only_the_user_part_is_editable(qtbot, settings):
    dlg = SettingsDialog(settings, None)
    qtbot.addWidget(dlg)
    assert not dlg.workspace_group.isEnabled()
    assert "no workspace open" in dlg.workspace_group.title()
    # built-in scorecards are still offered as defaults
    assert dlg.default_cards["email"].findData("email_service") > 0
    dlg.evaluator.setCurrentText("Ann Lee")
    dlg.buttons.accepted.emit()
    assert settings.evaluator_name() == "Ann Lee"


def test_a_remembered_default_missing_from_the_workspace_is_kept(qtbot, ws, settings):
    settings.set_default_scorecard("task", "back_office_v2")
    dlg = SettingsDialog(settings, ws)
    qtbot.addWidget(dlg)
    combo = dlg.default_cards["task"]
    assert combo.currentData() == "back_office_v2"
    assert "not in this workspace" in combo.currentText()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
