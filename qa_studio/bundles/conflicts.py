"""Conflicts the lead resolves: both versions side by side, then keep mine or take theirs.

A conflict is an evaluation changed on both sides since they last agreed (see
``merge_evaluations``). ``detail`` gives the resolver screen everything it shows — the two
versions' status, score and comment, each question's two answers in form order with the ones
that differ marked, and both sets of notes. ``resolve`` is one audited transaction: "theirs"
makes the stored evaluation exactly the incoming version (signed-off or not); "mine" keeps it.
Either way the incoming version becomes the new common version, so importing the same bundle
again does not raise the conflict again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from qa_studio.bundles.merge_evaluations import Form, load_form, replace, set_base
from qa_studio.bundles.records import shapes
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused, UsageError
from qa_studio.scorecards.schema import Question, Scorecard
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.evaluation_records import evaluator as find_evaluator
from qa_studio.storage.repository.evaluation_records import value_from_text

CHOICES = ("mine", "theirs")
#: The evaluation-level facts the resolver compares.
COMPARED = (
    "status",
    "revision",
    "score",
    "max_score",
    "percent",
    "fatal",
    "comment",
    "scorecard",
    "evaluator",
    "submitted_at",
    "signed_by",
    "signed_at",
)


@dataclass(frozen=True)
class Side:
    """One version of the evaluation, as the resolver shows it."""

    status: str
    revision: int
    score: float | None
    max_score: float | None
    percent: float | None
    fatal: bool
    comment: str | None
    scorecard: str
    evaluator: str
    updated_at: str | None
    submitted_at: str | None
    signed_by: str | None
    signed_at: str | None
    answers: dict[str, object]
    points: dict[str, float | None]
    notes: tuple[dict, ...]

    def as_dict(self) -> dict:
        return asdict(self) | {"notes": [dict(n) for n in self.notes]}


def _question(card: Scorecard, key: str) -> Question | None:
    try:
        return card.question(key)
    except KeyError:
        return None


def side(ws: Workspace, form: Form) -> Side:
    e = form.evaluation
    version = scorecards.get_version(ws, int(e["scorecard_version_id"]))
    who = ws.db.execute("SELECT name FROM evaluators WHERE id = ?", [e["evaluator_id"]]).fetchone()
    return Side(
        status=str(e["status"]),
        revision=int(e["revision"] or 1),
        score=e["score"],
        max_score=e["max_score"],
        percent=e["percent"],
        fatal=bool(e["fatal"]),
        comment=e["comment"],
        scorecard=version.ref,
        evaluator=who[0] if who else "?",
        updated_at=e.get("updated_at"),
        submitted_at=e["submitted_at"],
        signed_by=e["signed_by"],
        signed_at=e["signed_at"],
        answers={
            a["question_key"]: value_from_text(
                _question(version.card, a["question_key"]), a["value"], a["na"]
            )
            for a in form.answers
        },
        points={a["question_key"]: a["points"] for a in form.answers},
        notes=tuple(
            {k: n[k] for k in ("uuid", "question_key", "at_s", "text", "author", "created_at")}
            for n in form.notes
        ),
    )


@dataclass(frozen=True)
class ConflictSummary:
    id: int | None
    uuid: str | None
    evaluation_id: int
    evaluation_uuid: str
    interaction: str
    kind: str
    status: str
    detected_at: str
    bundle_uuid: str
    origin_name: str
    resolved_by: str | None
    resolved_at: str | None
    mine: Side
    theirs: Side

    def as_dict(self) -> dict:
        return asdict(self) | {"mine": self.mine.as_dict(), "theirs": self.theirs.as_dict()}


@dataclass(frozen=True)
class QuestionDiff:
    key: str
    section: str
    text: str
    mine: object
    theirs: object
    mine_points: float | None
    theirs_points: float | None
    differs: bool


@dataclass(frozen=True)
class ConflictDetail:
    conflict: ConflictSummary
    questions: tuple[QuestionDiff, ...]
    #: Evaluation fields whose values differ: ``(field, mine, theirs)``.
    fields: tuple[tuple[str, object, object], ...]

    def as_dict(self) -> dict:
        return {
            "conflict": self.conflict.as_dict(),
            "questions": [asdict(q) for q in self.questions],
            "fields": [{"field": f, "mine": m, "theirs": t} for f, m, t in self.fields],
        }


_SELECT = (
    "SELECT c.id, c.uuid, c.evaluation_id, e.uuid, i.external_id, c.kind, c.status, "
    "c.detected_at, b.bundle_uuid, b.origin_name, c.resolved_by, c.resolved_at, c.theirs "
    "FROM bundle_conflicts c JOIN evaluations e ON e.id = c.evaluation_id "
    "JOIN interactions i ON i.id = e.interaction_id JOIN bundle_imports b ON b.id = c.import_id"
)


def _summary(ws: Workspace, row: tuple, all_shapes: dict) -> ConflictSummary:
    mine = load_form(ws, all_shapes, int(row[2]))
    theirs = Form.from_json(json.loads(row[12]))
    return ConflictSummary(
        int(row[0]),
        row[1],
        int(row[2]),
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        side(ws, mine),
        side(ws, theirs),
    )


def list_conflicts(ws: Workspace, status: str | None = "open") -> list[ConflictSummary]:
    """Conflicts by detection time; ``status=None`` lists resolved ones too."""
    where, params = ("WHERE c.status = ?", [status]) if status else ("", [])
    rows = ws.db.execute(f"{_SELECT} {where} ORDER BY c.id", params).fetchall()
    all_shapes = shapes(ws.db)
    return [_summary(ws, r, all_shapes) for r in rows]


def get_conflict(ws: Workspace, conflict_id: int) -> ConflictSummary:
    row = ws.db.execute(f"{_SELECT} WHERE c.id = ?", [conflict_id]).fetchone()
    if row is None:
        raise DataRefused(f"there is no bundle conflict with id {conflict_id}.")
    return _summary(ws, row, shapes(ws.db))


def _questions(cards: list[Scorecard], mine: Side, theirs: Side) -> tuple[QuestionDiff, ...]:
    out, seen = [], set()
    for card in cards:
        for section in card.sections:
            for q in section.questions:
                if q.key in seen:
                    continue
                seen.add(q.key)
                a, b = mine.answers.get(q.key), theirs.answers.get(q.key)
                pa, pb = mine.points.get(q.key), theirs.points.get(q.key)
                out.append(QuestionDiff(q.key, section.name, q.text, a, b, pa, pb, a != b))
    return tuple(out)


def detail(ws: Workspace, conflict_id: int) -> ConflictDetail:
    """Both versions side by side, question by question, for the resolver."""
    summary = get_conflict(ws, conflict_id)
    mine, theirs = summary.mine, summary.theirs
    cards = [scorecards.find(ws, mine.scorecard).card]
    if theirs.scorecard != mine.scorecard:
        cards.append(scorecards.find(ws, theirs.scorecard).card)
    fields = tuple(
        (f, getattr(mine, f), getattr(theirs, f))
        for f in COMPARED
        if getattr(mine, f) != getattr(theirs, f)
    )
    if mine.notes != theirs.notes:
        fields += (("notes", len(mine.notes), len(theirs.notes)),)
    return ConflictDetail(summary, _questions(cards, mine, theirs), fields)


def resolve(
    ws: Workspace, conflict_id: int, keep: str, *, by: str | None = None
) -> ConflictSummary:
    """Keep ``"mine"`` or take ``"theirs"``: one transaction with its audit row.

    ``by`` names the QA lead resolving it (checked); without it the workspace's actor is used.
    """
    if keep not in CHOICES:
        raise UsageError(f"keep must be one of: {', '.join(CHOICES)} (got '{keep}').")
    actor = ws.actor
    if by is not None:
        who = find_evaluator(ws, by)
        if who.role != "qa_lead":
            raise DataRefused(f"{who.name} is not a QA lead: only a QA lead resolves conflicts.")
        actor = who.name
    all_shapes = shapes(ws.db)
    with ws.db.atomic():
        row = ws.db.execute(
            "SELECT c.uuid, c.evaluation_id, e.uuid, c.status, c.kind, c.theirs, "
            "c.theirs_digest, c.import_id, c.resolved_by, c.resolved_at FROM bundle_conflicts c "
            "JOIN evaluations e ON e.id = c.evaluation_id WHERE c.id = ?",
            [conflict_id],
        ).fetchone()
        if row is None:
            raise DataRefused(f"there is no bundle conflict with id {conflict_id}.")
        uuid, evaluation_id, evaluation_uuid, status, kind, theirs_json = row[:6]
        if status != "open":
            raise DataRefused(
                f"conflict {conflict_id} was already resolved ({status.replace('_', ' ')} "
                f"by {row[8]} at {row[9]})."
            )
        mine = load_form(ws, all_shapes, int(evaluation_id))
        theirs = Form.from_json(json.loads(theirs_json))
        replaced = None
        if keep == "theirs":
            before = side(ws, mine)
            replaced = {
                "status": before.status,
                "revision": before.revision,
                "percent": before.percent,
                "answers": before.answers,
                "comment": before.comment,
                "notes": [n["uuid"] for n in before.notes],
            }
            replace(ws, int(evaluation_id), theirs, f"conflict {conflict_id}")
        set_base(ws, int(evaluation_id), row[6], row[7])
        now = utcnow_iso()
        ws.db.execute(
            "UPDATE bundle_conflicts SET status = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
            ["kept_mine" if keep == "mine" else "took_theirs", actor, now, conflict_id],
        )
        audit.append(
            ws,
            "bundle.conflict_resolve",
            "evaluation",
            evaluation_uuid,
            {
                "conflict": uuid,
                "kind": kind,
                "kept": keep,
                "mine_digest": mine.digest(),
                "theirs_digest": row[6],
                "replaced": replaced,
            },
            actor=actor,
        )
    return get_conflict(ws, conflict_id)
