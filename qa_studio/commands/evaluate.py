"""``qa-studio --db FILE evaluate …`` and ``evaluators add|list``: score from the command line.

``evaluate --interaction ID --scorecard KEY[@V] --evaluator NAME ANSWERS.json [--submit]
[--sign-off] [--partial]`` creates the evaluator's draft (or continues their draft of that
interaction on that scorecard), saves every answer, the comment and the notes in ANSWERS.json::

    {"answers": {"greet": "yes", "empathy": 4}, "comment": "…",
     "notes": [{"text": "…", "question_key": "greet", "at_s": 12.5}]}

and optionally submits and signs it off — all as one transaction: on any error nothing is stored.
Without ``--partial`` every question must be answered (the draft plus the file); with it an
incomplete draft is kept. Notes are added each time the file is given.
"""

from __future__ import annotations

import json
from pathlib import Path

from qa_studio.domain.models import EVALUATOR_ROLES
from qa_studio.domain.scoring import normalise_answer
from qa_studio.errors import DataRefused, UsageError
from qa_studio.storage.repository import evaluations, scorecards
from qa_studio.storage.repository.evaluators import add_evaluator, list_evaluators
from qa_studio.storage.repository.interactions import interaction_id

_NOTE_FIELDS = ("text", "question_key", "at_s")


def register(sub, common) -> None:
    p = sub.add_parser(
        "evaluate",
        parents=[common],
        help="score an interaction from an answers file",
        description="Create or continue an evaluator's draft evaluation of an interaction, save "
        'the answers, comment and notes of ANSWERS.json ({"answers": {...}, "comment": "...", '
        '"notes": [{"text": ..., "question_key": ..., "at_s": ...}]}), and optionally submit '
        "and sign it off. One transaction: on any error nothing is stored.",
    )
    p.add_argument("answers", metavar="ANSWERS.json", help="answers, comment and notes")
    p.add_argument("--interaction", required=True, metavar="EXTERNAL_ID")
    p.add_argument(
        "--scorecard",
        required=True,
        metavar="KEY[@V]",
        help="published scorecard key (latest version) or KEY@VERSION",
    )
    p.add_argument("--evaluator", required=True, metavar="NAME")
    p.add_argument("--submit", action="store_true", help="submit once the answers are saved")
    p.add_argument(
        "--sign-off",
        action="store_true",
        help="submit and sign off as the evaluator (read-only afterwards)",
    )
    p.add_argument(
        "--partial",
        action="store_true",
        help="keep an incomplete draft instead of refusing unanswered questions",
    )
    p.set_defaults(func=run_evaluate)

    group = sub.add_parser(
        "evaluators",
        help="add or list evaluators",
        description="The people who score, sign off and reopen evaluations.",
    )
    actions = group.add_subparsers(dest="evaluators_command", metavar="SUBCOMMAND", required=True)
    a = actions.add_parser("add", parents=[common], help="add an evaluator")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", default="evaluator", choices=EVALUATOR_ROLES)
    a.add_argument(
        "--capacity", type=int, default=20, metavar="N", help="evaluations a week (default 20)"
    )
    a.set_defaults(func=run_add)
    ls = actions.add_parser("list", parents=[common], help="list evaluators")
    ls.set_defaults(func=run_list)


def read_evaluation_file(source: str) -> tuple[dict, str | None, list[dict]]:
    """``(answers, comment, notes)`` from an ANSWERS.json; every problem named by field path."""
    try:
        text = Path(source).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataRefused(
            f"{source}: cannot read the answers file: {exc.strerror or exc}"
        ) from None
    except UnicodeDecodeError:
        raise DataRefused(f"{source}: not UTF-8 text; save the answers file as UTF-8") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataRefused(f"{source}:{exc.lineno} not valid JSON: {exc.msg}") from None
    if not isinstance(doc, dict):
        raise DataRefused(
            f'{source}: expected an object {{"answers": {{…}}, "comment": …, "notes": […]}}'
        )
    problems = [
        f"{source}: {k}: unknown field (expected answers, comment, notes)"
        for k in doc
        if k not in ("answers", "comment", "notes")
    ]
    answers = doc.get("answers", {})
    if not isinstance(answers, dict):
        problems.append(f'{source}: answers: must be an object {{"question_key": value, …}}')
    comment = doc.get("comment")
    if comment is not None and not isinstance(comment, str):
        problems.append(f"{source}: comment: must be text")
    notes = doc.get("notes", [])
    if not isinstance(notes, list):
        problems.append(f"{source}: notes: must be a list of {{text, question_key, at_s}}")
        notes = []
    for i, note in enumerate(notes):
        where = f"{source}: notes[{i}]"
        if not isinstance(note, dict):
            problems.append(f"{where}: must be an object {{text, question_key, at_s}}")
            continue
        problems += [f"{where}.{k}: unknown field" for k in note if k not in _NOTE_FIELDS]
        if not isinstance(note.get("text"), str) or not note["text"].strip():
            problems.append(f"{where}.text: required text")
        if note.get("question_key") is not None and not isinstance(note["question_key"], str):
            problems.append(f"{where}.question_key: must be a question key")
        at_s = note.get("at_s")
        if at_s is not None and (
            isinstance(at_s, bool) or not isinstance(at_s, int | float) or at_s < 0
        ):
            problems.append(f"{where}.at_s: must be seconds ≥ 0")
    if problems:
        raise DataRefused(
            problems[0] if len(problems) == 1 else f"{source}: {len(problems)} problems", problems
        )
    return answers, comment, notes


