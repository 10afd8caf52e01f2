"""Taking in another workspace's audit rows: verbatim, in their own chain, or not at all.

Audit rows are never rewritten on the way (ARCHITECTURE.md § Audit trail): each keeps its
origin, sequence number, hashes and uuid, so every chain still verifies on its own in the lead's
workspace. Before anything is stored each chain in the bundle is recomputed; rows the workspace
already holds must be the very same rows (same uuid and hash — a difference means one side's
history was altered); only rows after the held head are inserted. Rows claiming to belong to
*this* workspace's chain that it never wrote, a chain that does not verify, or a results bundle
whose chain does not end at the head its manifest names, refuse the whole bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.bundles.export import AUDIT_COLUMNS
from qa_studio.bundles.merge_rows import MergeContext
from qa_studio.errors import DataRefused
from qa_studio.storage.repository.audit import GENESIS, row_hash, sha256_text

_TEXT = (
    "uuid",
    "origin_uuid",
    "at",
    "actor",
    "action",
    "entity",
    "payload_sha256",
    "prev_hash",
    "hash",
)


@dataclass
class AuditMerge:
    inserted: int = 0
    skipped: int = 0
    chains: int = 0


def _check_rows(rows: list[dict], where: str) -> dict[str, list[dict]]:
    chains: dict[str, list[dict]] = {}
    for row in rows:
        if set(row) != set(AUDIT_COLUMNS):
            raise DataRefused(f"{where}: an audit row does not have exactly the audit columns.")
        if any(not isinstance(row[k], str) for k in _TEXT) or isinstance(row["seq"], bool):
            raise DataRefused(f"{where}: audit row {row.get('uuid')} has a malformed field.")
        if not isinstance(row["seq"], int) or row["seq"] < 1:
            raise DataRefused(f"{where}: audit row {row['uuid']} has an invalid seq.")
        chains.setdefault(row["origin_uuid"], []).append(row)
    for chain in chains.values():
        chain.sort(key=lambda r: r["seq"])
    return chains


def _verify_chain(
    origin: str, chain: list[dict], prev_seq: int, prev_hash: str, where: str
) -> None:
    """Recompute a chain from the held row before its first one (or the genesis)."""
    for row in chain:
        problem = None
        if row["seq"] != prev_seq + 1:
            problem = f"rows missing before seq {row['seq']} (expected seq {prev_seq + 1})"
        elif row["prev_hash"] != prev_hash:
            problem = "prev_hash does not match the previous row"
        elif row["payload"] is not None and sha256_text(row["payload"]) != row["payload_sha256"]:
            problem = "payload was edited"
        elif row_hash(prev_hash, row) != row["hash"]:
            problem = "row was edited"
        if problem:
            raise DataRefused(
                f"{where}: audit chain {origin} does not verify at seq {row['seq']}: {problem}. "
                "The bundle was refused.",
            )
        prev_seq, prev_hash = row["seq"], row["hash"]


def merge_audit(ctx: MergeContext) -> AuditMerge:
    where = ctx.where("audit_log")
    chains = _check_rows(ctx.bundle.records("audit_log"), where)
    manifest = ctx.bundle.manifest
    result = AuditMerge(chains=len(chains))
    head = manifest.audit_head
    if manifest.kind == "results" and int(head.get("seq") or 0) > 0:
        own = chains.get(manifest.origin_uuid, [])
        last = own[-1] if own else None
        if last is None or (last["seq"], last["hash"]) != (head.get("seq"), head.get("hash")):
            raise DataRefused(
                f"{where}: the sender's audit chain does not end at the head its manifest names "
                f"(seq {head.get('seq')}): rows were removed or added. The bundle was refused."
            )
    for origin, chain in chains.items():
        held = {
            r[0]: (r[1], r[2])
            for r in ctx.ws.db.execute(
                "SELECT seq, uuid, hash FROM audit_log WHERE origin_uuid = ? AND seq >= ?",
                [origin, chain[0]["seq"] - 1],
            )
        }
        first = chain[0]["seq"]
        if first == 1:
            prev_hash = GENESIS
        elif first - 1 in held:
            prev_hash = held[first - 1][1]
        else:
            raise DataRefused(
                f"{where}: audit chain {origin} starts at seq {first}, but this workspace does "
                "not hold the rows before it. The bundle was refused."
            )
        _verify_chain(origin, chain, first - 1, prev_hash, where)
        fresh = []
        for row in chain:
            ctx.tick()
            known = held.get(row["seq"])
            if known is None:
                fresh.append(row)
            elif known != (row["uuid"], row["hash"]):
                raise DataRefused(
                    f"{where}: audit chain {origin} seq {row['seq']} differs from the row this "
                    "workspace holds: one of the two histories was altered. The bundle was refused."
                )
            else:
                result.skipped += 1
        if fresh and origin == ctx.ws.uuid:
            raise DataRefused(
                f"{where}: the bundle holds {len(fresh)} audit row(s) of this workspace's own "
                "chain that this workspace never wrote. The bundle was refused."
            )
        for row in fresh:
            try:
                ctx.ws.db.execute(
                    f"INSERT INTO audit_log ({', '.join(AUDIT_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(AUDIT_COLUMNS))})",
                    [row[c] for c in AUDIT_COLUMNS],
                )
            except Exception as exc:  # a uuid already used by another row
                raise DataRefused(
                    f"{where}: audit row {row['uuid']} cannot be stored ({exc})."
                ) from exc
        result.inserted += len(fresh)
    if result.inserted:
        ctx.inserted["audit_log"] += result.inserted
    if result.skipped:
        ctx.skipped["audit_log"] += result.skipped
    return result
