"""Check a workspace file, find its backups and restore one without losing the damaged file.

Backups are written beside the workspace as ``NAME.qaw.bak-vN`` before each migration (see
``db.backup_path``); users also keep copies such as ``NAME.qaw.bak`` or ``NAME.qaw.bak-2026-11``.
Any file named ``NAME.qaw.bak…`` counts, newest first. Restoring never deletes anything: the
damaged file (and its ``-wal``) is first kept as ``NAME.qaw.damaged-STAMP``, so whatever a
specialist could still rescue from it stays on disk; the backup is then written to a temporary
name with SQLite's backup API and renamed over the workspace, so a crash mid-restore leaves
either the old file or the whole backup, never half of one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qa_studio.errors import WorkspaceError

_SIDE_FILES = ("-wal", "-shm", "-journal")
_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Backup:
    """One backup file: where it is, the schema version its name records, when it was written."""

    path: Path
    version: int | None
    modified: float

    def label(self) -> str:
        stamp = datetime.fromtimestamp(self.modified, UTC).strftime("%Y-%m-%d %H:%M UTC")
        return f"{self.path.name} (written {stamp})"


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did: which backup now is the workspace and where the damaged file went."""

    workspace: Path
    backup: Path
    damaged_copy: Path | None


def _version_of(name: str) -> int | None:
    tail = name.rsplit(".bak-v", 1)
    return int(tail[1]) if len(tail) == 2 and tail[1].isdigit() else None


def find_backups(path: Path) -> list[Backup]:
    """Every ``NAME.qaw.bak…`` file beside ``path``, newest first (ties: higher version first)."""
    path = Path(path)
    prefix = path.name + ".bak"
    found = []
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or name.endswith(_SIDE_FILES) or not entry.is_file():
            continue
        found.append(Backup(entry, _version_of(name), entry.stat().st_mtime))
    found.sort(key=lambda b: (b.modified, b.version or 0), reverse=True)
    return found


def _ro_connect(path: Path) -> sqlite3.Connection:
    # immutable: a backup is never written to, and its folder may be read-only
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)


def check_integrity(path: Path, *, full: bool = False) -> list[str]:
    """Problems SQLite finds in the file (``quick_check``, or ``integrity_check`` when ``full``).

    An empty list means the file is a sound SQLite database. Nothing is written.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            if fh.read(len(_HEADER)) != _HEADER:
                return [f"{path.name} is not an SQLite database"]
    except OSError as exc:
        return [f"{path.name} cannot be read ({exc.strerror})"]
    try:
        conn = _ro_connect(path) if not _has_wal(path) else _wal_connect(path)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(20)").fetchall()]
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def _wal_connect(path: Path) -> sqlite3.Connection:
    """Read-only, but seeing the WAL's committed pages (immutable would ignore them)."""
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def latest_backup(path: Path) -> Backup | None:
    """The newest backup that passes ``quick_check``; None when there is none."""
    for candidate in find_backups(path):
        if not check_integrity(candidate.path):
            return candidate
    return None


def restore_advice(path: Path, backups: list[Backup]) -> list[str]:
    """The lines a refusal shows: which backup is the latest and how to put it back."""
    path = Path(path)
    if not backups:
        return [
            f"No backup of {path.name} was found beside it (files named {path.name}.bak…).",
            "Restore the file from your own backups (e.g. the network drive or disk image); "
            "keep the damaged file, it may still be rescued.",
        ]
    return [
        f"Latest backup: {backups[0].label()}.",
        f"Restore it from QA Studio's File ▸ Open (it offers to), or run: "
        f"qa-studio --db {path} recover --restore",
        f"The damaged file is kept as {path.name}.damaged-… — nothing is deleted.",
    ]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def set_aside(path: Path) -> Path | None:
    """Copy the damaged file (and rename its ``-wal``/``-shm``) to ``NAME.damaged-STAMP``.

    The WAL must move with it: left in place, SQLite would try to apply it to the restored file.
    """
    path = Path(path)
    if not path.exists():
        return None
    target = path.with_name(f"{path.name}.damaged-{_stamp()}")
    shutil.copy2(path, target)
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def restore(path: Path, backup: Path | None = None) -> Restored:
    """Replace ``path`` with ``backup`` (default: the latest sound backup), keeping the damage.

    Raises ``WorkspaceError`` when there is no sound backup; the workspace is then untouched.
    """
    path = Path(path)
    if backup is None:
        chosen = latest_backup(path)
        if chosen is None:
            raise WorkspaceError(
                f"no sound backup of {path.name} was found", restore_advice(path, [])
            )
        backup = chosen.path
    backup = Path(backup)
    problems = check_integrity(backup)
    if problems:
        raise WorkspaceError(
            f"the backup {backup.name} is itself damaged and was not restored",
            [*problems[:5], "Choose an older backup."],
        )
    partial = path.with_name(f"{path.name}.restoring")
    source = _ro_connect(backup)
    try:
        dest = sqlite3.connect(str(partial))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    with partial.open("rb+") as fh:
        os.fsync(fh.fileno())
    damaged = set_aside(path)
    os.replace(partial, path)
    return Restored(workspace=path, backup=backup, damaged_copy=damaged)
