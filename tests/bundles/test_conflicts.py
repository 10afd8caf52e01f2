"""Evaluations changed on both sides become conflicts: reported, never overwritten, resolved."""

from __future__ import annotations

import pytest

from qa_studio.bundles import api
from qa_studio.errors import DataRefused, UsageError
from qa_studio.storage.repository import audit, evaluations
from qa_studio.storage.repository.interactions import interaction_id
from tests.bundles.helpers import build_lead, rows_by_uuid, send_and_score, snapshot


@pytest.fixture
def pair(tmp_path):
    """The lead holding Ann's first results; both sides can now change INT-1's evaluation."""
    lead = build_lead(tmp_path / "lead.qaw")
    laptop = send_and_score(tmp_path, lead, "Ann")
    api.export_results(laptop, tmp_path / "r1.qab")
    api.import_bundle(lead, tmp_path / "r1.qab")
    yield lead, laptop
    lead.close()
    laptop.close()


def _int1(ws) -> int:
    return evaluations.list_for_interaction(ws, interaction_id(ws, "INT-1"))[0].id


def _evaluation_rows(ws) -> tuple:
    return (rows_by_uuid(ws, "evaluations"), rows_by_uuid(ws, "answers"),
            rows_by_uuid(ws, "answer_notes"))  # fmt: skip


def test_edited_on_both_sides_is_a_conflict_and_nothing_is_overwritten(tmp_path, pair):
    lead, laptop = pair
    evaluations.save_answer(lead, _int1(lead), "empathy", 1)
    evaluations.save_answer(laptop, _int1(laptop), "greet", "no")
    api.export_results(laptop, tmp_path / "r2.qab")
    mine_before = _evaluation_rows(lead)

    preview = api.preview_import(lead, tmp_path / "r2.qab")
    assert [c.kind for c in preview.conflicts] == ["edited_both"]
    assert preview.conflicts[0].id is None and api.list_conflicts(lead) == []

    result = api.import_bundle(lead, tmp_path / "r2.qab")
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert (conflict.kind, conflict.status, conflict.interaction) == (
        "edited_both",
        "open",
        "INT-1",
    )
    assert _evaluation_rows(lead) == mine_before  # nothing overwritten
    assert result.skipped["evaluations"] == 1  # INT-3 is unchanged on both sides

    shown = api.conflict_detail(lead, conflict.id)
    differing = {q.key: (q.mine, q.theirs) for q in shown.questions if q.differs}
    assert differing == {"greet": ("yes", "no"), "empathy": (1, 4)}
    assert {f for f, _m, _t in shown.fields} >= {"score", "percent"}
    assert [c.id for c in api.list_conflicts(lead)] == [conflict.id]

    done = api.resolve_conflict(lead, conflict.id, "theirs", by="Lee")
    assert (done.status, done.resolved_by) == ("took_theirs", "Lee")
    assert _evaluation_rows(lead) == _evaluation_rows(laptop)
    last = lead.db.execute(
        "SELECT action, actor, entity_uuid, payload FROM audit_log WHERE origin_uuid = ? "
        "ORDER BY seq DESC LIMIT 1",
        [lead.uuid],
    ).fetchone()
    assert last[:3] == ("bundle.conflict_resolve", "Lee", done.evaluation_uuid)
    assert '"kept":"theirs"' in last[3] and '"greet":"yes"' in last[3]
    assert audit.verify(lead.db).ok
    assert api.list_conflicts(lead) == []

    before = snapshot(lead)
    assert api.import_bundle(lead, tmp_path / "r2.qab").already_imported
    assert snapshot(lead) == before


