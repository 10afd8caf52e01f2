"""Sharing review work among evaluators: by capacity, within skills, never to the agent's own
team leader, around absences — with the reason for every assignment written down.

The standards ask supervisors to allocate work by skills and workload with a justification; this
applies that to evaluators. The method is a sequential divisor method (Sainte-Laguë/Webster):
each item goes to the eligible evaluator with the smallest ``(load + ½) / capacity``, ties to the
lower load and then the name. With equal capacities and no constraints that is a round robin, so
every count is within one of the proportional share; with unequal capacities counts follow
capacity. Items are handled in groups sharing the same eligible evaluators (channel and team
leader), the most constrained group first, so that constrained items are not left to whoever is
left over; a group's steps are computed at once. Everything is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

#: Roles in the default pool (team leaders review their own people outside sampling).
DEFAULT_ROLES: tuple[str, ...] = ("evaluator", "qa_lead")


@dataclass(frozen=True)
class EvaluatorSlot:
    """An evaluator as the allocator sees them. Empty ``channels``/``scorecards`` = covers all."""

    id: int
    name: str
    role: str = "evaluator"
    capacity_per_week: int = 20
    channels: frozenset[str] = field(default_factory=frozenset)
    scorecards: frozenset[str] = field(default_factory=frozenset)
    absent: tuple[tuple[str | None, str | None], ...] = ()
    active: bool = True

    @classmethod
    def from_row(
        cls,
        id: int,
        name: str,
        role: str,
        capacity: int,
        skills: str | dict,
        absent: str | list,
        active: bool,
    ) -> EvaluatorSlot:
        """From stored columns (``skills`` and ``absent`` as JSON text or parsed)."""
        s = json.loads(skills) if isinstance(skills, str) else (skills or {})
        a = json.loads(absent) if isinstance(absent, str) else (absent or [])
        return cls(
            int(id),
            name,
            role,
            int(capacity),
            frozenset(s.get("channels") or ()),
            frozenset(s.get("scorecards") or ()),
            tuple((p[0], p[1] if len(p) > 1 else None) for p in a),
            bool(active),
        )

    def covers(self, channel: str | None, scorecard: str | None = None) -> bool:
        ok_channel = not self.channels or channel is None or channel in self.channels
        ok_card = not self.scorecards or scorecard is None or scorecard in self.scorecards
        return ok_channel and ok_card

    def absence_during(self, first: date, last: date) -> tuple[str | None, str | None] | None:
        """The first absence overlapping the inclusive days ``first``…``last``, if any."""
        for start, end in self.absent:
            s = date.fromisoformat(start[:10]) if start else date.min
            e = date.fromisoformat(end[:10]) if end else date.max
            if s <= last and e >= first:
                return (start, end)
        return None


@dataclass(frozen=True)
class WorkItem:
    """One item to place: its channel, and the id of its agent's team leader (an evaluator)."""

    channel: str | None
    leader_id: int | None = None


@dataclass(frozen=True)
class Assignment:
    evaluator_id: int | None
    evaluator: str | None
    reason: str


@dataclass(frozen=True)
class Allocation:
    """Assignments aligned with the items, evaluators left out (with why), per-evaluator load."""

    assignments: tuple[Assignment, ...]
    skipped: tuple[tuple[str, str], ...]
    counts: Mapping[str, int]

    @property
    def unassigned(self) -> int:
        return sum(1 for a in self.assignments if a.evaluator_id is None)


def available_pool(
    evaluators: Iterable[EvaluatorSlot], first: date, last: date
) -> tuple[list[EvaluatorSlot], list[tuple[str, str]]]:
    """Who can take work between ``first`` and ``last``; the others with the reason."""
    pool, skipped = [], []
    for ev in sorted(evaluators, key=lambda e: e.name):
        if not ev.active:
            skipped.append((ev.name, "inactive"))
        elif ev.capacity_per_week <= 0:
            skipped.append((ev.name, "capacity 0 a week"))
        elif (absence := ev.absence_during(first, last)) is not None:
            skipped.append((ev.name, f"absent {absence[0] or '…'} to {absence[1] or '…'}"))
        else:
            pool.append(ev)
    return pool, skipped


