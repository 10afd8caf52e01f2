"""Recording finished (or started) evaluations in bulk, with the times they really happened.

The scoring screen writes an evaluation one action at a time (``start``, ``save_answer``,
``submit``, ``sign_off``), each stamped with the clock. Evaluations that already exist elsewhere —
another team's bundle, the demo's six months of history — arrive whole, with their own times, and
thousands at once: one transaction and one audit row per evaluation (``evaluation.record``) instead
of twenty, and answers and notes written with ``executemany``.

There is still one scoring path: answers are normalised and scored by
``qa_studio.domain.scoring.score`` exactly as ``save_answers``/``submit`` do, so a recorded
evaluation stores the same points, score and percent the screen would have stored. The lifecycle
rules are the same too (``qa_studio.domain.lifecycle``): only the evaluator or a QA lead signs off,
a submitted evaluation answers every question, a draft may be partial.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from qa_studio.domain import lifecycle
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import EVALUATION_SOURCES
from qa_studio.domain.scoring import AnswerError, ScoreResult, score
from qa_studio.domain.timeutil import parse_iso, to_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository.evaluation_records import (
    CardCache,
    EvaluatorRef,
    answer_row,
    insert_answers_and_notes,
)
from qa_studio.storage.repository.evaluation_records import (
    evaluator as find_evaluator,
)

#: The statuses an evaluation can be recorded in; disputes and finals have their own workflow.
RECORDABLE = (lifecycle.DRAFT, lifecycle.SUBMITTED, lifecycle.SIGNED_OFF)

Instant = str | datetime
#: ``(question_key or None, playback seconds or None, text)``.
NoteSpec = tuple[str | None, float | None, str]


@dataclass(frozen=True)
class EvaluationImport:
    """One evaluation to record. Times are ISO-8601 text or aware datetimes; ``signed_by``
    defaults to the evaluator; notes are stamped ``created_at = started_at``."""

    interaction_id: int
    version_id: int
    evaluator: str
    answers: Mapping[str, object]
    started_at: Instant
    status: str = lifecycle.SIGNED_OFF
    submitted_at: Instant | None = None
    signed_at: Instant | None = None
    signed_by: str | None = None
    notes: Sequence[NoteSpec] = ()
    comment: str | None = None
    source: str = "ad_hoc"
    sample_id: int | None = None


@dataclass
class _Prepared:
    item: EvaluationImport
    who: EvaluatorRef
    signer: EvaluatorRef | None
    version_uuid: str
    interaction_uuid: str
    sample_uuid: str | None
    answers: dict[str, object]
    result: ScoreResult
    started_at: str
    submitted_at: str | None
    signed_at: str | None
    notes: list[tuple[str | None, float | None, str]] = field(default_factory=list)
    comment: str | None = None


class _Lookups:
    """Evaluators, interactions and samples looked up once per batch."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cards = CardCache(ws)
        self._people: dict[str, EvaluatorRef] = {}

    def person(self, name: str) -> EvaluatorRef:
        if name not in self._people:
            self._people[name] = find_evaluator(self.ws, name)
        return self._people[name]

    def row(self, table: str, row_id: int, what: str) -> tuple:
        # ``table`` is one of the fixed names used below, never user input.
        columns = "uuid, external_id" if table == "interactions" else "uuid, name"
        found = self.ws.db.execute(
            f"SELECT {columns} FROM {table} WHERE id = ?", [row_id]
        ).fetchone()
        if found is None:
            raise DataRefused(f"there is no {what} with id {row_id}.")
        return found


def _instant(value: Instant | None, what: str, where: str) -> str | None:
    if value is None:
        return None
    try:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("a time zone is required")
            return to_iso(value)
        return to_iso(parse_iso(str(value)))
    except ValueError as exc:
        raise DataRefused(
            f"{where}: {what} {value!r} is not an ISO-8601 instant ({exc})."
        ) from None


