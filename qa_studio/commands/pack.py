"""``qa-studio --db FILE pack (--agent ID | --team NAME | --all) (--period P | --from D --to D)
--out DIR [--json]``: write coaching packs, one workbook per agent, and an index workbook.

Prints the files written (``{"files": [...], "index": "…"}`` with ``--json``); progress goes to
stderr. An unknown agent or team, or a period without counted evaluations, exits 1 with a message
saying so; a malformed period exits 2.
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.domain.periods import parse_period, period_between
from qa_studio.errors import UsageError
from qa_studio.export.coaching_pack import INDEX_NAME, PackScope, write_packs


def register(sub, common) -> None:
    p = sub.add_parser(
        "pack",
        parents=[common],
        help="write coaching packs (Excel) for an agent, a team or everyone",
        description="Write one coaching pack (.xlsx) per agent with counted evaluations in the "
        "period, and index.xlsx linking them. Periods are London calendar days: a month "
        "(2026-10), a quarter (2026-Q3), a year (2026), or --from/--to dates.",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--agent", metavar="ID", help="one agent, by external id")
    who.add_argument("--team", metavar="NAME", help="every agent of a team")
    who.add_argument("--all", action="store_true", help="every agent of the workspace")
    p.add_argument("--period", metavar="PERIOD", help="YYYY-MM, YYYY-Qn or YYYY")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the workbooks")
    p.set_defaults(func=run)


def _period(args):
    ranged = args.date_from is not None or args.date_to is not None
    if args.period is not None and ranged:
        raise UsageError("give either --period or --from/--to, not both.")
    if args.period is not None:
        return parse_period(args.period)
    if args.date_from is None or args.date_to is None:
        raise UsageError("give --period YYYY-MM|YYYY-Qn|YYYY, or both --from DATE and --to DATE.")
    return period_between(args.date_from, args.date_to)


def run(ctx) -> int:
    args = ctx.args
    period = _period(args)
    if args.agent is not None:
        scope = PackScope.for_agents(args.agent)
    elif args.team is not None:
        scope = PackScope.for_team(args.team)
    else:
        scope = PackScope.for_all()
    ws = ctx.workspace(create=False)

    def progress(done: int, total: int) -> None:
        if done:
            ctx.progress(f"pack {done}/{total}")

    files = write_packs(ws, scope, period, args.out, progress=progress)
    doc = {"files": [str(f) for f in files], "index": str(Path(args.out) / INDEX_NAME)}
    text = "\n".join([*doc["files"], f"index: {doc['index']}"])
    ctx.emit(doc, text)
    return 0
