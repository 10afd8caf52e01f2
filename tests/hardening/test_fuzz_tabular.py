"""Fuzz the CSV and XLSX importers: every file imports correctly or is refused cleanly.

"Cleanly" means: ``run_import`` returns a report whose errors name a row (and column) — or raises
one of our ``QAStudioError``s — and the workspace is exactly as before (row counts unchanged,
audit chain intact). Any other exception is a failure.
"""

from __future__ import annotations

import csv
import io
import itertools

from hypothesis import given, note
from hypothesis import strategies as st
from openpyxl import Workbook

from qa_studio.errors import QAStudioError
from qa_studio.importers.api import run_import
from tests.hardening.fuzz_support import (
    CASES,
    ENCODINGS,
    HUGE,
    adversarial_text,
    assert_chain_ok,
    assert_clear_refusal,
    counts,
    encode,
)

HEADER = ["Contact ID", "Channel", "Start Time", "Agent", "Queue", "Duration", "CSAT", "Tags"]
GOOD = ["C1", "voice", "2026-10-01T09:00:00Z", "Amy Khan", "Billing", "300", "5", "a;b"]

#: One row: each cell either a sensible value or an adversarial one.
row_strategy = st.lists(
    st.one_of(st.none(), adversarial_text), min_size=len(HEADER), max_size=len(HEADER)
)


def _row(n: int, cells: list[str | None]) -> list[str]:
    """Adversarial cells over a valid row (None keeps the valid value); ids stay distinct."""
    row = [good if cell is None else cell for good, cell in zip(GOOD, cells, strict=True)]
    if cells[0] is None:
        row[0] = f"F{n}"
    return row


def _check(ws, path, before, expected_rows: int, queues: dict[str, str] | None = None) -> None:
    try:
        report = run_import(ws, path)
    except QAStudioError as exc:
        assert_clear_refusal(exc, path.name)
        assert counts(ws) == before
        return
    if report.errors:
        for err in report.errors:
            assert err.message.strip()
            assert err.row >= 0
        assert not report.written
        assert counts(ws) == before, "a refused file changed the workspace"
    else:
        assert report.written
        assert report.inserted + report.updated + report.unchanged <= expected_rows
        assert counts(ws)[0] == before[0] + report.inserted
        for ext, queue in (queues or {}).items():
            stored = ws.db.execute(
                "SELECT queue FROM interactions WHERE external_id = ?", [ext.strip()]
            ).fetchone()
            if stored is not None and stored[0] is not None:
                # formula and SQL strings are stored as text, never evaluated or executed
                assert stored[0] == queue.strip(), (stored[0][:80], queue[:80])
    assert_chain_ok(ws)


def test_fuzz_csv_import(ws, tmp_path):
    numbers = itertools.count()
    start = CASES["csv"]

    @given(
        rows=st.lists(row_strategy, min_size=1, max_size=6),
        encoding=ENCODINGS,
        delimiter=st.sampled_from([",", ";", "\t"]),
    )
    def case(rows, encoding, delimiter):
        CASES["csv"] += 1
        n = next(numbers)
        buffer = io.StringIO()
        out = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        out.writerow(HEADER)
        table = [_row(n * 10 + i, cells) for i, cells in enumerate(rows)]
        out.writerows(table)
        path = tmp_path / f"fuzz{n}.csv"
        path.write_bytes(encode(buffer.getvalue(), encoding))
        note(f"encoding={encoding} delimiter={delimiter!r}")
        plain = encoding in ("utf-8", "utf-8-sig") and delimiter == ","
        queues = {r[0]: r[4] for r in table if r[4] != HUGE} if plain else None
        _check(ws, path, counts(ws), len(table), queues)

    case()
    assert CASES["csv"] > start


def test_fuzz_csv_raw_bytes(ws, tmp_path):
    """Arbitrary bytes under a valid header line: binary junk, NULs, half a UTF-16 file."""
    numbers = itertools.count()
    start = CASES["csv-bytes"]

    @given(body=st.binary(max_size=400), header=st.sampled_from([",".join(HEADER), ""]))
    def case(body, header):
        CASES["csv-bytes"] += 1
        path = tmp_path / f"raw{next(numbers)}.csv"
        path.write_bytes(header.encode() + b"\n" + body if header else body)
        _check(ws, path, counts(ws), body.count(b"\n") + 2)

    case()
    assert CASES["csv-bytes"] > start


