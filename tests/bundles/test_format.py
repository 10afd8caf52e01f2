"""Member names, recording file names and the record shapes read from the schema."""

from __future__ import annotations

import pytest

from qa_studio.bundles.format import name_problem, safe_media_name
from qa_studio.bundles.records import Selection, ordered, ref_field, shapes
from tests.bundles.helpers import build_lead

UUID = "12345678-1234-4234-8234-123456789012"


@pytest.mark.parametrize(
    "name",
    ["manifest.json", "records/interactions.json", f"media/{UUID}/recording/call_1.wav",
     f"media/{UUID}/screen/screen-1.mp4"],
)  # fmt: skip
def test_layout_names_are_accepted(name):
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "empty"),
        ("/abs/x.json", "absolute"),
        ("D:evil.json", "absolute"),
        ("records\\x.json", "backslash"),
        ("records/./x.json", "'..' or '.'"),
        ("a/../b.json", "'..' or '.'"),
        ("records//x.json", "empty path component"),
        ("records/x\x00.json", "control characters"),
        ("records/X.json", "not part of the bundle layout"),
        (f"media/{UUID}/recording/con.wav", "not part of the bundle layout"),
        (f"media/{UUID}/other/a.wav", "not part of the bundle layout"),
        ("evil.sh", "not part of the bundle layout"),
    ],
)
def test_unsafe_or_unknown_names_say_why(name, problem):
    assert problem in (name_problem(name) or "")


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("call 3.wav", "call_3.wav"),
        ("C:\\recordings\\Über call.mp3", "ber_call.mp3"),
        ("../../etc/passwd", "passwd"),
        ("NUL.wav", "_NUL.wav"),
        ("...", "recording"),
    ],
)
def test_recording_names_are_made_safe(given, safe):
    assert safe_media_name(given) == safe
    assert name_problem(f"media/{UUID}/recording/{safe_media_name(given)}") is None


def test_shapes_follow_the_schema(ws):
    found = shapes(ws.db)
    interactions = found["interactions"]
    assert [r.field for r in interactions.refs] == ["agent_uuid"]
    assert "recording_path" not in interactions.columns and "external_id" in interactions.columns
    assert ("external_id",) in interactions.natural
    assert found["scorecard_versions"].natural == (("scorecard_id", "sha256"),)
    assert ("sample_id", "interaction_id") in found["sample_items"].natural
    order = ordered(found)
    for table, shape in found.items():
        for ref in shape.refs:
            assert order.index(ref.table) <= order.index(table), (table, ref.table)
    assert ref_field("scorecard_version_id") == "scorecard_version_uuid"


def test_selection_follows_references_to_the_end(tmp_path):
    lead = build_lead(tmp_path / "lead.qaw")
    chosen = Selection(lead.db, shapes(lead.db))
    chosen.add("sample_items", [1])
    chosen.close()
    counts = chosen.counts()
    assert counts == {"evaluators": 1, "teams": 1, "agents": 1, "interactions": 1, "samples": 1,
                      "sample_items": 1}  # fmt: skip
    lead.close()
