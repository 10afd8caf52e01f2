"""Score a set of answers against a scorecard (SCORECARDS.md § Scoring rules).

Pure and deterministic so that the scoring screen's running score, the stored result, what-if
re-scoring and the CLI all agree to the last digit. Results keep full floats; only ``as_dict``
rounds, for display (percent to 2 dp, points to 4 dp).

The order of the rules matters and is the one disputes are argued over:

1. each answer earns ``weight × fraction`` of ``weight``; N/A leaves both sums (``exclude``) or
   earns the full weight (``count_as_pass``), and never fails;
2. a failed ``critical`` question zeroes its section's earned points; the possible points stay;
3. a failed ``fatal`` question flags the form; under ``zero_form`` the form's score and percent
   become 0 (max_score and the section subtotals are kept, so the report still shows where points
   were lost); under ``report_separately`` the question has simply earned 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from qa_studio.scorecards.schema import Question, Scorecard

NA = "na"
_NA_SPELLINGS = ("na", "n/a")


@dataclass(frozen=True)
class AnswerScore:
    """One answer. ``fraction`` is the answer's own (None for N/A); ``points``/``max_points`` are
    what it adds to its section before any critical zeroing (None when excluded as N/A)."""

    key: str
    value: object
    na: bool
    fraction: float | None
    points: float | None
    max_points: float | None
    failed: bool


@dataclass(frozen=True)
class SectionScore:
    key: str
    score: float
    max_score: float
    percent: float | None


@dataclass(frozen=True)
class ScoreResult:
    score: float
    max_score: float
    percent: float | None
    fatal: bool
    failed_critical: list[str]
    failed_fatal: list[str]
    sections: dict[str, SectionScore]
    answers: dict[str, AnswerScore]
    missing: list[str]
    reason: str | None  # why percent is None

    def as_dict(self) -> dict:
        """The CLI's JSON shape; percent rounded to 2 dp, points to 4 dp."""
        return {
            "score": _round(self.score, 4),
            "max_score": _round(self.max_score, 4),
            "percent": _round(self.percent, 2),
            "fatal": self.fatal,
            "failed_critical": list(self.failed_critical),
            "failed_fatal": list(self.failed_fatal),
            "missing": list(self.missing),
            "reason": self.reason,
            "sections": {
                k: {
                    "score": _round(s.score, 4),
                    "max_score": _round(s.max_score, 4),
                    "percent": _round(s.percent, 2),
                }
                for k, s in self.sections.items()
            },
        }


class AnswerError(ValueError):
    """Answers that cannot be scored. ``problems`` has one line per problem (invalid values,
    unknown keys, unanswered questions); ``missing`` the unanswered keys in form order."""

    def __init__(self, problems: list[str], missing: list[str] | None = None) -> None:
        self.problems = list(problems)
        self.missing = list(missing or [])
        super().__init__("; ".join(self.problems))


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places) + 0.0  # + 0.0 turns -0.0 into 0.0


def _percent(earned: float, possible: float) -> float | None:
    return 100.0 * earned / possible if possible > 0 else None


def _expected(q: Question) -> str:
    if q.type == "yes_no":
        allowed = '"yes" or "no"'
    elif q.type == "scale":
        assert q.scale is not None
        allowed = f"a whole number from {q.scale.min} to {q.scale.max}"
    else:
        allowed = "one of " + ", ".join(f'"{o.label}"' for o in q.options)
    return allowed + (', or "na"' if q.allow_na else "")


def normalise_answer(q: Question, raw: object) -> object:
    """The canonical stored value: ``"yes"``/``"no"``/``"na"``, an int, or an option label.

    Accepts what people and files naturally give (true/false, "4", "full" for "Full"); anything
    else raises ValueError naming the question and what it accepts.
    """
    text = raw.strip() if isinstance(raw, str) else None
    if text is not None and text.lower() in _NA_SPELLINGS:
        if not q.allow_na:
            raise ValueError(
                f"{q.key}: N/A is not allowed for this question; expected {_expected(q)}"
            )
        return NA
    if q.type == "yes_no":
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        if text is not None and text.lower() in ("yes", "no"):
            return text.lower()
    elif q.type == "scale":
        assert q.scale is not None
        value: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        elif text is not None and re.fullmatch(r"[+-]?\d+", text):
            value = int(text)
        if value is not None and q.scale.min <= value <= q.scale.max:
            return value
    elif text is not None:
        for option in q.options:
            if option.label == text:
                return option.label
        for option in q.options:
            if option.label.lower() == text.lower():
                return option.label
    raise ValueError(f"{q.key}: {raw!r} is not a valid answer; expected {_expected(q)}")


