"""The demo step that draws the samples a QA evaluator finds on the Sampling tab.

Why: the Sampling tab is the first screen a QA evaluator opens; on an empty demo it shows no
sample, no workload and an empty queue, which demonstrates nothing. This step draws the samples
the way the CLI and the wizard do (``samples.preview_sample`` then ``samples.create_sample``,
allocated by capacity and skills), so everything the tab shows comes from the real sampler:

- **last month's monthly QA sample** (open, due at the end of the month after ``--end``): a few
  contacts per agent, stratified by channel and weighted towards formal complaints, vulnerable
  customers and low CSAT. It is drawn over *all* the month's contacts, evaluated or not (the
  reviews already done that month count towards it), and each item whose contact a QA evaluator
  has already reviewed is handed to that evaluator with ``samples.reassign``. Those items read
  *done* (or *in progress* for a draft) from the evaluations themselves; the rest wait in queues;
- **a spot check of one team's vulnerable customers** in the month before, one contact per
  agent among those nobody had reviewed, given to the QA people skilled for every channel, due
  two weeks into the last month and still open: its items are **overdue** (nobody got round to
  them), so the overdue column has something to show for those two, not for everyone.

The sampler's seeds come from ``ctx.rng("samples")``, creation times from ``--end`` and uuids
from the same generator, so two builds are identical; no evaluation is added, so every count the
other steps produce stays as it was. A sample the data cannot fill (a tiny demo) is left out.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from qa_studio.demo.evaluations import CHANNEL_CARD
from qa_studio.domain.sampling import SampleSpec
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import samples

if TYPE_CHECKING:
    from qa_studio.demo.builder import DemoContext

#: Roles whose earlier reviews count as the sample's work (a team leader's one does not).
QA_ROLES = ("evaluator", "qa_lead")
MONTHLY_RISK = {"complaint": 3.0, "vulnerable": 2.0, "low_csat": 1.5}
MONTHLY_OBJECTIVE = (
    "Monthly quality assurance: {n} contacts per agent, stratified by channel and weighted "
    "towards formal complaints, vulnerable customers and low CSAT, to report each agent's "
    "score and pass rate for {month} and pick out coaching needs."
)
SPOT_CHECK_OBJECTIVE = (
    "Spot check after a rise in vulnerability flags: were customers in vulnerable "
    "circumstances in {team} recognised and supported in {month}?"
)


@dataclass(frozen=True)
class _Drawn:
    sample_id: int
    items: int
    reviewed: int


def _month(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _hand_over_reviewed(ctx: DemoContext, sample_id: int) -> int:
    """Give each item whose contact a QA evaluator already reviewed to that evaluator (their
    earliest non-calibration evaluation), as a QA lead tidying the allocation would."""
    rows = ctx.ws.db.execute(
        "SELECT si.id, ev.name FROM sample_items si "
        "JOIN evaluations e ON e.id = (SELECT min(e2.id) FROM evaluations e2 "
        "  JOIN evaluators ev2 ON ev2.id = e2.evaluator_id "
        "  WHERE e2.interaction_id = si.interaction_id AND e2.calibration_session_id IS NULL "
        f"  AND ev2.role IN ({', '.join('?' * len(QA_ROLES))}) AND ev2.active = 1) "
        "JOIN evaluators ev ON ev.id = e.evaluator_id "
        "WHERE si.sample_id = ? AND si.evaluator_id IS NOT e.evaluator_id ORDER BY si.id",
        [*QA_ROLES, sample_id],
    ).fetchall()
    by_evaluator: dict[str, list[int]] = {}
    for item_id, name in rows:
        by_evaluator.setdefault(name, []).append(int(item_id))
    for name, item_ids in by_evaluator.items():
        samples.reassign(ctx.ws, item_ids, name, note="already reviewed this contact")
    return _already_theirs(ctx, sample_id)


def _already_theirs(ctx: DemoContext, sample_id: int) -> int:
    """Items whose evaluator has reviewed their contact (handed over or allocated so)."""
    return int(
        ctx.ws.db.execute(
            "SELECT count(*) FROM sample_items si WHERE si.sample_id = ? AND EXISTS (SELECT 1 "
            "FROM evaluations e WHERE e.interaction_id = si.interaction_id "
            "AND e.evaluator_id = si.evaluator_id AND e.calibration_session_id IS NULL)",
            [sample_id],
        ).fetchone()[0]
    )


def _all_rounders(ctx: DemoContext) -> tuple[str, ...]:
    """The QA people skilled for every demo channel: a spot check goes to them, not to everyone."""
    assert ctx.roster is not None
    return tuple(
        ev.name
        for ev in ctx.roster.evaluators
        if ev.role in QA_ROLES and set(ev.skills.get("channels", ())) >= set(CHANNEL_CARD)
    )


def _draw(ctx: DemoContext, spec: SampleSpec, created: date, rng: random.Random) -> _Drawn | None:
    """Preview and store one sample as the CLI does; ``None`` when the data cannot fill it."""
    try:
        plan = samples.preview_sample(ctx.ws, spec, today=created)
        if not plan.items:
            return None
        sample_id = samples.create_sample(
            ctx.ws, spec, plan, today=created, rng=rng, at=ctx.at(created, 9, 30)
        )
    except DataRefused:
        return None
    return _Drawn(sample_id, len(plan.items), _hand_over_reviewed(ctx, sample_id))


def step_samples(ctx: DemoContext) -> dict[str, int]:
    """Draw the two samples (see the module docstring); counts for the summary."""
    assert ctx.roster is not None, "the people step runs first"
    rng = ctx.rng("samples")
    end = ctx.spec.end
    last_first = _month(end)[0]
    prev_first = _month(last_first - timedelta(days=1))[0]
    out = {"samples": 0, "sample_items": 0, "sample_items_reviewed": 0}

    def add(drawn: _Drawn | None) -> _Drawn | None:
        if drawn is not None:
            out["samples"] += 1
            out["sample_items"] += drawn.items
            out["sample_items_reviewed"] += drawn.reviewed
        return drawn

    def monthly(first: date, per_agent: int, due: date) -> SampleSpec:
        month = first.strftime("%B %Y")
        return SampleSpec(
            period=first.strftime("%Y-%m"),
            per_agent=per_agent,
            strata=("channel",),
            risk=dict(MONTHLY_RISK),
            exclude_evaluated=False,
            seed=rng.randrange(1, 1_000_000),
            name=f"{month} — monthly QA",
            objective=MONTHLY_OBJECTIVE.format(n=per_agent, month=month),
            due_on=due.isoformat(),
        )

    # A spot check of one team, due two weeks into last month: what is not done is overdue.
    team = rng.choice(ctx.roster.teams).name
    add(
        _draw(
            ctx,
            SampleSpec(
                period=prev_first.strftime("%Y-%m"),
                per_agent=1,
                teams=(team,),
                risk={"vulnerable": 6.0},
                seed=rng.randrange(1, 1_000_000),
                evaluators=_all_rounders(ctx),
                name=f"{prev_first.strftime('%B %Y')} — vulnerable customers spot check",
                objective=SPOT_CHECK_OBJECTIVE.format(
                    team=team, month=prev_first.strftime("%B %Y")
                ),
                due_on=(last_first + timedelta(days=13)).isoformat(),
            ),
            last_first,
            rng,
        )
    )
    # Last month's sample, drawn the day after --end and due at the end of the next month.
    next_last = _month(end + timedelta(days=1))[1]
    add(_draw(ctx, monthly(last_first, 4, next_last), end + timedelta(days=1), rng))
    ctx.progress(
        f"demo: {out['samples']} samples, {out['sample_items']} items "
        f"({out['sample_items_reviewed']} already reviewed)"
    )
    return out
