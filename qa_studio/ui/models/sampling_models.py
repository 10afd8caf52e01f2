"""Read-only table models for the sampling wizard and the Sampling tab.

Why one generic model: every table here (agents and strata of a preview, samples, workloads, the
evaluator's queue) is a list of frozen records shown column by column, with a few rows to
highlight (a shortfall, an overdue item). ``RecordTableModel`` takes the columns as
``(header, getter)`` pairs and an optional ``flag`` that tints a row and explains it in a tooltip;
the small factories below name each table's columns once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.storage.repository.sample_plan import AgentCount, SamplePlan
from qa_studio.storage.repository.sample_work import EvaluatorWorkload, QueueItem, SampleSummary
from qa_studio.ui.models.record_table import (  # noqa: F401 - re-exported for the sampling views
    FLAG_COLOUR,
    LONG_TEXT,
    RECORD_ROLE,
    Column,
    RecordTableModel,
)

# -- the tables ------------------------------------------------------------------------------


def _shortfall(a: AgentCount) -> str | None:
    if a.selected < a.wanted:
        return f"Shortfall: {a.wanted} wanted, only {a.eligible} eligible — all were taken."
    return None


def agent_counts_model(parent=None) -> RecordTableModel:
    return RecordTableModel([
        Column("Agent", lambda a: a.agent_name or a.agent),
        Column("Team", lambda a: a.team or "—"),
        Column("Eligible", lambda a: a.eligible, True),
        Column("Wanted", lambda a: a.wanted, True),
        Column("Selected", lambda a: a.selected, True),
    ], _shortfall, parent)  # fmt: skip


@dataclass(frozen=True)
class Count:
    """A label and a number: a stratum's or an evaluator's share of a preview."""

    label: str
    n: int
    note: str | None = None


def count_model(label: str, parent=None) -> RecordTableModel:
    return RecordTableModel(
        [Column(label, lambda c: c.label), Column("Items", lambda c: c.n, True)],
        lambda c: c.note,
        parent,
    )


def plan_counts(plan: SamplePlan) -> tuple[list[Count], list[Count]]:
    """The preview's strata and evaluator allocation, evaluators left out flagged with why."""
    strata = [Count(k, n) for k, n in sorted(plan.strata.items())]
    evaluators = [Count(k, n) for k, n in sorted(plan.evaluator_counts.items())]
    unassigned = sum(1 for i in plan.items if i.evaluator_id is None)
    if unassigned:
        evaluators.append(Count("(nobody can take them)", unassigned, "No evaluator can take "
                                "these items: check skills, absences and the evaluator list."))  # fmt: skip
    evaluators += [Count(name, 0, f"Left out: {why}") for name, why in plan.skipped_evaluators]
    return strata, evaluators


def samples_model(period_of: Callable[[SampleSummary], str], parent=None) -> RecordTableModel:
    return RecordTableModel([
        Column("Name", lambda s: s.name),
        Column("Objective", lambda s: s.objective or "—"),
        Column("Period", period_of),
        Column("Items", lambda s: s.items, True),
        Column("Done", lambda s: s.done, True),
        Column("Due", lambda s: s.due_on or "—"),
        Column("Status", lambda s: s.status),
    ], None, parent)  # fmt: skip


def workload_model(parent=None) -> RecordTableModel:
    return RecordTableModel([
        Column("Evaluator", lambda w: w.name),
        Column("Assigned", lambda w: w.assigned, True),
        Column("In progress", lambda w: w.in_progress, True),
        Column("Done", lambda w: w.done, True),
        Column("Overdue", lambda w: w.overdue, True),
        Column("Capacity/week", lambda w: w.capacity, True),
    ], _overloaded, parent)  # fmt: skip


def _overloaded(w: EvaluatorWorkload) -> str | None:
    if w.overdue:
        return f"{w.overdue} overdue item(s)."
    if w.open > w.capacity:
        return f"{w.open} open items, more than a week's capacity ({w.capacity})."
    return None


@dataclass(frozen=True)
class QueueRow:
    """A line of "My queue": a sample item, or a targeted-review entry (``item`` None)."""

    kind: str  # "sample" | "targeted"
    interaction_id: int
    external_id: str
    agent: str
    channel: str
    started_at: str
    source: str  # the sample's name, or the targeted rule
    status: str
    due_on: str | None
    reason: str
    overdue: bool
    item: QueueItem | None = None


def local_time(iso: str) -> str:
    """A stored UTC instant as London reads it, short: ``13 Oct 16:15``."""
    return parse_iso(iso).astimezone(LONDON).strftime("%d %b %H:%M")


def queue_model(parent=None) -> RecordTableModel:
    return RecordTableModel([
        Column("Interaction", lambda q: q.external_id),
        Column("Agent", lambda q: q.agent),
        Column("Channel", lambda q: q.channel),
        Column("Started", lambda q: local_time(q.started_at)),
        Column("From", lambda q: q.source),
        Column("Status", lambda q: q.status.replace("_", " ")),
        Column("Due", lambda q: q.due_on or "—"),
        Column("Why", lambda q: q.reason),
    ], lambda q: "Overdue." if q.overdue else None, parent)  # fmt: skip
