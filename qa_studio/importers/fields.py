"""Our importable fields and the converters that turn source cells into stored values.

Every importer — spreadsheet or vendor export — funnels its values through these converters, so a
date, a duration or a CSAT score is judged by the same rules whatever file it came from. A
converter takes what the source holds (text, a number, an Excel date, a JSON value) and returns the
value as stored, or raises ``FieldError`` with a message a user can act on.

Converters are built once per import (``make_converters``) from the mapping's options, as closures,
because they run on every cell of a million-row file.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qa_studio.domain.timeutil import to_iso
from qa_studio.importers.vocabulary import (  # noqa: F401  (re-exported for importers)
    CHANNEL_WORDS,
    COMPLAINT_WORDS,
    DEFAULTS,
    DIRECTION_WORDS,
    DURATION_UNITS,
    FALSE_WORDS,
    FIELDS,
    INDEX,
    REQUIRED,
    TRUE_WORDS,
)

_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)")


class FieldError(ValueError):
    """A value that cannot be stored; the message says why and what to do."""


def text_of(raw: Any) -> str:
    """A cell as text: integral numbers without ``.0``, dates in ISO, None as empty."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date | time):
        return raw.isoformat()
    if isinstance(raw, list | dict):
        return json.dumps(raw, ensure_ascii=False)
    return str(raw)


def timezone_of(name: str | None) -> tzinfo:
    if not name or name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise FieldError(f"unknown time zone {name!r} (use a name such as Europe/London)") from exc


def _text(required: bool) -> Callable[[Any], str | None]:
    def convert(raw: Any) -> str | None:
        value = raw.strip() if raw.__class__ is str else text_of(raw).strip()
        if not value:
            if required:
                raise FieldError("missing value")
            return None
        return value

    return convert


def _words(
    table: dict[str, str], what: str, expected: str, default: Any = None, required: bool = False
) -> Callable[[Any], Any]:
    def convert(raw: Any) -> Any:
        found = table.get(raw) if raw.__class__ is str else None
        if found is not None:  # the common case: a value exactly as in the table
            return found
        key = "" if raw is None else (raw if isinstance(raw, str) else text_of(raw)).strip()
        if not key:
            if required:
                raise FieldError("missing value")
            return default
        found = table.get(key) or table.get(key.lower())
        if found is None:
            raise FieldError(
                f"unknown {what} {key!r} (expected {expected}; or map it under "
                f"values: {what}: in the mapping)"
            )
        return found

    return convert


def _date(fmt: str | None, zone: tzinfo, required: bool) -> Callable[[Any], str | None]:
    parse = datetime.fromisoformat
    hint = (
        f"expected the format {fmt!r}"
        if fmt
        else "expected ISO 8601 such as 2026-10-01T09:30:00Z, or give dates: format: in the mapping"
    )

    def finish(dt: datetime) -> str:
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=zone)
        return to_iso(dt)

    fast = not fmt  # a "…Z" instant is UTC whatever the mapping's zone for local times

    def convert(raw: Any) -> str | None:
        if raw.__class__ is str:
            # Fast path: already stored form (YYYY-MM-DDTHH:MM:SSZ); fromisoformat validates it.
            if (
                fast
                and len(raw) == 20
                and raw[19] == "Z"
                and raw[10] == "T"
                and raw[4] == "-"
                and raw[7] == "-"
                and raw[13] == ":"
                and raw[16] == ":"
            ):
                try:
                    parse(raw)
                    return raw
                except ValueError:
                    pass
            value = raw.strip()
            if not value:
                if required:
                    raise FieldError("missing value")
                return None
            iso = value[:-1] + "+00:00" if value[-1] in "Zz" else value
            try:
                if fmt:
                    try:
                        return finish(datetime.strptime(value, fmt))
                    except ValueError:
                        aware = datetime.fromisoformat(iso)  # an instant with its zone is
                        if aware.tzinfo is None:  # unambiguous whatever the format
                            raise
                        return finish(aware)
                return finish(datetime.fromisoformat(iso))
            except ValueError:
                raise FieldError(f"unparseable date {value!r} ({hint})") from None
        if isinstance(raw, datetime):
            return finish(raw)
        if isinstance(raw, date):
            return finish(datetime(raw.year, raw.month, raw.day))
        if raw is None:
            if required:
                raise FieldError("missing value")
            return None
        raise FieldError(f"unparseable date {text_of(raw)!r} ({hint})")

    return convert


