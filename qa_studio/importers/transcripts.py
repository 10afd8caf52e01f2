"""``import-transcripts DIR``: attach transcript files (and recordings beside them) to interactions.

A file is matched to an interaction by the id it names itself (Contact Lens
``CustomerMetadata.ContactId``, ABCD ``convo_id``), else when its name (without extension) equals
an external id, else when its name contains exactly one external id between separators (``_``,
``.``, spaces). Files that match nothing, or more than one interaction, are reported and skipped;
so are files with errors (reported with their line). When two files match the same interaction,
a redacted Contact Lens file wins over the raw one (evaluators should not see card numbers), and
otherwise the first file by name; the others are reported. Media with the same name beside the
transcript (.wav/.mp3/.ogg/.m4a, or .mp4/.webm for a screen recording) are linked by path.

Everything is written in one transaction with one audit row; importing the same folder again
changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qa_studio.domain.models import Transcript
from qa_studio.errors import DataRefused
from qa_studio.importers.pipeline import AUDIO_SUFFIXES, VIDEO_SUFFIXES, stored_media_path
from qa_studio.importers.redaction_hook import prepare
from qa_studio.importers.speakers import assign_roles
from qa_studio.importers.transcript_formats import (
    TEXT_SUFFIXES,
    ParsedTranscript,
    TranscriptFileError,
    parse_file,
)
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, targeted
from qa_studio.storage.repository.interactions import (
    existing_external_ids,
    media_links,
    set_media_paths,
    set_transcript,
)

_SEPARATOR = re.compile(r"[\s_.]+")


@dataclass(frozen=True)
class TranscriptMatch:
    file: Path
    external_id: str
    status: str  # inserted | updated | unchanged
    turns: int
    part: str = ""


@dataclass(frozen=True)
class UnmatchedFile:
    file: Path
    reason: str
    part: str = ""


@dataclass(frozen=True)
class FileError:
    file: Path
    line: int | None
    message: str
    where: str = ""

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}: {self.message}"
        return (
            f"{self.file}: {self.where}: {self.message}"
            if self.where
            else f"{self.file}: {self.message}"
        )


@dataclass
class TranscriptReport:
    folder: Path
    matched: list[TranscriptMatch] = field(default_factory=list)
    unmatched: list[UnmatchedFile] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    recordings: int = 0
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unmatched and not self.cancelled

    def as_dict(self) -> dict:
        return {
            "matched": [
                {
                    "file": str(m.file) + m.part,
                    "external_id": m.external_id,
                    "status": m.status,
                    "turns": m.turns,
                }
                for m in self.matched
            ],
            "unmatched": [
                {"file": str(u.file) + u.part, "reason": u.reason} for u in self.unmatched
            ],
            "errors": [
                {"file": str(e.file), "line": e.line, "where": e.where, "message": e.message}
                for e in self.errors
            ],
            "recordings": self.recordings,
            "notes": self.notes,
            "cancelled": self.cancelled,
        }

    def summary(self) -> str:
        changed = sum(1 for m in self.matched if m.status != "unchanged")
        lines = [
            f"{self.folder}: {len(self.matched)} transcript(s) matched ({changed} stored or "
            f"changed), {len(self.unmatched)} unmatched, {len(self.errors)} with errors, "
            f"{self.recordings} recording link(s) changed"
        ]
        lines += [f"unmatched {u.file}{u.part}: {u.reason}" for u in self.unmatched]
        lines += [str(e) for e in self.errors]
        lines += self.notes
        if self.cancelled:
            lines.append("cancelled: nothing was written")
        return "\n".join(lines)


def candidate_ids(stem: str) -> list[str]:
    """The stem and every run of its separator-delimited pieces (``a_b_c`` → a, a_b, b, …)."""
    starts = [0] + [m.end() for m in _SEPARATOR.finditer(stem)]
    ends = [m.start() for m in _SEPARATOR.finditer(stem)] + [len(stem)]
    return list(dict.fromkeys(stem[a:b] for a in starts for b in ends if b > a))


def transcript_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in TEXT_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _match(ws: Workspace, path: Path, parsed: ParsedTranscript) -> tuple[int | None, str]:
    """(interaction id, external id) or (None, reason)."""
    if parsed.contact_id:
        found = existing_external_ids(ws, [parsed.contact_id])
        if found:
            return found[parsed.contact_id], parsed.contact_id
        if parsed.part:
            return None, f"no interaction has the external id {parsed.contact_id!r}"
    stem = path.stem
    found = existing_external_ids(ws, candidate_ids(stem))
    if stem in found:
        return found[stem], stem
    if len(found) == 1:
        ((external_id, iid),) = found.items()
        return iid, external_id
    if found:
        return None, f"the file name contains several external ids: {', '.join(sorted(found))}"
    named = f" (the file names {parsed.contact_id!r})" if parsed.contact_id else ""
    return None, f"no interaction's external id is in the file name{named}"


def _media(path: Path, ws: Workspace) -> tuple[str | None, str | None]:
    audio = next(
        (path.with_suffix(s) for s in AUDIO_SUFFIXES if path.with_suffix(s).is_file()), None
    )
    video = next(
        (path.with_suffix(s) for s in VIDEO_SUFFIXES if path.with_suffix(s).is_file()), None
    )
    return (
        stored_media_path(ws, audio) if audio else None,
        stored_media_path(ws, video) if video else None,
    )


class _Cancelled(Exception):
    pass


def import_transcripts(
    ws: Workspace,
    folder: Path,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> TranscriptReport:
    """Attach every transcript file under ``folder``; see the module docstring for the rules."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataRefused(f"{folder} is not a folder", ["give the folder holding the transcripts"])
    report = TranscriptReport(folder=folder)
    files = transcript_files(folder)
    chosen: dict[int, tuple[Path, ParsedTranscript, str]] = {}
    for done, path in enumerate(files, start=1):
        if is_cancelled is not None and is_cancelled():
            report.cancelled = True
            return report
        if progress is not None:
            progress(done, len(files))
        try:
            parsed_list = parse_file(path)
        except TranscriptFileError as exc:
            report.errors.append(FileError(path, exc.line, exc.message, exc.where))
            continue
        except OSError as exc:
            report.errors.append(FileError(path, None, f"cannot be read ({exc.strerror})"))
            continue
        for parsed in parsed_list:
            iid, detail = _match(ws, path, parsed)
            if iid is None:
                report.unmatched.append(UnmatchedFile(path, detail, parsed.part))
                continue
            held = chosen.get(iid)
            if held is None or (parsed.redacted and not held[1].redacted):
                if held is not None:
                    report.notes.append(
                        f"{held[0].name}: not used; the redacted "
                        f"{path.name} is stored for {detail} instead"
                    )
                chosen[iid] = (path, parsed, detail)
            elif held[1].redacted and not parsed.redacted:
                report.notes.append(
                    f"{path.name}: not used; the redacted {held[0].name} is "
                    f"stored for {detail} instead"
                )
            else:
                report.unmatched.append(
                    UnmatchedFile(
                        path, f"{held[0].name} already gives {detail} its transcript", parsed.part
                    )
                )
    try:
        with ws.db.atomic():
            _store(ws, report, chosen, is_cancelled)
    except _Cancelled:
        report.cancelled = True
        report.matched.clear()
        report.recordings = 0
    return report


