"""Test data for the Complaints & RCA screens: a log in several states and two open breaches."""

from __future__ import annotations

from datetime import date

from qa_studio.storage.repository import breaches
from qa_studio.storage.repository import complaints as repo
from qa_studio.storage.repository.evaluation_import import EvaluationImport, record_evaluations
from tests.storage.eval_helpers import GOOD, seed

TODAY = date(2026, 11, 24)
#: Both breaches open at this time; their 72 hours run out on 2026-10-05 11:10 UTC.
BREACH_OPENED = "2026-10-02T11:10:00Z"


def log_complaints(ws) -> dict[str, int]:
    """``late``: formal, FCA, received 2026-09-01, no response (past its 8 weeks on TODAY);
    ``soon``: informal, internal target, vulnerable; ``answered``: formal, responded;
    ``fresh``: formal, FCA, received 2026-11-20, not answered, within its 8 weeks."""
    late = repo.create_complaint(ws, repo.NewComplaint(
        "Fees", "formal", "asked to complain", "2026-09-01T09:00:00Z", owner="Ann"))  # fmt: skip
    soon = repo.create_complaint(ws, repo.NewComplaint(
        "Rudeness", "informal", "unhappy on the call", "2026-11-19T09:00:00Z",
        regime="internal", vulnerable=True, vulnerability_need="bereavement"))  # fmt: skip
    answered = repo.create_complaint(
        ws, repo.NewComplaint("Fees", "formal", "letter", "2026-11-02T09:00:00Z")
    )
    repo.record_final_response(ws, answered, "Refund")
    fresh = repo.create_complaint(
        ws, repo.NewComplaint("Billing", "formal", "email", "2026-11-20T09:00:00Z")
    )
    return {"late": late, "soon": soon, "answered": answered, "fresh": fresh}


def open_breaches(ws) -> list[int]:
    """Two PCI breaches (a CVV read back on two contacts), both opened at ``BREACH_OPENED``."""
    data = seed(ws, 2)
    answers = {**GOOD, "cvv": "no"}
    items = [
        EvaluationImport(
            interaction,
            data["v1"].id,
            "Ann",
            answers,
            "2026-10-02T11:00:00Z",
            status="submitted",
            submitted_at=BREACH_OPENED,
        )
        for interaction in data["interactions"][:2]
    ]
    record_evaluations(ws, items)
    return breaches.sync_from_evaluations(ws)


def shown(qtbot, qtmodeltester, widget, width: int, height: int):
    """``widget`` shown at ``width`` × ``height``, its table model checked by the model tester."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    qtmodeltester.check(widget.model)
    return widget
