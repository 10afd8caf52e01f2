"""The coaching pack's look: named styles registered once per workbook, and print set-up.

Named styles (rather than per-cell fonts and fills) keep every pack consistent, keep the file
small (one style record, not one per cell) and let a team restyle a pack in Excel by editing one
style. ``print_ready`` makes each sheet print as a team leader expects: A4, fit to the page
width however many rows, landscape for wide sheets, header row repeated on every page, the agent
and period in the header and page numbers in the footer.
"""

from __future__ import annotations

from functools import cache

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.named_styles import NamedStyleList
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.dimensions import ColumnDimension, RowDimension
from openpyxl.worksheet.worksheet import Worksheet

TITLE, SUBTITLE, HEADER = "QA Title", "QA Subtitle", "QA Header"
TEXT, WRAP, NUMBER, SIGNED = "QA Text", "QA Wrap", "QA Number", "QA Signed"
VALUE = "QA Value"
PERCENT, DATE, DURATION, NOTE = "QA Percent", "QA Date", "QA Duration", "QA Note"
INPUT, INPUT_DATE, LINK = "QA Input", "QA Input date", "QA Link"

_INK = "1F2937"
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_INPUT_FILL = PatternFill("solid", fgColor="FFFBEA")
_NOTE_FILL = PatternFill("solid", fgColor="FDE2C8")
_THIN = Side(style="thin", color="A6A6A6")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)
_UNLOCKED = Protection(locked=False)


def _styles() -> list[NamedStyle]:
    font = Font(name="Calibri", size=10, color=_INK)
    return [
        NamedStyle(TITLE, font=Font(name="Calibri", size=16, bold=True, color=_INK)),
        NamedStyle(SUBTITLE, font=Font(name="Calibri", size=11, italic=True, color="4B5563")),
        NamedStyle(
            HEADER,
            font=Font(name="Calibri", size=10, bold=True, color=_INK),
            fill=_HEADER_FILL,
            border=_GRID,
            alignment=Alignment(vertical="center", wrap_text=True),
        ),
        NamedStyle(TEXT, font=font, border=_GRID, alignment=_TOP),
        NamedStyle(VALUE, font=Font(name="Calibri", size=10, bold=True, color=_INK),
                   alignment=_TOP),
        NamedStyle(WRAP, font=font, border=_GRID, alignment=_TOP_WRAP),
        NamedStyle(NUMBER, font=font, border=_GRID, alignment=_TOP, number_format="0.0"),
        NamedStyle(SIGNED, font=font, border=_GRID, alignment=_TOP, number_format="+0.0;-0.0;0.0"),
        NamedStyle(PERCENT, font=font, border=_GRID, alignment=_TOP, number_format="0.0%"),
        NamedStyle(DATE, font=font, border=_GRID, alignment=_TOP, number_format="dd/mm/yyyy"),
        NamedStyle(DURATION, font=font, border=_GRID, alignment=_TOP, number_format="[m]:ss"),
        NamedStyle(
            NOTE,
            font=Font(name="Calibri", size=11, bold=True, color="9C2A00"),
            fill=_NOTE_FILL,
            alignment=Alignment(vertical="center"),
        ),
        NamedStyle(
            INPUT, font=font, fill=_INPUT_FILL, border=_GRID, alignment=_TOP_WRAP,
            protection=_UNLOCKED,
        ),
        NamedStyle(
            INPUT_DATE, font=font, fill=_INPUT_FILL, border=_GRID, alignment=_TOP,
            number_format="dd/mm/yyyy", protection=_UNLOCKED,
        ),
        NamedStyle(LINK, font=Font(name="Calibri", size=10, color="0563C1", underline="single"),
                   border=_GRID, alignment=_TOP),
    ]  # fmt: skip


def register_styles(wb: Workbook) -> None:
    """Add the pack's named styles to ``wb`` (once; a second call is a no-op)."""
    existing = set(wb.named_styles)
    for style in _styles():
        if style.name not in existing:
            wb.add_named_style(style)


#: The workbook lists that registering named styles fills (fonts, fills, ... by index).
_STYLE_LISTS = ("_fonts", "_fills", "_borders", "_protections", "_alignments", "_number_formats")


