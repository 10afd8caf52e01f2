"""Coaching sessions, goals, follow-up effect, overdue follow-ups and the recognition list."""

from __future__ import annotations

import json
from datetime import date

import pytest
from scipy import stats

from qa_studio.domain import followup as fu
from qa_studio.domain.periods import period_between
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import audit, coaching
from qa_studio.storage.repository.coaching import GoalSpec
from tests.storage import coaching_data
from tests.storage.coaching_data import HELD, SESSION_DAY
from tests.storage.eval_helpers import actions


@pytest.fixture
def data(ws):
    return coaching_data.build(ws)


def _record(ws, data, **kw):
    kw.setdefault("evaluation_ids", data["before"][:2])
    goals = kw.pop(
        "goals",
        [
            GoalSpec("Greet every caller by name", 80, "2026-07-15", question_keys=("greet",)),
            GoalSpec("Lift CSAT", 4.0, "2026-07-15", metric="csat"),
            GoalSpec("Shorter calls", 350, "2026-07-15", metric="aht"),
        ],
    )
    return coaching.record_one_to_one(
        ws,
        agent="A1",
        leader="Tara",
        held_at=HELD,
        notes="Talked through the greeting.",
        goals=goals,
        **kw,
    )


def test_a_one_to_one_is_stored_with_its_goals_and_audited(ws, data):
    before = len(actions(ws))
    s = _record(ws, data)
    assert (s.kind, s.agent, s.agent_name, s.team, s.leader) == (
        "one_to_one",
        "A1",
        "Alex Agent",
        "Blue",
        "Tara",
    )
    assert s.held_at == "2026-06-15T11:00:00Z"  # noon in London (BST)
    assert s.follow_up_due == "2026-07-15"  # 30 days later by default
    assert s.evaluation_ids == tuple(data["before"][:2])
    assert [g.measure for g in s.goals] == ["pass_rate", "csat", "aht"]
    assert s.goals[0].describe() == "greet pass rate ≥ 80"
    assert s.goals[2].describe() == "AHT ≤ 350"
    assert all(g.status == "open" for g in s.goals)
    assert actions(ws)[before:] == ["coaching.record"]
    payload = json.loads(
        ws.db.execute("SELECT payload FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    )
    assert [g["uuid"] for g in payload["goals"]] == [g.uuid for g in s.goals]
    assert payload["notes"] == "Talked through the greeting."
    assert audit.verify(ws.db).ok
    assert coaching.get_session(ws, s.id) == s
    assert [x.id for x in coaching.list_sessions(ws, agent="A1")] == [s.id]
    assert coaching.list_sessions(ws, agent="A3") == []


def test_a_team_briefing_names_the_gap_and_its_attendees(ws, data):
    s = coaching.record_team_briefing(
        ws,
        team="Blue",
        leader="Tara",
        held_at="2026-06-15",
        topic="Greeting standard",
        question_keys=["greet"],
        goals=[GoalSpec("Team greets 90 %", 90, "2026-07-31", question_keys=("greet",))],
    )
    assert s.kind == "team_briefing" and s.agent is None and s.team == "Blue"
    assert s.attendees == ("A1", "A2")  # every active agent of the team by default
    assert s.title == "Team briefing, Blue: Greeting standard"
    assert [x.id for x in coaching.list_sessions(ws, agent="A2")] == [s.id]
    assert [x.id for x in coaching.list_sessions(ws, team="Blue")] == [s.id]
    [effect] = coaching.follow_up(ws, session_id=s.id, as_of=date(2026, 8, 1))
    # A1's 20 calls and A2's 4 (all after): before 4/10, after 9/10 + 2/4
    assert (effect.effect.before.n, effect.effect.before.successes) == (10, 4)
    assert (effect.effect.after.n, effect.effect.after.successes) == (14, 11)
    assert effect.agents == ("A1", "A2")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"agent": "NOPE"}, "unknown agent 'NOPE'"),
        ({"leader": "Ann"}, "Ann is evaluator"),
        ({"leader": "Nobody"}, "unknown evaluator 'Nobody'"),
        ({"held_at": "15/06/2026"}, "held_at '15/06/2026' is not a date"),
        ({"evaluation_ids": [999]}, "no evaluation with id 999"),
        ({"follow_up_due": "2026-06-01"}, "follow-up date 2026-06-01 is before the session"),
        ({"goals": [GoalSpec("", 80, "2026-07-01", ("greet",))]}, "goal 1: a goal needs"),
        ({"goals": [GoalSpec("x", 80, "2026-07-01")]}, "not neither"),
        ({"goals": [GoalSpec("x", 80, "2026-07-01", ("greet",), "csat")]}, "not both"),
        ({"goals": [GoalSpec("x", 80, "2026-07-01", ("smile",))]}, "no published scorecard"),
        ({"goals": [GoalSpec("x", 80, "2026-07-01", metric="nps")]}, "unknown KPI 'nps'"),
        ({"goals": [GoalSpec("x", 8, "2026-07-01", metric="csat")]}, "from 1 to 5"),
        ({"goals": [GoalSpec("x", 80, "2026-06-01", ("greet",))]}, "is before the session"),
        ({"goals": [GoalSpec("x", 80, "soon", ("greet",))]}, "due date 'soon' is not a date"),
    ],
)
def test_bad_sessions_are_refused_and_nothing_is_stored(ws, data, change, message):
    kw = {"agent": "A1", "leader": "Tara", "held_at": HELD, "goals": [], **change}
    before = len(actions(ws))
    with pytest.raises(DataRefused, match=message):
        coaching.record_one_to_one(ws, **kw)
    assert ws.db.execute("SELECT count(*) FROM coaching_sessions").fetchone()[0] == 0
    assert ws.db.execute("SELECT count(*) FROM goals").fetchone()[0] == 0
    assert len(actions(ws)) == before


