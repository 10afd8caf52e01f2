"""``qa-studio samples …`` and ``qa-studio targeted …``: look after stored samples and the
targeted-review queue (registered by ``qa_studio.commands.sample``).

``samples list | show ID | close ID | workload | queue NAME | reassign --items 1,2 --to NAME
[--note TEXT] | redistribute [ID]`` and ``targeted list [--status S] | run | dismiss IDS
--note TEXT``. Every change is one audited transaction.
"""

from __future__ import annotations

from dataclasses import asdict

from qa_studio.errors import UsageError


def register(sub, common) -> None:
    group = sub.add_parser(
        "samples",
        help="list, show, close and reassign samples",
        description="Stored samples, evaluators' queues and workloads.",
    )
    actions = group.add_subparsers(dest="samples_command", metavar="SUBCOMMAND", required=True)
    actions.add_parser("list", parents=[common], help="every sample").set_defaults(func=run_list)
    show = actions.add_parser("show", parents=[common], help="one sample and its items")
    show.add_argument("sample_id", type=int, metavar="ID")
    show.set_defaults(func=run_show)
    close = actions.add_parser("close", parents=[common], help="close a sample")
    close.add_argument("sample_id", type=int, metavar="ID")
    close.set_defaults(func=run_close)
    actions.add_parser("workload", parents=[common], help="open items per evaluator").set_defaults(
        func=run_workload
    )
    queue = actions.add_parser("queue", parents=[common], help="an evaluator's open items")
    queue.add_argument("evaluator", metavar="NAME")
    queue.set_defaults(func=run_queue)
    move = actions.add_parser("reassign", parents=[common], help="give items to an evaluator")
    move.add_argument("--items", required=True, metavar="IDS", help="sample item ids, 1,2,3")
    move.add_argument("--to", required=True, metavar="NAME", help="the evaluator")
    move.add_argument("--note", metavar="TEXT", help="why (kept in the item's reason)")
    move.set_defaults(func=run_reassign)
    redo = actions.add_parser(
        "redistribute", parents=[common], help="move absent evaluators' unstarted items"
    )
    redo.add_argument(
        "sample_id",
        type=int,
        nargs="?",
        metavar="ID",
        help="one sample (default: every open sample)",
    )
    redo.set_defaults(func=run_redistribute)

    group = sub.add_parser(
        "targeted",
        help="the targeted-review queue",
        description="High-risk contacts picked by the rules run after each "
        "import: formal complaint, CSAT 1, vulnerable customer, card number "
        "or security code in the transcript.",
    )
    actions = group.add_subparsers(dest="targeted_command", metavar="SUBCOMMAND", required=True)
    ls = actions.add_parser("list", parents=[common], help="the queue")
    ls.add_argument("--status", default="open", choices=("open", "done", "dismissed", "all"))
    ls.set_defaults(func=run_targeted_list)
    actions.add_parser(
        "run", parents=[common], help="check contacts added since the last run"
    ).set_defaults(func=run_targeted_run)
    dismiss = actions.add_parser("dismiss", parents=[common], help="take entries off the queue")
    dismiss.add_argument("ids", metavar="IDS", help="queue entry ids, 1,2,3")
    dismiss.add_argument("--note", required=True, metavar="TEXT", help="why no review")
    dismiss.set_defaults(func=run_targeted_dismiss)


