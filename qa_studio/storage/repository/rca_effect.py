"""The RCA effect check: did the metric move after the corrective actions took effect?

The RCA names a metric and the day the change applied (``change_on``). The same length of time
before and after that day is compared (default 8 weeks each side, London days) with the coaching
follow-up arithmetic in ``domain.followup``: a Welch interval for means (QA score, CSAT, AHT) and
Newcombe's interval for rates (a question's pass rate, FCR), and "too few to tell" below the
minimum n. The figures come from SQL aggregates, never from pulling rows into Python.

Metrics: ``qa_score``, ``csat``, ``aht``, ``fcr`` and ``pass_rate:<question key>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from qa_studio.domain import followup
from qa_studio.domain.timeutil import day_bounds
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL
from qa_studio.storage.repository.rca import get_rca

DEFAULT_WINDOW_DAYS = 56
METRIC_CHOICES = ("qa_score", "csat", "aht", "fcr", "pass_rate:")


@dataclass(frozen=True)
class EffectCheck:
    metric: str
    change_on: str
    before_from: str
    after_to: str  # inclusive
    effect: followup.Effect

    def as_dict(self) -> dict:
        return {"metric": self.metric, "change_on": self.change_on,
                "before_from": self.before_from, "after_to": self.after_to,
                **self.effect.as_dict()}  # fmt: skip


def check_metric(metric: str | None) -> str | None:
    """Why ``metric`` cannot be measured (None when it can)."""
    if not metric:
        return "metric: choose what to measure (qa_score, csat, aht, fcr, pass_rate:<question>)"
    if metric in ("qa_score", "csat", "aht", "fcr"):
        return None
    if metric.startswith("pass_rate:") and metric.split(":", 1)[1].strip():
        return None
    return f"metric: {metric!r} is not one of qa_score, csat, aht, fcr, pass_rate:<question>"


def _bounds(first: date, last: date) -> tuple[str, str]:
    return day_bounds(first, last)


def _mean_side(ws: Workspace, sql: str, lo: str, hi: str, extra: list) -> followup.Side:
    n, total, total_sq = ws.db.execute(sql, [lo, hi, *extra]).fetchone()
    return followup.side_from_sums(int(n or 0), total, total_sq)


def _rate_side(ws: Workspace, sql: str, lo: str, hi: str, extra: list) -> tuple[int, int]:
    n, ok = ws.db.execute(sql, [lo, hi, *extra]).fetchone()
    return int(ok or 0), int(n or 0)


_QA = (
    "SELECT count(e.percent), sum(e.percent), sum(e.percent * e.percent) FROM evaluations e "
    "JOIN interactions i ON i.id = e.interaction_id WHERE i.started_at >= ? AND i.started_at < ? "
    f"AND e.percent IS NOT NULL AND {COUNTED_EVALUATION_SQL}"
)
_CSAT = (
    "SELECT count(csat), sum(csat), sum(csat * csat) FROM interactions "
    "WHERE started_at >= ? AND started_at < ? AND csat IS NOT NULL"
)
_AHT = (
    "SELECT count(duration_s), sum(duration_s + coalesce(wrap_s, 0)), "
    "sum((duration_s + coalesce(wrap_s, 0)) * (duration_s + coalesce(wrap_s, 0))) "
    "FROM interactions WHERE started_at >= ? AND started_at < ? AND duration_s IS NOT NULL "
    "AND agent_id IS NOT NULL"
)
_FCR = (
    "SELECT count(fcr), sum(fcr) FROM interactions "
    "WHERE started_at >= ? AND started_at < ? AND fcr IS NOT NULL"
)
_PASS = (
    "SELECT count(*), sum(1 - a.failed) FROM answers a JOIN evaluations e ON e.id = a.evaluation_id "
    "JOIN interactions i ON i.id = e.interaction_id WHERE i.started_at >= ? AND i.started_at < ? "
    f"AND a.na = 0 AND a.question_key = ? AND {COUNTED_EVALUATION_SQL}"
)


def effect_of(
    ws: Workspace,
    metric: str,
    change_on: date,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_n: int = followup.DEFAULT_MIN_N,
) -> EffectCheck:
    """Compare ``metric`` over the ``window_days`` before ``change_on`` with the same span from
    ``change_on`` on."""
    problem = check_metric(metric)
    if problem:
        raise DataRefused(problem)
    before = _bounds(change_on - timedelta(days=window_days), change_on - timedelta(days=1))
    after = _bounds(change_on, change_on + timedelta(days=window_days - 1))
    if metric.startswith("pass_rate:"):
        key = metric.split(":", 1)[1].strip()
        sb, nb = _rate_side(ws, _PASS, *before, [key])
        sa, na = _rate_side(ws, _PASS, *after, [key])
        effect = followup.compare_rates(followup.PASS_RATE, sb, nb, sa, na, min_n=min_n)
    elif metric == "fcr":
        sb, nb = _rate_side(ws, _FCR, *before, [])
        sa, na = _rate_side(ws, _FCR, *after, [])
        effect = followup.compare_rates(followup.FCR, sb, nb, sa, na, min_n=min_n)
    else:
        sql = {"qa_score": _QA, "csat": _CSAT, "aht": _AHT}[metric]
        effect = followup.compare_means(
            metric, _mean_side(ws, sql, *before, []), _mean_side(ws, sql, *after, []),
            min_n=min_n,
        )  # fmt: skip
    first = change_on - timedelta(days=window_days)
    last = change_on + timedelta(days=window_days - 1)
    return EffectCheck(metric, change_on.isoformat(), first.isoformat(), last.isoformat(), effect)


def effect_check(
    ws: Workspace, rca_id: int, *, window_days: int = DEFAULT_WINDOW_DAYS
) -> EffectCheck | None:
    """The RCA's own effect check (None until it names a metric and a change date)."""
    rca = get_rca(ws, rca_id)
    if not rca.metric or not rca.change_on:
        return None
    return effect_of(ws, rca.metric, date.fromisoformat(rca.change_on), window_days=window_days)
