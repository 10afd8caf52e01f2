"""``qa-studio --db FILE demo [--agents N] [--interactions M] [--seed S] [--end DATE] [--json]``.

Builds a realistic, deterministic demo workspace into a new (or empty) file: the same seed and
``--end`` give the same content in every table.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from qa_studio.demo.builder import (
    DEFAULT_AGENTS,
    DEFAULT_INTERACTIONS,
    DEFAULT_SEED,
    DemoSpec,
    build_demo,
    default_end,
)
from qa_studio.errors import UsageError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: use YYYY-MM-DD, e.g. 2026-10-31"
        ) from None


def register(sub, common) -> None:
    p = sub.add_parser(
        "demo",
        parents=[common],
        help="build a realistic demo workspace",
        description="Build six months of realistic, deterministic contact-centre data "
        "(teams, agents, evaluators, calls with recordings, chats, emails) into "
        "the workspace named by --db, which must have no interactions yet.",
    )
    p.add_argument(
        "--agents",
        type=int,
        default=DEFAULT_AGENTS,
        help=f"number of agents (default {DEFAULT_AGENTS})",
    )
    p.add_argument(
        "--interactions",
        type=int,
        default=DEFAULT_INTERACTIONS,
        help=f"number of contacts (default {DEFAULT_INTERACTIONS})",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"random seed; the same seed and --end build the same data (default {DEFAULT_SEED})",
    )
    p.add_argument(
        "--end",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="last day of the six months of contacts (default: the last day of the previous month)",
    )
    p.set_defaults(func=run)


def run(ctx) -> int:
    args = ctx.args
    if not getattr(args, "db", None):
        raise UsageError(
            "demo needs a workspace file: qa-studio --db FILE demo …",
            ["The file is created; it must not already hold interactions."],
        )
    spec = DemoSpec(
        agents=args.agents,
        interactions=args.interactions,
        seed=args.seed,
        end=args.end or default_end(),
    )
    spec.validate()
    ws = ctx.workspace()
    started = time.perf_counter()
    result = build_demo(ws, spec, progress=ctx.progress)
    result["seconds"] = round(time.perf_counter() - started, 2)
    built = result["built"]
    text = (
        f"Built the demo in {ws.path}: {built['agents']} agents in {built['teams']} teams, "
        f"{built['interactions']:,} interactions from {result['first_day']} to "
        f"{result['end']} ({built['transcripts']:,} transcripts, {built['recordings']} "
        f"recordings in {ws.media_dir.name}/), seed {spec.seed}, "
        f"in {result['seconds']} s."
    )
    ctx.emit(result, text)
    return 0