def _xlsx_safe(value: str) -> str:
    # openpyxl itself refuses the control characters XML cannot hold; a real file cannot have them
    return "".join(c for c in value if c in "\t\n\r" or ord(c) >= 32)


def test_fuzz_xlsx_import(ws, tmp_path):
    numbers = itertools.count()
    start = CASES["xlsx"]

    @given(
        rows=st.lists(row_strategy, min_size=1, max_size=5),
        numeric=st.lists(st.one_of(st.integers(), st.floats(allow_nan=True)), max_size=3),
    )
    def case(rows, numeric):
        CASES["xlsx"] += 1
        n = next(numbers)
        wb = Workbook()
        sheet = wb.active
        sheet.append(HEADER)
        table = [[_xlsx_safe(c) for c in _row(n * 10 + i, cells)] for i, cells in enumerate(rows)]
        for r in table:
            sheet.append(r)
        for i, value in enumerate(numeric):  # numbers where text is expected, NaN, huge ints
            sheet.cell(row=2, column=2 + i, value=value)
        path = tmp_path / f"fuzz{n}.xlsx"
        wb.save(path)
        _check(ws, path, counts(ws), len(table))

    case()
    assert CASES["xlsx"] > start


def test_fuzz_xlsx_damaged_zip(ws, tmp_path):
    """A workbook whose bytes were damaged is refused, never half-imported."""
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(GOOD)
    good = tmp_path / "good.xlsx"
    wb.save(good)
    data = good.read_bytes()
    numbers = itertools.count()
    start = CASES["xlsx-damaged"]

    @given(at=st.integers(0, len(data) - 1), junk=st.binary(min_size=1, max_size=64),
           cut=st.booleans())  # fmt: skip
    def case(at, junk, cut):
        CASES["xlsx-damaged"] += 1
        path = tmp_path / f"bad{next(numbers)}.xlsx"
        path.write_bytes(data[:at] if cut else data[:at] + junk + data[at + len(junk) :])
        _check(ws, path, counts(ws), 1)

    case()
    assert CASES["xlsx-damaged"] > start


def test_deeply_nested_tags_cell_is_a_row_error(ws, tmp_path):
    """Found by fuzzing: a Tags cell of 100,000 '[' raised RecursionError out of json.loads."""
    path = tmp_path / "deep.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join([*GOOD[:-1], "[" * 100_000]) + "\n")
    before = counts(ws)
    report = run_import(ws, path)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Tags")]
    assert "not valid" in report.errors[0].message
    assert counts(ws) == before


def test_damaged_xlsx_member_is_refused_naming_the_file(ws, tmp_path):
    """Found by fuzzing: a corrupted deflate stream raised zlib.error out of openpyxl."""
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(GOOD)
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    data = bytearray(path.read_bytes())
    data[368] = 0
    path.write_bytes(bytes(data))
    report = run_import(ws, path)
    assert report.errors and "bad.xlsx" in report.errors[0].message
    assert not report.written


def test_xlsx_that_lost_its_sheet_list_is_refused(ws, tmp_path, monkeypatch):
    """Found by fuzzing: a workbook whose damage left no worksheet raised IndexError."""
    import openpyxl

    wb = Workbook()
    wb.active.append(HEADER)
    path = tmp_path / "nosheet.xlsx"
    wb.save(path)
    real = openpyxl.load_workbook

    def without_sheets(*args, **kwargs):
        book = real(*args, **kwargs)
        book._sheets = []  # what openpyxl returns for a workbook.xml that lost its <sheets>
        return book

    monkeypatch.setattr(openpyxl, "load_workbook", without_sheets)
    report = run_import(ws, path)
    assert [e.message for e in report.errors] == [
        "nosheet.xlsx has no worksheet (damaged workbook?)"
    ]
