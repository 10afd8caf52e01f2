"""Lead → assignment bundle → evaluator's laptop → scored → results bundle → lead, without loss."""

from __future__ import annotations

import pytest

from qa_studio.bundles import api
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import audit, evaluations, scorecards
from qa_studio.storage.repository.interactions import get_transcript, interaction_id
from tests.bundles.helpers import (
    GOOD,
    add_sample,
    audit_rows,
    build_lead,
    open_ws,
    rows_by_uuid,
    score_all,
    send_and_score,
    snapshot,
)
from tests.storage.eval_helpers import V2_WEIGHTS, WORKED_EXAMPLE


@pytest.fixture
def lead(tmp_path):
    ws = build_lead(tmp_path / "lead.qaw")
    yield ws
    ws.close()


def test_assignment_opens_on_a_new_laptop_ready_to_score(tmp_path, lead):
    preview = api.send_preview(lead, "Ann")
    assert (preview.sample_items, preview.interactions, preview.recordings) == (2, 2, 2)
    exported = api.export_assignment(lead, tmp_path / "ann.qab", "Ann")
    assert exported.counts["interactions"] == 2 and exported.media_files == 2
    assert exported.audit_head["origin_uuid"] == lead.uuid
    assert audit.head(lead.db, lead.uuid).seq == exported.audit_head["seq"] + 1  # the export row

    laptop = open_ws(tmp_path / "laptop" / "ann.qaw", "Ann")
    result = api.import_bundle(laptop, tmp_path / "ann.qab")
    assert result.inserted["interactions"] == 2 and result.inserted["sample_items"] == 2
    assert result.media_files == 2 and result.drafts_started == 2
    # the interactions arrive whole: agent, team, queue, tags, transcript, playable recording
    row = laptop.db.execute(
        "SELECT i.queue, i.tags, i.csat, a.external_id, a.name, t.name, i.recording_path "
        "FROM interactions i JOIN agents a ON a.id = i.agent_id JOIN teams t ON t.id = a.team_id "
        "WHERE i.external_id = 'INT-1'"
    ).fetchone()
    assert row[:6] == ("Billing", '["vip"]', 4, "A1", "Alex Agent", "Blue")
    assert row[6].startswith("ann.media/")
    assert laptop.resolve_media(row[6]).read_bytes() == bytes([1]) * 2001
    assert get_transcript(laptop, interaction_id(laptop, "INT-1")).turns[0].speaker == "Alex"
    # the same uuids as the lead's rows
    assert set(rows_by_uuid(laptop, "interactions")) <= set(rows_by_uuid(lead, "interactions"))
    # the items are in the evaluator's queue, each with a draft on the sample's scorecard
    queue = api.queue_for(laptop, "Ann")
    assert sorted(q.external_id for q in queue) == ["INT-1", "INT-3"]
    drafts = evaluations.drafts(laptop, "Ann")
    assert [(d.source, d.sample_id is not None) for d in drafts] == [("sample", True)] * 2
    assert not list((tmp_path / "laptop" / "ann.media").glob(".incoming-*"))
    assert audit.verify(laptop.db).ok
    laptop.close()


