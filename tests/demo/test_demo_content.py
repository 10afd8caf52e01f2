"""What the demo promises a QA lead exploring it (issue 3 § Demo data)."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from datetime import date, datetime, timedelta

from qa_studio.domain.timeutil import LONDON, parse_iso
from tests.demo.conftest import END, SMALL


def rows(ws, sql, params=()):
    return ws.db.execute(sql, params).fetchall()


def test_three_or_more_teams_each_led_by_a_team_leader(demo):
    teams = rows(demo, "SELECT t.name, e.role FROM teams t JOIN evaluators e ON e.id = t.leader_id")
    assert len(teams) >= 3
    assert {role for _, role in teams} == {"team_leader"}
    per_team = rows(demo, "SELECT team_id, count(*) FROM agents GROUP BY team_id")
    assert len(per_team) == len(teams) and all(n >= 1 for _, n in per_team)


def test_evaluators_team_leaders_and_a_qa_lead_with_skills(demo):
    found = rows(demo, "SELECT role, capacity_per_week, skills, absent FROM evaluators")
    roles = Counter(r[0] for r in found)
    assert roles["evaluator"] >= 3 and roles["team_leader"] >= 3 and roles["qa_lead"] == 1
    for _, capacity, skills, absent in found:
        parsed = json.loads(skills)
        assert capacity > 0
        assert set(parsed) == {"channels", "scorecards"}
        assert parsed["channels"] and set(parsed["channels"]) <= {"voice", "chat", "email"}
        assert parsed["scorecards"]
        assert isinstance(json.loads(absent), list)
    assert any(json.loads(a) for *_, a in found), "someone is away, so allocation must cover"


def test_agents_include_new_starters_and_an_improvement_plan(demo):
    agents = rows(demo, "SELECT external_id, name, started_on, on_improvement_plan FROM agents")
    assert len(agents) == SMALL.agents
    starts = [date.fromisoformat(s) for _, _, s, _ in agents]
    assert any(END - s <= timedelta(days=90) for s in starts)
    assert any(END - s > timedelta(days=365) for s in starts)
    assert any(plan for *_, plan in agents)
    assert len({name for _, name, _, _ in agents}) == len(agents)


def test_no_agent_handles_a_contact_before_starting(demo):
    early = rows(
        demo,
        "SELECT count(*) FROM interactions i JOIN agents a ON a.id = i.agent_id "
        "WHERE substr(i.started_at, 1, 10) < a.started_on",
    )
    assert early == [(0,)]


def test_channels_queues_and_directions(demo):
    channels = dict(rows(demo, "SELECT channel, count(*) FROM interactions GROUP BY channel"))
    assert set(channels) == {"voice", "chat", "email"}
    assert channels["voice"] > channels["chat"] > channels["email"] > 0
    queues = {q for (q,) in rows(demo, "SELECT DISTINCT queue FROM interactions")}
    assert {
        "Billing",
        "Broadband Faults",
        "Payments",
        "Complaints",
        "Bereavement",
        "Moving Home",
    } <= queues
    directions = {d for (d,) in rows(demo, "SELECT DISTINCT direction FROM interactions")}
    assert directions == {"inbound", "outbound"}


def test_six_months_ending_at_end_with_busy_weekdays(demo):
    found = [
        (parse_iso(s).astimezone(LONDON), c)
        for s, c in rows(demo, "SELECT started_at, channel FROM interactions")
    ]
    starts = [s for s, _ in found]
    assert min(starts).date() >= date(2026, 5, 1)
    assert max(starts).date() <= END
    assert {s.month for s in starts} == {5, 6, 7, 8, 9, 10}
    weekdays = Counter(s.weekday() for s in starts)
    assert weekdays[0] > weekdays[5] > weekdays[6]
    voice_hours = {s.hour for s, c in found if c == "voice"}
    assert min(voice_hours) >= 8 and max(voice_hours) < 20, "calls come in opening hours"


def test_complaints_of_both_kinds_and_vulnerable_customers(demo):
    kinds = dict(rows(demo, "SELECT complaint, count(*) FROM interactions GROUP BY complaint"))
    assert kinds.get("formal", 0) > 0 and kinds.get("informal", 0) > 0
    assert kinds["none"] > kinds["formal"] + kinds["informal"]
    vulnerable = rows(demo, "SELECT queue FROM interactions WHERE vulnerable = 1")
    assert vulnerable and any(q == "Bereavement" for (q,) in vulnerable)


def test_kpis_have_realistic_shapes(demo):
    csat = dict(
        rows(
            demo,
            "SELECT coalesce(csat, 0), count(*) FROM interactions "
            "WHERE agent_id IS NOT NULL GROUP BY 1",
        )
    )
    assert csat[0] > 0, "most customers do not answer the survey"
    assert all(1 <= k <= 5 for k in csat if k) and len([k for k in csat if k]) >= 4
    fcr = dict(
        rows(demo, "SELECT fcr, count(*) FROM interactions WHERE agent_id IS NOT NULL GROUP BY fcr")
    )
    assert fcr.get(1, 0) > fcr.get(0, 0) > 0
    held = rows(
        demo,
        "SELECT hold_s, duration_s, wrap_s, queue_wait_s FROM interactions "
        "WHERE channel = 'voice' AND agent_id IS NOT NULL",
    )
    assert any(h > 0 for h, *_ in held) and any(h == 0 for h, *_ in held)
    assert all(d > h and w > 0 and q >= 0 for h, d, w, q in held)


def test_abandoned_contacts_have_no_agent_and_no_transcript(demo):
    abandoned = rows(
        demo,
        "SELECT i.channel, i.outcome, i.duration_s, i.queue_wait_s, t.id "
        "FROM interactions i LEFT JOIN transcripts t ON t.interaction_id = i.id "
        "WHERE i.agent_id IS NULL",
    )
    assert abandoned
    for channel, outcome, duration, wait, transcript in abandoned:
        assert channel in ("voice", "chat") and outcome == "abandoned"
        assert duration == 0 and wait > 0 and transcript is None


def test_repeat_customers_call_back_within_a_week(demo):
    """A customer's next contact within a week means the one before did not resolve it."""
    by_customer: dict[str, list] = {}
    for ref, started, fcr, agent in rows(
        demo,
        "SELECT customer_ref, started_at, fcr, agent_id FROM interactions "
        "WHERE customer_ref IS NOT NULL ORDER BY started_at, id",
    ):
        by_customer.setdefault(ref, []).append((parse_iso(started), fcr, agent))
    pairs = [(a, b) for contacts in by_customer.values() for a, b in itertools.pairwise(contacts)]
    soon = [(a, b) for a, b in pairs if b[0] - a[0] <= timedelta(days=7)]
    assert len(soon) >= 10
    assert all(a[1] != 1 for a, _ in soon if a[2] is not None)