def test_signed_off_here_and_edited_there(tmp_path, pair):
    lead, laptop = pair
    evaluations.sign_off(lead, _int1(lead), "Lee")
    evaluations.add_note(laptop, _int1(laptop), "Listened again: greeting was late")
    api.export_results(laptop, tmp_path / "r2.qab")
    mine_before = _evaluation_rows(lead)

    result = api.import_bundle(lead, tmp_path / "r2.qab")
    conflict = result.conflicts[0]
    assert conflict.kind == "signed_vs_edited"
    assert (conflict.mine.status, conflict.theirs.status) == ("signed_off", "submitted")
    assert len(conflict.theirs.notes) == 2 and len(conflict.mine.notes) == 1
    assert _evaluation_rows(lead) == mine_before

    kept = api.resolve_conflict(lead, conflict.id, "mine")
    assert kept.status == "kept_mine" and kept.resolved_by == "Lee"
    assert _evaluation_rows(lead) == mine_before
    assert evaluations.get(lead, _int1(lead)).status == "signed_off"
    # the evaluator's unchanged version does not raise the conflict again
    api.export_results(laptop, tmp_path / "r3.qab")
    again = api.import_bundle(lead, tmp_path / "r3.qab")
    assert again.conflicts == [] and "evaluations" not in again.updated
    assert audit.verify(lead.db).ok


def test_signed_off_there_and_edited_here_taking_theirs(tmp_path, pair):
    lead, laptop = pair
    evaluations.set_comment(lead, _int1(lead), "Lead's view")
    evaluations.sign_off(laptop, _int1(laptop), "Ann")
    api.export_results(laptop, tmp_path / "r2.qab")
    conflict = api.import_bundle(lead, tmp_path / "r2.qab").conflicts[0]
    assert conflict.kind == "signed_vs_edited"
    assert evaluations.get(lead, _int1(lead)).comment == "Lead's view"
    api.resolve_conflict(lead, conflict.id, "theirs")
    record = evaluations.get(lead, _int1(lead))
    assert (record.status, record.signed_by, record.comment) == (
        "signed_off",
        "Ann",
        "Solid call INT-1",
    )
    assert _evaluation_rows(lead) == _evaluation_rows(laptop)


def test_taking_theirs_over_a_signed_off_evaluation(tmp_path, pair):
    lead, laptop = pair
    evaluations.sign_off(lead, _int1(lead), "Lee")
    evaluations.save_answer(laptop, _int1(laptop), "idv", "no")
    api.export_results(laptop, tmp_path / "r2.qab")
    conflict = api.import_bundle(lead, tmp_path / "r2.qab").conflicts[0]
    api.resolve_conflict(lead, conflict.id, "theirs", by="Lee")
    record = evaluations.get(lead, _int1(lead))
    assert record.status == "submitted" and record.answers["idv"] == "no"
    assert _evaluation_rows(lead) == _evaluation_rows(laptop)
    assert audit.verify(lead.db).ok


def test_a_newer_bundle_updates_the_open_conflict(tmp_path, pair):
    lead, laptop = pair
    evaluations.save_answer(lead, _int1(lead), "empathy", 3)
    evaluations.save_answer(laptop, _int1(laptop), "empathy", 5)
    api.export_results(laptop, tmp_path / "r2.qab")
    first = api.import_bundle(lead, tmp_path / "r2.qab").conflicts[0]
    evaluations.save_answer(laptop, _int1(laptop), "empathy", 1)
    api.export_results(laptop, tmp_path / "r3.qab")
    second = api.import_bundle(lead, tmp_path / "r3.qab").conflicts[0]
    assert second.id == first.id and second.theirs.answers["empathy"] == 1
    assert len(api.list_conflicts(lead)) == 1


def test_resolving_is_refused_when_it_cannot_be_done(tmp_path, pair):
    lead, laptop = pair
    evaluations.save_answer(lead, _int1(lead), "empathy", 3)
    evaluations.save_answer(laptop, _int1(laptop), "empathy", 5)
    api.export_results(laptop, tmp_path / "r2.qab")
    conflict = api.import_bundle(lead, tmp_path / "r2.qab").conflicts[0]
    with pytest.raises(DataRefused, match="Ann is not a QA lead"):
        api.resolve_conflict(lead, conflict.id, "theirs", by="Ann")
    with pytest.raises(UsageError, match="keep must be one of"):
        api.resolve_conflict(lead, conflict.id, "both")
    with pytest.raises(DataRefused, match="no bundle conflict with id 999"):
        api.resolve_conflict(lead, 999, "mine")
    api.resolve_conflict(lead, conflict.id, "mine")
    with pytest.raises(DataRefused, match="already resolved"):
        api.resolve_conflict(lead, conflict.id, "theirs")
    assert [c.status for c in api.list_conflicts(lead, status=None)] == ["kept_mine"]
