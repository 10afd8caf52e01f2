"""Bad input: every problem reported as ``row N, column C: message`` and nothing written."""

from __future__ import annotations

import csv

import pytest

from qa_studio.importers.api import run_import
from tests.importers.helpers import GOOD_ROWS, HEADER, count, csv_text


def _only(report):
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    return report.errors[0]


def _refused(ws, report):
    """A refused import wrote nothing: no interactions, agents, teams or audit rows."""
    assert not report.ok and not report.written
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 0)
    for table in ("interactions", "agents", "teams", "audit_log"):
        assert count(ws, table) == 0, table


BAD_ROWS = [
    (
        "unparseable date",
        "B1,voice,31/02/2026 10:00,Amy,Billing,1,1,1,5,yes,no,no",
        "Start Time",
        "unparseable date '31/02/2026 10:00'",
    ),
    (
        "impossible date",
        "B1,voice,2026-02-31T10:00:00Z,Amy,Billing,1,1,1,5,yes,no,no",
        "Start Time",
        "unparseable date",
    ),
    (
        "negative duration",
        "B1,voice,2026-10-01T09:00:00Z,Amy,Billing,-5,1,1,5,yes,no,no",
        "Duration",
        "negative duration '-5'",
    ),
    (
        "unknown channel",
        "B1,fax,2026-10-01T09:00:00Z,Amy,Billing,1,1,1,5,yes,no,no",
        "Channel",
        "unknown channel 'fax'",
    ),
    (
        "csat out of range",
        "B1,voice,2026-10-01T09:00:00Z,Amy,Billing,1,1,1,7,yes,no,no",
        "CSAT",
        "CSAT 7 is out of range 1–5",
    ),
    (
        "missing id",
        ",voice,2026-10-01T09:00:00Z,Amy,Billing,1,1,1,5,yes,no,no",
        "Contact ID",
        "missing value",
    ),
    (
        "not a flag",
        "B1,voice,2026-10-01T09:00:00Z,Amy,Billing,1,1,1,5,maybe,no,no",
        "FCR",
        "expected yes or no",
    ),
    (
        "formula in a number",
        "B1,voice,2026-10-01T09:00:00Z,Amy,Billing,=1+1,1,1,5,yes,no,no",
        "Duration",
        "not a duration: '=1+1'",
    ),
]


@pytest.mark.parametrize(
    ("case", "row", "column", "message"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS]
)
def test_an_invalid_row_refuses_the_whole_file(ws, write, case, row, column, message):
    report = run_import(ws, write("bad.csv", csv_text(*GOOD_ROWS, row)))
    _refused(ws, report)
    err = _only(report)
    assert (err.row, err.column) == (5, column)  # header is row 1, so the 4th data row is 5
    assert message in err.message
    assert str(err).startswith(f"row 5, column {column}: ")
    assert report.rejected == 1


def test_every_problem_in_every_row_is_listed(ws, write):
    report = run_import(
        ws,
        write(
            "bad.csv",
            csv_text(
                "B1,fax,yesterday,Amy,Billing,-1,1,1,9,yes,no,no",
                GOOD_ROWS[0],
                "B3,voice,2026-10-01T09:00:00Z,Amy,Billing,1,-2,1,5,yes,nope,no",
            ),
        ),
    )
    _refused(ws, report)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Channel"),
        (2, "Start Time"),
        (2, "Duration"),
        (2, "CSAT"),
        (4, "Hold"),
        (4, "Complaint"),
    ]
    assert report.rejected == 2


def test_missing_required_column_is_reported_on_the_header_row(ws, write):
    path = write("nocol.csv", "Contact ID,Agent\nC1,Amy\n")
    report = run_import(ws, path)
    _refused(ws, report)
    assert [(e.row, e.column) for e in report.errors] == [(1, "channel"), (1, "started_at")]
    assert "required column missing" in report.errors[0].message


