"""Workspace-level settings: defaults, typed round trip, validation, one audit row per change."""

from __future__ import annotations

import json

import pytest

from qa_studio.errors import DataRefused
from qa_studio.storage.repository import audit
from qa_studio.storage.repository import workspace_settings as wss


def _audit_rows(ws) -> list[dict]:
    rows = ws.db.execute(
        "SELECT action, payload FROM audit_log WHERE action = 'setting_changed' ORDER BY seq"
    ).fetchall()
    return [json.loads(payload) for _action, payload in rows]


def test_a_new_workspace_has_the_documented_defaults(ws):
    assert wss.load(ws) == wss.WorkspaceSettings(5.0, 10.0, False, None)
    assert wss.tolerance(ws) == 5.0
    assert wss.evidence_width(ws) == 10.0
    assert wss.redact_on_import(ws) is False
    assert wss.retention_months(ws) is None


def test_saving_changes_round_trips_and_audits_each_changed_field(ws):
    changed = wss.save(ws, wss.WorkspaceSettings(3.5, 12.0, True, 24))
    assert changed == ["tolerance", "evidence_width", "redact_on_import", "retention_months"]
    assert wss.load(ws) == wss.WorkspaceSettings(3.5, 12.0, True, 24)
    rows = _audit_rows(ws)
    assert [r["key"] for r in rows] == [
        wss.KEY_TOLERANCE,
        wss.KEY_EVIDENCE_WIDTH,
        wss.KEY_REDACT_ON_IMPORT,
        wss.KEY_RETENTION_MONTHS,
    ]
    assert rows[0] == {"key": wss.KEY_TOLERANCE, "old": 5.0, "new": 3.5}
    assert rows[3] == {"key": wss.KEY_RETENTION_MONTHS, "old": None, "new": 24}
    assert audit.verify(ws.db).ok


def test_saving_the_same_values_writes_nothing(ws):
    wss.set_tolerance(ws, 4)
    assert wss.set_tolerance(ws, 4) == []
    assert len(_audit_rows(ws)) == 1


def test_turning_retention_off_removes_the_row(ws):
    wss.set_retention_months(ws, 60)
    assert wss.retention_months(ws) == 60
    assert wss.set_retention_months(ws, None) == ["retention_months"]
    assert wss.retention_months(ws) is None
    stored = ws.db.execute(
        "SELECT count(*) FROM settings WHERE key = ?", [wss.KEY_RETENTION_MONTHS]
    ).fetchone()[0]
    assert stored == 0


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("tolerance", 0.0, "Calibration tolerance must be between 0.5 and 50"),
        ("tolerance", 75.0, "got 75"),
        ("evidence_width", 0.2, "Evidence width must be between 1 and 50"),
        ("retention_months", 0, "Retention must be between 1 and 1200"),
        ("retention_months", 2.5, "whole number of months"),
        ("retention_months", True, "whole number of months"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_written(ws, field, value, words):
    from dataclasses import replace

    wss.set_redact_on_import(ws, True)
    before = wss.load(ws)
    with pytest.raises(DataRefused) as caught:
        wss.save(ws, replace(before, redact_on_import=False, **{field: value}))
    assert words in caught.value.message
    assert wss.load(ws) == before  # the valid redaction change was not written either
    assert len(_audit_rows(ws)) == 1


def test_an_unreadable_stored_value_falls_back_to_the_default(ws):
    from qa_studio.storage.repository.workspace_info import set_setting

    set_setting(ws.db, wss.KEY_TOLERANCE, "five")
    set_setting(ws.db, wss.KEY_RETENTION_MONTHS, "many")
    assert wss.tolerance(ws) == wss.DEFAULT_TOLERANCE
    assert wss.retention_months(ws) is None
