"""Disputes: an agent challenges one answer of a signed-off evaluation; a QA lead decides.

The agent (entered by their team leader, who is named) disputes a specific question with a
reason: the evaluation goes from signed off to *disputed* and its score keeps counting meanwhile.
Further questions of the same evaluation may be disputed while it is disputed. A QA lead then
**upholds** a dispute — the answer changes to the value given, the score is recomputed by the
scoring engine, the revision goes up by one (an acknowledgement of the old revision is cleared) —
or **rejects** it with a reason. When no dispute of the evaluation is left open it is *final*.

Each step is one transaction with its audit rows. The database backs the workflow up (migration
m008): one open dispute per question, a resolved dispute never changes, and while an evaluation
is disputed only the disputed answer can change. The order of writes in ``uphold`` follows from
those triggers and m002's: the answer first (the dispute still open, the evaluation still
disputed), then the evaluation, then the dispute.

Dispute rates per evaluator and per question are in ``dispute_stats`` (re-exported here).
"""

from __future__ import annotations

import random

from qa_studio.domain import lifecycle
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.scoring import normalise_answer, score
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.coaching_types import Instant, as_instant
from qa_studio.storage.repository.dispute_records import Dispute, get_dispute, list_disputes
from qa_studio.storage.repository.dispute_stats import DisputeRates, dispute_rates
from qa_studio.storage.repository.evaluation_answers import load_state
from qa_studio.storage.repository.evaluation_records import (
    evaluator,
    stored_answers,
    value_to_text,
)

__all__ = [
    "Dispute",
    "DisputeRates",
    "dispute_rates",
    "get_dispute",
    "list_disputes",
    "raise_dispute",
    "reject",
    "uphold",
]

#: Who may type a dispute in for an agent.
ENTERERS = ("team_leader", "qa_lead")


def _enterer(ws: Workspace, name: str | None):
    if name is None:
        return None
    who = evaluator(ws, name.strip())
    if who.role not in ENTERERS:
        raise DataRefused(
            f"{who.name} is {who.role.replace('_', ' ')}: a dispute is entered for the agent by "
            "their team leader or a QA lead."
        )
    return who


def raise_dispute(
    ws: Workspace,
    evaluation_id: int,
    question_key: str,
    reason: str,
    *,
    agent: str,
    entered_by: str | None = None,
    at: Instant | None = None,
    rng: random.Random | None = None,
) -> Dispute:
    """The agent (name or external id) disputes ``question_key`` of a signed-off (or already
    disputed) evaluation with ``reason``; ``entered_by`` names the team leader typing it in."""
    text = (reason or "").strip()
    with ws.db.atomic():
        st = load_state(ws, evaluation_id)
        session = ws.db.execute(
            "SELECT calibration_session_id FROM evaluations WHERE id = ?", [st.id]
        ).fetchone()[0]
        if session is not None:
            raise DataRefused(
                f"evaluation {st.id} belongs to calibration session {session}: calibration "
                "scores measure the evaluators and are discussed in the session, not disputed."
            )
        if st.status != lifecycle.DISPUTED:
            lifecycle.require(
                "dispute", st.status, role=lifecycle.AGENT, is_owner=False, reason=text
            )
        elif not text:
            raise DataRefused("a reason is required to dispute an evaluation.")
        version = scorecards.get_version(ws, st.version_id)
        try:
            version.card.question(question_key)
        except KeyError:
            raise DataRefused(
                f"scorecard {version.ref} has no question '{question_key}' to dispute."
            ) from None
        row = ws.db.execute(
            "SELECT i.external_id, a.uuid, a.name, a.external_id FROM evaluations e "
            "JOIN interactions i ON i.id = e.interaction_id LEFT JOIN agents a "
            "ON a.id = i.agent_id WHERE e.id = ?",
            [st.id],
        ).fetchone()
        interaction, agent_uuid, name, external_id = row
        if agent_uuid is None:
            raise DataRefused(f"interaction {interaction} has no agent to dispute it.")
        if (agent or "").strip().casefold() not in (name.casefold(), external_id.casefold()):
            raise DataRefused(
                f"'{agent}' is not the agent of interaction {interaction} ({name}, {external_id})."
            )
        clash = ws.db.execute(
            "SELECT id FROM disputes WHERE evaluation_id = ? AND question_key = ? "
            "AND status = 'open'",
            [st.id, question_key],
        ).fetchone()
        if clash is not None:
            raise DataRefused(
                f"question '{question_key}' of evaluation {st.id} is already disputed "
                f"(dispute {clash[0]}, still open)."
            )
        who = _enterer(ws, entered_by)
        when = as_instant(at, "at")[0] if at is not None else utcnow_iso()
        uuid = new_uuid(rng)
        if st.status != lifecycle.DISPUTED:
            ws.db.execute(
                "UPDATE evaluations SET status = 'disputed', updated_at = ? WHERE id = ?",
                [when, st.id],
            )
        cur = ws.db.execute(
            "INSERT INTO disputes (uuid, evaluation_id, question_key, raised_by, entered_by, "
            "raised_at, reason, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
            [uuid, st.id, question_key, name, who.name if who else None, when, text],
        )
        answer = stored_answers(ws, st.id, version.card).get(question_key)
        audit.append(
            ws,
            "dispute.raise",
            "dispute",
            uuid,
            {
                "evaluation": st.uuid,
                "question_key": question_key,
                "agent": agent_uuid,
                "entered_by": who.uuid if who else None,
                "reason": text,
                "raised_at": when,
                "answer": answer,
                "revision": st.revision,
            },
            actor=who.name if who else name,
        )
    return get_dispute(ws, int(cur.lastrowid))


