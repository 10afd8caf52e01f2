"""England & Wales bank holidays by rule, checked against gov.uk's published lists."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qa_studio.domain import business_days as bd

# gov.uk/bank-holidays, England and Wales.
GOV_UK = {
    2020: ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"],
    2022: ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26",
           "12-27"],
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
    2027: ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(GOV_UK))
def test_bank_holidays_match_gov_uk(year):
    expected = [date.fromisoformat(f"{year}-{md}") for md in GOV_UK[year]]
    assert list(bd.bank_holidays(year)) == expected


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2000, "04-23"), (2008, "03-23"), (2011, "04-24"), (2019, "04-21"), (2024, "03-31"),
     (2025, "04-20"), (2026, "04-05"), (2027, "03-28"), (2038, "04-25")],
)  # fmt: skip
def test_easter_sunday(year, easter):
    assert bd.easter_sunday(year) == date.fromisoformat(f"{year}-{easter}")


def test_substitute_names():
    h = bd.bank_holidays(2022)
    assert h[date(2022, 12, 26)] == "Boxing Day"
    assert h[date(2022, 12, 27)] == "Christmas Day (substitute day)"
    assert bd.bank_holidays(2023)[date(2023, 1, 2)] == "New Year's Day (substitute day)"


def test_weekends_and_holidays_are_not_business_days():
    assert bd.is_business_day(date(2026, 11, 23))  # Monday
    assert not bd.is_business_day(date(2026, 11, 21))  # Saturday
    assert not bd.is_business_day(date(2026, 12, 28))  # Boxing Day substitute
    assert bd.next_business_day(date(2026, 12, 25)) == date(2026, 12, 29)


def test_add_business_days_over_christmas_2026():
    # Received Thursday 24 Dec 2026. Fri 25 (Christmas), Sat, Sun, Mon 28 (Boxing Day
    # substitute) are not business days: Tue 29 is the 1st, Wed 30 the 2nd, Thu 31 the 3rd.
    received = date(2026, 12, 24)
    assert bd.add_business_days(received, 1) == date(2026, 12, 29)
    assert bd.add_business_days(received, 3) == date(2026, 12, 31)
    assert bd.add_business_days(received, 0) == received
    assert bd.business_days_between(received, date(2026, 12, 31)) == 3
    assert bd.business_days_between(date(2026, 12, 31), received) == -3


def test_add_business_days_over_a_weekend_and_easter():
    assert bd.add_business_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri → Mon
    # Thu 2 Apr 2026 + 3: Good Friday 3, weekend, Easter Monday 6 → Tue 7, Wed 8, Thu 9.
    assert bd.add_business_days(date(2026, 4, 2), 3) == date(2026, 4, 9)
    with pytest.raises(ValueError, match="n must be"):
        bd.add_business_days(date(2026, 4, 2), -1)


def test_end_of_nth_business_day_uses_the_london_day_of_receipt():
    # 23:30 UTC on 23 Dec 2026 is still 23 Dec in London (GMT): Thu 24 is the 1st business
    # day after it, Tue 29 the 2nd, Wed 30 the 3rd.
    received = datetime(2026, 12, 23, 23, 30, tzinfo=UTC)
    end = bd.end_of_nth_business_day(received, 3)
    assert end.date() == date(2026, 12, 30)
    assert (end.hour, end.minute) == (23, 59)
    # 23:30 UTC on 30 Jun is 00:30 on 1 Jul in London (BST): the day of receipt is 1 Jul.
    summer = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert bd.end_of_nth_business_day(summer, 1).date() == date(2026, 7, 2)
