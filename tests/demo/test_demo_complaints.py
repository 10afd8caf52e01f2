"""The demo's complaints log, breach log and worked RCAs."""

from __future__ import annotations

from datetime import date

from qa_studio.storage.repository import breaches, rca
from qa_studio.storage.repository.complaints_query import get_complaint, list_complaints
from qa_studio.storage.repository.rca_effect import effect_check
from tests.demo.conftest import END


def test_complaints_in_every_state_with_timelines(demo):
    found = list_complaints(demo, today=date(2026, 11, 1))
    assert {c.status for c in found} == {"open", "investigating", "resolved", "referred",
                                         "closed"}  # fmt: skip
    assert {c.due_state for c in found} == {"overdue", "due_soon", "on_track", "done"}
    assert {c.regime for c in found} == {"fca", "payment_services", "ofcom", "internal"}
    assert {c.classification for c in found} == {"formal", "informal"}
    assert any(c.vulnerable and c.vulnerability_need for c in found)
    assert all(c.interaction for c in found)  # logged from the demo's flagged contacts
    referred = next(c for c in found if c.status == "referred")
    kinds = [e.kind for e in get_complaint(demo, referred.id).events]
    assert kinds[0] == "created"
    assert {"status", "escalation", "note", "response", "referral"} <= set(kinds)
    assert all(c.opened_at <= f"{END.isoformat()}T23:59:59Z" for c in found)


def test_two_worked_rcas_with_linked_complaints(demo):
    rcas = rca.list_rcas(demo)
    assert len(rcas) == 2
    fees = rca.get_rca(demo, next(r.id for r in rcas if r.source_kind == "complaint_category"))
    assert len(fees.whys) == 5
    assert {c.category for c in fees.causes} == {"People", "Process", "Technology", "Policy",
                                                 "Environment", "Measurement"}  # fmt: skip
    assert {a.status for a in fees.actions} == {"done", "open"}
    assert len(fees.complaint_ids) == 3
    check = effect_check(demo, fees.id)
    assert check is not None and check.effect.before.n > 0 and check.effect.after.n > 0
    question = rca.get_rca(demo, next(r.id for r in rcas if r.source_kind == "question"))
    assert question.metric == f"pass_rate:{question.source_ref}"


def test_breaches_opened_from_fatal_fails(demo):
    found = breaches.list_breaches(demo)
    assert found and {b.kind for b in found} <= {"pci", "data_protection"}
    assert [b.status for b in found].count("open") == 1
    assert {b.status for b in found} - {"open"} <= {"reported", "not_reportable"}
