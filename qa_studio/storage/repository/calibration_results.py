"""A calibration session's results: agreement per question, overall and on the form, each
evaluator's deviation from the expert and the consensus, N/A habits, and leniency across sessions.

Only evaluations that were submitted (or later: signed off, disputed, final) are results; drafts
are work in progress. Units, levels and the order rows are given in are those of
``qa_studio.domain.calibration_report``: interactions in session order, evaluators in session
order, questions in form order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from qa_studio.domain.agreement import EvaluatorDeviation, evaluator_deviations, na_rates
from qa_studio.domain.agreement_evaluators import DEFAULT_TOLERANCE, NaRate
from qa_studio.domain.calibration_report import (
    answers_report,
    deviation_sentence,
    form_report,
    rows_in_order,
)
from qa_studio.domain.scoring import NA, fraction
from qa_studio.errors import DataRefused
from qa_studio.scorecards.schema import Scorecard
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.calibration_sessions import (
    CalibrationSession,
    get_session,
    results_hidden,
)
from qa_studio.storage.repository.counting import COUNTED_STATUSES_SQL
from qa_studio.storage.repository.evaluation_records import value_from_text

HIDDEN = "results are hidden until the session is closed"


@dataclass(frozen=True)
class SessionResults:
    """Everything the results screen, the charts and ``stats calibration`` show.

    ``scores`` holds every (interaction, evaluator) pair of the session: the form percent, or
    None when not submitted (or nothing applicable). ``answers`` holds submitted answers, ``"na"``
    for N/A; ``comments`` the notes on each answer; ``overall_comments`` each evaluation's comment
    and its notes not tied to a question, by ``(external id, evaluator)``.
    """

    session: CalibrationSession
    form: dict
    overall: dict
    questions: dict[str, dict]
    evaluators: dict[str, EvaluatorDeviation]
    na_rates: dict[str, dict[Hashable, NaRate]]
    scores: dict[tuple[str, str], float | None]
    answers: dict[tuple[str, str, str], object]
    comments: dict[tuple[str, str, str], list[str]]
    card: Scorecard
    tolerance: float = DEFAULT_TOLERANCE
    overall_comments: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    evaluator_notes: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """JSON for ``stats calibration SESSION_ID --json``."""
        return {
            "session": self.session.as_dict(),
            "tolerance": self.tolerance,
            "units": {
                "questions": "interactions; each answer's fraction is one rating (N/A missing); "
                "interval level for ICC and alpha, nominal raw answers for kappa",
                "overall": "every (interaction, question) pair",
                "form": "interactions; the evaluation's percent score is the rating",
            },
            "form": self.form,
            "overall": self.overall,
            "questions": {
                key: {"text": self.card.question(key).text, **report}
                for key, report in self.questions.items()
            },
            "evaluators": {
                name: {**dev.as_dict(), "interpretation": self.evaluator_notes.get(name)}
                for name, dev in self.evaluators.items()
            },
            "na_rates": {
                q: {str(r): rate.as_dict() for r, rate in per.items()}
                for q, per in self.na_rates.items()
            },
            "scores": [
                {"interaction": ext, "evaluator": who, "percent": value}
                for (ext, who), value in self.scores.items()
            ],
        }


def _require_visible(session: CalibrationSession) -> None:
    if results_hidden(session):
        raise DataRefused(
            f"calibration session {session.id} ({session.name}): {HIDDEN}.",
            [
                "It is blind and still open, so nobody may see anyone else's answers yet. "
                f"Close it first: qa-studio --db FILE calibration close {session.id}"
            ],
        )


def _evaluations(ws: Workspace, session: CalibrationSession) -> dict[int, tuple[str, str, object]]:
    """``{evaluation id: (external id, evaluator, percent)}`` of the session's submitted
    evaluations by its evaluators of its interactions."""
    rows = ws.db.execute(
        "SELECT e.id, i.external_id, ev.name, e.percent FROM evaluations e "
        "JOIN interactions i ON i.id = e.interaction_id "
        "JOIN evaluators ev ON ev.id = e.evaluator_id "
        f"WHERE e.calibration_session_id = ? AND e.status IN ({COUNTED_STATUSES_SQL}) "
        "ORDER BY e.id",
        [session.id],
    ).fetchall()
    units = {ext for _i, ext in session.interactions}
    people = set(session.evaluators)
    return {int(r[0]): (r[1], r[2], r[3]) for r in rows if r[1] in units and r[2] in people}


def _marks(ids: list[int]) -> str:
    return ", ".join("?" * len(ids))


def session_results(
    ws: Workspace, session_id: int, *, tolerance: float = DEFAULT_TOLERANCE
) -> SessionResults:
    """The session's results; ``DataRefused`` while it is blind and open."""
    session = get_session(ws, session_id)
    _require_visible(session)
    card = scorecards.get_version(ws, session.scorecard_version_id).card
    questions = card.questions()
    evals = _evaluations(ws, session)
    ids = list(evals)
    units = [ext for _i, ext in session.interactions]
    raters = list(session.evaluators)

    scores: dict[tuple[str, str], float | None] = {(u, r): None for u in units for r in raters}
    for ext, who, percent in evals.values():
        scores[(ext, who)] = None if percent is None else float(percent)

    answers: dict[tuple[str, str, str], object] = {}
    if ids:
        by_key = {q.key: q for q in questions}
        for eid, key, text, na in ws.db.execute(
            "SELECT evaluation_id, question_key, value, na FROM answers "
            f"WHERE evaluation_id IN ({_marks(ids)}) ORDER BY id",
            ids,
        ):
            if key in by_key:
                ext, who, _p = evals[int(eid)]
                answers[(ext, key, who)] = value_from_text(by_key[key], text, na)

    comments: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    overall_comments: dict[tuple[str, str], list[str]] = defaultdict(list)
    if ids:
        for eid, comment in ws.db.execute(
            f"SELECT id, comment FROM evaluations WHERE id IN ({_marks(ids)}) ORDER BY id", ids
        ):
            if comment:
                ext, who, _p = evals[int(eid)]
                overall_comments[(ext, who)].append(comment)
        for eid, key, text in ws.db.execute(
            "SELECT evaluation_id, question_key, text FROM answer_notes "
            f"WHERE evaluation_id IN ({_marks(ids)}) ORDER BY id",
            ids,
        ):
            ext, who, _p = evals[int(eid)]
            if key is None:
                overall_comments[(ext, who)].append(text)
            else:
                comments[(ext, key, who)].append(text)

    fractions: dict[tuple[str, str, str], float | None] = {}
    for (ext, key, who), value in answers.items():
        fractions[(ext, key, who)] = None if value == NA else fraction(card.question(key), value)

    per_question: dict[str, dict] = {}
    for q in questions:
        frac_cells = {
            (u, r): fractions[(u, q.key, r)]
            for u in units
            for r in raters
            if (u, q.key, r) in fractions
        }
        raw_cells = {
            (u, r): answers[(u, q.key, r)]
            for u in units
            for r in raters
            if (u, q.key, r) in answers
        }
        per_question[q.key] = answers_report(
            rows_in_order(frac_cells, units, raters), _raw_rows(raw_cells, units, raters)
        )

    overall_units = [(u, q.key) for u in units for q in questions]
    frac_all = {
        ((u, k), r): fractions[(u, k, r)]
        for (u, k) in overall_units
        for r in raters
        if (u, k, r) in fractions
    }
    raw_all = {
        ((u, k), r): answers[(u, k, r)]
        for (u, k) in overall_units
        for r in raters
        if (u, k, r) in answers
    }
    overall = answers_report(
        rows_in_order(frac_all, overall_units, raters), _raw_rows(raw_all, overall_units, raters)
    )

    percent_cells = {k: v for k, v in scores.items() if v is not None}
    form = form_report(rows_in_order(percent_cells, units, raters), len(units))

    scored = {r for (_u, r), v in scores.items() if v is not None}
    expert = session.expert if session.expert in scored else None
    deviations = evaluator_deviations(scores, expert, tolerance)
    notes = {
        str(name): deviation_sentence(dev, tolerance, session.expert is not None)
        for name, dev in deviations.items()
    }
    if session.expert is not None and expert is None:
        for name in notes:
            notes[name] += f" (the expert {session.expert} submitted no scores to compare with)"

    rates = na_rates(
        (r, q.key, answers[(u, q.key, r)] == NA)
        for q in questions
        for r in raters
        for u in units
        if (u, q.key, r) in answers
    )
    return SessionResults(
        session=session,
        form=form,
        overall=overall,
        questions=per_question,
        evaluators={str(k): v for k, v in deviations.items()},
        na_rates=rates,
        scores=scores,
        answers=answers,
        comments=dict(comments),
        card=card,
        tolerance=tolerance,
        overall_comments=dict(overall_comments),
        evaluator_notes=notes,
    )


