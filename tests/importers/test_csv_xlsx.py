"""Generic CSV and XLSX imports: mapping guessed or given, idempotence, updates, formulas."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pytest

from qa_studio.importers.api import preview, run_import
from qa_studio.importers.mapping import Mapping
from tests.importers.helpers import GOOD_ROWS, count, csv_text, stored


def test_csv_with_guessed_mapping_stores_every_field(ws, good_csv):
    report = run_import(ws, good_csv)
    assert report.ok and report.as_dict() == {
        "inserted": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "errors": [],
    }
    rows = stored(ws)
    c1, c2, c3 = rows["C1"], rows["C2"], rows["C3"]
    assert (c1["channel"], c1["agent"], c1["agent_name"], c1["queue"]) == (
        "voice",
        "Amy Khan",
        "Amy Khan",
        "Billing",
    )
    assert (c1["duration_s"], c1["hold_s"], c1["wrap_s"], c1["csat"], c1["fcr"]) == (
        300.0,
        10.0,
        30.0,
        5,
        1,
    )
    assert (c2["complaint"], c2["vulnerable"], c2["fcr"]) == ("informal", 1, 0)
    assert c3["agent_id"] is None and c3["csat"] is None and c3["complaint"] == "none"
    assert {r["source"] for r in rows.values()} == {"csv"}
    assert count(ws, "agents") == 2


def test_same_file_twice_changes_nothing_and_a_changed_row_updates(ws, good_csv, write):
    run_import(ws, good_csv)
    before = ws.db.execute("SELECT uuid, imported_at FROM interactions ORDER BY id").fetchall()
    audit_rows = count(ws, "audit_log")
    again = run_import(ws, good_csv)
    assert again.as_dict()["inserted"] == 0 and again.unchanged == 3 and again.updated == 0
    assert (
        ws.db.execute("SELECT uuid, imported_at FROM interactions ORDER BY id").fetchall() == before
    )
    assert count(ws, "audit_log") == audit_rows  # nothing changed, nothing to audit

    changed = write(
        "calls2.csv", csv_text(GOOD_ROWS[0].replace(",5,yes", ",2,yes"), *GOOD_ROWS[1:])
    )
    report = run_import(ws, changed)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 2)
    row = stored(ws)["C1"]
    assert row["csat"] == 2 and row["uuid"] == before[0][0]


def test_one_transaction_and_one_audit_row_per_import(ws, good_csv):
    cache = ws.db.execute("PRAGMA cache_size").fetchone()[0]
    run_import(ws, good_csv)
    assert ws.db.execute("PRAGMA cache_size").fetchone()[0] == cache  # import's cache undone
    rows = ws.db.execute("SELECT action, entity, payload FROM audit_log").fetchall()
    assert len(rows) == 1
    action, entity, payload = rows[0]
    doc = json.loads(payload)
    assert (action, entity, doc["format"]) == ("import", "interactions", "csv")
    assert doc["counts"] == {"inserted": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert doc["file"].endswith("calls.csv")


def test_bom_semicolons_and_a_yaml_mapping_with_scales_zones_and_values(ws, data_dir):
    raw = (data_dir / "calls_uk.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
    mapping = Mapping.load(data_dir / "dialler_mapping.yaml")
    report = run_import(ws, data_dir / "calls_uk.csv", mapping=mapping)
    assert report.ok and report.inserted == 4
    rows = stored(ws)
    first = rows["UK-0001"]
    # 01/10/2026 09:03 in London is BST: 08:03 UTC; "00:05:12" is 312 s; 9 on 0–10 → 5 on 1–5.
    assert first["started_at"] == "2026-10-01T08:03:00Z"
    assert (first["duration_s"], first["csat"], first["fcr"], first["channel"]) == (
        312.0,
        5,
        1,
        "voice",
    )
    assert (first["agent"], first["agent_name"], first["customer_ref"]) == (
        "akhan",
        "Amy Khan",
        "ACC-100234",
    )
    assert rows["UK-0003"]["started_at"] == "2026-10-26T01:30:00Z"  # GMT again after 25 Oct
    assert rows["UK-0003"]["agent_id"] is None  # abandoned: no agent
    assert rows["UK-0002"]["channel"] == "chat" and rows["UK-0002"]["csat"] == 3
    assert rows["UK-0004"]["complaint"] == "formal" and rows["UK-0004"]["vulnerable"] == 1
    team = ws.db.execute(
        "SELECT t.name FROM agents a JOIN teams t ON t.id = a.team_id WHERE a.external_id = 'akhan'"
    ).fetchone()
    assert team == ("Billing North",)


def test_formula_looking_cells_are_stored_verbatim_as_text(ws, write):
    header = "Contact ID,Channel,Start Time,Customer,Outcome,Queue"
    path = write(
        "f.csv",
        csv_text(
            'F1,voice,2026-10-01T09:00:00Z,"=HYPERLINK(""http://evil.example"",""x"")",+1+1,@SUM(A1)',
            "F2,chat,2026-10-01T09:05:00Z,-2+3,=1+1,=cmd|' /C calc'!A0",
            header=header,
        ),
    )
    assert run_import(ws, path).ok
    rows = stored(ws)
    assert rows["F1"]["customer_ref"] == '=HYPERLINK("http://evil.example","x")'
    assert (rows["F1"]["outcome"], rows["F1"]["queue"]) == ("+1+1", "@SUM(A1)")
    assert (rows["F2"]["customer_ref"], rows["F2"]["outcome"]) == ("-2+3", "=1+1")
    assert rows["F2"]["queue"] == "=cmd|' /C calc'!A0"


def _workbook(path, rows):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Contacts"
    for row in rows:
        sheet.append(row)
    wb.save(path)
    wb.close()
    return path


def test_xlsx_with_dates_numbers_and_a_formula_cell(ws, tmp_path):
    path = _workbook(
        tmp_path / "calls.xlsx",
        [
            ["Call ID", "Channel", "Start Time", "Agent Name", "Duration", "CSAT", "Outcome"],
            [1001, "Voice", datetime(2026, 10, 1, 9, 30), "Amy Khan", 312, 4, "=A2*2"],
            [1002, "Email", datetime(2026, 10, 2, 14, 0), "Ben Ode", 95.5, None, "resolved"],
            [None, None, None, None, None, None, None],
        ],
    )
    report = run_import(ws, path)
    assert report.ok and report.inserted == 2 and report.format == "xlsx"
    rows = stored(ws)
    assert set(rows) == {"1001", "1002"}  # integral numbers become ids without ".0"
    assert rows["1001"]["started_at"] == "2026-10-01T09:30:00Z"
    assert rows["1001"]["outcome"] == "=A2*2"  # the formula's text, never its value
    assert rows["1002"]["duration_s"] == 95.5 and rows["1002"]["csat"] is None
    assert run_import(ws, path).unchanged == 2


def test_xlsx_sheet_named_in_the_mapping(ws, tmp_path):
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Notes"])
    data = wb.create_sheet("Calls")
    data.append(["Contact ID", "Channel", "Start Time"])
    data.append(["S1", "chat", "2026-10-01T09:00:00Z"])
    wb.save(path)
    wb.close()
    report = run_import(ws, path, mapping={"sheet": "Calls"})
    assert report.ok and set(stored(ws)) == {"S1"}
    missing = run_import(ws, path, mapping={"sheet": "Nope"})
    assert "no sheet 'Nope'" in missing.errors[0].message


def test_preview_guesses_the_mapping_and_shows_text(data_dir):
    p = preview(data_dir / "calls_uk.csv")
    assert p.format == "csv" and p.headers[:3] == ["Call Ref", "Media", "Call Date"]
    assert len(p.rows) == 4 and p.rows[0][0] == "UK-0001"
    assert p.mapping["external_id"] == "Call Ref" and p.mapping["customer_ref"] == "Account No"
    assert p.mapping["agent_external_id"] == "Agent Login" and p.mapping["agent_name"] == "Agent"
    assert p.required == ("external_id", "channel", "started_at")
    assert set(p.fields) == set(p.mapping) and p.mapping["screen_recording_path"] is None


def test_preview_keeps_a_given_mapping_and_caps_rows(write):
    rows = [f"R{i},voice,2026-10-01T09:00:00Z" for i in range(30)]
    path = write("many.csv", csv_text(*rows, header="Ref,Kind,When"))
    p = preview(path, mapping={"external_id": "Ref", "channel": "Kind", "started_at": "When"})
    assert len(p.rows) == 20 and p.rows[19] == ["R19", "voice", "2026-10-01T09:00:00Z"]
    assert (p.mapping["external_id"], p.mapping["channel"]) == ("Ref", "Kind")


def test_flat_mapping_from_the_dialog_imports(ws, write):
    path = write("odd.csv", csv_text("X1|phone|2026-10-01 09:00", header="Ref|Kind|When"))
    mapping = {
        "external_id": "Ref",
        "channel": "Kind",
        "started_at": "When",
        "queue": None,
        "delimiter": "|",
    }
    report = run_import(ws, path, mapping=mapping)
    assert report.ok
    assert stored(ws)["X1"]["started_at"] == "2026-10-01T09:00:00Z"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiter_is_detected(ws, write, sep):
    text = csv_text(
        *(r.replace(",", sep) for r in GOOD_ROWS),
        header="Contact ID,Channel,Start Time,Agent,Queue,Duration,Hold,Wrap,CSAT,"
        "FCR,Complaint,Vulnerable".replace(",", sep),
    )
    assert run_import(ws, write("d.csv", text)).inserted == 3


def test_defaults_fill_a_missing_channel_column_and_empty_cells(ws, write):
    path = write(
        "nochan.csv",
        csv_text(
            "N1,2026-10-01T09:00:00Z,",
            "N2,2026-10-01T09:00:00Z,",
            header="Contact ID,Start Time,Complaint",
        ),
    )
    report = run_import(
        ws, path, mapping={"defaults": {"channel": "voice", "complaint": "informal"}}
    )
    assert report.ok
    assert {r["channel"] for r in stored(ws).values()} == {"voice"}
    assert {r["complaint"] for r in stored(ws).values()} == {"informal"}


def test_value_maps_and_percent_csat_scale(ws, write):
    path = write(
        "v.csv",
        csv_text(
            "V1,Telephone call,2026-10-01T09:00:00Z,100,Happy",
            "V2,Telephone call,2026-10-01T09:00:00Z,0,",
            header="Contact ID,Channel,Start Time,CSAT,Mood",
        ),
    )
    mapping = {"values": {"channel": {"telephone call": "voice"}}, "csat": {"min": 0, "max": 100}}
    assert run_import(ws, path, mapping=mapping).ok
    rows = stored(ws)
    assert (rows["V1"]["csat"], rows["V2"]["csat"]) == (5, 1)


def test_durations_in_milliseconds_and_clock_times(ws, write):
    path = write(
        "ms.csv",
        csv_text(
            "M1,voice,2026-10-01T09:00:00Z,61500,1:01:00",
            header="Contact ID,Channel,Start Time,Duration,Hold",
        ),
    )
    assert run_import(ws, path, mapping={"durations": {"unit": "milliseconds"}}).ok
    row = stored(ws)["M1"]
    assert (row["duration_s"], row["hold_s"]) == (61.5, 3660.0)
