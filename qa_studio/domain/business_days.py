"""England & Wales business days: bank holidays computed by rule, plus the one-off changes.

Complaint deadlines (FCA DISP 1.5/1.6, payment services) are counted in business days, which in
England & Wales exclude weekends and bank holidays. The regular holidays follow fixed rules, so
they are computed rather than listed, and any year works:

* New Year's Day, 1 January — substitute: the next Monday when it falls at a weekend;
* Good Friday and Easter Monday — Easter Sunday by the anonymous Gregorian algorithm
  (Meeus/Jones/Butcher);
* early May (first Monday of May), spring (last Monday of May) and summer (last Monday of
  August) bank holidays;
* Christmas Day and Boxing Day — when either falls at a weekend the substitute days are the
  next weekdays not already holidays (25 Sat → Mon 27 and Tue 28; 25 Sun → Tue 27; 26 Sat →
  Mon 28).

Royal proclamations have moved or added days; those one-offs are a table (``MOVED``/``EXTRA``)
and must be extended when a new one is proclaimed. Checked against gov.uk's published lists.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

#: Rule-based holidays that a proclamation moved: {rule date: replacement date or None}.
MOVED: dict[date, date | None] = {
    date(1995, 5, 1): date(1995, 5, 8),  # early May → VE Day 50th anniversary
    date(2002, 5, 27): date(2002, 6, 4),  # spring → Golden Jubilee week
    date(2012, 5, 28): date(2012, 6, 4),  # spring → Diamond Jubilee week
    date(2020, 5, 4): date(2020, 5, 8),  # early May → VE Day 75th anniversary
    date(2022, 5, 30): date(2022, 6, 2),  # spring → Platinum Jubilee week
}
#: Extra one-off bank holidays.
EXTRA: dict[date, str] = {
    date(1999, 12, 31): "Millennium celebrations",
    date(2002, 6, 3): "Golden Jubilee",
    date(2011, 4, 29): "Royal wedding",
    date(2012, 6, 5): "Diamond Jubilee",
    date(2022, 6, 3): "Platinum Jubilee",
    date(2022, 9, 19): "State Funeral of Queen Elizabeth II",
    date(2023, 5, 8): "Coronation of King Charles III",
}


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    d = date(year, month, 1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    d = nxt - timedelta(days=1)
    return d - timedelta(days=d.weekday())


def _weekday_on_or_after(d: date, taken: set[date]) -> date:
    while d.weekday() >= 5 or d in taken:
        d += timedelta(days=1)
    return d


@functools.lru_cache(maxsize=256)
def _holidays(year: int) -> tuple[tuple[date, str], ...]:
    easter = easter_sunday(year)
    found: dict[date, str] = {}
    new_year = date(year, 1, 1)
    found[_weekday_on_or_after(new_year, set())] = (
        "New Year's Day" if new_year.weekday() < 5 else "New Year's Day (substitute day)"
    )
    found[easter - timedelta(days=2)] = "Good Friday"
    found[easter + timedelta(days=1)] = "Easter Monday"
    found[_first_monday(year, 5)] = "Early May bank holiday"
    found[_last_monday(year, 5)] = "Spring bank holiday"
    found[_last_monday(year, 8)] = "Summer bank holiday"
    christmas = ((date(year, 12, 25), "Christmas Day"), (date(year, 12, 26), "Boxing Day"))
    for d, name in christmas:  # days on their own date first, then the substitutes
        if d.weekday() < 5:
            found[d] = name
    for d, name in christmas:
        if d.weekday() >= 5:
            found[_weekday_on_or_after(d, set(found))] = f"{name} (substitute day)"
    for rule_day, moved_to in MOVED.items():
        if rule_day.year == year and rule_day in found:
            name = found.pop(rule_day)
            if moved_to is not None:
                found[moved_to] = name
    for d, name in EXTRA.items():
        if d.year == year:
            found[d] = name
    return tuple(sorted(found.items()))


def bank_holidays(year: int) -> dict[date, str]:
    """England & Wales bank holidays of ``year``: {date: name}, in date order."""
    return dict(_holidays(year))


def is_business_day(d: date) -> bool:
    return d.weekday() < 5 and d not in bank_holidays(d.year)


def next_business_day(d: date) -> date:
    """``d`` itself when it is a business day, else the first business day after it."""
    while not is_business_day(d):
        d += timedelta(days=1)
    return d


def add_business_days(start: date, n: int) -> date:
    """The ``n``-th business day after ``start`` (``start`` itself is not counted; n = 0 gives
    ``start``). "By the end of the third business day following receipt" = ``(received, 3)``."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    d = start
    left = n
    while left:
        d += timedelta(days=1)
        if is_business_day(d):
            left -= 1
    return d


def business_days_between(start: date, end: date) -> int:
    """Business days in (start, end] — how many ``add_business_days`` steps lead from start to
    end (negative when end is earlier)."""
    if end < start:
        return -business_days_between(end, start)
    return sum(
        1 for i in range(1, (end - start).days + 1) if is_business_day(start + timedelta(days=i))
    )


def end_of_day(d: date, close: time = time(23, 59, 59)) -> datetime:
    """The instant a deadline on day ``d`` expires, in London time (aware)."""
    return datetime.combine(d, close, tzinfo=LONDON)


def end_of_nth_business_day(received: datetime, n: int, close: time = time(23, 59, 59)) -> datetime:
    """When "by the end of the n-th business day after receipt" runs out; the day of receipt is
    the London calendar day of ``received`` (an aware instant)."""
    day = received.astimezone(LONDON).date()
    return end_of_day(add_business_days(day, n), close)