def test_mapping_naming_an_absent_column(ws, good_csv):
    report = run_import(ws, good_csv, mapping={"queue": "Skill Group"})
    _refused(ws, report)
    assert (report.errors[0].row, report.errors[0].column) == (1, "Skill Group")


def test_duplicate_id_with_conflicting_data(ws, write):
    changed = GOOD_ROWS[0].replace(",300,", ",301,")
    report = run_import(ws, write("dup.csv", csv_text(*GOOD_ROWS, changed)))
    _refused(ws, report)
    err = _only(report)
    assert (err.row, err.column) == (5, "Contact ID")
    assert "duplicate id 'C1'" in err.message and "row 2" in err.message
    assert "duration_s" in err.message


def test_duplicate_id_with_identical_data_is_not_a_problem(ws, write):
    report = run_import(ws, write("dup.csv", csv_text(*GOOD_ROWS, GOOD_ROWS[0])))
    assert report.ok and (report.inserted, report.unchanged) == (3, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf\r\n", "is empty"),
        (HEADER.encode() + b"\n", "has no data rows"),
    ],
)
def test_empty_files(ws, write, content, message):
    report = run_import(ws, write("empty.csv", content))
    _refused(ws, report)
    assert message in _only(report).message and "empty.csv" in report.errors[0].message


def test_utf16_file_is_refused_with_a_clear_message(ws, write):
    path = write("utf16.csv", csv_text(*GOOD_ROWS).encode("utf-16"))
    report = run_import(ws, path)
    _refused(ws, report)
    assert "utf16.csv is UTF-16 text, not UTF-8" in _only(report).message


def test_latin1_bytes_name_the_file_and_line(ws, write):
    text = csv_text(
        *GOOD_ROWS, "C4,voice,2026-10-01T09:00:00Z,Zoë Brontë,Billing,1,1,1,5,yes,no,no"
    )
    report = run_import(ws, write("latin1.csv", text.encode("cp1252")))
    _refused(ws, report)
    err = _only(report)
    assert err.row == 5 and "latin1.csv is not UTF-8 text (line 5 has the byte 0xeb" in err.message


def test_bad_bytes_in_the_header_line(ws, write):
    report = run_import(ws, write("h.csv", "Contact ID,Café\nC1,x\n".encode("latin-1")))
    _refused(ws, report)
    assert "line 1" in _only(report).message


def test_json_problems_name_the_dotted_path(ws, write):
    path = write(
        "ctr.json",
        (
            '[{"ContactId": "X1", "Channel": "VOICE", "InitiationTimestamp": "2026-10-01T09:00:00Z",'
            ' "Agent": {"Username": "amy", "AgentInteractionDuration": -3}},'
            ' {"ContactId": "X2", "Channel": "PIGEON", "InitiationTimestamp": "soon"}]'
        ),
    )
    report = run_import(ws, path, fmt="connect")
    _refused(ws, report)
    assert [(e.row, e.column) for e in report.errors] == [
        (1, "Agent.AgentInteractionDuration"),
        (2, "Channel"),
        (2, "InitiationTimestamp"),
    ]
    assert str(report.errors[0]).startswith(
        "row 1, column Agent.AgentInteractionDuration: negative duration"
    )


def test_invalid_json_reports_the_line(ws, write):
    report = run_import(ws, write("broken.json", '[\n{"external_id": "A"},\n{oops}\n]'), fmt="json")
    _refused(ws, report)
    err = _only(report)
    assert err.row == 3 and "broken.json is not valid JSON" in err.message


