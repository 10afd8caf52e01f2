"""Any table on screen — headers and rows — saved as an XLSX workbook with safe text cells.

The dashboard and the training-needs matrix offer "Export…" on every table; they hand over the
rows they show, not widgets, so the same function serves a batch job and a test. Text goes through
``xlsx_safe.SheetWriter`` (never a formula, control characters dropped, length capped); numbers
stay numbers so the recipient can sort and chart them. Several tables can share one workbook as
separate sheets.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from qa_studio.errors import DataRefused
from qa_studio.export.xlsx_safe import SheetWriter, StyleCache, safe_sheet_title

Cell = str | int | float | None
Table = tuple[str, Sequence[str], Sequence[Sequence[Cell]]]

_BOLD = Font(bold=True)
#: Column widths are capped so that one long comment does not make a sheet unreadable.
MAX_WIDTH = 60


def _write(wb: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
           taken: set[str]) -> None:  # fmt: skip
    name = safe_sheet_title(title)
    base, k = name, 2
    while name.lower() in taken:
        suffix = f" ({k})"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    taken.add(name.lower())
    sheet = wb.create_sheet(name)
    w = SheetWriter(sheet, StyleCache())
    widths = [len(h) for h in headers]
    for col, head in enumerate(headers, start=1):
        w.text(1, col, head).font = _BOLD
    for r, row in enumerate(rows, start=2):
        if len(row) != len(headers):
            raise ValueError(
                f"row {r} of '{title}' has {len(row)} cells for {len(headers)} headers"
            )
        for col, value in enumerate(row, start=1):
            if isinstance(value, str):
                w.text(r, col, value)
            elif isinstance(value, float) and value != value:  # NaN: leave the cell empty
                w.value(r, col, None)
            else:
                w.value(r, col, value)
            widths[col - 1] = max(widths[col - 1], len(str(value)) if value is not None else 0)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"


def write_tables(tables: Sequence[Table], path: Path | str) -> Path:
    """Write each ``(title, headers, rows)`` as a sheet of one workbook; ``DataRefused`` when
    the file cannot be written."""
    target = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for title, headers, rows in tables:
        _write(wb, title, headers, rows, taken)
    if not tables:
        wb.create_sheet("Empty")
    try:
        wb.save(target)
    except OSError as exc:
        raise DataRefused(
            f"cannot write {target}: {exc.strerror or exc}.",
            ["Choose a folder you can write to, and close the file if it is open."],
        ) from exc
    return target


def write_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                path: Path | str) -> Path:  # fmt: skip
    """One table, one sheet."""
    return write_tables([(title, headers, rows)], path)