def _times(item: EvaluationImport, where: str) -> tuple[str, str | None, str | None]:
    started = _instant(item.started_at, "started_at", where)
    submitted = _instant(item.submitted_at, "submitted_at", where)
    signed = _instant(item.signed_at, "signed_at", where)
    assert started is not None
    if item.status == lifecycle.DRAFT and (submitted or signed):
        raise DataRefused(f"{where}: a draft has no submitted_at or signed_at.")
    if item.status != lifecycle.DRAFT and submitted is None:
        raise DataRefused(
            f"{where}: a {item.status.replace('_', ' ')} evaluation needs submitted_at."
        )
    if item.status == lifecycle.SIGNED_OFF and signed is None:
        raise DataRefused(f"{where}: a signed-off evaluation needs signed_at.")
    if item.status == lifecycle.SUBMITTED and signed is not None:
        raise DataRefused(f"{where}: a submitted evaluation is not signed yet; drop signed_at.")
    # Stored instants share one format, so text order is time order.
    if submitted is not None and submitted < started:
        raise DataRefused(f"{where}: submitted_at {submitted} is before started_at {started}.")
    if signed is not None and submitted is not None and signed < submitted:
        raise DataRefused(f"{where}: signed_at {signed} is before submitted_at {submitted}.")
    return started, submitted, signed


def _notes(
    item: EvaluationImport, card_keys: set[str], ref: str, where: str
) -> list[tuple[str | None, float | None, str]]:
    out = []
    for n, (key, at_s, text) in enumerate(item.notes, start=1):
        body = (text or "").strip()
        if not body:
            raise DataRefused(f"{where}: note {n} has no text.")
        if key is not None and key not in card_keys:
            raise DataRefused(f"{where}: note {n}: scorecard {ref} has no question '{key}'.")
        if at_s is not None:
            if (
                isinstance(at_s, bool)
                or not isinstance(at_s, int | float)
                or not math.isfinite(at_s)
                or at_s < 0
            ):
                raise DataRefused(
                    f"{where}: note {n}: time {at_s!r} must be a number of seconds ≥ 0."
                )
            at_s = float(at_s)
        out.append((key, at_s, body))
    return out


def _prepare(look: _Lookups, item: EvaluationImport, where: str) -> _Prepared:
    if item.status not in RECORDABLE:
        raise DataRefused(
            f"{where}: status '{item.status}' cannot be recorded (one of: {', '.join(RECORDABLE)})."
        )
    if item.source not in EVALUATION_SOURCES or item.source == "calibration":
        allowed = [s for s in EVALUATION_SOURCES if s != "calibration"]
        raise DataRefused(
            f"{where}: source '{item.source}' cannot be recorded here (one of: "
            f"{', '.join(allowed)}; calibration evaluations belong to their session)."
        )
    who = look.person(item.evaluator)
    lifecycle.require("create", None, role=who.role, is_owner=True, who=who.name)
    version = look.cards.version(item.version_id)
    interaction_uuid, external_id = look.row("interactions", item.interaction_id, "interaction")
    where = f"{where} (interaction {external_id} on {version.ref})"
    sample_uuid = None
    if item.sample_id is not None:
        sample_uuid = look.row("samples", item.sample_id, "sample")[0]
    started, submitted, signed = _times(item, where)
    draft = item.status == lifecycle.DRAFT
    try:
        result = score(version.card, item.answers, partial=draft)
    except AnswerError as exc:
        raise DataRefused(f"{where}: {'; '.join(exc.problems)}", exc.problems) from None
    answers = {key: scored.value for key, scored in result.answers.items()}  # normalised
    signer = None
    if item.status == lifecycle.SIGNED_OFF:
        signer = look.person(item.signed_by or item.evaluator)
        lifecycle.require(
            "sign_off",
            lifecycle.SUBMITTED,
            role=signer.role,
            is_owner=signer.id == who.id,
            who=signer.name,
        )
    elif item.signed_by is not None:
        raise DataRefused(f"{where}: only a signed-off evaluation has signed_by.")
    card_keys = {q.key for q in version.card.questions()}
    return _Prepared(
        item=item,
        who=who,
        signer=signer,
        version_uuid=version.uuid,
        interaction_uuid=interaction_uuid,
        sample_uuid=sample_uuid,
        answers=answers,
        result=result,
        started_at=started,
        submitted_at=submitted,
        signed_at=signed,
        notes=_notes(item, card_keys, version.ref, where),
        comment=(item.comment or "").strip() or None,
    )


