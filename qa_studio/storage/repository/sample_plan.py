"""What a preview produces: the planned items, the counts the wizard shows, the precision.

Split from ``samples`` (which draws and stores) so each module keeps one job; everything here is
re-exported there.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import numpy as np

from qa_studio.domain import planner
from qa_studio.domain import sampling as smp
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.sample_evidence import pooled_score_sd
from qa_studio.storage.repository.sample_scope import Scope


@dataclass(frozen=True)
class PlannedItem:
    """One drawn contact with its assignment; ``weight`` is 1/λ (see ``domain.sampling``)."""

    interaction_id: int
    external_id: str
    agent_id: int
    agent: str
    agent_name: str
    team: str | None
    channel: str
    queue: str | None
    started_at: str
    stratum: str
    weight: float
    flags: tuple[str, ...]
    evaluator_id: int | None
    evaluator: str | None
    reason: str

    def as_dict(self) -> dict:
        return {
            "interaction_id": self.interaction_id,
            "external_id": self.external_id,
            "agent": self.agent,
            "evaluator": self.evaluator,
            "stratum": self.stratum,
            "weight": round(self.weight, 6),
            "flags": list(self.flags),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class AgentCount:
    agent: str
    agent_name: str
    team: str | None
    eligible: int
    wanted: int
    selected: int


@dataclass(frozen=True)
class FrameCounts:
    """How the period's contacts became the eligible frame."""

    in_period: int
    in_frame: int
    already_evaluated_or_sampled: int
    eligible: int


@dataclass(frozen=True)
class Precision:
    """What the sample will be able to say about one agent: "4 per agent gives ±12 points"."""

    per_agent: float
    n_effective: float
    sd: float
    sd_source: str
    half_width: float
    text: str


@dataclass(frozen=True)
class SamplePlan:
    """Everything the wizard previews and ``create_sample`` stores."""

    spec: smp.SampleSpec
    period: str
    lo: str
    hi: str
    due_on: str
    items: tuple[PlannedItem, ...]
    shortfalls: tuple[smp.Shortfall, ...]
    agents: tuple[AgentCount, ...]
    strata: dict[str, int]
    frame: FrameCounts
    precision: Precision
    evaluator_counts: dict[str, int]
    skipped_evaluators: tuple[tuple[str, str], ...]

    def summary(self) -> dict:
        """What is stored with the sample beside its items."""
        return {
            "period": self.period,
            "bounds": [self.lo, self.hi],
            "shortfalls": [s.as_dict() for s in self.shortfalls],
            "frame": vars(self.frame),
            "strata": self.strata,
            "precision": vars(self.precision),
            "evaluators": self.evaluator_counts,
            "skipped_evaluators": [{"evaluator": n, "why": w} for n, w in self.skipped_evaluators],
            "unassigned": sum(1 for i in self.items if i.evaluator_id is None),
        }

    def as_dict(self, sample_id: int | None = None) -> dict:
        return {
            "sample_id": sample_id,
            "items": [i.as_dict() for i in self.items],
            "shortfalls": [s.as_dict() for s in self.shortfalls],
            **self.summary(),
        }


def agent_counts(
    scope: Scope, eligible_agents: np.ndarray, items: list[PlannedItem], wanted: dict[int, int]
) -> tuple[AgentCount, ...]:
    ids, counts = np.unique(eligible_agents, return_counts=True)
    eligible = dict(zip(ids.tolist(), counts.tolist(), strict=True))
    selected: dict[int, int] = {}
    for it in items:
        selected[it.agent_id] = selected.get(it.agent_id, 0) + 1
    out = []
    for a_id in sorted(set(eligible) | set(wanted), key=lambda a: scope.agents[a].external_id):
        a = scope.agents[a_id]
        out.append(
            AgentCount(
                a.external_id,
                a.name,
                a.team,
                eligible.get(a_id, 0),
                wanted.get(a_id, 0),
                selected.get(a_id, 0),
            )
        )
    return tuple(out)


def precision(ws: Workspace, items: list[PlannedItem]) -> Precision:
    """The typical agent's expected half-width: median count and median Kish effective size
    over agents, with the pooled within-agent SD of existing scores (or the fallback)."""
    by_agent: dict[int, list[float]] = {}
    for it in items:
        by_agent.setdefault(it.agent_id, []).append(it.weight)
    sizes = [len(w) for w in by_agent.values()] or [0]
    n_eff = [sum(w) ** 2 / sum(x * x for x in w) for w in by_agent.values()] or [0.0]
    per_agent, effective = statistics.median(sizes), statistics.median(n_eff)
    sd, count = pooled_score_sd(ws)
    source = (
        f"pooled from {count} evaluations"
        if sd is not None
        else f"assumed {planner.FALLBACK_SD:g} (no evaluations to learn from yet)"
    )
    sd = planner.FALLBACK_SD if sd is None else sd
    half = planner.precision_for(effective, sd)
    shown = f"{per_agent:g}"
    text = (
        f"{shown} per agent gives ±{half:.0f} points (95 % confidence; score SD {sd:.1f}, {source})"
        if half != float("inf")
        else f"{shown} per agent is too few for an interval (at least 2 are needed)"
    )
    if effective + 1e-9 < per_agent and half != float("inf"):
        text += f"; risk weighting makes it worth {effective:.1f} unweighted evaluations"
    return Precision(float(per_agent), float(effective), sd, source, half, text)
