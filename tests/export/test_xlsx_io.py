"""``xlsx_io.save_workbook``: in-memory serialisation, atomic rename, both openpyxl modes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from qa_studio.export.xlsx_io import save_workbook, workbook_bytes


def _filled(wb: Workbook) -> Workbook:
    ws = wb.create_sheet("Data") if wb.write_only else wb.active
    ws.title = "Data"
    rows = [["Month", "Score"], ["May", 81.5], ["June", 90.0]]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    ws.add_chart(chart, "D2")
    if wb.write_only:
        for row in rows:
            ws.append(row)
    else:
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                ws.cell(r, c, value)
        wb.create_sheet("Second")["A1"] = "second sheet"
    return wb


@pytest.mark.parametrize("write_only", [False, True])
def test_saved_workbook_reads_back(tmp_path, write_only):
    path = save_workbook(_filled(Workbook(write_only=write_only)), tmp_path / "sub" / "a.xlsx")
    assert path == tmp_path / "sub" / "a.xlsx"
    wb = load_workbook(path)
    ws = wb["Data"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["Month", "Score"], ["May", 81.5], ["June", 90.0]]  # fmt: skip
    assert [s.val.numRef.f for s in ws._charts[0].series] == ["'Data'!$B$2:$B$3"]
    assert wb.sheetnames == (["Data"] if write_only else ["Data", "Second"])
    assert [p.name for p in path.parent.iterdir()] == ["a.xlsx"]


def test_a_failed_save_leaves_neither_file_nor_part(tmp_path):
    wb = _filled(Workbook())
    # accepted by the cell, refused only when the sheet is serialised
    wb["Data"]["A5"] = datetime(2026, 10, 1, tzinfo=UTC)
    target = tmp_path / "b.xlsx"
    with pytest.raises(TypeError, match="timezones"):
        save_workbook(wb, target)
    assert list(tmp_path.iterdir()) == []


def test_workbook_bytes_is_a_zip(tmp_path):
    data = workbook_bytes(_filled(Workbook()))
    assert data[:2] == b"PK"
    (tmp_path / "c.xlsx").write_bytes(data)
    assert load_workbook(tmp_path / "c.xlsx")["Data"]["B3"].value == 90.0
