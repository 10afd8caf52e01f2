"""Remove payment card numbers, UK phone numbers, email addresses and bank details from free text.

Evaluator comments quote what was said on the call ("customer read out 4111 1111 1111 1111"), and
a coaching pack or transcript export travels further than the workspace: by e-mail, on a shared
drive, printed. PCI DSS forbids showing a full card number there and UK GDPR asks that personal
data not be copied where it is not needed, so exports pass every free text through ``redact``.

Card numbers are recognised by the Luhn check, so order and case numbers of the same length stay
readable; phone numbers by the UK numbering plan (``+44``/``0044`` or a leading ``0`` followed by a
number starting 1, 2, 3, 7 or 8 of 9–10 digits); bank details by the ``12-34-56`` sort code
shape or the words "sort code" / "account" beside the digits. Over-redacting a number that merely
looks like one of these is the safe failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CARD, PHONE, EMAIL, BANK = "card", "phone", "email", "bank"
PLACEHOLDERS: dict[str, str] = {
    CARD: "[card number removed]",
    PHONE: "[phone number removed]",
    EMAIL: "[email removed]",
    BANK: "[bank details removed]",
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# A run of digit groups joined by single spaces or dashes; card numbers are looked for inside it.
_DIGIT_RUN = re.compile(r"(?<![\d\-])\d+(?:[ \-]\d+)*(?![\d])")
_ACCOUNT_WORDS = r"(?:account|acct|acc|a/c)(?:[ \t]*(?:no\.?|number|num|#))?[ \t]*[:.]?[ \t]*"
_SORT_WORDS = r"sort[ \t]*code[ \t]*(?:is|:)?[ \t]*"
_SORT_CODE = r"\d{2}[ \-]\d{2}[ \-]\d{2}|\d{6}"
_BANK = re.compile(
    # "sort code 12 34 56", "sort code: 123456", optionally followed by an account number
    rf"(?i:{_SORT_WORDS})(?:{_SORT_CODE})(?![\d])"
    rf"(?:[ \t,;/]+(?:(?i:and[ \t]+)?(?i:{_ACCOUNT_WORDS}))?\d{{8}}(?![\d]))?"
    # "12-34-56", optionally followed by an account number
    rf"|(?<![\d\-])\d{{2}}-\d{{2}}-\d{{2}}(?![\d\-])"
    rf"(?:[ \t,;/]+(?:(?i:and[ \t]+)?(?i:{_ACCOUNT_WORDS}))?\d{{8}}(?![\d]))?"
    # "account number 12345678"
    rf"|(?i:{_ACCOUNT_WORDS})\d{{8}}(?![\d])"
)
# +44 7700 900123, +44 (0)20 7946 0958, 0044 161 496 0000, 07700 900123, (020) 7946 0958 …
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+44|0044)[ \-]?(?:\(0\)[ \-]?)?\(?|\(?0)"
    r"[1237-8](?:[ \-]?\)?[ \-]?\d){8,9}(?![\d])"
)


@dataclass(frozen=True)
class Finding:
    """One piece of sensitive text: what it is and where (``text[start:end]``)."""

    kind: str
    start: int
    end: int


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn (mod 10) check card numbers carry."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_spans(run: re.Match[str]) -> list[tuple[int, int]]:
    """Card numbers inside a run of digit groups: consecutive whole groups holding 13–19 digits
    that pass the Luhn check, longest first from the left, so a card number written next to
    another number ("4111 1111 1111 1111 07700…") is still found."""
    groups = [
        (m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\d+", run.group())
    ]
    spans: list[tuple[int, int]] = []
    text = run.string
    i = 0
    while i < len(groups):
        found = None
        # at most 19 digits, so at most 19 groups: bounded work whatever the run's length
        for j in range(min(len(groups), i + 19) - 1, i - 1, -1):
            digits = "".join(text[a:b] for a, b in groups[i : j + 1])
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                found = j
                break
        if found is None:
            i += 1
            continue
        spans.append((groups[i][0], groups[found][1]))
        i = found + 1
    return spans


def _phone_number(candidate: str) -> bool:
    compact = re.sub(r"[ \-]", "", candidate)
    for prefix in ("+44", "0044"):
        if compact.startswith(prefix):
            rest = compact[len(prefix) :]
            rest = rest[3:] if rest.startswith("(0)") else rest
            national = re.sub(r"\D", "", rest)
            return len(national) in (9, 10) and national[0] in "12378"
    digits = re.sub(r"\D", "", compact)
    return len(digits) in (10, 11) and digits[0] == "0" and digits[1] in "12378"


def find(text: str) -> list[Finding]:
    """Every card number, bank detail, email address and phone number in ``text``, in order.

    Emails are found first (they may hold digits), then Luhn-valid card numbers, then bank
    details, then phone numbers; a later kind never overlaps an earlier find.
    """
    found: list[Finding] = []

    def free(start: int, end: int) -> bool:
        return all(end <= f.start or start >= f.end for f in found)

    for m in _EMAIL.finditer(text):
        found.append(Finding(EMAIL, m.start(), m.end()))
    for run in _DIGIT_RUN.finditer(text):
        for start, end in _card_spans(run):
            if free(start, end):
                found.append(Finding(CARD, start, end))
    for m in _BANK.finditer(text):
        if free(m.start(), m.end()):
            found.append(Finding(BANK, m.start(), m.end()))
    for m in _PHONE.finditer(text):
        if _phone_number(m.group()) and free(m.start(), m.end()):
            found.append(Finding(PHONE, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def redact(text: str) -> str:
    """``text`` with every finding of ``find`` replaced by its placeholder (``[card number
    removed]`` …); text without findings is returned unchanged."""
    findings = find(text)
    if not findings:
        return text
    parts: list[str] = []
    pos = 0
    for f in findings:
        parts.append(text[pos : f.start])
        parts.append(PLACEHOLDERS[f.kind])
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def redact_optional(text: str | None) -> str | None:
    """``redact`` that lets ``None`` through (optional database fields)."""
    return None if text is None else redact(text)
