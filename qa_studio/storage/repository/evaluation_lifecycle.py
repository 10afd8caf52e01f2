"""Moving evaluations through their lifecycle (ARCHITECTURE.md § Evaluation lifecycle):
submit, sign off, reopen, acknowledge.

Each is one transaction holding the change and its audit row. Who may do what is decided by
``qa_studio.domain.lifecycle``; the database backs it up with triggers (migration m002), so a
signed-off evaluation's answers and score cannot change even by mistake.
"""

from __future__ import annotations

from qa_studio.domain import lifecycle
from qa_studio.domain.scoring import ScoreResult, score
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, breaches, scorecards
from qa_studio.storage.repository.evaluation_answers import State, load_state, store_score
from qa_studio.storage.repository.evaluation_records import (
    EvaluationRecord,
    evaluator,
    get,
    stored_answers,
)


def _full_score(ws: Workspace, st: State) -> tuple[scorecards.ScorecardVersion, ScoreResult]:
    version = scorecards.get_version(ws, st.version_id)
    answers = stored_answers(ws, st.id, version.card)
    missing = [q.key for q in version.card.questions() if q.key not in answers]
    if missing:
        n = len(missing)
        raise DataRefused(
            f"evaluation {st.id} cannot be submitted: {n} question{'' if n == 1 else 's'} "
            f"unanswered: {', '.join(missing)}.",
            missing,
        )
    return version, score(version.card, answers)


def _score_payload(result: ScoreResult) -> dict:
    return {
        "score": result.score,
        "max_score": result.max_score,
        "percent": result.percent,
        "fatal": result.fatal,
        "failed_critical": list(result.failed_critical),
    }


def submit(ws: Workspace, evaluation_id: int) -> EvaluationRecord:
    """Draft → submitted: every question answered; the score is computed and stored; audited."""
    with ws.db.atomic():
        st = load_state(ws, evaluation_id)
        lifecycle.require("submit", st.status, role=st.role, is_owner=True, who=st.evaluator)
        version, result = _full_score(ws, st)
        now = utcnow_iso()
        store_score(ws, st.id, result, now)
        ws.db.execute(
            "UPDATE evaluations SET status = 'submitted', submitted_at = ? WHERE id = ?",
            [now, st.id],
        )
        audit.append(
            ws,
            "evaluation.submit",
            "evaluation",
            st.uuid,
            {**_score_payload(result), "scorecard_version": version.uuid, "revision": st.revision},
            actor=st.evaluator,
        )
        if result.fatal:
            breaches.open_for_evaluation(ws, st.id, at=now)
    return get(ws, evaluation_id)


def sign_off(ws: Workspace, evaluation_id: int, signer: str) -> EvaluationRecord:
    """Submitted → signed off by ``signer`` (the evaluator or a QA lead); read-only after."""
    with ws.db.atomic():
        st = load_state(ws, evaluation_id)
        who = evaluator(ws, signer)
        lifecycle.require(
            "sign_off", st.status, role=who.role, is_owner=who.id == st.evaluator_id, who=who.name
        )
        _version, result = _full_score(ws, st)
        now = utcnow_iso()
        store_score(ws, st.id, result, now)
        ws.db.execute(
            "UPDATE evaluations SET status = 'signed_off', signed_by = ?, signed_at = ? "
            "WHERE id = ?",
            [who.name, now, st.id],
        )
        audit.append(
            ws,
            "evaluation.sign_off",
            "evaluation",
            st.uuid,
            {"signed_by": who.uuid, "percent": result.percent, "revision": st.revision},
            actor=who.name,
        )
    return get(ws, evaluation_id)


def reopen(ws: Workspace, evaluation_id: int, by: str, reason: str) -> EvaluationRecord:
    """Signed off → submitted by a QA lead with a reason; revision + 1; the signature and any
    acknowledgement (which were of the previous revision) are cleared; audited."""
    with ws.db.atomic():
        st = load_state(ws, evaluation_id)
        who = evaluator(ws, by)
        lifecycle.require(
            "reopen",
            st.status,
            role=who.role,
            is_owner=who.id == st.evaluator_id,
            who=who.name,
            reason=reason,
        )
        signed = ws.db.execute(
            "SELECT signed_by, signed_at FROM evaluations WHERE id = ?", [st.id]
        ).fetchone()
        ws.db.execute(
            "UPDATE evaluations SET status = 'submitted', revision = revision + 1, "
            "signed_by = NULL, signed_at = NULL, acknowledged_by = NULL, acknowledged_at = NULL, "
            "updated_at = ? WHERE id = ?",
            [utcnow_iso(), st.id],
        )
        audit.append(
            ws,
            "evaluation.reopen",
            "evaluation",
            st.uuid,
            {
                "reason": reason.strip(),
                "by": who.uuid,
                "revision": st.revision + 1,
                "previous_signed_by": signed[0],
                "previous_signed_at": signed[1],
            },
            actor=who.name,
        )
    return get(ws, evaluation_id)


def acknowledge(ws: Workspace, evaluation_id: int, agent_name: str) -> EvaluationRecord:
    """Record the agent's acknowledgement (entered by their team leader); status unchanged."""
    with ws.db.atomic():
        st = load_state(ws, evaluation_id)
        lifecycle.require("acknowledge", st.status, role=lifecycle.AGENT, is_owner=False)
        row = ws.db.execute(
            "SELECT e.acknowledged_by, e.acknowledged_at, i.external_id, a.uuid, a.name, "
            "a.external_id FROM evaluations e JOIN interactions i ON i.id = e.interaction_id "
            "LEFT JOIN agents a ON a.id = i.agent_id WHERE e.id = ?",
            [st.id],
        ).fetchone()
        ack_by, ack_at, interaction, agent_uuid, name, external_id = row
        if ack_by:
            raise DataRefused(
                f"evaluation {st.id} was already acknowledged by {ack_by} at {ack_at}."
            )
        if agent_uuid is None:
            raise DataRefused(f"interaction {interaction} has no agent to acknowledge it.")
        given = (agent_name or "").strip().casefold()
        if given not in (name.casefold(), external_id.casefold()):
            raise DataRefused(
                f"'{agent_name}' is not the agent of interaction {interaction} "
                f"({name}, {external_id})."
            )
        now = utcnow_iso()
        ws.db.execute(
            "UPDATE evaluations SET acknowledged_by = ?, acknowledged_at = ?, "
            "updated_at = ? WHERE id = ?",
            [name, now, now, st.id],
        )
        audit.append(
            ws,
            "evaluation.acknowledge",
            "evaluation",
            st.uuid,
            {"agent": agent_uuid, "revision": st.revision},
        )
    return get(ws, evaluation_id)
