"""The SQL behind the KPI dashboard: every figure is a GROUP BY, never rows pulled into Python.

Two sources, one filter (``Filters``):

* **quality** — counted evaluations (``counting.counted_evaluation_sql``: submitted, signed off,
  disputed, final; calibration only from closed sessions that count; mystery-shop evaluations
  included) of contacts handled in ``[lo, hi)``, by team, agent, channel and scorecard versions.
  An evaluation belongs to the period of its *contact*, as in coaching packs. It passes when its
  percent reaches its version's target (handed over as JSON, as ``reporting_queries`` does);
* **contacts** — the interaction records' own KPIs in ``[lo, hi)``: AHT = talk time (hold
  included) + after-contact work, voice only unless the figure is for one channel (the coaching
  pack's definition); FCR = share of contacts with ``fcr = 1`` among those with a value; CSAT =
  mean survey score; service level = share of contacts with a queue wait answered by an agent
  within the channel's threshold (abandoned contacts — no agent — count against it when no team
  or agent filter applies, since they cannot be attributed to one).

Grouping expressions come from fixed whitelists (``QA_GROUPS``/``KPI_GROUPS``), never user text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.counting import counted_evaluation_sql


@dataclass(frozen=True)
class Filters:
    """Resolved filter ids (None = everything)."""

    team_id: int | None = None
    agent_id: int | None = None
    channel: str | None = None
    #: Scorecard version ids of the chosen scorecard (None = every scorecard).
    version_ids: tuple[int, ...] | None = None
    #: ``[[version_id, target], …]`` for every version (pass marks).
    targets: tuple[tuple[int, float], ...] = ()

    def params(self, lo: str, hi: str) -> dict[str, object]:
        return {
            "lo": lo,
            "hi": hi,
            "team": self.team_id,
            "agent": self.agent_id,
            "channel": self.channel,
            "versions": None if self.version_ids is None else json.dumps(list(self.version_ids)),
            "targets": json.dumps([list(t) for t in self.targets]),
        }


#: The contact side of every filter: contacts started in ``[:lo, :hi)`` handled by an agent in
#: ``:team`` / ``:agent`` on ``:channel`` (NULL = any), over ``interactions i`` joined to
#: ``agents a``; the parameters are ``Filters.params``.
CONTACT_FILTER = """(i.started_at >= :lo AND i.started_at < :hi
  AND (:team IS NULL OR a.team_id = :team)
  AND (:agent IS NULL OR i.agent_id = :agent)
  AND (:channel IS NULL OR i.channel = :channel))"""

#: ``WITH vt, ev``: the counted evaluations of contacts in the filter, one row each with its
#: version, percent, pass (against its version's target), fatal, evaluator, times, channel,
#: agent and team; a query appends its own ``SELECT … FROM ev`` (``Filters.params``).
COUNTED_EV = f"""
WITH vt(vid, target) AS MATERIALIZED (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:targets)
),
ev AS MATERIALIZED (
    SELECT e.id, e.scorecard_version_id AS vid, e.percent, e.fatal, e.evaluator_id,
           e.submitted_at, i.started_at, i.channel, i.agent_id, a.team_id,
           (e.percent IS NOT NULL AND e.percent >= vt.target) AS passed
    FROM evaluations e
    CROSS JOIN interactions i ON i.id = e.interaction_id
    JOIN agents a ON a.id = i.agent_id
    LEFT JOIN vt ON vt.vid = e.scorecard_version_id
    WHERE {counted_evaluation_sql("e")} AND {CONTACT_FILTER}
      AND (:versions IS NULL OR e.scorecard_version_id IN (SELECT value FROM json_each(:versions)))
)
"""

#: Named groupings of the quality figures.
QA_GROUPS = {"all": "NULL", "channel": "channel", "agent": "agent_id", "team": "team_id"}


def qa_rows(ws: Workspace, f: Filters, lo: str, hi: str, group: str = "all") -> list[tuple]:
    """``(key, n, n_scored, sum, sum_sq, n_pass, n_fatal)`` per group."""
    expr = QA_GROUPS[group]
    sql = (
        f"{COUNTED_EV} SELECT {expr}, count(*), count(percent), sum(percent), "
        f"sum(percent * percent), sum(passed), sum(fatal) FROM ev GROUP BY {expr} ORDER BY {expr}"
    )
    return ws.db.execute(sql, f.params(lo, hi)).fetchall()


def channel_versions(ws: Workspace, f: Filters, lo: str, hi: str) -> list[tuple[str, int]]:
    """``(channel, version_id)`` pairs with counted evaluations: which pass marks apply where."""
    sql = f"{COUNTED_EV} SELECT DISTINCT channel, vid FROM ev ORDER BY channel, vid"
    return ws.db.execute(sql, f.params(lo, hi)).fetchall()


def qa_bucket_rows(ws: Workspace, f: Filters, buckets: Sequence[tuple[str, str, str]]) -> list:
    """Per bucket ``(name, lo, hi)`` (the trend's months): ``(name, n, n_scored, sum, sum_sq,
    n_pass)``."""
    params = f.params(buckets[0][1], buckets[-1][2]) | {
        "buckets": json.dumps([list(b) for b in buckets])
    }
    sql = f"""{COUNTED_EV},
b(name, lo, hi) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                           json_extract(value, '$[2]') FROM json_each(:buckets))
SELECT b.name, count(ev.id), count(ev.percent), sum(ev.percent), sum(ev.percent * ev.percent),
       sum(ev.passed)
