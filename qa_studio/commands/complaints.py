"""``complaints``, ``rca``, ``breaches`` and ``import-feedback`` commands (issue 9).

* ``complaints list [--status S] [--due overdue|due_soon|on_track|done] [--vulnerable]
  [--category C]`` — the log, most urgent first
* ``complaints overdue [--today YYYY-MM-DD]`` — open complaints past their final-response date
* ``complaints add --category C --classification formal|informal --reason TEXT [...]``
* ``complaints show ID`` — one complaint with its audited timeline
* ``rca list`` / ``rca show ID [--png FILE]`` — root-cause analyses, the fishbone as PNG
* ``breaches list [--status open|reported|not_reportable] [--sync]`` — the 72-hour ICO clock
* ``import-feedback FILE --kind survey|mystery_shop`` (``commands.feedback_cmd``)
"""

from __future__ import annotations

from datetime import date

from qa_studio.commands import feedback_cmd
from qa_studio.domain import complaint_rules
from qa_studio.errors import DataRefused, UsageError
from qa_studio.storage.repository import breaches, rca
from qa_studio.storage.repository import complaints as repo
from qa_studio.storage.repository.complaints_query import (
    Complaint,
    get_complaint,
    list_complaints,
    overdue,
)
from qa_studio.storage.repository.interactions import interaction_id
from qa_studio.storage.repository.rca_effect import effect_check

DUE_STATES = (complaint_rules.OVERDUE, complaint_rules.DUE_SOON, complaint_rules.ON_TRACK,
              complaint_rules.DONE)  # fmt: skip


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--today: a date like 2026-11-23, not {text!r}") from exc


def register(sub, common) -> None:
    group = sub.add_parser(
        "complaints",
        help="the complaints and escalations log",
        description="Log, list and follow complaints with their due dates.",
    )
    actions = group.add_subparsers(dest="complaints_command", metavar="SUBCOMMAND", required=True)
    ls = actions.add_parser("list", parents=[common], help="the log, most urgent first")
    ls.add_argument("--status", choices=repo.STATUSES)
    ls.add_argument("--due", choices=DUE_STATES)
    ls.add_argument("--vulnerable", action="store_true", help="vulnerable customers only")
    ls.add_argument("--category", metavar="NAME")
    ls.add_argument("--today", metavar="YYYY-MM-DD", help="evaluate due states on this day")
    ls.set_defaults(func=run_list)
    od = actions.add_parser("overdue", parents=[common], help="open and past the due date")
    od.add_argument("--today", metavar="YYYY-MM-DD", help="evaluate on this day (default today)")
    od.set_defaults(func=run_overdue)
    add = actions.add_parser("add", parents=[common], help="log a complaint")
    add.add_argument("--category", required=True, metavar="NAME")
    add.add_argument("--classification", required=True, choices=repo.CLASSIFICATIONS)
    add.add_argument("--reason", required=True, metavar="TEXT", help="why formal or informal")
    add.add_argument("--received", metavar="ISO", help="when it was received (default now)")
    add.add_argument("--priority", choices=repo.PRIORITIES, default="medium")
    add.add_argument(
        "--regime",
        default=None,
        metavar="KEY",
        help="fca, payment_services, ofcom, internal (default: fca when formal)",
    )
    add.add_argument(
        "--exceptional",
        action="store_true",
        help="payment services: exceptional circumstances (35 business days)",
    )
    add.add_argument("--owner", metavar="NAME")
    add.add_argument("--vulnerable", metavar="NEED", help="vulnerable customer: the kind of need")
    add.add_argument("--interaction", metavar="EXTERNAL_ID", help="the contact it came from")
    add.add_argument("--summary", default="", metavar="TEXT")
    add.set_defaults(func=run_add)
    show = actions.add_parser("show", parents=[common], help="one complaint and its timeline")
    show.add_argument("complaint", type=int, metavar="ID")
    show.set_defaults(func=run_show)

    r = sub.add_parser("rca", help="root-cause analyses")
    r_actions = r.add_subparsers(dest="rca_command", metavar="SUBCOMMAND", required=True)
    rl = r_actions.add_parser("list", parents=[common], help="every RCA, newest first")
    rl.set_defaults(func=run_rca_list)
    rs = r_actions.add_parser("show", parents=[common], help="one RCA with its effect check")
    rs.add_argument("rca", type=int, metavar="ID")
    rs.add_argument("--png", metavar="FILE", help="also write the fishbone diagram as PNG")
    rs.set_defaults(func=run_rca_show)

    b = sub.add_parser("breaches", help="the data-protection and PCI breach log")
    b_actions = b.add_subparsers(dest="breaches_command", metavar="SUBCOMMAND", required=True)
    bl = b_actions.add_parser("list", parents=[common], help="breaches, soonest ICO due first")
    bl.add_argument("--status", choices=("open", "reported", "not_reportable"))
    bl.add_argument(
        "--sync",
        action="store_true",
        help="first open breaches for fatal evaluations that have none",
    )
    bl.set_defaults(func=run_breaches)
    bd = b_actions.add_parser(
        "decide", parents=[common], help="record that a breach was reported, or why it is not"
    )
    bd.add_argument("breach", type=int, metavar="ID")
    how = bd.add_mutually_exclusive_group(required=True)
    how.add_argument("--reported", action="store_true", help="reported to the ICO")
    how.add_argument(
        "--not-reportable",
        dest="not_reportable",
        action="store_true",
        help="assessed as unlikely to result in a risk",
    )
    bd.add_argument("--notes", required=True, metavar="TEXT")
    bd.set_defaults(func=run_breach_decide)

    feedback_cmd.register(sub, common)


