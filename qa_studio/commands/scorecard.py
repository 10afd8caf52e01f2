"""``qa-studio scorecard SUBCOMMAND``: work with scorecards from the command line.

* ``scorecard validate FILE…`` — check scorecard files; prints every problem, exits 1 if any.
* ``scorecard score SCORECARD ANSWERS.json [--partial]`` — score a set of answers.

SCORECARD and FILE are YAML paths or built-in keys (``voice_service``). Each subcommand is one
``register_*`` function (adds its parser) plus one ``run_*`` handler; to add a subcommand, write
both and list the register function in ``SUBCOMMANDS`` at the bottom of the module.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qa_studio.commands.scorecard_db import register_publish, register_rescore
from qa_studio.domain.scoring import AnswerError, ScoreResult, score
from qa_studio.errors import DataRefused
from qa_studio.scorecards.loader import builtin_keys, load_ref
from qa_studio.scorecards.schema import Scorecard, ScorecardInvalid


def register(sub, common) -> None:
    group = sub.add_parser(
        "scorecard",
        help="validate scorecards and score answers",
        description="Work with scorecards. SCORECARD/FILE is a YAML file or a built-in key ("
        + ", ".join(builtin_keys())
        + ").",
    )
    actions = group.add_subparsers(dest="scorecard_command", metavar="SUBCOMMAND", required=True)
    for add in SUBCOMMANDS:
        add(actions, common)


# --- validate ---------------------------------------------------------------------------------


def register_validate(actions, common) -> None:
    p = actions.add_parser(
        "validate",
        parents=[common],
        help="check scorecard files and print every problem",
        description="Check scorecard YAML files against the format. Exits 1 if any is invalid.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="scorecard YAML file or built-in key")
    p.set_defaults(func=run_validate)


def run_validate(ctx) -> int:
    files: list[dict] = []
    lines: list[str] = []
    for ref in ctx.args.files:
        try:
            card = load_ref(ref)
        except ScorecardInvalid as exc:
            files.append({"file": ref, "valid": False, "errors": [i.as_dict() for i in exc.issues]})
            lines.extend(str(i) for i in exc.issues)
            continue
        files.append({"file": ref, "valid": True, "errors": []})
        n_q = len(card.questions())
        lines.append(f"{ref}: ok ({card.key}: {len(card.sections)} sections, {n_q} questions)")
    bad = sum(not f["valid"] for f in files)
    if bad:
        lines.append(f"{bad} of {len(files)} file{'' if len(files) == 1 else 's'} invalid")
    ctx.emit({"files": files}, "\n".join(lines))
    return 1 if bad else 0


# --- score ------------------------------------------------------------------------------------


def register_score(actions, common) -> None:
    p = actions.add_parser(
        "score",
        parents=[common],
        help="score a set of answers against a scorecard",
        description='Score ANSWERS.json ({"answers": {"question_key": value or "na"}}) against '
        "SCORECARD. Values: yes/no, a whole number for scale questions, an option label for "
        "points questions. Percent is rounded to 2 decimal places, points to 4.",
    )
    p.add_argument("scorecard", metavar="SCORECARD", help="scorecard YAML file or built-in key")
    p.add_argument("answers", metavar="ANSWERS.json", help="answers file, or - for stdin")
    p.add_argument(
        "--partial",
        action="store_true",
        help="score even if some questions are unanswered (they are left out)",
    )
    p.set_defaults(func=run_score)


def run_score(ctx) -> int:
    ref = ctx.args.scorecard
    try:
        card = load_ref(ref)
    except ScorecardInvalid as exc:
        raise DataRefused(f"{ref} is not a valid scorecard", [str(i) for i in exc.issues]) from None
    source = ctx.args.answers
    answers = read_answers(source)
    try:
        result = score(card, answers, partial=ctx.args.partial)
    except AnswerError as exc:
        if len(exc.problems) == 1:
            message = f"{source}: {exc.problems[0]}"
        else:
            message = f"{source}: {len(exc.problems)} problems with the answers for '{card.key}'"
        if exc.missing and not ctx.args.partial:
            message += " (give --partial to score an incomplete form)"
        raise DataRefused(message, exc.problems) from None
    ctx.emit(result.as_dict(), format_result(card, result))
    return 0


def read_answers(source: str) -> dict:
    """The ``answers`` mapping of an answers file (``-`` reads stdin)."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
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
    answers = doc.get("answers") if isinstance(doc, dict) else None
    if not isinstance(answers, dict):
        raise DataRefused(f'{source}: expected {{"answers": {{"question_key": value or "na", …}}}}')
    return answers


def format_result(card: Scorecard, result: ScoreResult) -> str:
    """A readable summary for the terminal."""
    doc = result.as_dict()

    def pct(p: float | None) -> str:
        return "n/a" if p is None else f"{p:.2f} %"

    verdict = ""
    if result.percent is not None:
        verdict = (
            f" — target {card.target:g} % {'met' if result.percent >= card.target else 'missed'}"
        )
    out = [
        f"{card.name} ({card.key}): {doc['score']:g} / {doc['max_score']:g} = "
        f"{pct(doc['percent'])}{verdict}"
    ]
    width = max(len(s.name) for s in card.sections)
    for section in card.sections:
        s = doc["sections"][section.key]
        out.append(
            f"  {section.name:<{width}}  {s['score']:>6g} / {s['max_score']:<6g} "
            f"{pct(s['percent']):>9}"
        )
    if result.reason:
        out.append(f"No percent: {result.reason}")
    if result.failed_fatal:
        effect = "the form scores 0" if card.fatal_policy == "zero_form" else "reported separately"
        out.append(f"FATAL failed: {', '.join(result.failed_fatal)} ({effect})")
    if result.failed_critical:
        out.append(f"Critical failed (section zeroed): {', '.join(result.failed_critical)}")
    if result.missing:
        out.append(f"Not answered (left out): {', '.join(result.missing)}")
    return "\n".join(out)


SUBCOMMANDS = (register_validate, register_score, register_publish, register_rescore)