def _payload(p: _Prepared) -> dict:
    r = p.result
    return {
        "interaction": p.interaction_uuid,
        "scorecard_version": p.version_uuid,
        "evaluator": p.who.uuid,
        "source": p.item.source,
        "sample": p.sample_uuid,
        "status": p.item.status,
        "answers": dict(p.answers),
        "notes": len(p.notes),
        "comment": p.comment,
        "score": r.score,
        "max_score": r.max_score,
        "percent": r.percent,
        "fatal": r.fatal,
        "failed_critical": list(r.failed_critical),
        "started_at": p.started_at,
        "submitted_at": p.submitted_at,
        "signed_by": p.signer.uuid if p.signer else None,
        "signed_at": p.signed_at,
    }


def record_evaluations(
    ws: Workspace, items: Iterable[EvaluationImport], *, rng: random.Random | None = None
) -> list[int]:
    """Store every evaluation in ``items`` in one transaction; return their ids in order.

    Everything is checked before anything is written, and a refusal (``DataRefused`` naming the
    evaluation's position, interaction and scorecard version) stores nothing. Uuids come from
    ``rng`` when given (the demo's determinism), in the order evaluation, answers, notes.
    """
    look = _Lookups(ws)
    prepared = [_prepare(look, item, f"evaluation {n}") for n, item in enumerate(items, start=1)]
    ids: list[int] = []
    answer_rows: list[tuple] = []
    note_rows: list[tuple] = []
    signed_rows: list[tuple] = []
    with ws.db.atomic():
        for p in prepared:
            uuid = new_uuid(rng)
            r = p.result
            # A signed-off evaluation is inserted as submitted and signed below: the database
            # refuses answers and notes on a signed-off evaluation (migration m002).
            status = lifecycle.SUBMITTED if p.signer else p.item.status
            updated = p.signed_at or p.submitted_at or p.started_at
            cur = ws.db.execute(
                "INSERT INTO evaluations (uuid, interaction_id, scorecard_version_id, "
                "evaluator_id, sample_id, source, status, revision, score, max_score, percent, "
                "fatal, comment, started_at, updated_at, submitted_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    uuid,
                    p.item.interaction_id,
                    p.item.version_id,
                    p.who.id,
                    p.item.sample_id,
                    p.item.source,
                    status,
                    r.score,
                    r.max_score,
                    r.percent,
                    int(r.fatal),
                    p.comment,
                    p.started_at,
                    updated,
                    p.submitted_at,
                ],
            )
            evaluation_id = int(cur.lastrowid)
            ids.append(evaluation_id)
            answer_rows.extend(
                answer_row(evaluation_id, key, value, r.answers[key], rng)
                for key, value in p.answers.items()
            )
            for key, at_s, body in p.notes:
                note_rows.append(
                    (new_uuid(rng), evaluation_id, key, at_s, body, p.who.name, p.started_at)
                )
            if p.signer is not None:
                signed_rows.append((p.signer.name, p.signed_at, evaluation_id))
            audit.append(ws, "evaluation.record", "evaluation", uuid, _payload(p), actor=p.who.name)
        insert_answers_and_notes(ws, answer_rows, note_rows)
        ws.db.conn.executemany(
            "UPDATE evaluations SET status = 'signed_off', signed_by = ?, signed_at = ? "
            "WHERE id = ?",
            signed_rows,
        )
    return ids


def record_evaluation(
    ws: Workspace,
    *,
    interaction_id: int,
    version_id: int,
    evaluator: str,
    answers: Mapping[str, object],
    started_at: Instant,
    status: str = lifecycle.SIGNED_OFF,
    submitted_at: Instant | None = None,
    signed_at: Instant | None = None,
    signed_by: str | None = None,
    notes: Sequence[NoteSpec] = (),
    comment: str | None = None,
    source: str = "ad_hoc",
    sample_id: int | None = None,
    rng: random.Random | None = None,
) -> int:
    """Record one evaluation (see ``record_evaluations``); returns its id."""
    item = EvaluationImport(
        interaction_id=interaction_id,
        version_id=version_id,
        evaluator=evaluator,
        answers=answers,
        started_at=started_at,
        status=status,
        submitted_at=submitted_at,
        signed_at=signed_at,
        signed_by=signed_by,
        notes=notes,
        comment=comment,
        source=source,
        sample_id=sample_id,
    )
    return record_evaluations(ws, [item], rng=rng)[0]
