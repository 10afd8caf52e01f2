"""The scorecard model and its validation (SCORECARDS.md § Fields).

A scorecard reaches the app as plain data (parsed YAML, or the editor's dict) and leaves this module
either as a fully checked, immutable :class:`Scorecard` or as :class:`ScorecardInvalid` listing
*every* problem at once, each with file, line and field path, so an author fixes a file in one pass
instead of one error per run. Nothing here knows about YAML: the loader passes the line of every
field path in ``lines``. Paths are zero-based: ``sections[1].questions[3].weight`` is the fourth
question of the second section.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.errors import DataRefused
from qa_studio.scorecards import _checks as c
from qa_studio.scorecards._export import to_dict

QUESTION_TYPES: tuple[str, ...] = ("yes_no", "scale", "points")
NA_POLICIES: tuple[str, ...] = ("exclude", "count_as_pass")
FATAL_POLICIES: tuple[str, ...] = ("zero_form", "report_separately")
CHANNELS: tuple[str, ...] = ("voice", "chat", "email", "social", "task", "any")

_FORM_FIELDS = (
    "key",
    "name",
    "channel",
    "target",
    "na_policy",
    "fatal_policy",
    "description",
    "sections",
)
_SECTION_FIELDS = ("key", "name", "description", "questions")
_QUESTION_FIELDS = (
    "key",
    "text",
    "guidance",
    "type",
    "weight",
    "allow_na",
    "critical",
    "fatal",
    "regulation",
    "scale",
    "options",
    "pass_at",
)
_SCALE_FIELDS = ("min", "max", "pass_at", "anchors")
_OPTION_FIELDS = ("label", "points")

__all__ = [
    "CHANNELS",
    "FATAL_POLICIES",
    "NA_POLICIES",
    "QUESTION_TYPES",
    "Issue",
    "Option",
    "Question",
    "Scale",
    "Scorecard",
    "ScorecardInvalid",
    "Section",
    "to_dict",
    "validate",
]


@dataclass(frozen=True)
class Scale:
    """A rating scale; ``anchors`` label at least ``min`` and ``max`` so ratings mean the same to all."""

    min: int
    max: int
    pass_at: int
    anchors: dict[int, str]


@dataclass(frozen=True)
class Option:
    label: str
    points: float


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    type: str
    guidance: str = ""
    weight: float = 1.0
    allow_na: bool = False
    critical: bool = False
    fatal: bool = False
    regulation: str | None = None
    scale: Scale | None = None
    options: tuple[Option, ...] = ()
    pass_at: float | None = None  # points questions: fewer points than this is a fail

    @property
    def max_option_points(self) -> float:
        return max((o.points for o in self.options), default=0.0)


@dataclass(frozen=True)
class Section:
    key: str
    name: str
    questions: tuple[Question, ...]
    description: str = ""


@dataclass(frozen=True)
class Scorecard:
    key: str
    name: str
    channel: str
    target: float
    na_policy: str
    fatal_policy: str
    sections: tuple[Section, ...]
    description: str = ""

    def questions(self) -> list[Question]:
        """All questions in form order."""
        return [q for s in self.sections for q in s.questions]

    def question(self, key: str) -> Question:
        for s in self.sections:
            for q in s.questions:
                if q.key == key:
                    return q
        raise KeyError(f"scorecard '{self.key}' has no question '{key}'")

    def section_of(self, key: str) -> Section:
        """The section holding question ``key``."""
        for s in self.sections:
            if any(q.key == key for q in s.questions):
                return s
        raise KeyError(f"scorecard '{self.key}' has no question '{key}'")


@dataclass(frozen=True)
class Issue:
    """One problem in a scorecard file: where it is and what is wrong."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "path": self.path, "message": self.message}


