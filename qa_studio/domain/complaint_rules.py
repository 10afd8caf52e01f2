"""Complaint-handling regimes: which deadlines a complaint has and when it is overdue.

A regime says how long the firm has, counted from the day the complaint was received (the London
calendar day):

* ``summary_business_days`` — a complaint resolved by the end of this business day after receipt
  may close with a *summary resolution communication* (FCA DISP 1.5: the third);
* ``final`` — the final response is due after ``final_amount`` ``calendar_weeks`` (DISP 1.6:
  8 weeks; Ofcom: 8 weeks, then the customer may go to ADR) or ``business_days`` (payment
  services, DISP 1.6.2A: 15, or 35 in exceptional circumstances with a holding reply);
* ``referral`` — where the customer goes next (Financial Ombudsman Service, Ofcom ADR scheme).

Defaults follow the regulators; a workspace may override or add regimes (settings key
``complaint_regimes``, a JSON list of the same fields) because firms often set tighter internal
targets. Pure Python; business days come from ``business_days``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from qa_studio.domain import business_days as bd

CALENDAR_WEEKS, BUSINESS_DAYS = "calendar_weeks", "business_days"
OVERDUE, DUE_SOON, ON_TRACK, DONE = "overdue", "due_soon", "on_track", "done"
#: "Due soon" = due within this many business days from today (inclusive).
DEFAULT_DUE_SOON_DAYS = 2
SETTINGS_KEY = "complaint_regimes"


@dataclass(frozen=True)
class Regime:
    key: str
    name: str
    summary_business_days: int | None
    final_unit: str
    final_amount: int
    exceptional_amount: int | None
    referral: str
    reference: str


DEFAULT_REGIMES: tuple[Regime, ...] = (
    Regime("fca", "FCA-regulated (DISP)", 3, CALENDAR_WEEKS, 8, None,
           "Financial Ombudsman Service", "FCA DISP 1.5, 1.6.2"),
    Regime("payment_services", "Payment services (PSRs)", 3, BUSINESS_DAYS, 15, 35,
           "Financial Ombudsman Service", "FCA DISP 1.6.2A"),
    Regime("ofcom", "Communications (Ofcom)", None, CALENDAR_WEEKS, 8, None,
           "Ofcom-approved ADR scheme", "Ofcom General Condition C4"),
    Regime("internal", "Informal / internal target", None, BUSINESS_DAYS, 5, None,
           "escalate to a formal complaint", "house rule"),
)  # fmt: skip


@dataclass(frozen=True)
class Deadlines:
    received_on: date
    summary_due: date | None  # last day a summary resolution communication may close it
    final_due: date  # final response due by the end of this day
    referral_from: date  # the day after final_due: the customer may refer the complaint


def parse_regimes(text: str | None) -> tuple[Regime, ...]:
    """The default regimes overlaid with a workspace's JSON list (same keys replace defaults).

    Raises ``ValueError`` naming the entry and field when the JSON is wrong.
    """
    regimes = {r.key: r for r in DEFAULT_REGIMES}
    if not text:
        return tuple(regimes.values())
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError(f"{SETTINGS_KEY}: a JSON list of regimes is expected")
    for i, item in enumerate(data):
        where = f"{SETTINGS_KEY}[{i}]"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: an object is expected")
        base = asdict(regimes[item["key"]]) if item.get("key") in regimes else {}
        merged = {**base, **item}
        missing = [f for f in Regime.__dataclass_fields__ if f not in merged]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        regime = Regime(**{f: merged[f] for f in Regime.__dataclass_fields__})
        problem = check_regime(regime)
        if problem:
            raise ValueError(f"{where}.{problem}")
        regimes[regime.key] = regime
    return tuple(regimes.values())


def check_regime(r: Regime) -> str | None:
    """The first problem with a regime as ``field: message`` (None when it is valid)."""
    if not r.key or not isinstance(r.key, str):
        return "key: a non-empty text is required"
    if r.final_unit not in (CALENDAR_WEEKS, BUSINESS_DAYS):
        return f"final_unit: {CALENDAR_WEEKS} or {BUSINESS_DAYS}"
    if not isinstance(r.final_amount, int) or r.final_amount < 1:
        return "final_amount: a whole number ≥ 1"
    if r.summary_business_days is not None and (
        not isinstance(r.summary_business_days, int) or r.summary_business_days < 1
    ):
        return "summary_business_days: a whole number ≥ 1, or null"
    if r.exceptional_amount is not None and (
        not isinstance(r.exceptional_amount, int) or r.exceptional_amount < r.final_amount
    ):
        return "exceptional_amount: a whole number ≥ final_amount, or null"
    return None


def find(regimes: tuple[Regime, ...], key: str) -> Regime:
    for regime in regimes:
        if regime.key == key:
            return regime
    raise KeyError(key)


def deadlines(regime: Regime, received_on: date, *, exceptional: bool = False) -> Deadlines:
    """Due dates of a complaint received on ``received_on`` (a London calendar day)."""
    summary = (
        bd.add_business_days(received_on, regime.summary_business_days)
        if regime.summary_business_days
        else None
    )
    amount = regime.final_amount
    if exceptional and regime.exceptional_amount:
        amount = regime.exceptional_amount
    if regime.final_unit == CALENDAR_WEEKS:
        final = received_on + timedelta(weeks=amount)
    else:
        final = bd.add_business_days(received_on, amount)
    return Deadlines(received_on, summary, final, final + timedelta(days=1))


def due_state(
    final_due: date,
    today: date,
    *,
    responded: bool,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> str:
    """``done`` once the final response went out; ``overdue`` after the due day; ``due_soon``
    when the due day is within ``due_soon_days`` business days; else ``on_track``."""
    if responded:
        return DONE
    if today > final_due:
        return OVERDUE
    if final_due <= bd.add_business_days(today, due_soon_days):
        return DUE_SOON
    return ON_TRACK


def days_left(final_due: date, today: date) -> int:
    """Business days from today to the due day (negative = business days overdue)."""
    return bd.business_days_between(today, final_due)
