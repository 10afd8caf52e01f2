"""Bad bundles are refused with a clear message, and nothing at all is written."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from qa_studio.bundles import api
from qa_studio.bundles.export import AUDIT_COLUMNS
from qa_studio.bundles.format import BundleLimits, OpenedBundle
from qa_studio.errors import DataRefused
from qa_studio.storage.migrations import latest_version
from qa_studio.storage.repository.audit import row_hash
from tests.bundles.helpers import (
    build_lead,
    edit_manifest,
    edit_records,
    open_ws,
    read_members,
    send_and_score,
    snapshot,
    write_members,
)


@pytest.fixture
def lead(tmp_path):
    ws = build_lead(tmp_path / "lead.qaw")
    yield ws
    ws.close()


@pytest.fixture
def results(tmp_path, lead):
    """Ann's results bundle (the lead has not imported it)."""
    laptop = send_and_score(tmp_path, lead, "Ann")
    api.export_results(laptop, tmp_path / "results.qab")
    laptop.close()
    return tmp_path / "results.qab"


def _refused(ws, bundle, match: str, **kwargs) -> DataRefused:
    before = snapshot(ws)
    media = sorted(ws.media_dir.rglob("*")) if ws.media_dir.exists() else []
    with pytest.raises(DataRefused, match=match) as caught:
        api.import_bundle(ws, bundle, **kwargs)
    assert snapshot(ws) == before
    assert (sorted(ws.media_dir.rglob("*")) if ws.media_dir.exists() else []) == media
    return caught.value


def test_a_byte_changed_in_a_member_is_refused(tmp_path, lead, results):
    members = read_members(results)
    data = bytearray(members["records/answers.json"])
    data[data.index(b'"yes"') + 1] = ord("n")  # "yes" → "nes": one byte
    members["records/answers.json"] = bytes(data)
    forged = write_members(tmp_path / "forged.qab", members, resign=False)
    _refused(lead, forged, "records/answers.json' does not match its sha256")


def test_a_byte_flipped_in_the_file_is_refused(tmp_path, lead, results):
    data = bytearray(results.read_bytes())
    spot = data.index(b"records/answers.json") + 200
    data[spot] ^= 0xFF
    damaged = tmp_path / "damaged.qab"
    damaged.write_bytes(bytes(data))
    _refused(lead, damaged, "damaged|tampered|does not match")


def test_a_truncated_bundle_is_refused(tmp_path, lead, results):
    cut = tmp_path / "cut.qab"
    cut.write_bytes(results.read_bytes()[: results.stat().st_size // 2])
    error = _refused(lead, cut, "cut.qab: is truncated or damaged")
    assert "cut short" in error.details[0]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("/etc/passwd", "absolute"),
        ("records/../../evil.json", r"'\.\.'"),
        ("..\\evil.json", "backslash"),
        ("C:/Windows/evil.json", "absolute"),
        ("media/x/recording/a.wav", "not part of the bundle layout"),
        ("records/answers.json/", "empty path component"),
    ],
)
def test_unsafe_member_names_are_refused(tmp_path, lead, results, name, problem):
    members = read_members(results)
    members[name] = b"{}"
    bad = write_members(tmp_path / "bad.qab", members)
    _refused(lead, bad, f"member '{re.escape(name)}' .*{problem}")


def test_a_zip_bomb_is_refused_before_reading(tmp_path, lead, results, monkeypatch):
    members = read_members(results)
    members["records/transcripts.json"] = b"[" + b" " * (8 << 20) + b"]"
    bomb = write_members(tmp_path / "bomb.qab", members)
    read = []
    monkeypatch.setattr(OpenedBundle, "read_bytes", lambda *a: read.append(a))
    _refused(lead, bomb, "expands .* times")
    assert read == []
    _refused(lead, results, "unpacks to more than the limit of 1,000 bytes",
             limits=BundleLimits(max_total_bytes=1000))  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"schema_version": latest_version() + 1}, "newer workspace schema"),
        ({"format_version": 2}, "format version 2 is newer"),
        ({"kind": "calibration"}, "unknown bundle kind"),
        ({"format": "something-else"}, "does not describe a QA Studio bundle"),
        ({"origin": {}}, "origin.workspace_uuid"),
    ],
)
def test_manifests_from_newer_versions_or_damaged_are_refused(tmp_path, lead, results, changes,
                                                              match):  # fmt: skip
    members = read_members(results)
    edit_manifest(members, **changes)
    _refused(lead, write_members(tmp_path / "m.qab", members), match)


