"""Writing user text into a workbook safely: never a formula, never a card number, never a crash.

Comments, names and question texts come from people and imported files. Written naively:

* ``=HYPERLINK("http://evil", "click")`` or ``+cmd|' /C calc'!A0`` typed into a comment would
  become a live formula when the pack is opened (CSV/formula injection). openpyxl turns any
  string starting with ``=`` into a formula, so every text cell here is forced to the string
  type (``data_type = "s"``): the cell shows exactly what was typed and is never evaluated.
* A card or phone number quoted in a comment would leave the workspace in a file that is mailed
  and printed; ``redact`` removes them (``qa_studio.domain.redaction``).
* Control characters (a pasted transcript's ``\\x0b``) are illegal in XML and make openpyxl
  raise mid-batch; they are dropped. Text beyond Excel's 32,767-character cell limit is cut.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet

from qa_studio.domain.redaction import redact

#: Excel's limit on the characters in one cell.
MAX_CELL_CHARS = 32_767
_TRUNCATED = " … [truncated]"


def clean_text(text: str, *, redacted: bool = False) -> str:
    """``text`` made safe to store: illegal XML characters dropped, length capped, and — when
    ``redacted`` — card numbers, phone numbers, emails and bank details removed."""
    value = ILLEGAL_CHARACTERS_RE.sub("", text)
    if redacted:
        value = redact(value)
    if len(value) > MAX_CELL_CHARS:
        value = value[: MAX_CELL_CHARS - len(_TRUNCATED)] + _TRUNCATED
    return value


class StyleCache:
    """Named styles applied by copying their style array: assigning ``cell.style = name`` makes
    openpyxl search its style list by name on every cell, four times slower than the copy, and
    a batch of packs sets hundreds of thousands of cells. One cache per workbook."""

    def __init__(self) -> None:
        self._arrays: dict[str, StyleArray] = {}

    def apply(self, cell: Cell, name: str) -> None:
        array = self._arrays.get(name)
        if array is None:
            cell.style = name  # the public path, once per style: validates the name
            self._arrays[name] = StyleArray(cell._style)
        else:
            cell._style = StyleArray(array)


class SheetWriter:
    """Writes one worksheet's cells: text always as text (redacted when asked), numbers and
    dates as values, named styles through the workbook's ``StyleCache``."""

    def __init__(self, ws: Worksheet, styles: StyleCache) -> None:
        self.ws = ws
        self.styles = styles

    def text(
        self, row: int, column: int, text: str | None, style: str | None = None,
        *, redacted: bool = False,
    ) -> Cell:  # fmt: skip
        """Write ``text`` as a string cell (never a formula), optionally redacted; ``None``
        leaves the cell empty but still styled."""
        cell = self.ws.cell(row=row, column=column)
        if text is not None:
            # Stored as a string directly: ``cell.value = …`` would type a leading "=" as a
            # formula (undone here anyway) and scan the text for illegal characters and its
            # length again, which ``clean_text`` has just dealt with — a third of the cost of a
            # text cell.
            cell._value = clean_text(str(text), redacted=redacted)
            cell.data_type = "s"
        if style is not None:
            self.styles.apply(cell, style)
        return cell

    def value(
        self,
        row: int,
        column: int,
        value: float | int | date | datetime | timedelta | None,
        style: str | None = None,
    ) -> Cell:
        """Write a number, date or duration (``None`` leaves the cell empty); strings are
        refused so that every text goes through ``text``."""
        if isinstance(value, str):
            raise TypeError("SheetWriter.value writes numbers and dates; use text() for text")
        cell = self.ws.cell(row=row, column=column)
        if value is not None:
            cell.value = value
        if style is not None:
            self.styles.apply(cell, style)
        return cell

    def row(
        self,
        row: int,
        values: list,
        styles: list[str | None],
        *,
        first_column: int = 1,
        redacted: bool = False,
    ) -> None:
        """A row of mixed cells: strings via ``text`` (redacted when asked), the rest as values."""
        for offset, (value, style) in enumerate(zip(values, styles, strict=True)):
            if isinstance(value, str):
                self.text(row, first_column + offset, value, style, redacted=redacted)
            else:
                self.value(row, first_column + offset, value, style)


def safe_sheet_title(text: str) -> str:
    """A worksheet title Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    value = "".join("_" if ch in "[]:*?/\\" else ch for ch in ILLEGAL_CHARACTERS_RE.sub("", text))
    return (value.strip("'") or "Sheet")[:31]