def test_round_trip_keeps_evaluations_answers_notes_and_audit_identical(tmp_path, lead):
    laptop = send_and_score(tmp_path, lead, "Ann")
    evaluations.sign_off(laptop, evaluations.list_for_interaction(
        laptop, interaction_id(laptop, "INT-1"))[0].id, "Ann")  # fmt: skip
    out = api.export_results(laptop, tmp_path / "results.qab")
    assert out.counts["evaluations"] == 2 and out.counts["audit_log"] > 10

    result = api.import_bundle(lead, tmp_path / "results.qab", expect_kind="results")
    assert result.inserted == {
        "evaluations": 2, "answers": 8, "answer_notes": 2,
        "audit_log": out.counts["audit_log"],
    }  # fmt: skip
    assert result.conflicts == [] and not result.dry_run
    for table in ("evaluations", "answers", "answer_notes"):
        assert rows_by_uuid(lead, table) == rows_by_uuid(laptop, table), table
    # the laptop's chain arrives verbatim, up to the head named in the manifest (the export's
    # own audit row comes after it and travels next time)
    sent = {u: r for u, r in audit_rows(laptop, laptop.uuid).items()
            if r["seq"] <= out.audit_head["seq"]}  # fmt: skip
    assert audit_rows(lead, laptop.uuid) == sent
    check = audit.verify(lead.db)
    assert check.ok and check.chains == 2
    signed = [e for e in evaluations.list_for_interaction(lead, interaction_id(lead, "INT-1"))]
    assert signed[0].status == "signed_off" and signed[0].answers == GOOD
    assert [n.text for n in signed[0].notes] == ["Good opening"]

    # a second import of the same bundle changes nothing at all
    before = snapshot(lead)
    again = api.import_bundle(lead, tmp_path / "results.qab")
    assert again.already_imported and again.inserted == {} and again.updated == {}
    assert again.skipped["evaluations"] == 2
    assert snapshot(lead) == before
    laptop.close()


def test_assignment_imported_twice_changes_nothing(tmp_path, lead):
    api.export_assignment(lead, tmp_path / "a.qab", "Ann")
    laptop = open_ws(tmp_path / "l" / "ann.qaw", "Ann")
    api.import_bundle(laptop, tmp_path / "a.qab")
    before = snapshot(laptop)
    files = sorted(p for p in laptop.media_dir.rglob("*"))
    again = api.import_bundle(laptop, tmp_path / "a.qab")
    assert again.already_imported and again.drafts_started == 0
    assert snapshot(laptop) == before
    assert sorted(p for p in laptop.media_dir.rglob("*")) == files
    laptop.close()


def test_a_newer_assignment_updates_the_laptop_and_keeps_its_recordings(tmp_path, lead):
    api.export_assignment(lead, tmp_path / "a1.qab", "Ann")
    laptop = open_ws(tmp_path / "l" / "ann.qaw", "Ann")
    api.import_bundle(laptop, tmp_path / "a1.qab")
    with lead.db.atomic():
        lead.db.execute("UPDATE interactions SET csat = 2 WHERE external_id = 'INT-1'")
    api.export_assignment(lead, tmp_path / "a2.qab", "Ann")
    second = api.import_bundle(laptop, tmp_path / "a2.qab")
    assert second.updated == {"interactions": 1}
    assert second.media_files == 0 and second.drafts_started == 0
    csat = laptop.db.execute("SELECT csat FROM interactions WHERE external_id = 'INT-1'")
    assert csat.fetchone()[0] == 2
    laptop.close()


def test_evaluator_only_change_updates_the_lead(tmp_path, lead):
    laptop = send_and_score(tmp_path, lead, "Ann")
    api.export_results(laptop, tmp_path / "r1.qab")
    api.import_bundle(lead, tmp_path / "r1.qab")
    target = evaluations.list_for_interaction(laptop, interaction_id(laptop, "INT-3"))[0]
    evaluations.save_answer(laptop, target.id, "empathy", 2)
    api.export_results(laptop, tmp_path / "r2.qab")
    result = api.import_bundle(lead, tmp_path / "r2.qab")
    assert result.conflicts == []
    assert result.updated["evaluations"] == 1 and result.skipped["evaluations"] == 1
    assert rows_by_uuid(lead, "evaluations") == rows_by_uuid(laptop, "evaluations")
    assert rows_by_uuid(lead, "answers") == rows_by_uuid(laptop, "answers")
    assert audit.verify(lead.db).ok
    laptop.close()


