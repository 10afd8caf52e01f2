"""``qa-studio --db FILE calibration create|list|progress|close``: calibration sessions.

``calibration create --name N --scorecard KEY[@V] --interactions EXT,EXT --evaluators A,B,C
[--expert NAME] [--counts] [--not-blind]`` opens a session (blind unless ``--not-blind``; its
evaluations count toward agents' scores only with ``--counts``). ``list`` shows every session,
``progress ID`` who has started and submitted what (statuses only, safe while blind), ``close ID``
closes it and reveals the results (``stats calibration ID``).
"""

from __future__ import annotations

from qa_studio.errors import DataRefused, UsageError
from qa_studio.storage.repository import calibration, scorecards
from qa_studio.storage.repository.interactions import interaction_id


def register(sub, common) -> None:
    p = sub.add_parser(
        "calibration",
        help="calibration sessions: create, list, progress, close",
        description="Several evaluators score the same interactions, blind, so that a score "
        "means the same whoever gives it. Results: qa-studio stats calibration ID.",
    )
    actions = p.add_subparsers(
        dest="calibration_command", metavar="SUBCOMMAND", required=True, parser_class=type(p)
    )
    c = actions.add_parser(
        "create",
        parents=[common],
        help="open a calibration session",
        description="Open a calibration session on one or more interactions for two or more "
        "evaluators. Blind by default: nobody sees anyone else's answers until it is closed.",
    )
    c.add_argument("--name", required=True, metavar="NAME")
    c.add_argument("--scorecard", required=True, metavar="KEY[@V]", help="published scorecard")
    c.add_argument(
        "--interactions", required=True, metavar="EXT,EXT", help="external ids, comma-separated"
    )
    c.add_argument(
        "--evaluators", required=True, metavar="A,B,C", help="evaluator names, comma-separated"
    )
    c.add_argument("--expert", metavar="NAME", help="the benchmark evaluator (one of them)")
    c.add_argument(
        "--counts",
        action="store_true",
        help="the session's evaluations count toward agents' scores once it is closed",
    )
    c.add_argument(
        "--not-blind", action="store_true", help="let evaluators see each other's answers"
    )
    c.set_defaults(func=run_create)

    ls = actions.add_parser("list", parents=[common], help="list calibration sessions")
    ls.set_defaults(func=run_list)

    pr = actions.add_parser(
        "progress", parents=[common], help="who has scored what (statuses only)"
    )
    pr.add_argument("session", type=int, metavar="ID")
    pr.set_defaults(func=run_progress)

    cl = actions.add_parser("close", parents=[common], help="close a session; reveals results")
    cl.add_argument("session", type=int, metavar="ID")
    cl.set_defaults(func=run_close)


def split_list(text: str, what: str) -> list[str]:
    """Comma-separated values, stripped; a usage error when none are given."""
    values = [v.strip() for v in (text or "").split(",") if v.strip()]
    if not values:
        raise UsageError(f"--{what} needs at least one value (comma-separated)")
    return values


def _interaction_ids(ws, externals: list[str]) -> list[int]:
    ids, unknown = [], []
    for ext in externals:
        found = interaction_id(ws, ext)
        if found is None:
            unknown.append(ext)
        else:
            ids.append(found)
    if unknown:
        raise DataRefused(
            f"unknown interaction{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
            ["Give external ids of imported interactions (qa-studio import …)."],
        )
    return ids


def _line(s: calibration.CalibrationSession) -> str:
    flags = ", ".join(
        f
        for f in (
            "blind" if s.blind else "not blind",
            "counts toward scores" if s.counts_toward_scores else None,
            f"expert {s.expert}" if s.expert else None,
        )
        if f
    )
    return (
        f"{s.id:>4}  {s.status:<6}  {s.name}  [{s.scorecard_ref}; {len(s.interactions)} "
        f"interaction(s); {', '.join(s.evaluators)}; {flags}]"
    )


def run_create(ctx) -> int:
    ws = ctx.workspace()
    version = scorecards.find(ws, ctx.args.scorecard)
    externals = split_list(ctx.args.interactions, "interactions")
    evaluators = split_list(ctx.args.evaluators, "evaluators")
    session = calibration.create_session(
        ws,
        ctx.args.name,
        version.id,
        _interaction_ids(ws, externals),
        evaluators,
        expert=ctx.args.expert,
        blind=not ctx.args.not_blind,
        counts_toward_scores=ctx.args.counts,
    )
    ctx.emit(session.as_dict(), f"created calibration session {session.id}\n{_line(session)}")
    return 0


def run_list(ctx) -> int:
    sessions = calibration.list_sessions(ctx.workspace())
    ctx.emit(
        {"sessions": [s.as_dict() for s in sessions]},
        "\n".join(_line(s) for s in sessions) or "no calibration sessions yet",
    )
    return 0


def run_progress(ctx) -> int:
    ws = ctx.workspace()
    session = calibration.get_session(ws, ctx.args.session)
    done = calibration.progress(ws, session.id)
    lines = [_line(session)]
    for who, per in done.items():
        lines.append(f"  {who}: " + ", ".join(f"{ext} {status}" for ext, status in per.items()))
    ctx.emit({"session": session.as_dict(), "progress": done}, "\n".join(lines))
    return 0


def run_close(ctx) -> int:
    session = calibration.close_session(ctx.workspace(), ctx.args.session)
    ctx.emit(
        session.as_dict(),
        f"closed calibration session {session.id}; results: "
        f"qa-studio --db FILE stats calibration {session.id}",
    )
    return 0
