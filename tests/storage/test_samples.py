"""Samples in a workspace: preview, create, exclusions, quotas, shortfalls, work and evidence."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from qa_studio.domain.models import Interaction
from qa_studio.domain.sampling import SampleSpec
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import evaluations, sample_frame, scorecards
from qa_studio.storage.repository import samples as S
from qa_studio.storage.repository.interactions import interaction_id
from tests.storage.sample_fixtures import AGENTS, build, counts, evaluator_id

TODAY = date(2026, 11, 2)


def spec(**kw) -> SampleSpec:
    base = {"period": "2026-10", "per_agent": 4, "seed": 11}
    return SampleSpec(**{**base, **kw})


def per_agent(plan) -> dict[str, int]:
    out: dict[str, int] = {}
    for it in plan.items:
        out[it.agent] = out.get(it.agent, 0) + 1
    return out


@pytest.fixture
def centre(ws):
    build(ws)
    return ws


def _written(ws) -> tuple[int, int, int]:
    return counts(ws, "samples"), counts(ws, "sample_items"), counts(ws, "audit_log")


def test_preview_draws_four_per_agent_and_writes_nothing(centre):
    before = _written(centre)
    plan = S.preview_sample(centre, spec(), today=TODAY)
    assert _written(centre) == before
    assert per_agent(plan) == dict.fromkeys(AGENTS, 4)
    assert {it.stratum for it in plan.items} == {"all"}
    assert all(it.evaluator in {"Ann", "Bo", "Cy", "Quinn"} for it in plan.items)
    assert all(not it.external_id.startswith("AB-") for it in plan.items)  # abandoned
    assert plan.frame.in_period == 185 and plan.frame.in_frame == 180
    assert plan.due_on == "2026-11-16" and plan.precision.per_agent == 4
    assert "4 per agent gives ±" in plan.precision.text
    assert all(it.weight == pytest.approx(30 / 4) for it in plan.items)


def test_create_stores_items_summary_and_one_audit_row(centre):
    plan = S.preview_sample(
        centre, spec(name="Oct routine", objective="monthly QA", due_on="2026-11-20"), today=TODAY
    )
    audit_before = counts(centre, "audit_log")
    sid = S.create_sample(centre, plan.spec, plan)
    row = centre.db.execute(
        "SELECT name, objective, due_on, seed, status, summary, spec FROM samples WHERE id = ?",
        [sid],
    ).fetchone()
    assert row[:5] == ("Oct routine", "monthly QA", "2026-11-20", 11, "open")
    assert json.loads(row[5])["frame"]["eligible"] == 180
    assert SampleSpec.from_dict(json.loads(row[6])) == plan.spec
    stored = centre.db.execute(
        "SELECT interaction_id, evaluator_id, weight, reason FROM "
        "sample_items WHERE sample_id = ? ORDER BY id",
        [sid],
    ).fetchall()
    assert [r[0] for r in stored] == [it.interaction_id for it in plan.items]
    assert all(r[1] is not None and r[2] == pytest.approx(7.5) and r[3] for r in stored)
    actions = [
        r[0]
        for r in centre.db.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()[
            audit_before:
        ]
    ]
    assert actions == ["sample.create"]


def test_same_seed_same_sample_other_seed_other_sample(centre):
    a = S.preview_sample(centre, spec(risk={"complaint": 3}), today=TODAY)
    b = S.preview_sample(centre, spec(risk={"complaint": 3}), today=TODAY)
    c = S.preview_sample(centre, spec(risk={"complaint": 3}, seed=12), today=TODAY)
    ids = [it.interaction_id for it in a.items]
    assert ids == [it.interaction_id for it in b.items]
    assert ids != [it.interaction_id for it in c.items]


def test_parallel_and_serial_reading_give_the_same_frame(centre, monkeypatch):
    full = spec(
        risk={"complaint": 3, "low_csat": 2, "long_handle": 2, "repeat": 2},
        strata=("channel", "queue"),
    )
    serial = S.preview_sample(centre, full, today=TODAY)
    monkeypatch.setattr(sample_frame, "PARALLEL_MIN_ROWS", 10)
    monkeypatch.setattr(sample_frame.os, "cpu_count", lambda: 2)
    parallel = S.preview_sample(centre, full, today=TODAY)
    assert [(i.interaction_id, i.weight, i.flags) for i in parallel.items] == [
        (i.interaction_id, i.weight, i.flags) for i in serial.items
    ]


def test_quotas_are_met_exactly_when_there_are_enough(centre):
    plan = S.preview_sample(
        centre,
        spec(per_agent=None, strata=("channel",), quotas={"voice": 3, "chat": 2}),
        today=TODAY,
    )
    for agent in AGENTS:
        mine = [it.channel for it in plan.items if it.agent == agent]
        assert sorted(mine) == ["chat", "chat", "voice", "voice", "voice"]
    assert not plan.shortfalls
    assert plan.strata == {"chat": 12, "voice": 18}


def test_proportional_strata_and_proportion(centre):
    plan = S.preview_sample(centre, spec(strata=("channel",), per_agent=6), today=TODAY)
    for agent in AGENTS:  # 10 chat and 20 voice each: 2 and 4
        mine = [it.stratum for it in plan.items if it.agent == agent]
        assert mine.count("chat") == 2 and mine.count("voice") == 4
    share = S.preview_sample(centre, spec(per_agent=None, proportion=0.1), today=TODAY)
    assert per_agent(share) == dict.fromkeys(AGENTS, 3)


def test_shortfall_takes_all_and_reports(centre):
    plan = S.preview_sample(centre, spec(per_agent=40), today=TODAY)
    assert per_agent(plan) == dict.fromkeys(AGENTS, 30)
    assert plan.shortfalls[0].as_dict() == {
        "agent": "A01",
        "agent_name": "Agent A01",
        "wanted": 40,
        "available": 30,
    }
    assert len(plan.shortfalls) == 6
    assert all(it.weight == 1.0 for it in plan.items)
    quota = S.preview_sample(
        centre, spec(per_agent=None, strata=("channel",), quotas={"chat": 11}), today=TODAY
    )
    assert {(s.stratum, s.wanted, s.available) for s in quota.shortfalls} == {("chat", 11, 10)}


def test_exclusions_evaluated_open_samples_min_duration_and_abandoned(centre):
    version = scorecards.publish_builtins(centre)[0].id
    evaluated = interaction_id(centre, "A01-001")
    evaluations.start(centre, evaluated, version, "Ann")  # a draft is enough
    first = S.create_sample(centre, spec(agents=("A02",), per_agent=5), today=TODAY)
    in_sample = {
        r[0]
        for r in centre.db.execute(
            "SELECT interaction_id FROM sample_items WHERE sample_id = ?", [first]
        )
    }
    plan = S.preview_sample(centre, spec(per_agent=40), today=TODAY)
    chosen = {it.interaction_id for it in plan.items}
    assert evaluated not in chosen and not chosen & in_sample
    assert plan.frame.already_evaluated_or_sampled == 6
    assert per_agent(plan)["A01"] == 29 and per_agent(plan)["A02"] == 25
    S.close_sample(centre, first)
    assert per_agent(S.preview_sample(centre, spec(per_agent=40), today=TODAY))["A02"] == 30
    kept = S.preview_sample(centre, spec(per_agent=40, exclude_evaluated=False), today=TODAY)
    assert evaluated in {it.interaction_id for it in kept.items}
    long_only = S.preview_sample(centre, spec(per_agent=40, min_duration_s=300), today=TODAY)
    durations = dict(centre.db.execute("SELECT id, duration_s FROM interactions").fetchall())
    assert all(durations[it.interaction_id] >= 300 for it in long_only.items)
    assert per_agent(long_only)["A03"] == 6  # i = 24…29: 300…350 s


def test_filters_by_channel_team_and_agent(centre):
    plan = S.preview_sample(centre, spec(channels=("chat",), teams=("Red",)), today=TODAY)
    assert set(per_agent(plan)) == {"A04", "A05", "A06"}
    assert {it.channel for it in plan.items} == {"chat"}
    assert set(per_agent(S.preview_sample(centre, spec(agents=("A03",)), today=TODAY))) == {"A03"}


def test_agent_level_risk_and_item_flags(centre):
    plan = S.preview_sample(
        centre, spec(risk={"new_starter": 2, "improvement_plan": 1.5, "complaint": 5}), today=TODAY
    )
    counts_ = per_agent(plan)
    assert counts_["A06"] == 8 and counts_["A05"] == 6 and counts_["A01"] == 4
    flagged = [it for it in plan.items if "complaint" in it.flags]
    assert flagged and all(it.weight < 7.5 for it in flagged)
    assert all("flagged: complaint" in it.reason for it in flagged)


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"channels": ("fax",)}, "unknown channel"),
        ({"per_agent": 0}, "per-agent count 0"),
        ({"per_agent": None, "proportion": 2.0}, "proportion 2.0"),
        ({"period": "2027-01"}, "no interactions in January 2027"),
        ({"evaluators": ("Zed",)}, "unknown evaluator(s): Zed"),
        ({"teams": ("Green",)}, "unknown team(s): Green"),
        ({"agents": ("A99",)}, "unknown agent(s): A99"),
        ({"risk": {"loud": 2}}, "unknown risk key"),
        ({"scorecard": "nope"}, "unknown scorecard"),
    ],
)
def test_bad_specs_create_nothing(centre, changes, needle):
    before = _written(centre)
    with pytest.raises(DataRefused) as err:
        S.create_sample(centre, spec(**changes), today=TODAY)
    assert needle in err.value.message or any(needle in d for d in err.value.details)
    assert _written(centre) == before


def test_nothing_left_and_no_match_are_refused(centre):
    S.create_sample(centre, spec(per_agent=40), today=TODAY)
    with pytest.raises(DataRefused, match="already evaluated or in an open sample"):
        S.preview_sample(centre, spec(), today=TODAY)
    with pytest.raises(DataRefused, match="no interaction in October 2026 matches"):
        S.preview_sample(centre, spec(channels=("email",)), today=TODAY)


def test_a_stale_preview_is_refused(centre):
    plan = S.preview_sample(centre, spec(), today=TODAY)
    S.create_sample(centre, spec(seed=11), today=TODAY)
    with pytest.raises(DataRefused, match="preview the sample again"):
        S.create_sample(centre, plan.spec, plan)


def test_an_id_holding_the_separator_is_read_row_by_row(ws):
    odd = Interaction(
        external_id="A01-odd\x1fid",
        channel="voice",
        started_at="2026-10-15T10:00:00Z",
        agent_external_id="A01",
    )
    build(ws, per_agent=3, extra=[odd])
    plan = S.preview_sample(ws, spec(per_agent=4), today=TODAY)
    assert "A01-odd\x1fid" in {it.external_id for it in plan.items}
    assert per_agent(plan)["A01"] == 4


def test_allocation_respects_skills_leaders_and_named_evaluators(centre):
    plan = S.preview_sample(centre, spec(per_agent=10), today=TODAY)
    assert all(it.channel == "chat" for it in plan.items if it.evaluator == "Cy")
    counts_ = plan.evaluator_counts
    assert counts_["Quinn"] < counts_["Ann"]
    leaders = S.preview_sample(centre, spec(evaluators=("Lena", "Rob")), today=TODAY)
    for it in leaders.items:
        assert it.evaluator == ("Rob" if it.team == "Blue" else "Lena")
    own = S.preview_sample(
        centre, spec(evaluators=("Lena",), exclude_own_leader=False), today=TODAY
    )
    assert {it.evaluator for it in own.items} == {"Lena"}


def test_absent_evaluators_are_skipped_and_their_items_redistributed(centre):
    centre.db.execute(
        "UPDATE evaluators SET absent = ? WHERE name = 'Bo'",
        [json.dumps([["2026-11-01", "2026-11-30"]])],
    )
    plan = S.preview_sample(centre, spec(), today=TODAY)
    assert "Bo" not in plan.evaluator_counts
    assert dict(plan.skipped_evaluators)["Bo"] == "absent 2026-11-01 to 2026-11-30"
    centre.db.execute("UPDATE evaluators SET absent = '[]' WHERE name = 'Bo'")
    sid = S.create_sample(centre, spec(), today=TODAY)
    ann = [q.item_id for q in S.queue_for(centre, "Ann", today=TODAY)]
    centre.db.execute(
        "UPDATE evaluators SET absent = ? WHERE name = 'Ann'",
        [json.dumps([["2026-11-05", "2026-11-06"]])],
    )
    moved = S.reassign_absent(centre, sid, today=TODAY)
    assert sorted(m.item_id for m in moved) == sorted(ann)
    assert all(m.to_evaluator in {"Bo", "Cy", "Quinn"} and m.from_evaluator == "Ann" for m in moved)
    assert moved[0].reason.startswith("redistributed: Ann absent 2026-11-05 to 2026-11-06; ")
    assert S.queue_for(centre, "Ann", today=TODAY) == []
    assert (
        centre.db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'sample.redistribute'"
        ).fetchone()[0]
        == 1
    )
    assert S.reassign_absent(centre, sid, today=TODAY) == []


def test_workload_queue_and_reassign(centre):
    sid = S.create_sample(centre, spec(due_on="2026-11-10"), today=TODAY)
    load = {w.name: w for w in S.workload(centre, today=date(2026, 11, 11))}
    assert sum(w.assigned for w in load.values()) == 24
    assert load["Ann"].overdue == load["Ann"].assigned and load["Ann"].capacity == 20
    queue = S.queue_for(centre, "Bo", today=TODAY)
    assert queue and all(q.evaluator == "Bo" and q.sample_id == sid for q in queue)
    assert queue[0].due_on == "2026-11-10" and not queue[0].overdue
    moving = [q.item_id for q in queue[:2]]
    assert S.reassign(centre, moving, "Quinn", note="Bo on training") == 2
    reasons = [
        r[0]
        for r in centre.db.execute("SELECT reason FROM sample_items WHERE id IN (?, ?)", moving)
    ]
    assert all(
        r.startswith("reassigned from Bo to Quinn by Test Evaluator: Bo on training")
        for r in reasons
    )
    audit = centre.db.execute(
        "SELECT payload FROM audit_log WHERE action = 'sample.reassign'"
    ).fetchone()[0]
    assert json.loads(audit)["moves"][0]["from"] == "Bo"
    version = scorecards.publish_builtins(centre)[0].id
    started = S.queue_for(centre, "Quinn", today=TODAY)[0]
    evaluations.start(
        centre, started.interaction_id, version, "Quinn", source="sample", sample_id=sid
    )
    assert S.queue_for(centre, "Quinn", today=TODAY)[0].status == "in_progress"
    with pytest.raises(DataRefused, match="already in progress"):
        S.reassign(centre, [started.item_id], "Ann")
    with pytest.raises(DataRefused, match="unknown evaluator"):
        S.reassign(centre, moving, "Zed")
    with pytest.raises(DataRefused, match="no such sample item"):
        S.reassign(centre, [99999], "Ann")
    detail = S.get_sample(centre, sid, today=TODAY)
    assert detail.summary.items == 24 and len(detail.items) == 24
    assert S.list_samples(centre)[0].id == sid


def test_agent_evidence_weights_back_and_leaves_targeted_out(centre):
    version = scorecards.publish_builtins(centre)[0]
    target = version.card.target
    sid = S.create_sample(centre, spec(per_agent=3, risk={"complaint": 4}), today=TODAY)
    items = centre.db.execute(
        "SELECT si.interaction_id, si.weight, i.external_id FROM "
        "sample_items si JOIN interactions i ON i.id = si.interaction_id "
        "WHERE sample_id = ? ORDER BY si.id",
        [sid],
    ).fetchall()
    ann = evaluator_id(centre, "Ann")
    for n, (iid, _w, _ext) in enumerate(items):
        _evaluation(centre, iid, version.id, ann, 60.0 + 10 * (n % 4), sid, "sample")
    extra = interaction_id(centre, "A01-029")
    _evaluation(centre, extra, version.id, ann, 0.0, None, "targeted")
    rows = {r.agent: r for r in S.agent_evidence(centre)}
    assert set(rows) == set(AGENTS)
    a01 = [(iid, w) for iid, w, ext in items if ext.startswith("A01")]
    scores = {iid: 60.0 + 10 * (n % 4) for n, (iid, _, _) in enumerate(items)}
    expect = sum(scores[i] * w for i, w in a01) / sum(w for _, w in a01)
    assert rows["A01"].mean.estimate == pytest.approx(expect)
    assert rows["A01"].mean.n == 3 and rows["A01"].not_enough_evidence
    assert rows["A01"].passes == sum(1 for i, _ in a01 if scores[i] >= target)
    with_targeted = {r.agent: r for r in S.agent_evidence(centre, include_targeted=True)}
    assert with_targeted["A01"].mean.n == 4
    sd, n = S.pooled_score_sd(centre)
    assert n == 18 and sd is not None
    assert (
        "pooled from 18 evaluations"
        in S.preview_sample(centre, spec(exclude_open_samples=False), today=TODAY).precision.text
    )


def _evaluation(ws, iid, version_id, evaluator, percent, sample_id, source):
    ws.db.execute(
        "INSERT INTO evaluations (uuid, interaction_id, scorecard_version_id, evaluator_id, "
        "sample_id, source, status, score, max_score, percent, started_at, updated_at) "
        "VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?, ?, 'submitted', ?, 100, ?, "
        "'2026-11-03T10:00:00Z', '2026-11-03T10:00:00Z')",
        [iid, version_id, evaluator, sample_id, source, percent, percent],
    )


def test_progress_and_cancel(centre):
    seen = []
    S.preview_sample(centre, spec(), progress=lambda d, t: seen.append((d, t)), today=TODAY)
    assert seen == [(i, 6) for i in range(1, 7)]
    with pytest.raises(S.SamplingCancelled):
        S.preview_sample(centre, spec(), is_cancelled=lambda: True, today=TODAY)


def test_frame_positions_of_ids(centre):
    q = sample_frame.FrameQuery("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z")
    frame = sample_frame.load_frame(centre, q, 185)
    pos = frame.positions_of(np.array([frame.ids[5], 10**9, frame.ids[0]]))
    assert sorted(pos.tolist()) == [0, 5]
