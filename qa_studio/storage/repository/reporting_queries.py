"""The SQL behind coaching packs: every aggregate for a whole batch of agents, one query each.

A pack for one agent needs the agent's and the team's figures; a batch of 500 agents must not run
500 × 7 queries (ARCHITECTURE.md § Large tables). Each function here runs ONE statement that
groups by agent *and* by team (``UNION ALL`` of the two groupings) for every agent in scope, and
returns plain tuples that ``reporting`` turns into records.

Every statement starts from the same common table expression ``ev``: the evaluations that count
(``counting.COUNTED_EVALUATION_SQL``, the one rule every score query shares: statuses submitted,
signed off, disputed, final; calibration evaluations only once their session is closed and counts
toward scores) of contacts handled between ``lo`` and ``hi`` by agents in scope. The scan
is driven from ``evaluations`` (``CROSS JOIN`` fixes the order), which is far smaller than the
interactions table. The scorecard structure that SQL cannot read from YAML is handed over in two
ways: each version's target as JSON read with ``json_each`` (a handful of rows), and which section
each question is in and whether it is critical as the temporary table ``qa_pack_questions``
(``load_questions``) — keyed by (version, question), so joining 100,000 answers to it is an index
lookup each, five times faster than a JSON table. Temporary tables live in the connection only
(read-only connections may create them) and are dropped after the batch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL

AGENT, TEAM = "agent", "team"


@dataclass(frozen=True)
class Scope:
    """Which evaluations a batch reads: contacts in ``[lo, hi)`` of the batch's agents and of
    everyone in their teams (the team figures); ``everyone`` skips the filter."""

    lo: str
    hi: str
    agent_ids: Sequence[int]
    team_ids: Sequence[int]
    everyone: bool
    #: ``[[version_id, target], …]``
    targets: Sequence[Sequence]

    def params(self) -> dict[str, object]:
        return {
            "lo": self.lo,
            "hi": self.hi,
            "agents": json.dumps(list(self.agent_ids)),
            "teams": json.dumps(list(self.team_ids)),
            "everyone": int(self.everyone),
            "targets": json.dumps([list(t) for t in self.targets]),
        }


QUESTIONS_TABLE = "qa_pack_questions"


def load_questions(ws: Workspace, rows: Sequence[Sequence]) -> None:
    """(Re)create the temporary question map: ``(version_id, question_key, card_key,
    section_key, critical, form_order)`` rows."""
    ws.db.execute(f"DROP TABLE IF EXISTS temp.{QUESTIONS_TABLE}")
    ws.db.execute(
        f"CREATE TEMP TABLE {QUESTIONS_TABLE} (vid INTEGER NOT NULL, qkey TEXT NOT NULL, "
        "card_key TEXT NOT NULL, section_key TEXT NOT NULL, critical INTEGER NOT NULL, "
        "ord INTEGER NOT NULL, PRIMARY KEY (vid, qkey)) WITHOUT ROWID"
    )
    ws.db.conn.executemany(f"INSERT INTO temp.{QUESTIONS_TABLE} VALUES (?, ?, ?, ?, ?, ?)", rows)


def drop_questions(ws: Workspace) -> None:
    ws.db.execute(f"DROP TABLE IF EXISTS temp.{QUESTIONS_TABLE}")


_CTE = f"""
WITH vt(vid, target) AS MATERIALIZED (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:targets)
),
ev AS MATERIALIZED (
    SELECT e.id, e.scorecard_version_id AS vid, e.percent, e.fatal, e.comment, e.evaluator_id,
           i.agent_id, a.team_id, i.started_at, i.channel, i.external_id, i.recording_path,
           vt.target, (e.percent IS NOT NULL AND e.percent >= vt.target) AS passed
    FROM evaluations e
    CROSS JOIN interactions i ON i.id = e.interaction_id
    JOIN agents a ON a.id = i.agent_id
    JOIN vt ON vt.vid = e.scorecard_version_id
    WHERE {COUNTED_EVALUATION_SQL}
      AND i.started_at >= :lo AND i.started_at < :hi
      AND (:everyone = 1
           OR i.agent_id IN (SELECT value FROM json_each(:agents))
           OR a.team_id IN (SELECT value FROM json_each(:teams)))
)
"""


def _both(select: str, where: str = "", extra_group: str = "", source: str = "ev") -> str:
    """``select`` grouped by agent and, after ``UNION ALL``, by team (``{who}`` is the column)."""
    where_sql = f"WHERE {where}" if where else ""
    agent = select.format(who="agent_id", kind=AGENT)
    team = select.format(who="team_id", kind=TEAM)
    group = f", {extra_group}" if extra_group else ""
    return (
        f"{agent} FROM {source} {where_sql} GROUP BY agent_id{group} "
        f"UNION ALL {team} FROM {source} "
        f"{'WHERE ' + where + ' AND' if where else 'WHERE'} team_id IS NOT NULL "
        f"GROUP BY team_id{group}"
    )


def summary_rows(ws: Workspace, scope: Scope, buckets: Sequence[tuple[str, str, str]]) -> list:
    """Per agent and per team, per bucket (``(name, lo, hi)``: the period, the previous one):
    ``(kind, who, bucket, n, n_scored, sum, sum_sq, n_pass, n_fatal, n_critical, target_sum)``."""
    params = scope.params() | {"buckets": json.dumps([list(b) for b in buckets])}
    select = (
        "SELECT '{kind}', {who}, bucket, count(*), count(percent), sum(percent), "
        "sum(percent * percent), sum(passed), sum(fatal), sum(critical), sum(target)"
    )
    sql = (
        _CTE
        + """,
