"""Writing an evaluation's content: starting a draft, answers, the comment and notes.

Every function is one user action: one transaction holding the change and its audit row, so a
crash or an error leaves neither — the scoring screen autosaves through ``save_answer`` on every
change, so a crash loses at most the answer being typed. Whether the evaluation may still change is
decided by ``qa_studio.domain.lifecycle``; points come from ``qa_studio.domain.scoring`` so the
running score on screen, the stored score and what-if re-scoring agree.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass

from qa_studio.domain import lifecycle
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import EVALUATION_SOURCES
from qa_studio.domain.scoring import ScoreResult, normalise_answer, score
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.scorecards.schema import Scorecard
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.evaluation_records import (
    INSERT_ANSWER_SQL,
    INSERT_NOTE_SQL,
    EvaluationRecord,
    Note,
    answer_row,
    get,
    stored_answers,
)
from qa_studio.storage.repository.evaluation_records import (
    evaluator as find_evaluator,
)


@dataclass(frozen=True)
class State:
    id: int
    uuid: str
    status: str
    revision: int
    version_id: int
    evaluator_id: int
    evaluator: str
    role: str


def load_state(ws: Workspace, evaluation_id: int) -> State:
    """The evaluation's lifecycle facts, read before every write to it.

    An evaluation of a closed calibration session is refused here, with a message, rather than
    by the database trigger of migration m006 with an SQLite error."""
    row = ws.db.execute(
        "SELECT e.id, e.uuid, e.status, e.revision, e.scorecard_version_id, e.evaluator_id, "
        "ev.name, ev.role, cs.id, cs.name, cs.closed_at FROM evaluations e "
        "JOIN evaluators ev ON ev.id = e.evaluator_id "
        "LEFT JOIN calibration_sessions cs ON cs.id = e.calibration_session_id WHERE e.id = ?",
        [evaluation_id],
    ).fetchone()
    if row is None:
        raise DataRefused(f"there is no evaluation with id {evaluation_id}.")
    if row[10] is not None:
        raise DataRefused(
            f"evaluation {evaluation_id} belongs to calibration session {row[8]} ({row[9]}), "
            f"closed at {row[10]}: it can no longer change."
        )
    return State(int(row[0]), row[1], row[2], int(row[3]), int(row[4]), int(row[5]), row[6], row[7])


def store_score(ws: Workspace, evaluation_id: int, result: ScoreResult, now: str) -> None:
    ws.db.execute(
        "UPDATE evaluations SET score = ?, max_score = ?, percent = ?, fatal = ?, updated_at = ? "
        "WHERE id = ?",
        [result.score, result.max_score, result.percent, int(result.fatal), now, evaluation_id],
    )


def _uuid_of(ws: Workspace, table: str, row_id: int | None, what: str) -> str | None:
    if row_id is None:
        return None
    # ``table`` is one of the fixed names passed below, never user input.
    row = ws.db.execute(f"SELECT uuid FROM {table} WHERE id = ?", [row_id]).fetchone()
    if row is None:
        raise DataRefused(f"there is no {what} with id {row_id}.")
    return row[0]


def start(
    ws: Workspace,
    interaction_id: int,
    version_id: int,
    evaluator: str,
    *,
    source: str = "ad_hoc",
    sample_id: int | None = None,
    calibration_session_id: int | None = None,
    rng: random.Random | None = None,
) -> EvaluationRecord:
    """A new draft evaluation of the interaction against the version; audited."""
    if source not in EVALUATION_SOURCES:
        raise DataRefused(
            f"unknown evaluation source '{source}' (one of: {', '.join(EVALUATION_SOURCES)})."
        )
    who = find_evaluator(ws, evaluator)
    lifecycle.require("create", None, role=who.role, is_owner=True, who=who.name)
    version = scorecards.get_version(ws, version_id)
    interaction_uuid = _uuid_of(ws, "interactions", interaction_id, "interaction")
    sample_uuid = _uuid_of(ws, "samples", sample_id, "sample")
    session_uuid = _uuid_of(
        ws, "calibration_sessions", calibration_session_id, "calibration session"
    )
    clash = ws.db.execute(
        "SELECT id FROM evaluations WHERE interaction_id = ? AND evaluator_id = ? AND "
        "status = 'draft' AND scorecard_version_id = ? AND calibration_session_id IS ?",
        [interaction_id, who.id, version_id, calibration_session_id],
    ).fetchone()
    if clash is not None:
        raise DataRefused(
            f"{who.name} already has draft evaluation {clash[0]} of this interaction "
            f"on {version.ref}; continue that one."
        )
    now = utcnow_iso()
    evaluation_uuid = new_uuid(rng)
    with ws.db.atomic():
        cur = ws.db.execute(
            "INSERT INTO evaluations (uuid, interaction_id, scorecard_version_id, evaluator_id, "
            "sample_id, calibration_session_id, source, status, revision, fatal, started_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', 1, 0, ?, ?)",
            [
                evaluation_uuid,
                interaction_id,
                version_id,
                who.id,
                sample_id,
                calibration_session_id,
                source,
                now,
                now,
            ],
        )
        audit.append(
            ws,
            "evaluation.create",
            "evaluation",
            evaluation_uuid,
            {
                "interaction": interaction_uuid,
                "scorecard_version": version.uuid,
                "evaluator": who.uuid,
                "source": source,
                "sample": sample_uuid,
                "calibration_session": session_uuid,
            },
            actor=who.name,
        )
    return get(ws, int(cur.lastrowid))


def _question(card: Scorecard, ref: str, key: str):
    try:
        return card.question(key)
    except KeyError:
        raise DataRefused(f"scorecard {ref} has no question '{key}'.") from None


def _save_one(
    ws: Workspace,
    st: State,
    card: Scorecard,
    ref: str,
    answers: dict[str, object],
    key: str,
    value: object,
    rng: random.Random | None,
) -> bool:
    """Apply one answer change inside the caller's transaction; False when nothing changed."""
    q = _question(card, ref, key)
    if value is None:
        if key not in answers:
            return False
        if st.status != lifecycle.DRAFT:
            raise DataRefused(
                f"evaluation {st.id} is {lifecycle.label(st.status)}: every question "
                f"must stay answered, so '{key}' cannot be cleared; change it instead."
            )
        del answers[key]
        ws.db.execute(
            "DELETE FROM answers WHERE evaluation_id = ? AND question_key = ?", [st.id, key]
        )
    else:
        try:
            normalised = normalise_answer(q, value)
        except ValueError as exc:
            raise DataRefused(f"evaluation {st.id}: {exc}") from None
        if answers.get(key) == normalised:
            return False
        answers[key] = normalised
        scored = score(card, answers, partial=True).answers[key]
        ws.db.execute(
            f"{INSERT_ANSWER_SQL} ON CONFLICT (evaluation_id, question_key) DO "
            "UPDATE SET value = excluded.value, na = excluded.na, points = excluded.points, "
            "max_points = excluded.max_points, failed = excluded.failed",
            answer_row(st.id, key, normalised, scored, rng),
        )
        value = normalised
    audit.append(
        ws,
        "evaluation.answer",
        "evaluation",
        st.uuid,
        {"key": key, "value": value},
        actor=st.evaluator,
    )
    return True


