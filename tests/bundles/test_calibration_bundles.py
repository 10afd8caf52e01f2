"""Calibration through bundles (issue 7 § 1): two evaluators score blind on their own laptops,
their results are merged into the lead's workspace, and the session's statistics are the same as
if everyone had scored in one workspace."""

from __future__ import annotations

import json

import pytest

from qa_studio.bundles import api
from qa_studio.bundles.calibration_scope import calibration_scope
from qa_studio.domain.models import Transcript, Turn
from qa_studio.errors import DataRefused
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import calibration as cal
from qa_studio.storage.repository.interactions import set_media_paths, set_transcript
from tests.storage.calibration_helpers import SMALL, calibration_seed, score

EVALUATORS = ("Ann", "Bo", "Cy")


def _workspace(path, actor):
    ws = open_workspace(path)
    ws.actor = actor
    return ws


@pytest.fixture
def lead(tmp_path):
    """Lee's workspace: the worked-example card, INT-1 with a transcript and a recording."""
    ws = _workspace(tmp_path / "lead" / "lead.qaw", "Lee")
    data = calibration_seed(ws)
    ws.media_dir.mkdir(parents=True, exist_ok=True)
    (ws.media_dir / "call-1.wav").write_bytes(b"RIFF" + bytes(range(256)) * 8)
    with ws.db.atomic():
        set_media_paths(
            ws, data["interactions"][0], recording_path=f"{ws.media_dir.name}/call-1.wav"
        )
        set_transcript(
            ws,
            data["interactions"][0],
            Transcript("json", (Turn("Alex", "agent", "Hello, Alex speaking.", 0.0, 2.0),)),
        )
    yield ws, data
    ws.close()


def _session(ws, data):
    return cal.create_session(
        ws, "Blind October", data["v1"].id, data["interactions"][:2], list(EVALUATORS),
        expert="Ann",
    )  # fmt: skip


def _comparable(doc: dict) -> dict:
    """The results without what identifies this particular copy of the session."""
    out = json.loads(json.dumps(doc))
    for key in ("id", "uuid", "opened_at", "closed_at", "scorecard_version_id"):
        out["session"].pop(key)
    return out


