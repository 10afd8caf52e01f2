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
import threading
from collections import OrderedDict
from io import BytesIO
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.styles.stylesheet import write_stylesheet
from openpyxl.workbook._writer import WorkbookWriter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.writer.theme import theme_xml
from openpyxl.xml.constants import (
    ARC_APP,
    ARC_CORE,
    ARC_ROOT_RELS,
    ARC_STYLE,
    ARC_THEME,
    ARC_WORKBOOK,
    ARC_WORKBOOK_RELS,
)
from openpyxl.xml.functions import tostring

__all__ = ["save_workbook", "workbook_bytes"]


class _StylesheetCache:
    """``styles.xml`` of recently saved workbooks, by everything it is made of.

    Serialising the stylesheet (fonts, fills, borders, the 64 indexed colours, every cell
    format and named style) costs about 10 ms, and every coaching pack of a batch has the same
    one: its style lists are copies of one per-process model (``pack_styles.new_workbook``).
    The key holds the *identity* of the font, fill, border, alignment and protection objects
    (safe because each entry keeps those objects alive, so no other object can take their
    ids), and the *value* of everything else: the cell formats, number formats, named styles,
    conditional-format styles and table styles. A workbook with anything different misses and
    is serialised as openpyxl does. Bounded, so other workbooks cannot grow it; locked, as
    background jobs may save workbooks on several threads."""

    SIZE = 16

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, tuple[bytes, list]] = OrderedDict()
        self._lock = threading.Lock()

    def xml(self, wb: Workbook) -> bytes:
        objects = [wb._fonts, wb._fills, wb._borders, wb._alignments, wb._protections]
        kept: list = [wb._colors, *(item for lst in objects for item in lst)]
        named = []
        for style in wb._named_styles:
            kept += [style.alignment, style.protection]
            named.append((style.name, style.builtinId, style.hidden, tuple(style._style),
                          id(style.alignment), id(style.protection)))  # fmt: skip
        key = (
            id(wb._colors),
            tuple(tuple(map(id, lst)) for lst in objects),
            tuple(named),
            tuple(wb._number_formats),
            tuple(tuple(array) for array in wb._cell_styles),
            tuple(wb._differential_styles.styles),
            wb._table_styles,
        )
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry[0]
        data = tostring(write_stylesheet(wb))
        with self._lock:
            self._entries[key] = (data, kept)
            if len(self._entries) > self.SIZE:
                self._entries.popitem(last=False)
        return data


_STYLESHEETS = _StylesheetCache()


class _InMemoryExcelWriter(ExcelWriter):
    """openpyxl's ``ExcelWriter`` with ``write_worksheet`` serialising into memory (its body is
    openpyxl 3.1's, with the temporary file replaced by a ``BytesIO``), and ``write_data``
    taking the stylesheet from ``_StylesheetCache`` (its body is openpyxl 3.1's but for that
    line, and for custom document properties, which this project never sets: such a workbook
    goes to openpyxl's own)."""

    def write_data(self) -> None:
        wb = self.workbook
        if len(wb.custom_doc_props):
            super().write_data()
            return
        archive = self._archive
        archive.writestr(ARC_APP, tostring(ExtendedProperties().to_tree()))
        archive.writestr(ARC_CORE, tostring(wb.properties.to_tree()))
        archive.writestr(ARC_THEME, wb.loaded_theme or theme_xml)
        self._write_worksheets()
        self._write_chartsheets()
        self._write_images()
        self._write_charts()
        self._write_external_links()
        archive.writestr(ARC_STYLE, _STYLESHEETS.xml(wb))
        writer = WorkbookWriter(wb)
        archive.writestr(ARC_ROOT_RELS, writer.write_root_rels())
        archive.writestr(ARC_WORKBOOK, writer.write())
        archive.writestr(ARC_WORKBOOK_RELS, writer.write_rels())
        self._merge_vba()
        self.manifest._write(archive, wb)

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
