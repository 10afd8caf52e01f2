"""Reading evaluations: the records the scoring screen, the CLI and the reports work from.

Answers are stored one row per question (answer-level storage) as plain text — ``yes``/``no``/
``na``, the scale value, the option label — so SQL reports can read them directly; reading turns
scale values back into ints by the question's type in the evaluation's own scorecard version.
Answers to questions the version does not have (kept when an evaluation was migrated to a version
without them) stay in the table for re-scoring but are not part of the record's ``answers``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.scoring import AnswerScore
from qa_studio.errors import DataRefused
from qa_studio.scorecards.schema import Question, Scorecard
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import scorecards

NA = "na"

_COLUMNS = (
    "e.id, e.uuid, e.interaction_id, i.external_id, e.scorecard_version_id, e.evaluator_id, "
    "ev.name, e.status, e.revision, e.source, e.sample_id, e.calibration_session_id, e.score, "
    "e.max_score, e.percent, e.fatal, e.comment, e.started_at, e.updated_at, e.submitted_at, "
    "e.signed_by, e.signed_at, e.acknowledged_by, e.acknowledged_at"
)
_FROM = (
    "FROM evaluations e JOIN interactions i ON i.id = e.interaction_id "
    "JOIN evaluators ev ON ev.id = e.evaluator_id"
)


@dataclass(frozen=True)
class Note:
    id: int
    uuid: str
    question_key: str | None
    at_s: float | None
    text: str
    author: str | None
    created_at: str


@dataclass(frozen=True)
class EvaluationRecord:
    id: int
    uuid: str
    interaction_id: int
    interaction_external_id: str
    scorecard_version_id: int
    evaluator_id: int
    evaluator: str
    status: str
    revision: int
    source: str
    sample_id: int | None
    calibration_session_id: int | None
    score: float | None
    max_score: float | None
    percent: float | None
    fatal: bool
    comment: str | None
    answers: dict[str, object]
    notes: tuple[Note, ...]
    started_at: str
    updated_at: str
    submitted_at: str | None
    signed_by: str | None
    signed_at: str | None
    acknowledged_by: str | None
    acknowledged_at: str | None

    def as_dict(self) -> dict:
        """JSON shape for the CLI (percent rounded to 2 dp like every score shown)."""
        return {
            "id": self.id,
            "uuid": self.uuid,
            "interaction": self.interaction_external_id,
            "scorecard_version_id": self.scorecard_version_id,
            "evaluator": self.evaluator,
            "status": self.status,
            "revision": self.revision,
            "source": self.source,
            "score": None if self.score is None else round(self.score, 4),
            "max_score": None if self.max_score is None else round(self.max_score, 4),
            "percent": None if self.percent is None else round(self.percent, 2),
            "fatal": self.fatal,
            "comment": self.comment,
            "answers": dict(self.answers),
            "notes": [
                {"question_key": n.question_key, "at_s": n.at_s, "text": n.text, "author": n.author}
                for n in self.notes
            ],
            "started_at": self.started_at,
            "submitted_at": self.submitted_at,
            "signed_by": self.signed_by,
            "signed_at": self.signed_at,
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": self.acknowledged_at,
        }


def value_to_text(value: object) -> tuple[str, int]:
    """A normalised answer as stored: ``(value text, na flag)``."""
    if value == NA:
        return NA, 1
    return str(value), 0


#: One answer row, in the column order ``answer_row`` gives.
INSERT_ANSWER_SQL = (
    "INSERT INTO answers (uuid, evaluation_id, question_key, value, na, points, max_points, "
    "failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)

#: One note row: ``(uuid, evaluation_id, question_key, at_s, text, author, created_at)``.
INSERT_NOTE_SQL = (
    "INSERT INTO answer_notes (uuid, evaluation_id, question_key, at_s, text, author, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def insert_answers_and_notes(ws: Workspace, answer_rows: list, note_rows: list) -> None:
    """Write a batch's answer rows (``answer_row``) and note rows in two statements."""
    ws.db.conn.executemany(INSERT_ANSWER_SQL, answer_rows)
    ws.db.conn.executemany(INSERT_NOTE_SQL, note_rows)


def answer_row(
    evaluation_id: int, key: str, value: object, scored: AnswerScore, rng: random.Random | None
) -> tuple:
    """The ``answers`` row for one normalised answer and its score (``INSERT_ANSWER_SQL``)."""
    text, na = value_to_text(value)
    return (new_uuid(rng), evaluation_id, key, text, na, scored.points, scored.max_points,
            int(scored.failed))  # fmt: skip


def value_from_text(q: Question | None, text: str | None, na: int) -> object:
    if na:
        return NA
    if q is not None and q.type == "scale" and text is not None:
        try:
            return int(text)
        except ValueError:
            return text
    return text