def test_lead_only_change_is_kept(tmp_path, lead):
    laptop = send_and_score(tmp_path, lead, "Ann")
    api.export_results(laptop, tmp_path / "r1.qab")
    api.import_bundle(lead, tmp_path / "r1.qab")
    lead_eval = evaluations.list_for_interaction(lead, interaction_id(lead, "INT-1"))[0]
    evaluations.sign_off(lead, lead_eval.id, "Lee")
    api.export_results(laptop, tmp_path / "r2.qab")  # nothing changed on the laptop
    result = api.import_bundle(lead, tmp_path / "r2.qab")
    assert result.conflicts == [] and "evaluations" not in result.updated
    assert evaluations.get(lead, lead_eval.id).status == "signed_off"
    laptop.close()


def test_two_evaluators_results_merge_into_one_lead(tmp_path, lead):
    ann = send_and_score(tmp_path, lead, "Ann")
    bo = send_and_score(tmp_path, lead, "Bo", sign=True)
    api.export_results(ann, tmp_path / "ann-r.qab")
    api.export_results(bo, tmp_path / "bo-r.qab")
    api.import_bundle(lead, tmp_path / "bo-r.qab")
    api.import_bundle(lead, tmp_path / "ann-r.qab")
    check = audit.verify(lead.db)
    assert check.ok and check.chains == 3
    counted = lead.db.execute("SELECT status, count(*) FROM evaluations GROUP BY 1").fetchall()
    assert dict(counted) == {"submitted": 2, "signed_off": 2}
    assert api.queue_for(lead, "Ann") == [] and api.queue_for(lead, "Bo") == []
    ann.close()
    bo.close()


def test_sample_option_and_evaluators_without_work(tmp_path, lead):
    second = add_sample(lead, "Complaints", {"Ann": [2]})
    only = api.export_assignment(lead, tmp_path / "one.qab", "Ann", sample_id=second)
    assert only.counts["sample_items"] == 1 and only.counts["interactions"] == 1
    everything = api.export_assignment(lead, tmp_path / "all.qab", "Ann")
    assert everything.counts["sample_items"] == 3
    with pytest.raises(DataRefused, match="Lee has no open sample items"):
        api.export_assignment(lead, tmp_path / "none.qab", "Lee")
    with pytest.raises(DataRefused, match="no sample with id 99"):
        api.export_assignment(lead, tmp_path / "none.qab", "Ann", sample_id=99)
    assert not (tmp_path / "none.qab").exists()
    assert dict(api.evaluators_with_work(lead)) == {"Ann": 3, "Bo": 2}


def test_missing_recording_is_reported_and_left_out(tmp_path, lead):
    (lead.media_dir / "call 3.wav").unlink()
    out = api.export_assignment(lead, tmp_path / "a.qab", "Ann")
    assert out.media_files == 1 and out.missing_media == ["INT-3: lead.media/call 3.wav"]
    laptop = open_ws(tmp_path / "l" / "ann.qaw", "Ann")
    api.import_bundle(laptop, tmp_path / "a.qab")
    path = laptop.db.execute("SELECT recording_path FROM interactions WHERE external_id = 'INT-3'")
    assert path.fetchone()[0] is None
    laptop.close()


def test_scorecard_version_published_on_the_laptop_travels_back(tmp_path, lead):
    laptop = send_and_score(tmp_path, lead, "Ann")
    v2 = scorecards.publish(laptop, V2_WEIGHTS, "Empathy counts double")
    ad_hoc = evaluations.start(laptop, interaction_id(laptop, "INT-1"), v2.id, "Ann")
    evaluations.save_answers(laptop, ad_hoc.id, GOOD)
    evaluations.submit(laptop, ad_hoc.id)
    # the lead meanwhile published a different version 2 of the same card
    scorecards.publish(lead, V2_WEIGHTS.replace("weight: 3", "weight: 5"), "IDV matters more")
    api.export_results(laptop, tmp_path / "r.qab")
    result = api.import_bundle(lead, tmp_path / "r.qab")
    assert result.inserted["scorecard_versions"] == 1
    assert result.renumbered == [f"{v2.uuid}: version 2 → 3"]
    arrived = scorecards.find(lead, "voice_example@3")
    assert (arrived.uuid, arrived.sha256) == (v2.uuid, v2.sha256)
    assert evaluations.get(lead, lead.db.execute(
        "SELECT id FROM evaluations WHERE uuid = ?", [ad_hoc.uuid]).fetchone()[0]
    ).scorecard_version_id == arrived.id  # fmt: skip
    laptop.close()


