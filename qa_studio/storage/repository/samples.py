"""Samples: preview a spec, create it (one transaction, audited), list and close them.

This is the public face of sampling for the CLI and the UI. ``preview_sample`` does all the work
and writes nothing (the wizard shows its result); ``create_sample`` stores exactly what was
previewed. Workloads, queues and reassignment live in ``sample_work`` and the evidence behind the
planner in ``sample_evidence``; both are re-exported here so callers import one module.

The draw itself is pure (``qa_studio.domain.sampling``); this module reads the frame
(``sample_frame``), computes the risk flags, excludes what must be excluded, and allocates.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, datetime

import numpy as np

from qa_studio.domain import allocation as alloc
from qa_studio.domain import sampling as smp
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.sample_draw import SampleDraw, draw_sample
from qa_studio.domain.sample_keys import long_handle_flags, repeat_flags
from qa_studio.domain.timeutil import LONDON, to_iso, utcnow_iso
from qa_studio.errors import DataRefused, QAStudioError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository import sample_frame as fr
from qa_studio.storage.repository.sample_evidence import (  # noqa: F401  (re-exported API)
    agent_evidence,
    agent_volumes,
    pooled_score_sd,
)
from qa_studio.storage.repository.sample_plan import (  # noqa: F401  (re-exported API)
    AgentCount,
    FrameCounts,
    PlannedItem,
    Precision,
    SamplePlan,
    agent_counts,
    precision,
)
from qa_studio.storage.repository.sample_scope import Scope, resolve_scope
from qa_studio.storage.repository.sample_work import (  # noqa: F401  (re-exported API)
    EvaluatorWorkload,
    Moved,
    QueueItem,
    SampleDetail,
    SampleSummary,
    close_sample,
    get_sample,
    list_samples,
    queue_for,
    reassign,
    reassign_absent,
    workload,
)

Progress = Callable[[int, int], None]
_STEPS = 6


class SamplingCancelled(QAStudioError):
    """The user cancelled a preview; nothing was written."""


def _today() -> date:
    return datetime.now(LONDON).date()


def preview_sample(
    ws: Workspace,
    spec: smp.SampleSpec,
    *,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    today: date | None = None,
) -> SamplePlan:
    """Draw the sample the spec describes, allocate it, and say how precise it will be.

    Writes nothing. ``DataRefused`` for a bad spec (unknown channel, team, agent, evaluator or
    risk key, a count ≤ 0, a period with no data …); ``SamplingCancelled`` if cancelled.
    """
    today = today or _today()

    def step(done: int) -> None:
        if is_cancelled is not None and is_cancelled():
            raise SamplingCancelled("sampling was cancelled; nothing was created")
        if progress is not None:
            progress(done, _STEPS)

    period = smp.validate_spec(spec)
    lo, hi = period.bounds
    scope = resolve_scope(ws, spec)
    step(1)
    q = fr.FrameQuery(
        lo,
        hi,
        tuple(spec.channels),
        spec.min_duration_s,
        scope.agent_ids,
        tuple(spec.strata),
        csat="low_csat" in spec.risk,
        handle="long_handle" in spec.risk,
        repeat="repeat" in spec.risk,
    )
    in_period = fr.period_count(ws.db.conn, lo, hi)
    if in_period == 0:
        raise DataRefused(
            f"there are no interactions in {period.label} ({lo[:10]} to {hi[:10]} UTC)",
            ["import the period's interactions first, or choose another period"],
        )
    frame = fr.load_frame(ws, q, in_period)
    if len(frame) == 0:
        _refuse_empty(spec, period.label)
    step(2)
    flags = _flags(ws, spec, q, frame)
    eligible_mask = np.ones(len(frame), dtype=bool)
    eligible_mask[
        frame.positions_of(
            fr.excluded(
                ws, frame, evaluated=spec.exclude_evaluated, open_samples=spec.exclude_open_samples
            )
        )
    ] = False
    eligible = np.flatnonzero(eligible_mask)
    if len(eligible) == 0:
        raise DataRefused(
            f"all {len(frame)} interactions matching the spec in {period.label} are already "
            "evaluated or in an open sample: nothing left to sample"
        )
    step(3)
    drawn = _draw(spec, scope, frame, flags, eligible, period.last)
    step(4)
    items, allocation = _items(ws, spec, scope, frame, flags, eligible, drawn, today)
    step(5)
    strata: dict[str, int] = {}
    for it in items:
        strata[it.stratum] = strata.get(it.stratum, 0) + 1
    plan = SamplePlan(
        spec=spec,
        period=period.key,
        lo=lo,
        hi=hi,
        due_on=smp.due_date(spec, today).isoformat(),
        items=tuple(items),
        shortfalls=drawn.shortfalls,
        agents=agent_counts(scope, frame.agent[eligible], items, drawn.wanted),
        strata=dict(sorted(strata.items())),
        frame=FrameCounts(in_period, len(frame), len(frame) - len(eligible), len(eligible)),
        precision=precision(ws, items),
        evaluator_counts=dict(allocation.counts),
        skipped_evaluators=allocation.skipped,
    )
    step(6)
    return plan


def _refuse_empty(spec: smp.SampleSpec, label: str) -> None:
    raise DataRefused(
        f"no interaction in {label} matches the spec (handled by an agent in scope"
        + (f", channel {', '.join(spec.channels)}" if spec.channels else "")
        + (f", at least {spec.min_duration_s:g} s long" if spec.min_duration_s else "")
        + ")"
    )


def _flags(ws: Workspace, spec: smp.SampleSpec, q: fr.FrameQuery, frame: fr.Frame) -> np.ndarray:
    """Each contact's item-level risk flags as a bit mask (``domain.sampling.RISK_BITS``)."""
    flags = np.zeros(len(frame), dtype=np.int64)
    indexed = {
        "complaint": "complaint = 'formal'",
        "informal": "complaint = 'informal'",
        "vulnerable": "vulnerable = 1",
    }
    for key, condition in indexed.items():
        if key in spec.risk:
            flags[frame.positions_of(fr.flagged(ws, q, condition))] |= smp.RISK_BITS[key]
    if frame.csat is not None:
        low = (frame.csat >= 1) & (frame.csat <= smp.LOW_CSAT)
        flags |= np.where(low, smp.RISK_BITS["low_csat"], 0)
    if frame.handle is not None:
        flags |= np.where(
            long_handle_flags(frame.agent, frame.handle), smp.RISK_BITS["long_handle"], 0
        )
    if frame.customer is not None and frame.later is not None:
        repeat = repeat_flags(frame.customer, frame.has_customer, frame.seconds, *frame.later)
        flags |= np.where(repeat, smp.RISK_BITS["repeat"], 0)
    return flags