@cache
def _registered() -> Workbook:
    """A workbook holding nothing but the pack's named styles, made once per process: the
    model ``new_workbook`` copies (never written, never changed)."""
    wb = Workbook()
    register_styles(wb)
    return wb


def _copy_list(source: IndexedList) -> IndexedList:
    """``source`` copied without re-hashing its style objects (``IndexedList(source)`` hashes
    every font and fill again)."""
    copied = IndexedList()
    list.extend(copied, source)
    copied._dict = dict(source._dict)
    copied.clean = source.clean
    return copied


def new_workbook() -> Workbook:
    """A new workbook with the pack's named styles, exactly as ``Workbook()`` followed by
    ``register_styles`` leaves it, but copied from a per-process model: registering a style
    hashes its font, fill, border and alignment into the workbook's lists, about 9 ms a
    workbook, which a batch of 500 packs would otherwise pay 500 times. The style objects are
    shared with the model (openpyxl never changes one in place: cells and named styles point
    at them by index); the lists and the named styles' own index arrays are copies."""
    model = _registered()
    wb = Workbook()
    for name in _STYLE_LISTS:
        setattr(wb, name, _copy_list(getattr(model, name)))
    named = NamedStyleList()
    for style in model._named_styles:
        clone = NamedStyle.__new__(NamedStyle)
        # Straight into __dict__: NamedStyle.__setattr__ would re-hash into the lists.
        clone.__dict__.update(style.__dict__, _wb=wb, _style=StyleArray(style._style))
        list.append(named, clone)
    wb._named_styles = named
    return wb


#: A new row's and column's attributes as openpyxl's constructors leave them.
_NEW_ROW = dict(RowDimension(None).__dict__)
_NEW_COLUMN = dict(ColumnDimension(None).__dict__)


def _dimension(holder: dict, cls: type, new: dict, ws: Worksheet, key: int | str):
    """``holder[key]`` (``ws.row_dimensions[row]``, ``ws.column_dimensions[letter]``), created
    as openpyxl's own factory would but from a copy of its attributes: the constructor sets a
    dozen validated attributes one by one, about 45 µs a row, and a pack sizes a hundred rows
    and sixty columns."""
    dim = holder.get(key)
    if dim is None:
        dim = cls.__new__(cls)
        dim.__dict__.update(new, index=key)
        dim.parent = ws
        dim._style = None
        dict.__setitem__(holder, key, dim)
    return dim


def set_height(ws: Worksheet, row: int, height: float) -> None:
    """Row ``row``'s height in points."""
    _dimension(ws.row_dimensions, RowDimension, _NEW_ROW, ws, row).height = height


def set_widths(ws: Worksheet, widths: dict[str, float]) -> None:
    """Column widths in characters, e.g. ``{"A": 12, "B": 40}``."""
    holder = ws.column_dimensions
    for column, width in widths.items():
        _dimension(holder, ColumnDimension, _NEW_COLUMN, ws, column).width = width


#: Points per line of 10 pt text, and characters per unit of column width. Deliberately
#: generous: LibreOffice substitutes wider fonts for Calibri, and clipped text is worse than
#: a little white space.
LINE_PT = 13.0
CHARS_PER_WIDTH = 0.95


def fit_height(ws: Worksheet, row: int, cells: list[tuple[str | None, float]]) -> None:
    """Set ``row``'s height for its wrapped texts (``(text, column width)`` pairs): spreadsheet
    programs do not re-measure rows when they open a file, so an unset height clips wrapped
    text to one line."""
    lines = 1
    for text, width in cells:
        if not text:
            continue
        per_line = max(1, int(width * CHARS_PER_WIDTH))
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    if lines > 1:
        set_height(ws, row, LINE_PT * lines + 2)


def print_ready(
    ws: Worksheet,
    *,
    landscape: bool,
    header_rows: str | None = None,
    title: str = "",
) -> None:
    """A4, fit to one page wide (as many pages tall as needed), margins, repeated header rows,
    ``title`` in the page header and "Page n of m" in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if header_rows:
        ws.print_title_rows = header_rows
    if title:
        ws.oddHeader.center.text = title.replace("&", "&&")
        ws.oddHeader.center.size = 9
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.right.size = 9
