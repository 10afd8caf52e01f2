"""A calibration session as an evaluator's assignment: what ``bundle export --calibration ID``
sends (issue 7 § 1).

An evaluator on another laptop takes part in a calibration through bundles: the assignment carries
the session with its items and evaluators, the interactions with their transcripts and recordings,
and the session's scorecard version — never anyone's answers, so the session stays blind. The
evaluator scores in their own workspace (``calibration.start_evaluation`` … ``submit_evaluation``)
and sends ``bundle export-results``; the results carry their calibration evaluations and, as rows
they refer to, the session itself, so the lead's merge attaches them to the session by uuid.
"""

from __future__ import annotations

from qa_studio.bundles.api import AssignmentScope
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.calibration_sessions import get_session


def calibration_scope(ws: Workspace, evaluator: str, session_id: int) -> AssignmentScope:
    """The assignment for ``evaluator``'s part in session ``session_id``; refused when the session
    is closed or the evaluator is not one of its evaluators."""
    session = get_session(ws, session_id)
    if not session.is_open:
        raise DataRefused(
            f"calibration session {session.id} ({session.name}) is closed: there is nothing "
            "left to score."
        )
    if evaluator not in session.evaluators:
        raise DataRefused(
            f"{evaluator} is not an evaluator in calibration session {session.id} "
            f"({session.name}); its evaluators are {', '.join(session.evaluators)}."
        )

    def ids(table: str) -> tuple[int, ...]:
        # ``table`` is one of the two fixed names below, never user input.
        return tuple(
            int(r[0])
            for r in ws.db.execute(
                f"SELECT id FROM {table} WHERE session_id = ? ORDER BY id", [session.id]
            )
        )

    return AssignmentScope(
        evaluator=evaluator,
        interaction_ids=tuple(i for i, _external in session.interactions),
        version_ids=(session.scorecard_version_id,),
        extra=(
            ("calibration_sessions", (session.id,)),
            ("calibration_items", ids("calibration_items")),
            ("calibration_evaluators", ids("calibration_evaluators")),
        ),
        label={"calibration": {"uuid": session.uuid, "name": session.name}},
    )
