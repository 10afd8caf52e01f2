"""The demo's coaching: sessions on the planted patterns, follow-ups the numbers support, overdue
and pending follow-ups, and disputes in every state done through the real workflow."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from qa_studio.demo.evaluations import load_patterns
from qa_studio.domain.scoring import score
from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.storage.repository import audit, coaching, disputes, evaluations, scorecards
from qa_studio.storage.repository.evaluation_records import stored_answers
from tests.demo.conftest import END


@pytest.fixture
def patterns(demo):
    found = load_patterns(demo)
    assert found is not None
    return found


def leader_of(ws, agent: str) -> str:
    return ws.db.execute(
        "SELECT l.name FROM agents a JOIN teams t ON t.id = a.team_id "
        "JOIN evaluators l ON l.id = t.leader_id WHERE a.external_id = ?",
        [agent],
    ).fetchone()[0]


def test_agents_are_coached_on_their_own_weaknesses(demo, patterns):
    sessions = coaching.list_sessions(demo)
    one_to_ones = {s.agent: s for s in sessions if s.kind == "one_to_one"}
    assert set(one_to_ones) == {patterns.improving, *patterns.weak}
    improving = one_to_ones[patterns.improving]
    assert set(improving.question_keys) == set(patterns.developing)
    for agent, keys in patterns.weak.items():
        s = one_to_ones[agent]
        assert set(s.question_keys) == set(keys)
        assert s.leader == leader_of(demo, agent)
        assert s.evaluation_ids, "the evaluations discussed are the agent's failed ones"
        for eid in s.evaluation_ids:
            assert evaluations.get(demo, eid).interaction_id
    [briefing] = [s for s in sessions if s.kind == "team_briefing"]
    assert briefing.topic.startswith("Team-wide gap") and len(briefing.question_keys) == 1
    assert briefing.attendees and briefing.goals
    for s in sessions:
        assert parse_iso(s.held_at).astimezone(LONDON).date() <= END
        assert all(g.text and g.target is not None and g.due_on for g in s.goals)


def test_follow_ups_are_met_not_met_overdue_or_pending(demo):
    sessions = coaching.list_sessions(demo)
    statuses = Counter(g.status for s in sessions for g in s.goals)
    assert statuses["met"] >= 1 and statuses["not_met"] >= 1 and statuses["open"] >= 1
    overdue = coaching.overdue_follow_ups(demo, as_of=END)
    assert len(overdue) >= 1 and all(o.days_overdue > 0 for o in overdue)
    pending = [s for s in sessions if s.followed_up_at is None and s.follow_up_due > str(END)]
    assert pending, "a session still inside its follow-up period"
    for s in sessions:
        if s.followed_up_at is None:
            continue
        day = parse_iso(s.followed_up_at).astimezone(LONDON).date()
        computed = {
            r.goal.id: r.effect.target_met
            for r in coaching.follow_up(demo, session_id=s.id, as_of=day)
        }
        for g in s.goals:
            want = {True: "met", False: "not_met", None: "open"}[computed[g.id]]
            assert g.status == want, (s.title, g.describe())


def test_the_improving_agent_met_their_goal(demo, patterns):
    [s] = [
        x for x in coaching.list_sessions(demo, agent=patterns.improving) if x.kind == "one_to_one"
    ]
    [effect] = [
        r
        for r in coaching.follow_up(demo, session_id=s.id, as_of=END)
        if r.goal.measure == "pass_rate"
    ]
    assert effect.effect.after.mean > effect.effect.before.mean
    assert s.goals[0].status == "met"


def test_disputes_in_every_state_through_the_workflow(demo, patterns):
    found = disputes.list_disputes(demo)
    states = Counter(d.status for d in found)
    assert states == {"open": 2, "upheld": 2, "rejected": 2}
    for d in found:
        assert d.agent in patterns.weak and d.question_key in patterns.weak[d.agent]
        assert d.entered_by == leader_of(demo, d.agent)
        assert parse_iso(d.raised_at).astimezone(LONDON).date() <= END
        e = evaluations.get(demo, d.evaluation_id)
        if d.status == "open":
            assert e.status == "disputed" and d.resolved_by is None
            continue
        assert e.status == "final" and d.resolved_by == "Joanne Birch" and d.resolution
        assert d.resolved_at >= d.raised_at
        card = scorecards.get_version(demo, e.scorecard_version_id).card
        want = score(card, stored_answers(demo, e.id, card))
        assert (e.score, e.percent, e.fatal) == (want.score, want.percent, want.fatal)
        if d.status == "upheld":
            assert e.revision == 2 and str(e.answers[d.question_key]) == d.new_value
            assert d.previous_value != d.new_value and d.percent_after > d.percent_before
        else:
            assert e.revision == 1
    open_days = [parse_iso(d.raised_at).date() for d in found if d.status == "open"]
    assert min(open_days) > END - timedelta(days=90), "the open disputes are recent"


def test_everything_is_audited(demo):
    actions = Counter(r[0] for r in demo.db.execute("SELECT action FROM audit_log"))
    assert (
        actions["coaching.record"]
        == demo.db.execute("SELECT count(*) FROM coaching_sessions").fetchone()[0]
    )
    assert actions["dispute.raise"] == 6
    assert actions["dispute.uphold"] == actions["evaluation.revise"] == 2
    assert actions["dispute.reject"] == 2
    assert actions["coaching.follow_up"] >= 2
    assert audit.verify(demo.db).ok


def test_the_dispute_report_sees_the_demo(demo):
    rates = disputes.dispute_rates(demo)
    assert sum(e.disputes for e in rates.evaluators) == 6
    assert sum(q.upheld for q in rates.questions) == 2


def test_recognition_on_the_demo(demo):
    found = coaching.recognition(demo, "2026-Q3")
    assert found.considered >= 4
    for r in found.recognised:
        assert r.low > r.target and r.n >= 5


def test_end_is_a_date():
    assert isinstance(END, date)