FROM b JOIN ev ON ev.started_at >= b.lo AND ev.started_at < b.hi GROUP BY b.name ORDER BY b.lo"""
    return ws.db.execute(sql, params).fetchall()


def question_rows(ws: Workspace, f: Filters, lo: str, hi: str, *, by_agent: bool = False) -> list:
    """Answered (not N/A) questions: ``(vid, question_key, assessed, failed)``, or with
    ``by_agent`` ``(agent_id, team_id, vid, question_key, assessed, failed)``."""
    who = "ev.agent_id, ev.team_id, " if by_agent else ""
    sql = (
        f"{COUNTED_EV} SELECT {who}ev.vid, an.question_key, count(*), sum(an.failed) "
        "FROM ev JOIN answers an ON an.evaluation_id = ev.id WHERE an.na = 0 "
        f"GROUP BY {who}ev.vid, an.question_key"
    )
    return ws.db.execute(sql, f.params(lo, hi)).fetchall()


def turnaround_rows(ws: Workspace, f: Filters, lo: str, hi: str) -> list:
    """Per counted evaluation: ``(evaluator name, days from contact to submission, days from
    submission to the first coaching session citing it or None)``; the medians are taken by
    the caller (a median is not an SQL aggregate), over at most one row per evaluation."""
    sql = f"""{COUNTED_EV},
coached AS (
    SELECT CAST(j.value AS INTEGER) AS eid, min(cs.held_at) AS held_at
    FROM coaching_sessions cs, json_each(cs.evaluation_ids) j
    GROUP BY CAST(j.value AS INTEGER)
)
SELECT evr.name, julianday(ev.submitted_at) - julianday(ev.started_at),
       julianday(c.held_at) - julianday(ev.submitted_at)
FROM ev JOIN evaluators evr ON evr.id = ev.evaluator_id
LEFT JOIN coached c ON c.eid = ev.id
ORDER BY evr.name, ev.id"""
    return ws.db.execute(sql, f.params(lo, hi)).fetchall()


#: Named groupings of the contact KPIs.
KPI_GROUPS = {"all": "NULL", "channel": "i.channel", "agent": "i.agent_id"}


def kpi_rows(
    ws: Workspace,
    f: Filters,
    lo: str,
    hi: str,
    thresholds: Mapping[str, float],
    group: str = "all",
) -> list[tuple]:
    """``(key, aht_sum, aht_n, fcr_sum, fcr_n, csat_sum, csat_n, sl_in, sl_n)`` per group;
    ``thresholds`` maps each channel to its service-level threshold in seconds."""
    expr = KPI_GROUPS[group]
    every_channel = int(group == "channel" or f.channel is not None)
    params = {
        "lo": lo,
        "hi": hi,
        "team": f.team_id,
        "agent": f.agent_id,
        "channel": f.channel,
        "all_aht": every_channel,
        "thr": json.dumps(dict(thresholds)),
    }
    sql = f"""
WITH thr(channel, seconds) AS MATERIALIZED (SELECT key, value FROM json_each(:thr))
SELECT {expr},
       sum(CASE WHEN (:all_aht = 1 OR i.channel = 'voice') AND i.duration_s IS NOT NULL
                THEN i.duration_s + coalesce(i.wrap_s, 0) END),
       count(CASE WHEN (:all_aht = 1 OR i.channel = 'voice') AND i.duration_s IS NOT NULL
                  THEN 1 END),
       sum(i.fcr), count(i.fcr), sum(i.csat), count(i.csat),
       count(CASE WHEN i.agent_id IS NOT NULL AND i.queue_wait_s <= thr.seconds THEN 1 END),
       count(i.queue_wait_s)
FROM interactions i
LEFT JOIN agents a ON a.id = i.agent_id
LEFT JOIN thr ON thr.channel = i.channel
WHERE {CONTACT_FILTER}
GROUP BY {expr} ORDER BY {expr}"""
    return ws.db.execute(sql, params).fetchall()


def filter_choices(ws: Workspace) -> dict[str, list]:
    """What the filter combos offer: months with contacts (``YYYY-MM``, newest first, by the
    UTC month of the record — the period itself is then London days), teams, agents
    ``(external_id, name)``, channels in use and scorecards ``(key, name)``."""
    db = ws.db
    return {
        "months": [r[0] for r in db.execute(
            "SELECT DISTINCT substr(started_at, 1, 7) FROM interactions ORDER BY 1 DESC")],
        "teams": [r[0] for r in db.execute("SELECT name FROM teams ORDER BY name")],
        "agents": [tuple(r) for r in db.execute(
            "SELECT external_id, name FROM agents ORDER BY name, external_id")],
        "channels": [r[0] for r in db.execute(
            "SELECT DISTINCT channel FROM interactions ORDER BY channel")],
        "scorecards": [tuple(r) for r in db.execute(
            "SELECT key, name FROM scorecards ORDER BY name")],
    }  # fmt: skip


def complaint_rows(ws: Workspace, f: Filters, lo: str, hi: str) -> list[tuple[int, str, int]]:
    """``(agent_id, category, complaints)`` for complaints logged against contacts handled in
    ``[lo, hi)`` by agents in the filter; empty in a workspace without a complaints log."""
    exists = ws.db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'complaints'"
    ).fetchone()
    if exists is None:
        return []
    sql = f"""
SELECT i.agent_id, c.category, count(*)
FROM complaints c JOIN interactions i ON i.id = c.interaction_id
JOIN agents a ON a.id = i.agent_id
WHERE {CONTACT_FILTER}
GROUP BY i.agent_id, c.category ORDER BY c.category"""
    return ws.db.execute(sql, f.params(lo, hi)).fetchall()
