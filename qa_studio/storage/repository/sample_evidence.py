"""The evidence the planner works from: agent volumes, score spread, and each agent's scores.

Counted evaluations only (submitted, signed off, disputed, final); calibration evaluations only
when their session counts toward scores; targeted reviews only when asked for — they were chosen
*because* something went wrong, so they would drag a routine average down unfairly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from qa_studio.domain import planner
from qa_studio.domain.models import COUNTED_STATUSES
from qa_studio.domain.periods import Period
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL

_COUNTED = ", ".join(f"'{s}'" for s in COUNTED_STATUSES)


def agent_volumes(ws: Workspace, period: Period) -> dict[str, int]:
    """Interactions handled per agent (external id) in the period: the planner's N per agent."""
    lo, hi = period.bounds
    rows = ws.db.execute(
        "SELECT a.external_id, count(*) FROM interactions i JOIN agents a ON a.id = i.agent_id "
        "WHERE i.started_at >= ? AND i.started_at < ? GROUP BY i.agent_id",
        [lo, hi],
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


#: The pooled SD is learnt from at most this many of the latest routine evaluations: plenty
#: for a standard deviation, and it keeps the wizard's preview fast in a workspace with years
#: of history.
SD_SAMPLE = 2000


def pooled_score_sd(ws: Workspace) -> tuple[float | None, int]:
    """Pooled within-agent SD of the latest counted routine scores (percent), and how many.

    Summed in SQL (count, Σx, Σx² per agent over the latest evaluations) so that it costs a few
    milliseconds whatever the history."""
    rows = ws.db.execute(
        # NOT INDEXED: walk evaluations newest first and stop at the limit, rather than join
        # every counted evaluation through the status index and sort them afterwards.
        "SELECT count(*), total(p), total(p * p) FROM (SELECT i.agent_id AS a, e.percent AS p "
        "FROM evaluations e NOT INDEXED JOIN interactions i ON i.id = e.interaction_id "
        f"WHERE e.status IN ({_COUNTED}) AND e.percent IS NOT NULL "
        "AND e.source NOT IN ('targeted', 'calibration') AND i.agent_id IS NOT NULL "
        "ORDER BY e.id DESC LIMIT ?) GROUP BY a",
        [SD_SAMPLE],
    ).fetchall()
    ss, df, total = 0.0, 0, 0
    for n, s, s2 in rows:
        total += n
        if n >= 2:
            ss += max(0.0, s2 - s * s / n)
            df += n - 1
    return ((ss / df) ** 0.5 if df else None), total


def agent_evidence(
    ws: Workspace,
    period: Period | None = None,
    *,
    max_half_width: float = planner.DEFAULT_MAX_HALF_WIDTH,
    confidence: float = planner.DEFAULT_CONFIDENCE,
    include_targeted: bool = False,
) -> list[planner.AgentEvidence]:
    """Each agent's mean score (weighted back when sampled with risk weights) with its
    interval, pass rate (percent ≥ the scorecard's target and no fatal error) with its Wilson
    interval, and "not enough evidence" when the half-width exceeds ``max_half_width``.

    Sample weights are made relative within each sample and agent (mean 1), so a risk-weighted
    sample is weighted back while each evaluation, sampled or ad hoc, still counts once.
    """
    sql = (
        "SELECT a.external_id, a.name, e.percent, e.fatal, e.scorecard_version_id, "
        "si.sample_id, si.weight FROM evaluations e "
        "JOIN interactions i ON i.id = e.interaction_id JOIN agents a ON a.id = i.agent_id "
        "LEFT JOIN sample_items si ON si.sample_id = e.sample_id "
        "AND si.interaction_id = e.interaction_id "
        f"WHERE {COUNTED_EVALUATION_SQL} AND e.percent IS NOT NULL "
        "AND (? OR e.source <> 'targeted')"
    )
    args: list = [int(include_targeted)]
    if period is not None:
        sql += " AND i.started_at >= ? AND i.started_at < ?"
        args += list(period.bounds)
    target = _targets(ws)
    groups: dict[tuple, list[tuple[float, bool, float]]] = defaultdict(list)
    for ext, name, percent, fatal, version, sample_id, weight in ws.db.execute(sql, args):
        passed = float(percent) >= target(version) and not fatal
        groups[(ext, name, sample_id)].append((float(percent), passed, float(weight or 1.0)))
    scores: dict[tuple[str, str], list[planner.ScoredItem]] = defaultdict(list)
    for (ext, name, sample_id), rows in groups.items():
        mean_w = sum(w for _, _, w in rows) / len(rows) if sample_id is not None else 1.0
        scores[(ext, name)] += [planner.ScoredItem(p, ok, w / mean_w) for p, ok, w in rows]
    return planner.agent_evidence(scores, max_half_width=max_half_width, confidence=confidence)


def _targets(ws: Workspace) -> Callable[[int], float]:
    """Pass mark (percent) per scorecard version id, parsed once per version."""
    cache: dict[int, float] = {}

    def target(version_id: int) -> float:
        if version_id not in cache:
            mark = scorecards.get_version(ws, version_id).card.target
            cache[version_id] = float(mark) if mark is not None else 0.0
        return cache[version_id]

    return target
