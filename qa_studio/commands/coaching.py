"""``qa-studio --db FILE coaching …``: one-to-ones, team briefings, follow-ups and recognition.

* ``coaching record (--agent ID | --team NAME) --leader NAME --date DATE [--notes TEXT]
  [--evaluations 1,2] [--topic TEXT --questions k1,k2 [--attendees A1,A2]]
  [--goal "KEYS|KPI;TARGET;DUE;TEXT"]… [--goals FILE.json] [--follow-up DATE]``
* ``coaching list [--agent ID | --team NAME]``
* ``coaching followup [--session ID | --agent ID | --team NAME] [--days 30] [--min-n 5]
  [--as-of DATE] [--open]`` — each goal's before/after effect, and the overdue follow-ups
* ``coaching review SESSION --by NAME [--met IDS] [--not-met IDS] [--dropped IDS] [--note]``
* ``coaching recognition (--period P | --from D --to D) [--team NAME] [--min-n 5]``

``dispute …`` and ``evaluation print|acknowledge`` are registered from ``coaching_disputes``.
A goal is ``KEYS|KPI;TARGET;DUE;TEXT``: question keys joined by commas (their pass rate, %), or
one KPI (aht seconds, fcr %, csat 1–5, qa_score %); e.g. ``empathy,ownership;80;2026-12-01;Show
empathy``. ``--goals FILE.json`` holds ``[{"text", "question_keys" | "metric", "target",
"due_on"}]``.
"""

from __future__ import annotations

import json
from pathlib import Path

from qa_studio.commands import coaching_disputes
from qa_studio.domain import followup as fu
from qa_studio.domain.periods import parse_period, period_between
from qa_studio.errors import DataRefused, UsageError
from qa_studio.storage.repository import coaching
from qa_studio.storage.repository.coaching import GoalSpec


def register(sub, common) -> None:
    group = sub.add_parser(
        "coaching",
        help="coaching sessions, goals, follow-ups, recognition",
        description="Record one-to-ones and team briefings with SMART goals, "
        "see whether the goals moved, and who to recognise.",
    )
    actions = group.add_subparsers(dest="coaching_command", metavar="SUBCOMMAND", required=True)
    r = actions.add_parser("record", parents=[common], help="record a one-to-one or briefing")
    who = r.add_mutually_exclusive_group(required=True)
    who.add_argument("--agent", metavar="ID", help="a one-to-one with this agent (external id)")
    who.add_argument("--team", metavar="NAME", help="a team briefing for this team")
    r.add_argument("--leader", required=True, metavar="NAME", help="team leader or QA lead")
    r.add_argument("--date", required=True, metavar="DATE", help="YYYY-MM-DD (noon) or instant")
    r.add_argument("--notes", metavar="TEXT")
    r.add_argument("--evaluations", metavar="IDS", help="evaluations discussed: 12,15")
    r.add_argument("--topic", metavar="TEXT", help="briefing: the team-wide gap")
    r.add_argument("--questions", metavar="KEYS", help="briefing: question keys behind the gap")
    r.add_argument("--attendees", metavar="IDS", help="briefing: agents (default: the team)")
    r.add_argument(
        "--goal",
        action="append",
        default=[],
        metavar="SPEC",
        help="KEYS|KPI;TARGET;DUE;TEXT (repeatable)",
    )
    r.add_argument("--goals", metavar="FILE.json", help="goals as a JSON list")
    r.add_argument("--follow-up", dest="follow_up", metavar="DATE", help="default: +30 days")
    r.set_defaults(func=run_record)

    ls = actions.add_parser("list", parents=[common], help="sessions, newest first")
    scope = ls.add_mutually_exclusive_group()
    scope.add_argument("--agent", metavar="ID")
    scope.add_argument("--team", metavar="NAME")
    ls.set_defaults(func=run_list)

    f = actions.add_parser("followup", parents=[common], help="goals' before/after effect")
    scope = f.add_mutually_exclusive_group()
    scope.add_argument("--session", type=int, metavar="ID")
    scope.add_argument("--agent", metavar="ID")
    scope.add_argument("--team", metavar="NAME")
    f.add_argument(
        "--days",
        type=int,
        default=fu.DEFAULT_WINDOW_DAYS,
        metavar="N",
        help="days before and after the session (default 30)",
    )
    f.add_argument(
        "--min-n",
        dest="min_n",
        type=int,
        default=fu.DEFAULT_MIN_N,
        metavar="N",
        help="fewer results than this on either side: too few to tell (default 5)",
    )
    f.add_argument("--as-of", dest="as_of", metavar="DATE", help="default: today")
    f.add_argument("--open", dest="open_only", action="store_true", help="open goals only")
    f.set_defaults(func=run_followup)

    v = actions.add_parser("review", parents=[common], help="record a session's follow-up")
    v.add_argument("session", type=int, metavar="SESSION")
    v.add_argument("--by", required=True, metavar="NAME")
    for flag in ("met", "not-met", "dropped"):
        v.add_argument(
            f"--{flag}",
            dest=flag.replace("-", "_"),
            metavar="GOAL_IDS",
            help=f"goals {flag.replace('-', ' ')}: 3,4",
        )
    v.add_argument("--note", metavar="TEXT")
    v.add_argument("--at", metavar="DATE", help="when it was held (default: now)")
    v.set_defaults(func=run_review)

    g = actions.add_parser("recognition", parents=[common], help="agents to recognise")
    g.add_argument("--period", metavar="PERIOD", help="YYYY-MM, YYYY-Qn or YYYY")
    g.add_argument("--from", dest="date_from", metavar="DATE")
    g.add_argument("--to", dest="date_to", metavar="DATE")
    g.add_argument("--team", metavar="NAME")
    g.add_argument("--min-n", dest="min_n", type=int, default=fu.DEFAULT_MIN_N, metavar="N")
    g.set_defaults(func=run_recognition)

    coaching_disputes.register(sub, common)