def _draw(
    spec: smp.SampleSpec,
    scope: Scope,
    frame: fr.Frame,
    flags: np.ndarray,
    eligible: np.ndarray,
    last_day: date,
) -> SampleDraw:
    """Stratum codes for the eligible contacts, then the pure draw."""
    if frame.stratum is not None:
        texts = frame.stratum
        labels = sorted(set(texts))
        code = {label: i for i, label in enumerate(labels)}
        stratum = np.fromiter((code[t] for t in texts), dtype=np.int64, count=len(texts))
    else:
        labels, stratum = [smp.ALL], np.zeros(len(frame), dtype=np.int64)
    return draw_sample(
        spec,
        scope.agents,
        frame.agent[eligible],
        stratum[eligible],
        labels,
        frame.hashes[eligible],
        flags[eligible],
        last_day=last_day,
        in_scope=scope.in_scope,
    )


def _items(
    ws: Workspace,
    spec: smp.SampleSpec,
    scope: Scope,
    frame: fr.Frame,
    flags: np.ndarray,
    eligible: np.ndarray,
    drawn: SampleDraw,
    today: date,
) -> tuple[list[PlannedItem], alloc.Allocation]:
    """The drawn contacts, allocated, as items ordered by agent, stratum and draw order."""
    positions = eligible[drawn.positions]
    ids = frame.ids[positions].tolist()
    details = fr.drawn_details(ws, ids)
    agents = [scope.agents[a] for a in frame.agent[positions].tolist()]
    order = sorted(range(len(ids)), key=lambda k: (agents[k].external_id, drawn.strata[k], k))
    work = [alloc.WorkItem(details[ids[k]][0], agents[k].leader_id) for k in order]
    allocation = alloc.allocate(
        work,
        scope.evaluators,
        first=today,
        last=smp.due_date(spec, today),
        scorecard=spec.scorecard,
        exclude_own_leader=spec.exclude_own_leader,
    )
    items = []
    for k, a in zip(order, allocation.assignments, strict=True):
        pos, iid, agent = int(positions[k]), ids[k], agents[k]
        channel, queue, started = details[iid]
        names = smp.flag_names(int(flags[pos]))
        items.append(
            PlannedItem(
                iid,
                frame.external_id[pos],
                agent.id,
                agent.external_id,
                agent.name,
                agent.team,
                channel,
                queue,
                started,
                drawn.strata[k],
                1.0 / float(drawn.inclusion[k]),
                names,
                a.evaluator_id,
                a.evaluator,
                a.reason + (f"; flagged: {', '.join(names)}" if names else ""),
            )
        )
    return items, allocation


