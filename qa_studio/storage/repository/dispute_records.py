"""Disputes as read back: the record the screen, the CLI and the reports show (``disputes`` holds
the workflow that writes them)."""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace


@dataclass(frozen=True)
class Dispute:
    id: int
    uuid: str
    evaluation_id: int
    question_key: str
    raised_by: str
    entered_by: str | None
    raised_at: str
    reason: str
    status: str
    resolution: str | None
    resolved_by: str | None
    resolved_at: str | None
    previous_value: str | None
    new_value: str | None
    revision_before: int | None
    revision_after: int | None
    percent_before: float | None
    percent_after: float | None
    interaction: str
    agent: str | None
    agent_name: str | None
    evaluator: str
    evaluation_status: str

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for key in ("percent_before", "percent_after"):
            if out[key] is not None:
                out[key] = round(out[key], 2)
        return out


_SELECT = (
    "SELECT d.id, d.uuid, d.evaluation_id, d.question_key, d.raised_by, d.entered_by, "
    "d.raised_at, d.reason, d.status, d.resolution, d.resolved_by, d.resolved_at, "
    "d.previous_value, d.new_value, d.revision_before, d.revision_after, d.percent_before, "
    "d.percent_after, i.external_id, a.external_id, a.name, ev.name, e.status "
    "FROM disputes d JOIN evaluations e ON e.id = d.evaluation_id "
    "JOIN interactions i ON i.id = e.interaction_id LEFT JOIN agents a ON a.id = i.agent_id "
    "LEFT JOIN teams t ON t.id = a.team_id JOIN evaluators ev ON ev.id = e.evaluator_id"
)


def _load(ws: Workspace, where: str, params: list) -> list[Dispute]:
    rows = ws.db.execute(f"{_SELECT} WHERE {where} ORDER BY d.raised_at, d.id", params)
    return [Dispute(*r) for r in rows.fetchall()]


def get_dispute(ws: Workspace, dispute_id: int) -> Dispute:
    found = _load(ws, "d.id = ?", [dispute_id])
    if not found:
        raise DataRefused(f"there is no dispute with id {dispute_id}.")
    return found[0]


def list_disputes(
    ws: Workspace,
    *,
    status: str | None = None,
    agent: str | None = None,
    team: str | None = None,
    evaluation_id: int | None = None,
) -> list[Dispute]:
    """Disputes, oldest first, filtered by status, agent (external id), team or evaluation."""
    clauses, params = [], []
    if status is not None:
        if status not in ("open", "upheld", "rejected"):
            raise DataRefused(f"unknown dispute status '{status}' (open, upheld or rejected).")
        clauses.append("d.status = ?")
        params.append(status)
    for column, value in (
        ("a.external_id", agent),
        ("t.name", team),
        ("d.evaluation_id", evaluation_id),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return _load(ws, " AND ".join(clauses) or "1 = 1", params)