def test_drafts_stay_behind_unless_asked(tmp_path, lead):
    api.export_assignment(lead, tmp_path / "a.qab", "Ann")
    laptop = open_ws(tmp_path / "l" / "ann.qaw", "Ann")
    api.import_bundle(laptop, tmp_path / "a.qab")
    with pytest.raises(DataRefused, match="drafts stay behind"):
        api.export_results(laptop, tmp_path / "r.qab")
    out = api.export_results(laptop, tmp_path / "r.qab", include_drafts=True)
    assert out.counts["evaluations"] == 2
    result = api.import_bundle(lead, tmp_path / "r.qab")
    assert result.inserted["evaluations"] == 2
    score_all(laptop, "Ann")
    api.export_results(laptop, tmp_path / "r2.qab")
    later = api.import_bundle(lead, tmp_path / "r2.qab")
    assert later.updated["evaluations"] == 2 and later.conflicts == []
    laptop.close()


def test_items_whose_scorecard_cannot_be_chosen_wait_for_the_evaluator(tmp_path, lead):
    scorecards.publish(lead, WORKED_EXAMPLE.replace("key: voice_example", "key: voice_other"),
                       "A second voice card")  # fmt: skip
    add_sample(lead, "Unnamed card", {"Bo": [1]}, spec={})
    api.export_assignment(lead, tmp_path / "bo.qab", "Bo")
    laptop = open_ws(tmp_path / "l" / "bo.qaw", "Bo")
    result = api.import_bundle(laptop, tmp_path / "bo.qab")
    assert result.drafts_started == 2 and result.needs_scorecard == ["INT-1"]
    waiting = next(q for q in api.queue_for(laptop, "Bo") if q.external_id == "INT-1")
    with pytest.raises(DataRefused, match="choose a scorecard for INT-1"):
        api.start_assigned(laptop, waiting.item_id)
    chosen = scorecards.find(laptop, "voice_other")
    draft = api.start_assigned(laptop, waiting.item_id, version_id=chosen.id)
    assert (draft.status, draft.source, draft.scorecard_version_id) == (
        "draft",
        "sample",
        chosen.id,
    )
    assert api.start_assigned(laptop, waiting.item_id).id == draft.id  # resumed, not duplicated
    laptop.close()


def test_a_closed_calibration_session_arrives_whole(tmp_path, lead):
    from qa_studio.storage.repository import calibration

    version = scorecards.find(lead, "voice_example")
    session = calibration.create_session(
        lead, "October calibration", version.id, [interaction_id(lead, "INT-2")], ["Ann", "Bo"]
    )
    for who in ("Ann", "Bo"):
        draft = calibration.start_evaluation(lead, session.id, interaction_id(lead, "INT-2"), who)
        calibration.save_answers(lead, session.id, draft.id, GOOD)
        calibration.submit_evaluation(lead, session.id, draft.id)
    calibration.close_session(lead, session.id)
    api.export_results(lead, tmp_path / "history.qab")

    elsewhere = open_ws(tmp_path / "other.qaw", "Kim")
    result = api.import_bundle(elsewhere, tmp_path / "history.qab")
    assert result.inserted["calibration_sessions"] == 1 and result.inserted["evaluations"] == 2
    tables = ("calibration_sessions", "calibration_items", "calibration_evaluators", "evaluations",
              "answers")  # fmt: skip
    for table in tables:
        assert rows_by_uuid(elsewhere, table) == rows_by_uuid(lead, table), table
    elsewhere.close()
