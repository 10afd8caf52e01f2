"""Amazon Connect, Genesys Cloud and Zendesk exports, and our own JSON records."""

from __future__ import annotations

import json

import pytest

from qa_studio.errors import UsageError
from qa_studio.importers.api import detect_format, preview, run_import
from qa_studio.storage.repository.interactions import get_transcript, interaction_id
from tests.importers.helpers import count, stored

C1 = "5f1c2a7e-0b3d-4c8e-9a61-2e7d4b0c9f11"
CHAT = "9b7e3c1d-4a2f-4e6b-8d0c-1f5a7e9b3c22"
ABANDONED = "0c4d8e2a-6f1b-4d3c-a7e9-5b2c8f0d1a33"
CALLBACK = "7e2b9d4c-1a8f-4b6e-9c3d-0f5e2a7b1c44"
TASK = "3a9f1e7d-2c4b-4f8a-b6d0-9e1c3b5a7f55"


def test_detect_format_by_extension_and_content(data_dir, write):
    assert detect_format(data_dir / "calls_uk.csv") == "csv"
    assert detect_format(data_dir / "connect_ctr.jsonl") == "connect"
    assert detect_format(data_dir / "genesys_conversations.json") == "genesys"
    assert detect_format(data_dir / "zendesk_tickets.json") == "zendesk"
    assert detect_format(write("ours.json", '[{"external_id": "A"}]')) == "json"
    assert detect_format(write("noext", "a,b\n1,2\n")) == "csv"
    with pytest.raises(UsageError, match="cannot tell the format"):
        detect_format(write("what.json", '[{"foo": 1}]'))
    with pytest.raises(UsageError, match="is a transcript"):
        detect_format(write("cl.json", '{"Transcript": [], "CustomerMetadata": {"ContactId": 1}}'))


def test_connect_records(ws, data_dir):
    report = run_import(ws, data_dir / "connect_ctr.jsonl")
    assert report.ok and report.format == "connect" and report.inserted == 5
    assert any("superseded" in n for n in report.notes)
    rows = stored(ws)
    voice = rows[C1]
    assert (voice["channel"], voice["direction"], voice["agent"], voice["queue"]) == (
        "voice",
        "inbound",
        "amy.khan",
        "Billing",
    )
    assert (voice["started_at"], voice["ended_at"]) == (
        "2026-10-01T09:00:57Z",
        "2026-10-01T09:12:02Z",
    )
    assert (voice["duration_s"], voice["hold_s"], voice["wrap_s"], voice["queue_wait_s"]) == (
        588.0,
        35.0,
        42.0,
        74.0,
    )
    assert (rows[CHAT]["channel"], rows[CHAT]["fcr"]) == ("chat", 1)
    assert rows[ABANDONED]["agent_id"] is None and rows[ABANDONED]["queue_wait_s"] == 95.0
    assert rows[CALLBACK]["direction"] == "outbound"
    assert rows[TASK]["channel"] == "task"
    assert {r["source"] for r in rows.values()} == {"connect"}
    assert count(ws, "agents") == 3


def test_connect_newest_last_update_wins_whatever_the_order(ws, data_dir, write):
    # In the fixture the newer copy of C1 (with attributes csat/complaint) comes first.
    run_import(ws, data_dir / "connect_ctr.jsonl")
    voice = stored(ws)[C1]
    assert (voice["csat"], voice["complaint"], voice["customer_ref"]) == (
        4,
        "informal",
        "ACC-100234",
    )
    lines = (data_dir / "connect_ctr.jsonl").read_text().splitlines()
    reordered = write("reordered.jsonl", "\n".join(reversed(lines)) + "\n")
    report = run_import(ws, reordered)
    assert report.ok and report.unchanged == 5 and report.updated == 0
    array = write("array.json", "[" + ",".join(lines) + "]")
    assert run_import(ws, array).unchanged == 5


def test_connect_same_timestamp_with_different_data_is_refused(ws, write):
    base = {
        "ContactId": "D1",
        "Channel": "VOICE",
        "InitiationTimestamp": "2026-10-01T09:00:00Z",
        "LastUpdateTimestamp": "2026-10-01T09:10:00Z",
        "Agent": None,
    }
    other = dict(base, Channel="CHAT")
    report = run_import(ws, write("d.jsonl", json.dumps(base) + "\n" + json.dumps(other) + "\n"))
    assert not report.written and count(ws) == 0
    assert (report.errors[0].row, report.errors[0].column) == (2, "LastUpdateTimestamp")
    assert "same LastUpdateTimestamp" in report.errors[0].message