def _duration(unit: float) -> Callable[[Any], float | None]:
    inf = math.inf

    def check(seconds: float, raw: Any) -> float:
        if math.isnan(seconds) or math.isinf(seconds):
            raise FieldError(f"not a duration: {text_of(raw)!r}")
        if seconds < 0:
            raise FieldError(f"negative duration {text_of(raw)!r}")
        return seconds

    def convert(raw: Any) -> float | None:
        if raw.__class__ is str:
            if not raw:
                return None
            try:
                seconds = float(raw) * unit
            except ValueError:
                seconds = None
            if seconds is not None:
                if 0 <= seconds < inf:  # NaN fails both comparisons
                    return seconds
                return check(seconds, raw)
            value = raw.strip()
            if not value:
                return None
            m = _CLOCK.fullmatch(value.lstrip("-"))
            if m is None:
                raise FieldError(f"not a duration: {value!r} (seconds, or H:MM:SS)")
            seconds = int(m[1] or 0) * 3600 + int(m[2]) * 60 + float(m[3])
            return check(-seconds if value.startswith("-") else seconds, raw)
        if raw is None:
            return None
        if isinstance(raw, bool):
            raise FieldError(f"not a duration: {raw!r}")
        if isinstance(raw, int | float):
            return check(float(raw) * unit, raw)
        if isinstance(raw, timedelta):
            return check(raw.total_seconds(), raw)
        if isinstance(raw, time):
            return float(raw.hour * 3600 + raw.minute * 60 + raw.second + raw.microsecond / 1e6)
        raise FieldError(f"not a duration: {text_of(raw)!r}")

    return convert


def _csat(scale: tuple[float, float] | None) -> Callable[[Any], int | None]:
    low, high = scale or (1.0, 5.0)
    where = f"{low:g}–{high:g}"

    quick = {str(n): n for n in range(1, 6)} if scale is None else {}
    quick[""] = None

    def convert(raw: Any) -> int | None:
        if raw.__class__ is str and raw in quick:
            return quick[raw]
        if raw is None or isinstance(raw, bool):
            if raw is None:
                return None
            raise FieldError(f"CSAT {raw!r} is not a number")
        if isinstance(raw, str):
            value = raw.strip()
            if not value:
                return None
            try:
                number = float(value)
            except ValueError:
                raise FieldError(
                    f"CSAT {value!r} is not a number (or map it under values: csat: in the mapping)"
                ) from None
        elif isinstance(raw, int | float):
            number = float(raw)
        else:
            raise FieldError(f"CSAT {text_of(raw)!r} is not a number")
        if not low <= number <= high:
            hint = "" if scale else " (give the scale in the mapping, e.g. csat: {min: 0, max: 10})"
            raise FieldError(f"CSAT {text_of(raw)} is out of range {where}{hint}")
        if scale is None:
            if not number.is_integer():
                raise FieldError(f"CSAT {text_of(raw)} is not a whole number on the 1–5 scale")
            return int(number)
        return math.floor(1 + (number - low) * 4 / (high - low) + 0.5)  # half rounds up

    return convert