def _raw_rows(cells: dict, units: list, raters: list) -> list[tuple]:
    """Raw answers as nominal ratings: N/A is a missing rating, not a category."""
    return [(u, r, None if v == NA else v) for u, r, v in rows_in_order(cells, units, raters)]


@dataclass(frozen=True)
class Leniency:
    """An evaluator's mean signed deviation from the consensus over closed sessions."""

    evaluator: str
    offset: float
    n: int  # interactions compared
    sessions: int


def leniency_report(ws: Workspace, *, since: str | None = None) -> dict[str, Leniency]:
    """Per evaluator: how far above (+) or below (−) the median of the other evaluators their
    form scores sit, pooled over every interaction of every closed session (closed at or after
    ``since``, an ISO date or instant, when given)."""
    sql = (
        "SELECT e.calibration_session_id, i.external_id, ev.name, e.percent FROM evaluations e "
        "JOIN calibration_sessions cs ON cs.id = e.calibration_session_id "
        "JOIN interactions i ON i.id = e.interaction_id "
        "JOIN evaluators ev ON ev.id = e.evaluator_id "
        f"WHERE cs.closed_at IS NOT NULL AND e.status IN ({COUNTED_STATUSES_SQL}) "
        "AND e.percent IS NOT NULL"
    )
    params: list = []
    if since:
        sql += " AND cs.closed_at >= ?"
        params.append(since)
    per_session: dict[int, dict[tuple[str, str], float]] = defaultdict(dict)
    for sid, ext, who, percent in ws.db.execute(sql + " ORDER BY e.id", params):
        per_session[int(sid)][(ext, who)] = float(percent)
    total: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for sid in sorted(per_session):
        for who, dev in evaluator_deviations(per_session[sid]).items():
            d = dev.vs_consensus
            if d.n and d.mean_signed is not None:
                acc = total[str(who)]
                acc[0] += d.mean_signed * d.n
                acc[1] += d.n
                acc[2] += 1
    return {
        who: Leniency(who, acc[0] / acc[1], int(acc[1]), int(acc[2]))
        for who, acc in sorted(total.items())
    }


def leniency_offsets(ws: Workspace, *, since: str | None = None) -> dict[str, float]:
    """``{evaluator: mean signed deviation from consensus}`` across closed sessions."""
    return {who: item.offset for who, item in leniency_report(ws, since=since).items()}