def ids(text: str | None, what: str) -> list[int]:
    """``"3, 4"`` → ``[3, 4]``; a usage error naming ``what`` otherwise."""
    if not text:
        return []
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(
            f"{what} must be ids separated by commas, e.g. 3,4 (got {text!r})."
        ) from None


def names(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def parse_goal(spec: str, n: int) -> GoalSpec:
    """``KEYS|KPI;TARGET;DUE;TEXT`` → a goal; ``UsageError`` naming the goal and the field."""
    parts = spec.split(";", 3)
    if len(parts) != 4 or not all(p.strip() for p in parts):
        raise UsageError(
            f"--goal {n} ({spec!r}): write KEYS|KPI;TARGET;DUE;TEXT, e.g. "
            "empathy,ownership;80;2026-12-01;Show empathy on every call."
        )
    measure, target, due, text = (p.strip() for p in parts)
    try:
        value = float(target)
    except ValueError:
        raise UsageError(f"--goal {n}: target {target!r} is not a number.") from None
    if measure in fu.KPI_METRICS:
        return GoalSpec(text, value, due, metric=measure)
    return GoalSpec(text, value, due, question_keys=tuple(names(measure)))


def read_goals(source: str) -> list[GoalSpec]:
    """Goals from a JSON file; ``DataRefused`` naming the file and the field path."""
    try:
        doc = json.loads(Path(source).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataRefused(f"{source}: cannot read the goals file ({exc.strerror}).") from None
    except json.JSONDecodeError as exc:
        raise DataRefused(f"{source}: line {exc.lineno}: not valid JSON ({exc.msg}).") from None
    if not isinstance(doc, list):
        raise DataRefused(f"{source}: expected a list of goals, got {type(doc).__name__}.")
    out = []
    for n, item in enumerate(doc):
        where = f"{source}: goals[{n}]"
        if not isinstance(item, dict):
            raise DataRefused(f"{where}: expected an object with text, target and due_on.")
        unknown = sorted(set(item) - {"text", "question_keys", "metric", "target", "due_on"})
        if unknown:
            raise DataRefused(f"{where}: unknown field {', '.join(unknown)}.")
        for key in ("text", "target", "due_on"):
            if key not in item:
                raise DataRefused(f"{where}.{key}: missing.")
        keys = item.get("question_keys") or []
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise DataRefused(f"{where}.question_keys: expected a list of question keys.")
        target = item["target"]
        if isinstance(target, bool) or not isinstance(target, int | float):
            raise DataRefused(f"{where}.target: expected a number, got {target!r}.")
        out.append(
            GoalSpec(
                str(item["text"]),
                float(target),
                str(item["due_on"]),
                tuple(keys),
                item.get("metric"),
            )
        )
    return out


def run_record(ctx) -> int:
    a = ctx.args
    goals = [parse_goal(spec, n) for n, spec in enumerate(a.goal, start=1)]
    if a.goals:
        goals += read_goals(a.goals)
    ws = ctx.workspace(create=False)
    if a.agent is not None:
        for flag in ("topic", "questions", "attendees"):
            if getattr(a, flag):
                raise UsageError(f"--{flag} is for a team briefing (--team), not a one-to-one.")
        s = coaching.record_one_to_one(
            ws,
            agent=a.agent,
            leader=a.leader,
            held_at=a.date,
            notes=a.notes,
            evaluation_ids=ids(a.evaluations, "--evaluations"),
            goals=goals,
            follow_up_due=a.follow_up,
        )
    else:
        if a.evaluations:
            raise UsageError("--evaluations is for a one-to-one (--agent), not a briefing.")
        s = coaching.record_team_briefing(
            ws,
            team=a.team,
            leader=a.leader,
            held_at=a.date,
            topic=a.topic or "",
            question_keys=names(a.questions),
            attendees=names(a.attendees),
            notes=a.notes,
            goals=goals,
            follow_up_due=a.follow_up,
        )
    ctx.emit(
        s.as_dict(),
        f"recorded session {s.id}: {s.title}, {len(s.goals)} goal(s), "
        f"follow-up due {s.follow_up_due}",
    )
    return 0


def run_list(ctx) -> int:
    sessions = coaching.list_sessions(
        ctx.workspace(create=False), agent=ctx.args.agent, team=ctx.args.team
    )
    lines = [
        f"{s.id:>4}  {s.held_at[:10]}  {s.title} ({s.leader}); {len(s.goals)} goal(s)"
        for s in sessions
    ]
    ctx.emit({"sessions": [s.as_dict() for s in sessions]}, "\n".join(lines) or "no sessions")
    return 0


def _effect_line(r) -> str:
    e = r.effect
    before = "—" if e.before.mean is None else f"{e.before.mean:.1f}"
    after = "—" if e.after.mean is None else f"{e.after.mean:.1f}"
    diff = (
        ""
        if e.difference is None
        else (
            f", diff {e.difference.estimate:+.1f} [{e.difference.low:+.1f}, {e.difference.high:+.1f}]"
        )
    )
    met = {True: "target met", False: "target not met", None: "target: too few to tell"}
    return (
        f"session {r.session.id} goal {r.goal.id} ({r.goal.describe()}): before {before} "
        f"(n={e.before.n}), after {after} (n={e.after.n}){diff}; "
        f"{fu.VERDICT_TEXT[e.verdict]}; {met[e.target_met]}"
    )


def run_followup(ctx) -> int:
    a = ctx.args
    if a.days < 1 or a.min_n < 1:
        raise UsageError("--days and --min-n must be at least 1.")
    ws = ctx.workspace(create=False)
    results = coaching.follow_up(
        ws,
        session_id=a.session,
        agent=a.agent,
        team=a.team,
        window_days=a.days,
        min_n=a.min_n,
        as_of=a.as_of,
        open_only=a.open_only,
    )
    overdue = coaching.overdue_follow_ups(ws, as_of=a.as_of, agent=a.agent, team=a.team)
    if a.session is not None:
        overdue = [o for o in overdue if o.session.id == a.session]
    doc = {
        "window_days": a.days,
        "min_n": a.min_n,
        "as_of": a.as_of,
        "goals": [r.as_dict() for r in results],
        "overdue": [o.as_dict() for o in overdue],
    }
    lines = [_effect_line(r) for r in results]
    lines += [
        f"OVERDUE by {o.days_overdue} day(s): session {o.session.id}, {o.session.title}, "
        f"follow-up was due {o.session.follow_up_due}"
        for o in overdue
    ]
    ctx.emit(doc, "\n".join(lines) or "no goals")
    return 0


def run_review(ctx) -> int:
    a = ctx.args
    outcomes: dict[int, str] = {}
    for flag, outcome in (("met", "met"), ("not_met", "not_met"), ("dropped", "dropped")):
        for goal_id in ids(getattr(a, flag), f"--{flag.replace('_', '-')}"):
            if goal_id in outcomes:
                raise UsageError(f"goal {goal_id} is given two outcomes.")
            outcomes[goal_id] = outcome
    s = coaching.record_follow_up(
        ctx.workspace(create=False), a.session, by=a.by, outcomes=outcomes, note=a.note, at=a.at
    )
    ctx.emit(
        s.as_dict(),
        f"follow-up of session {s.id} recorded by {s.followed_up_by}: "
        + ", ".join(f"goal {g.id} {g.status}" for g in s.goals),
    )
    return 0


def run_recognition(ctx) -> int:
    a = ctx.args
    ranged = a.date_from is not None or a.date_to is not None
    if (a.period is None) == (not ranged) or (
        ranged and (a.date_from is None or a.date_to is None)
    ):
        raise UsageError("give --period YYYY-MM|YYYY-Qn|YYYY, or both --from DATE and --to DATE.")
    period = parse_period(a.period) if a.period else period_between(a.date_from, a.date_to)
    found = coaching.recognition(ctx.workspace(create=False), period, team=a.team, min_n=a.min_n)
    lines = [
        f"{r.agent.name} ({r.agent.external_id}, {r.agent.team}): mean {r.mean:.1f} "
        f"[{r.low:.1f}, {r.high:.1f}] over {r.n} > target {r.target:g}"
        for r in found.recognised
    ]
    ctx.emit(
        found.as_dict(),
        "\n".join(lines) or f"nobody above target with confidence in {period.label}",
    )
    return 0
