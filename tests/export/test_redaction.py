"""Redaction of card numbers (Luhn), UK phone numbers, emails and bank details."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_studio.domain.redaction import CARD, PLACEHOLDERS, find, luhn_valid, redact
from qa_studio.export.xlsx_safe import MAX_CELL_CHARS, clean_text

CARD_TEXT, PHONE_TEXT = PLACEHOLDERS["card"], PLACEHOLDERS["phone"]
EMAIL_TEXT, BANK_TEXT = PLACEHOLDERS["email"], PLACEHOLDERS["bank"]


@pytest.mark.parametrize(
    "number",
    ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0055 5555 5559",
     "378282246310005", "6011 0009 9013 9424", "4222222222222", "6759649826438453",
     "4000 0000 0000 0000 006"],
)  # fmt: skip
def test_luhn_valid_card_numbers_are_removed(number):
    assert redact(f"read out {number} twice") == f"read out {CARD_TEXT} twice"


@pytest.mark.parametrize(
    "text",
    ["order 4111 1111 1111 1112", "ref 1234567890123", "12 digits 123456789012",
     "20 digits 12345678901234567890", "2026-10-05 at 12:30", "£12.50 refund in 3 days"],
)  # fmt: skip
def test_numbers_that_are_not_cards_stay(text):
    assert redact(text) == text


def test_luhn():
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert not luhn_valid("4111 1111")


def test_card_next_to_another_number_is_still_found():
    assert redact("4111 1111 1111 1111 07700900123") == f"{CARD_TEXT} {PHONE_TEXT}"
    assert [f.kind for f in find("card 4111111111111111.")] == [CARD]


@pytest.mark.parametrize(
    "phone",
    ["07700 900123", "07700900123", "07700-900-123", "+44 7700 900123", "+447700900123",
     "+44 (0)20 7946 0958", "0044 161 496 0000", "020 7946 0958", "(020) 7946 0958",
     "0161 496 0000", "01632 960123", "0300 123 4567", "0800 123 4567"],
)  # fmt: skip
def test_uk_phone_numbers_are_removed(phone):
    assert redact(f"call {phone} later") == f"call {PHONE_TEXT} later"


@pytest.mark.parametrize(
    "text", ["call 0123", "room 0770", "+33 1 23 45 67 89", "09 123 456 789 0", "07700 9001"]
)
def test_not_uk_phone_numbers_stay(text):
    assert redact(text) == text


def test_emails_and_bank_details():
    assert redact("mail jo.bloggs+qa@example.co.uk now") == f"mail {EMAIL_TEXT} now"
    assert redact("sort code 12-34-56 account 12345678.") == f"{BANK_TEXT}."
    assert redact("paid from 12-34-56 12345678") == f"paid from {BANK_TEXT}"
    assert redact("Sort code: 123456") == BANK_TEXT
    assert redact("acc no 12345678 closed") == f"{BANK_TEXT} closed"
    assert redact("account number: 87654321") == BANK_TEXT
    assert redact("ref 12345678") == "ref 12345678"


def test_everything_at_once_keeps_the_rest():
    text = ("Cust gave 4111 1111 1111 1111, asked us to ring 07700 900123 or email a@b.com; "
            "=1+2 stays")  # fmt: skip
    assert redact(text) == (
        f"Cust gave {CARD_TEXT}, asked us to ring {PHONE_TEXT} or email {EMAIL_TEXT}; =1+2 stays"
    )


@given(st.text(max_size=200))
def test_redaction_never_leaves_a_luhn_card_behind(text):
    out = redact(text)
    assert redact(out) == out  # placeholders are never found again
    for f in find(out):
        assert f.kind != CARD


def test_clean_text_drops_control_characters_and_caps_length():
    assert clean_text("a\x0bb\x00c") == "abc"
    long = clean_text("x" * (MAX_CELL_CHARS + 10))
    assert len(long) == MAX_CELL_CHARS and long.endswith("[truncated]")
    assert clean_text("card 4111111111111111", redacted=True) == f"card {CARD_TEXT}"