def allocate(
    items: Sequence[WorkItem],
    evaluators: Iterable[EvaluatorSlot],
    *,
    first: date,
    last: date,
    scorecard: str | None = None,
    exclude_own_leader: bool = True,
    existing: Mapping[int, int] | None = None,
) -> Allocation:
    """Assign every item (see the module docstring). ``first``/``last`` are the days the work is
    done in (the sample's creation and due dates); ``existing`` is work already held (by id),
    counted in the load so that redistribution tops up the least loaded."""
    pool, skipped = available_pool(evaluators, first, last)
    total = sum(e.capacity_per_week for e in pool)
    load = {e.id: (existing or {}).get(e.id, 0) for e in pool}
    options: dict[tuple, list[EvaluatorSlot]] = {}
    for it in items:
        if (it.channel, it.leader_id) not in options:
            options[(it.channel, it.leader_id)] = [
                e
                for e in pool
                if e.covers(it.channel, scorecard)
                and not (exclude_own_leader and it.leader_id is not None and e.id == it.leader_id)
            ]
    groups: dict[tuple, list[int]] = {}
    for i, it in enumerate(items):
        groups.setdefault((it.channel, it.leader_id), []).append(i)
    out: list[Assignment | None] = [None] * len(items)
    slot = {e.id: k for k, e in enumerate(pool)}  # pool is in name order
    loads = np.array([load[e.id] for e in pool], dtype=np.int64)
    caps = np.array([e.capacity_per_week for e in pool], dtype=np.float64)
    # The most constrained groups first, so the constrained items are not left to whoever is
    # left over; within a group, in item order.
    for key in sorted(groups, key=lambda g: (len(options[g]), groups[g][0])):
        members, choice = groups[key], options[key]
        if not choice:
            why = _unassigned_reason(items[members[0]], pool, scorecard, exclude_own_leader)
            for i in members:
                out[i] = Assignment(None, None, why)
            continue
        picks = _webster(np.array([slot[e.id] for e in choice]), loads, caps, len(members))
        reasons = {}
        for i, k in zip(members, picks.tolist(), strict=True):
            best = pool[k]
            if k not in reasons:
                reasons[k] = _reason(best, total, items[i], scorecard, exclude_own_leader)
            out[i] = Assignment(best.id, best.name, reasons[k])
        loads += np.bincount(picks, minlength=len(pool))
    for e in pool:
        load[e.id] = int(loads[slot[e.id]])
    counts = {e.name: load[e.id] - (existing or {}).get(e.id, 0) for e in pool}
    return Allocation(tuple(a for a in out if a is not None), tuple(skipped), counts)


def _webster(choice: np.ndarray, loads: np.ndarray, caps: np.ndarray, count: int) -> np.ndarray:
    """The evaluators (pool positions) that ``count`` successive Webster steps pick: each step
    takes the smallest ``(load + ½)/capacity`` (ties: lower load, then name). Each evaluator's
    successive values only grow, so the ``count`` steps are the ``count`` smallest of all
    ``(load + j + ½)/capacity`` — computed at once instead of one item at a time."""
    j = np.arange(count)
    held = loads[choice][:, None] + j[None, :]
    share = (held + 0.5) / caps[choice][:, None]
    who = np.broadcast_to(choice[:, None], share.shape)
    order = np.lexsort((who.ravel(), held.ravel(), share.ravel()))[:count]
    return who.ravel()[order]


def _reason(
    ev: EvaluatorSlot, total: int, item: WorkItem, scorecard: str | None, exclude_own_leader: bool
) -> str:
    parts = [f"capacity {ev.capacity_per_week}/wk of {total} total"]
    covers = "covers " + (item.channel or "any channel")
    if scorecard:
        covers += f" and scorecard {scorecard}"
    parts.append(covers)
    if exclude_own_leader and item.leader_id is not None:
        parts.append("not the agent's team leader")
    return "; ".join(parts)


def _unassigned_reason(
    item: WorkItem, pool: Sequence[EvaluatorSlot], scorecard: str | None, exclude_own_leader: bool
) -> str:
    if not pool:
        return "unassigned: no evaluator is available (all absent, inactive or without capacity)"
    what = item.channel or "this channel"
    if scorecard:
        what += f" with scorecard {scorecard}"
    skilled = [e for e in pool if e.covers(item.channel, scorecard)]
    if skilled and exclude_own_leader:
        return f"unassigned: only the agent's team leader covers {what}"
    return f"unassigned: no available evaluator covers {what}"
