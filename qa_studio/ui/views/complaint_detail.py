"""What the complaints log says about one complaint: its detail and timeline, and its next steps.

The step rules (``storage.repository.complaint_steps``) are re-exported here: a team leader should
meet a disabled button with the reason beside it (``Referred on 2026-11-02``, ``record the final
response first``) rather than a refusal after filling a dialog; the repository applies the same
rules, so the CLI refuses the same steps with the same words.
"""

from __future__ import annotations

import html

from qa_studio.storage.repository.complaint_steps import (
    follow_up_block,
    referral_block,
    response_block,
)
from qa_studio.storage.repository.complaints_query import Complaint
from qa_studio.ui.views.complaint_models import DUE_LABELS

__all__ = ["detail_html", "follow_up_block", "referral_block", "response_block"]


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
