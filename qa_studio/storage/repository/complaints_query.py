"""Reading the complaints log: the list with due states, one complaint with its timeline.

The due state (overdue, due soon, on track, done) depends on today, so it is computed on read
from the stored due dates rather than stored. The log is small beside the interactions table
(hundreds to thousands of rows), so filtering by due state happens in Python after an indexed
status query.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from qa_studio.domain import complaint_rules as rules
from qa_studio.domain.timeutil import LONDON, utcnow
from qa_studio.storage.db import Workspace

OPEN_STATUSES = ("open", "investigating")


@dataclass(frozen=True)
class Event:
    at: str
    actor: str
    kind: str
    text: str
    from_value: str | None
    to_value: str | None


@dataclass(frozen=True)
class Complaint:
    id: int
    uuid: str
    interaction_id: int | None
    interaction: str | None  # external id
    agent: str | None
    evaluation_id: int | None
    rca_id: int | None
    customer_ref: str | None
    opened_at: str
    classification: str
    classification_reason: str
    category: str
    priority: str
    vulnerable: bool
    vulnerability_need: str | None
    owner: str | None
    status: str
    escalation_level: int
    first_line_attempted: bool
    regime: str
    exceptional: bool
    summary: str
    summary_due: str | None
    final_due: str
    summary_sent_at: str | None
    final_response_at: str | None
    resolution: str | None
    redress_amount: float | None
    redress: str | None
    ombudsman_referral_at: str | None
    ombudsman_ref: str | None
    follow_up_due: str | None
    followed_up_at: str | None
    due_state: str
    days_left: int | None
    events: tuple[Event, ...] = ()

    def as_dict(self) -> dict:
        d = asdict(self)
        d["events"] = [asdict(e) for e in self.events]
        return d


_SELECT = (
    "SELECT c.id, c.uuid, c.interaction_id, i.external_id, a.external_id, c.evaluation_id, "
    "c.rca_id, c.customer_ref, c.opened_at, c.classification, c.classification_reason, "
    "c.category, c.priority, c.vulnerable, c.vulnerability_need, c.owner, c.status, "
    "c.escalation_level, c.first_line_attempted, c.regime, c.exceptional, c.summary, "
    "c.summary_due, c.final_due, c.summary_sent_at, c.final_response_at, c.resolution, "
    "c.redress_amount, c.redress, c.ombudsman_referral_at, c.ombudsman_ref, c.follow_up_due, "
    "c.followed_up_at FROM complaints c LEFT JOIN interactions i ON i.id = c.interaction_id "
    "LEFT JOIN agents a ON a.id = i.agent_id"
)


def london_today() -> date:
    return utcnow().astimezone(LONDON).date()


def _build(
    row: tuple, today: date, due_soon_days: int, events: tuple[Event, ...] = ()
) -> Complaint:
    values = list(row)
    for i in (13, 18, 20):  # vulnerable, first_line_attempted, exceptional
        values[i] = bool(values[i])
    final_due = date.fromisoformat(values[23])
    responded = values[25] is not None or values[16] in ("resolved", "referred", "closed")
    state = rules.due_state(final_due, today, responded=responded, due_soon_days=due_soon_days)
    left = None if state == rules.DONE else rules.days_left(final_due, today)
    return Complaint(*values, state, left, events)


def get_complaint(
    ws: Workspace, complaint_id: int, *, today: date | None = None,
    due_soon_days: int = rules.DEFAULT_DUE_SOON_DAYS,
) -> Complaint | None:  # fmt: skip
    row = ws.db.execute(f"{_SELECT} WHERE c.id = ?", [complaint_id]).fetchone()
    if row is None:
        return None
    events = tuple(
        Event(*r)
        for r in ws.db.execute(
            "SELECT at, actor, kind, text, from_value, to_value FROM complaint_events "
            "WHERE complaint_id = ? ORDER BY at, id",
            [complaint_id],
        )
    )
    return _build(row, today or london_today(), due_soon_days, events)


def list_complaints(
    ws: Workspace,
    *,
    status: str | None = None,
    due: str | None = None,
    vulnerable: bool | None = None,
    category: str | None = None,
    open_only: bool = False,
    today: date | None = None,
    due_soon_days: int = rules.DEFAULT_DUE_SOON_DAYS,
) -> list[Complaint]:
    """The log, most urgent first (due date, then priority); ``due`` filters by due state
    (``overdue``, ``due_soon``, ``on_track``, ``done``)."""
    clauses: list[str] = []
    params: list = []
    if status:
        clauses.append("c.status = ?")
        params.append(status)
    if open_only or due in (rules.OVERDUE, rules.DUE_SOON):
        clauses.append(f"c.status IN ({', '.join('?' for _ in OPEN_STATUSES)})")
        params.extend(OPEN_STATUSES)
    if vulnerable is not None:
        clauses.append("c.vulnerable = ?")
        params.append(int(vulnerable))
    if category:
        clauses.append("c.category = ?")
        params.append(category)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    order = (
        " ORDER BY c.final_due, CASE c.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 "
        "WHEN 'medium' THEN 2 ELSE 3 END, c.id"
    )
    day = today or london_today()
    rows = [_build(r, day, due_soon_days) for r in ws.db.execute(_SELECT + where + order, params)]
    return [c for c in rows if due is None or c.due_state == due]


def overdue(ws: Workspace, *, today: date | None = None) -> list[Complaint]:
    """Complaints still open after their final-response due day."""
    return list_complaints(ws, due=rules.OVERDUE, today=today)


def categories(ws: Workspace) -> list[tuple[str, int]]:
    """Complaint categories with their counts, most frequent first (for RCA and the matrix)."""
    return [
        (r[0], r[1])
        for r in ws.db.execute(
            "SELECT category, count(*) FROM complaints GROUP BY category "
            "ORDER BY count(*) DESC, category"
        )
    ]


@dataclass(frozen=True)
class FlaggedContact:
    id: int
    external_id: str
    started_at: str
    complaint: str
    vulnerable: bool
    agent: str | None


def flagged_without_complaint(ws: Workspace, *, limit: int = 200) -> list[FlaggedContact]:
    """Newest contacts flagged as complaints (formal or informal) with no log entry yet."""
    return [
        FlaggedContact(r[0], r[1], r[2], r[3], bool(r[4]), r[5])
        for r in ws.db.execute(
            "SELECT i.id, i.external_id, i.started_at, i.complaint, i.vulnerable, a.external_id "
            "FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id "
            "WHERE i.complaint <> 'none' AND NOT EXISTS "
            "(SELECT 1 FROM complaints c WHERE c.interaction_id = i.id) "
            "ORDER BY i.started_at DESC LIMIT ?",
            [limit],
        )
    ]


def flagged_contact(ws: Workspace, external_id: str) -> FlaggedContact | None:
    """One contact by external id (flagged or not), for logging a complaint from it."""
    r = ws.db.execute(
        "SELECT i.id, i.external_id, i.started_at, i.complaint, i.vulnerable, a.external_id "
        "FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id WHERE i.external_id = ?",
        [external_id],
    ).fetchone()
    return None if r is None else FlaggedContact(r[0], r[1], r[2], r[3], bool(r[4]), r[5])
