"""``qa-studio --db FILE sample …`` and ``qa-studio plan …``: draw a sample, size one.

``sample (--period YYYY-MM | --from DATE --to DATE) (--per-agent N | --proportion P)
[--channels voice,chat] [--min-duration S] [--risk complaint=3,vulnerable=2]
[--evaluators NAME,NAME] [--objective TEXT] [--due DATE] [--seed S] [--dry-run] [--json]``
prints ``{"sample_id", "seed", "items": [{interaction_id, external_id, agent, evaluator,
stratum, weight, flags, reason}], "shortfalls": [{agent, wanted, available}], …}``; with
``--dry-run`` ``sample_id`` is null and nothing is stored. Without ``--seed`` a random seed is
drawn and printed, so the sample can be drawn again.

``plan --population N --margin E --confidence C [--proportion P]`` prints ``{"n", "n0"}``
(Cochran with the finite population correction). Margin, confidence and proportion are
proportions (0.05, 0.95) — values of 1 or more are read as percents (5, 95). ``--period`` adds
each agent's n from their volume; ``--evidence`` each agent's mean, interval and pass rate.

The ``samples`` and ``targeted`` command groups (``sample_admin``) are registered from here too.
"""

from __future__ import annotations

import secrets

from qa_studio.commands import sample_admin
from qa_studio.domain.sampling import RISK_KEYS, SampleSpec
from qa_studio.errors import UsageError


def register(sub, common) -> None:
    p = sub.add_parser(
        "sample",
        parents=[common],
        help="draw a reproducible sample and allocate it",
        description="Draw a systematic sample of one period's interactions per agent "
        "(stratified, risk-weighted, reproducible with --seed), allocate it to evaluators by "
        "capacity and store it (one transaction, audited). --dry-run stores nothing.",
    )
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--period", metavar="YYYY-MM", help="a month (or 2026-Q3, 2026)")
    when.add_argument("--from", dest="date_from", metavar="DATE", help="first day (with --to)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day, inclusive")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--per-agent", type=int, metavar="N", help="interactions per agent")
    size.add_argument(
        "--proportion",
        metavar="P",
        help="share of each agent's interactions, above 0 and at most 1 (or 5%%)",
    )
    p.add_argument("--strata", metavar="KEYS", help="stratify by channel and/or queue")
    p.add_argument(
        "--quota",
        metavar="LABEL=N,…",
        help="per-agent counts per stratum, e.g. voice=3,chat=1 (with --strata)",
    )
    p.add_argument("--channels", metavar="LIST", help="only these channels (voice,chat,…)")
    p.add_argument("--teams", metavar="LIST", help="only these teams (names)")
    p.add_argument("--agents", metavar="LIST", help="only these agents (external ids)")
    p.add_argument("--min-duration", type=float, metavar="S", help="at least S seconds long")
    p.add_argument("--risk", metavar="KEY=W,…", help=f"risk weights; keys: {', '.join(RISK_KEYS)}")
    p.add_argument(
        "--include-evaluated",
        action="store_true",
        help="do not exclude interactions that already have an evaluation",
    )
    p.add_argument(
        "--include-sampled",
        action="store_true",
        help="do not exclude interactions already in an open sample",
    )
    p.add_argument(
        "--evaluators",
        metavar="NAMES",
        help="allocate to these evaluators (default: active evaluators and QA leads)",
    )
    p.add_argument("--scorecard", metavar="KEY", help="only evaluators skilled for this card")
    p.add_argument(
        "--allow-own-leader",
        action="store_true",
        help="allow an agent's own team leader to evaluate them",
    )
    p.add_argument("--name", metavar="TEXT", help="the sample's name")
    p.add_argument("--objective", metavar="TEXT", help="what the sample is for")
    p.add_argument("--due", metavar="DATE", help="due date (default: two weeks from today)")
    p.add_argument("--seed", type=int, metavar="S", help="random seed (default: a new one)")
    p.add_argument("--dry-run", action="store_true", help="draw and print, store nothing")
    p.set_defaults(func=run_sample)

    q = sub.add_parser(
        "plan",
        parents=[common],
        help="how many evaluations are enough (Cochran)",
        description="Cochran's sample size n0 = z²p(1−p)/e², with the finite population "
        "correction n = n0/(1+(n0−1)/N). Proportions (0.05, 0.95) or percents (5, 95).",
    )
    q.add_argument("--population", type=int, metavar="N", help="population size (optional)")
    q.add_argument("--margin", required=True, metavar="E", help="margin of error, e.g. 0.05")
    q.add_argument("--confidence", default="0.95", metavar="C", help="confidence (0.95)")
    q.add_argument("--proportion", default="0.5", metavar="P", help="expected proportion (0.5)")
    q.add_argument("--period", metavar="YYYY-MM", help="also n per agent from their volume")
    q.add_argument(
        "--evidence",
        action="store_true",
        help="each agent's mean score, interval, pass rate and evidence flag",
    )
    q.add_argument(
        "--max-half-width",
        type=float,
        default=10.0,
        metavar="POINTS",
        help="'not enough evidence' above this half-width (default 10)",
    )
    q.add_argument(
        "--include-targeted",
        action="store_true",
        help="count targeted-review evaluations in the evidence",
    )
    q.set_defaults(func=run_plan)
    sample_admin.register(sub, common)


