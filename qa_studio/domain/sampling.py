"""Systematic, reproducible samples: the spec, its validation, per-agent targets and the draw.

Why this exists: evaluators who pick their own calls pick easy ones, and four hand-picked calls a
month cannot carry the decisions made on them. A sample here is drawn by rule from a spec, the
same spec and seed give the same items on every machine, and every item keeps the inverse of its
inclusion probability so that risk-weighted samples can be weighted back to honest agent means
(:func:`qa_studio.domain.planner.weighted_mean_interval`).

The unit of sampling is a *cell*: one agent's eligible contacts in one stratum (``"voice"``,
``"voice/Billing"``, or ``"all"`` when the spec has no strata). Per agent the spec asks for a
number (``per_agent``), a share (``proportion``, rounded up) or per-stratum ``quotas``; without
quotas the agent's number is spread over their strata in proportion to volume (largest
remainder), which is proportional stratified sampling.

Risk weighting. Item-level keys (``complaint`` formal complaint, ``informal`` informal
dissatisfaction, ``vulnerable``, ``low_csat`` CSAT ≤ 2, ``long_handle`` handle time — duration +
hold + wrap — above the agent's own 90th percentile in the frame, ``repeat`` the same customer
contacted again within 7 days after it) multiply a contact's size measure ``w``; a contact with
several flags gets the product. Within a cell of N contacts of which n are drawn, the target
inclusion probability is ``λᵢ = n·wᵢ/Σw``, capped at 1 (capped contacts are taken for certain and
the rest recomputed until none exceeds 1), and Pareto order sampling
(:func:`qa_studio.domain.sample_keys.pareto_keys`) draws n contacts with inclusion probabilities
≈ λ. Each item stores ``1/λ``; the Hájek estimator Σ(y/λ)/Σ(1/λ) then estimates the agent's
mean over *all* their contacts, not over the risky ones the sample favoured. Agent-level keys
(``new_starter``: started within 90 days before the period's last day; ``improvement_plan``)
would weight every contact of the agent alike, which changes nothing inside a cell, so they
multiply the agent's *number* instead (4 per agent with ``new_starter=2`` → 8 for new starters).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import numpy as np

from qa_studio.domain.models import CHANNELS
from qa_studio.domain.periods import Period, parse_period, period_between
from qa_studio.errors import DataRefused, QAStudioError

ITEM_RISKS: tuple[str, ...] = (
    "complaint",
    "informal",
    "vulnerable",
    "low_csat",
    "long_handle",
    "repeat",
)
AGENT_RISKS: tuple[str, ...] = ("new_starter", "improvement_plan")
RISK_KEYS: tuple[str, ...] = ITEM_RISKS + AGENT_RISKS
#: Bit of each item-level risk flag in a frame's ``flags`` column.
RISK_BITS: dict[str, int] = {key: 1 << i for i, key in enumerate(ITEM_RISKS)}
STRATA_KEYS: tuple[str, ...] = ("channel", "queue")
#: Stratum label of a sample without strata.
ALL = "all"
STRATUM_JOIN = "/"
NEW_STARTER_DAYS = 90
LOW_CSAT = 2
#: Due date of a sample that does not name one: two weeks after it is created.
DEFAULT_DUE_DAYS = 14


@dataclass(frozen=True)
class SampleSpec:
    """What to sample. ``period`` (``2026-10``) or ``date_from``/``date_to`` (inclusive London
    days); ``per_agent`` or ``proportion`` or ``quotas`` ({stratum label: count per agent});
    empty ``channels``/``teams``/``agents`` mean all; ``agents`` are external ids; ``risk``
    maps :data:`RISK_KEYS` to multipliers (> 0); ``evaluators`` empty means every active
    evaluator and QA lead."""

    period: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    per_agent: int | None = None
    proportion: float | None = None
    quotas: Mapping[str, int] = field(default_factory=dict)
    strata: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    min_duration_s: float | None = None
    exclude_evaluated: bool = True
    exclude_open_samples: bool = True
    risk: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    name: str | None = None
    objective: str | None = None
    due_on: str | None = None
    evaluators: tuple[str, ...] = ()
    scorecard: str | None = None
    exclude_own_leader: bool = True

    def to_dict(self) -> dict:
        """JSON-ready; stored with the sample so it can be drawn again."""
        d = asdict(self)
        for key in ("channels", "teams", "agents", "strata", "evaluators"):
            d[key] = list(d[key])
        d["quotas"], d["risk"] = dict(self.quotas), dict(self.risk)
        return d

    @classmethod
    def from_dict(cls, data: Mapping) -> SampleSpec:
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise DataRefused(f"unknown sample spec field(s): {', '.join(unknown)}")
        values = dict(data)
        for key in ("channels", "teams", "agents", "strata", "evaluators"):
            if key in values and values[key] is not None:
                values[key] = tuple(values[key])
        return cls(**values)


def resolve_period(spec: SampleSpec) -> Period:
    """The London days the spec covers (``UsageError`` for a malformed period)."""
    if spec.period and (spec.date_from or spec.date_to):
        raise DataRefused("give a period or a date range (from/to), not both")
    if spec.period:
        return parse_period(spec.period)
    if spec.date_from and spec.date_to:
        return period_between(spec.date_from, spec.date_to)
    raise DataRefused("a sample needs a period (YYYY-MM) or both a from and a to date")


def validate_spec(spec: SampleSpec) -> Period:
    """Check everything that does not need the database; ``DataRefused`` lists every problem."""
    problems: list[str] = []
    try:
        period = resolve_period(spec)
    except QAStudioError as exc:
        problems.append(exc.message)
        period = None
    modes = [spec.per_agent is not None, spec.proportion is not None]
    if sum(modes) > 1:
        problems.append("give a number per agent or a proportion, not both")
    if not any(modes) and not spec.quotas:
        problems.append("say how many: a number per agent, a proportion or per-stratum quotas")
    if spec.per_agent is not None and (
        isinstance(spec.per_agent, bool)
        or not isinstance(spec.per_agent, int)
        or spec.per_agent <= 0
    ):
        problems.append(f"per-agent count {spec.per_agent!r} must be a whole number above 0")
    if spec.proportion is not None and not (
        isinstance(spec.proportion, int | float) and 0 < spec.proportion <= 1
    ):
        problems.append(
            f"proportion {spec.proportion!r} must be above 0 and at most 1 (e.g. 0.05 for 5 %)"
        )
    problems += [
        f"unknown channel '{c}' (one of: {', '.join(CHANNELS)})"
        for c in spec.channels
        if c not in CHANNELS
    ]
    problems += [
        f"unknown stratum '{s}' (one of: {', '.join(STRATA_KEYS)})"
        for s in spec.strata
        if s not in STRATA_KEYS
    ]
    if len(set(spec.strata)) != len(spec.strata):
        problems.append("a stratum is named twice")
    problems += _quota_problems(spec)
    for key, value in spec.risk.items():
        if key not in RISK_KEYS:
            problems.append(f"unknown risk key '{key}' (one of: {', '.join(RISK_KEYS)})")
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (0 < value < math.inf)
        ):
            problems.append(f"risk weight {key}={value!r} must be a number above 0")
    if spec.min_duration_s is not None and not (
        isinstance(spec.min_duration_s, int | float) and spec.min_duration_s >= 0
    ):
        problems.append(f"minimum duration {spec.min_duration_s!r} must be 0 or more seconds")
    if spec.due_on is not None:
        try:
            due = date.fromisoformat(spec.due_on)
            if period is not None and due < period.first:
                problems.append(f"due date {due} is before the period starts ({period.first})")
        except ValueError:
            problems.append(f"due date '{spec.due_on}' is not a date: write YYYY-MM-DD")
    if not isinstance(spec.seed, int) or isinstance(spec.seed, bool):
        problems.append(f"seed {spec.seed!r} must be a whole number")
    if problems:
        raise DataRefused("the sample spec is not valid: " + problems[0], problems)
    return period  # type: ignore[return-value]


def _quota_problems(spec: SampleSpec) -> list[str]:
    if not spec.quotas:
        return []
    out = []
    if spec.proportion is not None:
        out.append("quotas are counts per agent: they cannot be combined with a proportion")
    if not spec.strata:
        out.append("quotas need strata (channel and/or queue) to name")
    for label, count in spec.quotas.items():
        parts = str(label).split(STRATUM_JOIN)
        if spec.strata and len(parts) != len(spec.strata):
            out.append(
                f"quota '{label}' should name {' / '.join(spec.strata)} "
                f"(e.g. {STRATUM_JOIN.join(['voice', 'Billing'][: len(spec.strata)])})"
            )
        elif (
            spec.strata
            and "channel" in spec.strata
            and (parts[spec.strata.index("channel")] not in CHANNELS)
        ):
            out.append(f"quota '{label}': unknown channel '{parts[spec.strata.index('channel')]}'")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            out.append(f"quota '{label}' = {count!r} must be a whole number, 0 or more")
    if (
        spec.per_agent is not None
        and isinstance(spec.per_agent, int)
        and (sum(c for c in spec.quotas.values() if isinstance(c, int)) != spec.per_agent)
    ):
        out.append(
            f"the quotas add up to {sum(spec.quotas.values())}, not the per-agent "
            f"count {spec.per_agent}"
        )
    return out


def stratum_label(parts: Iterable[str | None]) -> str:
    return STRATUM_JOIN.join(p if p else "(none)" for p in parts) or ALL


@dataclass(frozen=True)
class AgentInfo:
    """What the sampler and allocator need to know about an agent."""

    id: int
    external_id: str
    name: str
    team: str | None = None
    leader_id: int | None = None
    started_on: str | None = None
    on_improvement_plan: bool = False
    active: bool = True


def agent_multiplier(spec: SampleSpec, agent: AgentInfo, last_day: date) -> tuple[float, tuple]:
    """The agent-level risk multiplier and the keys that applied."""
    factor, keys = 1.0, []
    if "new_starter" in spec.risk and agent.started_on:
        try:
            started = date.fromisoformat(agent.started_on[:10])
        except ValueError:
            started = None
        if started is not None and last_day - timedelta(days=NEW_STARTER_DAYS) < started:
            factor *= spec.risk["new_starter"]
            keys.append("new_starter")
    if "improvement_plan" in spec.risk and agent.on_improvement_plan:
        factor *= spec.risk["improvement_plan"]
        keys.append("improvement_plan")
    return factor, tuple(keys)


def _ceil(x: float) -> int:
    """Round up, forgiving the float noise of e.g. 0.1 × 330 = 33.000000000000004."""
    return max(0, math.ceil(x - 1e-9))


@dataclass(frozen=True)
class Shortfall:
    """An agent (or one of their strata) with fewer eligible contacts than wanted."""

    agent_id: int
    agent: str
    agent_name: str
    wanted: int
    available: int
    stratum: str | None = None

    def as_dict(self) -> dict:
        d = {
            "agent": self.agent,
            "agent_name": self.agent_name,
            "wanted": self.wanted,
            "available": self.available,
        }
        if self.stratum is not None:
            d["stratum"] = self.stratum
        return d


def cell_targets(
    spec: SampleSpec,
    agent: AgentInfo,
    counts: Mapping[str, int],
    multiplier: float = 1.0,
) -> tuple[dict[str, int], list[Shortfall]]:
    """How many to draw from each of one agent's strata (eligible ``counts``), and shortfalls."""
    total = sum(counts.values())
    short: list[Shortfall] = []
    if spec.quotas:
        out = {}
        for label in sorted(spec.quotas):
            want = _ceil(spec.quotas[label] * multiplier)
            have = counts.get(label, 0)
            out[label] = min(want, have)
            if have < want:
                short.append(Shortfall(agent.id, agent.external_id, agent.name, want, have, label))
        return out, short
    if spec.proportion is not None:
        want = min(total, _ceil(spec.proportion * total * multiplier))
    else:
        want = _ceil((spec.per_agent or 0) * multiplier)
    if want >= total:
        if want > total:
            short.append(Shortfall(agent.id, agent.external_id, agent.name, want, total))
        return dict(counts), short
    return largest_remainder(want, counts), short


