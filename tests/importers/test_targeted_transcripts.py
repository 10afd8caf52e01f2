"""A transcript imported after its contact can put the contact into targeted review (issue 5 §3a)."""

from __future__ import annotations

from qa_studio.domain.models import Interaction
from qa_studio.importers.api import import_transcripts
from qa_studio.storage.repository import targeted
from qa_studio.storage.repository.interactions import upsert_interactions


def test_card_number_read_out_in_a_later_transcript_is_queued(ws, tmp_path):
    with ws.db.atomic():
        upsert_interactions(
            ws,
            [
                Interaction(
                    external_id="VC-1",
                    channel="voice",
                    started_at="2026-10-01T09:00:00Z",
                    agent_external_id="amy",
                    agent_name="Amy Khan",
                    duration_s=120.0,
                ),
                Interaction(
                    external_id="VC-2",
                    channel="voice",
                    started_at="2026-10-01T10:00:00Z",
                    agent_external_id="amy",
                    agent_name="Amy Khan",
                    duration_s=120.0,
                ),
            ],
        )
        targeted.after_import(ws)  # as the interactions import does: nothing risky yet
    assert targeted.targeted_queue(ws) == []
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "VC-1.txt").write_text(
        "Amy Khan: Can I take the long number on the card?\n"
        "Customer: It's 4111 1111 1111 1111, and the security code is 123.\n",
        encoding="utf-8",
    )
    (folder / "VC-2.txt").write_text(
        "Amy Khan: Thanks for calling, how can I help?\nCustomer: Just checking my bill.\n",
        encoding="utf-8",
    )
    report = import_transcripts(ws, folder)
    assert report.ok, report.summary()
    queued = {q.external_id for q in targeted.targeted_queue(ws)}
    assert queued == {"VC-1"}
    assert any("targeted review" in n for n in report.notes)
