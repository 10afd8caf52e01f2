"""Recording a session's finished calibration evaluations in bulk, with their real times.

Evaluators scoring in the app go through ``calibration.start_evaluation`` / ``save_answers`` /
``submit_evaluation``, one action at a time, stamped with the clock. Calibrations that already
happened — the demo's past sessions, a session re-entered from paper — arrive whole with their own
times: one transaction, one audit row per evaluation (``evaluation.record``, naming the session),
answers and notes written with ``executemany``. (``evaluation_import`` does the same for every
other source and leaves calibration to its session, whose rules are checked here.)

Answers are normalised and scored by ``qa_studio.domain.scoring`` exactly as ``save_answers`` and
``submit`` do, so a recorded evaluation stores the same points and percent the screen would.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.scoring import AnswerError, check_answers, score
from qa_studio.domain.timeutil import parse_iso, to_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.calibration_sessions import get_session
from qa_studio.storage.repository.evaluation_records import answer_row, insert_answers_and_notes
from qa_studio.storage.repository.evaluation_records import evaluator as find_evaluator

#: ``(question_key or None, playback seconds or None, text)``.
NoteSpec = tuple[str | None, float | None, str]


@dataclass(frozen=True)
class CalibrationEntry:
    """One submitted calibration evaluation: every question answered; ISO-8601 times."""

    interaction_id: int
    evaluator: str
    answers: Mapping[str, object]
    started_at: str
    submitted_at: str
    notes: Sequence[NoteSpec] = ()
    comment: str | None = None


def _instant(text: str, what: str, where: str) -> str:
    try:
        return to_iso(parse_iso(str(text)))
    except ValueError as exc:
        raise DataRefused(f"{where}: {what} {text!r} is not an ISO-8601 instant ({exc}).") from None


def record_session_evaluations(
    ws: Workspace,
    session_id: int,
    entries: Iterable[CalibrationEntry],
    *,
    rng: random.Random | None = None,
) -> list[int]:
    """Store the entries as submitted evaluations of the open session; return their ids.

    Everything is checked first — the session is open, each evaluator and interaction belongs to
    it, nobody has two evaluations of one interaction, every question is answered, times are in
    order and not before the session opened — and a refusal (naming the entry) stores nothing.
    """
    session = get_session(ws, session_id)
    if not session.is_open:
        raise DataRefused(
            f"calibration session {session.id} ({session.name}) is closed: "
            "no evaluations can be added."
        )
    version = scorecards.get_version(ws, session.scorecard_version_id)
    card = version.card
    externals = dict(session.interactions)
    taken = {
        (int(r[0]), r[1])
        for r in ws.db.execute(
            "SELECT e.interaction_id, ev.name FROM evaluations e "
            "JOIN evaluators ev ON ev.id = e.evaluator_id WHERE e.calibration_session_id = ?",
            [session.id],
        )
    }
    uuids = dict(
        ws.db.execute(
            "SELECT i.id, i.uuid FROM calibration_items ci "
            "JOIN interactions i ON i.id = ci.interaction_id WHERE ci.session_id = ?",
            [session.id],
        ).fetchall()
    )
    prepared = []
    for n, entry in enumerate(entries, start=1):
        where = f"calibration entry {n}"
        if entry.evaluator not in session.evaluators:
            raise DataRefused(
                f"{where}: {entry.evaluator} is not an evaluator in calibration session "
                f"{session.id} ({', '.join(session.evaluators)})."
            )
        if entry.interaction_id not in externals:
            raise DataRefused(
                f"{where}: interaction id {entry.interaction_id} is not in calibration session "
                f"{session.id}."
            )
        where = f"{where} ({externals[entry.interaction_id]} by {entry.evaluator})"
        key = (entry.interaction_id, entry.evaluator)
        if key in taken:
            raise DataRefused(f"{where}: already evaluated in this session.")
        taken.add(key)
        started = _instant(entry.started_at, "started_at", where)
        submitted = _instant(entry.submitted_at, "submitted_at", where)
        if started < session.opened_at:
            raise DataRefused(
                f"{where}: started_at {started} is before the session opened ({session.opened_at})."
            )
        if submitted < started:
            raise DataRefused(f"{where}: submitted_at {submitted} is before started_at {started}.")
        try:
            answers, _missing = check_answers(card, entry.answers, partial=False)
        except AnswerError as exc:
            raise DataRefused(f"{where}: {'; '.join(exc.problems)}", exc.problems) from None
        keys = {q.key for q in card.questions()}
        for key_, _at, text in entry.notes:
            if key_ is not None and key_ not in keys:
                raise DataRefused(f"{where}: a note names question '{key_}', not on {version.ref}.")
            if not (text or "").strip():
                raise DataRefused(f"{where}: a note has no text.")
        who = find_evaluator(ws, entry.evaluator)
        prepared.append((entry, who, answers, score(card, answers), started, submitted))

    ids: list[int] = []
    answer_rows: list[tuple] = []
    note_rows: list[tuple] = []
    with ws.db.atomic():
        for entry, who, answers, result, started, submitted in prepared:
            uuid = new_uuid(rng)
            comment = (entry.comment or "").strip() or None
            cur = ws.db.execute(
                "INSERT INTO evaluations (uuid, interaction_id, scorecard_version_id, "
                "evaluator_id, calibration_session_id, source, status, revision, score, "
                "max_score, percent, fatal, comment, started_at, updated_at, submitted_at) "
                "VALUES (?, ?, ?, ?, ?, 'calibration', 'submitted', 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    uuid,
                    entry.interaction_id,
                    version.id,
                    who.id,
                    session.id,
                    result.score,
                    result.max_score,
                    result.percent,
                    int(result.fatal),
                    comment,
                    started,
                    submitted,
                    submitted,
                ],
            )
            evaluation_id = int(cur.lastrowid)
            ids.append(evaluation_id)
            answer_rows.extend(
                answer_row(evaluation_id, key, value, result.answers[key], rng)
                for key, value in answers.items()
            )
            for key, at_s, body in entry.notes:
                note_rows.append(
                    (new_uuid(rng), evaluation_id, key, at_s, body.strip(), who.name, started)
                )
            audit.append(
                ws,
                "evaluation.record",
                "evaluation",
                uuid,
                {
                    "interaction": uuids[entry.interaction_id],
                    "scorecard_version": version.uuid,
                    "evaluator": who.uuid,
                    "source": "calibration",
                    "calibration_session": session.uuid,
                    "status": "submitted",
                    "answers": dict(answers),
                    "notes": len(entry.notes),
                    "comment": comment,
                    "score": result.score,
                    "max_score": result.max_score,
                    "percent": result.percent,
                    "fatal": result.fatal,
                    "started_at": started,
                    "submitted_at": submitted,
                },
                actor=who.name,
            )
        insert_answers_and_notes(ws, answer_rows, note_rows)
    return ids
