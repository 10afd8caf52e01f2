"""The importers' public API: what the command line and the import dialog call (no Qt here).

``detect_format`` guesses a file's format, ``preview`` shows its first rows with the guessed column
mapping, ``run_import`` imports it (one transaction; progress and cancellation for a background
job) and ``import_transcripts`` attaches a folder of transcripts. The dialog runs ``run_import``
on a worker thread with that thread's own workspace connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qa_studio.errors import UsageError
from qa_studio.importers.connect import ConnectSource
from qa_studio.importers.fields import FIELDS, REQUIRED
from qa_studio.importers.genesys import GenesysSource
from qa_studio.importers.jsonsource import OurJsonSource, load_json
from qa_studio.importers.mapping import Mapping
from qa_studio.importers.pipeline import rejects_path_for, run
from qa_studio.importers.report import ImportReport, RowError, SourceError
from qa_studio.importers.tabular import TabularSource
from qa_studio.importers.transcripts import TranscriptReport, import_transcripts
from qa_studio.importers.zendesk import ZendeskSource
from qa_studio.storage.db import Workspace

__all__ = [
    "FIELDS",
    "FORMATS",
    "REQUIRED",
    "ImportReport",
    "Preview",
    "RowError",
    "TranscriptReport",
    "detect_format",
    "import_transcripts",
    "preview",
    "rejects_path_for",
    "run_import",
]

FORMATS: tuple[str, ...] = ("csv", "xlsx", "json", "connect", "genesys", "zendesk")
JSON_SOURCES = {
    "json": OurJsonSource,
    "connect": ConnectSource,
    "genesys": GenesysSource,
    "zendesk": ZendeskSource,
}
_KEYS = re.compile(
    r'"(conversationId|ContactId|tickets|external_id|Transcript|'
    r'CustomerMetadata|convo_id|interactions)"\s*:'
)


@dataclass
class Preview:
    """The first rows of a file as text, and which source column feeds each of our fields."""

    headers: list[str]
    rows: list[list[str]]
    mapping: dict[str, str | None]
    required: tuple[str, ...]
    fields: tuple[str, ...]
    format: str = ""
    errors: list[RowError] | None = None


def detect_format(path: Path) -> str:
    """Guess from the extension, then from the content; ``UsageError`` when it cannot tell."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".tsv"):
        return "csv"
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from exc
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not text.startswith(("{", "[")):
        if suffix in (".json", ".jsonl", ".ndjson"):
            raise UsageError(f"{path.name} does not start like JSON; give --format")
        return "csv"
    keys = set(_KEYS.findall(text))
    if ("Transcript" in keys and "CustomerMetadata" in keys) or "convo_id" in keys:
        raise UsageError(
            f"{path.name} is a transcript, not interaction records",
            ["import it with: qa-studio --db FILE import-transcripts FOLDER"],
        )
    for key, fmt in (
        ("conversationId", "genesys"),
        ("ContactId", "connect"),
        ("tickets", "zendesk"),
        ("external_id", "json"),
        ("interactions", "json"),
    ):
        if key in keys:
            return fmt
    raise UsageError(
        f"cannot tell the format of {path.name}", [f"give --format, one of: {', '.join(FORMATS)}"]
    )


def _mapping(mapping: dict | Mapping | None) -> Mapping:
    if isinstance(mapping, Mapping):
        return mapping
    return Mapping.from_dict(mapping, source="mapping")


def open_source(path: Path, fmt: str | None, mapping: dict | Mapping | None):
    """The reader for ``path``; raises ``SourceError`` for files that cannot be read at all."""
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", [f"formats: {', '.join(FORMATS)}"])
    m = _mapping(mapping)
    if fmt in ("csv", "xlsx"):
        return TabularSource(path, fmt, m)
    return JSON_SOURCES[fmt](path, m, load_json(path))


def preview(path: Path, fmt: str | None = None, mapping: dict | None = None) -> Preview:
    """Headers, the first ≤20 data rows as text and the mapping (the user's, else guessed).

    A file that cannot be read at all gives a preview with no rows and its ``errors``.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    try:
        source = open_source(path, fmt, mapping)
    except SourceError as exc:
        return Preview([], [], dict.fromkeys(FIELDS), REQUIRED, FIELDS, fmt, exc.errors)
    if isinstance(source, TabularSource):
        try:
            rows = source.preview_rows()
        except SourceError as exc:
            return Preview(source.headers, [], source.columns, REQUIRED, FIELDS, fmt, exc.errors)
        finally:
            source.close()
        return Preview(source.headers, rows, source.columns, REQUIRED, FIELDS, fmt, [])
    headers, rows, columns = source.preview()
    return Preview(headers, rows, columns, REQUIRED, FIELDS, fmt, [])


def run_import(
    ws: Workspace,
    path: Path,
    *,
    fmt: str | None = None,
    mapping: dict | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import one file in one transaction; see ``pipeline`` for refusal, rejects and dry runs.

    ``mapping`` is the YAML form or the flat ``{field: header}`` form (``Preview.mapping``).
    Problems with the file or its rows come back in the report; a bad mapping raises
    ``DataRefused`` and an unknown format ``UsageError``.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    try:
        source = open_source(path, fmt, mapping)
    except SourceError as exc:
        return ImportReport(errors=exc.errors, path=path, format=fmt, dry_run=dry_run)
    return run(
        ws,
        source,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=progress,
        is_cancelled=is_cancelled,
    )