def check_against(
    source: str, version: scorecards.ScorecardVersion, answers: dict, notes: list[dict]
) -> None:
    """Refuse, before anything is written, every answer and note key the version cannot take."""
    problems = []
    keys = {q.key for q in version.card.questions()}
    for key, value in answers.items():
        if key not in keys:
            problems.append(f"{source}: answers.{key}: not a question on {version.ref}")
        elif value is not None:
            try:
                normalise_answer(version.card.question(key), value)
            except ValueError as exc:
                problems.append(f"{source}: answers.{exc}")
    for i, note in enumerate(notes):
        key = note.get("question_key")
        if key is not None and key not in keys:
            problems.append(
                f"{source}: notes[{i}].question_key: '{key}' is not a question on {version.ref}"
            )
    if problems:
        raise DataRefused(
            problems[0]
            if len(problems) == 1
            else f"{source}: {len(problems)} problems with the answers for {version.ref}",
            problems,
        )


def run_evaluate(ctx) -> int:
    args = ctx.args
    if args.partial and (args.submit or args.sign_off):
        raise UsageError(
            "--partial cannot be combined with --submit or --sign-off: a submitted "
            "evaluation answers every question"
        )
    answers, comment, notes = read_evaluation_file(args.answers)
    ws = ctx.workspace()
    who = evaluations.evaluator(ws, args.evaluator)
    iid = interaction_id(ws, args.interaction)
    if iid is None:
        raise DataRefused(f"unknown interaction '{args.interaction}'.")
    version = scorecards.find(ws, args.scorecard)
    with ws.db.atomic():
        record = evaluations.find_draft(ws, iid, who.name, scorecard_key=version.key)
        created = record is None
        if (
            record is not None
            and "@" in args.scorecard
            and record.scorecard_version_id != version.id
        ):
            on = scorecards.get_version(ws, record.scorecard_version_id).ref
            raise DataRefused(
                f"{who.name} already has draft evaluation {record.id} of "
                f"{args.interaction} on {on}; continue it with --scorecard "
                f"{version.key} or {on}."
            )
        card = (
            version if record is None else scorecards.get_version(ws, record.scorecard_version_id)
        )
        check_against(args.answers, card, answers, notes)
        if record is None:
            record = evaluations.start(ws, iid, version.id, who.name)
        record = evaluations.save_answers(ws, record.id, answers)
        if comment is not None:
            record = evaluations.set_comment(ws, record.id, comment)
        for note in notes:
            evaluations.add_note(
                ws,
                record.id,
                note["text"],
                question_key=note.get("question_key"),
                at_s=note.get("at_s"),
            )
        missing = [q.key for q in card.card.questions() if q.key not in record.answers]
        if missing and not args.partial:
            n = len(missing)
            raise DataRefused(
                f"{args.answers}: {n} question{'' if n == 1 else 's'} of "
                f"{card.ref} unanswered: {', '.join(missing)} (give --partial to "
                "keep an incomplete draft); nothing was stored.",
                missing,
            )
        if args.submit or args.sign_off:
            record = evaluations.submit(ws, record.id)
        if args.sign_off:
            record = evaluations.sign_off(ws, record.id, who.name)
    record = evaluations.get(ws, record.id)
    doc = {**record.as_dict(), "scorecard": card.ref, "created": created}
    pct = "no score yet" if record.percent is None else f"{record.percent:.2f} %"
    fatal = " — FATAL fail" if record.fatal else ""
    ctx.emit(
        doc,
        f"evaluation {record.id} ({record.status.replace('_', ' ')}) of "
        f"{record.interaction_external_id} on {card.ref} by {who.name}: {pct}{fatal}",
    )
    return 0


def run_add(ctx) -> int:
    ws = ctx.workspace()
    e = add_evaluator(ws, ctx.args.name, ctx.args.role, ctx.args.capacity)
    ctx.emit(
        {"id": e.id, "name": e.name, "role": e.role, "capacity_per_week": e.capacity_per_week},
        f"added {e.name} ({e.role.replace('_', ' ')}, {e.capacity_per_week} a week)",
    )
    return 0


def run_list(ctx) -> int:
    ws = ctx.workspace()
    people = list_evaluators(ws)
    doc = {
        "evaluators": [
            {
                "id": e.id,
                "name": e.name,
                "role": e.role,
                "capacity_per_week": e.capacity_per_week,
                "active": e.active,
            }
            for e in people
        ]
    }
    lines = [f"{e.name:<24} {e.role:<12} {e.capacity_per_week:>3}/week" for e in people]
    ctx.emit(doc, "\n".join(lines) or "no evaluators yet")
    return 0