def test_skip_invalid_writes_valid_rows_and_a_rejects_file(ws, write):
    bad = "B1,fax,2026-10-01T09:00:00Z,Amy,Billing,1,1,1,5,yes,no,no"
    formula = 'B2,voice,2026-10-01T09:00:00Z,=HYPERLINK("x"),Billing,-1,1,1,5,yes,no,no'
    path = write("mixed.csv", csv_text(GOOD_ROWS[0], bad, GOOD_ROWS[1], formula))
    report = run_import(ws, path, skip_invalid=True)
    assert not report.ok and report.written
    assert (report.inserted, report.rejected) == (2, 2)
    assert count(ws) == 2 and count(ws, "audit_log") == 1
    assert report.rejects_path == path.with_name("mixed.rejects.csv")
    with report.rejects_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [*HEADER.split(","), "reason"]
    assert rows[1][:-1] == bad.split(",")
    assert rows[1][-1] == (
        "Channel: unknown channel 'fax' (expected voice, chat, email, social "
        "or task; or map it under values: channel: in the mapping)"
    )
    assert rows[2][3] == '=HYPERLINK("x")' and rows[2][-1].startswith("Duration: negative")


def test_skip_invalid_with_a_fixed_file_converges(ws, write):
    path = write("mixed.csv", csv_text(GOOD_ROWS[0], "B1,fax,2026-10-01T09:00:00Z,,,,,,,,,"))
    run_import(ws, path, skip_invalid=True)
    fixed = write("fixed.csv", csv_text(GOOD_ROWS[0], "B1,voice,2026-10-01T09:00:00Z,,,,,,,,,"))
    report = run_import(ws, fixed)
    assert report.ok and (report.inserted, report.unchanged) == (1, 1)


def test_dry_run_counts_but_writes_nothing(ws, good_csv, write):
    report = run_import(ws, good_csv, dry_run=True)
    assert report.ok and report.dry_run and report.inserted == 3
    assert count(ws) == 0 and count(ws, "agents") == 0 and count(ws, "audit_log") == 0
    run_import(ws, good_csv)
    changed = write(
        "c2.csv",
        csv_text(
            GOOD_ROWS[0].replace(",5,", ",4,"),
            *GOOD_ROWS[1:],
            "C4,task,2026-10-02T09:00:00Z,,,,,,,,,",
        ),
    )
    dry = run_import(ws, changed, dry_run=True)
    assert (dry.inserted, dry.updated, dry.unchanged) == (1, 1, 2)
    assert count(ws) == 3 and stored_csat(ws, "C1") == 5


def test_dry_run_with_bad_rows_reports_them_and_writes_no_rejects(ws, write):
    path = write("d.csv", csv_text(GOOD_ROWS[0], "B1,fax,2026-10-01T09:00:00Z,,,,,,,,,"))
    report = run_import(ws, path, dry_run=True, skip_invalid=True)
    assert report.rejected == 1 and report.rejects_path is None
    assert not path.with_name("d.rejects.csv").exists() and count(ws) == 0


def stored_csat(ws, ext):
    return ws.db.execute("SELECT csat FROM interactions WHERE external_id = ?", [ext]).fetchone()[0]


def test_cancel_rolls_back_and_reports_cancelled(ws, write):
    rows = [f"K{i},voice,2026-10-01T09:00:00Z,Agent {i % 7},Q,1,1,1,,,," for i in range(12_000)]
    path = write("big.csv", csv_text(*rows))
    seen: list[tuple[int, int]] = []
    report = run_import(
        ws, path, progress=lambda d, t: seen.append((d, t)), is_cancelled=lambda: bool(seen)
    )
    assert report.cancelled and not report.written
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 0)
    assert seen[0] == (5000, 12_000)
    assert count(ws) == 0 and count(ws, "agents") == 0 and count(ws, "audit_log") == 0


def test_progress_reaches_the_total(ws, write):
    rows = [f"K{i},voice,2026-10-01T09:00:00Z,,Q,1,1,1,,,," for i in range(11_000)]
    seen: list[tuple[int, int]] = []
    report = run_import(
        ws, write("big.csv", csv_text(*rows)), progress=lambda d, t: seen.append((d, t))
    )
    assert report.inserted == 11_000
    assert seen == [(5000, 11_000), (10_000, 11_000), (11_000, 11_000)]
