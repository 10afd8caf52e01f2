"""Retention purge: what goes, what stays (scores, legal holds, the floor), the audit chain, and
all-or-nothing behaviour with the recording files."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from qa_studio.domain.models import Evaluator, Interaction, Transcript, Turn
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import (
    audit,
    complaints,
    disputes,
    evaluations,
    people,
    retention,
    scorecards,
)
from qa_studio.storage.repository import workspace_settings as settings
from qa_studio.storage.repository.interactions import (
    get_transcript,
    interaction_id,
    set_transcript,
    upsert_interactions,
)
from tests.storage.eval_helpers import GOOD, WORKED_EXAMPLE

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
OLD = "2024-01-05T10:00:00Z"  # 34 months before NOW
RECENT = "2026-10-05T10:00:00Z"


def _signed_off(ws, iid: int, version_id: int) -> int:
    e = evaluations.start(ws, iid, version_id, "Ann")
    evaluations.save_answers(ws, e.id, GOOD)
    evaluations.set_comment(ws, e.id, "Good call")
    evaluations.submit(ws, e.id)
    evaluations.sign_off(ws, e.id, "Ann")
    return e.id


@pytest.fixture
def data(ws):
    """OLD-1 chat (purged), OLD-2 voice (floor), OLD-3 chat (open complaint), OLD-4 chat (open
    dispute), OLD-5 chat with a signed-off evaluation (purged), NEW-1 chat (too recent); each with
    a transcript, a recording inside NAME.media/ and a customer reference."""
    ws.media_dir.mkdir()
    specs = [
        ("OLD-1", "chat", OLD),
        ("OLD-2", "voice", OLD),
        ("OLD-3", "chat", OLD),
        ("OLD-4", "chat", OLD),
        ("OLD-5", "chat", OLD),
        ("NEW-1", "chat", RECENT),
    ]
    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Ann"))
        people.ensure_evaluator(ws, Evaluator(None, "Lee", role="qa_lead"))
        upsert_interactions(
            ws,
            [
                Interaction(
                    external_id=ext,
                    channel=channel,
                    started_at=at,
                    agent_external_id="A1",
                    agent_name="Alex Agent",
                    customer_ref=f"CUST-{ext}",
                    recording_path=f"test.media/{ext}.wav",
                )
                for ext, channel, at in specs
            ],
        )
        for ext, _, _ in specs:
            (ws.media_dir / f"{ext}.wav").write_bytes(b"RIFF")
            set_transcript(
                ws,
                interaction_id(ws, ext),
                Transcript("plain", (Turn("Cust", "customer", f"I am CUST-{ext}"),)),
            )
        audit.append(ws, "note", "interaction", None, {"customer": "CUST-OLD-1"})
    v1 = scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    ids = {ext: interaction_id(ws, ext) for ext, _, _ in specs}
    complaints.create_from_interaction(ws, ids["OLD-3"], "Service")
    eid4 = _signed_off(ws, ids["OLD-4"], v1.id)
    disputes.raise_dispute(ws, eid4, "greet", "I did greet", agent="A1")
    eid5 = _signed_off(ws, ids["OLD-5"], v1.id)
    return {"ids": ids, "eval5": eid5}


def _row(ws, ext: str) -> tuple:
    return ws.db.execute(
        "SELECT customer_ref, recording_path FROM interactions WHERE external_id = ?", [ext]
    ).fetchone()


def test_preview_lists_what_goes_and_what_is_held(ws, data):
    plan = retention.preview(ws, 12, now=NOW)
    assert plan.interactions == 2 and plan.transcripts == 2 and plan.recordings == 2
    assert plan.held == {"complaint": 1, "dispute": 1, "floor": 1}
    assert [e["external_id"] for e in plan.examples] == ["OLD-1", "OLD-5"]
    assert plan.audit_payloads >= 1
    # a preview changes nothing
    assert _row(ws, "OLD-1") == ("CUST-OLD-1", "test.media/OLD-1.wav")


def test_purge_removes_personal_data_and_keeps_scores(ws, data):
    before = retention.preview(ws, 12, now=NOW)
    score_before = evaluations.get(ws, data["eval5"]).percent
    result = retention.purge(ws, 12, now=NOW)
    assert result.plan.as_dict() == before.as_dict()  # preview matches purge
    for ext in ("OLD-1", "OLD-5"):
        assert _row(ws, ext) == (None, None)
        assert get_transcript(ws, data["ids"][ext]) is None
        assert not (ws.media_dir / f"{ext}.wav").exists()
    assert len(result.files_deleted) == 2
    for ext in ("OLD-2", "OLD-3", "OLD-4", "NEW-1"):  # floor, complaint, dispute, recent
        assert _row(ws, ext) == (f"CUST-{ext}", f"test.media/{ext}.wav")
        assert get_transcript(ws, data["ids"][ext]) is not None
        assert (ws.media_dir / f"{ext}.wav").exists()
    kept = evaluations.get(ws, data["eval5"])
    assert kept.status == "signed_off" and kept.percent == score_before
    answers = ws.db.execute(
        "SELECT count(*) FROM answers WHERE evaluation_id = ?", [data["eval5"]]
    ).fetchone()[0]
    assert answers == 4
    # nothing left to purge: a second run finds nothing
    assert retention.preview(ws, 12, now=NOW).interactions == 0


def test_purge_blanks_audit_payloads_and_the_chain_still_verifies(ws, data):
    retention.purge(ws, 12, now=NOW)
    blanked = ws.db.execute("SELECT count(*) FROM audit_log WHERE payload IS NULL").fetchone()[0]
    assert blanked >= 1
    texts = [r[0] for r in ws.db.execute("SELECT payload FROM audit_log WHERE payload IS NOT NULL")]
    assert not any("CUST-OLD-1" in t or "CUST-OLD-5" in t for t in texts)
    assert any("CUST-OLD-3" in t for t in texts)  # the held complaint's audit stays readable
    result = audit.verify(ws.db)
    assert result.ok, result.message
    last = ws.db.execute(
        "SELECT action, os_user, payload FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert last[0] == "retention.purge" and last[1]
    assert json.loads(last[2])["interactions"] == 2


def test_a_customer_reference_still_in_use_keeps_its_audit_payloads(ws, data):
    ws.db.execute(
        "UPDATE interactions SET customer_ref = 'SHARED' "
        "WHERE external_id IN ('OLD-1', 'OLD-5', 'NEW-1')"
    )
    with ws.db.atomic():
        audit.append(ws, "note", "customer", None, {"customer": "SHARED"})
    retention.purge(ws, 12, now=NOW)
    texts = [r[0] for r in ws.db.execute("SELECT payload FROM audit_log WHERE payload IS NOT NULL")]
    assert any('"SHARED"' in t for t in texts)  # NEW-1 still carries the reference
    assert _row(ws, "NEW-1")[0] == "SHARED" and _row(ws, "OLD-1")[0] is None


def test_floor_zero_releases_old_voice_calls(ws, data):
    retention.set_floor_months(ws, 0)
    plan = retention.preview(ws, 12, now=NOW)
    assert plan.held["floor"] == 0 and plan.interactions == 3
    # a floor shorter than the recording's age no longer holds it either
    retention.set_floor_months(ws, 24)
    assert retention.preview(ws, 12, now=NOW).held["floor"] == 0
    retention.set_floor_months(ws, 60)
    assert retention.preview(ws, 12, now=NOW).held["floor"] == 1


def test_closed_complaint_no_longer_holds(ws, data):
    ws.db.execute("UPDATE complaints SET status = 'closed'")
    assert retention.preview(ws, 12, now=NOW).held["complaint"] == 0


def test_ombudsman_case_holds_even_when_closed(ws, data):
    ws.db.execute(
        "UPDATE complaints SET status = 'closed', ombudsman_referral_at = '2024-03-01T00:00:00Z'"
    )
    assert retention.preview(ws, 12, now=NOW).held["complaint"] == 1


def test_a_failure_mid_purge_changes_nothing(ws, data, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    original = retention._blank

    def half(ws_, plan, rows):
        original(ws_, plan, rows)
        boom()

    monkeypatch.setattr(retention, "_blank", half)
    seq_before = audit.head(ws.db, ws.uuid).seq
    with pytest.raises(RuntimeError, match="disk full"):
        retention.purge(ws, 12, now=NOW)
    assert _row(ws, "OLD-1") == ("CUST-OLD-1", "test.media/OLD-1.wav")
    assert get_transcript(ws, data["ids"]["OLD-1"]) is not None
    assert all((ws.media_dir / f"{ext}.wav").exists() for ext in ("OLD-1", "OLD-5"))
    assert ws.db.execute("SELECT count(*) FROM audit_log WHERE payload IS NULL").fetchone()[0] == 0
    assert audit.head(ws.db, ws.uuid).seq == seq_before


def test_recordings_outside_the_workspace_are_unlinked_but_not_deleted(ws, data, tmp_path):
    outside = tmp_path / "elsewhere.wav"
    outside.write_bytes(b"RIFF")
    ws.db.execute(
        "UPDATE interactions SET recording_path = ? WHERE external_id = 'OLD-1'", [str(outside)]
    )
    result = retention.purge(ws, 12, now=NOW)
    assert result.files_kept_external == (str(outside),)
    assert outside.exists() and _row(ws, "OLD-1") == (None, None)


def test_policy_comes_from_the_workspace_setting(ws, data):
    with pytest.raises(DataRefused, match="No retention policy"):
        retention.preview(ws, now=NOW)
    settings.set_retention_months(ws, 12)
    assert retention.preview(ws, now=NOW).interactions == 2
    with pytest.raises(DataRefused, match="at least 1"):
        retention.preview(ws, 0, now=NOW)


def test_months_before_clamps_to_month_end():
    assert retention.months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(
        2026, 2, 28, tzinfo=UTC
    )
    assert retention.months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(
        2024, 12, 15, tzinfo=UTC
    )