class ScorecardInvalid(DataRefused):
    """The scorecard was refused; ``issues`` holds every problem found, in line order."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues, key=lambda i: i.line or 0)
        file = self.issues[0].file if self.issues else "<scorecard>"
        n = len(self.issues)
        head = f"{file} is not a valid scorecard ({n} problem{'' if n == 1 else 's'})"
        message = head + "".join(f"\n  {i}" for i in self.issues)
        details = [{"file": i.file, **i.as_dict()} for i in self.issues]
        super().__init__(message, details, 1)


def validate(
    data: object, *, filename: str = "<scorecard>", lines: dict[str, int] | None = None
) -> Scorecard:
    """Check ``data`` against SCORECARDS.md and build the model, or raise with all problems."""
    ck = c.Checker(filename, lines)
    card = _form(ck, data)
    if ck.issues or card is None:
        raise ScorecardInvalid([Issue(filename, line, path, msg) for line, path, msg in ck.issues])
    return card


def _form(ck: c.Checker, data: object) -> Scorecard | None:
    m = ck.fields(
        data,
        "",
        _FORM_FIELDS,
        ("key", "name", "channel", "target", "na_policy", "fatal_policy", "sections"),
        "the scorecard must be a YAML mapping of fields (key, name, channel, …)",
    )
    if m is None:
        return None
    key = ck.key(m, "key", "")
    name = ck.text(m, "name", "")
    channel = ck.choice(m, "channel", "", CHANNELS, "channel")
    target = ck.number(m, "target", "", 0.0)
    if "target" in m and target is not None and not 0 <= target <= 100:
        ck.err("target", "must be between 0 and 100")
    na_policy = ck.choice(m, "na_policy", "", NA_POLICIES, "na_policy")
    fatal_policy = ck.choice(m, "fatal_policy", "", FATAL_POLICIES, "fatal_policy")
    description = ck.text(m, "description", "", required=False)
    seen_sections: dict[str, str] = {}
    seen_questions: dict[str, str] = {}
    sections = []
    for i, raw in ck.items(m, "sections", "", "section"):
        path = c.index_path("sections", i)
        _unique(ck, raw, path, "section", seen_sections)
        section = _section(ck, raw, path, seen_questions)
        if section is not None:
            sections.append(section)
    if ck.issues:
        return None
    return Scorecard(
        key, name, channel, target, na_policy, fatal_policy, tuple(sections), description
    )


def _section(ck: c.Checker, raw: object, path: str, seen: dict[str, str]) -> Section | None:
    m = ck.fields(
        raw,
        path,
        _SECTION_FIELDS,
        ("key", "name", "questions"),
        "a section must be a mapping with key, name and questions",
    )
    if m is None:
        return None
    key = ck.key(m, "key", path)
    name = ck.text(m, "name", path)
    description = ck.text(m, "description", path, required=False)
    questions = []
    for i, q_raw in ck.items(m, "questions", path, "question"):
        q_path = c.index_path(f"{path}.questions", i)
        _unique(ck, q_raw, q_path, "question", seen)
        question = _question(ck, q_raw, q_path)
        if question is not None:
            questions.append(question)
    if key is None or name is None:
        return None
    return Section(key, name, tuple(questions), description or "")


def _unique(ck: c.Checker, raw: object, path: str, what: str, seen: dict[str, str]) -> None:
    """Report a key already used by an earlier section/question (even if either is faulty)."""
    key = raw.get("key") if isinstance(raw, dict) else None
    if not isinstance(key, str):
        return
    if key in seen:
        ck.err(f"{path}.key", f"duplicate {what} key '{key}' (first used at {seen[key]})")
    else:
        seen[key] = path


def _question(ck: c.Checker, raw: object, path: str) -> Question | None:
    m = ck.fields(
        raw,
        path,
        _QUESTION_FIELDS,
        ("key", "text", "type"),
        "a question must be a mapping with key, text and type",
    )
    if m is None:
        return None
    key = ck.key(m, "key", path)
    text = ck.text(m, "text", path)
    qtype = ck.choice(m, "type", path, QUESTION_TYPES, "type")
    guidance = ck.text(m, "guidance", path, required=False)
    weight = ck.number(m, "weight", path, 1.0)
    if weight is not None and weight <= 0:
        ck.err(f"{path}.weight", "must be > 0")
    allow_na = ck.boolean(m, "allow_na", path)
    critical = ck.boolean(m, "critical", path)
    fatal = ck.boolean(m, "fatal", path)
    if critical and fatal:
        ck.err(f"{path}.fatal", "a question cannot be both critical and fatal; choose one")
    regulation = ck.text(m, "regulation", path, required=False) or None
    scale: Scale | None = None
    options: tuple[Option, ...] = ()
    pass_at: float | None = None
    if qtype == "scale":
        scale = _scale(ck, m, path)
    elif "scale" in m and qtype is not None:
        ck.err(f"{path}.scale", f"only scale questions have a scale (this one is {qtype})")
    if qtype == "points":
        options, pass_at = _options(ck, m, path)
    elif qtype is not None:
        for extra in ("options", "pass_at"):
            if extra in m:
                hint = " (a scale's pass_at goes inside scale)" if extra == "pass_at" else ""
                ck.err(
                    f"{path}.{extra}",
                    f"only points questions have {extra} (this one is {qtype}){hint}",
                )
    if None in (key, text, qtype, weight) or (qtype == "scale" and scale is None):
        return None
    return Question(
        key,
        text,
        qtype,
        guidance or "",
        weight,
        bool(allow_na),
        bool(critical),
        bool(fatal),
        regulation,
        scale,
        options,
        pass_at,
    )


def _scale(ck: c.Checker, q: dict, q_path: str) -> Scale | None:
    path = f"{q_path}.scale"
    if "scale" not in q:
        ck.err(path, "required for scale questions: {min, max, pass_at, anchors}")
        return None
    m = ck.fields(
        q["scale"],
        path,
        _SCALE_FIELDS,
        _SCALE_FIELDS,
        "must be a mapping {min, max, pass_at, anchors}",
    )
    if m is None:
        return None
    lo, hi = ck.integer(m, "min", path), ck.integer(m, "max", path)
    pass_at = ck.integer(m, "pass_at", path)
    ranged = lo is not None and hi is not None
    if ranged and lo >= hi:
        ck.err(f"{path}.max", f"must be greater than min ({lo})")
        ranged = False
    if ranged and pass_at is not None and not lo <= pass_at <= hi:
        ck.err(f"{path}.pass_at", f"must be within the scale ({lo} to {hi})")
    anchors: dict[int, str] = {}
    raw = m.get("anchors")
    if "anchors" in m and not isinstance(raw, dict):
        ck.err(f"{path}.anchors", f"must be a mapping of scale value to label, not {c.kind(raw)}")
    elif isinstance(raw, dict):
        for value, label in raw.items():
            a_path = c.join_path(f"{path}.anchors", value)
            if not c.is_int(value):
                ck.err(a_path, "anchor keys must be whole numbers on the scale")
            elif ranged and not lo <= value <= hi:
                ck.err(a_path, f"outside the scale ({lo} to {hi})")
            if not isinstance(label, str) or not label.strip():
                ck.err(a_path, f"anchor label must be non-empty text, not {c.kind(label)}")
            elif c.is_int(value):
                anchors[value] = label
        if ranged:
            gaps = [f"{v} ({end})" for v, end in ((lo, "min"), (hi, "max")) if v not in raw]
            if gaps:
                ck.err(f"{path}.anchors", f"needs a label for {' and '.join(gaps)}")
    if None in (lo, hi, pass_at) or not ranged:
        return None
    return Scale(lo, hi, pass_at, dict(sorted(anchors.items())))


def _options(ck: c.Checker, q: dict, q_path: str) -> tuple[tuple[Option, ...], float | None]:
    path = f"{q_path}.options"
    options: list[Option] = []
    labels: dict[str, str] = {}
    raw = q.get("options")
    if "options" not in q:
        ck.err(path, "required for points questions: a list of {label, points}")
    elif not isinstance(raw, list):
        ck.err(path, f"must be a list of {{label, points}}, not {c.kind(raw)}")
    elif len(raw) < 2:
        ck.err(path, "must list at least two options")
    else:
        for i, o_raw in enumerate(raw):
            o_path = c.index_path(path, i)
            m = ck.fields(
                o_raw,
                o_path,
                _OPTION_FIELDS,
                _OPTION_FIELDS,
                "an option must be a mapping {label, points}",
            )
            if m is None:
                continue
            label = ck.text(m, "label", o_path)
            points = ck.number(m, "points", o_path, None)
            if points is not None and points < 0:
                ck.err(f"{o_path}.points", "must be >= 0")
            if label is not None and label.lower() in labels:
                ck.err(
                    f"{o_path}.label",
                    f"duplicate option label '{label}' (first at {labels[label.lower()]})",
                )
            elif label is not None:
                labels[label.lower()] = o_path
            if label is not None and points is not None:
                options.append(Option(label, points))
        if options and len(options) == len(raw) and max(o.points for o in options) <= 0:
            ck.err(path, "the best option must be worth more than 0 points")
    pass_at = ck.number(q, "pass_at", q_path, None)
    if "pass_at" not in q:
        ck.err(f"{q_path}.pass_at", "required for points questions (fewer points is a fail)")
    elif pass_at is not None and options:
        top = max(o.points for o in options)
        if not 0 <= pass_at <= top:
            ck.err(
                f"{q_path}.pass_at",
                f"must be between 0 and the best option's points ({c.num(top)})",
            )
    return tuple(options), pass_at