def fraction(q: Question, value: object) -> float | None:
    """The share of the question's weight this answer earns; None for N/A."""
    value = normalise_answer(q, value)
    if value == NA:
        return None
    if q.type == "yes_no":
        return 1.0 if value == "yes" else 0.0
    if q.type == "scale":
        assert q.scale is not None and isinstance(value, int)
        return (value - q.scale.min) / (q.scale.max - q.scale.min)
    return _option_points(q, value) / q.max_option_points


def failed(q: Question, value: object) -> bool:
    """Whether the answer fails the question (N/A never fails)."""
    value = normalise_answer(q, value)
    if value == NA:
        return False
    if q.type == "yes_no":
        return value == "no"
    if q.type == "scale":
        assert q.scale is not None and isinstance(value, int)
        return value < q.scale.pass_at
    assert q.pass_at is not None
    return _option_points(q, value) < q.pass_at


def _option_points(q: Question, label: object) -> float:
    return next(o.points for o in q.options if o.label == label)


def score_answer(q: Question, raw: object, na_policy: str) -> AnswerScore:
    value = normalise_answer(q, raw)
    if value == NA:
        if na_policy == "count_as_pass":
            return AnswerScore(q.key, NA, True, None, q.weight, q.weight, False)
        return AnswerScore(q.key, NA, True, None, None, None, False)
    f = fraction(q, value)
    assert f is not None
    return AnswerScore(q.key, value, False, f, q.weight * f, q.weight, failed(q, value))


def check_answers(
    card: Scorecard,
    answers: Mapping[str, object],
    *,
    partial: bool = False,
    ignore_unknown: bool = False,
) -> tuple[dict[str, object], list[str]]:
    """Normalised answers and the unanswered keys; raises AnswerError listing every problem.

    ``None`` counts as unanswered. Keys that are not on the card are an error (usually a typo)
    unless ``ignore_unknown`` — what-if re-scoring passes answers from another version.
    """
    problems: list[str] = []
    questions = card.questions()
    known = {q.key for q in questions}
    unknown = [str(k) for k in answers if k not in known]
    if unknown and not ignore_unknown:
        problems.append(f"not questions on scorecard '{card.key}': {', '.join(unknown)}")
    normalised: dict[str, object] = {}
    missing: list[str] = []
    for q in questions:
        raw = answers.get(q.key)
        if raw is None:
            missing.append(q.key)
            continue
        try:
            normalised[q.key] = normalise_answer(q, raw)
        except ValueError as exc:
            problems.append(str(exc))
    if missing and not partial:
        n = len(missing)
        problems.append(f"{n} question{'' if n == 1 else 's'} unanswered: {', '.join(missing)}")
    if problems:
        raise AnswerError(problems, missing)
    return normalised, missing


def score(
    card: Scorecard,
    answers: Mapping[str, object],
    *,
    partial: bool = False,
    ignore_unknown: bool = False,
) -> ScoreResult:
    """Score ``answers`` (question key → value or "na") by the rules in the module docstring.

    Unanswered questions raise AnswerError unless ``partial``; then they leave both sums and are
    listed in ``missing`` (the scoring screen's running score).
    """
    normalised, missing = check_answers(
        card, answers, partial=partial, ignore_unknown=ignore_unknown
    )
    scored: dict[str, AnswerScore] = {}
    sections: dict[str, SectionScore] = {}
    failed_critical: list[str] = []
    failed_fatal: list[str] = []
    total = possible_total = 0.0
    for section in card.sections:
        earned = possible = 0.0
        zeroed = False
        for q in section.questions:
            if q.key not in normalised:
                continue
            answer = score_answer(q, normalised[q.key], card.na_policy)
            scored[q.key] = answer
            if answer.max_points is not None:
                earned += answer.points or 0.0
                possible += answer.max_points
            if answer.failed and q.critical:
                failed_critical.append(q.key)
                zeroed = True
            if answer.failed and q.fatal:
                failed_fatal.append(q.key)
        if zeroed:
            earned = 0.0
        sections[section.key] = SectionScore(
            section.key, earned, possible, _percent(earned, possible)
        )
        total += earned
        possible_total += possible
    fatal = bool(failed_fatal)
    if fatal and card.fatal_policy == "zero_form":
        total = 0.0
    percent = _percent(total, possible_total)
    reason = None
    if percent is None:
        reason = (
            "no questions answered yet"
            if not scored
            else "nothing applicable: every answered question is N/A, and N/A is excluded "
            "from the score under na_policy 'exclude'"
        )
    return ScoreResult(
        total,
        possible_total,
        percent,
        fatal,
        failed_critical,
        failed_fatal,
        sections,
        scored,
        missing,
        reason,
    )
