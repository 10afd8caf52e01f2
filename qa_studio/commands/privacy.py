"""Data-protection commands (issue 10 §3).

* ``retention preview [--months N]`` — what a purge would remove now, and what legal holds keep.
* ``retention purge [--months N]`` — remove transcripts, recordings and customer references of
  interactions older than N months (the workspace's policy when omitted); audited.
* ``retention floor [--set MONTHS]`` — show or change the retention floor for voice calls.
* ``sar --customer REF | --agent ID --out FILE.zip`` — subject-access export; audited.
* ``regulations list`` — the regulation references cited by scorecards, flagging overdue reviews.
* ``regulations reviewed REF [--by NAME] [--note TEXT]`` — record a review; audited.
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.errors import UsageError
from qa_studio.export import subject_access as sar_export
from qa_studio.storage.repository import regulations, retention


def register(sub, common) -> None:
    group = sub.add_parser(
        "retention",
        help="preview or run the retention purge",
        description="Remove recordings, transcripts and customer references after N months; "
        "scores stay. Interactions under a legal hold (open complaint, ombudsman case, open "
        "dispute) and voice calls inside the retention floor are kept.",
    )
    actions = group.add_subparsers(dest="retention_command", metavar="SUBCOMMAND", required=True)
    for name, func, text in (
        ("preview", run_preview, "show what a purge would remove, changing nothing"),
        ("purge", run_purge, "remove it (one audited transaction; files deleted after)"),
    ):
        p = actions.add_parser(name, parents=[common], help=text, description=text)
        p.add_argument("--months", type=int, metavar="N",
                       help="keep N months (default: the workspace's retention setting)")  # fmt: skip
        p.set_defaults(func=func)
    f = actions.add_parser("floor", parents=[common], help="show or set the voice retention floor")
    f.add_argument("--set", type=int, metavar="MONTHS", dest="floor",
                   help="months voice calls are kept whatever the policy (0: none)")  # fmt: skip
    f.set_defaults(func=run_floor)

    s = sub.add_parser(
        "sar",
        parents=[common],
        help="subject-access export for a customer or an agent",
        description="Export everything stored about one customer reference or one agent as a "
        "ZIP (JSON + XLSX summary). Free text is redacted; the export is audited.",
    )
    who = s.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer", metavar="REF", help="the customer reference")
    who.add_argument("--agent", metavar="ID", help="the agent's external id")
    s.add_argument("--out", metavar="FILE.zip", required=True, help="where to write the ZIP")
    s.set_defaults(func=run_sar)

    r = sub.add_parser("regulations", help="the register of regulation references")
    ractions = r.add_subparsers(dest="regulations_command", metavar="SUBCOMMAND", required=True)
    lp = ractions.add_parser("list", parents=[common], help="references, last review, overdue")
    lp.set_defaults(func=run_regulations_list)
    rp = ractions.add_parser("reviewed", parents=[common], help="record that REF was reviewed")
    rp.add_argument("reference", metavar="REF", help="as written in the scorecard")
    rp.add_argument("--by", metavar="NAME", help="who reviewed it (default: you)")
    rp.add_argument("--note", metavar="TEXT", help="what was checked")
    rp.set_defaults(func=run_regulations_reviewed)


def _plan_text(doc: dict, verb: str) -> str:
    held = doc["held"]
    lines = [
        f"{verb} data older than {doc['months']} months (before {doc['cutoff'][:10]}; voice "
        f"calls before {doc['voice_cutoff'][:10]}, floor {doc['floor_months']} months):",
        f"  interactions {doc['interactions']}, transcripts {doc['transcripts']}, recordings "
        f"{doc['recordings']}, customer references {doc['customer_refs']}, survey comments "
        f"{doc['survey_comments']}, audit payloads {doc['audit_payloads']}",
        f"  kept under legal hold: complaint {held['complaint']}, dispute {held['dispute']}, "
        f"retention floor {held['floor']}",
    ]
    lines += [
        f"  e.g. {e['external_id']} {e['channel']} {e['started_at'][:10]}"
        for e in doc.get("examples", [])
    ]
    return "\n".join(lines)


def run_preview(ctx) -> int:
    ws = ctx.workspace(create=False)
    doc = retention.preview(ws, ctx.args.months).as_dict()
    ctx.emit(doc, _plan_text(doc, "Would remove"))
    return 0


def run_purge(ctx) -> int:
    ws = ctx.workspace(create=False)
    result = retention.purge(ws, ctx.args.months)
    doc = result.as_dict()
    text = _plan_text(doc, "Removed")
    text += f"\n  files deleted {len(result.files_deleted)}"
    if result.files_kept_external:
        text += f", outside the workspace (unlinked, not deleted) {len(result.files_kept_external)}"
    if result.files_missing:
        text += f", already missing {len(result.files_missing)}"
    for problem in result.file_errors:
        text += f"\n  could not delete {problem}"
    ctx.emit(doc, text)
    return 1 if result.file_errors else 0


def run_floor(ctx) -> int:
    ws = ctx.workspace(create=False)
    if ctx.args.floor is not None:
        retention.set_floor_months(ws, ctx.args.floor)
    months = retention.floor_months(ws)
    ctx.emit({"floor_months": months}, f"Voice calls are kept at least {months} months.")
    return 0


def run_sar(ctx) -> int:
    out = Path(ctx.args.out)
    if out.suffix.lower() != ".zip":
        raise UsageError(f"--out {out}: the export is a ZIP file; name it ….zip")
    ws = ctx.workspace(create=False)
    if ctx.args.customer is not None:
        counts = sar_export.export_customer(ws, ctx.args.customer, out)
        subject = {"kind": "customer", "customer_ref": ctx.args.customer}
    else:
        counts = sar_export.export_agent(ws, ctx.args.agent, out)
        subject = {"kind": "agent", "external_id": ctx.args.agent}
    summary = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in counts.items())
    ctx.emit({"subject": subject, "out": str(out), "counts": counts},
             f"Wrote {out}: {summary}")  # fmt: skip
    return 0


def run_regulations_list(ctx) -> int:
    ws = ctx.workspace(create=False)
    entries = regulations.register(ws)
    overdue = sum(1 for e in entries if e.overdue)
    lines = [
        f"{'OVERDUE' if e.overdue else 'ok':8} {e.reference} — {e.reason}; cited by "
        + ", ".join(sorted({c.scorecard for c in e.citations}))
        for e in entries
    ] or ["No published scorecard cites a regulation."]
    lines.append(f"{len(entries)} reference(s), {overdue} overdue for review")
    ctx.emit({"regulations": [e.as_dict() for e in entries], "overdue": overdue}, "\n".join(lines))
    return 0


def run_regulations_reviewed(ctx) -> int:
    ws = ctx.workspace(create=False)
    entry = regulations.mark_reviewed(
        ws, ctx.args.reference, ctx.args.by or ws.actor, note=ctx.args.note
    )
    ctx.emit(entry.as_dict(), f"{entry.reference}: reviewed by {entry.last_reviewed_by}")
    return 0
