"""The demo's samples: last month's monthly QA sample shared by every QA evaluator, part of it
already done through real evaluations, an overdue spot check, and the Sampling tab showing them."""

from __future__ import annotations

import shutil
from datetime import timedelta

from qa_studio.demo.builder import STEPS, build_demo
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import samples
from qa_studio.storage.repository.sample_scope import load_evaluators
from tests.demo.conftest import END, SMALL
from tests.ui.prompts import never_ask_evaluator
from tests.ui.windows import ini_settings, main_window

#: A day in the month after ``--end``: the spot check is past due, the monthly sample is not.
TODAY = END + timedelta(days=20)
ME = "Sam Ellery"


def _qa_pool(ws) -> list[str]:
    return [e.name for e in load_evaluators(ws) if e.active and e.role in ("evaluator", "qa_lead")]


def _monthly(ws):
    return next(s for s in samples.list_samples(ws) if s.name == "October 2026 — monthly QA")


def test_an_open_monthly_sample_is_shared_by_every_qa_evaluator(demo):
    monthly = _monthly(demo)
    assert monthly.status == "open" and monthly.due_on == "2026-11-30"
    assert "formal complaints, vulnerable customers and low CSAT" in monthly.objective
    detail = samples.get_sample(demo, monthly.id, today=TODAY)
    assert detail.spec.period == "2026-10" and detail.spec.strata == ("channel",)
    assert set(detail.spec.risk) == {"complaint", "vulnerable", "low_csat"}
    agents = {i.agent for i in detail.items}
    assert len(agents) == SMALL.agents  # stratified per agent: everyone is in it
    by_evaluator = {i.evaluator for i in detail.items}
    assert set(_qa_pool(demo)) <= by_evaluator
    states = [i.status for i in detail.items]
    assert 0 < states.count("done") < len(states)  # part of the work is done, not all
    assert states.count("assigned") > 0
    assert not any(i.overdue for i in detail.items)


def test_done_items_are_the_evaluators_own_evaluations(demo):
    detail = samples.get_sample(demo, _monthly(demo).id, today=TODAY)
    for item in detail.items:
        own = demo.db.execute(
            "SELECT e.status FROM evaluations e JOIN evaluators ev ON ev.id = e.evaluator_id "
            "WHERE e.interaction_id = ? AND ev.name = ? AND e.calibration_session_id IS NULL",
            [item.interaction_id, item.evaluator],
        ).fetchall()
        if item.status == "done":
            assert any(s != "draft" for (s,) in own), item.external_id
        elif item.status == "in_progress":
            assert [s for (s,) in own] == ["draft"], item.external_id
        else:
            assert own == [], item.external_id


def test_the_spot_check_is_overdue_and_workloads_show_it(demo):
    spot = next(s for s in samples.list_samples(demo) if "spot check" in s.name)
    assert spot.status == "open" and spot.due_on < END.isoformat()
    items = samples.get_sample(demo, spot.id, today=TODAY).items
    assert items and all(i.overdue and i.status == "assigned" for i in items)
    loads = {w.name: w for w in samples.workload(demo, today=TODAY)}
    assert set(_qa_pool(demo)) <= set(loads)
    assert sum(w.overdue for w in loads.values()) == len(items)
    assert sum(w.done for w in loads.values()) == _monthly(demo).done
    assert all(w.open + w.done > 0 for w in loads.values())
    assert samples.queue_for(demo, ME, today=TODAY)


def test_the_samples_step_adds_no_evaluation(tmp_path, demo):
    ws = open_workspace(tmp_path / "bare.qaw")
    try:
        build_demo(ws, SMALL, steps=tuple(s for s in STEPS if s[0] != "samples"))
        tables = ("evaluations", "interactions", "coaching_sessions", "calibration_sessions")
        for table in tables:
            query = f"SELECT count(*) FROM {table}"
            assert demo.db.execute(query).fetchone() == ws.db.execute(query).fetchone(), table
        assert ws.db.execute("SELECT count(*) FROM samples").fetchone() == (0,)
    finally:
        ws.close()


def test_the_sampling_tab_shows_the_demo_samples(
    qtbot, qtmodeltester, demo_path, tmp_path, monkeypatch
):
    path = tmp_path / "demo.qaw"
    shutil.copy(demo_path, path)
    never_ask_evaluator(monkeypatch)
    ws = open_workspace(path, create=False)
    try:
        win = main_window(qtbot, ini_settings(tmp_path, evaluator=ME), ws, show=False)
        win.sampling.today = TODAY
        win.show()
        qtbot.waitExposed(win)
        win.tabs.setCurrentWidget(win.sampling)
        view = win.sampling
        assert view.isVisible()
        names = [view.samples_model.record(r).name for r in range(view.samples_model.rowCount())]
        assert "October 2026 — monthly QA" in names and len(names) == 2
        table = view.workload_model
        qtmodeltester.check(table)
        rows = {table.index(r, 0).data(): [int(table.index(r, c).data()) for c in range(1, 5)]
                for r in range(table.rowCount())}  # fmt: skip
        assert set(_qa_pool(ws)) <= set(rows)
        assert all(sum(numbers) > 0 for numbers in rows.values())
        assert sum(numbers[3] for numbers in rows.values()) > 0  # something is overdue
        queue = view.queue_model
        mine = [
            queue.record(r) for r in range(queue.rowCount()) if queue.record(r).kind == "sample"
        ]
        assert [r.item.item_id for r in mine] == [
            q.item_id for q in samples.queue_for(ws, ME, today=TODAY)
        ]
        assert mine and any(r.overdue for r in mine)
    finally:
        ws.close()
