"""Run one import: convert, check and upsert every row in ONE transaction, audit it, report.

Sources (``tabular``, ``jsonsource`` and the vendor modules) yield ``(row, values, original,
problems, transcript)`` per record, with ``values`` in ``fields.FIELDS`` order. This module turns
valid rows into stored tuples (resolving agents through a cached ``AgentResolver`` and media paths
through ``MediaPaths``), streams them into ``InteractionWriter`` and decides the outcome:

* any invalid row and no ``skip_invalid`` → roll back, nothing written, every problem reported;
* ``skip_invalid`` → commit the valid rows, write ``<name>.rejects.csv`` with the reasons;
* ``dry_run`` or cancellation → roll back after counting.

Writing while checking (and rolling back when refused) means a file is read once, and the counts
a dry run reports are exactly what the real import will do.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.importers.redaction_hook import prepare
from qa_studio.importers.report import MAX_ERRORS, ImportReport, RowError, SourceError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, targeted
from qa_studio.storage.repository.interactions import (
    InteractionWriter,
    interaction_id,
    set_transcript,
)
from qa_studio.storage.repository.people import AgentResolver

PROGRESS_EVERY = 5000
CANCEL_EVERY = 1000
#: SQLite page cache for the import's connection, in KiB (``PRAGMA cache_size = -N``). Random
#: uuid keys touch index pages all over the file; with the default 2 MB cache a million-row import
#: spends much of its time re-reading and spilling pages. Memory only — durability is unchanged —
#: and the previous size is restored afterwards.
IMPORT_CACHE_KIB = 131072
AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".m4a", ".flac", ".opus")
VIDEO_SUFFIXES = (".mp4", ".webm", ".mkv", ".mov")


class _Rollback(Exception):
    """Leave the transaction without committing (refused import or dry run)."""


class _Cancelled(Exception):
    """The user cancelled: roll back."""


def stored_media_path(ws: Workspace, path: Path) -> str:
    """Relative to the workspace folder when inside ``NAME.media/``, absolute otherwise."""
    path = path.resolve()
    media = ws.media_dir.resolve()
    if path.is_relative_to(media):
        return path.relative_to(ws.path.parent.resolve()).as_posix()
    return str(path)


class MediaPaths:
    """Resolve recording locations from a file against the disk, once per distinct location.

    A location is tried as given, relative to the imported file's folder, and by its file name
    beside the imported file (a platform's storage key such as ``bucket/…/call.wav`` then finds a
    download placed next to the export). Locations not found are counted, not stored.
    """

    def __init__(self, ws: Workspace, base: Path) -> None:
        self.ws, self.base = ws, base
        self._cache: dict[str, str | None] = {}
        self.missing: list[str] = []

    def __call__(self, location: str) -> str | None:
        if location in self._cache:
            return self._cache[location]
        found = None
        name = location.replace("\\", "/").rsplit("/", 1)[-1]
        given = Path(location)
        tries = [given] if given.is_absolute() else [self.base / location]
        for candidate in [*tries, self.base / name]:
            with contextlib.suppress(OSError, ValueError):
                if name and candidate.is_file():
                    found = stored_media_path(self.ws, candidate)
                    break
        if found is None:
            self.missing.append(location)
        self._cache[location] = found
        return found


def run(
    ws: Workspace,
    source: Any,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import everything ``source`` yields; see the module docstring for the outcomes."""
    report = ImportReport(path=source.path, format=source.fmt, dry_run=dry_run)
    rejects: list[tuple[int, Any, str]] = []
    state = {"errors": 0}

    def reject(number: int, original: Any, problems: list[tuple[str, str]]) -> None:
        report.rejected += 1
        for column, message in problems:
            state["errors"] += 1
            if len(report.errors) < MAX_ERRORS:
                report.errors.append(RowError(number, column, message))
        if skip_invalid:
            rejects.append(
                (number, original, "; ".join(f"{c}: {m}" if c else m for c, m in problems))
            )

    previous_cache = ws.db.execute("PRAGMA cache_size").fetchone()[0]
    ws.db.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB:d}")
    try:
        with ws.db.atomic():
            _import_rows(ws, source, report, reject, progress, is_cancelled)
            if report.rejected and not skip_invalid:
                raise _Rollback
            if dry_run:
                raise _Rollback
            if report.inserted or report.updated or report.transcripts:
                audit.append(
                    ws,
                    "import",
                    "interactions",
                    None,
                    {
                        "file": str(source.path),
                        "format": source.fmt,
                        "counts": {
                            k: getattr(report, k)
                            for k in ("inserted", "updated", "unchanged", "rejected")
                        },
                        "transcripts": report.transcripts,
                    },
                )
            if queued := targeted.after_import(ws).note():  # issue 5: targeted-review rules
                report.notes.append(queued)
        report.written = True
    except _Rollback:
        if not dry_run:
            report.inserted = report.updated = report.unchanged = report.transcripts = 0
    except _Cancelled:
        report.cancelled = True
        report.inserted = report.updated = report.unchanged = report.transcripts = 0
        return report
    except SourceError as exc:
        report.errors = exc.errors + report.errors
        report.inserted = report.updated = report.unchanged = report.transcripts = 0
        return report
    finally:
        ws.db.execute(f"PRAGMA cache_size = {int(previous_cache):d}")
        close = getattr(source, "close", None)
        if close is not None:
            close()
    if state["errors"] > len(report.errors):
        report.errors.append(
            RowError(
                0, "", f"… and {state['errors'] - len(report.errors)} more problems not listed"
            )
        )
    if rejects and report.written and skip_invalid:
        report.rejects_path = write_rejects(source, rejects)
    return report