def _open(ws: Workspace, dispute_id: int) -> tuple[Dispute, str]:
    d = get_dispute(ws, dispute_id)
    if d.status != "open":
        raise DataRefused(
            f"dispute {dispute_id} was already {d.status} by {d.resolved_by} on "
            f"{(d.resolved_at or '')[:10]}: a resolved dispute cannot change."
        )
    uuid = ws.db.execute("SELECT uuid FROM disputes WHERE id = ?", [dispute_id]).fetchone()[0]
    return d, uuid


def _still_open(ws: Workspace, evaluation_id: int, dispute_id: int) -> int:
    return int(
        ws.db.execute(
            "SELECT count(*) FROM disputes WHERE evaluation_id = ? AND status = 'open' AND id <> ?",
            [evaluation_id, dispute_id],
        ).fetchone()[0]
    )


def _deciding(ws: Workspace, dispute_id: int, action: str, by: str, reason: str) -> tuple:
    """The open dispute, its evaluation's state and the deciding QA lead, once the lifecycle
    allows ``action`` (uphold or reject) for them: ``(dispute, dispute uuid, state, who)``."""
    d, uuid = _open(ws, dispute_id)
    st = load_state(ws, d.evaluation_id)
    who = evaluator(ws, by)
    lifecycle.require(action, st.status, role=who.role, is_owner=who.id == st.evaluator_id,
                      who=who.name, reason=reason)  # fmt: skip
    return d, uuid, st, who


