"""Reporting periods: a month, a quarter, a year or any run of days, read as London calendar days.

Team leaders name periods the way the calendar on the wall does (``2026-10``, ``2026-Q3``,
``2026``, or "from 1 to 15 October"), and appraisals compare a period with the one before it, so
a period knows its own UTC bounds (stored instants are UTC text, so the bounds compare as text in
SQL), a label to print, a key safe in file names, the months it spans (the trend chart) and the
previous period of the same length ("change since last period").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from qa_studio.domain.timeutil import day_bounds
from qa_studio.errors import UsageError

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")
#: A year outside this range is almost certainly a typo (``0226-10``), not a real period.
MIN_YEAR, MAX_YEAR = 1990, 2200


@dataclass(frozen=True)
class Period:
    """Inclusive London calendar days ``first``…``last`` and how to name them."""

    kind: str
    first: date
    last: date

    @property
    def key(self) -> str:
        """The period as typed on the command line, safe in a file name: ``2026-10``,
        ``2026-Q3``, ``2026`` or ``2026-10-01_2026-10-15``."""
        if self.kind == MONTH:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        if self.kind == QUARTER:
            return f"{self.first.year:04d}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return f"{self.first.year:04d}"
        return f"{self.first.isoformat()}_{self.last.isoformat()}"

    @property
    def label(self) -> str:
        """How a pack names the period: ``October 2026``, ``Q3 2026 (Jul–Sep)``, ``2026``,
        ``1 Oct 2026 – 15 Oct 2026``."""
        if self.kind == MONTH:
            return f"{calendar.month_name[self.first.month]} {self.first.year}"
        if self.kind == QUARTER:
            q = (self.first.month - 1) // 3 + 1
            return (
                f"Q{q} {self.first.year} ({calendar.month_abbr[self.first.month]}–"
                f"{calendar.month_abbr[self.last.month]})"
            )
        if self.kind == YEAR:
            return str(self.first.year)
        return f"{_day(self.first)} – {_day(self.last)}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def bounds(self) -> tuple[str, str]:
        """UTC ISO bounds ``[start, end)`` of the London days, for indexed range queries."""
        return day_bounds(self.first, self.last)

    def previous(self) -> Period:
        """The period of the same length just before: the previous month, quarter or year, or
        for a run of N days the N days before it."""
        if self.kind == MONTH:
            return month(*_shift_month(self.first.year, self.first.month, -1))
        if self.kind == QUARTER:
            y, m = _shift_month(self.first.year, self.first.month, -3)
            return quarter(y, (m - 1) // 3 + 1)
        if self.kind == YEAR:
            return year(self.first.year - 1)
        last = self.first - timedelta(days=1)
        return Period(RANGE, last - timedelta(days=self.days - 1), last)

    def months(self) -> list[Period]:
        """The calendar months the period touches, each clipped to the period, in order."""
        out: list[Period] = []
        y, m = self.first.year, self.first.month
        while date(y, m, 1) <= self.last:
            whole = month(y, m)
            out.append(Period(MONTH, max(whole.first, self.first), min(whole.last, self.last)))
            y, m = _shift_month(y, m, 1)
        return out

    def trend_months(self, at_least: int = 6) -> list[Period]:
        """Whole months for a trend chart: the period's own months, extended back to ``at_least``
        months so that a one-month pack still shows where the agent is coming from."""
        own = self.months()
        y, m = self.first.year, self.first.month
        earlier: list[Period] = []
        for _ in range(max(0, at_least - len(own))):
            y, m = _shift_month(y, m, -1)
            earlier.insert(0, month(y, m))
        whole = [month(p.first.year, p.first.month) for p in own]
        return earlier + whole


def _day(d: date) -> str:
    return f"{d.day} {calendar.month_abbr[d.month]} {d.year}"


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + delta
    return index // 12, index % 12 + 1


def _check_year(y: int, text: str) -> None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise UsageError(f"period '{text}': year {y} is out of range ({MIN_YEAR}–{MAX_YEAR}).")


def month(y: int, m: int) -> Period:
    return Period(MONTH, date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]))


def quarter(y: int, q: int) -> Period:
    first_month = 3 * (q - 1) + 1
    last_month = first_month + 2
    return Period(
        QUARTER, date(y, first_month, 1), date(y, last_month, calendar.monthrange(y, last_month)[1])
    )


def year(y: int) -> Period:
    return Period(YEAR, date(y, 1, 1), date(y, 12, 31))


def parse_period(text: str) -> Period:
    """``2026-10`` (a month), ``2026-Q3`` (a quarter) or ``2026`` (a year); ``UsageError`` with
    the accepted forms otherwise."""
    value = (text or "").strip()
    if m := _MONTH_RE.match(value):
        y, mo = int(m.group(1)), int(m.group(2))
        _check_year(y, value)
        if not 1 <= mo <= 12:
            raise UsageError(f"period '{value}': month {mo} is not 1–12.")
        return month(y, mo)
    if m := _QUARTER_RE.match(value):
        y = int(m.group(1))
        _check_year(y, value)
        return quarter(y, int(m.group(2)))
    if m := _YEAR_RE.match(value):
        y = int(m.group(1))
        _check_year(y, value)
        return year(y)
    raise UsageError(
        f"period '{value}' is not understood: write a month (2026-10), a quarter (2026-Q3) "
        "or a year (2026), or give --from DATE --to DATE."
    )


def _date(text: str | date, what: str) -> date:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise UsageError(f"{what} '{text}' is not a date: write YYYY-MM-DD.") from None


def period_between(first: str | date, last: str | date) -> Period:
    """The London days ``first``…``last`` inclusive (``--from``/``--to``)."""
    start, end = _date(first, "--from"), _date(last, "--to")
    _check_year(start.year, str(first))
    _check_year(end.year, str(last))
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}.")
    return Period(RANGE, start, end)
