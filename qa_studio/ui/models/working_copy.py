"""The editor's mutable working copy of a scorecard.

A published scorecard is an immutable ``Scorecard``; the editor needs something it can change one
field at a time, that may be *invalid* for a while (an empty key, a weight of 0) and that keeps a
stable identity for every section and question while they are moved around (the tree model's
indexes and the selection follow those identities). ``to_dict`` gives the YAML-shaped mapping that
``qa_studio.scorecards.schema.validate`` checks after every edit, so validation rules live in one
place only.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field

FORM_FIELDS: tuple[str, ...] = (
    "key",
    "name",
    "channel",
    "target",
    "na_policy",
    "fatal_policy",
    "description",
)
SECTION_FIELDS: tuple[str, ...] = ("key", "name", "description")
QUESTION_FIELDS: tuple[str, ...] = (
    "key",
    "text",
    "guidance",
    "type",
    "weight",
    "allow_na",
    "critical",
    "fatal",
    "regulation",
)
#: Optional fields left out of the mapping when empty/default, so exported YAML stays readable.
_OPTIONAL_DEFAULTS: dict[str, object] = {
    "guidance": "",
    "weight": 1,
    "allow_na": False,
    "critical": False,
    "fatal": False,
    "regulation": "",
    "description": "",
}

#: Uids below this are reserved: the tree model uses 0 for "no parent" and 1 for the form item.
FIRST_UID = 16

DEFAULT_SCALE: dict = {"min": 1, "max": 5, "pass_at": 3, "anchors": {}}
DEFAULT_OPTIONS: tuple[dict, ...] = (
    {"label": "Full", "points": 2},
    {"label": "Partial", "points": 1},
    {"label": "None", "points": 0},
)
DEFAULT_POINTS_PASS_AT = 1


def tidy_number(value: object) -> object:
    """Write 2.0 as 2: spin boxes give floats, but YAML reads better with whole numbers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class QuestionDraft:
    """One question. ``scale`` and ``options`` survive a type change so switching back loses nothing."""

    uid: int
    fields: dict
    scale: dict = field(default_factory=lambda: copy.deepcopy(DEFAULT_SCALE))
    options: list[dict] = field(default_factory=lambda: [dict(o) for o in DEFAULT_OPTIONS])
    points_pass_at: object = DEFAULT_POINTS_PASS_AT

    @property
    def key(self) -> str:
        return str(self.fields.get("key") or "")

    @property
    def type(self) -> str:
        return str(self.fields.get("type") or "")

    def to_dict(self) -> dict:
        out: dict = {}
        for name in QUESTION_FIELDS:
            value = tidy_number(self.fields.get(name))
            if value is None or (name in _OPTIONAL_DEFAULTS and value == _OPTIONAL_DEFAULTS[name]):
                if name in ("key", "text", "type"):
                    out[name] = "" if value is None else value
                continue
            out[name] = value
        if self.type == "scale":
            out["scale"] = {
                "min": tidy_number(self.scale.get("min")),
                "max": tidy_number(self.scale.get("max")),
                "pass_at": tidy_number(self.scale.get("pass_at")),
                "anchors": dict(sorted(self.scale.get("anchors", {}).items())),
            }
        elif self.type == "points":
            out["options"] = [
                {"label": o.get("label", ""), "points": tidy_number(o.get("points"))}
                for o in self.options
            ]
            out["pass_at"] = tidy_number(self.points_pass_at)
        return out


@dataclass
class SectionDraft:
    uid: int
    fields: dict
    questions: list[QuestionDraft] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.fields.get("key") or "")

    def to_dict(self) -> dict:
        out: dict = {"key": self.fields.get("key") or "", "name": self.fields.get("name") or ""}
        if self.fields.get("description"):
            out["description"] = self.fields["description"]
        out["questions"] = [q.to_dict() for q in self.questions]
        return out


