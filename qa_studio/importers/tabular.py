"""Spreadsheet sources: generic CSV (UTF-8, with or without BOM, ``,`` ``;`` or tab) and XLSX.

Both read a header row and data rows, then share one compiled *plan*: for each mapped field the
column index and its converter. The plan runs on every row of files with a million rows, so the
hot loop is a plain list walk with no per-row objects.

Cells are never evaluated: a cell such as ``=HYPERLINK(…)`` is text and is stored as text
(openpyxl is opened with ``data_only=False`` so it hands us a formula's text, not its value).
"""

from __future__ import annotations

import csv
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from qa_studio.importers.fields import FIELDS, INDEX, REQUIRED, FieldError, text_of
from qa_studio.importers.mapping import Mapping
from qa_studio.importers.report import RowError, SourceError

PREVIEW_ROWS = 20
Rows = Iterator[tuple[int, list[Any]]]


def _bad_byte(path: Path) -> RowError:
    """Find the first byte that is not UTF-8 and say which line it is on."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return RowError(
                    number,
                    "",
                    (
                        f"{path.name} is not UTF-8 text (line {number} has the byte "
                        f"0x{raw[exc.start]:02x}, perhaps Latin-1/Windows-1252); save it as "
                        "'CSV UTF-8' and import it again"
                    ),
                )
    return RowError(1, "", f"{path.name} is not UTF-8 text; save it as 'CSV UTF-8'")


def _check_bytes(path: Path, text: bool = True) -> bytes:
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise SourceError([RowError(0, "", f"{path}: cannot be read ({exc.strerror})")]) from exc
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise SourceError([RowError(1, "", f"{path.name} is empty")])
    if text and (head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head):
        raise SourceError(
            [
                RowError(
                    1,
                    "",
                    (
                        f"{path.name} is UTF-16 text, not UTF-8; save it as 'CSV UTF-8' and import it "
                        "again"
                    ),
                )
            ]
        )
    return head


def sniff_delimiter(head: bytes) -> str:
    """Pick ``,`` ``;`` or tab by counting them in the header line (outside quotes)."""
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    outside, quoted = [], False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(ch)
    text = "".join(outside)
    counts = {d: text.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv(path: Path, delimiter: str | None = None) -> tuple[list[str], Rows, Callable]:
    """The header, an iterator of ``(row number, cells)`` (blank rows skipped) and a closer.

    Decoding is left to the io layer (fast); if it meets a byte that is not UTF-8 the file is
    scanned again to name the line it is on.
    """
    head = _check_bytes(path)
    sep = delimiter or sniff_delimiter(head)
    fh = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(fh, delimiter=sep)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        fh.close()
        raise SourceError([RowError(1, "", f"{path.name}: {exc}")]) from exc
    except UnicodeDecodeError:
        fh.close()
        raise SourceError([_bad_byte(path)]) from None
    if not header or not any(h.strip() for h in header):
        fh.close()
        raise SourceError([RowError(1, "", f"{path.name} has no header row")])

    def rows() -> Rows:
        number = 1
        try:
            for cells in reader:
                number += 1
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                yield number, cells
        except csv.Error as exc:
            raise SourceError([RowError(number + 1, "", f"{path.name}: {exc}")]) from exc
        except UnicodeDecodeError:
            raise SourceError([_bad_byte(path)]) from None

    return [h.strip() for h in header], rows(), fh.close


#: What a damaged workbook raises from openpyxl/zipfile, while opening or while its rows are read
#: (read-only mode decompresses the sheet lazily): bad zip, bad deflate stream, truncated member,
#: malformed XML (ParseError is a SyntaxError), missing part; a damaged zip header can also set
#: the "encrypted" flag (RuntimeError) or an unknown compression method (NotImplementedError).
XLSX_DAMAGE = (
    zipfile.BadZipFile,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    EOFError,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    SyntaxError,
)


def _damaged(path: Path, row: int, exc: BaseException) -> SourceError:
    return SourceError(
        [
            RowError(
                row, "", f"{path.name} is damaged and cannot be read ({type(exc).__name__}: {exc})"
            )
        ]
    )


def read_xlsx(path: Path, sheet: str | None = None) -> tuple[list[str], Rows, Callable, int]:
    """The header, ``(row number, cells)``, a closer and the sheet's row count (.xlsx)."""
    import openpyxl

    _check_bytes(path, text=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's style/extension notices
            wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except XLSX_DAMAGE as exc:
        raise SourceError(
            [RowError(1, "", f"{path.name} is not an Excel .xlsx workbook ({exc})")]
        ) from exc
    if sheet is not None and sheet not in wb.sheetnames:
        wb.close()
        raise SourceError(
            [
                RowError(
                    1,
                    "",
                    f"{path.name} has no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})",
                )
            ]
        )
    if not wb.worksheets:  # a damaged workbook can lose its sheet list
        wb.close()
        raise SourceError([RowError(1, "", f"{path.name} has no worksheet (damaged workbook?)")])
    ws = wb[sheet] if sheet else wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        header = next(it, None)
    except XLSX_DAMAGE as exc:
        wb.close()
        raise _damaged(path, 1, exc) from exc
    if header is None or not any(text_of(h).strip() for h in header):
        wb.close()
        raise SourceError([RowError(1, "", f"{path.name} has no header row")])
    total = max((ws.max_row or 1) - 1, 0)

    def rows() -> Rows:
        number = 1
        try:
            for number, cells in enumerate(it, start=2):
                if cells and any(c is not None and text_of(c).strip() for c in cells):
                    yield number, list(cells)
        except XLSX_DAMAGE as exc:
            raise _damaged(path, number + 1, exc) from exc

    return [text_of(h).strip() for h in header], rows(), wb.close, total


class TabularSource:
    """CSV or XLSX rows converted through a mapping into our field values."""

    def __init__(self, path: Path, fmt: str, mapping: Mapping) -> None:
        self.path, self.fmt, self.mapping = path, fmt, mapping
        self.notes: list[str] = []
        self._total: int | None = None
        if fmt == "xlsx":
            self.headers, self._rows, self._close, self._total = read_xlsx(path, mapping.sheet)
        else:
            self.headers, self._rows, self._close = read_csv(path, mapping.delimiter)
        self.columns = mapping.resolved_columns(self.headers)
        self.id_column = self.columns["external_id"] or "external_id"

    def close(self) -> None:
        self._rows.close()
        self._close()

    def total(self) -> int | None:
        if self._total is None:
            with self.path.open("rb") as fh:
                self._total = max(
                    sum(b.count(b"\n") for b in iter(lambda: fh.read(1 << 20), b"")) - 1, 0
                )
        return self._total

    def preview_rows(self) -> list[list[str]]:
        out = []
        for _, cells in self._rows:
            out.append([text_of(c) for c in cells])
            if len(out) >= PREVIEW_ROWS:
                break
        return out

    def _plan(self):
        conv = self.mapping.converters()
        defaults = self.mapping.default_values(conv)
        index: dict[str, int] = {}
        for i, h in enumerate(self.headers):
            index.setdefault(h, i)
            index.setdefault(h.lower(), i)
        base: list[Any] = [defaults.get(f) for f in FIELDS]
        plan, problems = [], []
        for name in FIELDS:
            header = self.columns.get(name)
            if header is None:
                if name in REQUIRED and defaults.get(name) is None:
                    problems.append(
                        RowError(
                            1,
                            name,
                            (
                                f"required column missing: no column for {name} (add it to the file, "
                                "or name its column under columns: in the mapping)"
                            ),
                        )
                    )
                continue
            i = index.get(header, index.get(header.lower()))
            if i is None:
                problems.append(
                    RowError(
                        1,
                        header,
                        (
                            f"the mapping names column {header!r} for {name}, but the file has no such "
                            "column"
                        ),
                    )
                )
                continue
            convert = conv[name]
            if name in self.mapping.defaults:
                convert = _or_default(convert, defaults[name])
            plan.append((INDEX[name], i, convert, header))
        if problems:
            raise SourceError(problems)
        return base, plan

    def records(self) -> Iterator[tuple]:
        """``(row, values, cells, problems, transcript)`` per data row."""
        base, plan = self._plan()
        fast = _compile(plan)
        for number, cells in self._rows:
            try:
                values = fast(cells, base.copy())
            except (FieldError, IndexError):
                values, problems = _slow(plan, cells, base.copy())
                yield number, values, cells, problems, None
                continue
            yield number, values, cells, None, None

    def reject_header(self) -> list[str]:
        return [*self.headers, "reason"]

    def reject_row(self, number: int, original: list[Any]) -> list[str]:
        cells = [text_of(c) for c in original]
        return cells + [""] * (len(self.headers) - len(cells))


def _or_default(convert, default):
    def wrapped(raw: Any) -> Any:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return default
        return convert(raw)

    return wrapped


def _compile(plan: list) -> Callable[[list, list], list]:
    """Generate ``convert(cells, values)`` with one line per mapped column, no loop.

    The generated source holds only slot and column numbers (never file content); converters
    are bound as default arguments. A row that raises is redone by ``_slow`` to list every
    problem in it.
    """
    args = ", ".join(f"c{k}=c{k}" for k in range(len(plan)))
    body = "".join(
        f"    v[{slot}] = c{k}(cells[{i}])\n" for k, (slot, i, _convert, _header) in enumerate(plan)
    )
    source = f"def convert(cells, v{', ' + args if args else ''}):\n{body}    return v\n"
    namespace: dict[str, Any] = {f"c{k}": p[2] for k, p in enumerate(plan)}
    exec(compile(source, "<import plan>", "exec"), namespace)
    return namespace["convert"]


def _slow(plan: list, cells: list, values: list) -> tuple[list, list[tuple[str, str]] | None]:
    problems = []
    n = len(cells)
    for slot, i, convert, header in plan:
        try:
            values[slot] = convert(cells[i] if i < n else None)
        except FieldError as exc:
            problems.append((header, str(exc)))
    return values, problems or None
