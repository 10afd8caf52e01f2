"""Making bundles: an evaluator's assignment from the lead's workspace, results from theirs.

An assignment carries the evaluator's open sample items with everything needed to score them
offline: the interactions (agent, team and queue included), their transcripts and recordings, the
samples, the evaluator, and every published version of the scorecards for those channels. A
results bundle carries evaluations with their answers and notes, what they refer to (so a lead
who never saw an ad hoc contact can still take it in), and every audit row the workspace holds.

What goes in is an ``AssignmentScope`` — row ids per table — so other features send their own
work the same way: calibration adds its session, items and evaluators to ``extra``. Records are
read in one read transaction (a consistent snapshot); the export itself is audited
(``bundle.export``) once the file is safely in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa_studio.bundles.format import (
    FORMAT_VERSION,
    IsCancelled,
    Progress,
    app_version,
    safe_media_name,
)
from qa_studio.bundles.manifest import build_manifest
from qa_studio.bundles.records import Selection, export_rows, ordered, shapes
from qa_studio.bundles.scope import AssignmentScope
from qa_studio.bundles.writer import BundleWriter
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository.evaluation_records import evaluator as find_evaluator

AUDIT_COLUMNS = (
    "uuid",
    "origin_uuid",
    "seq",
    "at",
    "actor",
    "os_user",
    "action",
    "entity",
    "entity_uuid",
    "payload",
    "payload_sha256",
    "prev_hash",
    "hash",
)
_MEDIA_FIELDS = (("recording_path", "recording"), ("screen_recording_path", "screen"))


@dataclass
class ExportResult:
    path: Path
    kind: str
    bundle_uuid: str
    manifest_sha256: str
    encrypted: bool
    size_bytes: int
    counts: dict[str, int]
    media_files: int
    media_bytes: int
    missing_media: list[str]
    audit_head: dict

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "kind": self.kind,
            "bundle_uuid": self.bundle_uuid,
            "manifest_sha256": self.manifest_sha256,
            "encrypted": self.encrypted,
            "size_bytes": self.size_bytes,
            "counts": dict(self.counts),
            "media_files": self.media_files,
            "media_bytes": self.media_bytes,
            "missing_media": list(self.missing_media),
            "audit_head": dict(self.audit_head),
        }

    def summary(self) -> str:
        parts = ", ".join(f"{n:,} {t}" for t, n in self.counts.items())
        text = (
            f"{self.kind} bundle written to {self.path} ({self.size_bytes:,} bytes"
            f"{', encrypted' if self.encrypted else ''}): {parts}; "
            f"{self.media_files} recording(s)"
        )
        if self.missing_media:
            text += f"\nwarning: {len(self.missing_media)} recording(s) not found and left out:"
            text += "".join(f"\n  {m}" for m in self.missing_media)
        return text


def _media(ws: Workspace, records: list[dict]) -> tuple[dict[str, Path], list[str]]:
    """Add ``*_member`` fields to interaction records; return member → file and the missing."""
    files: dict[str, Path] = {}
    missing: list[str] = []
    by_uuid = {r["uuid"]: r for r in records}
    uuids = list(by_uuid)
    for start in range(0, len(uuids), 900):
        part = uuids[start : start + 900]
        rows = ws.db.execute(
            "SELECT uuid, external_id, recording_path, screen_recording_path FROM interactions "
            f"WHERE uuid IN ({', '.join('?' * len(part))})",
            part,
        ).fetchall()
        for uuid, external_id, *paths in rows:
            for (column, kind), stored in zip(_MEDIA_FIELDS, paths, strict=True):
                member_field = column.replace("_path", "_member")
                by_uuid[uuid][member_field] = None
                source = ws.resolve_media(stored)
                if source is None:
                    continue
                if not source.is_file():
                    missing.append(f"{external_id}: {stored}")
                    continue
                member = f"media/{uuid}/{kind}/{safe_media_name(source.name)}"
                by_uuid[uuid][member_field] = member
                files[member] = source
    return files, missing


def _head(ws: Workspace) -> dict:
    head = audit.head(ws.db, ws.uuid)
    return {"origin_uuid": head.origin_uuid, "seq": head.seq, "hash": head.hash}


def _write(
    ws: Workspace,
    out: Path,
    kind: str,
    tables: dict[str, list[dict]],
    files: dict[str, Path],
    scope: dict,
    head: dict,
    *,
    passphrase: str | None,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> tuple[str, str, int]:
    bundle_uuid = new_uuid()
    media_bytes = sum(p.stat().st_size for p in files.values())
    counts = {t: len(rows) for t, rows in tables.items() if rows}
    with BundleWriter(
        out,
        passphrase=passphrase,
        progress=progress,
        is_cancelled=is_cancelled,
        total_bytes=media_bytes + 1,
    ) as writer:
        for table, rows in tables.items():
            if rows:
                writer.add_json(f"records/{table}.json", rows)
        for member, source in sorted(files.items()):
            writer.add_file(member, source)
        manifest = build_manifest(
            kind=kind,
            format_version=FORMAT_VERSION,
            bundle_uuid=bundle_uuid,
            app_version=app_version(),
            created_at=utcnow_iso(),
            actor=ws.actor,
            os_user=ws.os_user,
            origin_uuid=ws.uuid,
            origin_name=_workspace_name(ws),
            audit_head=head,
            scope=scope,
            counts={**counts, "media": len(files)},
            members=writer.members,
        )
        digest = writer.finish(manifest)
    return bundle_uuid, digest, media_bytes


def _workspace_name(ws: Workspace) -> str:
    row = ws.db.execute("SELECT name FROM workspace WHERE id = 1").fetchone()
    return row[0] if row else ws.path.stem


def _finish(ws: Workspace, result: ExportResult, scope: dict) -> ExportResult:
    """Record the export in the audit trail once the file is in place (an export that cannot be
    recorded is removed: customers' recordings never leave unrecorded)."""
    try:
        _record(ws, result, scope)
    except BaseException:
        result.path.unlink(missing_ok=True)
        raise
    return result


def _record(ws: Workspace, result: ExportResult, scope: dict) -> None:
    with ws.db.atomic():
        audit.append(
            ws,
            "bundle.export",
            "bundle",
            result.bundle_uuid,
            {
                "kind": result.kind,
                "manifest_sha256": result.manifest_sha256,
                "file": result.path.name,
                "encrypted": result.encrypted,
                "counts": result.counts,
                "media_files": result.media_files,
                "scope": scope,
            },
        )


def export_assignment(
    ws: Workspace,
    out: str | Path,
    scope: AssignmentScope,
    *,
    passphrase: str | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ExportResult:
    """Write the scope as an assignment bundle at ``out`` (replaced atomically)."""
    who = find_evaluator(ws, scope.evaluator)
    all_shapes = shapes(ws.db)
    with ws.db.atomic():
        chosen = Selection(ws.db, all_shapes)
        chosen.add("evaluators", [who.id])
        chosen.add("interactions", scope.interaction_ids)
        chosen.add("sample_items", scope.sample_item_ids)
        chosen.add("scorecard_versions", scope.version_ids)
        for table, ids in scope.extra:
            if table not in all_shapes:
                raise DataRefused(f"rows of table '{table}' cannot travel in a bundle.")
            chosen.add(table, ids)
        chosen.add_children("transcripts", "interaction_id", "interactions")
        chosen.close()
        tables = {t: export_rows(ws.db, all_shapes[t], chosen.ids[t]) for t in ordered(all_shapes)}
        files, missing = _media(ws, tables.get("interactions", []))
        head = _head(ws)
    label = {**scope.label, "evaluator": {"uuid": who.uuid, "name": who.name}}
    bundle_uuid, digest, media_bytes = _write(
        ws,
        Path(out),
        "assignment",
        tables,
        files,
        label,
        head,
        passphrase=passphrase,
        progress=progress,
        is_cancelled=is_cancelled,
    )
    result = ExportResult(
        Path(out),
        "assignment",
        bundle_uuid,
        digest,
        passphrase is not None,
        Path(out).stat().st_size,
        {t: len(r) for t, r in tables.items() if r},
        len(files),
        media_bytes,
        missing,
        head,
    )
    return _finish(ws, result, label)


def export_results(
    ws: Workspace,
    out: str | Path,
    *,
    include_drafts: bool = False,
    evaluator: str | None = None,
    passphrase: str | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ExportResult:
    """Write this workspace's evaluations (not drafts unless asked) and all its audit rows."""
    all_shapes = shapes(ws.db)
    where, params = ("1 = 1", []) if include_drafts else ("status != 'draft'", [])
    scope: dict = {"include_drafts": include_drafts}
    if evaluator is not None:
        who = find_evaluator(ws, evaluator)
        where += " AND evaluator_id = ?"
        params.append(who.id)
        scope["evaluator"] = {"uuid": who.uuid, "name": who.name}
    with ws.db.atomic():
        ids = [r[0] for r in ws.db.execute(f"SELECT id FROM evaluations WHERE {where}", params)]
        if not ids:
            raise DataRefused(
                "there are no evaluations to send"
                + ("" if include_drafts else " (drafts stay behind unless --include-drafts)")
                + "."
            )
        chosen = Selection(ws.db, all_shapes)
        chosen.add("evaluations", ids)
        chosen.add_children("answers", "evaluation_id", "evaluations")
        chosen.add_children("answer_notes", "evaluation_id", "evaluations")
        chosen.add(
            "sample_items",
            (
                r[0]
                for r in ws.db.execute(
                    "SELECT si.id FROM sample_items si JOIN evaluations e "
                    "ON e.sample_id = si.sample_id AND e.interaction_id = si.interaction_id "
                    f"WHERE e.id IN (SELECT id FROM evaluations WHERE {where})",
                    params,
                )
            ),
        )
        chosen.close()
        # a calibration session travels whole: its interactions and members with it
        chosen.add_children("calibration_items", "session_id", "calibration_sessions")
        chosen.add_children("calibration_evaluators", "session_id", "calibration_sessions")
        chosen.close()
        tables = {t: export_rows(ws.db, all_shapes[t], chosen.ids[t]) for t in ordered(all_shapes)}
        tables["audit_log"] = [
            dict(zip(AUDIT_COLUMNS, row, strict=True))
            for row in ws.db.execute(
                f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log ORDER BY origin_uuid, seq"
            )
        ]
        head = _head(ws)
    scope["evaluations"] = len(ids)
    bundle_uuid, digest, _ = _write(
        ws,
        Path(out),
        "results",
        tables,
        {},
        scope,
        head,
        passphrase=passphrase,
        progress=progress,
        is_cancelled=is_cancelled,
    )
    result = ExportResult(
        Path(out),
        "results",
        bundle_uuid,
        digest,
        passphrase is not None,
        Path(out).stat().st_size,
        {t: len(r) for t, r in tables.items() if r},
        0,
        0,
        [],
        head,
    )
    return _finish(ws, result, scope)