def create_sample(
    ws: Workspace,
    spec: smp.SampleSpec,
    plan: SamplePlan | None = None,
    *,
    today: date | None = None,
    rng: random.Random | None = None,
    at: datetime | None = None,
) -> int:
    """Store the sample (``plan`` if previewed, else drawn now) in one audited transaction.

    Refuses an empty sample, and a previewed plan whose contacts have since been evaluated or
    put in another open sample (preview again). ``rng`` and ``at`` (uuids and the creation
    time) exist for the demo, whose builds must be identical row for row."""
    previewed = plan is not None
    if plan is None:
        plan = preview_sample(ws, spec, today=today)
    if not plan.items:
        raise DataRefused("the sample is empty: nothing to create")
    taken = _now_taken(ws, [it.interaction_id for it in plan.items], spec) if previewed else ()
    if taken:
        raise DataRefused(
            f"{len(taken)} of the previewed interactions have since been "
            "evaluated or put in an open sample; preview the sample again",
            sorted(taken)[:20],
        )
    now = to_iso(at) if at is not None else utcnow_iso()
    name = spec.name or f"Sample {plan.period}"
    sample_uuid = new_uuid(rng)
    with ws.db.atomic():
        sample_id = int(
            ws.db.execute(
                "INSERT INTO samples (uuid, name, objective, spec, seed, status, due_on, created_by, "
                "created_at, summary) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)",
                [
                    sample_uuid,
                    name,
                    spec.objective,
                    json.dumps(spec.to_dict(), ensure_ascii=False),
                    spec.seed,
                    plan.due_on,
                    ws.actor,
                    now,
                    json.dumps(plan.summary(), ensure_ascii=False),
                ],
            ).lastrowid
        )
        ws.db.conn.executemany(
            "INSERT INTO sample_items (uuid, sample_id, interaction_id, evaluator_id, stratum, "
            "weight, reason, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'assigned')",
            [
                (
                    new_uuid(rng),
                    sample_id,
                    it.interaction_id,
                    it.evaluator_id,
                    it.stratum,
                    it.weight,
                    it.reason,
                )
                for it in plan.items
            ],
        )
        audit.append(
            ws,
            "sample.create",
            "sample",
            sample_uuid,
            {
                "name": name,
                "objective": spec.objective,
                "period": plan.period,
                "seed": spec.seed,
                "due_on": plan.due_on,
                "spec": spec.to_dict(),
                "items": len(plan.items),
                "interactions": [it.external_id for it in plan.items],
                "evaluators": plan.evaluator_counts,
                "shortfalls": [s.as_dict() for s in plan.shortfalls],
            },
        )
    return sample_id


def _now_taken(ws: Workspace, ids: list[int], spec: smp.SampleSpec) -> set[str]:
    """External ids among ``ids`` that the spec's exclusions would now leave out."""
    tests = []
    if spec.exclude_evaluated:
        tests.append("EXISTS (SELECT 1 FROM evaluations e WHERE e.interaction_id = i.id)")
    if spec.exclude_open_samples:
        tests.append(
            "EXISTS (SELECT 1 FROM sample_items si JOIN samples s ON "
            "s.id = si.sample_id WHERE si.interaction_id = i.id AND s.status = 'open')"
        )
    out: set[str] = set()
    for start in range(0, len(ids), 900) if tests else ():
        part = ids[start : start + 900]
        out.update(
            r[0]
            for r in ws.db.execute(
                f"SELECT i.external_id FROM interactions i WHERE i.id IN "
                f"({', '.join('?' * len(part))}) AND ({' OR '.join(tests)})",
                part,
            )
        )
    return out