def _store(ws, report, chosen, is_cancelled) -> None:
    for iid, (path, parsed, external_id) in sorted(
        chosen.items(), key=lambda item: (str(item[1][0]), item[1][1].part)
    ):
        if is_cancelled is not None and is_cancelled():
            raise _Cancelled
        links = media_links(ws, iid)
        turns, note = assign_roles(parsed.turns, links.agent_name)
        status = set_transcript(ws, iid, prepare(ws, Transcript(parsed.format, tuple(turns))))
        report.matched.append(TranscriptMatch(path, external_id, status, len(turns), parsed.part))
        for text in ([note] if note else []) + parsed.notes:
            report.notes.append(f"{path.name}{parsed.part}: {text}")
        if not parsed.part:
            audio, video = _media(path, ws)
            if (audio or video) and set_media_paths(
                ws, iid, recording_path=audio, screen_recording_path=video
            ):
                report.recordings += 1
    if is_cancelled is not None and is_cancelled():
        raise _Cancelled
    changed = sum(1 for m in report.matched if m.status != "unchanged")
    if changed:  # issue 5 §3a: a transcript can reveal a fatal keyword (card number read out)
        stored = [m.external_id for m in report.matched if m.status != "unchanged"]
        if queued := targeted.after_import(ws, stored).note():
            report.notes.append(queued)
    if changed or report.recordings:
        audit.append(
            ws,
            "import",
            "transcripts",
            None,
            {
                "folder": str(report.folder),
                "stored": changed,
                "recordings": report.recordings,
                "unmatched": len(report.unmatched),
                "errors": len(report.errors),
            },
        )
