"""Time helpers: every stored instant is UTC ISO-8601 text; periods are read in Europe/London.

Keeping one formatter means string comparison in SQL orders instants correctly, which the indexed
range queries of the browser and the sampler rely on.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_iso(dt: datetime) -> str:
    """Format an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC (naive values are taken as UTC)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utcnow_iso() -> str:
    return to_iso(utcnow())


def parse_iso(text: str) -> datetime:
    """Parse ISO-8601 (``Z`` or offset; a naive value is UTC) into an aware UTC datetime."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def month_bounds(period: str) -> tuple[str, str]:
    """``"2026-10"`` → UTC ISO bounds [start, end) of that month in Europe/London."""
    year, month = (int(p) for p in period.split("-"))
    start = datetime(year, month, 1, tzinfo=LONDON)
    last = calendar.monthrange(year, month)[1]
    end = datetime(year, month, last, tzinfo=LONDON) + timedelta(days=1)
    end = end.replace(hour=0, minute=0, second=0)
    return to_iso(start), to_iso(end)


def day_bounds(first: date, last: date) -> tuple[str, str]:
    """Inclusive London calendar days → UTC ISO bounds [start, end)."""
    start = datetime(first.year, first.month, first.day, tzinfo=LONDON)
    end = datetime(last.year, last.month, last.day, tzinfo=LONDON) + timedelta(days=1)
    return to_iso(start), to_iso(end)


def london_month(iso: str) -> str:
    """The ``YYYY-MM`` period an instant falls in, as a team leader in the UK reads it."""
    return parse_iso(iso).astimezone(LONDON).strftime("%Y-%m")