def test_blind_scores_from_two_laptops_merge_to_the_same_statistics(tmp_path, lead, run_cli):
    lead, data = lead
    session = _session(lead, data)

    # Ann's assignment through the command line, Bo's through the API.
    ann_bundle = tmp_path / "ann.qab"
    code, out, _ = run_cli(
        "--db", str(lead.path), "bundle", "export", "--evaluator", "Ann",
        "--calibration", str(session.id), "--out", str(ann_bundle), "--json",
    )  # fmt: skip
    assert code == 0, out
    sent = json.loads(out)
    assert sent["counts"]["calibration_sessions"] == 1
    assert sent["counts"]["calibration_items"] == 2
    assert sent["counts"]["calibration_evaluators"] == 3
    assert sent["counts"]["interactions"] == 2 and sent["counts"]["transcripts"] == 1
    assert sent["counts"]["scorecard_versions"] == 1 and sent["media_files"] == 1
    assert "evaluations" not in sent["counts"]
    bo_bundle = tmp_path / "bo.qab"
    api.export_assignment(lead, bo_bundle, scope=calibration_scope(lead, "Bo", session.id))

    # Cy scores in the lead's workspace meanwhile; the session stays blind there.
    for (ext, who), answers in SMALL.items():
        if who == "Cy":
            score(lead, session, ext, who, answers)

    results = []
    for who, bundle in (("Ann", ann_bundle), ("Bo", bo_bundle)):
        laptop = _workspace(tmp_path / who / f"{who.lower()}.qaw", who)
        try:
            api.import_bundle(laptop, bundle)
            local = cal.session_by_uuid(laptop, session.uuid)
            assert local is not None and local.is_open and local.blind
            assert local.evaluators == EVALUATORS and local.expert == "Ann"
            assert [e for _i, e in local.interactions] == ["INT-1", "INT-2"]
            recording = laptop.db.execute(
                "SELECT recording_path FROM interactions WHERE external_id = 'INT-1'"
            ).fetchone()[0]
            assert laptop.resolve_media(recording).is_file()
            # Nobody else's answers came along: blind on the laptop too.
            assert laptop.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0
            for (ext, evaluator), answers in SMALL.items():
                if evaluator == who:
                    score(laptop, local, ext, who, answers)
            assert [e.evaluator for e in cal.visible_evaluations(laptop, local.id, who)] == [
                who,
                who,
            ]
            out_path = tmp_path / f"{who.lower()}-results.qab"
            api.export_results(laptop, out_path, evaluator=who)
            results.append(out_path)
        finally:
            laptop.close()

    for path in results:
        merged = api.import_bundle(lead, path, expect_kind="results")
        assert merged.inserted["evaluations"] == 2 and not merged.conflicts
    # Merged, still blind and open: Cy sees only their own; no results yet.
    assert {e.evaluator for e in cal.visible_evaluations(lead, session.id, "Cy")} == {"Cy"}
    assert cal.progress(lead, session.id) == {
        who: {"INT-1": "submitted", "INT-2": "submitted"} for who in EVALUATORS
    }
    with pytest.raises(DataRefused, match="results are hidden until the session is closed"):
        cal.session_results(lead, session.id)
    assert lead.db.execute("SELECT count(*) FROM calibration_sessions").fetchone()[0] == 1
    cal.close_session(lead, session.id)
    merged_results = cal.session_results(lead, session.id)

    # The same answers entered directly in one workspace.
    one = _workspace(tmp_path / "one" / "one.qaw", "Lee")
    try:
        ref = _session(one, calibration_seed(one))
        for (ext, who), answers in SMALL.items():
            score(one, ref, ext, who, answers)
        cal.close_session(one, ref.id)
        direct = cal.session_results(one, ref.id)
    finally:
        one.close()

    assert merged_results.scores == direct.scores
    assert merged_results.answers == direct.answers
    assert _comparable(merged_results.as_dict()) == _comparable(direct.as_dict())
    assert merged_results.evaluators["Bo"].vs_expert.mean_signed == pytest.approx(50 / 7)


def test_calibration_export_refusals(tmp_path, lead, run_cli):
    lead, data = lead
    two = cal.create_session(lead, "Pair", data["v1"].id, data["interactions"][:1], ["Ann", "Bo"])
    with pytest.raises(DataRefused, match="Cy is not an evaluator in calibration session"):
        calibration_scope(lead, "Cy", two.id)
    code, out, _ = run_cli(
        "--db", str(lead.path), "bundle", "export", "--evaluator", "Ann", "--calibration",
        str(two.id), "--sample", "1", "--out", str(tmp_path / "x.qab"), "--json",
    )  # fmt: skip
    assert code == 2 and "not both" in json.loads(out)["error"]["message"]
    cal.close_session(lead, two.id)
    code, out, _ = run_cli(
        "--db", str(lead.path), "bundle", "export", "--evaluator", "Ann", "--calibration",
        str(two.id), "--out", str(tmp_path / "x.qab"), "--json",
    )  # fmt: skip
    assert code == 1 and "is closed" in json.loads(out)["error"]["message"]
    assert not (tmp_path / "x.qab").exists()


def test_results_arriving_after_the_session_closed_are_refused(tmp_path, lead):
    lead, data = lead
    session = _session(lead, data)
    bundle = tmp_path / "bo.qab"
    api.export_assignment(lead, bundle, scope=calibration_scope(lead, "Bo", session.id))
    laptop = _workspace(tmp_path / "bo" / "bo.qaw", "Bo")
    try:
        api.import_bundle(laptop, bundle)
        local = cal.session_by_uuid(laptop, session.uuid)
        score(laptop, local, "INT-1", "Bo", SMALL[("INT-1", "Bo")])
        late = tmp_path / "late.qab"
        api.export_results(laptop, late, evaluator="Bo")
    finally:
        laptop.close()
    cal.close_session(lead, session.id)
    before = lead.db.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    with pytest.raises(DataRefused, match="calibration session is closed"):
        api.import_bundle(lead, late)
    assert lead.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == before
    assert cal.get_session(lead, session.id).closed_at is not None