def _line(c: Complaint) -> str:
    flag = " VULNERABLE" if c.vulnerable else ""
    left = "" if c.days_left is None else f", {c.days_left} business days left"
    return (
        f"complaint {c.id} [{c.status}] {c.classification} {c.category} ({c.priority}){flag}: "
        f"final due {c.final_due} — {c.due_state}{left}; owner {c.owner or '-'}"
    )


def _emit_list(ctx, found: list[Complaint], empty: str) -> int:
    ctx.emit({"complaints": [c.as_dict() for c in found], "count": len(found)},
             "\n".join(_line(c) for c in found) or empty)  # fmt: skip
    return 0


def run_list(ctx) -> int:
    a = ctx.args
    found = list_complaints(
        ctx.workspace(create=False), status=a.status, due=a.due,
        vulnerable=True if a.vulnerable else None, category=a.category, today=_day(a.today),
    )  # fmt: skip
    return _emit_list(ctx, found, "no complaints")


def run_overdue(ctx) -> int:
    found = overdue(ctx.workspace(create=False), today=_day(ctx.args.today))
    return _emit_list(ctx, found, "no overdue complaints")


def run_add(ctx) -> int:
    a = ctx.args
    ws = ctx.workspace(create=False)
    linked = None
    if a.interaction:
        linked = interaction_id(ws, a.interaction)
        if linked is None:
            raise DataRefused(f"--interaction: there is no interaction {a.interaction!r}")
    regime = a.regime or ("fca" if a.classification == "formal" else "internal")
    new = repo.NewComplaint(
        category=a.category, classification=a.classification, classification_reason=a.reason,
        opened_at=a.received, priority=a.priority, vulnerable=a.vulnerable is not None,
        vulnerability_need=a.vulnerable, owner=a.owner, regime=regime,
        exceptional=a.exceptional, summary=a.summary, interaction_id=linked,
    )  # fmt: skip
    cid = repo.create_complaint(ws, new)
    c = get_complaint(ws, cid)
    assert c is not None
    ctx.emit(c.as_dict(), _line(c))
    return 0


def run_show(ctx) -> int:
    c = get_complaint(ctx.workspace(create=False), ctx.args.complaint)
    if c is None:
        raise DataRefused(f"complaint {ctx.args.complaint} does not exist")
    lines = [_line(c)] + [f"  {e.at} {e.actor} {e.kind}: {e.text}" for e in c.events]
    ctx.emit(c.as_dict(), "\n".join(lines))
    return 0


def run_rca_list(ctx) -> int:
    found = rca.list_rcas(ctx.workspace(create=False))
    ctx.emit(
        {"rcas": [r.__dict__ for r in found]},
        "\n".join(f"rca {r.id} [{r.status}] {r.source_kind}:{r.source_ref} — {r.problem} "
                  f"({r.causes} causes, {r.actions_open} open actions)" for r in found)
        or "no RCAs",
    )  # fmt: skip
    return 0


def run_rca_show(ctx) -> int:
    from qa_studio.domain.rca import pareto

    ws = ctx.workspace(create=False)
    record = rca.get_rca(ws, ctx.args.rca)
    draft = record.draft()
    check = effect_check(ws, record.id)
    doc = {
        "id": record.id, "source_kind": record.source_kind, "source_ref": record.source_ref,
        "problem": record.problem, "owner": record.owner, "status": record.status,
        "whys": list(record.whys),
        "causes": [c.__dict__ for c in record.causes],
        "pareto": [p.__dict__ for p in pareto(draft.causes)],
        "actions": [a.__dict__ for a in record.actions],
        "complaint_ids": list(record.complaint_ids),
        "effect_check": check.as_dict() if check else None,
    }  # fmt: skip
    if ctx.args.png:
        from qa_studio.export.fishbone import save_fishbone_png

        doc["png"] = str(save_fishbone_png(ctx.args.png, record.problem, draft.causes))
    lines = [f"rca {record.id} [{record.status}]: {record.problem}"]
    lines += [f"  why {i}: {w}" for i, w in enumerate(record.whys, 1)]
    lines += [f"  {c.category}: {c.text} (×{c.weight:g})" for c in record.causes]
    lines += [f"  action: {a.text} — {a.owner or '-'} by {a.due_on or '-'} [{a.status}]"
              for a in record.actions]  # fmt: skip
    if check:
        lines.append(f"  effect on {check.metric}: {check.effect.as_dict()['verdict_text']}")
    ctx.emit(doc, "\n".join(lines))
    return 0


def run_breaches(ctx) -> int:
    ws = ctx.workspace(create=False)
    opened = breaches.sync_from_evaluations(ws) if ctx.args.sync else []
    found = breaches.list_breaches(ws, status=ctx.args.status)
    ctx.emit(
        {"breaches": [b.__dict__ for b in found], "opened": opened},
        "\n".join(f"breach {b.id} [{b.status}] {b.kind} {b.regulation or ''} evaluation "
                  f"{b.evaluation_id} ({b.interaction}): ICO due {b.ico_due}"
                  + (f", {b.hours_left} h left" if b.hours_left is not None else "")
                  for b in found) or "no breaches",
    )  # fmt: skip
    return 0


def run_breach_decide(ctx) -> int:
    a = ctx.args
    ws = ctx.workspace(create=False)
    breaches.decide(ws, a.breach, "reported" if a.reported else "not_reportable", a.notes)
    [b] = [b for b in breaches.list_breaches(ws) if b.id == a.breach]
    ctx.emit(b.__dict__, f"breach {b.id}: {b.status}")
    return 0