def test_connect_recordings_are_linked_when_the_file_is_beside_the_export(ws, data_dir, tmp_path):
    export = tmp_path / "ctr.jsonl"
    export.write_bytes((data_dir / "connect_ctr.jsonl").read_bytes())
    audio = tmp_path / f"{CALLBACK}_20261001T14:05_UTC.wav"
    audio.write_bytes(b"RIFF")
    (tmp_path / f"{CALLBACK}.webm").write_bytes(b"\x1a\x45\xdf\xa3")
    report = run_import(ws, export)
    rows = stored(ws)
    assert rows[CALLBACK]["recording_path"] == str(audio.resolve())
    assert rows[CALLBACK]["screen_recording_path"] == str((tmp_path / f"{CALLBACK}.webm").resolve())
    assert rows[C1]["recording_path"] is None  # only in S3: not on this computer
    assert any("1 recording location(s) were not found" in n for n in report.notes)


def test_recordings_inside_the_workspace_media_folder_are_stored_relative(ws, write):
    media = ws.media_dir
    media.mkdir()
    (media / "R1.wav").write_bytes(b"RIFF")
    path = write(
        "r.csv",
        f"Contact ID,Channel,Start Time,Recording\n"
        f"R1,voice,2026-10-01T09:00:00Z,{media / 'R1.wav'}\n",
    )
    assert run_import(ws, path).ok
    assert stored(ws)["R1"]["recording_path"] == f"{media.name}/R1.wav"
    assert ws.resolve_media(stored(ws)["R1"]["recording_path"]).is_file()


def test_genesys_conversation_details(ws, data_dir):
    report = run_import(ws, data_dir / "genesys_conversations.json")
    assert report.ok and report.inserted == 4
    rows = stored(ws)
    voice = rows["a3f1c9e2-5b7d-4e21-8f6a-0d3c9b7e1a01"]
    assert (voice["channel"], voice["agent_name"], voice["queue"], voice["outcome"]) == (
        "voice",
        "Dan Evans",
        "Broadband Faults",
        "Fault booked",
    )
    assert (voice["duration_s"], voice["hold_s"], voice["wrap_s"], voice["queue_wait_s"]) == (
        556.3,
        48.2,
        61.25,
        52.48,
    )
    assert (voice["started_at"], voice["ended_at"]) == (
        "2026-10-05T08:30:02Z",
        "2026-10-05T08:41:37Z",
    )
    chat = rows["b7d2e4f6-1a3c-4b5d-9e8f-7a6b5c4d3e02"]
    assert (chat["channel"], chat["agent_name"], chat["queue"]) == (
        "chat",
        "Ella Hughes",
        "Billing Chat",
    )
    abandoned = rows["c9e8d7f6-3b2a-4c1d-8e0f-1a2b3c4d5e03"]
    assert abandoned["agent_id"] is None and abandoned["queue_wait_s"] == 150.2
    assert rows["d1c2b3a4-5e6f-4a7b-8c9d-0e1f2a3b4c04"]["channel"] == "social"
    assert count(ws, "agents") == 2  # Dan Evans handled two conversations
    assert run_import(ws, data_dir / "genesys_conversations.json").unchanged == 4


def test_genesys_2016_reference_shape(ws, reference_data):
    path = reference_data / "genesys_conversations_devtools_2016.json"
    assert detect_format(path) == "genesys"
    report = run_import(ws, path)
    assert report.ok and report.inserted == 25
    rows = stored(ws)
    assert {r["channel"] for r in rows.values()} == {"voice", "chat"}  # callback → voice
    first = rows["5773eca4-0874-4617-a6e8-85591aa94609"]
    assert first["ended_at"] == "2016-09-06T00:12:12Z"  # no conversationEnd: last segment
    assert first["outcome"] == "ININ-OUTBOUND-PREVIEW-SKIPPED"
    assert first["agent"] == "cd707b2b-4dc8-4d88-9750-b1f412ef67e6"
    assert first["direction"] is None  # no originatingDirection in 2016
    held = rows["09bfeb5e-7e4b-4572-a44a-cc05120efd5e"]
    assert held["hold_s"] == pytest.approx(169.428)
    assert rows["585f63eb-e0be-47b6-a1d0-c65ba586bef2"]["queue"] == "JATest Queue"


def test_zendesk_ticket_export(ws, data_dir):
    report = run_import(ws, data_dir / "zendesk_tickets.json")
    assert report.ok and report.inserted == 4 and report.transcripts == 1
    rows = stored(ws)
    email, voice, chat, social = (rows[k] for k in ("41201", "41202", "41203", "41204"))
    assert (email["channel"], email["csat"], email["agent_name"], email["queue"]) == (
        "email",
        5,
        "Grace Lee",
        "Billing",
    )
    assert (email["ended_at"], email["complaint"]) == ("2026-10-07T15:02:10Z", "informal")
    assert (voice["channel"], voice["csat"], voice["vulnerable"]) == ("voice", 1, 1)
    assert (chat["channel"], chat["csat"], chat["agent_id"]) == ("chat", None, None)
    assert (social["channel"], social["csat"], social["complaint"]) == ("social", None, "formal")
    transcript = get_transcript(ws, interaction_id(ws, "41201"))
    assert transcript.format == "zendesk"
    assert [(t.role, t.speaker) for t in transcript.turns] == [
        ("customer", "Tom Green"),
        ("agent", "Grace Lee"),
        ("customer", "Tom Green"),
    ]
    assert transcript.turns[1].start_s == 3078.0  # seconds after the first comment
    assert all("Note to self" not in t.text for t in transcript.turns)  # private note skipped
    again = run_import(ws, data_dir / "zendesk_tickets.json")
    assert again.unchanged == 4 and again.transcripts == 0