def _ids(text: str) -> list[int]:
    try:
        return [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise UsageError(f"'{text}' should be whole-number ids separated by commas") from None


def run_list(ctx) -> int:
    from qa_studio.storage.repository.samples import list_samples

    rows = [asdict(s) for s in list_samples(ctx.workspace())]
    ctx.emit(
        {"samples": rows},
        "\n".join(
            f"{s['id']:>4}  {s['status']:<6} {s['name']}  {s['done']}/{s['items']} done, "
            f"due {s['due_on']}"
            for s in rows
        )
        or "no samples yet",
    )
    return 0


def run_show(ctx) -> int:
    from qa_studio.storage.repository.samples import get_sample

    detail = get_sample(ctx.workspace(), ctx.args.sample_id)
    doc = {
        **asdict(detail.summary),
        "spec": detail.spec.to_dict(),
        "result": detail.result,
        "items": [asdict(i) for i in detail.items],
    }
    lines = [
        f"{detail.summary.name} ({detail.summary.status}, due {detail.summary.due_on}): "
        f"{detail.summary.done}/{detail.summary.items} done"
    ]
    lines += [
        f"{i.item_id:>6}  {i.external_id}  {i.agent}  {i.stratum}  "
        f"{i.evaluator or '(unassigned)'}  {i.status}"
        for i in detail.items
    ]
    ctx.emit(doc, "\n".join(lines))
    return 0


def run_close(ctx) -> int:
    from qa_studio.storage.repository.samples import close_sample

    close_sample(ctx.workspace(), ctx.args.sample_id)
    ctx.emit(
        {"sample_id": ctx.args.sample_id, "status": "closed"}, f"sample {ctx.args.sample_id} closed"
    )
    return 0


def run_workload(ctx) -> int:
    from qa_studio.storage.repository.samples import workload

    rows = [asdict(w) for w in workload(ctx.workspace())]
    ctx.emit(
        {"evaluators": rows},
        "\n".join(
            f"{w['name']:<24} assigned {w['assigned']:>4}  in progress {w['in_progress']:>3}  "
            f"done {w['done']:>4}  overdue {w['overdue']:>3}  capacity {w['capacity']}/wk"
            for w in rows
        )
        or "no evaluators",
    )
    return 0


def run_queue(ctx) -> int:
    from qa_studio.storage.repository.samples import queue_for

    rows = [asdict(q) for q in queue_for(ctx.workspace(), ctx.args.evaluator)]
    ctx.emit(
        {"evaluator": ctx.args.evaluator, "items": rows},
        "\n".join(
            f"{q['item_id']:>6}  {q['external_id']}  {q['agent']}  {q['channel']}  due "
            f"{q['due_on']}{'  OVERDUE' if q['overdue'] else ''}  ({q['sample_name']})"
            for q in rows
        )
        or f"{ctx.args.evaluator} has nothing to do",
    )
    return 0


def run_reassign(ctx) -> int:
    from qa_studio.storage.repository.samples import reassign

    moved = reassign(ctx.workspace(), _ids(ctx.args.items), ctx.args.to, note=ctx.args.note)
    ctx.emit({"moved": moved, "to": ctx.args.to}, f"{moved} item(s) given to {ctx.args.to}")
    return 0


def run_redistribute(ctx) -> int:
    from qa_studio.storage.repository.samples import reassign_absent

    moved = reassign_absent(ctx.workspace(), ctx.args.sample_id)
    ctx.emit(
        {"moved": [asdict(m) for m in moved]},
        "\n".join(
            f"item {m.item_id} ({m.external_id}): {m.from_evaluator or '(unassigned)'} → "
            f"{m.to_evaluator or '(unassigned)'}"
            for m in moved
        )
        or "nothing to redistribute",
    )
    return 0


def run_targeted_list(ctx) -> int:
    from qa_studio.storage.repository.targeted import targeted_queue

    status = None if ctx.args.status == "all" else ctx.args.status
    rows = [asdict(t) for t in targeted_queue(ctx.workspace(), status)]
    ctx.emit(
        {"items": rows},
        "\n".join(
            f"{t['id']:>5}  {t['external_id']}  {t['agent']}  {t['status']}  {t['reason']}"
            for t in rows
        )
        or "the targeted-review queue is empty",
    )
    return 0


def run_targeted_run(ctx) -> int:
    from qa_studio.storage.repository.targeted import run_targeted_rules

    result = run_targeted_rules(ctx.workspace(), new_since_last=True)
    ctx.emit(
        {"checked": result.checked, "queued": [asdict(h) for h in result.queued]},
        result.note() or f"{result.checked} contact(s) checked, none queued",
    )
    return 0


def run_targeted_dismiss(ctx) -> int:
    from qa_studio.storage.repository.targeted import dismiss_targeted

    n = dismiss_targeted(ctx.workspace(), _ids(ctx.args.ids), ctx.args.note)
    ctx.emit({"dismissed": n}, f"{n} entr{'y' if n == 1 else 'ies'} dismissed")
    return 0


def plan_details(ctx, doc: dict, margin: float, confidence: float, proportion: float) -> list:
    """``plan --period`` (n per agent) and ``--evidence`` (agent intervals); fills ``doc``."""
    from qa_studio.domain import planner
    from qa_studio.domain.periods import parse_period
    from qa_studio.storage.repository.samples import agent_evidence, agent_volumes

    ws, args, lines = ctx.workspace(), ctx.args, []
    period = parse_period(args.period) if args.period else None
    if period is not None:
        volumes = agent_volumes(ws, period)
        sizes = planner.per_agent_sizes(volumes, margin, confidence, proportion)
        doc["agents"] = [{"agent": a, "volume": volumes[a], "n": s.n} for a, s in sizes.items()]
        lines += [f"  {r['agent']}: {r['n']} of {r['volume']}" for r in doc["agents"]]
    if args.evidence:
        rows = agent_evidence(
            ws,
            period,
            max_half_width=args.max_half_width,
            confidence=confidence,
            include_targeted=args.include_targeted,
        )
        doc["evidence"] = [r.as_dict() for r in rows]
        for r in rows:
            hw = "—" if r.mean.low is None else f"±{r.mean.half_width:.1f}"
            flag = "  NOT ENOUGH EVIDENCE" if r.not_enough_evidence else ""
            mean = "—" if r.mean.estimate is None else f"{r.mean.estimate:.1f}"
            lines.append(
                f"  {r.agent} {r.agent_name}: n={r.mean.n} mean {mean} {hw}, "
                f"pass {r.passes}/{r.pass_rate.n}{flag}"
            )
    return lines