class WorkingCopy:
    """Form fields plus sections of questions, each with a uid that never changes or repeats."""

    def __init__(self, fields: dict | None = None) -> None:
        self._uids = itertools.count(FIRST_UID)
        self.fields: dict = {
            "key": "new_scorecard",
            "name": "New scorecard",
            "channel": "any",
            "target": 85,
            "na_policy": "exclude",
            "fatal_policy": "zero_form",
            "description": "",
        }
        if fields:
            self.fields.update(fields)
        self.sections: list[SectionDraft] = []

    # --- construction -------------------------------------------------------------------------

    def next_uid(self) -> int:
        return next(self._uids)

    @classmethod
    def from_dict(cls, data: dict) -> WorkingCopy:
        """Build from a YAML-shaped mapping (``schema.to_dict`` of a card, or parsed YAML)."""
        wc = cls({name: data.get(name, "") for name in FORM_FIELDS})
        for sec in data.get("sections") or []:
            draft = wc.new_section({name: sec.get(name, "") for name in SECTION_FIELDS})
            for q in sec.get("questions") or []:
                draft.questions.append(wc.question_from_dict(q))
            wc.sections.append(draft)
        return wc

    def question_from_dict(self, q: dict) -> QuestionDraft:
        fields = {name: q.get(name, _OPTIONAL_DEFAULTS.get(name, "")) for name in QUESTION_FIELDS}
        fields["regulation"] = fields["regulation"] or ""
        draft = QuestionDraft(self.next_uid(), fields)
        scale = q.get("scale")
        if isinstance(scale, dict):
            draft.scale = {
                "min": scale.get("min", 1),
                "max": scale.get("max", 5),
                "pass_at": scale.get("pass_at", 3),
                "anchors": {int(k): str(v) for k, v in (scale.get("anchors") or {}).items()},
            }
        if q.get("options"):
            draft.options = [
                {"label": o.get("label", ""), "points": o.get("points", 0)} for o in q["options"]
            ]
            draft.points_pass_at = q.get("pass_at", DEFAULT_POINTS_PASS_AT)
        return draft

    def new_section(self, fields: dict | None = None) -> SectionDraft:
        base = {
            "key": self.unique_key("section", self.section_keys()),
            "name": "New section",
            "description": "",
        }
        base.update(fields or {})
        return SectionDraft(self.next_uid(), base)

    def new_question(self, qtype: str) -> QuestionDraft:
        fields = {name: _OPTIONAL_DEFAULTS.get(name, "") for name in QUESTION_FIELDS}
        fields.update(key=self.unique_key("question", self.question_keys()), text="", type=qtype)
        return QuestionDraft(self.next_uid(), fields)

    @staticmethod
    def unique_key(stem: str, taken: set[str]) -> str:
        for n in itertools.count(1):
            candidate = f"{stem}_{n}"
            if candidate not in taken:
                return candidate
        raise AssertionError("unreachable")

    # --- lookup -------------------------------------------------------------------------------

    def section_keys(self) -> set[str]:
        return {s.key for s in self.sections}

    def question_keys(self) -> set[str]:
        return {q.key for s in self.sections for q in s.questions}

    def section_by_uid(self, uid: int) -> SectionDraft | None:
        return next((s for s in self.sections if s.uid == uid), None)

    def locate_question(self, uid: int) -> tuple[SectionDraft, int] | None:
        """The section holding question ``uid`` and the question's row in it."""
        for sec in self.sections:
            for row, q in enumerate(sec.questions):
                if q.uid == uid:
                    return sec, row
        return None

    def question_by_uid(self, uid: int) -> QuestionDraft | None:
        found = self.locate_question(uid)
        return found[0].questions[found[1]] if found else None

    # --- serialisation ------------------------------------------------------------------------

    def to_dict(self) -> dict:
        out: dict = {}
        for name in FORM_FIELDS:
            value = tidy_number(self.fields.get(name))
            if name == "description" and not value:
                continue
            out[name] = value
        out["sections"] = [s.to_dict() for s in self.sections]
        return out
