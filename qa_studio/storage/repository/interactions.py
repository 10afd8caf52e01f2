"""Interactions and transcripts: idempotent upsert by external id, and reads for the screens.

``upsert_interactions`` is the write path of every importer and of the demo builder: a row whose
stored values are identical is left alone (so importing the same file twice changes nothing), a
changed row is updated in place (keeping its id and uuid, so evaluations stay attached), and a new
row is inserted. Callers wrap it in ``db.atomic()`` together with the audit row: one transaction
per import.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import Interaction, Transcript, Turn
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.people import AgentResolver

#: Stored columns compared to decide unchanged vs updated, in table order.
FIELDS: tuple[str, ...] = (
    "channel", "agent_id", "queue", "direction", "started_at", "ended_at", "queue_wait_s",
    "duration_s", "hold_s", "wrap_s", "customer_ref", "outcome", "csat", "fcr", "complaint",
    "vulnerable", "tags", "recording_path", "screen_recording_path", "source",
)
CHUNK = 500


@dataclass
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged}


def _row(it: Interaction, agent_id: int | None) -> tuple:
    return (
        it.channel, agent_id, it.queue, it.direction, it.started_at, it.ended_at,
        it.queue_wait_s, it.duration_s, it.hold_s, it.wrap_s, it.customer_ref, it.outcome,
        it.csat, None if it.fcr is None else int(bool(it.fcr)), it.complaint,
        int(bool(it.vulnerable)), json.dumps(list(it.tags), ensure_ascii=False),
        it.recording_path, it.screen_recording_path, it.source,
    )


def _chunks(items: Iterable[Interaction], size: int) -> Iterator[list[Interaction]]:
    batch: list[Interaction] = []
    for it in items:
        batch.append(it)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def upsert_interactions(
    ws: Workspace,
    items: Iterable[Interaction],
    *,
    rng: random.Random | None = None,
    resolver: AgentResolver | None = None,
    imported_at: str | None = None,
) -> UpsertResult:
    """Insert new, update changed and skip identical interactions (call inside a transaction)."""
    db = ws.db
    resolver = resolver or AgentResolver(ws, rng)
    stamp = imported_at or utcnow_iso()
    result = UpsertResult()
    cols = ", ".join(FIELDS)
    insert_sql = (f"INSERT INTO interactions (uuid, external_id, {cols}, imported_at) VALUES "
                  f"(?, ?, {', '.join('?' * len(FIELDS))}, ?)")
    update_sql = (f"UPDATE interactions SET {', '.join(f + ' = ?' for f in FIELDS)}, "
                  "imported_at = ? WHERE id = ?")
    for batch in _chunks(items, CHUNK):
        ids = [it.external_id for it in batch]
        marks = ", ".join("?" * len(ids))
        existing = {
            r[0]: (r[1], tuple(r[2:]))
            for r in db.execute(
                f"SELECT external_id, id, {cols} FROM interactions WHERE external_id IN ({marks})",
                ids,
            )
        }
        inserts, updates = [], []
        for it in batch:
            agent_id = resolver.agent_id(it.agent_external_id, it.agent_name, it.team)
            row = _row(it, agent_id)
            found = existing.get(it.external_id)
            if found is None:
                inserts.append((new_uuid(rng), it.external_id, *row, stamp))
                existing[it.external_id] = (None, row)
            elif found[1] == row:
                result.unchanged += 1
            else:
                updates.append((*row, stamp, found[0]))
        if inserts:
            db.conn.executemany(insert_sql, inserts)
            result.inserted += len(inserts)
        if updates:
            db.conn.executemany(update_sql, updates)
            result.updated += len(updates)
    return result


def interaction_id(ws: Workspace, external_id: str) -> int | None:
    row = ws.db.execute("SELECT id FROM interactions WHERE external_id = ?",
                        [external_id]).fetchone()
    return int(row[0]) if row else None


def turns_to_json(turns: Iterable[Turn]) -> str:
    return json.dumps(
        [{"speaker": t.speaker, "role": t.role, "start_s": t.start_s, "end_s": t.end_s,
          "text": t.text} for t in turns],
        ensure_ascii=False,
    )


def turns_from_json(text: str) -> tuple[Turn, ...]:
    return tuple(
        Turn(speaker=d.get("speaker", ""), role=d.get("role", "system"), text=d.get("text", ""),
             start_s=d.get("start_s"), end_s=d.get("end_s"))
        for d in json.loads(text)
    )


def set_transcript(ws: Workspace, interaction_id: int, transcript: Transcript,
                   rng: random.Random | None = None) -> str:
    """Store or replace an interaction's transcript; returns inserted, updated or unchanged."""
    turns = turns_to_json(transcript.turns)
    row = ws.db.execute("SELECT id, format, turns FROM transcripts WHERE interaction_id = ?",
                        [interaction_id]).fetchone()
    if row is None:
        ws.db.execute(
            "INSERT INTO transcripts (uuid, interaction_id, format, turns) VALUES (?, ?, ?, ?)",
            [new_uuid(rng), interaction_id, transcript.format, turns])
        return "inserted"
    if row[1] == transcript.format and row[2] == turns:
        return "unchanged"
    ws.db.execute("UPDATE transcripts SET format = ?, turns = ? WHERE id = ?",
                  [transcript.format, turns, row[0]])
    return "updated"


def get_transcript(ws: Workspace, interaction_id: int) -> Transcript | None:
    row = ws.db.execute("SELECT format, turns FROM transcripts WHERE interaction_id = ?",
                        [interaction_id]).fetchone()
    if row is None:
        return None
    return Transcript(format=row[0], turns=turns_from_json(row[1]))
