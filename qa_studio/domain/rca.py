"""Root-cause analysis arithmetic: fishbone categories, the Pareto of causes, and drafts.

A team leader writes causes under the six fishbone bones and gives each a weight — how many of
the failures it explains (a count from the sample reviewed, or a judgement). The Pareto orders the
causes by weight and adds the cumulative share, so the "vital few" that explain ~80 % of the
problem stand out; those are the causes worth corrective actions. Pure Python so screens, CLI and
exports agree on the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

#: The six bones of the fishbone (Ishikawa) diagram as QA Studio draws them, in drawing order.
CATEGORIES: tuple[str, ...] = (
    "People",
    "Process",
    "Technology",
    "Policy",
    "Environment",
    "Measurement",
)
SOURCE_KINDS: tuple[str, ...] = (
    "question",
    "complaint_category",
    "kpi_miss",
    "complaint",
    "manual",
)
STATUSES: tuple[str, ...] = ("open", "actions_agreed", "checking_effect", "closed")
ACTION_STATUSES: tuple[str, ...] = ("open", "done", "dropped")
#: The cumulative share up to which causes count as the "vital few".
VITAL_FEW_SHARE = 80.0


@dataclass(frozen=True)
class CauseDraft:
    category: str
    text: str
    weight: float = 1.0


@dataclass(frozen=True)
class ActionDraft:
    text: str
    owner: str | None = None
    due_on: str | None = None
    status: str = "open"


@dataclass(frozen=True)
class RcaDraft:
    """Everything the RCA editor saves in one go (one transaction, one audit row)."""

    problem: str
    owner: str | None = None
    status: str = "open"
    metric: str | None = None
    change_on: str | None = None
    effect_note: str | None = None
    whys: tuple[str, ...] = ()
    causes: tuple[CauseDraft, ...] = ()
    actions: tuple[ActionDraft, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ParetoRow:
    category: str
    text: str
    weight: float
    share: float  # percent of the total weight
    cumulative: float  # percent, running
    vital: bool  # inside the vital few (the cause that crosses 80 % is included)


def validate(draft: RcaDraft) -> list[str]:
    """Every problem with a draft, as messages naming the field (empty when it can be saved)."""
    errors: list[str] = []
    if not draft.problem.strip():
        errors.append("problem: a problem statement is required")
    if draft.status not in STATUSES:
        errors.append(f"status: one of {', '.join(STATUSES)}, not {draft.status!r}")
    for i, why in enumerate(draft.whys, 1):
        if not why.strip():
            errors.append(f"whys[{i}]: an empty why (remove it or write the answer)")
    for i, cause in enumerate(draft.causes, 1):
        if cause.category not in CATEGORIES:
            errors.append(f"causes[{i}].category: one of {', '.join(CATEGORIES)}")
        if not cause.text.strip():
            errors.append(f"causes[{i}].text: a cause needs a description")
        if not (isinstance(cause.weight, int | float) and math.isfinite(cause.weight)) or (
            cause.weight < 0
        ):
            errors.append(f"causes[{i}].weight: a number ≥ 0")
    for i, action in enumerate(draft.actions, 1):
        if not action.text.strip():
            errors.append(f"actions[{i}].text: an action needs a description")
        if action.status not in ACTION_STATUSES:
            errors.append(f"actions[{i}].status: one of {', '.join(ACTION_STATUSES)}")
    return errors


def pareto(causes: Sequence[CauseDraft]) -> list[ParetoRow]:
    """Causes by weight, heaviest first (ties by category order, then text), with shares."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    ranked = sorted(causes, key=lambda c: (-c.weight, order.get(c.category, 99), c.text))
    total = math.fsum(c.weight for c in ranked)
    rows: list[ParetoRow] = []
    running = 0.0
    previous = 0.0
    for cause in ranked:
        share = 100.0 * cause.weight / total if total else 0.0
        running += share
        rows.append(
            ParetoRow(
                cause.category, cause.text, cause.weight, share, running,
                total > 0 and previous < VITAL_FEW_SHARE,
            )
        )  # fmt: skip
        previous = running
    return rows


def by_category(causes: Sequence[CauseDraft]) -> dict[str, list[CauseDraft]]:
    """Causes grouped under the six bones (every bone present, possibly empty)."""
    groups: dict[str, list[CauseDraft]] = {c: [] for c in CATEGORIES}
    for cause in causes:
        groups.setdefault(cause.category, []).append(cause)
    return groups
