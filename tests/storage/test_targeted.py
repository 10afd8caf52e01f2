"""Targeted review: the rules, the standing queue, and the hook at the end of every import."""

from __future__ import annotations

import pytest

from qa_studio.domain.models import Interaction, Transcript, Turn
from qa_studio.errors import DataRefused
from qa_studio.importers.api import run_import
from qa_studio.storage.repository import targeted
from qa_studio.storage.repository.interactions import (
    interaction_id,
    set_transcript,
    upsert_interactions,
)
from tests.storage.sample_fixtures import build, counts


def test_luhn_and_transcript_findings():
    assert targeted.luhn_ok("4111111111111111") and not targeted.luhn_ok("4111111111111112")
    turns = [
        {"role": "agent", "text": "Can I take the long number on the card?"},
        {"role": "customer", "text": "It's 4111 1111 1111 1111, expiry 09/28"},
        {"role": "agent", "text": "And the three digits on the back, the CVV?"},
    ]
    found = dict(targeted.transcript_findings(turns))
    assert found["card_number"] == (
        "a card number was read out by the customer (16 digits, turn 2)"
    )
    assert found["security_code"].endswith("by the agent, turn 3)")
    assert (
        targeted.transcript_findings(
            [
                {"role": "customer", "text": "my order 1234 5678 9012 3456 hasn't come"},
                {"role": "customer", "text": "call me on 07700 900123"},
            ]
        )
        == []
    )


def _fixture(ws):
    build(ws, per_agent=12)  # formal complaints (with CSAT 1) at i = 0; formal at i = 10
    set_transcript(
        ws,
        interaction_id(ws, "A02-003"),
        Transcript("json", (Turn("Cust", "customer", "the card is 5555 5555 5555 4444"),)),
    )
    set_transcript(
        ws,
        interaction_id(ws, "A03-005"),
        Transcript("json", (Turn("Agent", "agent", "what's the security code please?"),)),
    )
    with ws.db.atomic():
        upsert_interactions(
            ws,
            [
                Interaction(
                    "VULN-1",
                    "chat",
                    "2026-10-20T09:00:00Z",
                    agent_external_id="A01",
                    vulnerable=True,
                ),
                Interaction(
                    "CSAT-1", "chat", "2026-10-20T10:00:00Z", agent_external_id="A02", csat=1
                ),
                Interaction("AB-COMPLAINT", "voice", "2026-10-20T09:00:00Z", complaint="formal"),
            ],
        )


def test_rules_queue_new_high_risk_contacts_once(ws):
    _fixture(ws)
    run = targeted.run_targeted_rules(ws, new_since_last=True)
    queue = {t.external_id: t for t in targeted.targeted_queue(ws)}
    assert run.checked == counts(ws, "interactions")
    assert queue["A02-003"].rule == "card_number"
    assert queue["A03-005"].rule == "security_code"
    assert queue["VULN-1"].rule == "vulnerable"
    assert queue["A01-000"].rule == "formal_complaint"
    assert "CSAT 1" in queue["A01-000"].reason  # i = 0: formal complaint and CSAT 1
    assert queue["CSAT-1"].rule == "csat_1"
    assert "AB-COMPLAINT" not in queue  # abandoned: no agent to review
    assert "A01-001" not in queue
    assert run.by_rule()["formal_complaint"] == 12
    assert "queued for targeted review" in run.note()
    audit = ws.db.execute("SELECT count(*) FROM audit_log WHERE action = 'targeted.queue'")
    assert audit.fetchone()[0] == 1
    again = targeted.run_targeted_rules(ws, new_since_last=True)
    assert again.checked == 0 and again.queued == []
    # A transcript arriving later for an old contact is checked when named.
    set_transcript(
        ws,
        interaction_id(ws, "A04-001"),
        Transcript("json", (Turn("Cust", "customer", "card number 4111-1111-1111-1111"),)),
    )
    late = targeted.after_import(ws, ["A04-001"])
    assert [h.external_id for h in late.queued] == ["A04-001"]


def test_queue_states_dismissal_and_targeted_evaluations(ws):
    from qa_studio.storage.repository import evaluations, scorecards

    _fixture(ws)
    targeted.run_targeted_rules(ws, new_since_last=True)
    entry = next(t for t in targeted.targeted_queue(ws) if t.external_id == "VULN-1")
    assert targeted.is_targeted(ws, entry.interaction_id)
    with pytest.raises(DataRefused, match="say why"):
        targeted.dismiss_targeted(ws, [entry.id], " ")
    assert targeted.dismiss_targeted(ws, [entry.id], "already handled by complaints") == 1
    assert entry.external_id in {t.external_id for t in targeted.targeted_queue(ws, "dismissed")}
    other = targeted.targeted_queue(ws)[0]
    version = scorecards.publish_builtins(ws)[0].id
    record = evaluations.start(ws, other.interaction_id, version, "Ann", source="targeted")
    ws.db.execute(
        "UPDATE evaluations SET status = 'submitted', percent = 50 WHERE id = ?", [record.id]
    )
    assert other.external_id in {t.external_id for t in targeted.targeted_queue(ws, "done")}
    assert other.external_id not in {t.external_id for t in targeted.targeted_queue(ws)}
    with pytest.raises(DataRefused, match="no targeted-review entry"):
        targeted.dismiss_targeted(ws, [9999], "x")


def test_every_import_runs_the_rules_in_its_transaction(ws, tmp_path):
    source = tmp_path / "contacts.csv"
    source.write_text(
        "Contact ID,Channel,Start Time,Agent ID,Agent Name,Complaint,CSAT\n"
        "C-1,voice,2026-10-01T10:00:00Z,AG1,Ann Agent,formal,4\n"
        "C-2,voice,2026-10-01T11:00:00Z,AG1,Ann Agent,none,1\n"
        "C-3,chat,2026-10-01T12:00:00Z,AG1,Ann Agent,none,5\n",
        encoding="utf-8",
    )
    dry = run_import(ws, source, dry_run=True)
    assert dry.rejected == 0 and counts(ws, "targeted_reviews") == 0
    report = run_import(ws, source)
    assert report.written
    assert {t.external_id for t in targeted.targeted_queue(ws)} == {"C-1", "C-2"}
    assert any("targeted review" in note for note in report.notes)
    actions = [r[0] for r in ws.db.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions == ["import"]  # the import's audit row stands for the rules it ran
    again = run_import(ws, source)  # nothing new: nothing checked or queued twice
    assert counts(ws, "targeted_reviews") == 2
    assert not any("targeted review" in note for note in again.notes)
