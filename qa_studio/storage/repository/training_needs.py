"""The training-needs matrix: agent × question fail rates and the questions a team should be briefed on.

Fail rates come from counted evaluations of the dashboard's filter — mystery-shop evaluations
(source ``mystery_shop``) included, since a mystery shopper's fail is evidence like any other —
aggregated in SQL per agent and question (``dashboard_queries.question_rows``). A question whose
fail rate exceeds X % for at least Y % of a team's assessed agents is flagged as a team training
need (``domain.dashboard.training_needs``) rather than left to one-to-one coaching.

Beside the fail rates, per agent, the customer's side of the same contacts (handled in the period
by agents in the filter; the scorecard filter does not apply to them): complaint categories from
the complaints log, the themes of negative survey comments (``domain.survey_themes``: a published
lexicon, negative = at or below 40 % of the scale) and the mystery shops on their own — how many,
their mean score and how many reached the scorecard's target — so a supervisor can tell a gap a
mystery shopper saw from one found in sampled calls.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from qa_studio.domain import dashboard as d
from qa_studio.domain import survey_themes as st
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import dashboard_queries as q
from qa_studio.storage.repository.dashboard import DashboardQuery, resolve_filters
from qa_studio.storage.repository.scorecards import list_versions


@dataclass(frozen=True)
class MysteryShops:
    """An agent's counted mystery-shop evaluations: how many, their mean percent (None when
    none was scored) and how many reached their scorecard version's target."""

    n: int = 0
    mean: float | None = None
    passed: int = 0


@dataclass(frozen=True)
class TrainingMatrix:
    """Agent × question fail rates (%) with the cells' n, and the team training needs."""

    agents: tuple[str, ...]
    agent_teams: tuple[str, ...]
    questions: tuple[str, ...]
    question_texts: tuple[str, ...]
    #: ``rates[agent][question]`` in %, None where the agent was never assessed on it.
    rates: tuple[tuple[float | None, ...], ...]
    counts: tuple[tuple[int, ...], ...]
    needs: tuple[d.TrainingNeed, ...]
    #: Complaint categories logged against the agents' contacts, and counts per agent.
    complaint_categories: tuple[str, ...] = ()
    complaints: tuple[tuple[int, ...], ...] = ()
    #: The survey-theme lexicon used, and each agent's negative responses by theme.
    themes: tuple[st.Theme, ...] = st.THEMES
    surveys: tuple[st.AgentThemes, ...] = ()
    #: Each agent's counted mystery-shop evaluations.
    mystery: tuple[MysteryShops, ...] = ()


_SURVEYS = f"""
SELECT i.agent_id, s.score, s.scale_max, s.comment
FROM survey_responses s JOIN interactions i ON i.id = s.interaction_id
JOIN agents a ON a.id = i.agent_id
WHERE {q.CONTACT_FILTER}
  AND s.score IS NOT NULL AND s.score <= :share * coalesce(s.scale_max, :scale)
ORDER BY i.started_at, s.id"""


def survey_rows(ws: Workspace, f: q.Filters, lo: str, hi: str) -> list[tuple]:
    """``(agent_id, score, scale_max, comment)`` of the negative survey responses
    (``survey_themes.is_negative``, filtered in SQL) to contacts handled in ``[lo, hi)`` by
    agents in the filter, oldest contact first (the order examples are kept in)."""
    params = {**f.params(lo, hi), "share": st.NEGATIVE_SHARE, "scale": st.DEFAULT_SCALE_MAX}
    return ws.db.execute(_SURVEYS, params).fetchall()


def mystery_rows(ws: Workspace, f: q.Filters, lo: str, hi: str) -> list[tuple]:
    """``(agent_id, n, mean percent, passed)`` over counted mystery-shop evaluations in the
    dashboard's filter (the same evaluations the fail rates count,
    ``dashboard_queries.COUNTED_EV``)."""
    sql = (
        f"{q.COUNTED_EV} SELECT ev.agent_id, count(*), avg(ev.percent), sum(ev.passed) FROM ev "
        "JOIN evaluations e ON e.id = ev.id WHERE e.source = 'mystery_shop' GROUP BY ev.agent_id"
    )
    return ws.db.execute(sql, f.params(lo, hi)).fetchall()


def training_matrix(
    ws: Workspace,
    query: DashboardQuery,
    fail_pct: float = d.DEFAULT_FAIL_PCT,
    agent_share_pct: float = d.DEFAULT_AGENT_SHARE_PCT,
) -> TrainingMatrix:
    """The heat map's cells (counted evaluations, mystery-shop ones included) and the questions
    flagged as team training needs by ``domain.dashboard.training_needs``, beside each agent's
    complaint categories, negative survey themes and mystery shops (module docstring)."""
    versions = list_versions(ws)
    by_vid = {v.id: v for v in versions}
    f = resolve_filters(ws, query, versions)
    lo, hi = query.period.bounds
    cells: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    texts: dict[str, str] = {}
    teams_of: dict[int, str] = {}
    for agent_id, _team_id, vid, key, assessed, failed in q.question_rows(
        ws, f, lo, hi, by_agent=True
    ):
        v = by_vid[vid]
        label = f"{v.key}.{key}"
        question = next((x for s in v.card.sections for x in s.questions if x.key == key), None)
        texts[label] = question.text if question is not None else key
        cell = cells[(agent_id, label)]
        cell[0] += failed or 0
        cell[1] += assessed
    names = {r[0]: (r[1], r[2] or "(no team)") for r in ws.db.execute(
        "SELECT a.id, a.name, t.name FROM agents a LEFT JOIN teams t ON t.id = a.team_id")}  # fmt: skip
    logged: dict[tuple[int, str], int] = {(a, c): n for a, c, n in q.complaint_rows(ws, f, lo, hi)}
    categories = sorted({c for _, c in logged})
    surveys = st.tally(survey_rows(ws, f, lo, hi))
    shops = {a: MysteryShops(n, mean, int(p or 0)) for a, n, mean, p in mystery_rows(ws, f, lo, hi)}
    agent_ids = sorted({a for a, _ in cells} | {a for a, _ in logged} | set(surveys) | set(shops),
                       key=lambda a: (names[a][1], names[a][0]))  # fmt: skip
    for a in agent_ids:
        teams_of[a] = names[a][1]
    questions = sorted(texts)
    rates, counts = [], []
    for a in agent_ids:
        rates.append(tuple(d.pct(cells[(a, x)][0], cells[(a, x)][1]) if (a, x) in cells else None
                           for x in questions))  # fmt: skip
        counts.append(tuple(cells[(a, x)][1] if (a, x) in cells else 0 for x in questions))
    needs = d.training_needs(((teams_of[a], names[a][0], x, c[0], c[1])
                              for (a, x), c in cells.items()), fail_pct, agent_share_pct)  # fmt: skip
    return TrainingMatrix(
        tuple(names[a][0] for a in agent_ids), tuple(teams_of[a] for a in agent_ids),
        tuple(questions), tuple(texts[x] for x in questions), tuple(rates), tuple(counts),
        tuple(needs), tuple(categories),
        tuple(tuple(logged.get((a, c), 0) for c in categories) for a in agent_ids),
        st.THEMES, tuple(surveys.get(a, st.empty()) for a in agent_ids),
        tuple(shops.get(a, MysteryShops()) for a in agent_ids),
    )  # fmt: skip
