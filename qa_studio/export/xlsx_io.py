"""Saving workbooks: atomically, and without openpyxl's temporary file per worksheet.

openpyxl serialises each worksheet into a temporary file, copies it into the zip and deletes it.
On a busy disk each create-and-delete costs a few milliseconds — for a batch of 500 seven-sheet
coaching packs that was over ten seconds of waiting, more than writing the cells. ``save_workbook``
serialises every sheet into memory instead (a sheet is a few hundred kilobytes at most), builds
the zip in memory and writes the file once, through a ``.part`` file that is renamed into place
so a crash never leaves half a workbook under the real name.

Works for ordinary workbooks; a write-only workbook's sheets were already streamed into
openpyxl's temporary files as rows were appended, and those are copied and removed as openpyxl
does. (The packs stay in openpyxl's ordinary mode: its write-only mode measured no faster for
them, as nearly every cell is styled and a styled write-only cell is still a full ``Cell``.)
"""

from __future__ import annotations

import datetime
import os
from io import BytesIO
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

__all__ = ["save_workbook", "workbook_bytes"]


class _InMemoryExcelWriter(ExcelWriter):
    """openpyxl's ``ExcelWriter`` with ``write_worksheet`` serialising into memory (its body is
    openpyxl 3.1's, with the temporary file replaced by a ``BytesIO``)."""

    def write_worksheet(self, ws: Worksheet | WriteOnlyWorksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if self.workbook.write_only:
            if not ws.closed:
                ws.close()
            writer = ws._writer
        else:
            writer = WorksheetWriter(ws, out=BytesIO())
            writer.write()
        ws._rels = writer._rels
        if isinstance(writer.out, BytesIO):
            self._archive.writestr(ws.path[1:], writer.out.getvalue())
        else:
            self._archive.write(writer.out, ws.path[1:])
            writer.cleanup()
        self.manifest.append(ws)


def workbook_bytes(wb: Workbook) -> bytes:
    """The ``.xlsx`` file of ``wb`` as bytes (a write-only workbook can be saved only once)."""
    buffer = BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        now = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        wb.properties.modified = now
        _InMemoryExcelWriter(wb, archive).write_data()
    return buffer.getvalue()


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Save ``wb`` at ``path`` through a temporary ``.part`` file and a rename, so a crash never
    leaves half a workbook; the folder is created if missing."""
    data = workbook_bytes(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path