def uphold(
    ws: Workspace,
    dispute_id: int,
    *,
    by: str,
    value: object,
    resolution: str,
    at: Instant | None = None,
) -> Dispute:
    """A QA lead upholds the dispute: the answer becomes ``value``, the score is recomputed,
    the revision goes up by one; the evaluation is final once no dispute of it is open."""
    text = (resolution or "").strip()
    with ws.db.atomic():
        d, uuid, st, who = _deciding(ws, dispute_id, "uphold", by, text)
        version = scorecards.get_version(ws, st.version_id)
        q = version.card.question(d.question_key)
        try:
            new = normalise_answer(q, value)
        except ValueError as exc:
            raise DataRefused(f"dispute {dispute_id}: {exc}") from None
        answers = stored_answers(ws, st.id, version.card)
        old = answers.get(d.question_key)
        if old == new:
            raise DataRefused(
                f"dispute {dispute_id}: the answer is already {new!r}; upholding changes it — "
                "reject the dispute instead if the answer stands."
            )
        answers[d.question_key] = new
        result = score(version.card, answers)
        scored = result.answers[d.question_key]
        new_text, na = value_to_text(new)
        when = as_instant(at, "at")[0] if at is not None else utcnow_iso()
        percent_before = ws.db.execute(
            "SELECT percent FROM evaluations WHERE id = ?", [st.id]
        ).fetchone()[0]
        ws.db.execute(
            "UPDATE answers SET value = ?, na = ?, points = ?, max_points = ?, failed = ? "
            "WHERE evaluation_id = ? AND question_key = ?",
            [
                new_text,
                na,
                scored.points,
                scored.max_points,
                int(scored.failed),
                st.id,
                d.question_key,
            ],
        )
        status = lifecycle.DISPUTED if _still_open(ws, st.id, d.id) else lifecycle.FINAL
        ack = ws.db.execute(
            "SELECT acknowledged_by, acknowledged_at FROM evaluations WHERE id = ?", [st.id]
        ).fetchone()
        ws.db.execute(
            "UPDATE evaluations SET score = ?, max_score = ?, percent = ?, fatal = ?, "
            "revision = revision + 1, status = ?, acknowledged_by = NULL, "
            "acknowledged_at = NULL, updated_at = ? WHERE id = ?",
            [
                result.score,
                result.max_score,
                result.percent,
                int(result.fatal),
                status,
                when,
                st.id,
            ],
        )
        old_text = None if old is None else value_to_text(old)[0]
        ws.db.execute(
            "UPDATE disputes SET status = 'upheld', resolution = ?, resolved_by = ?, "
            "resolved_at = ?, previous_value = ?, new_value = ?, revision_before = ?, "
            "revision_after = ?, percent_before = ?, percent_after = ? WHERE id = ?",
            [
                text,
                who.name,
                when,
                old_text,
                new_text,
                st.revision,
                st.revision + 1,
                percent_before,
                result.percent,
                d.id,
            ],
        )
        audit.append(
            ws,
            "dispute.uphold",
            "dispute",
            uuid,
            {
                "by": who.uuid,
                "resolution": text,
                "resolved_at": when,
                "previous_value": old_text,
                "new_value": new_text,
            },
            actor=who.name,
        )
        audit.append(
            ws,
            "evaluation.revise",
            "evaluation",
            st.uuid,
            {
                "dispute": uuid,
                "question_key": d.question_key,
                "previous_value": old_text,
                "new_value": new_text,
                "revision": st.revision + 1,
                "status": status,
                "old_percent": percent_before,
                "new_percent": result.percent,
                "score": result.score,
                "max_score": result.max_score,
                "fatal": result.fatal,
                "previous_acknowledged_by": ack[0],
                "previous_acknowledged_at": ack[1],
            },
            actor=who.name,
        )
    return get_dispute(ws, dispute_id)


def reject(
    ws: Workspace, dispute_id: int, *, by: str, resolution: str, at: Instant | None = None
) -> Dispute:
    """A QA lead rejects the dispute with a reason; the answer and score stand; the evaluation
    is final once no dispute of it is open."""
    text = (resolution or "").strip()
    with ws.db.atomic():
        d, uuid, st, who = _deciding(ws, dispute_id, "reject", by, text)
        when = as_instant(at, "at")[0] if at is not None else utcnow_iso()
        status = lifecycle.DISPUTED if _still_open(ws, st.id, d.id) else lifecycle.FINAL
        ws.db.execute(
            "UPDATE evaluations SET status = ?, updated_at = ? WHERE id = ?", [status, when, st.id]
        )
        ws.db.execute(
            "UPDATE disputes SET status = 'rejected', resolution = ?, resolved_by = ?, "
            "resolved_at = ?, revision_before = ?, revision_after = ? WHERE id = ?",
            [text, who.name, when, st.revision, st.revision, d.id],
        )
        audit.append(
            ws,
            "dispute.reject",
            "dispute",
            uuid,
            {
                "by": who.uuid,
                "resolution": text,
                "resolved_at": when,
                "evaluation": st.uuid,
                "status": status,
            },
            actor=who.name,
        )
    return get_dispute(ws, dispute_id)
