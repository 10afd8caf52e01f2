"""Interactions and transcripts: idempotent upsert by external id, and reads for the screens.

``upsert_interactions`` is the write path of every importer and of the demo builder: a row whose
stored values are identical is left alone (so importing the same file twice changes nothing), a
changed row is updated in place (keeping its id and uuid, so evaluations stay attached), and a new
row is inserted. Callers wrap it in ``db.atomic()`` together with the audit row: one transaction
per import.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import Interaction, Transcript, Turn
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.people import AgentResolver

#: Stored columns compared to decide unchanged vs updated, in table order.
FIELDS: tuple[str, ...] = (
    "channel",
    "agent_id",
    "queue",
    "direction",
    "started_at",
    "ended_at",
    "queue_wait_s",
    "duration_s",
    "hold_s",
    "wrap_s",
    "customer_ref",
    "outcome",
    "csat",
    "fcr",
    "complaint",
    "vulnerable",
    "tags",
    "recording_path",
    "screen_recording_path",
    "source",
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
        it.channel,
        agent_id,
        it.queue,
        it.direction,
        it.started_at,
        it.ended_at,
        it.queue_wait_s,
        it.duration_s,
        it.hold_s,
        it.wrap_s,
        it.customer_ref,
        it.outcome,
        it.csat,
        None if it.fcr is None else int(bool(it.fcr)),
        it.complaint,
        int(bool(it.vulnerable)),
        json.dumps(list(it.tags), ensure_ascii=False),
        it.recording_path,
        it.screen_recording_path,
        it.source,
    )


def fast_uuids(count: int) -> list[str]:
    """``count`` random version-4 UUIDs as text, several times faster than ``uuid.uuid4()``.

    A million-row import spends noticeable time making ids one by one; this draws the random
    bytes in one call and only formats them.
    """
    raw = os.urandom(16 * count).hex()
    out = []
    for i in range(0, 32 * count, 32):
        h = raw[i : i + 32]
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}")
    return out


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


@dataclass(frozen=True)
class Conflict:
    """A second row for an external id already written in this run, with different values."""

    first_ref: int
    fields: tuple[str, ...]


class InteractionWriter:
    """Streams rows into ``interactions``: insert new, update changed, skip identical.

    Each row arrives as one *full* tuple, ``(uuid, external_id, *FIELDS values, imported_at)``
    with the agent already resolved, which is exactly the INSERT's parameter list: a fresh import
    builds one tuple per row and nothing else, and rows go to ``executemany`` in chunks. An id
    seen twice in one run is compared with its first row: identical counts as unchanged,
    different is returned as a ``Conflict`` and not written. Existing rows are only looked up
    when the table was not empty at the start. Use inside a transaction.
    """

    def __init__(
        self,
        ws: Workspace,
        *,
        rng: random.Random | None = None,
        imported_at: str | None = None,
        chunk_size: int = 5000,
    ) -> None:
        self.ws = ws
        self.stamp = imported_at or utcnow_iso()
        self.chunk_size = chunk_size
        self.result = UpsertResult()
        #: A new uuid per call: seeded when ``rng`` is given (the demo), else random and fast.
        self.next_uuid: Callable[[], str] = (
            (lambda: new_uuid(rng)) if rng is not None else _uuid_stream().__next__
        )
        self._seen: dict[str, int] = {}
        self._pending: list[tuple] = []
        self._lookup = ws.db.execute("SELECT 1 FROM interactions LIMIT 1").fetchone() is not None
        cols = ", ".join(FIELDS)
        self._select = f"SELECT external_id, id, {cols} FROM interactions WHERE external_id IN "
        self._insert = (
            f"INSERT INTO interactions (uuid, external_id, {cols}, imported_at) "
            f"VALUES ({', '.join('?' * (len(FIELDS) + 3))})"
        )
        self._update = (
            f"UPDATE interactions SET {', '.join(f + ' = ?' for f in FIELDS)}, "
            "imported_at = ? WHERE id = ?"
        )

    def add(self, full: tuple, ref: int = 0) -> Conflict | None:
        """Queue ``(uuid, external_id, *FIELDS, imported_at)``; ``ref`` names it in a conflict."""
        external_id = full[1]
        first = self._seen.get(external_id)
        if first is not None:
            earlier, row = self._earlier(external_id), full[2:-1]
            if earlier == row:
                self.result.unchanged += 1
                return None
            changed = tuple(f for f, a, b in zip(FIELDS, earlier, row, strict=True) if a != b)
            return Conflict(first, changed)
        self._seen[external_id] = ref
        self._pending.append(full)
        if len(self._pending) >= self.chunk_size:
            self.flush()
        return None

    def _earlier(self, external_id: str) -> tuple:
        for full in reversed(self._pending):
            if full[1] == external_id:
                return full[2:-1]
        found = self.ws.db.execute(self._select + "(?)", [external_id]).fetchone()
        return tuple(found[2:])

    def flush(self) -> None:
        """Write the queued rows: one lookup per 900 ids (when needed), then executemany."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        inserts = pending
        if self._lookup:
            existing: dict[str, tuple] = {}
            for start in range(0, len(pending), 900):
                ids = [full[1] for full in pending[start : start + 900]]
                sql = self._select + f"({', '.join('?' * len(ids))})"
                existing.update((r[0], r[1:]) for r in self.ws.db.execute(sql, ids))
            inserts, updates = [], []
            for full in pending:
                found = existing.get(full[1])
                if found is None:
                    inserts.append(full)
                elif found[1:] == full[2:-1]:
                    self.result.unchanged += 1
                else:
                    updates.append((*full[2:], found[0]))
            if updates:
                self.ws.db.conn.executemany(self._update, updates)
                self.result.updated += len(updates)
        if inserts:
            self.ws.db.conn.executemany(self._insert, inserts)
            self.result.inserted += len(inserts)

    def close(self) -> UpsertResult:
        self.flush()
        return self.result


