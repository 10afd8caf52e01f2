"""Per-agent reporting for coaching packs and the coaching screen: one batch, a handful of queries.

``agent_reports(ws, agents, period)`` returns an ``AgentReport`` per agent — score summary with the
figures a confidence interval needs, the team's figures beside them, the previous period, a
monthly trend, section and question results, the evidence to replay and the contact KPIs. The SQL
lives in ``reporting_queries`` and runs once per batch whatever its size; this module resolves who
is in the batch, feeds the queries the scorecard structure they cannot read from YAML and turns
rows into records. Periods are London calendar days; an evaluation belongs to the period in which
its *contact* was handled, so a pack describes the agent's work in that period whenever it was
scored. Team figures include the agent (the team as it is today: agents' current team).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from qa_studio.domain.periods import Period
from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import reporting_queries as rq
from qa_studio.storage.repository.reporting_types import (
    AgentInfo,
    AgentReport,
    EvidenceRow,
    Kpis,
    KpiTargets,
    MonthPoint,
    QuestionRate,
    ScoreSummary,
    SectionScore,
)
from qa_studio.storage.repository.scorecards import ScorecardVersion, list_versions
from qa_studio.storage.repository.targets import workspace_target
from qa_studio.storage.repository.workspace_info import get_setting

__all__ = [
    "AgentInfo",
    "AgentReport",
    "EvidenceRow",
    "KpiTargets",
    "Kpis",
    "MonthPoint",
    "QuestionRate",
    "ScoreSummary",
    "SectionScore",
    "agent_reports",
    "kpi_targets",
    "resolve_agents",
]

_AGENT_SQL = (
    "SELECT a.id, a.external_id, a.name, a.team_id, t.name, l.name FROM agents a "
    "LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN evaluators l ON l.id = t.leader_id"
)
#: Workspace settings holding KPI targets, and the defaults a pack states when they are absent.
KPI_SETTINGS = {"aht_s": "target.aht_s", "fcr": "target.fcr_pct", "csat": "target.csat"}
KPI_DEFAULTS = {"aht_s": 360.0, "fcr": 75.0, "csat": 4.2}


def _info(row: tuple) -> AgentInfo:
    return AgentInfo(int(row[0]), row[1], row[2], row[3], row[4], row[5])


def resolve_agents(
    ws: Workspace, *, agent: str | None = None, team: str | None = None, everyone: bool = False
) -> list[AgentInfo]:
    """The agents of a batch: one agent by external id, a team's agents by team name, or every
    agent; ``DataRefused`` naming what was not found (and what exists)."""
    if sum(x is not None and x is not False for x in (agent, team, everyone or None)) != 1:
        raise DataRefused("choose exactly one of: an agent, a team, or all agents.")
    if agent is not None:
        row = ws.db.execute(f"{_AGENT_SQL} WHERE a.external_id = ?", [agent]).fetchone()
        if row is None:
            raise DataRefused(
                f"unknown agent '{agent}': agents are named by their external id.",
                ["List them with: qa-studio --db FILE info --json"],
            )
        return [_info(row)]
    if team is not None:
        if ws.db.execute("SELECT 1 FROM teams WHERE name = ?", [team]).fetchone() is None:
            known = [r[0] for r in ws.db.execute("SELECT name FROM teams ORDER BY name LIMIT 30")]
            raise DataRefused(
                f"unknown team '{team}' (teams: {', '.join(known) if known else 'none yet'})."
            )
        rows = ws.db.execute(f"{_AGENT_SQL} WHERE t.name = ? ORDER BY a.name, a.id", [team])
        return [_info(r) for r in rows]
    return [_info(r) for r in ws.db.execute(f"{_AGENT_SQL} ORDER BY t.name, a.name, a.id")]


def kpi_targets(ws: Workspace) -> KpiTargets:
    """KPI targets: the workspace-wide targets the dashboard edits (``targets`` table), else the
    workspace settings (``target.aht_s``, ``target.fcr_pct``, ``target.csat``), else the stated
    default."""
    values: dict[str, float] = {}
    from_settings: list[str] = []
    for name, key in KPI_SETTINGS.items():
        stored = workspace_target(ws, key.removeprefix("target."))
        raw = str(stored) if stored is not None else get_setting(ws.db, key)
        try:
            value = float(raw) if raw is not None else None
        except ValueError:
            value = None
        if value is not None and math.isfinite(value):
            values[name] = value
            from_settings.append(name)
        else:
            values[name] = KPI_DEFAULTS[name]
    return KpiTargets(values["aht_s"], values["fcr"], values["csat"], tuple(from_settings))


def _structure(versions: Sequence[ScorecardVersion]) -> tuple[list, list]:
    targets = [[v.id, v.card.target] for v in versions]
    questions = []
    for v in versions:
        order = 0
        for s in v.card.sections:
            for q in s.questions:
                questions.append([v.id, q.key, v.key, s.key, int(q.critical), order])
                order += 1
    return targets, questions


def _summary(row: tuple | None) -> ScoreSummary:
    if row is None:
        return ScoreSummary(0, 0, None, None, 0, 0, 0, None)
    n, n_scored, total, total_sq, n_pass, n_fatal, n_crit, target_sum = row
    mean = sd = None
    if n_scored:
        mean = total / n_scored
        if n_scored > 1:
            sd = math.sqrt(max(0.0, (total_sq - total * total / n_scored) / (n_scored - 1)))
    target = target_sum / n if n else None
    return ScoreSummary(
        int(n), int(n_scored), mean, sd, int(n_pass or 0), int(n_fatal or 0), int(n_crit or 0),
        target,
    )  # fmt: skip


def _kpis(row: tuple | None) -> Kpis:
    if row is None:
        return Kpis(None, 0, None, 0, None, 0)
    aht_sum, aht_n, fcr_sum, fcr_n, csat_sum, csat_n = row
    return Kpis(
        aht_sum / aht_n if aht_n else None,
        int(aht_n or 0),
        100.0 * fcr_sum / fcr_n if fcr_n else None,
        int(fcr_n or 0),
        csat_sum / csat_n if csat_n else None,
        int(csat_n or 0),
    )


class _Catalogue:
    """Names, texts and order of scorecards, sections and questions, from each card's latest
    version (questions are matched by key across versions, as what-if re-scoring does)."""

    def __init__(self, versions: Sequence[ScorecardVersion]) -> None:
        self.by_id = {v.id: v for v in versions}
        self.latest: dict[str, ScorecardVersion] = {}
        for v in versions:  # list_versions orders by key, then version
            self.latest[v.key] = v
        self.question: dict[tuple[str, str], tuple] = {}
        self.section: dict[tuple[str, str], tuple] = {}
        for v in versions:
            for s_index, s in enumerate(v.card.sections):
                self.section[(v.key, s.key)] = (s.name, s_index)
                for q_index, q in enumerate(s.questions):
                    self.question[(v.key, q.key)] = (q, s.name, (s_index, q_index))

    def card_name(self, key: str) -> str:
        return self.latest[key].name if key in self.latest else key


def agent_reports(
    ws: Workspace, agents: Sequence[AgentInfo], period: Period, *, trend_months: int = 6
) -> list[AgentReport]:
    """Reports for ``agents`` in ``period``, in the same order; a fixed number of queries,
    read in one transaction so every figure comes from the same snapshot."""
    if not agents:
        return []
    versions = list_versions(ws)
    catalogue = _Catalogue(versions)
    targets, questions = _structure(versions)
    months = period.trend_months(trend_months)
    previous = period.previous()
    p_lo, p_hi = period.bounds
    everyone = len(agents) == int(ws.db.execute("SELECT count(*) FROM agents").fetchone()[0])
    teams = sorted({a.team_id for a in agents if a.team_id is not None})
    lo = min(previous.bounds[0], months[0].bounds[0])
    hi = max(p_hi, months[-1].bounds[1])
    scope = rq.Scope(lo, hi, [a.id for a in agents], teams, everyone, targets)
    month_bounds = [(m.key, *m.bounds) for m in months]
    with ws.db.atomic():
        rq.load_questions(ws, questions)
        summary = rq.summary_rows(
            ws, scope, [("period", p_lo, p_hi), ("previous", *previous.bounds)]
        )
        trend = rq.trend_rows(ws, scope, month_bounds)
        sections = rq.section_rows(ws, scope, p_lo, p_hi)
        question_stats = rq.question_rows(ws, scope, p_lo, p_hi)
        used = rq.scorecard_rows(ws, scope, p_lo, p_hi)
        evidence = rq.evidence_rows(ws, scope, p_lo, p_hi)
        kpis = rq.kpi_rows(ws, scope, p_lo, p_hi)
        rq.drop_questions(ws)
    by_summary = {(r[0], r[1], r[2]): r[3:] for r in summary}
    by_trend = {(r[0], r[1], r[2]): (int(r[3]), r[4]) for r in trend}
    by_kpi = {(r[0], r[1]): r[2:] for r in kpis}
    section_stats: dict[tuple, dict] = defaultdict(dict)
    for kind, who, card_key, section_key, n, mean in sections:
        section_stats[(kind, who)][(card_key, section_key)] = (int(n), mean)
    q_stats: dict[tuple, dict] = defaultdict(dict)
    for kind, who, card_key, qkey, n, passed in question_stats:
        q_stats[(kind, who)][(card_key, qkey)] = (int(n or 0), int(passed or 0))
    scorecards_used: dict[int, list] = defaultdict(list)
    for agent_id, vid, n in used:
        v = catalogue.by_id[vid]
        scorecards_used[agent_id].append((v.ref, v.name, v.card.target, int(n)))
    evidence_by_agent: dict[int, list[EvidenceRow]] = defaultdict(list)
    for row in evidence:
        evidence_by_agent[row[0]].append(_evidence(row, catalogue))
    targets_kpi = kpi_targets(ws)
    out = []
    for a in agents:
        team_key = (rq.TEAM, a.team_id)
        mine = _summary(by_summary.get((rq.AGENT, a.id, "period")))
        trend_points = tuple(
            MonthPoint(
                m.key,
                m.first.strftime("%b %Y"),
                *by_trend.get((rq.AGENT, a.id, m.key), (0, None)),
                *by_trend.get((rq.TEAM, a.team_id, m.key), (0, None)),
            )
            for m in months
        )
        out.append(
            AgentReport(
                agent=a,
                period=period,
                previous_period=previous,
                summary=mine,
                team=_summary(by_summary.get((*team_key, "period"))),
                previous=_summary(by_summary.get((rq.AGENT, a.id, "previous"))),
                trend=trend_points,
                sections=_sections(catalogue, section_stats[(rq.AGENT, a.id)],
                                   section_stats.get(team_key, {})),
                questions=_questions(catalogue, q_stats[(rq.AGENT, a.id)],
                                     q_stats.get(team_key, {})),
                evidence=tuple(evidence_by_agent.get(a.id, ())),
                kpis=_kpis(by_kpi.get((rq.AGENT, a.id))),
                team_kpis=_kpis(by_kpi.get(team_key)),
                kpi_targets=targets_kpi,
                scorecards=tuple(sorted(scorecards_used.get(a.id, ()))),
            )
        )  # fmt: skip
    return out


def _sections(cat: _Catalogue, mine: dict, team: dict) -> tuple[SectionScore, ...]:
    out = []
    for (card_key, section_key), (n, mean) in mine.items():
        name, order = cat.section.get((card_key, section_key), (section_key, 0))
        t_n, t_mean = team.get((card_key, section_key), (0, None))
        out.append(
            (
                (card_key, order),
                SectionScore(card_key, cat.card_name(card_key), section_key, name, n, mean,
                             t_n, t_mean),
            )
        )  # fmt: skip
    return tuple(s for _k, s in sorted(out, key=lambda x: x[0]))


def _questions(cat: _Catalogue, mine: dict, team: dict) -> tuple[QuestionRate, ...]:
    out = []
    for (card_key, qkey), (n, passed) in mine.items():
        q, section, order = cat.question[(card_key, qkey)]
        t_n, t_passed = team.get((card_key, qkey), (0, 0))
        out.append(
            (
                (card_key, order),
                QuestionRate(card_key, cat.card_name(card_key), qkey, q.text, section,
                             q.regulation, q.critical, q.fatal, n, passed, t_n, t_passed),
            )
        )  # fmt: skip
    return tuple(r for _k, r in sorted(out, key=lambda x: x[0]))


def _evidence(row: tuple, cat: _Catalogue) -> EvidenceRow:
    (_agent, eid, started_at, channel, interaction, recording, vid, evaluator, qkey, failed,
     text, at_s, kind) = row  # fmt: skip
    version = cat.by_id[vid]
    if qkey is None:
        question = "Overall comment" if kind == "comment" else "General note"
    else:
        question = version.card.question(qkey).text
    return EvidenceRow(
        evaluation_id=int(eid),
        date=parse_iso(started_at).astimezone(LONDON).date().isoformat(),
        channel=channel,
        interaction=interaction,
        scorecard=version.name,
        question_key=qkey,
        question=question,
        failed=bool(failed),
        comment=text,
        at_s=at_s,
        recording_path=recording,
        evaluator=evaluator,
    )
