"""Transcripts are redacted on import when the workspace setting is on, and stored as given when
it is off — for transcript files and for transcripts inside interaction exports (JSON, Zendesk)."""

from __future__ import annotations

import json

import pytest

from qa_studio.domain.models import Interaction
from qa_studio.importers.api import import_transcripts, run_import
from qa_studio.storage.repository import workspace_settings
from qa_studio.storage.repository.interactions import (
    get_transcript,
    interaction_id,
    upsert_interactions,
)

CARD = "4111 1111 1111 1111"  # Luhn-valid
NOT_A_CARD = "4111 1111 1111 1112"  # same shape, fails Luhn: an order number stays readable
PHONE = "07700 900123"
EMAIL = "jo.bloggs@example.co.uk"
SAID = f"My card is {CARD}, order {NOT_A_CARD}, call me on {PHONE} or mail {EMAIL}."


def _texts(ws, ext: str) -> str:
    return " ".join(t.text for t in get_transcript(ws, interaction_id(ws, ext)).turns)


def _json_import(ws, write) -> str:
    records = [
        {
            "external_id": "J1",
            "channel": "chat",
            "started_at": "2026-10-01T09:00:00Z",
            "agent_external_id": "a7",
            "agent_name": "Amy Khan",
            "turns": [
                {"speaker": "Amy", "text": "Hello, Amy speaking.", "start_s": 0},
                {"speaker": "Mr Brown", "text": SAID, "start_s": 4.5},
            ],
        }
    ]
    report = run_import(ws, write("ours.json", json.dumps(records)))
    assert report.ok and report.transcripts == 1
    return _texts(ws, "J1")


def test_enabled_redacts_cards_phones_and_emails_from_json_turns(ws, write):
    workspace_settings.set_redact_on_import(ws, True)
    text = _json_import(ws, write)
    for secret in (CARD, PHONE, EMAIL):
        assert secret not in text
    assert "[card number removed]" in text and "[phone number removed]" in text
    assert "[email removed]" in text
    assert NOT_A_CARD in text  # Luhn decides, not the shape
    assert "Hello, Amy speaking." in text


def test_disabled_stores_the_transcript_as_given(ws, write):
    assert workspace_settings.redact_on_import(ws) is False
    text = _json_import(ws, write)
    assert CARD in text and PHONE in text and EMAIL in text


@pytest.mark.parametrize("enabled", [True, False])
def test_transcript_files_follow_the_setting(ws, tmp_path, enabled):
    workspace_settings.set_redact_on_import(ws, enabled)
    with ws.db.atomic():
        upsert_interactions(
            ws,
            [
                Interaction(
                    external_id="T-1",
                    channel="voice",
                    started_at="2026-10-01T09:00:00Z",
                    agent_external_id="amy",
                    agent_name="Amy Khan",
                )
            ],
        )
    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / "T-1.txt").write_text(f"Agent: Hello\nCustomer: {SAID}\n", encoding="utf-8")
    report = import_transcripts(ws, folder)
    assert len(report.matched) == 1
    text = _texts(ws, "T-1")
    assert (CARD in text) is not enabled
    assert (EMAIL in text) is not enabled
    assert (PHONE in text) is not enabled


def test_zendesk_comments_are_redacted_when_enabled(ws, data_dir, tmp_path):
    workspace_settings.set_redact_on_import(ws, True)
    page = json.loads((data_dir / "zendesk_tickets.json").read_text(encoding="utf-8"))
    text = json.dumps(page)
    assert "comments" in text
    # put a card number into every public comment body
    for ticket in page.get("tickets", []):
        for comment in ticket.get("comments", []) or []:
            for key in ("body", "plain_body", "html_body"):
                if key in comment:
                    comment[key] = f"{comment[key]} card {CARD}"
    path = tmp_path / "zendesk_tickets.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    report = run_import(ws, path)
    assert report.ok and report.transcripts == 1
    stored = _texts(ws, "41201")
    assert CARD not in stored and "[card number removed]" in stored
