"""Complaints log and breach log: due dates, the audited timeline, the 72-hour ICO clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qa_studio.errors import DataRefused
from qa_studio.storage.repository import breaches, evaluations
from qa_studio.storage.repository import complaints as repo
from qa_studio.storage.repository.complaints_query import get_complaint, list_complaints, overdue
from qa_studio.storage.repository.evaluation_import import EvaluationImport, record_evaluations
from tests.storage.eval_helpers import GOOD, actions, seed


def _new(**kw) -> repo.NewComplaint:
    base = {"category": "Billing", "classification": "formal",
            "classification_reason": "customer asked for a formal complaint",
            "opened_at": "2026-12-24T10:00:00Z", "owner": "Ann"}  # fmt: skip
    return repo.NewComplaint(**{**base, **kw})


def test_create_computes_due_dates_and_audits(ws):
    cid = repo.create_complaint(ws, _new(), at="2026-12-24T10:05:00Z")
    c = get_complaint(ws, cid, today=date(2026, 12, 24))
    assert (c.summary_due, c.final_due) == ("2026-12-31", "2027-02-18")
    assert c.status == "open" and c.due_state == "on_track"
    assert [e.kind for e in c.events] == ["created"]
    assert actions(ws) == ["complaint.create"]


def test_payment_services_exceptional_and_regime_change_recomputes(ws):
    cid = repo.create_complaint(
        ws, _new(regime="payment_services", opened_at="2026-12-07T09:00:00Z")
    )
    assert get_complaint(ws, cid).final_due == "2026-12-30"
    changed = repo.update_complaint(ws, cid, {"exceptional": True}, note="holding reply sent")
    assert changed == ["exceptional"]
    c = get_complaint(ws, cid)
    assert c.final_due == "2027-01-28"
    assert [(e.kind, e.from_value, e.to_value) for e in c.events[1:]] == [
        ("edit", "0", "1"), ("edit", "2026-12-30", "2027-01-28"),
    ]  # fmt: skip


def test_receipt_late_in_the_evening_counts_on_the_london_day(ws):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London: received Wed 1 Jul 2026.
    cid = repo.create_complaint(ws, _new(opened_at="2026-06-30T23:30:00Z"))
    assert get_complaint(ws, cid).summary_due == "2026-07-06"  # Thu 2, Fri 3, Mon 6


def test_timeline_handoff_escalation_response_referral_follow_up(ws):
    cid = repo.create_complaint(ws, _new())
    repo.update_complaint(
        ws,
        cid,
        {"owner": "Bo", "escalation_level": 1, "first_line_attempted": True},
        note="to complaints team",
    )
    repo.add_note(ws, cid, "Listened to the call: fee not explained")
    repo.record_final_response(ws, cid, "Fee refunded", redress="refund", redress_amount=25.0,
                               follow_up_due="2027-01-15")  # fmt: skip
    repo.refer(ws, cid, reference="FOS-123")
    repo.record_follow_up(ws, cid, "Customer satisfied with the outcome")
    c = get_complaint(ws, cid, today=date(2027, 6, 1))
    kinds = [e.kind for e in c.events]
    assert kinds == ["created", "handoff", "escalation", "edit", "note", "response", "referral",
                     "follow_up"]  # fmt: skip
    assert (c.owner, c.escalation_level, c.first_line_attempted) == ("Bo", 1, True)
    assert (c.status, c.redress_amount, c.ombudsman_ref) == ("closed", 25.0, "FOS-123")
    assert c.due_state == "done" and c.days_left is None
    assert actions(ws).count("complaint.update") == 1
    assert actions(ws)[-3:] == ["complaint.response", "complaint.referral", "complaint.follow_up"]


def test_timeline_rows_cannot_be_edited(ws):
    cid = repo.create_complaint(ws, _new())
    with pytest.raises(Exception, match="cannot change"):
        ws.db.execute("UPDATE complaint_events SET text = 'x' WHERE complaint_id = ?", [cid])


def test_overdue_due_soon_and_filters(ws):
    late = repo.create_complaint(ws, _new(opened_at="2026-09-01T09:00:00Z"))
    soon = repo.create_complaint(
        ws, _new(regime="internal", classification="informal", opened_at="2026-11-19T09:00:00Z",
                 vulnerable=True, vulnerability_need="bereavement")
    )  # fmt: skip
    fine = repo.create_complaint(ws, _new(opened_at="2026-11-20T09:00:00Z"))
    today = date(2026, 11, 24)  # internal: 5 business days from Thu 19 Nov → Thu 26 Nov
    assert [c.id for c in overdue(ws, today=today)] == [late]
    assert [c.id for c in list_complaints(ws, due="due_soon", today=today)] == [soon]
    assert [c.id for c in list_complaints(ws, vulnerable=True, today=today)] == [soon]
    assert {c.id for c in list_complaints(ws, status="open", today=today)} == {late, soon, fine}
    repo.record_final_response(ws, late, "Apology and explanation")
    assert overdue(ws, today=today) == []


def test_bad_input_is_refused_with_fields_and_nothing_stored(ws):
    with pytest.raises(DataRefused) as err:
        repo.create_complaint(ws, _new(category=" ", classification="angry", regime="nope",
                                       escalation_level=7))  # fmt: skip
    assert {d.split(":")[0] for d in err.value.details} == {
        "category",
        "classification",
        "regime",
        "escalation_level",
    }
    assert ws.db.execute("SELECT count(*) FROM complaints").fetchone()[0] == 0
    cid = repo.create_complaint(ws, _new())
    with pytest.raises(DataRefused, match="cannot be changed"):
        repo.update_complaint(ws, cid, {"final_due": "2030-01-01"})


def test_create_from_flagged_interaction(ws):
    data = seed(ws, 2)
    ws.db.execute("UPDATE interactions SET complaint = 'formal', vulnerable = 1 WHERE id = ?",
                  [data["interactions"][0]])  # fmt: skip
    cid = repo.create_from_interaction(ws, data["interactions"][0], "Fees",
                                       classification_reason="flagged on the call")  # fmt: skip
    c = get_complaint(ws, cid)
    assert (c.classification, c.vulnerable, c.interaction, c.agent) == (
        "formal",
        True,
        "INT-1",
        "A1",
    )
    assert c.opened_at == "2026-10-01T10:00:00Z" and c.regime == "fca"


def test_fatal_pci_fail_at_submit_opens_breach_with_72_hours(ws):
    data = seed(ws, 2)
    ev = evaluations.start(ws, data["interactions"][0], data["v1"].id, "Ann")
    evaluations.save_answers(ws, ev.id, {**GOOD, "cvv": "no"})
    evaluations.submit(ws, ev.id)
    [b] = breaches.list_breaches(ws)
    assert (b.kind, b.question_key, b.regulation, b.status) == ("pci", "cvv", "PCI DSS 3.3.1",
                                                                "open")  # fmt: skip
    opened = datetime.fromisoformat(b.opened_at.replace("Z", "+00:00"))
    due = datetime.fromisoformat(b.ico_due.replace("Z", "+00:00"))
    assert (due - opened).total_seconds() == 72 * 3600
    assert "breach.open" in actions(ws)
    later = breaches.list_breaches(ws, now=due.replace(tzinfo=UTC) + (due - opened) / 72)
    assert later[0].overdue and later[0].hours_left == -1.0
    breaches.decide(ws, b.id, "reported", "Reported to ICO, ref 42")
    assert breaches.list_breaches(ws)[0].status == "reported"
    with pytest.raises(DataRefused, match="already decided"):
        breaches.decide(ws, b.id, "not_reportable", "again")


def test_sync_from_evaluations_is_idempotent_and_one_per_call(ws):
    data = seed(ws, 2)
    item = EvaluationImport(
        data["interactions"][1],
        data["v1"].id,
        "Ann",
        {**GOOD, "cvv": "no"},
        "2026-10-02T11:00:00Z",
        status="submitted",
        submitted_at="2026-10-02T11:10:00Z",
    )
    record_evaluations(ws, [item, EvaluationImport(**{**item.__dict__, "evaluator": "Bo"})])
    assert len(breaches.sync_from_evaluations(ws)) == 1  # two evaluators, one breach
    assert breaches.sync_from_evaluations(ws) == []
    [b] = breaches.list_breaches(ws)
    assert (b.opened_at, b.ico_due) == ("2026-10-02T11:10:00Z", "2026-10-05T11:10:00Z")


@pytest.mark.parametrize(("reg", "kind"), [
    ("UK GDPR Art. 5(1)(f)", "data_protection"), ("Data Protection Act 2018", "data_protection"),
    ("PCI DSS v4.0 3.3.1", "pci"), ("FCA DISP 1.6", None), (None, None)])  # fmt: skip
def test_breach_kind(reg, kind):
    assert breaches.breach_kind(reg) == kind


def test_steps_out_of_order_are_refused_by_the_repository_too(ws):
    """The CLI and scripts meet the screen's rules: no referral before the final response while
    the 8-week deadline runs (FCA DISP 1.6 / DISP 2.8), no follow-up before a response, no second
    response, no referral of an informal complaint; each refusal stores nothing."""
    cid = repo.create_complaint(ws, _new(), at="2026-12-24T10:05:00Z")
    with pytest.raises(DataRefused, match="after the final response"):
        repo.refer(ws, cid, reference="FOS-1", at="2027-01-10T09:00:00Z")
    with pytest.raises(DataRefused, match="record that first"):
        repo.record_follow_up(ws, cid, "Called back", at="2027-01-10T09:00:00Z")
    # Once the final deadline (2027-02-18) has passed the customer may refer without a response.
    repo.refer(ws, cid, reference="FOS-1", at="2027-02-19T09:00:00Z")
    with pytest.raises(DataRefused, match="Referred on 2027-02-19"):
        repo.refer(ws, cid, reference="FOS-2", at="2027-02-20T09:00:00Z")
    informal = repo.create_complaint(
        ws,
        _new(classification="informal", classification_reason="dissatisfaction only"),
        at="2026-12-24T10:05:00Z",
    )
    repo.record_final_response(ws, informal, "Explained", at="2026-12-27T10:00:00Z")
    with pytest.raises(DataRefused, match="went out on 2026-12-27"):
        repo.record_final_response(ws, informal, "Again", at="2026-12-28T10:00:00Z")
    with pytest.raises(DataRefused, match="Only a formal complaint"):
        repo.refer(ws, informal, at="2027-01-05T10:00:00Z")
    kinds = [e.kind for e in get_complaint(ws, cid, today=date(2027, 3, 1)).events]
    assert kinds == ["created", "referral"]