b(name, lo, hi) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
    FROM json_each(:buckets)
),
eb AS MATERIALIZED (
    SELECT ev.*, b.name AS bucket,
           EXISTS (SELECT 1 FROM answers an JOIN temp.qa_pack_questions qm ON qm.vid = ev.vid AND qm.qkey = an.question_key
                   WHERE an.evaluation_id = ev.id AND an.failed = 1 AND qm.critical = 1)
               AS critical
    FROM ev JOIN b ON ev.started_at >= b.lo AND ev.started_at < b.hi
)
"""
        + _both(select, extra_group="bucket", source="eb")
    )
    return ws.db.execute(sql, params).fetchall()


def trend_rows(ws: Workspace, scope: Scope, months: Sequence[tuple[str, str, str]]) -> list:
    """Monthly means per agent and team: ``(kind, who, month, n_scored, mean)``."""
    params = scope.params() | {"months": json.dumps([list(m) for m in months])}
    select = "SELECT '{kind}', {who}, month, count(percent), avg(percent)"
    sql = (
        _CTE
        + """,
m(name, lo, hi) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
    FROM json_each(:months)
),
em AS MATERIALIZED (
    SELECT ev.agent_id, ev.team_id, ev.percent, m.name AS month
    FROM ev JOIN m ON ev.started_at >= m.lo AND ev.started_at < m.hi
)
"""
        + _both(select, extra_group="month", source="em")
    )
    return ws.db.execute(sql, params).fetchall()


def section_rows(ws: Workspace, scope: Scope, lo: str, hi: str) -> list:
    """Mean section percent per agent and team in ``[lo, hi)``, each evaluation's section scored
    as the scoring rules do (a failed critical question zeroes its section; N/A-only sections
    leave out): ``(kind, who, card_key, section_key, n, mean)``."""
    params = scope.params() | {"p_lo": lo, "p_hi": hi}
    select = (
        "SELECT '{kind}', {who}, card_key, section_key, count(*), avg(100.0 * earned / possible)"
    )
    sql = (
        _CTE
        + """,
