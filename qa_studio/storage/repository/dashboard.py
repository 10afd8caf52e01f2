"""The KPI dashboard's figures for one filter: quality, contact KPIs, targets and what missed them.

``dashboard(ws, DashboardQuery(period, team=…, agent=…, channel=…, scorecard=…))`` returns one
frozen ``Dashboard``: the screen, the ``report dashboard`` command and the tests read the same
record. Aggregation happens in SQL (``dashboard_queries``); this module resolves names to ids,
maps question keys to the scorecard text and regulation that only the YAML holds, applies the
targets (``targets.TargetBook``, most specific first) and leaves the decisions — misses, Pareto
shares, correlations, evidence flags — to ``domain.dashboard``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from qa_studio.domain import dashboard as d
from qa_studio.domain.periods import Period
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import dashboard_queries as q
from qa_studio.storage.repository.chart_data import month_label
from qa_studio.storage.repository.reporting import kpi_targets
from qa_studio.storage.repository.scorecards import ScorecardVersion, list_versions
from qa_studio.storage.repository.targets import TargetBook, target_book

CHANNELS = ("voice", "chat", "email", "social", "task")


@dataclass(frozen=True)
class DashboardQuery:
    period: Period
    team: str | None = None
    agent: str | None = None
    channel: str | None = None
    scorecard: str | None = None
    trend_months: int = 6


@dataclass(frozen=True)
class QaFigure:
    n: int
    mean: float | None
    low: float | None
    high: float | None
    half_width: float | None
    n_pass: int
    pass_rate: float | None
    n_fatal: int
    enough: bool


@dataclass(frozen=True)
class KpiFigure:
    aht_s: float | None
    aht_n: int
    fcr_pct: float | None
    fcr_n: int
    csat: float | None
    csat_n: int
    service_level_pct: float | None
    sl_n: int


@dataclass(frozen=True)
class MonthRow:
    month: str
    label: str
    qa: QaFigure
    kpi: KpiFigure


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    qa: QaFigure
    kpi: KpiFigure
    targets: dict[str, float | None]
    misses: tuple[str, ...]


@dataclass(frozen=True)
class QuestionFail:
    scorecard: str
    key: str
    text: str
    regulation: str | None
    assessed: int
    failed: int


@dataclass(frozen=True)
class RegulationRow:
    regulation: str
    failed: int
    assessed: int
    questions: tuple[str, ...]


@dataclass(frozen=True)
class AgentRow:
    external_id: str
    name: str
    team: str | None
    qa: QaFigure
    kpi: KpiFigure


@dataclass(frozen=True)
class EvaluatorRow:
    evaluator: str
    evaluations: int
    median_days_to_evaluation: float | None
    coached: int
    median_days_to_coaching: float | None


@dataclass(frozen=True)
class Dashboard:
    query: DashboardQuery
    qa: QaFigure
    kpi: KpiFigure
    targets: dict[str, float | None]
    sl_threshold_s: float
    trend: tuple[MonthRow, ...]
    channels: tuple[ChannelRow, ...]
    questions: tuple[QuestionFail, ...]
    pareto: tuple[d.ParetoBar, ...]
    regulations: tuple[RegulationRow, ...]
    agents: tuple[AgentRow, ...]
    qa_vs_csat: d.Correlation
    aht_vs_qa: d.Correlation
    evaluators: tuple[EvaluatorRow, ...]
    median_days_to_evaluation: float | None
    median_days_to_coaching: float | None
    misses: tuple[d.TargetMiss, ...] = field(default=())

    def as_dict(self) -> dict:
        """JSON-ready: non-finite numbers become None, the period its key and bounds."""
        doc = _finite(asdict(self))
        p = self.query.period
        doc["query"]["period"] = {
            "key": p.key,
            "from": p.first.isoformat(),
            "to": p.last.isoformat(),
        }
        doc["misses"] = [_finite(asdict(m)) | {"scope": m.scope, "problem": m.problem()}
                         for m in self.misses]  # fmt: skip
        return doc


def _finite(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def qa_figure(row: tuple | None) -> QaFigure:
    """From ``(key, n, n_scored, sum, sum_sq, n_pass[, n_fatal])``."""
    if row is None:
        return QaFigure(0, None, None, None, None, 0, None, 0, False)
    n, n_scored, total, total_sq, n_pass = row[1], row[2], row[3], row[4], row[5] or 0
    ci = d.mean_ci(n_scored, total, total_sq)
    half = ci.half_width if math.isfinite(ci.half_width) else None
    n_fatal = int(row[6] or 0) if len(row) > 6 else 0
    # A percent score cannot leave 0–100, so neither can its interval.
    low = None if ci.low is None else max(0.0, ci.low)
    high = None if ci.high is None else min(100.0, ci.high)
    return QaFigure(int(n), ci.mean, low, high, half, int(n_pass), d.pct(n_pass, n_scored),
                    n_fatal, ci.enough)  # fmt: skip


def kpi_figure(row: tuple | None) -> KpiFigure:
    """From ``(key, aht_sum, aht_n, fcr_sum, fcr_n, csat_sum, csat_n, sl_in, sl_n)``."""
    if row is None:
        return KpiFigure(None, 0, None, 0, None, 0, None, 0)
    _, aht_sum, aht_n, fcr_sum, fcr_n, csat_sum, csat_n, sl_in, sl_n = row
    return KpiFigure(
        aht_sum / aht_n if aht_n else None, aht_n, d.pct(fcr_sum or 0, fcr_n), fcr_n,
        csat_sum / csat_n if csat_n else None, csat_n, d.pct(sl_in, sl_n), sl_n,
    )  # fmt: skip


def _lookup(ws: Workspace, sql: str, value: str, what: str) -> int:
    row = ws.db.execute(sql, [value]).fetchone()
    if row is None:
        raise DataRefused(f"unknown {what} '{value}'.")
    return int(row[0])


def resolve_filters(
    ws: Workspace, query: DashboardQuery, versions: list[ScorecardVersion]
) -> q.Filters:
    if query.channel is not None and query.channel not in CHANNELS:
        raise DataRefused(
            f"unknown channel '{query.channel}'.", [f"Channels: {', '.join(CHANNELS)}"]
        )
    team_id = None if query.team is None else _lookup(
        ws, "SELECT id FROM teams WHERE name = ?", query.team, "team")  # fmt: skip
    agent_id = None if query.agent is None else _lookup(
        ws, "SELECT id FROM agents WHERE external_id = ?", query.agent, "agent")  # fmt: skip
    version_ids = None
    if query.scorecard is not None:
        version_ids = tuple(v.id for v in versions if v.key == query.scorecard)
        if not version_ids:
            raise DataRefused(f"unknown scorecard '{query.scorecard}'.")
    targets = tuple((v.id, float(v.card.target)) for v in versions)
    return q.Filters(team_id, agent_id, query.channel, version_ids, targets)


def _qa_target(book: TargetBook, team: str | None, channel: str | None, used: list) -> float | None:
    """The stored QA target, else the pass mark the scorecards in use share (None if they
    differ: averaging pass marks would be a target nobody set)."""
    stored = book.value(d.QA_SCORE, team, channel)
    if stored is not None:
        return stored
    marks = {float(v.card.target) for v in used}
    return marks.pop() if len(marks) == 1 else None


def _targets(ws: Workspace, book: TargetBook, team: str | None, channel: str | None,
             used: list) -> dict[str, float | None]:  # fmt: skip
    kpi = kpi_targets(ws)
    defaults = {d.AHT: kpi.aht_s, d.FCR: kpi.fcr, d.CSAT: kpi.csat}
    out: dict[str, float | None] = {d.QA_SCORE: _qa_target(book, team, channel, used)}
    for metric in (d.AHT, d.FCR, d.CSAT):
        stored = book.find(metric, team, channel)
        if metric == d.AHT and channel not in (None, "voice"):
            # Workspace AHT targets (and the packs' default) are voice handle times: an e-mail's
            # handle time is judged only against a target set for its channel.
            out[metric] = stored.value if stored and stored.channel == channel else None
            continue
        out[metric] = stored.value if stored is not None else defaults[metric]
    stored = book.value(d.SERVICE_LEVEL, team, channel)
    out[d.SERVICE_LEVEL] = stored if stored is not None else 80.0
    return out


def _actuals(qa: QaFigure, kpi: KpiFigure, team: str | None, channel: str | None) -> list:
    return [
        d.Actual(d.QA_SCORE, qa.mean, qa.n, team, channel),
        d.Actual(d.AHT, kpi.aht_s, kpi.aht_n, team, channel),
        d.Actual(d.FCR, kpi.fcr_pct, kpi.fcr_n, team, channel),
        d.Actual(d.CSAT, kpi.csat, kpi.csat_n, team, channel),
        d.Actual(d.SERVICE_LEVEL, kpi.service_level_pct, kpi.sl_n, team, channel),
    ]


def _questions(rows: list, by_vid: dict[int, ScorecardVersion]) -> list[QuestionFail]:
    """Merge versions of a scorecard by question key (text and regulation of the latest)."""
    merged: dict[tuple[str, str], list] = {}
    for vid, key, assessed, failed in rows:
        v = by_vid[vid]
        question = next((x for s in v.card.sections for x in s.questions if x.key == key), None)
        if question is None:
            continue
        slot = merged.setdefault((v.key, key), [v.version, question, 0, 0])
        if v.version > slot[0]:
            slot[0], slot[1] = v.version, question
        slot[2] += assessed
        slot[3] += failed or 0
    return [QuestionFail(card, key, s[1].text, s[1].regulation, s[2], s[3])
            for (card, key), s in sorted(merged.items())]  # fmt: skip


def _regulations(questions: list[QuestionFail]) -> list[RegulationRow]:
    groups: dict[str, list[QuestionFail]] = defaultdict(list)
    for x in questions:
        if x.regulation:
            groups[x.regulation].append(x)
    rows = [RegulationRow(reg, sum(x.failed for x in xs), sum(x.assessed for x in xs),
                          tuple(f"{x.scorecard}.{x.key}" for x in xs))
            for reg, xs in groups.items()]  # fmt: skip
    return sorted(rows, key=lambda r: (-r.failed, r.regulation))


def _evaluators(rows: list) -> tuple[list[EvaluatorRow], float | None, float | None]:
    by: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for name, to_eval, to_coach in rows:
        evals, coached = by[name]
        if to_eval is not None:
            evals.append(to_eval)
        if to_coach is not None:
            coached.append(to_coach)
    counts: dict[str, int] = defaultdict(int)
    for name, _a, _b in rows:
        counts[name] += 1
    out = [EvaluatorRow(name, counts[name], d.median(e), len(c), d.median(c))
           for name, (e, c) in sorted(by.items())]  # fmt: skip
    every_eval = [r[1] for r in rows if r[1] is not None]
    every_coach = [r[2] for r in rows if r[2] is not None]
    return out, d.median(every_eval), d.median(every_coach)


def dashboard(ws: Workspace, query: DashboardQuery) -> Dashboard:
    """Every figure the dashboard shows for ``query`` (a handful of GROUP BY queries)."""
    versions = list_versions(ws)
    by_vid = {v.id: v for v in versions}
    f = resolve_filters(ws, query, versions)
    lo, hi = query.period.bounds
    book = target_book(ws)
    team, channel = query.team, query.channel
    thresholds = {c: book.sl_threshold(team, c) for c in CHANNELS}

    overall = qa_figure(next(iter(q.qa_rows(ws, f, lo, hi)), None))
    kpi = kpi_figure(next(iter(q.kpi_rows(ws, f, lo, hi, thresholds)), None))
    q_rows = q.question_rows(ws, f, lo, hi)
    used = [by_vid[vid] for vid in {r[0] for r in q_rows}]
    targets = _targets(ws, book, team, channel, used)

    months = query.period.trend_months(query.trend_months)
    buckets = [(m.key, *m.bounds) for m in months]
    qa_months = {r[0]: r for r in q.qa_bucket_rows(ws, f, buckets)}
    trend = []
    for m in months:
        m_lo, m_hi = m.bounds
        k = kpi_figure(next(iter(q.kpi_rows(ws, f, m_lo, m_hi, thresholds)), None))
        trend.append(MonthRow(m.key, month_label(m), qa_figure(qa_months.get(m.key)), k))

    used_in: dict[str, list[ScorecardVersion]] = defaultdict(list)
    for c, vid in q.channel_versions(ws, f, lo, hi):
        used_in[c].append(by_vid[vid])
    qa_by_channel = {r[0]: r for r in q.qa_rows(ws, f, lo, hi, "channel")}
    kpi_by_channel = {r[0]: r for r in q.kpi_rows(ws, f, lo, hi, thresholds, "channel")}
    target_of: dict = {}
    actuals = _actuals(overall, kpi, team, channel)
    for metric, value in targets.items():
        if value is not None:
            target_of[(metric, team, channel)] = value
    channels = []
    for c in CHANNELS:
        if c not in qa_by_channel and c not in kpi_by_channel:
            continue
        cq, ck = qa_figure(qa_by_channel.get(c)), kpi_figure(kpi_by_channel.get(c))
        ct = _targets(ws, book, team, c, used_in.get(c, []))
        c_actuals = _actuals(cq, ck, team, c)
        c_target_of = {(m, team, c): v for m, v in ct.items() if v is not None}
        c_misses = d.target_misses(c_actuals, c_target_of)
        channels.append(ChannelRow(c, cq, ck, ct, tuple(x.metric for x in c_misses)))
        if channel is None:
            actuals += c_actuals
            target_of |= c_target_of

    questions = _questions(q_rows, by_vid)
    pareto = d.pareto((f"{x.scorecard}.{x.key}", x.failed) for x in questions)

    names = {r[0]: r[1:] for r in ws.db.execute(
        "SELECT a.id, a.external_id, a.name, t.name FROM agents a "
        "LEFT JOIN teams t ON t.id = a.team_id")}  # fmt: skip
    kpi_by_agent = {r[0]: r for r in q.kpi_rows(ws, f, lo, hi, thresholds, "agent")}
    agents = []
    for row in q.qa_rows(ws, f, lo, hi, "agent"):
        ext, name, team_name = names[row[0]]
        agents.append(AgentRow(ext, name, team_name, qa_figure(row),
                               kpi_figure(kpi_by_agent.get(row[0]))))  # fmt: skip
    agents.sort(key=lambda a: (a.team or "", a.name, a.external_id))
    with_csat = [a for a in agents if a.qa.mean is not None and a.kpi.csat is not None]
    with_aht = [a for a in agents if a.qa.mean is not None and a.kpi.aht_s is not None]
    qa_vs_csat = d.pearson([a.qa.mean for a in with_csat], [a.kpi.csat for a in with_csat])
    aht_vs_qa = d.pearson([a.kpi.aht_s for a in with_aht], [a.qa.mean for a in with_aht])

    evaluators, med_eval, med_coach = _evaluators(q.turnaround_rows(ws, f, lo, hi))
    return Dashboard(
        query, overall, kpi, targets, book.sl_threshold(team, channel), tuple(trend),
        tuple(channels), tuple(questions), tuple(pareto), tuple(_regulations(questions)),
        tuple(agents), qa_vs_csat, aht_vs_qa, tuple(evaluators), med_eval, med_coach,
        tuple(d.target_misses(actuals, target_of)),
    )  # fmt: skip
