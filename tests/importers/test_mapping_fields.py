"""Column guessing, mapping files, field converters and the streaming writer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_studio.errors import DataRefused
from qa_studio.importers.fields import FieldError, make_converters
from qa_studio.importers.mapping import Mapping, guess_columns
from qa_studio.importers.transcript_formats import repair_mojibake
from qa_studio.storage.repository.interactions import (
    FIELDS,
    InteractionWriter,
    fast_uuids,
)


def test_guess_columns_from_common_header_names():
    guessed = guess_columns(
        [
            "ContactId",
            "Agent Name",
            "Agent ID",
            "Start Time",
            "End Time",
            "Channel",
            "Queue",
            "Duration (s)",
            "Hold",
            "Wrap",
            "CSAT",
            "FCR",
            "Complaint",
            "Vulnerable",
            "Recording",
            "Whatever",
        ]
    )
    assert guessed["external_id"] == "ContactId"
    assert (guessed["agent_external_id"], guessed["agent_name"]) == ("Agent ID", "Agent Name")
    assert (guessed["started_at"], guessed["ended_at"]) == ("Start Time", "End Time")
    assert (guessed["duration_s"], guessed["hold_s"], guessed["wrap_s"]) == (
        "Duration (s)",
        "Hold",
        "Wrap",
    )
    assert guessed["recording_path"] == "Recording" and guessed["team"] is None
    assert "Whatever" not in guessed.values()


@pytest.mark.parametrize(
    ("headers", "field", "expected"),
    [
        (["Call ID", "Agent"], "external_id", "Call ID"),
        (["Contact ID", "Agent"], "agent_external_id", "Agent"),  # known by name only
        (["Interaction Id", "Handled By"], "agent_name", "Handled By"),
        (["Ref", "Media Type"], "channel", "Media Type"),
        (["id", "After Call Work"], "wrap_s", "After Call Work"),
    ],
)
def test_guess_variants(headers, field, expected):
    assert guess_columns(headers)[field] == expected


def test_mapping_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    for text, message in [
        ("columns: [1, 2]\n", "expected"),
        ("colour: red\n", "unknown key 'colour'"),
        ("csat: {min: 5, max: 1}\n", "max must be greater than min"),
        ("dates: {timezone: Mars/Olympus}\n", "unknown time zone 'Mars/Olympus'"),
        ("durations: {unit: fortnights}\n", "unknown duration unit"),
        ("defaults: {channel: fax}\n", "defaults: channel: unknown channel 'fax'"),
        ("columns: {external_id: ID}\n  bad indent: [\n", "not valid YAML"),
    ]:
        bad.write_text(text)
        with pytest.raises(DataRefused, match=re.escape(message)) as info:
            Mapping.load(bad)
        assert str(bad) in info.value.message


def test_flat_csat_header_and_scale_options_coexist():
    m = Mapping.from_dict({"csat": "Survey", "columns": {"external_id": "Ref"}})
    assert m.columns == {"csat": "Survey", "external_id": "Ref"} and m.csat_scale is None
    m = Mapping.from_dict({"csat": {"min": 1, "max": 10}})
    assert m.csat_scale == (1.0, 10.0) and "csat" not in m.columns


def test_converters_for_dates_in_a_local_zone():
    conv = make_converters(date_format="%d/%m/%Y %H:%M", timezone="Europe/London")
    assert conv["started_at"]("01/07/2026 12:00") == "2026-07-01T11:00:00Z"
    assert conv["started_at"]("01/12/2026 12:00") == "2026-12-01T12:00:00Z"
    assert conv["started_at"]("2026-07-01T12:00:00Z") == "2026-07-01T12:00:00Z"
    assert conv["started_at"](datetime(2026, 7, 1, 12, 0)) == "2026-07-01T11:00:00Z"
    assert conv["started_at"]("2026-07-01T12:00:00+02:00") == "2026-07-01T10:00:00Z"
    with pytest.raises(FieldError, match="expected the format '%d/%m/%Y %H:%M'"):
        conv["started_at"]("2026-07-01 12:00")


def test_converters_reject_what_cannot_be_stored():
    conv = make_converters()
    for field, raw in [
        ("duration_s", "nan"),
        ("duration_s", "inf"),
        ("duration_s", "-0:30"),
        ("csat", "4.5"),
        ("csat", "0"),
        ("direction", "sideways"),
        ("tags", "[unclosed"),
        ("started_at", ""),
        ("external_id", "  "),
    ]:
        with pytest.raises(FieldError):
            conv[field](raw)
    assert conv["direction"]("OUT") == "outbound" and conv["channel"]("E-mail") == "email"
    assert conv["tags"]("a; b;;c") == '["a", "b", "c"]' and conv["tags"]('["x"]') == '["x"]'
    assert conv["complaint"]("Yes") == "formal" and conv["vulnerable"]("") == 0
    assert conv["fcr"]("") is None and conv["fcr"](True) == 1


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_any_non_negative_duration_round_trips(seconds):
    conv = make_converters()
    assert conv["duration_s"](repr(seconds)) == seconds


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    )
)
def test_any_instant_is_stored_as_utc_text_in_one_form(dt):
    conv = make_converters(timezone="Europe/London")
    stored = conv["started_at"](dt.isoformat())
    assert stored == dt.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert conv["started_at"](stored) == stored
    shifted = (dt + timedelta(hours=5)).astimezone(UTC).replace(microsecond=0)
    assert conv["started_at"](shifted.isoformat()) == shifted.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_mojibake_repair_touches_only_broken_lines():
    broken = "—".encode().decode("latin-1")  # 'â\x80\x94'
    assert repair_mojibake(f"e-mailed{broken}\nfine — ok") == ("e-mailed—\nfine — ok", True)
    assert repair_mojibake("Zoë — naïve") == ("Zoë — naïve", False)


def test_fast_uuids_are_distinct_version_4():
    ids = fast_uuids(2000)
    assert len(set(ids)) == 2000
    pattern = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
    assert all(pattern.fullmatch(u) for u in ids)


def _full(ext, **changes):
    values = dict.fromkeys(FIELDS)
    values.update(
        channel="voice",
        started_at="2026-10-01T09:00:00Z",
        complaint="none",
        vulnerable=0,
        tags="[]",
        source="test",
    )
    values.update(changes)
    return (fast_uuids(1)[0], ext, *(values[f] for f in FIELDS), "2026-11-01T00:00:00Z")


def test_writer_counts_and_conflicts(ws):
    with ws.db.atomic():
        writer = InteractionWriter(ws, chunk_size=2)
        assert writer.add(_full("A"), 2) is None
        assert writer.add(_full("B"), 3) is None
        assert writer.add(_full("C"), 4) is None  # A and B flushed already
        assert writer.add(_full("A"), 5) is None  # identical repeat (read back from the db)
        conflict = writer.add(_full("C", csat=3), 6)  # differs from the pending row
        assert conflict is not None and (conflict.first_ref, conflict.fields) == (4, ("csat",))
        result = writer.close()
    assert result.as_dict() == {"inserted": 3, "updated": 0, "unchanged": 1}
    with ws.db.atomic():
        writer = InteractionWriter(ws)
        writer.add(_full("A", csat=5))
        writer.add(_full("B"))
        writer.add(_full("D"))
        assert writer.close().as_dict() == {"inserted": 1, "updated": 1, "unchanged": 1}
    row = ws.db.execute("SELECT csat, imported_at FROM interactions WHERE external_id = 'A'")
    assert row.fetchone() == (5, "2026-11-01T00:00:00Z")
