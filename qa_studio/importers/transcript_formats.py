"""Transcript file parsers: our JSON turns, Contact Lens (voice and chat), ABCD chats, plain text
``Speaker: text``, WebVTT and SRT.

Each parser returns ``ParsedTranscript`` objects (a file may hold several, as ABCD does) with raw
turns; roles are settled later by ``speakers.assign_roles`` once the interaction (and so its
agent's name) is known. Problems raise ``TranscriptFileError`` with the 1-based line they are on
(or a JSON path), so a user can open the file at that line.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa_studio.domain.timeutil import parse_iso
from qa_studio.importers.speakers import RawTurn, turns_from_json

TEXT_SUFFIXES = {".json": "json", ".txt": "text", ".vtt": "vtt", ".srt": "srt"}
ROLE_OF_PARTICIPANT = {
    "AGENT": "agent",
    "CUSTOMER": "customer",
    "SYSTEM": "system",
    "SUPERVISOR": "agent",
    "CUSTOM_BOT": "system",
}


class TranscriptFileError(Exception):
    def __init__(self, line: int | None, message: str, where: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.where = line, message, where


@dataclass
class ParsedTranscript:
    format: str
    turns: list[RawTurn]
    contact_id: str | None = None  # an id the file itself names (Contact Lens, ABCD)
    part: str = ""  # which conversation of a multi-conversation file
    redacted: bool = False
    notes: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    """UTF-8 (BOM allowed) or UTF-16 with a BOM; CRLF and CR become LF."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise TranscriptFileError(
                line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
            ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_C1 = re.compile("[\u0080-\u009f]")


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 that was decoded as Latin-1 and saved again ("e-mailedâ\x80\x94").

    Only lines holding C1 control characters (which never occur in real text) are touched, and
    only when re-decoding them succeeds, so correct text is never changed.
    """
    if not _C1.search(text):
        return text, False
    lines, changed = text.split("\n"), False
    for i, line in enumerate(lines):
        if _C1.search(line):
            try:
                lines[i] = line.encode("latin-1").decode("utf-8")
                changed = True
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
    return "\n".join(lines), changed


def parse_file(path: Path) -> list[ParsedTranscript]:
    kind = TEXT_SUFFIXES[path.suffix.lower()]
    text, repaired = repair_mojibake(read_text(path))
    if not text.strip():
        raise TranscriptFileError(1, "the file is empty")
    if kind == "json":
        parsed = parse_json(text)
    elif kind == "vtt":
        parsed = [parse_vtt(text)]
    elif kind == "srt":
        parsed = [parse_srt(text)]
    else:
        parsed = [parse_plain(text)]
    if repaired:
        for p in parsed:
            p.notes.append("repaired characters that had been mis-encoded (UTF-8 read as Latin-1)")
    return parsed


# --- JSON ------------------------------------------------------------------------------------


def parse_json(text: str) -> list[ParsedTranscript]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptFileError(
            exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except RecursionError:  # very deep nesting: json raises RecursionError, not a decode error
        raise TranscriptFileError(1, "nested too deeply to be a transcript") from None
    if (
        isinstance(data, dict)
        and isinstance(data.get("Transcript"), list)
        and ("CustomerMetadata" in data or "Participants" in data)
    ):
        return [parse_contact_lens(data)]
    if (
        isinstance(data, list)
        and data
        and all(isinstance(c, dict) and "original" in c for c in data)
    ):
        return parse_abcd(data)
    if isinstance(data, dict) and "turns" in data:
        items, where = data["turns"], "turns"
    elif isinstance(data, list):
        items, where = data, ""
    else:
        raise TranscriptFileError(
            None,
            "not a transcript QA Studio knows: expected "
            '{"turns": [...]}, a list of turns, a Contact Lens '
            "analysis or ABCD conversations",
        )
    turns, problems = turns_from_json(items, where or "turns")
    if problems:
        where, message = problems[0]
        extra = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise TranscriptFileError(None, message + extra, where)
    if not turns:
        raise TranscriptFileError(None, "no turns", where or "turns")
    fmt = str(data.get("format", "json")) if isinstance(data, dict) else "json"
    return [ParsedTranscript(fmt, turns)]


def parse_contact_lens(data: dict) -> ParsedTranscript:
    """Voice: offsets in milliseconds. Chat: ``AbsoluteTime`` only, timed from the first message."""
    roles = {
        p.get("ParticipantId"): ROLE_OF_PARTICIPANT.get(str(p.get("ParticipantRole")))
        for p in data.get("Participants") or []
        if isinstance(p, dict)
    }
    metadata = data.get("CustomerMetadata") or {}
    contact = metadata.get("ContactId") if isinstance(metadata, dict) else None
    redacted = str((data.get("ContentMetadata") or {}).get("Output", "")).lower() == "redacted"
    chat = str(data.get("Channel", "")).upper() == "CHAT"
    turns: list[RawTurn] = []
    first = None
    for i, item in enumerate(data["Transcript"]):
        where = f"Transcript[{i}]"
        if not isinstance(item, dict):
            raise TranscriptFileError(None, "expected an object", where)
        if chat and item.get("Type", "MESSAGE") != "MESSAGE":
            continue  # joined/left events are not conversation
        content = item.get("Content")
        if not isinstance(content, str) or not content.strip():
            continue
        role = (
            ROLE_OF_PARTICIPANT.get(str(item.get("ParticipantRole")))
            or roles.get(item.get("ParticipantId"))
            or ROLE_OF_PARTICIPANT.get(str(item.get("ParticipantId")))
        )
        if role is None:
            raise TranscriptFileError(
                None, f"unknown participant {item.get('ParticipantId')!r}", f"{where}.ParticipantId"
            )
        speaker = str(item.get("DisplayName") or "")
        if speaker == "SYSTEM_MESSAGE":
            speaker = "System"
        if chat:
            try:
                at = parse_iso(item["AbsoluteTime"])
            except (KeyError, TypeError, ValueError):
                raise TranscriptFileError(
                    None, f"unparseable time {item.get('AbsoluteTime')!r}", f"{where}.AbsoluteTime"
                ) from None
            first = first or at
            start, end = (at - first).total_seconds(), None
        else:
            begin, finish = item.get("BeginOffsetMillis"), item.get("EndOffsetMillis")
            if not isinstance(begin, int | float) or not isinstance(finish, int | float):
                raise TranscriptFileError(None, "missing BeginOffsetMillis/EndOffsetMillis", where)
            start, end = begin / 1000.0, finish / 1000.0
        turns.append(
            RawTurn(speaker=speaker, text=content.strip(), start_s=start, end_s=end, role=role)
        )
    if not turns:
        raise TranscriptFileError(None, "the analysis holds no transcript turns", "Transcript")
    fmt = "contact_lens_chat" if chat else "contact_lens_voice"
    return ParsedTranscript(fmt, turns, contact_id=contact, redacted=redacted)


def parse_abcd(data: list) -> list[ParsedTranscript]:
    """ABCD (Action-Based Conversations Dataset): ``original`` is ``[speaker, text]`` pairs."""
    roles = {"agent": "agent", "customer": "customer", "action": "system"}
    out = []
    for i, convo in enumerate(data):
        turns = []
        for j, pair in enumerate(convo.get("original") or []):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise TranscriptFileError(None, "expected [speaker, text]", f"[{i}].original[{j}]")
            speaker, text = str(pair[0]), str(pair[1]).strip()
            if text:
                role = roles.get(speaker.lower())
                turns.append(
                    RawTurn(
                        speaker="" if role == "agent" else speaker.capitalize(),
                        text=text,
                        role=role,
                    )
                )
        convo_id = convo.get("convo_id")
        out.append(
            ParsedTranscript(
                "abcd",
                turns,
                contact_id=None if convo_id is None else str(convo_id),
                part=f"#{convo_id}",
            )
        )
    return out


# --- text formats ----------------------------------------------------------------------------

_SPEAKER = re.compile(
    r"^(?:[\[(]?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[\])]?\s+)?"
    r"(?P<who>[^:\n]{1,40}?):\s+(?P<text>.*)$"
)
_VTT_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})$")
_SRT_TIME = re.compile(r"^(\d{2,}):(\d{2}):(\d{2})[,.](\d{3})$")
_VOICE = re.compile(r"<v(?:\.[^ \t>]+)*[ \t]+([^>]+)>")
_TAG = re.compile(r"<[^>]*>")
_ARROW = re.compile(r"^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$")


def _clock(value: str) -> float | None:
    parts = value.replace(",", ".").split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return seconds


def parse_plain(text: str) -> ParsedTranscript:
    """``Speaker: text`` lines (optionally ``[00:01:02] Speaker: text``); others continue a turn."""
    turns: list[RawTurn] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        m = _SPEAKER.match(line.strip())
        if m and len(m["who"].split()) <= 4:
            start = _clock(m["ts"]) if m["ts"] else None
            turns.append(
                RawTurn(
                    speaker=m["who"].strip(), text=m["text"].strip(), start_s=start, line=number
                )
            )
        elif turns:
            turns[-1].text = f"{turns[-1].text} {line.strip()}"
        else:
            raise TranscriptFileError(number, "expected 'Speaker: text' on the first line")
    return ParsedTranscript("text", turns)


def _cue_text(lines: list[str], speaker: str) -> list[tuple[str, str]]:
    """Split a cue's lines into (speaker, text) runs using ``<v Name>`` spans."""
    runs: list[tuple[str, str]] = []
    for line in lines:
        voice = _VOICE.search(line)
        if voice:
            speaker = voice[1].strip()
        words = html.unescape(_TAG.sub("", line)).strip()
        if not words:
            continue
        if runs and runs[-1][0] == speaker:
            runs[-1] = (speaker, f"{runs[-1][1]} {words}")
        else:
            runs.append((speaker, words))
    return runs


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks with the line number each starts on."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def parse_vtt(text: str) -> ParsedTranscript:
    blocks = _blocks(text)
    if not blocks or not blocks[0][1][0].startswith("WEBVTT"):
        raise TranscriptFileError(1, "a WebVTT file must start with 'WEBVTT'")
    turns: list[RawTurn] = []
    for start, lines in blocks[1:]:
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing = 0 if "-->" in lines[0] else 1
        if timing >= len(lines) or "-->" not in lines[timing]:
            raise TranscriptFileError(start, "expected a cue timing 'start --> end'")
        m = _ARROW.match(lines[timing].strip())
        times = []
        for value in (m[1], m[2]) if m else ():
            t = _VTT_TIME.match(value)
            times.append(
                None
                if t is None
                else int(t[1] or 0) * 3600
                + int(t[2]) * 60
                + int(t[3])
                + int(t[4].ljust(3, "0")) / 1000
            )
        if not m or None in times:
            raise TranscriptFileError(
                start + timing,
                (
                    f"malformed cue timing {lines[timing].strip()!r} (expected e.g. "
                    "00:01:02.500 --> 00:01:04.000)"
                ),
            )
        for speaker, words in _cue_text(lines[timing + 1 :], ""):
            turns.append(
                RawTurn(speaker=speaker, text=words, start_s=times[0], end_s=times[1], line=start)
            )
    if not turns:
        raise TranscriptFileError(1, "no cues with text")
    return ParsedTranscript("vtt", turns)