def test_evaluations_discussed_must_be_the_agents(ws, data):
    with pytest.raises(DataRefused, match="is not of Alex Agent"):
        _record(ws, data, evaluation_ids=[data["others"][0]])


def test_follow_up_effect_matches_the_hand_worked_numbers(ws, data):
    s = _record(ws, data)
    results = coaching.follow_up(ws, session_id=s.id, as_of=date(2026, 8, 1))
    greet, csat, aht = results
    assert greet.before == ("2026-05-16T11:00:00Z", "2026-06-15T11:00:00Z")
    assert greet.after == ("2026-06-15T11:00:00Z", "2026-07-15T11:00:00Z")
    assert greet.after_complete and greet.agents == ("A1",)

    e = greet.effect
    assert (e.before.n, e.before.successes, e.before.mean) == (10, 4, 40.0)
    assert (e.after.n, e.after.successes, e.after.mean) == (10, 9, 90.0)
    raw = fu.newcombe_interval(9, 10, 4, 10)
    assert e.difference.estimate == pytest.approx(50.0)
    assert e.difference.low == pytest.approx(100 * raw.low)
    assert e.verdict == "improved" and e.target_met is True

    c = csat.effect
    assert (c.before.n, c.before.mean, c.after.n, c.after.mean) == (5, 3.0, 5, 4.4)
    assert c.before.sd**2 == pytest.approx(0.5) and c.after.sd**2 == pytest.approx(0.3)
    df = 0.0256 / 0.0034
    half = stats.t.ppf(0.975, df) * 0.4
    assert c.difference.df == pytest.approx(df)
    assert (c.difference.low, c.difference.high) == pytest.approx((1.4 - half, 1.4 + half))
    assert c.verdict == "improved" and c.target_met is True

    a = aht.effect
    assert (a.before.mean, a.after.mean, a.before.n, a.after.n) == (400.0, 300.0, 10, 10)
    assert a.difference.estimate == -100.0 and a.verdict == "improved" and a.target_met is True
    doc = greet.as_dict()
    assert doc["goal"]["metric"] == "pass_rate" and doc["verdict_text"] == "improved"
    assert doc["difference"]["method"] == "newcombe" and doc["windows"]["after"]["complete"]
    assert doc["after"] == {"n": 10, "mean": 90.0, "sd": None, "successes": 9}