def _uuid_stream(block: int = 4096) -> Iterator[str]:
    while True:
        yield from fast_uuids(block)


def upsert_interactions(
    ws: Workspace,
    items: Iterable[Interaction],
    *,
    rng: random.Random | None = None,
    resolver: AgentResolver | None = None,
    imported_at: str | None = None,
) -> UpsertResult:
    """Insert new, update changed and skip identical interactions (call inside a transaction)."""
    resolver = resolver or AgentResolver(ws, rng)
    writer = InteractionWriter(ws, rng=rng, imported_at=imported_at, chunk_size=CHUNK)
    for it in items:
        agent_id = resolver.agent_id(it.agent_external_id, it.agent_name, it.team)
        writer.add((writer.next_uuid(), it.external_id, *_row(it, agent_id), writer.stamp))
    return writer.close()


def interaction_id(ws: Workspace, external_id: str) -> int | None:
    row = ws.db.execute(
        "SELECT id FROM interactions WHERE external_id = ?", [external_id]
    ).fetchone()
    return int(row[0]) if row else None


def existing_external_ids(ws: Workspace, candidates: Iterable[str]) -> dict[str, int]:
    """Which of ``candidates`` are stored external ids, with their row ids (indexed lookups)."""
    wanted = list(dict.fromkeys(c for c in candidates if c))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 900):
        part = wanted[start : start + 900]
        found.update(
            ws.db.execute(
                "SELECT external_id, id FROM interactions WHERE external_id IN "
                f"({', '.join('?' * len(part))})",
                part,
            ).fetchall()
        )
    return found


@dataclass(frozen=True)
class MediaLinks:
    """What transcript import needs to know about an interaction."""

    interaction_id: int
    external_id: str
    agent_name: str | None
    recording_path: str | None
    screen_recording_path: str | None


def media_links(ws: Workspace, interaction_id: int) -> MediaLinks:
    row = ws.db.execute(
        "SELECT i.id, i.external_id, a.name, i.recording_path, i.screen_recording_path "
        "FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id WHERE i.id = ?",
        [interaction_id],
    ).fetchone()
    return MediaLinks(*row)


def set_media_paths(
    ws: Workspace,
    interaction_id: int,
    *,
    recording_path: str | None = None,
    screen_recording_path: str | None = None,
) -> bool:
    """Link recordings found beside a transcript; only given paths change. True if changed."""
    current = media_links(ws, interaction_id)
    new_audio = recording_path or current.recording_path
    new_screen = screen_recording_path or current.screen_recording_path
    if (new_audio, new_screen) == (current.recording_path, current.screen_recording_path):
        return False
    ws.db.execute(
        "UPDATE interactions SET recording_path = ?, screen_recording_path = ? WHERE id = ?",
        [new_audio, new_screen, interaction_id],
    )
    return True


def turns_to_json(turns: Iterable[Turn]) -> str:
    return json.dumps(
        [
            {
                "speaker": t.speaker,
                "role": t.role,
                "start_s": t.start_s,
                "end_s": t.end_s,
                "text": t.text,
            }
            for t in turns
        ],
        ensure_ascii=False,
    )


def turns_from_json(text: str) -> tuple[Turn, ...]:
    return tuple(
        Turn(
            speaker=d.get("speaker", ""),
            role=d.get("role", "system"),
            text=d.get("text", ""),
            start_s=d.get("start_s"),
            end_s=d.get("end_s"),
        )
        for d in json.loads(text)
    )


def set_transcript(
    ws: Workspace, interaction_id: int, transcript: Transcript, rng: random.Random | None = None
) -> str:
    """Store or replace an interaction's transcript; returns inserted, updated or unchanged."""
    turns = turns_to_json(transcript.turns)
    row = ws.db.execute(
        "SELECT id, format, turns FROM transcripts WHERE interaction_id = ?", [interaction_id]
    ).fetchone()
    if row is None:
        ws.db.execute(
            "INSERT INTO transcripts (uuid, interaction_id, format, turns) VALUES (?, ?, ?, ?)",
            [new_uuid(rng), interaction_id, transcript.format, turns],
        )
        return "inserted"
    if row[1] == transcript.format and row[2] == turns:
        return "unchanged"
    ws.db.execute(
        "UPDATE transcripts SET format = ?, turns = ? WHERE id = ?",
        [transcript.format, turns, row[0]],
    )
    return "updated"


def get_transcript(ws: Workspace, interaction_id: int) -> Transcript | None:
    row = ws.db.execute(
        "SELECT format, turns FROM transcripts WHERE interaction_id = ?", [interaction_id]
    ).fetchone()
    if row is None:
        return None
    return Transcript(format=row[0], turns=turns_from_json(row[1]))
