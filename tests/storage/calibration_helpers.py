"""Test data for calibration: the worked-example scorecard, evaluators Ann (the expert in most
tests), Bo and Cy, and a helper that scores and submits through the session's API."""

from __future__ import annotations

from qa_studio.domain.models import Evaluator
from qa_studio.storage.repository import calibration as cal
from qa_studio.storage.repository import people
from tests.storage.eval_helpers import seed

ALL_YES = {"greet": "yes", "empathy": 5, "idv": "yes", "cvv": "yes"}

#: Two interactions × three evaluators. Points: greet 1, empathy 2 (scale 1–5), idv 3, cvv 1,
#: so percents are multiples of 100/7: INT-1 Ann 6/7, Bo 7/7, Cy 5/7; INT-2 Ann 7/7, Bo 7/7,
#: Cy 6/7.
SMALL = {
    ("INT-1", "Ann"): {"greet": "no", "empathy": 5, "idv": "yes", "cvv": "yes"},
    ("INT-1", "Bo"): ALL_YES,
    ("INT-1", "Cy"): {"greet": "no", "empathy": 3, "idv": "yes", "cvv": "yes"},
    ("INT-2", "Ann"): ALL_YES,
    ("INT-2", "Bo"): ALL_YES,
    ("INT-2", "Cy"): {"greet": "yes", "empathy": 3, "idv": "yes", "cvv": "yes"},
}


def calibration_seed(ws, n_interactions: int = 4) -> dict:
    data = seed(ws, n_interactions)
    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Cy"))
        people.ensure_evaluator(ws, Evaluator(None, "Di"))
    return data


def score(ws, session, external_id: str, who: str, answers: dict, *, submit: bool = True):
    """Start, answer and (by default) submit one calibration evaluation."""
    iid = next(i for i, e in session.interactions if e == external_id)
    record = cal.start_evaluation(ws, session.id, iid, who)
    record = cal.save_answers(ws, session.id, record.id, answers)
    if submit:
        record = cal.submit_evaluation(ws, session.id, record.id)
    return record


def small_session(ws, data, *, expert: str | None = "Ann", close: bool = True, **kwargs):
    """The SMALL example scored and (by default) closed."""
    session = cal.create_session(
        ws,
        "Small",
        data["v1"].id,
        data["interactions"][:2],
        ["Ann", "Bo", "Cy"],
        expert=expert,
        **kwargs,
    )
    for (ext, who), answers in SMALL.items():
        score(ws, session, ext, who, answers)
    return cal.close_session(ws, session.id) if close else session
