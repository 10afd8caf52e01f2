"""Which next steps a complaint allows now, and why not: one rule for the screen and the CLI.

Each ``*_block`` returns the reason a step is closed (``Referred on 2026-11-02``), or None when it
is open. The complaints screen disables its buttons with the reason as the tooltip; the repository
(``complaints.refer``, ``record_final_response``, ``record_follow_up``) refuses the same steps
with the same words, so a script cannot record what the screen would not.
"""

from __future__ import annotations

from datetime import date

from qa_studio.domain.complaint_rules import Regime
from qa_studio.storage.repository.complaints_query import Complaint

__all__ = ["NO_REFERRAL_REGIMES", "follow_up_block", "referral_block", "response_block"]

#: Past this regime the customer has no ombudsman / ADR to go to (escalate to formal instead).
NO_REFERRAL_REGIMES = ("internal",)


def response_block(c: Complaint) -> str | None:
    """Why no response can be recorded for ``c`` now (None when it can)."""
    if c.final_response_at:
        return f"The response went out on {c.final_response_at[:10]}."
    if c.status == "closed":
        return "The complaint is closed."
    return None


def referral_block(c: Complaint, regime: Regime | None, today: date) -> str | None:
    """Why ``c`` cannot be referred to the ombudsman/ADR now (None when it can): only a formal
    complaint under a regulated regime, after the final response or once its deadline passed."""
    if c.ombudsman_referral_at:
        return f"Referred on {c.ombudsman_referral_at[:10]}."
    if c.classification != "formal" or c.regime in NO_REFERRAL_REGIMES or regime is None:
        return "Only a formal complaint under a regulated regime can go to the ombudsman/ADR."
    if c.final_response_at is None and today <= date.fromisoformat(c.final_due):
        return (f"The customer may refer it after the final response, or once the final "
                f"deadline ({c.final_due}) has passed.")  # fmt: skip
    return None


def follow_up_block(c: Complaint) -> str | None:
    """Why no follow-up can be recorded for ``c`` now (None when it can)."""
    if c.followed_up_at:
        return f"Followed up on {c.followed_up_at[:10]}."
    if c.final_response_at is None:
        return "The follow-up comes after the final response: record that first."
    return None
