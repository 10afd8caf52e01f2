"""The ``scorecard`` subcommands that work on a workspace (``--db FILE``).

* ``scorecard publish FILE.yaml --note TEXT`` — store FILE as the next immutable version of its
  scorecard (the note says what changed and why); ``scorecard publish --builtins`` publishes
  version 1 of every shipped scorecard the workspace lacks.
* ``scorecard rescore --to KEY@VERSION [--agent ID] [--team NAME] [--period YYYY-MM] [--apply]``
  — what-if: re-score submitted and signed-off evaluations against another version and show old
  vs new per evaluation and in aggregate. Nothing changes unless ``--apply`` confirms the
  migration (refused, with the reasons, if any evaluation would be left incomplete).

Registered from ``qa_studio.commands.scorecard`` (its ``SUBCOMMANDS``); kept in their own module
so the file-only subcommands there stay free of workspace code.
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.errors import DataRefused, UsageError
from qa_studio.scorecards.schema import Issue, ScorecardInvalid
from qa_studio.storage.repository import evaluations, scorecards


def register_publish(actions, common) -> None:
    p = actions.add_parser(
        "publish",
        parents=[common],
        help="publish a scorecard file as its next version",
        description="Store FILE.yaml as the next immutable version of its scorecard, with a "
        "change note. Published versions never change; evaluations keep the version they were "
        "scored on.",
    )
    p.add_argument("file", nargs="?", metavar="FILE.yaml", help="scorecard YAML file")
    p.add_argument("--note", metavar="TEXT", help="what changed and why (required with FILE)")
    p.add_argument(
        "--builtins",
        action="store_true",
        help="publish version 1 of every built-in scorecard not yet published",
    )
    p.set_defaults(func=run_publish)


def _version_doc(v: scorecards.ScorecardVersion) -> dict:
    return {
        "id": v.id,
        "uuid": v.uuid,
        "key": v.key,
        "version": v.version,
        "ref": v.ref,
        "name": v.name,
        "sha256": v.sha256,
        "change_note": v.change_note,
        "published_at": v.published_at,
        "published_by": v.published_by,
    }


def run_publish(ctx) -> int:
    args = ctx.args
    if args.builtins == bool(args.file):
        raise UsageError("give either FILE.yaml (with --note) or --builtins")
    if args.builtins:
        ws = ctx.workspace()
        published = scorecards.publish_builtins(ws)
        doc = {"published": [_version_doc(v) for v in published]}
        text = "\n".join(f"published {v.ref} ({v.name})" for v in published)
        ctx.emit(doc, text or "every built-in scorecard is already published")
        return 0
    path = Path(args.file)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ScorecardInvalid(
            [Issue(args.file, None, "", f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    except UnicodeDecodeError:
        raise ScorecardInvalid(
            [Issue(args.file, None, "", "not UTF-8 text; save the file as UTF-8")]
        ) from None
    if not (args.note or "").strip():
        raise DataRefused(f'{args.file}: a change note is required: --note "what changed and why"')
    ws = ctx.workspace()
    v = scorecards.publish(ws, text, args.note, filename=args.file)
    ctx.emit(_version_doc(v), f"published {v.ref} ({v.name}): {v.change_note}")
    return 0


def register_rescore(actions, common) -> None:
    p = actions.add_parser(
        "rescore",
        parents=[common],
        help="what-if: re-score evaluations against a version",
        description="Re-score submitted and signed-off evaluations against another version of "
        "their scorecard (questions matched by key; new questions and questions whose type "
        "changed are left out of both scores and listed as not assessed; removed questions "
        "drop out). Nothing is stored unless --apply confirms the migration.",
    )
    p.add_argument("--to", required=True, metavar="KEY@VERSION", help="the version to compare with")
    p.add_argument("--agent", metavar="ID", help="only this agent's evaluations (external id)")
    p.add_argument("--team", metavar="NAME", help="only this team's evaluations")
    p.add_argument(
        "--period",
        metavar="YYYY-MM",
        help="only evaluations submitted in this month (Europe/London)",
    )
    p.add_argument(
        "--scorecard",
        metavar="KEY",
        help="evaluations on this scorecard (default: the target's own)",
    )
    p.add_argument(
        "--apply",
        action="store_true",
        help="migrate the evaluations to the version (audited; answers kept)",
    )
    p.set_defaults(func=run_rescore)


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.2f}"


def run_rescore(ctx) -> int:
    args = ctx.args
    if "@" not in args.to:
        raise UsageError(f"--to needs a version: KEY@VERSION (e.g. {args.to}@2)")
    ws = ctx.workspace()
    report = evaluations.rescore(
        ws,
        args.to,
        agent=args.agent,
        team=args.team,
        period=args.period,
        scorecard=args.scorecard,
        apply=args.apply,
    )
    doc = report.as_dict()
    lines = [
        f"what-if against {doc['to']}: {len(report.items)} evaluation(s)"
        + (f", {report.already_on_target} already on it" if report.already_on_target else "")
    ]
    lines.append(
        f"{'id':>6} {'interaction':<14} {'from':<20} {'stored':>6} {'old':>6} "
        f"{'new':>6} {'delta':>6}  not assessed / removed"
    )
    for item in doc["evaluations"]:
        extra = ", ".join(item["not_assessed"])
        if item["removed"]:
            extra += (" / " if extra else "/ ") + ", ".join(item["removed"])
        lines.append(
            f"{item['id']:>6} {item['interaction']:<14} {item['from']:<20} "
            f"{_pct(item['old_percent_stored'])} {_pct(item['old_percent'])} "
            f"{_pct(item['new_percent'])} {_pct(item['delta'])}  {extra}".rstrip()
        )
    agg = doc["aggregate"]
    lines.append(
        f"mean: old {_pct(agg['mean_old']).strip()} → new {_pct(agg['mean_new']).strip()}"
        f" (delta {_pct(agg['mean_delta']).strip()}) over {agg['n_compared']}"
    )
    lines.append(
        f"migrated {len(report.items)} evaluation(s) to {doc['to']}"
        if report.applied
        else "nothing was changed (give --apply to migrate)"
    )
    ctx.emit(doc, "\n".join(lines))
    return 0