def test_a_bundle_of_the_other_kind_is_refused(tmp_path, lead, results):
    _refused(lead, results, "is a results bundle, but an assignment bundle was expected",
             expect_kind="assignment")  # fmt: skip


def test_an_unknown_scorecard_version_is_refused(tmp_path, lead, results):
    members = read_members(results)
    del members["records/scorecard_versions.json"]
    edit_records(members, "evaluations", lambda rows: rows[0].update(
        scorecard_version_uuid="00000000-0000-4000-8000-000000000000"))  # fmt: skip
    forged = write_members(tmp_path / "v.qab", members)
    _refused(lead, forged, "refers to unknown scorecard version 00000000-")


def test_an_audit_chain_that_does_not_verify_refuses_the_bundle(tmp_path, lead, results):
    members = read_members(results)
    edit_records(members, "audit_log", lambda rows: rows[3].update(actor="Someone else"))
    _refused(lead, write_members(tmp_path / "a.qab", members), "does not verify at seq 4")


def test_audit_rows_cut_from_the_end_refuse_the_bundle(tmp_path, lead, results):
    members = read_members(results)
    edit_records(members, "audit_log", lambda rows: rows.pop())
    _refused(lead, write_members(tmp_path / "a.qab", members), "does not end at the head")


def test_foreign_rows_in_this_workspaces_own_chain_are_refused(tmp_path, lead):
    laptop = send_and_score(tmp_path, lead, "Ann")
    api.export_results(laptop, tmp_path / "r.qab")
    # a forger continues the laptop's own chain (hashes are easy to recompute) and sends it back
    members = read_members(tmp_path / "r.qab")
    cur = laptop.db.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log ORDER BY seq")
    chain = [dict(zip(AUDIT_COLUMNS, r, strict=True)) for r in cur]
    last = chain[-1]
    forged = {**last, "uuid": "22222222-2222-4222-8222-222222222222", "seq": last["seq"] + 1,
              "action": "evaluation.delete", "prev_hash": last["hash"]}  # fmt: skip
    forged["hash"] = row_hash(last["hash"], forged)
    members["records/audit_log.json"] = json.dumps([*chain, forged]).encode()
    edit_manifest(members, origin={"workspace_uuid": "11111111-1111-4111-8111-111111111111"},
                  audit_head={"seq": 0})  # fmt: skip
    _refused(laptop, write_members(tmp_path / "x.qab", members),
             "of this workspace's own chain that this workspace never wrote")  # fmt: skip
    laptop.close()


def test_a_bundle_from_this_very_workspace_is_refused(tmp_path, lead):
    api.export_assignment(lead, tmp_path / "a.qab", "Ann")
    _refused(lead, tmp_path / "a.qab", "was exported from this workspace")


def test_members_not_in_the_manifest_are_refused(tmp_path, lead, results):
    members = read_members(results)
    extra = write_members(tmp_path / "e.qab", members)
    with zipfile.ZipFile(extra, "a") as zf:
        zf.writestr("records/goals.json", "[]")
    _refused(lead, extra, "do not match the manifest")


def test_a_failure_while_copying_recordings_leaves_nothing_behind(tmp_path, lead, monkeypatch):
    api.export_assignment(lead, tmp_path / "a.qab", "Ann")
    laptop = open_ws(tmp_path / "l" / "ann.qaw", "Ann")
    real = OpenedBundle.extract
    calls = []

    def flaky(self, name, dest, is_cancelled=None):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(self, name, dest, is_cancelled)

    monkeypatch.setattr(OpenedBundle, "extract", flaky)
    before = snapshot(laptop)
    with pytest.raises(OSError, match="disk full"):
        api.import_bundle(laptop, tmp_path / "a.qab")
    assert snapshot(laptop) == before
    assert not laptop.media_dir.exists()
    laptop.close()


def test_cancel_writes_nothing(tmp_path, lead, results):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    error = _refused(lead, results, "cancelled: nothing was written", is_cancelled=cancelled)
    assert type(error).__name__ == "BundleCancelled"
