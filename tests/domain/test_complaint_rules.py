"""Complaint deadlines per regime, in England & Wales business days or calendar weeks."""

from __future__ import annotations

import json
from datetime import date

import pytest

from qa_studio.domain import complaint_rules as rules

REGIMES = rules.parse_regimes(None)


def test_fca_summary_and_final_over_christmas():
    due = rules.deadlines(rules.find(REGIMES, "fca"), date(2026, 12, 24))
    assert due.summary_due == date(2026, 12, 31)  # 29, 30, 31 after the holidays
    assert due.final_due == date(2027, 2, 18)  # 8 calendar weeks, holidays irrelevant
    assert due.referral_from == date(2027, 2, 19)


def test_fca_summary_over_a_weekend():
    # Received Friday 20 Nov 2026: Mon 23, Tue 24, Wed 25.
    due = rules.deadlines(rules.find(REGIMES, "fca"), date(2026, 11, 20))
    assert due.summary_due == date(2026, 11, 25)
    assert due.final_due == date(2027, 1, 15)


def test_payment_services_fifteen_and_thirty_five_business_days():
    ps = rules.find(REGIMES, "payment_services")
    # From Mon 7 Dec 2026: 15 business days skipping 25 and 28 Dec and weekends.
    # Dec: 8,9,10,11 (4), 14-18 (9), 21,22,23,24 (13), 29, 30 (15).
    assert rules.deadlines(ps, date(2026, 12, 7)).final_due == date(2026, 12, 30)
    # 35: Dec 31 (16), Jan 1 holiday, Jan 4-8 (21), 11-15 (26), 18-22 (31), 25-28 (35).
    assert rules.deadlines(ps, date(2026, 12, 7), exceptional=True).final_due == date(2027, 1, 28)


def test_ofcom_has_no_summary_window_and_eight_weeks():
    due = rules.deadlines(rules.find(REGIMES, "ofcom"), date(2026, 3, 2))
    assert due.summary_due is None
    assert due.final_due == date(2026, 4, 27)


def test_due_states():
    final = date(2026, 12, 31)
    assert rules.due_state(final, date(2027, 1, 4), responded=False) == rules.OVERDUE
    assert rules.due_state(final, date(2027, 1, 4), responded=True) == rules.DONE
    # Today Wed 23 Dec: +2 business days = Tue 29 < 31 → on track; Tue 29 +2 = Thu 31 → due soon.
    assert rules.due_state(final, date(2026, 12, 23), responded=False) == rules.ON_TRACK
    assert rules.due_state(final, date(2026, 12, 29), responded=False) == rules.DUE_SOON
    assert rules.due_state(final, final, responded=False) == rules.DUE_SOON
    assert rules.days_left(final, date(2026, 12, 29)) == 2
    assert rules.days_left(final, date(2027, 1, 4)) == -1


def test_workspace_overrides_and_additions():
    text = json.dumps([
        {"key": "fca", "final_amount": 6},
        {"key": "energy", "name": "Energy (Ofgem)", "summary_business_days": None,
         "final_unit": "calendar_weeks", "final_amount": 8, "exceptional_amount": None,
         "referral": "Energy Ombudsman", "reference": "Ofgem SLC 25"},
    ])  # fmt: skip
    regimes = rules.parse_regimes(text)
    assert rules.find(regimes, "fca").final_amount == 6
    assert rules.find(regimes, "fca").summary_business_days == 3
    assert rules.find(regimes, "energy").referral == "Energy Ombudsman"


@pytest.mark.parametrize(
    ("entry", "message"),
    [({"key": "fca", "final_unit": "months"}, r"\[0\]\.final_unit"),
     ({"key": "fca", "final_amount": 0}, r"\[0\]\.final_amount"),
     ({"key": "new"}, r"\[0\]: missing name"),
     ({"key": "payment_services", "exceptional_amount": 10}, "exceptional_amount")],
)  # fmt: skip
def test_bad_regimes_are_refused_with_the_field(entry, message):
    with pytest.raises(ValueError, match=message):
        rules.parse_regimes(json.dumps([entry]))
