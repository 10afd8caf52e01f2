"""What the complaints log says about one complaint: its detail and timeline, and its next steps.

Why the step rules live here: a team leader should meet a disabled button with the reason
beside it (``Referred on 2026-11-02``, ``record the final response first``) rather than a refusal
after filling a dialog. Each ``*_block`` returns that reason, or None when the step is open; the
repository still refuses what it must, and the view shows its message verbatim.
"""

from __future__ import annotations

import html
from datetime import date

from qa_studio.domain.complaint_rules import Regime
from qa_studio.storage.repository.complaints_query import Complaint
from qa_studio.ui.views.complaint_models import DUE_LABELS

__all__ = ["detail_html", "follow_up_block", "referral_block", "response_block"]

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


def detail_html(c: Complaint) -> str:
    """The fields of ``c`` and its audited timeline, oldest first, as HTML."""
    e = html.escape
    rows = [
        ("Category", c.category), ("Classification", f"{c.classification} — {c.classification_reason}"),
        ("Priority", c.priority),
        ("Vulnerable", (c.vulnerability_need or "yes") if c.vulnerable else "no"),
        ("Owner", c.owner or "—"), ("Status", c.status),
        ("Escalation", f"level {c.escalation_level}; first line attempted: "
                       f"{'yes' if c.first_line_attempted else 'no'}"),
        ("Regime", c.regime + (" (exceptional)" if c.exceptional else "")),
        ("Received", c.opened_at), ("Summary resolution by", c.summary_due or "—"),
        ("Final response due", f"{c.final_due} ({DUE_LABELS[c.due_state]})"),
        ("Final response", c.final_response_at or "—"), ("Resolution", c.resolution or "—"),
        ("Redress", " ".join(x for x in (c.redress or "", f"£{c.redress_amount:.2f}"
                                          if c.redress_amount else "") if x) or "—"),
        ("Ombudsman / ADR", c.ombudsman_referral_at or "—"),
        ("Follow-up", c.followed_up_at or (f"due {c.follow_up_due}" if c.follow_up_due else "—")),
        ("Contact", f"{c.interaction or '—'} (agent {c.agent or '—'})"),
        ("RCA", str(c.rca_id) if c.rca_id else "—"),
    ]  # fmt: skip
    table = "".join(f"<tr><td><b>{e(k)}</b></td><td>{e(str(v))}</td></tr>" for k, v in rows)
    events = "".join(
        f"<tr><td style='white-space:nowrap'>{e(ev.at[:16].replace('T', ' '))}</td>"
        f"<td>{e(ev.actor)}</td><td>{e(ev.kind.replace('_', ' '))}</td><td>{e(ev.text)}"
        + (f" <i>({e(ev.from_value or '—')} → {e(ev.to_value or '—')})</i>"
           if ev.kind != "created" and (ev.from_value or ev.to_value) else "")
        + "</td></tr>"
        for ev in c.events
    )  # fmt: skip
    summary = f"<p>{e(c.summary)}</p>" if c.summary else ""
    return (f"<h3>Complaint {c.id}</h3>{summary}<table cellspacing='4'>{table}</table>"
            f"<h4>Timeline</h4><table cellspacing='4'>{events}</table>")  # fmt: skip
