"""Sharing items among evaluators: proportional to capacity, within skills and absences."""

from __future__ import annotations

from collections import Counter
from datetime import date

from qa_studio.domain.allocation import EvaluatorSlot, WorkItem, allocate, available_pool

FIRST, LAST = date(2026, 11, 2), date(2026, 11, 16)


def ev(id, name, cap=20, channels=(), absent=(), role="evaluator", active=True, cards=()):
    return EvaluatorSlot(
        id, name, role, cap, frozenset(channels), frozenset(cards), tuple(absent), active
    )


def counts(result):
    return Counter(a.evaluator for a in result.assignments)


def test_equal_capacities_share_within_one_of_proportional():
    pool = [ev(1, "Ann"), ev(2, "Bo"), ev(3, "Cy")]
    for n in (1, 2, 7, 100, 101):
        result = allocate([WorkItem("voice")] * n, pool, first=FIRST, last=LAST)
        for name in ("Ann", "Bo", "Cy"):
            assert abs(counts(result)[name] - n / 3) < 1 + 1e-9


def test_shares_follow_capacity():
    pool = [ev(1, "Ann", 20), ev(2, "Bo", 20), ev(3, "Quinn", 10, role="qa_lead")]
    result = allocate([WorkItem("chat")] * 50, pool, first=FIRST, last=LAST)
    assert counts(result) == {"Ann": 20, "Bo": 20, "Quinn": 10}
    assert result.assignments[0].reason == "capacity 20/wk of 50 total; covers chat"


def test_skills_are_respected():
    pool = [
        ev(1, "Ann", channels=["voice"]),
        ev(2, "Cy", channels=["chat"]),
        ev(3, "Dee", cards=["complaints"]),
    ]
    items = [WorkItem("voice"), WorkItem("chat")] * 10
    result = allocate(items, pool, first=FIRST, last=LAST)
    for item, a in zip(items, result.assignments, strict=True):
        assert a.evaluator in ({"Ann", "Dee"} if item.channel == "voice" else {"Cy", "Dee"})
    scored = allocate(items, pool, first=FIRST, last=LAST, scorecard="voice_service")
    assert {a.evaluator for a in scored.assignments} == {"Ann", "Cy"}  # Dee: complaints only


def test_own_team_leader_is_never_chosen_when_the_option_is_on():
    pool = [ev(1, "Lena", role="team_leader"), ev(2, "Bo")]
    items = [WorkItem("voice", leader_id=1)] * 6
    result = allocate(items, pool, first=FIRST, last=LAST)
    assert set(counts(result)) == {"Bo"}
    assert result.assignments[0].reason.endswith("not the agent's team leader")
    allowed = allocate(items, pool, first=FIRST, last=LAST, exclude_own_leader=False)
    assert counts(allowed) == {"Lena": 3, "Bo": 3}
    alone = allocate(items, [pool[0]], first=FIRST, last=LAST)
    assert alone.unassigned == 6
    assert "only the agent's team leader" in alone.assignments[0].reason


def test_absent_inactive_and_zero_capacity_evaluators_are_skipped_with_why():
    pool = [
        ev(1, "Ann", absent=[("2026-11-10", "2026-11-20")]),
        ev(2, "Bo", absent=[("2026-10-01", "2026-10-05")]),
        ev(3, "Cy", active=False),
        ev(4, "Dee", cap=0),
        ev(5, "Eve", absent=[(None, None)]),
    ]
    available, skipped = available_pool(pool, FIRST, LAST)
    assert [e.name for e in available] == ["Bo"]
    assert dict(skipped) == {
        "Ann": "absent 2026-11-10 to 2026-11-20",
        "Cy": "inactive",
        "Dee": "capacity 0 a week",
        "Eve": "absent … to …",
    }
    result = allocate([WorkItem("voice")] * 4, pool, first=FIRST, last=LAST)
    assert counts(result) == {"Bo": 4}


def test_existing_load_is_topped_up_first_and_nobody_means_unassigned():
    pool = [ev(1, "Ann"), ev(2, "Bo")]
    result = allocate([WorkItem("voice")] * 4, pool, first=FIRST, last=LAST, existing={1: 4})
    assert counts(result) == {"Bo": 4}
    assert result.counts == {"Ann": 0, "Bo": 4}
    none = allocate([WorkItem("email")], [ev(1, "Ann", channels=["voice"])], first=FIRST, last=LAST)
    assert none.assignments[0].evaluator is None
    assert none.assignments[0].reason == "unassigned: no available evaluator covers email"


def test_constrained_items_are_placed_first_so_shares_stay_even():
    # Cy only does chat; if the voice items went first, Ann and Bo would be ahead and Cy would
    # get every chat item. Placing chat first keeps all three at four.
    pool = [ev(1, "Ann"), ev(2, "Bo"), ev(3, "Cy", channels=["chat"])]
    items = [WorkItem("voice")] * 8 + [WorkItem("chat")] * 4
    assert counts(allocate(items, pool, first=FIRST, last=LAST)) == {"Ann": 4, "Bo": 4, "Cy": 4}


def test_from_row_reads_the_stored_json():
    slot = EvaluatorSlot.from_row(
        7,
        "Ann",
        "evaluator",
        15,
        '{"channels": ["voice"], "scorecards": []}',
        '[["2026-11-01", "2026-11-03"]]',
        1,
    )
    assert slot.covers("voice") and not slot.covers("chat") and slot.covers("voice", "any")
    assert slot.absence_during(date(2026, 11, 3), date(2026, 11, 9)) == ("2026-11-01", "2026-11-03")
    assert slot.absence_during(date(2026, 11, 4), date(2026, 11, 9)) is None