def _flag(nullable: bool) -> Callable[[Any], int | None]:
    empty = None if nullable else 0
    quick = {**dict.fromkeys(TRUE_WORDS, 1), **dict.fromkeys(FALSE_WORDS, 0)}
    quick.update({w.upper(): v for w, v in list(quick.items())})
    quick.update({w.capitalize(): v for w, v in list(quick.items())})
    quick[""] = empty

    def convert(raw: Any) -> int | None:
        if raw.__class__ is str and raw in quick:
            return quick[raw]
        if raw is None:
            return empty
        if isinstance(raw, bool):
            return int(raw)
        key = text_of(raw).strip().lower()
        if not key:
            return empty
        if key in TRUE_WORDS:
            return 1
        if key in FALSE_WORDS:
            return 0
        raise FieldError(f"expected yes or no, not {text_of(raw)!r}")

    return convert


_TAG_CACHE: dict[str, str] = {}


def _tags(raw: Any) -> str:
    if not raw:
        return "[]"
    if raw.__class__ is str:
        cached = _TAG_CACHE.get(raw)
        if cached is None:
            cached = _tags_of(raw)
            if len(_TAG_CACHE) < 4096:  # tag sets repeat; the cache stays small
                _TAG_CACHE[raw] = cached
        return cached
    return _tags_of(raw)


def _tags_of(raw: Any) -> str:
    if isinstance(raw, list | tuple):
        items = [text_of(t).strip() for t in raw]
    else:
        value = text_of(raw).strip()
        if not value:
            return "[]"
        if value.startswith("["):
            try:
                parsed = json.loads(value)
            except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
                raise FieldError(f"tags {value[:80]!r} look like JSON but are not valid") from None
            if not isinstance(parsed, list):
                raise FieldError("tags must be a list")
            items = [text_of(t).strip() for t in parsed]
        else:
            sep = next((s for s in (";", "|", ",") if s in value), None)
            items = [t.strip() for t in value.split(sep)] if sep else [value]
    return json.dumps([t for t in items if t], ensure_ascii=False)


def make_converters(
    *,
    date_format: str | None = None,
    timezone: str | None = None,
    duration_unit: str = "seconds",
    csat_scale: tuple[float, float] | None = None,
) -> dict[str, Callable[[Any], Any]]:
    """One converter per field in ``FIELDS``, configured by a mapping's options."""
    zone = timezone_of(timezone)
    unit = DURATION_UNITS.get(duration_unit)
    if unit is None:
        raise FieldError(
            f"unknown duration unit {duration_unit!r} (expected one of {', '.join(DURATION_UNITS)})"
        )
    text, required_text = _text(False), _text(True)
    duration = _duration(unit)
    conv: dict[str, Callable[[Any], Any]] = {
        "external_id": required_text,
        "channel": _words(
            CHANNEL_WORDS, "channel", "voice, chat, email, social or task", required=True
        ),
        "started_at": _date(date_format, zone, True),
        "ended_at": _date(date_format, zone, False),
        "direction": _words(DIRECTION_WORDS, "direction", "inbound or outbound"),
        "csat": _csat(csat_scale),
        "fcr": _flag(True),
        "complaint": _words(COMPLAINT_WORDS, "complaint", "none, informal or formal", "none"),
        "vulnerable": _flag(False),
        "tags": _tags,
    }
    for name in ("queue_wait_s", "duration_s", "hold_s", "wrap_s"):
        conv[name] = duration
    for name in (
        "agent_external_id",
        "agent_name",
        "team",
        "queue",
        "customer_ref",
        "outcome",
        "recording_path",
        "screen_recording_path",
    ):
        conv[name] = text
    return conv


def with_value_map(
    field: str, table: dict[str, Any], convert: Callable[[Any], Any], base: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """Look a source value up in the mapping's ``values:`` table first (case-insensitive).

    A mapped value is already ours, so it is checked by ``base`` (the converter without scale
    conversion) rather than ``convert``; ``None`` in the table means "store nothing".
    """
    lowered = {str(k).strip().lower(): v for k, v in table.items()}

    def mapped(raw: Any) -> Any:
        key = text_of(raw).strip().lower()
        if key in lowered:
            target = lowered[key]
            if target is None:
                if field in REQUIRED:
                    raise FieldError("missing value")
                return DEFAULTS.get(field)
            return base(target)
        return convert(raw)

    return mapped
