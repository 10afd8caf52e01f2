"""Scorecard versions: publishing, immutability enforced by the database, lookups."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from qa_studio.errors import DataRefused
from qa_studio.scorecards import loader
from qa_studio.scorecards.schema import ScorecardInvalid
from qa_studio.storage.repository import audit, scorecards
from tests.storage.eval_helpers import V2_WEIGHTS, WORKED_EXAMPLE, actions, audit_count


def test_publish_stores_text_digest_note_and_publisher(ws):
    v = scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    assert (v.key, v.version, v.name, v.channel) == ("voice_example", 1, "Voice example", "voice")
    assert v.yaml == WORKED_EXAMPLE
    assert v.sha256 == hashlib.sha256(WORKED_EXAMPLE.encode()).hexdigest()
    assert v.change_note == "First version" and v.published_by == "Test Evaluator"
    assert [q.key for q in v.card.questions()] == ["greet", "empathy", "idv", "cvv"]
    assert v.ref == "voice_example@1"


def test_publish_is_audited_with_uuids(ws):
    v = scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    row = ws.db.execute(
        "SELECT action, entity, entity_uuid, payload, actor FROM audit_log"
    ).fetchone()
    assert row[:3] == ("scorecard.publish", "scorecard_version", v.uuid)
    payload = json.loads(row[3])
    assert payload["version"] == 1 and payload["sha256"] == v.sha256
    assert payload["change_note"] == "First version" and "id" not in payload
    assert row[4] == "Test Evaluator"


def test_edited_yaml_becomes_version_2_and_version_1_is_kept(ws):
    v1 = scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    v2 = scorecards.publish(ws, V2_WEIGHTS, "Empathy now weighs 4")
    assert v2.version == 2 and v2.id != v1.id
    assert scorecards.get_version(ws, v1.id).yaml == WORKED_EXAMPLE
    assert scorecards.get_version(ws, v1.id).card.question("empathy").weight == 2
    assert v2.card.question("empathy").weight == 4
    assert scorecards.latest(ws, "voice_example").id == v2.id
    assert [v.version for v in scorecards.list_versions(ws, "voice_example")] == [1, 2]
    assert scorecards.list_cards(ws) == [("voice_example", "Voice example", "voice", 2)]
    assert actions(ws) == ["scorecard.publish", "scorecard.publish"]


@pytest.mark.parametrize("note", ["", "   ", None])
def test_publish_without_a_note_is_refused(ws, note):
    with pytest.raises(DataRefused, match="change note is required"):
        scorecards.publish(ws, WORKED_EXAMPLE, note)
    assert scorecards.list_versions(ws) == [] and audit_count(ws) == 0


def test_identical_yaml_is_refused(ws):
    scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    with pytest.raises(DataRefused, match="no changes since version 1"):
        scorecards.publish(ws, WORKED_EXAMPLE, "again")
    assert len(scorecards.list_versions(ws)) == 1 and audit_count(ws) == 1


def test_invalid_yaml_is_refused_with_file_and_line(ws):
    bad = WORKED_EXAMPLE.replace("weight: 3", "weight: -3")
    with pytest.raises(ScorecardInvalid) as err:
        scorecards.publish(ws, bad, "broken", filename="voice.yaml")
    assert "voice.yaml:" in str(err.value) and "weight: must be > 0" in str(err.value)
    assert scorecards.list_versions(ws) == [] and audit_count(ws) == 0


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE scorecard_versions SET yaml = 'key: x' WHERE version = 1",
        "UPDATE scorecard_versions SET change_note = 'rewritten' WHERE version = 1",
        "DELETE FROM scorecard_versions WHERE version = 1",
    ],
)
def test_the_database_refuses_to_change_a_published_version(ws, sql):
    scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        ws.db.execute(sql)
    assert scorecards.latest(ws, "voice_example").yaml == WORKED_EXAMPLE


def test_find_by_key_and_version(ws):
    v1 = scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    v2 = scorecards.publish(ws, V2_WEIGHTS, "weights")
    assert scorecards.find(ws, "voice_example").id == v2.id
    assert scorecards.find(ws, "voice_example@1").id == v1.id
    with pytest.raises(DataRefused, match="has no version 7; its latest is version 2"):
        scorecards.find(ws, "voice_example@7")
    with pytest.raises(
        DataRefused,
        match=r"no published scorecard 'nope' \(published: "
        r"voice_example\)",
    ):
        scorecards.find(ws, "nope")
    with pytest.raises(DataRefused, match="not a scorecard reference"):
        scorecards.find(ws, "Voice Example!")
    with pytest.raises(DataRefused, match="no scorecard version with id 999"):
        scorecards.get_version(ws, 999)


def test_publish_builtins_once(ws):
    first = scorecards.publish_builtins(ws)
    assert sorted(v.key for v in first) == sorted(loader.builtin_keys())
    assert all(v.version == 1 and v.change_note == scorecards.BUILTIN_NOTE for v in first)
    assert scorecards.publish_builtins(ws) == []
    assert audit_count(ws) == len(first)
    assert audit.verify(ws.db).ok


def test_a_version_1_workspace_gains_the_rules_when_opened(tmp_path):
    """m002 upgrades an existing workspace: backup first, then the triggers guard its versions."""
    from qa_studio.storage.db import backup_path, open_workspace

    path = tmp_path / "old.qaw"
    ws = open_workspace(path)
    scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    with ws.db.atomic():  # turn the file back into what schema version 1 wrote
        for (name,) in ws.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            ws.db.execute(f'DROP TRIGGER "{name}"')
        ws.db.execute("DROP INDEX evaluations_interaction_evaluator")
        ws.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_evaluation_rules'")
        ws.db.execute("PRAGMA user_version = 1")
    ws.close()
    upgraded = open_workspace(path)
    try:
        assert upgraded.db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert backup_path(path, 1).exists()
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            upgraded.db.execute("DELETE FROM scorecard_versions")
    finally:
        upgraded.close()
