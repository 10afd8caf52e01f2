"""The tamper-evident audit trail (ARCHITECTURE.md § Audit trail).

Every workspace writes its own hash chain; rows that arrive from another workspace's bundle keep
their origin and are stored verbatim, so each chain verifies on its own. The hash covers the
payload's digest, not the payload, so a retention purge can blank personal data in a payload
without breaking the chain.

Callers append inside the same transaction as the change they record (``with db.atomic():``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlite_utils import Database

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow
from qa_studio.storage.db import Workspace

GENESIS = "0" * 64


def canonical(obj: object) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_hash(prev_hash: str, row: dict) -> str:
    core = {
        k: row[k]
        for k in (
            "origin_uuid",
            "seq",
            "at",
            "actor",
            "action",
            "entity",
            "entity_uuid",
            "payload_sha256",
        )
    }
    return sha256_text(prev_hash + canonical(core))


@dataclass(frozen=True)
class Head:
    origin_uuid: str
    seq: int
    hash: str


def head(db: Database, origin_uuid: str) -> Head:
    row = db.execute(
        "SELECT seq, hash FROM audit_log WHERE origin_uuid = ? ORDER BY seq DESC LIMIT 1",
        [origin_uuid],
    ).fetchone()
    if row is None:
        return Head(origin_uuid, 0, GENESIS)
    return Head(origin_uuid, row[0], row[1])


def append(
    ws: Workspace,
    action: str,
    entity: str,
    entity_uuid: str | None,
    payload: object = None,
    *,
    actor: str | None = None,
) -> Head:
    """Append one row to this workspace's chain; call inside the change's transaction."""
    db = ws.db
    last = head(db, ws.uuid)
    payload_text = canonical(payload if payload is not None else {})
    row = {
        "uuid": new_uuid(),
        "origin_uuid": ws.uuid,
        "seq": last.seq + 1,
        "at": utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": actor or ws.actor,
        "os_user": ws.os_user,
        "action": action,
        "entity": entity,
        "entity_uuid": entity_uuid,
        "payload": payload_text,
        "payload_sha256": sha256_text(payload_text),
        "prev_hash": last.hash,
    }
    row["hash"] = row_hash(last.hash, row)
    db.execute(
        "INSERT INTO audit_log (uuid, origin_uuid, seq, at, actor, os_user, action, entity, "
        "entity_uuid, payload, payload_sha256, prev_hash, hash) VALUES "
        "(:uuid, :origin_uuid, :seq, :at, :actor, :os_user, :action, :entity, :entity_uuid, "
        ":payload, :payload_sha256, :prev_hash, :hash)",
        row,
    )
    return Head(ws.uuid, row["seq"], row["hash"])


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    chains: int
    first_bad: dict | None
    message: str


def verify(db: Database, expect_head: str | None = None) -> VerifyResult:
    """Recompute every chain; report the first row that was edited, deleted or truncated.

    A payload blanked by an audited purge (``payload IS NULL``) is accepted: only its digest is
    chained.
    """
    cur = db.execute(
        "SELECT id, origin_uuid, seq, at, actor, action, entity, entity_uuid, payload, "
        "payload_sha256, prev_hash, hash FROM audit_log ORDER BY origin_uuid, seq"
    )
    cols = [c[0] for c in cur.description]
    prev: dict[str, tuple[int, str]] = {}
    count = 0
    for values in cur:
        row = dict(zip(cols, values, strict=True))
        count += 1
        origin = row["origin_uuid"]
        last_seq, last_hash = prev.get(origin, (0, GENESIS))
        problem = None
        if row["seq"] != last_seq + 1:
            problem = f"row(s) missing before seq {row['seq']} (expected seq {last_seq + 1})"
        elif row["prev_hash"] != last_hash:
            problem = "prev_hash does not match the previous row"
        elif row["payload"] is not None and sha256_text(row["payload"]) != row["payload_sha256"]:
            problem = "payload was edited"
        elif row_hash(last_hash, row) != row["hash"]:
            problem = "row was edited"
        if problem:
            bad = {"id": row["id"], "origin_uuid": origin, "seq": row["seq"], "problem": problem}
            return VerifyResult(
                False,
                count,
                len(prev),
                bad,
                f"audit row seq {row['seq']} of chain {origin}: {problem}",
            )
        prev[origin] = (row["seq"], row["hash"])
    heads = {h for _, h in prev.values()}
    if expect_head and expect_head not in heads:
        known = db.execute(
            "SELECT origin_uuid, seq FROM audit_log WHERE hash = ?", [expect_head]
        ).fetchone()
        if known:
            return VerifyResult(
                True,
                count,
                len(prev),
                None,
                f"{count} audit rows verified; the expected head is seq "
                f"{known[1]} of chain {known[0]} and later rows follow it",
            )
        return VerifyResult(
            False,
            count,
            len(prev),
            {"problem": "expected head missing"},
            "the expected head is not in the audit log: rows were deleted or the log was truncated",
        )
    return VerifyResult(
        True, count, len(prev), None, f"{count} audit rows in {len(prev)} chain(s) verified"
    )