def test_zendesk_unknown_channel_needs_a_value_map(ws, write):
    page = {
        "tickets": [
            {
                "id": 7,
                "via": {"channel": "api"},
                "created_at": "2026-10-01T09:00:00Z",
                "assignee_id": None,
                "tags": [],
            }
        ]
    }
    path = write("z.json", json.dumps(page))
    report = run_import(ws, path)
    assert (report.errors[0].row, report.errors[0].column) == (1, "via.channel")
    assert "unknown channel 'api'" in report.errors[0].message
    assert run_import(ws, path, mapping={"values": {"channel": {"api": "email"}}}).ok
    assert stored(ws)["7"]["channel"] == "email"


def test_our_json_records_with_turns(ws, write):
    records = [
        {
            "external_id": "J1",
            "channel": "chat",
            "started_at": "2026-10-01T09:00:00+01:00",
            "agent_external_id": "a7",
            "agent_name": "Amy Khan",
            "csat": 4,
            "fcr": True,
            "tags": ["billing", "repeat"],
            "uuid": "ignored",
            "turns": [
                {"speaker": "Amy", "text": "Hello, Amy speaking.", "start_s": 0},
                {"speaker": "Mr Brown", "text": "Hi, my bill is wrong.", "start_s": 4.5},
            ],
        },
        {
            "external_id": "J2",
            "channel": "voice",
            "started_at": "2026-10-01T10:00:00Z",
            "vulnerable": "yes",
            "complaint": "formal",
        },
    ]
    report = run_import(ws, write("ours.json", json.dumps(records)))
    assert report.ok and report.inserted == 2 and report.transcripts == 1
    rows = stored(ws)
    assert rows["J1"]["started_at"] == "2026-10-01T08:00:00Z"
    assert (rows["J1"]["tags"], rows["J1"]["fcr"]) == ('["billing", "repeat"]', 1)
    assert (rows["J2"]["vulnerable"], rows["J2"]["complaint"]) == (1, "formal")
    turns = get_transcript(ws, interaction_id(ws, "J1")).turns
    assert [(t.speaker, t.role) for t in turns] == [("Amy", "agent"), ("Mr Brown", "customer")]


def test_our_json_refuses_unknown_fields_and_bad_turns(ws, write):
    records = [
        {
            "external_id": "J1",
            "channel": "chat",
            "started_at": "2026-10-01T09:00:00Z",
            "colour": "red",
            "turns": [{"speaker": "A", "text": "", "role": "boss"}],
        }
    ]
    report = run_import(ws, write("ours.json", json.dumps(records)))
    assert [(e.row, e.column) for e in report.errors] == [(1, "colour"), (1, "turns[0].text")]
    assert count(ws) == 0


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        ("connect_ctr.jsonl", ["ContactId", "Channel", "InitiationTimestamp"]),
        ("genesys_conversations.json", ["conversationId"]),
        ("zendesk_tickets.json", ["id", "via.channel", "created_at"]),
    ],
)
def test_preview_of_vendor_exports_shows_source_paths(data_dir, name, headers):
    p = preview(data_dir / name)
    assert p.headers[: len(headers)] == headers
    assert p.rows and len(p.rows[0]) == len(p.headers)
    assert p.mapping["external_id"] == headers[0]


def test_genesys_missing_start_is_reported_with_its_path(ws, write):
    conv = {
        "conversationId": "G-1",
        "participants": [
            {"purpose": "customer", "sessions": [{"mediaType": "fax", "segments": []}]}
        ],
    }
    report = run_import(ws, write("g.json", json.dumps({"conversations": [conv]})))
    assert [(e.row, e.column) for e in report.errors] == [
        (1, "conversationStart"),
        (1, "participants[0].sessions[0].mediaType"),
    ]
    assert "unknown channel 'fax'" in report.errors[1].message and count(ws) == 0


def test_a_renamed_csv_is_not_taken_for_a_workbook(ws, write, good_csv):
    fake = write("calls.xlsx", good_csv.read_bytes())
    report = run_import(ws, fake)
    assert "calls.xlsx is not an Excel .xlsx workbook" in report.errors[0].message
    assert count(ws) == 0


def test_empty_json_export(ws, write):
    assert (
        "has no data rows" in run_import(ws, write("e.json", "[]"), fmt="connect").errors[0].message
    )
    assert "is empty" in run_import(ws, write("e2.json", " \n"), fmt="json").errors[0].message
