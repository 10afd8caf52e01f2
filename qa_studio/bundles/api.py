"""What the command line and the screens call to send work out and take results in (no Qt).

Every long call takes ``progress(done, total)`` and ``is_cancelled()`` — the signature of a
``services.jobs`` job — so a screen runs it on a worker thread with that thread's own workspace
connection and offers Cancel; a cancelled call raises ``BundleCancelled`` having written nothing.
Refusals raise ``DataRefused`` with a message naming the bundle and what is wrong.

Sending: ``evaluators_with_work`` → ``send_preview`` → ``export_assignment``. Taking in:
``inspect`` (no workspace needed) → ``preview_import`` (a dry run: what would be inserted,
updated, kept, and which evaluations conflict) → ``import_bundle``. Conflicts: ``list_conflicts``
→ ``conflict_detail`` (both versions side by side, question by question) → ``resolve_conflict``.
On the evaluator's side: ``queue_for`` (their open sample items) and ``start_assigned`` (a draft
for one of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa_studio.bundles.assigned import start_assigned
from qa_studio.bundles.conflicts import (
    ConflictDetail,
    ConflictSummary,
    QuestionDiff,
    Side,
    get_conflict,
    list_conflicts,
)
from qa_studio.bundles.conflicts import detail as conflict_detail
from qa_studio.bundles.conflicts import resolve as resolve_conflict
from qa_studio.bundles.export import ExportResult, export_results
from qa_studio.bundles.export import export_assignment as export_scope
from qa_studio.bundles.format import (
    BundleCancelled,
    BundleLimits,
    IsCancelled,
    Progress,
    open_bundle,
)
from qa_studio.bundles.merge import ImportResult, import_opened
from qa_studio.bundles.scope import AssignmentScope, assignment_scope
from qa_studio.errors import UsageError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.sample_work import queue_for, workload

__all__ = [
    "AssignmentScope",
    "BundleCancelled",
    "BundleInfo",
    "BundleLimits",
    "ConflictDetail",
    "ConflictSummary",
    "ExportResult",
    "ImportResult",
    "QuestionDiff",
    "SendPreview",
    "Side",
    "assignment_scope",
    "conflict_detail",
    "evaluators_with_work",
    "export_assignment",
    "export_results",
    "get_conflict",
    "import_bundle",
    "inspect",
    "list_conflicts",
    "preview_import",
    "queue_for",
    "read_passphrase",
    "resolve_conflict",
    "send_preview",
    "start_assigned",
]


def read_passphrase(path: str | Path) -> str:
    """The passphrase in a file (one line; the line ending is not part of it)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise UsageError(f"passphrase file {path} cannot be read ({exc.strerror}).") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"passphrase file {path} is not UTF-8 text.") from exc
    passphrase = text.rstrip("\r\n")
    if not passphrase:
        raise UsageError(f"passphrase file {path} is empty.")
    return passphrase


def _phases(progress: Progress | None, count: int):
    """Map several phases' own ``(done, total)`` onto one bar from 0 to 1000 × count."""

    def phase(index: int) -> Progress | None:
        if progress is None:
            return None

        def report(done: int, total: int) -> None:
            progress(index * 1000 + (1000 * done) // max(total, 1), 1000 * count)

        return report

    return phase


@dataclass(frozen=True)
class SendPreview:
    """What "Send work to evaluator…" would put in the bundle, before writing it."""

    evaluator: str
    sample_items: int
    interactions: int
    scorecard_versions: int
    recordings: int
    recording_bytes: int
    missing_recordings: tuple[str, ...]


def evaluators_with_work(ws: Workspace) -> list[tuple[str, int]]:
    """``(evaluator, open sample items)`` for everyone who has something to send, by name."""
    return sorted((w.name, w.open) for w in workload(ws) if w.open)


def send_preview(ws: Workspace, evaluator: str, sample_id: int | None = None) -> SendPreview:
    scope = assignment_scope(ws, evaluator, sample_id)
    found, missing, size = 0, [], 0
    for start in range(0, len(scope.interaction_ids), 900):
        part = list(scope.interaction_ids[start : start + 900])
        for external_id, *paths in ws.db.execute(
            "SELECT external_id, recording_path, screen_recording_path FROM interactions "
            f"WHERE id IN ({', '.join('?' * len(part))})",
            part,
        ):
            for stored in paths:
                resolved = ws.resolve_media(stored)
                if resolved is None:
                    continue
                if resolved.is_file():
                    found, size = found + 1, size + resolved.stat().st_size
                else:
                    missing.append(f"{external_id}: {stored}")
    return SendPreview(
        scope.evaluator,
        len(scope.sample_item_ids),
        len(scope.interaction_ids),
        len(scope.version_ids),
        found,
        size,
        tuple(missing),
    )


def export_assignment(
    ws: Workspace,
    out: str | Path,
    evaluator: str | None = None,
    *,
    sample_id: int | None = None,
    scope: AssignmentScope | None = None,
    passphrase: str | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ExportResult:
    """The evaluator's open items (or an explicit ``scope``) as an assignment bundle."""
    if scope is None:
        if evaluator is None:
            raise UsageError("name the evaluator (or give a scope) to export an assignment.")
        scope = assignment_scope(ws, evaluator, sample_id)
    return export_scope(
        ws, out, scope, passphrase=passphrase, progress=progress, is_cancelled=is_cancelled
    )


@dataclass(frozen=True)
class BundleInfo:
    """A checked bundle's description: its manifest, without importing it."""

    path: Path
    size_bytes: int
    encrypted: bool
    manifest_sha256: str
    manifest: dict
    media_bytes: int

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "encrypted": self.encrypted,
            "manifest_sha256": self.manifest_sha256,
            "media_bytes": self.media_bytes,
            **self.manifest,
        }


def inspect(
    path: str | Path,
    *,
    passphrase: str | None = None,
    limits: BundleLimits | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> BundleInfo:
    """Check a bundle completely (digests included) and describe it; writes nothing."""
    with open_bundle(
        path, passphrase=passphrase, limits=limits, progress=progress, is_cancelled=is_cancelled
    ) as bundle:
        return BundleInfo(
            Path(path),
            Path(path).stat().st_size,
            bundle.encrypted,
            bundle.manifest_sha256,
            bundle.manifest.as_dict(),
            bundle.media_bytes(),
        )


def import_bundle(
    ws: Workspace,
    path: str | Path,
    *,
    passphrase: str | None = None,
    expect_kind: str | None = None,
    dry_run: bool = False,
    start_drafts: bool = True,
    limits: BundleLimits | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ImportResult:
    """Check and merge a bundle into ``ws`` (one transaction); ``expect_kind`` refuses the other
    kind ("Import results…" passes ``"results"``)."""
    phase = _phases(progress, 2)
    with open_bundle(
        path,
        passphrase=passphrase,
        limits=limits,
        expect_kind=expect_kind,
        work_dir=ws.path.parent,
        progress=phase(0),
        is_cancelled=is_cancelled,
    ) as bundle:
        return import_opened(
            ws,
            bundle,
            dry_run=dry_run,
            start_drafts=start_drafts,
            progress=phase(1),
            is_cancelled=is_cancelled,
        )


def preview_import(ws: Workspace, path: str | Path, **kwargs) -> ImportResult:
    """What ``import_bundle`` would do, without writing anything (conflicts have no ids yet)."""
    return import_bundle(ws, path, dry_run=True, **kwargs)