class CardCache:
    """Parsed scorecard versions for the length of one call (parsing YAML is the costly part)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._cards: dict[int, scorecards.ScorecardVersion] = {}

    def version(self, version_id: int) -> scorecards.ScorecardVersion:
        if version_id not in self._cards:
            self._cards[version_id] = scorecards.get_version(self.ws, version_id)
        return self._cards[version_id]

    def card(self, version_id: int) -> Scorecard:
        return self.version(version_id).card


def stored_answers(ws: Workspace, evaluation_id: int, card: Scorecard) -> dict[str, object]:
    """The evaluation's answers to ``card``'s questions, in form order."""
    rows = ws.db.execute(
        "SELECT question_key, value, na FROM answers WHERE evaluation_id = ?", [evaluation_id]
    ).fetchall()
    by_key = {r[0]: r for r in rows}
    out: dict[str, object] = {}
    for q in card.questions():
        if q.key in by_key:
            out[q.key] = value_from_text(q, by_key[q.key][1], by_key[q.key][2])
    return out


def _notes(ws: Workspace, ids: list[int]) -> dict[int, list[Note]]:
    out: dict[int, list[Note]] = {i: [] for i in ids}
    if not ids:
        return out
    marks = ", ".join("?" * len(ids))
    for r in ws.db.execute(
        "SELECT evaluation_id, id, uuid, question_key, at_s, text, author, created_at "
        f"FROM answer_notes WHERE evaluation_id IN ({marks}) ORDER BY id",
        ids,
    ):
        out[r[0]].append(Note(int(r[1]), r[2], r[3], r[4], r[5], r[6], r[7]))
    return out


def _records(
    ws: Workspace, where: str, params: list, order: str = "e.id"
) -> list[EvaluationRecord]:
    rows = ws.db.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE {where} ORDER BY {order}", params
    ).fetchall()
    if not rows:
        return []
    cards = CardCache(ws)
    ids = [int(r[0]) for r in rows]
    notes = _notes(ws, ids)
    out = []
    for r in rows:
        card = cards.card(int(r[4]))
        out.append(
            EvaluationRecord(
                id=int(r[0]),
                uuid=r[1],
                interaction_id=int(r[2]),
                interaction_external_id=r[3],
                scorecard_version_id=int(r[4]),
                evaluator_id=int(r[5]),
                evaluator=r[6],
                status=r[7],
                revision=int(r[8]),
                source=r[9],
                sample_id=r[10],
                calibration_session_id=r[11],
                score=r[12],
                max_score=r[13],
                percent=r[14],
                fatal=bool(r[15]),
                comment=r[16],
                answers=stored_answers(ws, int(r[0]), card),
                notes=tuple(notes[int(r[0])]),
                started_at=r[17],
                updated_at=r[18],
                submitted_at=r[19],
                signed_by=r[20],
                signed_at=r[21],
                acknowledged_by=r[22],
                acknowledged_at=r[23],
            )
        )
    return out


def get(ws: Workspace, evaluation_id: int) -> EvaluationRecord:
    found = _records(ws, "e.id = ?", [evaluation_id])
    if not found:
        raise DataRefused(f"there is no evaluation with id {evaluation_id}.")
    return found[0]


def find_draft(
    ws: Workspace, interaction_id: int, evaluator: str, *, scorecard_key: str | None = None
) -> EvaluationRecord | None:
    """The evaluator's latest draft on the interaction (on ``scorecard_key`` when given)."""
    where = "e.interaction_id = ? AND ev.name = ? AND e.status = 'draft'"
    params: list = [interaction_id, evaluator]
    if scorecard_key is not None:
        where += (
            " AND e.scorecard_version_id IN (SELECT v.id FROM scorecard_versions v "
            "JOIN scorecards s ON s.id = v.scorecard_id WHERE s.key = ?)"
        )
        params.append(scorecard_key)
    found = _records(ws, where, params, order="e.id DESC")
    return found[0] if found else None


def drafts(ws: Workspace, evaluator: str) -> list[EvaluationRecord]:
    """The evaluator's unfinished evaluations, oldest first: their ad hoc scoring queue."""
    return _records(
        ws, "ev.name = ? AND e.status = 'draft'", [evaluator], order="e.started_at, e.id"
    )


def list_for_interaction(ws: Workspace, interaction_id: int) -> list[EvaluationRecord]:
    return _records(ws, "e.interaction_id = ?", [interaction_id])


@dataclass(frozen=True)
class EvaluatorRef:
    id: int
    uuid: str
    name: str
    role: str


def evaluator(ws: Workspace, name: str) -> EvaluatorRef:
    """Look an evaluator up by name; ``DataRefused`` naming the unknown one and the known ones."""
    row = ws.db.execute(
        "SELECT id, uuid, name, role FROM evaluators WHERE name = ?", [name]
    ).fetchone()
    if row is not None:
        return EvaluatorRef(int(row[0]), row[1], row[2], row[3])
    known = [r[0] for r in ws.db.execute("SELECT name FROM evaluators ORDER BY name LIMIT 20")]
    raise DataRefused(
        f"unknown evaluator '{name}' (known: {', '.join(known) if known else 'none yet'}).",
        ["Add them first: qa-studio --db FILE evaluators add NAME [--role qa_lead]"],
    )
