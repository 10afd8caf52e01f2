"""Idempotent upsert of interactions and transcripts."""

from __future__ import annotations

from dataclasses import replace

from qa_studio.domain.models import Interaction, Transcript, Turn
from qa_studio.storage.repository.interactions import (
    get_transcript,
    interaction_id,
    set_transcript,
    upsert_interactions,
)


def _items():
    return [
        Interaction(
            external_id=f"C{i}",
            channel="voice",
            started_at="2026-10-01T09:00:00Z",
            agent_external_id="a1" if i % 2 else None,
            agent_name="Amy Khan",
            team="Billing",
            duration_s=300.0,
            csat=4,
            complaint="none",
        )
        for i in range(3)
    ]


def test_upsert_inserts_then_is_idempotent_then_updates(ws):
    with ws.db.atomic():
        r1 = upsert_interactions(ws, _items())
    assert r1.as_dict() == {"inserted": 3, "updated": 0, "unchanged": 0}
    with ws.db.atomic():
        r2 = upsert_interactions(ws, _items())
    assert r2.as_dict() == {"inserted": 0, "updated": 0, "unchanged": 3}
    changed = [replace(_items()[0], csat=1)]
    uuid_before = ws.db.execute("SELECT uuid FROM interactions WHERE external_id='C0'").fetchone()
    with ws.db.atomic():
        r3 = upsert_interactions(ws, changed)
    assert r3.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 0}
    row = ws.db.execute(
        "SELECT csat, uuid, agent_id FROM interactions WHERE external_id='C0'"
    ).fetchone()
    assert row[0] == 1 and row[1] == uuid_before[0] and row[2] is None
    assert ws.db.execute("SELECT count(*) FROM agents").fetchone()[0] == 1
    assert ws.db.execute("SELECT name FROM teams").fetchone()[0] == "Billing"


def test_transcript_round_trip(ws):
    with ws.db.atomic():
        upsert_interactions(ws, _items())
    iid = interaction_id(ws, "C1")
    t = Transcript("json", (Turn("Amy", "agent", "Hello, you're through to Amy.", 0.0, 2.5),))
    assert set_transcript(ws, iid, t) == "inserted"
    assert set_transcript(ws, iid, t) == "unchanged"
    assert get_transcript(ws, iid) == t