es AS MATERIALIZED (
    SELECT ev.agent_id, ev.team_id, qm.card_key, qm.section_key,
           CASE WHEN max(an.failed * qm.critical) = 1 THEN 0.0 ELSE coalesce(sum(an.points), 0.0)
           END AS earned,
           sum(an.max_points) AS possible
    FROM ev JOIN answers an ON an.evaluation_id = ev.id
    JOIN temp.qa_pack_questions qm ON qm.vid = ev.vid AND qm.qkey = an.question_key
    WHERE ev.started_at >= :p_lo AND ev.started_at < :p_hi
    GROUP BY ev.id, qm.card_key, qm.section_key
)
"""
        + _both(select, where="possible > 0", extra_group="card_key, section_key", source="es")
    )
    return ws.db.execute(sql, params).fetchall()


def question_rows(ws: Workspace, scope: Scope, lo: str, hi: str) -> list:
    """Answers that could fail (not N/A) and those that passed, per question (matched by key
    across a scorecard's versions), per agent and team: ``(kind, who, card_key, key, n, passed)``.
    Counted per agent first; the team rows add up those counts (they are additive)."""
    params = scope.params() | {"p_lo": lo, "p_hi": hi}
    sql = (
        _CTE
        + """,
ga AS MATERIALIZED (
    SELECT ev.agent_id, ev.team_id, qm.card_key, qm.qkey,
           sum(an.na = 0) AS n, sum(an.na = 0 AND an.failed = 0) AS passed
    FROM ev JOIN answers an ON an.evaluation_id = ev.id
    JOIN temp.qa_pack_questions qm ON qm.vid = ev.vid AND qm.qkey = an.question_key
    WHERE ev.started_at >= :p_lo AND ev.started_at < :p_hi
    GROUP BY ev.agent_id, qm.card_key, qm.qkey
)
SELECT 'agent', agent_id, card_key, qkey, n, passed FROM ga
UNION ALL
SELECT 'team', team_id, card_key, qkey, sum(n), sum(passed) FROM ga
WHERE team_id IS NOT NULL GROUP BY team_id, card_key, qkey
"""
    )
    return ws.db.execute(sql, params).fetchall()


def scorecard_rows(ws: Workspace, scope: Scope, lo: str, hi: str) -> list:
    """How many of each agent's evaluations in ``[lo, hi)`` used each scorecard version:
    ``(agent_id, version_id, n)``."""
    params = scope.params() | {"p_lo": lo, "p_hi": hi}
    sql = (
        _CTE + "SELECT agent_id, vid, count(*) FROM ev "
        "WHERE started_at >= :p_lo AND started_at < :p_hi GROUP BY agent_id, vid"
    )
    return ws.db.execute(sql, params).fetchall()


def evidence_rows(ws: Workspace, scope: Scope, lo: str, hi: str) -> list:
    """Each failed or commented answer, each general note and each overall comment of the batch's
    own agents in ``[lo, hi)``, in time order: ``(agent_id, evaluation_id, started_at, channel,
    interaction, recording_path, version_id, evaluator, question_key, failed, text, at_s,
    kind)`` where kind is ``answer``, ``note`` (a general note) or ``comment`` (overall)."""
    params = scope.params() | {"p_lo": lo, "p_hi": hi}
    sql = (
        _CTE
        + """,
mine AS MATERIALIZED (
    SELECT ev.* FROM ev
    WHERE ev.started_at >= :p_lo AND ev.started_at < :p_hi
      AND (:everyone = 1 OR ev.agent_id IN (SELECT value FROM json_each(:agents)))
),
rows(agent_id, eid, started_at, channel, interaction, recording_path, vid, evaluator_id,
     question_key, failed, text, at_s, kind, ord, sub) AS (
    -- failed answers, with their notes if any
    SELECT m.agent_id, m.id, m.started_at, m.channel, m.external_id, m.recording_path, m.vid,
           m.evaluator_id, an.question_key, 1, n.text, n.at_s, 'answer', qm.ord,
           coalesce(n.id, 0)
    FROM mine m JOIN answers an ON an.evaluation_id = m.id AND an.failed = 1
    JOIN temp.qa_pack_questions qm ON qm.vid = m.vid AND qm.qkey = an.question_key
    LEFT JOIN answer_notes n ON n.evaluation_id = m.id AND n.question_key = an.question_key
    UNION ALL
    -- notes on answers that passed (or were N/A)
    SELECT m.agent_id, m.id, m.started_at, m.channel, m.external_id, m.recording_path, m.vid,
           m.evaluator_id, an.question_key, 0, n.text, n.at_s, 'answer', qm.ord, n.id
    FROM mine m JOIN answer_notes n ON n.evaluation_id = m.id
    JOIN answers an ON an.evaluation_id = m.id AND an.question_key = n.question_key
         AND an.failed = 0
    JOIN temp.qa_pack_questions qm ON qm.vid = m.vid AND qm.qkey = an.question_key
    UNION ALL
    SELECT m.agent_id, m.id, m.started_at, m.channel, m.external_id, m.recording_path, m.vid,
           m.evaluator_id, NULL, 0, n.text, n.at_s, 'note', 1000000, n.id
    FROM mine m JOIN answer_notes n ON n.evaluation_id = m.id
    WHERE n.question_key IS NULL
       OR NOT EXISTS (SELECT 1 FROM temp.qa_pack_questions qm WHERE qm.vid = m.vid AND qm.qkey = n.question_key)
    UNION ALL
    SELECT m.agent_id, m.id, m.started_at, m.channel, m.external_id, m.recording_path, m.vid,
           m.evaluator_id, NULL, 0, m.comment, NULL, 'comment', -1, 0
    FROM mine m WHERE m.comment IS NOT NULL AND trim(m.comment) <> ''
)
SELECT r.agent_id, r.eid, r.started_at, r.channel, r.interaction, r.recording_path, r.vid,
       evr.name, r.question_key, r.failed, r.text, r.at_s, r.kind
FROM rows r JOIN evaluators evr ON evr.id = r.evaluator_id
ORDER BY r.agent_id, r.started_at, r.eid, r.ord, r.sub
"""
    )
    return ws.db.execute(sql, params).fetchall()


def kpi_rows(ws: Workspace, scope: Scope, lo: str, hi: str) -> list:
    """Contact KPIs per agent and team in ``[lo, hi)``: ``(kind, who, aht_sum, aht_n, fcr_sum,
    fcr_n, csat_sum, csat_n)``. AHT is voice only: talk time as the records give it (hold
    included) plus after-contact work."""
    params = scope.params() | {"p_lo": lo, "p_hi": hi}
    sql = """
WITH scope_agents AS MATERIALIZED (
    SELECT id, team_id FROM agents
    WHERE :everyone = 1
       OR id IN (SELECT value FROM json_each(:agents))
       OR team_id IN (SELECT value FROM json_each(:teams))
),
ik AS MATERIALIZED (
    SELECT s.id AS agent_id, s.team_id,
           sum(CASE WHEN i.channel = 'voice' AND i.duration_s IS NOT NULL
                    THEN i.duration_s + coalesce(i.wrap_s, 0) END) AS aht_sum,
           count(CASE WHEN i.channel = 'voice' AND i.duration_s IS NOT NULL THEN 1 END) AS aht_n,
           sum(i.fcr) AS fcr_sum, count(i.fcr) AS fcr_n,
           sum(i.csat) AS csat_sum, count(i.csat) AS csat_n
    FROM scope_agents s CROSS JOIN interactions i ON i.agent_id = s.id
    WHERE i.started_at >= :p_lo AND i.started_at < :p_hi
    GROUP BY s.id
)
SELECT 'agent', agent_id, aht_sum, aht_n, fcr_sum, fcr_n, csat_sum, csat_n FROM ik
UNION ALL
SELECT 'team', team_id, sum(aht_sum), sum(aht_n), sum(fcr_sum), sum(fcr_n), sum(csat_sum),
       sum(csat_n)
FROM ik WHERE team_id IS NOT NULL GROUP BY team_id
"""
    return ws.db.execute(sql, params).fetchall()
