"""A validated scorecard back to its YAML shape, for export, publishing and the editor.

Defaults are left out and whole numbers written as ints, so an exported file reads like one a
person wrote; ``validate(to_dict(card)) == card`` always holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_studio.scorecards._checks import num

if TYPE_CHECKING:
    from qa_studio.scorecards.schema import Question, Scorecard, Section


def to_dict(card: Scorecard) -> dict:
    """The card in its YAML shape with defaults left out, for export and the editor."""
    out: dict = {
        "key": card.key,
        "name": card.name,
        "channel": card.channel,
        "target": num(card.target),
        "na_policy": card.na_policy,
        "fatal_policy": card.fatal_policy,
    }
    if card.description:
        out["description"] = card.description
    out["sections"] = [_section_dict(s) for s in card.sections]
    return out


def _section_dict(s: Section) -> dict:
    out: dict = {"key": s.key, "name": s.name}
    if s.description:
        out["description"] = s.description
    out["questions"] = [_question_dict(q) for q in s.questions]
    return out


def _question_dict(q: Question) -> dict:
    out: dict = {"key": q.key, "text": q.text, "type": q.type}
    if q.weight != 1:
        out["weight"] = num(q.weight)
    for flag in ("allow_na", "critical", "fatal"):
        if getattr(q, flag):
            out[flag] = True
    if q.regulation is not None:
        out["regulation"] = q.regulation
    if q.scale is not None:
        out["scale"] = {
            "min": q.scale.min,
            "max": q.scale.max,
            "pass_at": q.scale.pass_at,
            "anchors": dict(q.scale.anchors),
        }
    if q.options:
        out["options"] = [{"label": o.label, "points": num(o.points)} for o in q.options]
    if q.pass_at is not None:
        out["pass_at"] = num(q.pass_at)
    if q.guidance:
        out["guidance"] = q.guidance
    return out
