"""Importing a checked bundle: one transaction, all or nothing, then the recordings.

Order of work, inside one transaction: remember the bundle (``bundle_imports``), merge the
reference tables in dependency order (``merge_rows``), the evaluations (``merge_evaluations``), the
audit rows (``merge_audit``), start the evaluator's drafts for an assignment, append this
workspace's own ``bundle.import`` audit row, and verify every audit chain. Any refusal — or a dry
run, or Cancel — rolls all of it back. Recordings are staged before the commit and put in place
after it (``media``). A bundle already imported (same manifest digest) is only compared, never
written again: importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace

from qa_studio.bundles import assigned, conflicts, media
from qa_studio.bundles.conflicts import ConflictSummary
from qa_studio.bundles.format import IsCancelled, OpenedBundle, Progress, check_cancel
from qa_studio.bundles.manifest import Manifest
from qa_studio.bundles.merge_audit import merge_audit
from qa_studio.bundles.merge_evaluations import merge_evaluations
from qa_studio.bundles.merge_rows import MergeContext, apply_deferred, merge_table
from qa_studio.bundles.records import TRAVELLING, IdMap, ordered, shapes
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit

EVALUATION_TABLES = ("evaluations", "answers", "answer_notes")


class _RollBack(Exception):
    """Leave the transaction without committing (dry run, or a bundle already imported)."""


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    manifest: Manifest
    manifest_sha256: str
    encrypted: bool
    dry_run: bool
    already_imported: bool
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    conflicts: list[ConflictSummary] = field(default_factory=list)
    media_files: int = 0
    media_bytes: int = 0
    drafts_started: int = 0
    needs_scorecard: list[str] = field(default_factory=list)
    renumbered: list[str] = field(default_factory=list)
    audit_chains: int = 0
    audit_message: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.conflicts) and not self.dry_run

    def as_dict(self) -> dict:
        return {
            "kind": self.manifest.kind,
            "bundle": self.manifest.as_dict(),
            "manifest_sha256": self.manifest_sha256,
            "encrypted": self.encrypted,
            "dry_run": self.dry_run,
            "already_imported": self.already_imported,
            "inserted": dict(self.inserted),
            "updated": dict(self.updated),
            "skipped": dict(self.skipped),
            "conflicts": [c.as_dict() for c in self.conflicts],
            "media": {"files": self.media_files, "bytes": self.media_bytes},
            "drafts_started": self.drafts_started,
            "needs_scorecard": list(self.needs_scorecard),
            "renumbered": list(self.renumbered),
            "audit": {"chains": self.audit_chains, "message": self.audit_message},
        }

    def summary(self) -> str:
        def fmt(counts: dict[str, int]) -> str:
            return ", ".join(f"{n:,} {t}" for t, n in counts.items()) or "nothing"

        m = self.manifest
        head = (
            "already imported — nothing changed"
            if self.already_imported
            else ("dry run — nothing was written" if self.dry_run else "imported")
        )
        lines = [
            f"{m.kind} bundle from {m.origin_name} ({m.actor}, {m.created_at}): {head}",
            f"  inserted: {fmt(self.inserted)}",
            f"  updated: {fmt(self.updated)}",
            f"  unchanged: {fmt(self.skipped)}",
            f"  recordings: {self.media_files} ({self.media_bytes:,} bytes)",
        ]
        if self.drafts_started:
            lines.append(f"  drafts started: {self.drafts_started}")
        if self.needs_scorecard:
            lines.append(f"  choose a scorecard for: {', '.join(self.needs_scorecard)}")
        for note in self.renumbered:
            lines.append(f"  scorecard version renumbered: {note}")
        for c in self.conflicts:
            lines.append(
                f"  CONFLICT {c.id if c.id is not None else '-'} ({c.kind.replace('_', ' ')}): "
                f"{c.interaction} by {c.mine.evaluator} — here {c.mine.status} "
                f"{c.mine.percent}, theirs {c.theirs.status} {c.theirs.percent}"
            )
        lines.append(f"  audit: {self.audit_message}")
        return "\n".join(lines)


def _check_tables(ws: Workspace, bundle: OpenedBundle, known: dict) -> list[str]:
    tables = bundle.tables()
    for table in tables:
        if table != "audit_log" and (table not in TRAVELLING or table not in known):
            raise DataRefused(f"{bundle.source}: records/{table}.json is not a table that travels.")
    if bundle.manifest.origin_uuid == ws.uuid:
        raise DataRefused(
            f"{bundle.source} was exported from this workspace; import it into the other one.",
        )
    return tables


def _remember(ws: Workspace, bundle: OpenedBundle) -> tuple[int, bool]:
    m = bundle.manifest
    row = ws.db.execute(
        "SELECT id FROM bundle_imports WHERE manifest_sha256 = ?", [bundle.manifest_sha256]
    ).fetchone()
    if row is not None:
        return int(row[0]), True
    cur = ws.db.execute(
        "INSERT INTO bundle_imports (uuid, bundle_uuid, manifest_sha256, kind, origin_uuid, "
        "origin_name, origin_head_seq, origin_head_hash, created_by, created_at, imported_at, "
        "imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            new_uuid(),
            m.bundle_uuid,
            bundle.manifest_sha256,
            m.kind,
            m.origin_uuid,
            m.origin_name,
            m.audit_head.get("seq"),
            m.audit_head.get("hash"),
            f"{m.actor} ({m.os_user})",
            m.created_at,
            utcnow_iso(),
            ws.actor,
        ],
    )
    return int(cur.lastrowid), False


def import_opened(
    ws: Workspace,
    bundle: OpenedBundle,
    *,
    dry_run: bool = False,
    start_drafts: bool = True,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ImportResult:
    """Merge a checked bundle into ``ws`` (see the module docstring); ``DataRefused`` on refusal."""
    known = shapes(ws.db)
    tables = _check_tables(ws, bundle, known)
    total = sum(len(bundle.records(t)) for t in tables) or 1
    done = [0]

    def tick() -> None:
        check_cancel(is_cancelled)
        done[0] += 1
        if progress is not None:
            progress(min(done[0], total), total)

    result = ImportResult(bundle.manifest, bundle.manifest_sha256, bundle.encrypted, dry_run, False)
    staged: media.Staged | None = None
    try:
        with ws.db.atomic():
            import_id, already = _remember(ws, bundle)
            result.already_imported = already
            result.dry_run = dry_run or already
            ctx = MergeContext(
                ws,
                bundle,
                known,
                IdMap(ws.db),
                bundle.manifest.kind == "assignment",
                import_id,
                tick,
            )
            for table in ordered(known):
                if table in tables and table not in EVALUATION_TABLES:
                    merge_table(ctx, table)
            conflict_ids = merge_evaluations(ctx) if "evaluations" in tables else []
            apply_deferred(ctx)
            chains = merge_audit(ctx)
            if ctx.authoritative and start_drafts:
                items = [
                    ctx.ids.local_id("sample_items", r["uuid"])
                    for r in bundle.records("sample_items")
                ]
                result.drafts_started, result.needs_scorecard = assigned.start_drafts(
                    ws, [i for i in items if i is not None]
                )
            result.conflicts = [conflicts.get_conflict(ws, c) for c in conflict_ids]
            _finish(ws, bundle, ctx, result, import_id, chains.chains)
            if result.dry_run:
                result.conflicts = [dc_replace(c, id=None, uuid=None) for c in result.conflicts]
                raise _RollBack
            staged = media.stage(ws, bundle, ctx.media, is_cancelled)
            result.media_bytes = staged.bytes
    except _RollBack:
        return result
    except sqlite3.DatabaseError as exc:
        if staged is not None:
            staged.discard()
        raise DataRefused(
            f"{bundle.source}: could not be merged ({exc}); nothing was written."
        ) from exc
    except BaseException:
        if staged is not None:
            staged.discard()
        raise
    try:
        result.media_files = staged.place()
    finally:
        staged.discard(keep_media_dir=True)
    return result


def _finish(
    ws: Workspace,
    bundle: OpenedBundle,
    ctx: MergeContext,
    result: ImportResult,
    import_id: int,
    chains: int,
) -> None:
    """Counts into the result, the import's own audit row, then every chain verified."""
    result.inserted = {t: n for t, n in ctx.inserted.items() if n}
    result.updated = {t: n for t, n in ctx.updated.items() if n}
    result.skipped = {t: n for t, n in ctx.skipped.items() if n}
    result.renumbered = list(ctx.renumbered)
    result.media_files = len({c.target for c in ctx.media})
    if result.dry_run:
        result.media_bytes = sum(bundle.manifest.members[c.member].size for c in ctx.media)
    m = bundle.manifest
    summary = {
        "inserted": result.inserted,
        "updated": result.updated,
        "conflicts": [c.uuid for c in result.conflicts],
        "media_files": result.media_files,
        "drafts_started": result.drafts_started,
    }
    ws.db.execute(
        "UPDATE bundle_imports SET summary = ? WHERE id = ?",
        [json.dumps(summary, sort_keys=True), import_id],
    )
    audit.append(
        ws,
        "bundle.import",
        "bundle",
        m.bundle_uuid,
        {
            "kind": m.kind,
            "manifest_sha256": bundle.manifest_sha256,
            "file": bundle.source,
            "origin": {"workspace_uuid": m.origin_uuid, "workspace_name": m.origin_name},
            "origin_head": m.audit_head,
            **summary,
        },
    )
    verified = audit.verify(ws.db)
    if not verified.ok:
        raise DataRefused(
            f"{bundle.source}: after merging, the audit trail does not verify "
            f"({verified.message}); the bundle was refused and nothing was written."
        )
    result.audit_chains = chains
    result.audit_message = verified.message
