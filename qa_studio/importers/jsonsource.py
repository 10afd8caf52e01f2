"""JSON sources: loading (array, single object, JSON lines) and our own records format.

``load_json`` gives every record its number: the 1-based position in an array, or the line a
record starts on in JSON lines (several objects one after another also work, as Amazon Connect's
Firehose delivers them). Problems name the record's dotted path (``Agent.Username``).

``JsonSource`` is the base of every JSON importer: a subclass says, for one record, which raw value
and path feed each of our fields (``extract``); the base converts them with the shared converters
and yields rows to the pipeline. Our own format is ``OurJsonSource``: an array (or JSON lines) of
objects with our field names, optionally with ``turns`` (or ``transcript: {format, turns}``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from qa_studio.domain.models import Transcript
from qa_studio.importers.fields import FIELDS, INDEX, REQUIRED, FieldError, text_of
from qa_studio.importers.mapping import Mapping
from qa_studio.importers.report import RowError, SourceError
from qa_studio.importers.speakers import assign_roles, turns_from_json
from qa_studio.importers.tabular import PREVIEW_ROWS

Extracted = dict[str, tuple[Any, str]]


def read_text(path: Path) -> str:
    """UTF-8 text (BOM allowed); other encodings refused with the line of the first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError([RowError(0, "", f"{path}: cannot be read ({exc.strerror})")]) from exc
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise SourceError([RowError(1, "", f"{path.name} is empty")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:65536]:
        raise SourceError(
            [
                RowError(
                    1,
                    "",
                    f"{path.name} is UTF-16 text, not UTF-8; save it as UTF-8 and import it again",
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            [
                RowError(
                    line,
                    "",
                    (
                        f"{path.name} is not UTF-8 text (line {line} has the byte 0x{data[exc.start]:02x}); "
                        "save it as UTF-8 and import it again"
                    ),
                )
            ]
        ) from None


def load_json(path: Path) -> tuple[dict | None, list[tuple[int, Any]]]:
    """``(top-level object or None, [(record number, record)])``."""
    text = read_text(path)
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            items = json.loads(text)
            return None, [(i, item) for i, item in enumerate(items, start=1)]
        decoder = json.JSONDecoder()
        records: list[tuple[int, Any]] = []
        pos = len(text) - len(stripped)
        while pos < len(text):
            line = text.count("\n", 0, pos) + 1
            obj, end = decoder.raw_decode(text, pos)
            records.append((line, obj))
            pos = end
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
    except json.JSONDecodeError as exc:
        raise SourceError(
            [
                RowError(
                    exc.lineno,
                    "",
                    (
                        f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}, column "
                        f"{exc.colno}"
                    ),
                )
            ]
        ) from None
    except RecursionError:  # json gives up on very deep nesting with RecursionError, not an error
        raise SourceError(
            [
                RowError(
                    1, "", f"{path.name} is nested too deeply to be an export (not JSON records)"
                )
            ]
        ) from None
    if len(records) == 1 and isinstance(records[0][1], dict):
        return records[0][1], [(1, records[0][1])]
    return None, records


def dig(obj: Any, path: str) -> Any:
    """``dig(record, "Agent.Username")``: None when any step is missing."""
    for key in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


class JsonSource:
    """Base of JSON importers; subclasses set ``fmt`` and ``COLUMNS`` and define ``extract``."""

    fmt = "json"
    COLUMNS: ClassVar[dict[str, str]] = {}

    def __init__(self, path: Path, mapping: Mapping, loaded=None) -> None:
        self.path, self.mapping = path, mapping
        self.notes: list[str] = []
        self.top, self.items = loaded if loaded is not None else load_json(path)
        self.id_column = self.COLUMNS.get("external_id", "external_id")
        self._problems: dict[int, list[tuple[str, str]]] = {}

    def entries(self) -> list[tuple[int, Any]]:
        """The records to import, in order (vendors unwrap pages or drop superseded records)."""
        return self.items

    def extract(self, obj: dict) -> tuple[Extracted, Transcript | None, list[tuple[str, str]]]:
        raise TypeError(f"{type(self).__name__} must define extract()")

    def total(self) -> int:
        return len(self.entries())

    def records(self) -> Iterator[tuple]:
        conv = self.mapping.converters()
        defaults = self.mapping.default_values(conv)
        base = [defaults.get(f) for f in FIELDS]
        for number, obj in self.entries():
            problems = list(self._problems.get(number, ()))
            if not isinstance(obj, dict):
                yield number, None, obj, [("", "expected a JSON object")], None
                continue
            raw, transcript, more = self.extract(obj)
            problems += more
            values = base.copy()
            for name, (value, where) in raw.items():
                if name in self.mapping.defaults and (value is None or value == ""):
                    continue
                try:
                    values[INDEX[name]] = conv[name](value)
                except FieldError as exc:
                    problems.append((where, str(exc)))
            for name in REQUIRED:
                if name not in raw and values[INDEX[name]] is None:
                    problems.append((self.COLUMNS.get(name, name), "missing value"))
            yield number, values, obj, problems or None, transcript

    def preview(self) -> tuple[list[str], list[list[str]], dict[str, str | None]]:
        fields = [f for f in FIELDS if f in self.COLUMNS]
        rows = []
        for _, obj in self.entries()[:PREVIEW_ROWS]:
            raw = self.extract(obj)[0] if isinstance(obj, dict) else {}
            rows.append([text_of(raw.get(f, (None, ""))[0]) for f in fields])
        mapping = {f: self.COLUMNS.get(f) for f in FIELDS}
        return [self.COLUMNS[f] for f in fields], rows, mapping

    def reject_header(self) -> list[str]:
        return ["row", "record", "reason"]

    def reject_row(self, number: int, original: Any) -> list[str]:
        return [str(number), json.dumps(original, ensure_ascii=False, sort_keys=True)]


#: Keys our own export may carry that are not imported (identity and bookkeeping).
IGNORED_KEYS = frozenset(("id", "uuid", "imported_at", "source", "agent_id"))


class OurJsonSource(JsonSource):
    """Our records: ``[{"external_id": …, "channel": …, "started_at": …, …}]``."""

    fmt = "json"
    COLUMNS: ClassVar[dict[str, str]] = {f: f for f in FIELDS}

    def entries(self) -> list[tuple[int, Any]]:
        if self.top is not None and isinstance(self.top.get("interactions"), list):
            return list(enumerate(self.top["interactions"], start=1))
        return self.items

    def extract(self, obj: dict) -> tuple[Extracted, Transcript | None, list[tuple[str, str]]]:
        raw: Extracted = {name: (obj.get(name), name) for name in REQUIRED}
        problems: list[tuple[str, str]] = []
        transcript = None
        for key, value in obj.items():
            if key in INDEX:
                raw[key] = (value, key)
            elif key in ("turns", "transcript"):
                turns_value = value.get("turns") if isinstance(value, dict) else value
                where = "transcript.turns" if isinstance(value, dict) else "turns"
                fmt = value.get("format", "json") if isinstance(value, dict) else "json"
                turns, more = turns_from_json(turns_value, where)
                problems += more
                if turns and not more:
                    settled, note = assign_roles(turns, text_of(obj.get("agent_name")) or None)
                    transcript = Transcript(format=str(fmt), turns=tuple(settled))
                    if note:
                        self.notes.append(f"{obj.get('external_id')}: {note}")
            elif key not in IGNORED_KEYS:
                problems.append((key, f"unknown field {key!r} (fields: {', '.join(FIELDS)})"))
        return raw, transcript, problems