def _import_rows(ws, source, report, reject, progress, is_cancelled) -> None:
    stamp = utcnow_iso()
    resolver = AgentResolver(ws)
    agent = resolver.agent_id
    writer = InteractionWriter(ws, imported_at=stamp)
    next_uuid = writer.next_uuid
    agent_ids: dict[str, int] = {}
    media = MediaPaths(ws, source.path.parent)
    fmt, id_column = source.fmt, source.id_column
    total = (source.total() or 0) if progress else 0
    transcripts = []
    done = 0
    for number, v, original, problems, transcript in source.records():
        done += 1
        if done % CANCEL_EVERY == 0:
            if is_cancelled is not None and is_cancelled():
                raise _Cancelled
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, max(total, done))
        if problems:
            reject(number, original, problems)
            continue
        if v[20] is not None:
            v[20] = media(v[20])
        if v[21] is not None:
            v[21] = media(v[21])
        agent_key = v[4] or v[5]
        agent_id = None
        if agent_key:
            agent_id = agent_ids.get(agent_key)
            if agent_id is None:
                agent_id = agent_ids[agent_key] = agent(agent_key, v[5], v[6])
        # fmt: off
        conflict = writer.add((
            next_uuid(), v[0], v[1], agent_id, v[7], v[8], v[2], v[3], v[9], v[10], v[11], v[12],
            v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], fmt, stamp,
        ), number)  # (uuid, external_id, *interactions.FIELDS, imported_at)
        # fmt: on
        if conflict is not None:
            reject(
                number,
                original,
                [
                    (
                        id_column,
                        (
                            f"duplicate id {v[0]!r} with data different from row {conflict.first_ref} "
                            f"({', '.join(conflict.fields)})"
                        ),
                    )
                ],
            )
        elif transcript is not None:
            transcripts.append((v[0], transcript))
    if done == 0:
        raise SourceError([RowError(1, "", f"{source.path.name} has no data rows")])
    result = writer.close()
    if is_cancelled is not None and is_cancelled():
        raise _Cancelled
    if progress is not None:
        progress(done, max(total, done))
    report.inserted, report.updated, report.unchanged = (
        result.inserted,
        result.updated,
        result.unchanged,
    )
    for external_id, transcript in transcripts:
        stored = prepare(ws, transcript)  # redacted when the workspace asks (issue 10)
        if set_transcript(ws, interaction_id(ws, external_id), stored) != "unchanged":
            report.transcripts += 1
    report.notes.extend(getattr(source, "notes", []))
    if media.missing:
        report.notes.append(
            f"{len(media.missing)} recording location(s) were not found on this computer and "
            f"were not linked (e.g. {media.missing[0]!r}); put the files beside the import "
            "file, or link them with import-transcripts"
        )


def rejects_path_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def write_rejects(source: Any, rejects: list[tuple[int, Any, str]]) -> Path:
    """``<name>.rejects.csv`` beside the input: the original row (verbatim) and the reason."""
    target = rejects_path_for(source.path)
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(source.reject_header())
        for number, original, reason in rejects:
            out.writerow([*source.reject_row(number, original), reason])
    return target
