"""Root-cause analysis: start → whys → causes → actions → effect check, audited; the Pareto."""

from __future__ import annotations

from datetime import date

import pytest

from qa_studio.domain.models import Interaction
from qa_studio.domain.rca import ActionDraft, CauseDraft, RcaDraft, pareto
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import rca
from qa_studio.storage.repository.evaluation_import import EvaluationImport, record_evaluations
from qa_studio.storage.repository.interactions import upsert_interactions
from qa_studio.storage.repository.rca_effect import effect_check, effect_of
from tests.storage.eval_helpers import GOOD, actions, seed


def test_start_rca_for_the_dashboard_button(ws):
    rid = rca.start_rca(ws, "kpi_miss", "csat/Blue/voice/2026-10", "CSAT below target",
                        owner="Lee")  # fmt: skip
    r = rca.get_rca(ws, rid)
    assert (r.source_kind, r.source_ref, r.problem, r.owner, r.status) == (
        "kpi_miss",
        "csat/Blue/voice/2026-10",
        "CSAT below target",
        "Lee",
        "open",
    )
    assert actions(ws) == ["rca.start"]
    with pytest.raises(DataRefused, match="source_kind"):
        rca.start_rca(ws, "hunch", "", "x")
    with pytest.raises(DataRefused, match="problem"):
        rca.start_rca(ws, "question", "idv", "  ")


def test_whys_causes_actions_step_by_step(ws):
    rid = rca.start_rca(ws, "question", "voice_example:idv", "ID checks skipped")
    assert rca.add_why(ws, rid, "Agents skip the check on callbacks") == 1
    assert rca.add_why(ws, rid, "The callback script has no ID step") == 2
    rca.add_cause(ws, rid, "Process", "Callback script lacks ID step", 6)
    rca.add_cause(ws, rid, "People", "New starters unsure", 3)
    rca.add_cause(ws, rid, "Technology", "CRM does not prompt", 1)
    aid = rca.add_action(ws, rid, "Add ID step to callback script", owner="Lee",
                         due_on="2026-11-30")  # fmt: skip
    rca.set_action_status(ws, aid, "done", done_on="2026-11-20")
    r = rca.get_rca(ws, rid)
    assert r.whys == ("Agents skip the check on callbacks", "The callback script has no ID step")
    assert [(c.category, c.weight) for c in r.causes] == [("Process", 6), ("People", 3),
                                                          ("Technology", 1)]  # fmt: skip
    assert [(a.status, a.done_on) for a in r.actions] == [("done", "2026-11-20")]
    assert r.status == "actions_agreed"
    assert actions(ws) == ["rca.start", "rca.why", "rca.why", "rca.cause", "rca.cause",
                           "rca.cause", "rca.action", "rca.action_status"]  # fmt: skip
    [summary] = rca.list_rcas(ws, today="2026-12-01")
    assert (summary.causes, summary.actions_open, summary.actions_overdue) == (3, 0, 0)
    with pytest.raises(DataRefused) as err:
        rca.add_cause(ws, rid, "Weather", "", -1)
    assert len(err.value.details) == 3


def test_save_replaces_everything_in_one_audited_step(ws):
    rid = rca.start_rca(ws, "complaint_category", "Fees", "Fee complaints doubled")
    draft = RcaDraft(
        problem="Fee complaints doubled in October", owner="Lee", status="actions_agreed",
        whys=("Fees not explained", "Script changed", "No briefing"),
        causes=(CauseDraft("Policy", "Fee change not briefed", 5),
                CauseDraft("Process", "Script step removed", 3)),
        actions=(ActionDraft("Team briefing on fees", "Lee", "2026-11-10"),),
    )  # fmt: skip
    saved = rca.save_rca(ws, rid, draft)
    assert saved.draft() == draft
    assert actions(ws)[-1] == "rca.save"
    shorter = RcaDraft(problem="Fee complaints doubled", whys=("Fees not explained",))
    assert rca.get_rca(ws, rca.save_rca(ws, rid, shorter).id).causes == ()
    with pytest.raises(DataRefused) as err:
        rca.save_rca(ws, rid, RcaDraft(problem="", whys=("",)))
    assert err.value.details == [
        "problem: a problem statement is required",
        "whys[1]: an empty why (remove it or write the answer)",
    ]
    assert rca.get_rca(ws, rid).problem == "Fee complaints doubled"


def test_pareto_orders_and_marks_the_vital_few():
    rows = pareto([CauseDraft("People", "a", 1), CauseDraft("Process", "b", 6),
                   CauseDraft("Policy", "c", 3), CauseDraft("Technology", "d", 0)])  # fmt: skip
    assert [(r.text, r.share, r.cumulative, r.vital) for r in rows] == [
        ("b", 60.0, 60.0, True), ("c", 30.0, 90.0, True), ("a", 10.0, 100.0, False),
        ("d", 0.0, 100.0, False)]  # fmt: skip


def test_effect_check_on_a_question_pass_rate(ws):
    data = seed(ws, 20)  # contacts on 1…20 Oct 2026
    items = []
    for n, iid in enumerate(data["interactions"], start=1):
        fail = n <= 6 if n <= 10 else n == 11  # before: 6 of 10 fail; after: 1 of 10
        items.append(EvaluationImport(iid, data["v1"].id, "Ann", {**GOOD, "idv": "no" if fail
                                      else "yes"}, f"2026-10-{n:02d}T12:00:00Z",
                                      status="submitted", submitted_at=f"2026-10-{n:02d}T12:30:00Z"))  # fmt: skip
    record_evaluations(ws, items)
    rid = rca.start_rca(ws, "question", "idv", "ID checks failed")
    assert effect_check(ws, rid) is None
    rca.set_effect(ws, rid, metric="pass_rate:idv", change_on="2026-10-11")
    check = effect_check(ws, rid, window_days=10)
    e = check.effect
    assert (e.before.n, e.before.successes, e.after.n, e.after.successes) == (10, 4, 10, 9)
    assert (e.before.mean, e.after.mean) == (40.0, 90.0)
    assert e.difference.estimate == pytest.approx(50.0)
    assert e.verdict == "improved" and check.before_from == "2026-10-01"
    assert rca.get_rca(ws, rid).status == "checking_effect"


def test_effect_check_on_csat_means_and_too_few(ws):
    contacts = [Interaction(f"C{i}", "voice", f"2026-09-{i + 1:02d}T10:00:00Z", "A1",
                            csat=(2, 3)[i % 2]) for i in range(6)]  # fmt: skip
    contacts += [Interaction(f"D{i}", "voice", f"2026-10-{i + 1:02d}T10:00:00Z", "A1",
                             csat=(4, 5)[i % 2]) for i in range(6)]  # fmt: skip
    with ws.db.atomic():
        upsert_interactions(ws, contacts)
    check = effect_of(ws, "csat", date(2026, 10, 1), window_days=30)
    assert (check.effect.before.mean, check.effect.after.mean) == (2.5, 4.5)
    assert check.effect.difference.estimate == pytest.approx(2.0)
    few = effect_of(ws, "csat", date(2026, 10, 1), window_days=30, min_n=7)
    assert few.effect.verdict == "too_few" and few.effect.difference is None
    with pytest.raises(DataRefused, match="metric"):
        effect_of(ws, "happiness", date(2026, 10, 1))
