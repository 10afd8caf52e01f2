"""The regulation register: references from every published version, reviews, the 12-month flag."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa_studio.errors import DataRefused
from qa_studio.storage.repository import audit, regulations, scorecards
from tests.storage.eval_helpers import WORKED_EXAMPLE

NOW = datetime(2026, 11, 1, tzinfo=UTC)
# v2 drops the PCI question and cites a new rule on identity checks
V2 = WORKED_EXAMPLE.replace('regulation: "PCI DSS 3.3.1"', 'regulation: "FCA PRIN 2A"').replace(
    'regulation: "UK GDPR Art. 5(1)(f)"', 'regulation: "UK GDPR Art. 32"'
)


@pytest.fixture
def cards(ws):
    scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    scorecards.publish(ws, V2, "Rules updated")


def test_register_lists_references_of_every_version(ws, cards):
    entries = {e.reference: e for e in regulations.register(ws, now=NOW)}
    assert set(entries) == {
        "UK GDPR Art. 5(1)(f)",
        "PCI DSS 3.3.1",
        "FCA PRIN 2A",
        "UK GDPR Art. 32",
    }
    pci = entries["PCI DSS 3.3.1"]
    assert [(c.scorecard, c.question_key, c.latest) for c in pci.citations] == [
        ("voice_example@1", "cvv", False)
    ]
    assert not pci.in_use and entries["FCA PRIN 2A"].in_use
    assert all(e.overdue and e.reason == "never reviewed" for e in entries.values())


def test_reviews_clear_the_flag_for_twelve_months(ws, cards):
    regulations.mark_reviewed(ws, "FCA PRIN 2A", "Lee", at="2026-06-01T09:00:00Z")
    regulations.mark_reviewed(ws, "PCI DSS 3.3.1", "Lee", at="2025-09-30T09:00:00Z")
    regulations.mark_reviewed(ws, "PCI DSS 3.3.1", "Ann", at="2025-10-15T09:00:00Z", note="v4.0")
    entries = {e.reference: e for e in regulations.register(ws, now=NOW)}
    fresh = entries["FCA PRIN 2A"]
    assert not fresh.overdue and fresh.last_reviewed_by == "Lee"
    stale = entries["PCI DSS 3.3.1"]  # the latest review counts, 12½ months ago
    assert stale.overdue and stale.last_reviewed_by == "Ann"
    assert "more than 12 months" in stale.reason
    assert not {
        e.reference: e for e in regulations.register(ws, now=datetime(2026, 10, 1, tzinfo=UTC))
    }["PCI DSS 3.3.1"].overdue
    rows = ws.db.execute(
        "SELECT payload FROM audit_log WHERE action = 'regulation.reviewed'"
    ).fetchall()
    assert len(rows) == 3 and audit.verify(ws.db).ok


def test_unknown_reference_and_missing_reviewer_are_refused(ws, cards):
    with pytest.raises(DataRefused, match="no published scorecard cites the regulation 'PCI 9'"):
        regulations.mark_reviewed(ws, "PCI 9", "Lee")
    with pytest.raises(DataRefused, match="reviewer's name"):
        regulations.mark_reviewed(ws, "FCA PRIN 2A", " ")
    assert ws.db.execute("SELECT count(*) FROM regulation_reviews").fetchone()[0] == 0


def test_empty_workspace_has_an_empty_register(ws):
    assert regulations.register(ws) == []