def largest_remainder(seats: int, sizes: Mapping[str, int]) -> dict[str, int]:
    """Hamilton's method in exact integers: ``seats`` shared in proportion to ``sizes``; each
    share is the floor or ceiling of its exact quota; ties go to the earlier label."""
    total = sum(sizes.values())
    if total == 0:
        return {k: 0 for k in sizes}
    labels = sorted(sizes)
    share = {k: seats * sizes[k] // total for k in labels}
    left = seats - sum(share.values())
    by_remainder = sorted(labels, key=lambda k: (-(seats * sizes[k] % total), k))
    for k in by_remainder[:left]:
        share[k] += 1
    return share


def risk_weights(flags: np.ndarray, risk: Mapping[str, float]) -> np.ndarray:
    """The size measure of every contact: the product of the multipliers of its flags."""
    w = np.ones(len(flags), dtype=np.float64)
    for key in ITEM_RISKS:
        if key in risk:
            w = np.where((flags & RISK_BITS[key]) != 0, w * float(risk[key]), w)
    return w


@functools.cache
def flag_names(bits: int) -> tuple[str, ...]:
    """The item-level risk keys set in a flag mask."""
    return tuple(key for key in ITEM_RISKS if bits & RISK_BITS[key])


def due_date(spec: SampleSpec, today: date) -> date:
    return (
        date.fromisoformat(spec.due_on) if spec.due_on else today + timedelta(days=DEFAULT_DUE_DAYS)
    )