def save_answers(
    ws: Workspace,
    evaluation_id: int,
    values: Mapping[str, object],
    *,
    rng: random.Random | None = None,
) -> EvaluationRecord:
    """Save several answers as one action (one transaction, one audit row per changed answer)."""
    with ws.db.atomic():
        st = load_state(ws, evaluation_id)
        lifecycle.require_editable(st.status, "answers")
        version = scorecards.get_version(ws, st.version_id)
        answers = stored_answers(ws, st.id, version.card)
        changed = False
        for key, value in values.items():
            changed |= _save_one(ws, st, version.card, version.ref, answers, key, value, rng)
        if changed:
            store_score(
                ws,
                st.id,
                score(version.card, answers, partial=st.status == lifecycle.DRAFT),
                utcnow_iso(),
            )
    return get(ws, evaluation_id)


def save_answer(
    ws: Workspace,
    evaluation_id: int,
    question_key: str,
    value: object,
    *,
    rng: random.Random | None = None,
) -> EvaluationRecord:
    """Autosave one answer (``None`` clears it in a draft); the running score is kept on the row.

    Allowed while the evaluation is a draft or submitted (not yet signed); a submitted evaluation's
    score is recomputed in full so it stays what the scoring engine says.
    """
    return save_answers(ws, evaluation_id, {question_key: value}, rng=rng)


def set_comment(ws: Workspace, evaluation_id: int, text: str | None) -> EvaluationRecord:
    """The evaluation's overall comment (blank clears it); audited."""
    comment = (text or "").strip() or None
    with ws.db.atomic():
        st = load_state(ws, evaluation_id)
        lifecycle.require_editable(st.status, "comment")
        old = ws.db.execute("SELECT comment FROM evaluations WHERE id = ?", [st.id]).fetchone()[0]
        if old != comment:
            ws.db.execute(
                "UPDATE evaluations SET comment = ?, updated_at = ? WHERE id = ?",
                [comment, utcnow_iso(), st.id],
            )
            audit.append(
                ws,
                "evaluation.comment",
                "evaluation",
                st.uuid,
                {"comment": comment},
                actor=st.evaluator,
            )
    return get(ws, evaluation_id)


def add_note(
    ws: Workspace,
    evaluation_id: int,
    text: str,
    *,
    question_key: str | None = None,
    at_s: float | None = None,
    rng: random.Random | None = None,
) -> Note:
    """A comment on the evaluation or one question, optionally stamped with a playback time."""
    body = (text or "").strip()
    if not body:
        raise DataRefused("a note needs some text.")
    if at_s is not None:
        if (
            isinstance(at_s, bool)
            or not isinstance(at_s, int | float)
            or not math.isfinite(at_s)
            or at_s < 0
        ):
            raise DataRefused(f"note time {at_s!r} must be a number of seconds ≥ 0.")
        at_s = float(at_s)
    with ws.db.atomic():
        st = load_state(ws, evaluation_id)
        lifecycle.require_editable(st.status, "notes")
        if question_key is not None:
            version = scorecards.get_version(ws, st.version_id)
            _question(version.card, version.ref, question_key)
        note_uuid = new_uuid(rng)
        now = utcnow_iso()
        cur = ws.db.execute(
            INSERT_NOTE_SQL,
            [note_uuid, st.id, question_key, at_s, body, st.evaluator, now],
        )
        ws.db.execute("UPDATE evaluations SET updated_at = ? WHERE id = ?", [now, st.id])
        audit.append(
            ws,
            "evaluation.note",
            "evaluation",
            st.uuid,
            {"note": note_uuid, "question_key": question_key, "at_s": at_s},
            actor=st.evaluator,
        )
    return Note(int(cur.lastrowid), note_uuid, question_key, at_s, body, st.evaluator, now)