def test_every_handled_contact_has_a_timed_transcript(demo):
    handled = rows(
        demo,
        "SELECT i.channel, i.duration_s, i.started_at, i.ended_at, t.turns "
        "FROM interactions i LEFT JOIN transcripts t ON t.interaction_id = i.id "
        "WHERE i.agent_id IS NOT NULL",
    )
    for channel, duration, started, ended, turns_json in handled:
        assert turns_json is not None
        turns = json.loads(turns_json)
        assert {t["role"] for t in turns} >= {"agent", "customer"}
        assert {t["role"] for t in turns} <= {"agent", "customer", "system"}
        starts = [t["start_s"] for t in turns]
        assert starts == sorted(starts)
        assert all(t["start_s"] is not None and t["end_s"] >= t["start_s"] for t in turns)
        assert all(t["text"].strip() and "{" not in t["text"] for t in turns)
        if channel == "voice":
            assert turns[-1]["end_s"] <= duration + 1e-6
        assert parse_iso(ended) > parse_iso(started)


def test_transcripts_read_like_uk_contact_centre_conversations(demo):
    text = " ".join(
        t["text"] for (j,) in rows(demo, "SELECT turns FROM transcripts") for t in json.loads(j)
    )
    for phrase in (
        "£",
        "date of birth",
        "engineer",
        "direct debit",
        "formal complaint",
        "sorry for your loss",
        "security code",
        "ombudsman",
        "Kind regards",
    ):
        assert phrase in text, phrase


def test_greetings_match_the_time_of_day(demo):
    found = rows(
        demo,
        "SELECT i.started_at, t.turns FROM interactions i JOIN transcripts t "
        "ON t.interaction_id = i.id WHERE i.channel = 'voice'",
    )
    checked = 0
    for started, turns_json in found:
        first = json.loads(turns_json)[0]["text"]
        hour = parse_iso(started).astimezone(LONDON).hour
        if first.startswith("Good morning"):
            assert hour < 12
            checked += 1
        elif first.startswith("Good afternoon"):
            assert 12 <= hour < 18
            checked += 1
    assert checked > 10


def test_one_audit_row_records_the_build(demo):
    audit = rows(
        demo,
        "SELECT action, entity, entity_uuid, payload FROM audit_log WHERE action = 'demo.build'",
    )
    assert len(audit) == 1
    # what the steps recorded (published scorecards, evaluations) is audited before it
    last = rows(demo, "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")
    assert last == [("demo.build",)]
    action, entity, entity_uuid, payload = audit[0]
    assert (action, entity, entity_uuid) == ("demo.build", "workspace", demo.uuid)
    doc = json.loads(payload)
    assert doc["seed"] == SMALL.seed and doc["end"] == "2026-10-31"
    assert doc["built"]["interactions"] == SMALL.interactions
    assert isinstance(datetime.fromisoformat(doc["first_day"]), datetime)