def test_too_few_to_tell_and_a_partial_after_window(ws, data):
    s = _record(ws, data)
    early = coaching.follow_up(ws, session_id=s.id, as_of="2026-06-20T00:00:00Z")
    greet = early[0]
    assert not greet.after_complete and greet.after[1] == "2026-06-20T00:00:00Z"
    assert greet.effect.after.n == 2 and greet.effect.verdict == "too_few"
    assert greet.effect.target_met is None
    strict = coaching.follow_up(ws, session_id=s.id, as_of=date(2026, 8, 1), min_n=11)
    assert all(r.effect.verdict == "too_few" for r in strict)
    narrow = coaching.follow_up(ws, session_id=s.id, as_of=date(2026, 8, 1), window_days=8)
    assert narrow[0].effect.before.n == 1  # only the call of 8 June is in the 8 days before


def test_overdue_until_the_follow_up_is_recorded(ws, data):
    s = _record(ws, data, follow_up_due="2026-07-10")
    assert coaching.overdue_follow_ups(ws, as_of=date(2026, 7, 10)) == []
    [late] = coaching.overdue_follow_ups(ws, as_of=date(2026, 7, 20))
    assert late.session.id == s.id and late.days_overdue == 10 and len(late.open_goals) == 3
    assert late.as_dict()["title"] == "One-to-one with Alex Agent (A1)"
    assert coaching.overdue_follow_ups(ws, as_of=date(2026, 7, 20), agent="A2") == []

    with pytest.raises(DataRefused, match="Ann is evaluator"):
        coaching.record_follow_up(ws, s.id, by="Ann", outcomes={})
    with pytest.raises(DataRefused, match="not a goal of session"):
        coaching.record_follow_up(ws, s.id, by="Tara", outcomes={999: "met"})
    with pytest.raises(DataRefused, match="outcome 'great'"):
        coaching.record_follow_up(ws, s.id, by="Tara", outcomes={s.goals[0].id: "great"})
    with pytest.raises(DataRefused, match="cannot be before the session"):
        coaching.record_follow_up(ws, s.id, by="Tara", outcomes={}, at="2026-06-01")
    done = coaching.record_follow_up(
        ws,
        s.id,
        by="Tara",
        at="2026-07-21",
        note="Good progress",
        outcomes={s.goals[0].id: "met", s.goals[1].id: "not_met", s.goals[2].id: "open"},
    )
    assert [g.status for g in done.goals] == ["met", "not_met", "open"]
    assert done.goals[0].reviewed_by == "Tara" and done.follow_up_note == "Good progress"
    assert coaching.overdue_follow_ups(ws, as_of=date(2026, 7, 25)) == []
    assert [r.goal.id for r in coaching.follow_up(ws, session_id=s.id, open_only=True)] == [
        s.goals[2].id
    ]
    with pytest.raises(DataRefused, match="already recorded by Tara"):
        coaching.record_follow_up(ws, s.id, by="Tara", outcomes={})
    assert actions(ws)[-1] == "coaching.follow_up"


def test_recognition_lists_agents_whose_lower_bound_beats_the_target(ws, data):
    after = period_between("2026-06-16", "2026-07-31")
    # A1: nine calls at 100 % and one at 85.71 % (greet failed): mean 98.57, s 4.52, n 10,
    # lower bound 98.57 − 2.262 × 1.43 = 95.34 > 85 (the worked example's target).
    found = coaching.recognition(ws, after)
    assert [r.agent.external_id for r in found.recognised] == ["A1"]
    [a1] = found.recognised
    assert a1.n == 10 and a1.target == 85
    assert a1.mean == pytest.approx((900 + 600 / 7) / 10)
    assert a1.low == pytest.approx(95.34, abs=0.01)
    assert found.considered == 1  # A2 and A3 have 4 evaluations, fewer than 5
    four = coaching.recognition(ws, after, min_n=4)
    # A3: four perfect calls (no spread) is in; A2 (two greet fails in four): mean 92.86,
    # lower bound 92.86 − 3.182 × 4.12 = 79.7 < 85 is not.
    assert [r.agent.external_id for r in four.recognised] == ["A3", "A1"]
    assert four.considered == 3
    assert coaching.recognition(ws, after, team="Red").recognised == ()
    assert coaching.recognition(ws, after, min_n=4, team="Red").recognised[0].n == 4
    doc = found.as_dict()
    assert doc["period"] == "2026-06-16_2026-07-31" and doc["recognised"][0]["agent"] == "A1"


def test_session_day_constant_matches_the_held_instant():
    assert HELD.date() == SESSION_DAY
