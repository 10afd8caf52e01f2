"""``retention``, ``sar`` and ``regulations`` on the command line: JSON documents, exit codes."""

from __future__ import annotations

import json
import zipfile

import pytest

from qa_studio.domain.models import Interaction, Transcript, Turn
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.interactions import (
    interaction_id,
    set_transcript,
    upsert_interactions,
)
from tests.storage.eval_helpers import WORKED_EXAMPLE


@pytest.fixture
def db(tmp_path):
    """OLD-CHAT (2020, purgeable), OLD-VOICE (2024, inside the 60-month floor), NEW (recent)."""
    path = tmp_path / "privacy.qaw"
    ws = open_workspace(path)
    try:
        ws.media_dir.mkdir()
        with ws.db.atomic():
            upsert_interactions(
                ws,
                [
                    Interaction(
                        external_id=ext,
                        channel=channel,
                        started_at=at,
                        agent_external_id="A1",
                        agent_name="Alex Agent",
                        customer_ref="CUST-9",
                        recording_path=f"privacy.media/{ext}.wav",
                    )
                    for ext, channel, at in (
                        ("OLD-CHAT", "chat", "2020-01-01T09:00:00Z"),
                        ("OLD-VOICE", "voice", "2024-01-01T09:00:00Z"),
                        ("NEW", "chat", "2099-01-01T09:00:00Z"),
                    )
                ],
            )
            for ext in ("OLD-CHAT", "OLD-VOICE", "NEW"):
                (ws.media_dir / f"{ext}.wav").write_bytes(b"RIFF")
                set_transcript(
                    ws, interaction_id(ws, ext), Transcript("plain", (Turn("C", "customer", "hi"),))
                )
        scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    finally:
        ws.close()
    return path


def _json(run_cli, db, *argv):
    code, out, _ = run_cli("--db", str(db), *argv, "--json")
    return code, json.loads(out)


def test_preview_then_purge(run_cli, db):
    code, preview = _json(run_cli, db, "retention", "preview", "--months", "12")
    assert code == 0
    assert preview["interactions"] == 1 and preview["held"]["floor"] == 1
    assert preview["examples"][0]["external_id"] == "OLD-CHAT"
    code, purged = _json(run_cli, db, "retention", "purge", "--months", "12")
    assert code == 0 and purged["interactions"] == 1 and len(purged["files_deleted"]) == 1
    assert not (db.parent / "privacy.media" / "OLD-CHAT.wav").exists()
    assert (db.parent / "privacy.media" / "OLD-VOICE.wav").exists()
    code, verify = _json(run_cli, db, "audit", "verify")
    assert code == 0 and verify["ok"]


def test_floor_can_be_lowered(run_cli, db):
    code, doc = _json(run_cli, db, "retention", "floor", "--set", "0")
    assert code == 0 and doc == {"floor_months": 0}
    _, preview = _json(run_cli, db, "retention", "preview", "--months", "12")
    assert preview["interactions"] == 2 and preview["held"]["floor"] == 0


def test_purge_without_a_policy_is_refused(run_cli, db):
    code, doc = _json(run_cli, db, "retention", "purge")
    assert code == 1 and "No retention policy" in doc["error"]["message"]


def test_sar_customer_and_agent(run_cli, db, tmp_path):
    out = tmp_path / "cust.zip"
    code, doc = _json(run_cli, db, "sar", "--customer", "CUST-9", "--out", str(out))
    assert code == 0 and doc["counts"]["interactions"] == 3
    with zipfile.ZipFile(out) as zf:
        assert "summary.xlsx" in zf.namelist()
    code, doc = _json(run_cli, db, "sar", "--agent", "A1", "--out", str(tmp_path / "a.zip"))
    assert code == 0 and doc["counts"]["interactions"] == 3
    code, doc = _json(run_cli, db, "sar", "--agent", "ZZ", "--out", str(tmp_path / "z.zip"))
    assert code == 1 and "no agent" in doc["error"]["message"]
    code, doc = _json(run_cli, db, "sar", "--customer", "X", "--out", str(tmp_path / "x.txt"))
    assert code == 2


def test_regulations_list_and_reviewed(run_cli, db):
    code, doc = _json(run_cli, db, "regulations", "list")
    assert code == 0 and doc["overdue"] == 2
    code, entry = _json(run_cli, db, "regulations", "reviewed", "PCI DSS 3.3.1", "--by", "Lee")
    assert code == 0 and entry["last_reviewed_by"] == "Lee" and not entry["overdue"]
    _, doc = _json(run_cli, db, "regulations", "list")
    assert doc["overdue"] == 1
    code, err = _json(run_cli, db, "regulations", "reviewed", "Nope")
    assert code == 1 and "no published scorecard cites" in err["error"]["message"]
    code, out, _ = run_cli("--db", str(db), "regulations", "list")
    assert code == 0 and "OVERDUE" in out and "1 overdue" in out
