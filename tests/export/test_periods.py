"""Reporting periods: parsing, London bounds, labels, previous period and trend months."""

from __future__ import annotations

from datetime import date

import pytest

from qa_studio.domain.periods import parse_period, period_between
from qa_studio.errors import UsageError


def test_month_bounds_follow_london_time():
    p = parse_period("2026-10")
    assert (p.kind, p.first, p.last, p.key, p.label) == (
        "month", date(2026, 10, 1), date(2026, 10, 31), "2026-10", "October 2026")  # fmt: skip
    # BST until 25 October: the month starts at 23:00 UTC the day before, ends at midnight UTC
    assert p.bounds == ("2026-09-30T23:00:00Z", "2026-11-01T00:00:00Z")
    assert parse_period("2026-1").key == "2026-01"
    assert parse_period(" 2026-02 ").last == date(2026, 2, 28)
    assert parse_period("2028-02").last == date(2028, 2, 29)


def test_quarter_and_year():
    q = parse_period("2026-q3")
    assert (q.first, q.last, q.key, q.label) == (
        date(2026, 7, 1), date(2026, 9, 30), "2026-Q3", "Q3 2026 (Jul–Sep)")  # fmt: skip
    y = parse_period("2026")
    assert (y.first, y.last, y.key, y.label, y.days) == (
        date(2026, 1, 1), date(2026, 12, 31), "2026", "2026", 365)  # fmt: skip
    assert y.bounds == ("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")


def test_previous_period_has_the_same_length():
    assert parse_period("2026-01").previous().key == "2025-12"
    assert parse_period("2026-Q1").previous().key == "2025-Q4"
    assert parse_period("2026-Q3").previous().key == "2026-Q2"
    assert parse_period("2026").previous().key == "2025"
    r = period_between("2026-10-01", "2026-10-10")
    prev = r.previous()
    assert (prev.first, prev.last, prev.days) == (date(2026, 9, 21), date(2026, 9, 30), 10)
    assert r.label == "1 Oct 2026 – 10 Oct 2026"
    assert r.key == "2026-10-01_2026-10-10"


def test_months_and_trend_months():
    r = period_between(date(2026, 9, 20), date(2026, 11, 5))
    assert [(m.first, m.last) for m in r.months()] == [
        (date(2026, 9, 20), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 11, 1), date(2026, 11, 5)),
    ]
    trend = parse_period("2026-02").trend_months()
    assert [m.key for m in trend] == ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01",
                                      "2026-02"]  # fmt: skip
    assert len(parse_period("2026").trend_months()) == 12
    assert [m.key for m in r.trend_months(2)] == ["2026-09", "2026-10", "2026-11"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "month 13 is not 1–12"),
        ("2026-Q5", "is not understood"),
        ("26-10", "is not understood"),
        ("", "is not understood"),
        ("0226-10", "year 226 is out of range"),
    ],
)
def test_bad_periods_are_usage_errors(text, message):
    with pytest.raises(UsageError, match=message):
        parse_period(text)


def test_bad_ranges():
    with pytest.raises(UsageError, match="--from '2026-10-32' is not a date"):
        period_between("2026-10-32", "2026-11-01")
    with pytest.raises(UsageError, match="--to 2026-09-01 is before --from 2026-10-01"):
        period_between("2026-10-01", "2026-09-01")