def parse_srt(text: str) -> ParsedTranscript:
    turns: list[RawTurn] = []
    for start, lines in _blocks(text):
        timing = 1 if lines[0].strip().isdigit() else 0
        if timing >= len(lines) or "-->" not in lines[timing]:
            raise TranscriptFileError(
                start + timing, "expected a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm'"
            )
        left, _, right = lines[timing].partition("-->")
        times = []
        for value in (left.strip(), right.strip().split()[0] if right.strip() else ""):
            t = _SRT_TIME.match(value)
            if t is None:
                raise TranscriptFileError(
                    start + timing, (f"malformed timestamp {value!r} (expected HH:MM:SS,mmm)")
                )
            times.append(int(t[1]) * 3600 + int(t[2]) * 60 + int(t[3]) + int(t[4]) / 1000)
        body = " ".join(html.unescape(_TAG.sub("", ln)).strip() for ln in lines[timing + 1 :])
        body = re.sub(r"\{\\[^}]*\}", "", body).strip()
        if not body:
            continue
        m = _SPEAKER.match(body)
        if m and not m["ts"] and len(m["who"].split()) <= 4:
            speaker, words = m["who"].strip(), m["text"].strip()
        else:
            speaker, words = "", body
        turns.append(
            RawTurn(speaker=speaker, text=words, start_s=times[0], end_s=times[1], line=start)
        )
    if not turns:
        raise TranscriptFileError(1, "no subtitles with text")
    return ParsedTranscript("srt", turns)