def split_list(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split(",") if p.strip())


def parse_pairs(text: str | None, what: str, number=float) -> dict:
    """``a=3,b=2`` → {"a": 3.0, "b": 2.0}; ``UsageError`` naming the bad pair."""
    out = {}
    for part in split_list(text):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{what} '{part}' should be KEY=VALUE (e.g. complaint=3)")
        try:
            out[key.strip()] = number(value.strip())
        except ValueError:
            raise UsageError(f"{what} '{part}': '{value.strip()}' is not a number") from None
    return out


def fraction(text: str | None, what: str) -> float | None:
    """A number from ``0.05`` or ``5%`` (→ 0.05); None stays None."""
    if text is None:
        return None
    value = text.strip()
    percent = value.endswith("%")
    try:
        number = float(value.rstrip("%").strip())
    except ValueError:
        raise UsageError(f"{what} '{text}' is not a number (e.g. 0.05 or 5%)") from None
    return number / 100 if percent else number


def spec_from_args(args) -> SampleSpec:
    if bool(args.date_from) != bool(args.date_to):
        raise UsageError("give both --from and --to (or --period)")
    quotas = parse_pairs(args.quota, "quota", int)
    return SampleSpec(
        period=args.period,
        date_from=args.date_from,
        date_to=args.date_to,
        per_agent=args.per_agent,
        proportion=fraction(args.proportion, "--proportion"),
        quotas=quotas,
        strata=split_list(args.strata),
        channels=split_list(args.channels),
        teams=split_list(args.teams),
        agents=split_list(args.agents),
        min_duration_s=args.min_duration,
        exclude_evaluated=not args.include_evaluated,
        exclude_open_samples=not args.include_sampled,
        risk=parse_pairs(args.risk, "risk"),
        seed=args.seed if args.seed is not None else secrets.randbelow(2**31),
        name=args.name,
        objective=args.objective,
        due_on=args.due,
        evaluators=split_list(args.evaluators),
        scorecard=args.scorecard,
        exclude_own_leader=not args.allow_own_leader,
    )


def run_sample(ctx) -> int:
    from qa_studio.storage.repository.samples import create_sample, preview_sample

    spec = spec_from_args(ctx.args)
    ws = ctx.workspace()
    plan = preview_sample(ws, spec, progress=lambda d, t: None)
    sample_id = None if ctx.args.dry_run else create_sample(ws, spec, plan)
    doc = {"sample_id": sample_id, "seed": spec.seed, **plan.as_dict(sample_id)}
    doc["sample_id"] = sample_id
    ctx.emit(doc, _sample_text(plan, sample_id, spec.seed))
    return 0


def _sample_text(plan, sample_id, seed) -> str:
    head = "Dry run: nothing stored" if sample_id is None else f"Sample {sample_id} created"
    lines = [
        f"{head} — {len(plan.items)} interactions from {plan.period} (seed {seed}), "
        f"due {plan.due_on}",
        f"frame: {plan.frame.eligible} eligible of {plan.frame.in_frame} "
        f"({plan.frame.already_evaluated_or_sampled} already evaluated or sampled)",
        f"precision: {plan.precision.text}",
    ]
    lines += [f"  {name}: {n}" for name, n in plan.evaluator_counts.items()]
    lines += [f"  not allocated to {name}: {why}" for name, why in plan.skipped_evaluators]
    unassigned = sum(1 for i in plan.items if i.evaluator is None)
    if unassigned:
        lines.append(f"  {unassigned} item(s) could not be allocated (see reasons)")
    for s in plan.shortfalls:
        where = f" in {s.stratum}" if s.stratum else ""
        lines.append(
            f"shortfall: {s.agent} ({s.agent_name}) wanted {s.wanted}{where}, "
            f"only {s.available} eligible"
        )
    return "\n".join(lines)


def run_plan(ctx) -> int:
    from qa_studio.domain import planner

    args = ctx.args
    margin = _as_proportion(args.margin, "--margin")
    confidence = _as_proportion(args.confidence, "--confidence")
    proportion = _as_proportion(args.proportion, "--proportion")
    try:
        size = planner.cochran(margin, confidence, proportion, args.population)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    doc: dict = {
        "n": size.n,
        "n0": size.n0,
        "z": size.z,
        "margin": margin,
        "confidence": confidence,
        "proportion": proportion,
        "population": args.population,
    }
    lines = [
        f"n0 = {size.n0:.2f} (z = {size.z:.4f}); n = {size.n}"
        + (f" of a population of {args.population}" if args.population else "")
    ]
    if args.period or args.evidence:
        lines += sample_admin.plan_details(ctx, doc, margin, confidence, proportion)
    ctx.emit(doc, "\n".join(lines))
    return 0


def _as_proportion(text: str, what: str) -> float:
    value = fraction(text, what)
    if value is None:
        raise UsageError(f"{what} needs a value")
    return value / 100 if value >= 1 else value
