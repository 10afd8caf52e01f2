"""Dispute rates per evaluator and per question: where do agents disagree with the scores?

A high dispute rate for one evaluator points at calibration (or at an evaluator who explains
their scores badly); a high rate — and above all a high *upheld* rate — for one question points
at a question whose guidance is unclear. Both are reported with counts, never as bare
percentages, and the evaluator's dispute rate carries its Wilson interval, because two disputes
out of five evaluations says little.

The base is every evaluation that could have been disputed: signed off, disputed or final, not a
calibration evaluation, of contacts in the period (London days; all time when no period).
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.domain.periods import Period, parse_period
from qa_studio.domain.planner import wilson_interval
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.scorecards import list_versions


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


@dataclass(frozen=True)
class EvaluatorDisputes:
    evaluator: str
    evaluations: int
    disputed: int  # evaluations with at least one dispute
    disputes: int
    upheld: int
    rejected: int
    open: int

    def as_dict(self) -> dict:
        ci = wilson_interval(self.disputed, self.evaluations) if self.evaluations else None
        return {
            "evaluator": self.evaluator,
            "evaluations": self.evaluations,
            "disputed_evaluations": self.disputed,
            "disputes": self.disputes,
            "upheld": self.upheld,
            "rejected": self.rejected,
            "open": self.open,
            "dispute_rate": _pct(self.disputed, self.evaluations),
            "dispute_rate_ci": None
            if ci is None or ci.low is None or ci.high is None
            else [round(100 * ci.low, 2), round(100 * ci.high, 2)],
            "upheld_rate": _pct(self.upheld, self.upheld + self.rejected),
        }


@dataclass(frozen=True)
class QuestionDisputes:
    question_key: str
    text: str
    answers: int
    disputes: int
    upheld: int
    rejected: int
    open: int

    def as_dict(self) -> dict:
        return {
            "question_key": self.question_key,
            "text": self.text,
            "answers": self.answers,
            "disputes": self.disputes,
            "upheld": self.upheld,
            "rejected": self.rejected,
            "open": self.open,
            "dispute_rate": _pct(self.disputes, self.answers),
            "upheld_rate": _pct(self.upheld, self.upheld + self.rejected),
        }


@dataclass(frozen=True)
class DisputeRates:
    period: Period | None
    evaluators: tuple[EvaluatorDisputes, ...]
    questions: tuple[QuestionDisputes, ...]

    def as_dict(self) -> dict:
        return {
            "period": None if self.period is None else self.period.key,
            "evaluators": [e.as_dict() for e in self.evaluators],
            "questions": [q.as_dict() for q in self.questions],
        }


_BASE = """
WITH ev AS MATERIALIZED (
    SELECT e.id, e.evaluator_id FROM evaluations e JOIN interactions i ON i.id = e.interaction_id
    WHERE e.status IN ('signed_off', 'disputed', 'final') AND e.calibration_session_id IS NULL
      AND i.started_at >= :lo AND i.started_at < :hi
)
"""

_BY_EVALUATOR = (
    _BASE
    + """
SELECT evr.name, count(*), count(d.eid), coalesce(sum(d.n), 0), coalesce(sum(d.up), 0),
       coalesce(sum(d.rej), 0), coalesce(sum(d.op), 0)
FROM ev JOIN evaluators evr ON evr.id = ev.evaluator_id
LEFT JOIN (SELECT evaluation_id AS eid, count(*) AS n, sum(status = 'upheld') AS up,
                  sum(status = 'rejected') AS rej, sum(status = 'open') AS op
           FROM disputes GROUP BY evaluation_id) d ON d.eid = ev.id
GROUP BY evr.id ORDER BY count(d.eid) * 1.0 / count(*) DESC, evr.name
"""
)

_BY_QUESTION = (
    _BASE
    + """
SELECT an.question_key, count(*), coalesce(sum(dq.n), 0), coalesce(sum(dq.up), 0),
       coalesce(sum(dq.rej), 0), coalesce(sum(dq.op), 0)
FROM ev JOIN answers an ON an.evaluation_id = ev.id
LEFT JOIN (SELECT evaluation_id, question_key, count(*) AS n, sum(status = 'upheld') AS up,
                  sum(status = 'rejected') AS rej, sum(status = 'open') AS op
           FROM disputes GROUP BY evaluation_id, question_key) dq
       ON dq.evaluation_id = an.evaluation_id AND dq.question_key = an.question_key
GROUP BY an.question_key
ORDER BY coalesce(sum(dq.n), 0) * 1.0 / count(*) DESC, an.question_key
"""
)


def dispute_rates(ws: Workspace, *, period: Period | str | None = None) -> DisputeRates:
    """Dispute rates per evaluator (every evaluator with disputable evaluations) and per question
    (every question answered on them), highest rate first."""
    p = parse_period(period) if isinstance(period, str) else period
    lo, hi = p.bounds if p is not None else ("", "\uffff")
    params = {"lo": lo, "hi": hi}
    texts: dict[str, str] = {}
    for version in list_versions(ws):
        for q in version.card.questions():
            texts[q.key] = q.text
    evaluators = tuple(
        EvaluatorDisputes(r[0], *(int(x) for x in r[1:]))
        for r in ws.db.execute(_BY_EVALUATOR, params).fetchall()
    )
    questions = tuple(
        QuestionDisputes(r[0], texts.get(r[0], r[0]), *(int(x) for x in r[1:]))
        for r in ws.db.execute(_BY_QUESTION, params).fetchall()
    )
    return DisputeRates(p, evaluators, questions)
