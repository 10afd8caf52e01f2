"""Open or create a workspace file safely.

The rules (ARCHITECTURE.md § Data safety): WAL with foreign keys on and a busy timeout; a file
that is not SQLite, was written by a newer QA Studio, or is locked by another process is refused
with exit code 3 *before anything is written*; an existing file is backed up with SQLite's online
backup (which, unlike a file copy, includes what is still in the WAL) before migrating.

A damaged file (truncated, overwritten, failing ``PRAGMA quick_check``) is refused with
``WorkspaceCorrupt``, which names the latest backup so the user can restore it (``recovery``).
A file the user may not write is opened read-only rather than refused: a ``mode=ro`` URI with no
WAL switch, no migrations and no identity row, and ``immutable=1`` when the ``-shm`` file cannot
be created beside it — SQLite needs that file to read a WAL database, and a read-only folder
cannot hold it.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import WorkspaceCorrupt, WorkspaceError
from qa_studio.storage.migrations import latest_version, migrations
from qa_studio.storage.recovery import find_backups, restore_advice

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
#: How long opening waits for another process's write lock before calling the file locked.
LOCK_PROBE_TIMEOUT_S = 1.0
#: Files up to this size get a full ``PRAGMA quick_check`` on open (a few hundred ms at most);
#: larger ones only the cheap structural checks, so opening a million-row workspace stays fast.
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024
_CORRUPT_WORDS = ("malformed", "not a database", "corrupt", "disk image")


@dataclass
class Workspace:
    """An open workspace: the sqlite-utils database plus where its media live and who is acting."""

    path: Path
    db: Database
    uuid: str
    actor: str = field(default_factory=getpass.getuser)
    os_user: str = field(default_factory=getpass.getuser)
    read_only: bool = False
    #: Why the workspace is read-only, in words for the banner ("" when writable).
    read_only_reason: str = ""

    @property
    def media_dir(self) -> Path:
        """``NAME.media/`` beside the file: recordings inside it are stored as relative paths."""
        return self.path.with_name(self.path.stem + ".media")

    def resolve_media(self, stored: str | None) -> Path | None:
        if not stored:
            return None
        p = Path(stored)
        return p if p.is_absolute() else self.path.parent / p

    def close(self) -> None:
        self.db.conn.close()


def _refuse_if_not_sqlite(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot be read ({exc.strerror}).") from exc
    if header and header != SQLITE_HEADER:
        raise WorkspaceError(
            f"{path} is not a QA Studio workspace (not an SQLite database).",
            ["Choose a .qaw file, or restore the workspace from a backup."],
        )


def _connect(path: Path, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    if read_only:
        query = "?mode=ro&immutable=1" if immutable else "?mode=ro"
        uri = path.resolve().as_uri() + query
        return sqlite3.connect(uri, uri=True, timeout=LOCK_PROBE_TIMEOUT_S, check_same_thread=False)
    return sqlite3.connect(str(path), timeout=LOCK_PROBE_TIMEOUT_S, check_same_thread=False)


class _NotWritable(Exception):
    """Opening for writing failed for lack of permission: retry read-only."""


def _may_write(path: Path) -> bool:
    """Whether this process may change the file and create its ``-wal``/``-shm`` beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _needs_immutable(path: Path) -> bool:
    """True when the ``-shm`` file is missing and the folder cannot hold a new one."""
    return not os.access(path.parent, os.W_OK) and not path.with_name(path.name + "-shm").exists()


def corrupt_error(path: Path, cause: str) -> WorkspaceCorrupt:
    """The refusal for a damaged file: what is wrong, then which backup to restore and how."""
    backups = find_backups(path)
    return WorkspaceCorrupt(
        f"{path} is damaged and cannot be opened ({cause}).",
        restore_advice(path, backups),
        [b.path for b in backups],
    )


def _check_damage(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a truncated file, and one failing ``quick_check`` when it is small enough to scan."""
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    size = path.stat().st_size
    wal = path.with_name(path.name + "-wal")
    if size < page_size * pages and not (wal.exists() and wal.stat().st_size > 0):
        raise corrupt_error(path, f"the file is truncated: {size:,} of {page_size * pages:,} bytes")
    if size > QUICK_CHECK_MAX_BYTES:
        return
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    if rows != ["ok"]:
        raise corrupt_error(path, "integrity check failed: " + "; ".join(map(str, rows)))


def _probe(conn: sqlite3.Connection, path: Path, read_only: bool) -> int:
    """Read the schema version and prove we can take the write lock; refuse on failure."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not read_only:
            # a rolled-back header write proves we may write (a read-only file fails here)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        conn.close()
        text = str(exc).lower()
        if not read_only and ("readonly" in text or "read-only" in text):
            raise _NotWritable(str(exc)) from exc
        if any(word in text for word in _CORRUPT_WORDS):
            raise corrupt_error(path, str(exc)) from exc
        if "locked" in text or "busy" in text:
            raise WorkspaceError(
                f"{path} is locked by another process.",
                ["Close the other QA Studio window or program using it, then try again."],
            ) from exc
        raise WorkspaceError(f"{path} cannot be opened: {exc}.") from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise corrupt_error(path, str(exc)) from exc
    return int(version)


def _open_checked(path: Path, exists: bool, read_only: bool) -> tuple[sqlite3.Connection, int]:
    """Connect and probe (read-only with ``immutable`` when needed); check an existing file."""
    conn = _connect(path, read_only, read_only and _needs_immutable(path))
    version = _probe(conn, path, read_only)
    if exists:
        try:
            _check_damage(conn, path)
        except WorkspaceCorrupt:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise corrupt_error(path, str(exc)) from exc
    return conn, version


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.bak-v{version}")


def backup(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the live database (WAL included) to ``target`` with SQLite's online backup API."""
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def _has_user_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row[0])


def open_workspace(
    path: str | Path, *, create: bool = True, read_only: bool = False, name: str | None = None
) -> Workspace:
    """Open (creating if allowed) and migrate a workspace; raise ``WorkspaceError`` on refusal."""
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and (not create or read_only):
        raise WorkspaceError(f"{path} does not exist.")
    if exists:
        _refuse_if_not_sqlite(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    reason = "opened read-only as requested" if read_only else ""
    if exists and not read_only and not _may_write(path):
        read_only, reason = True, "you do not have permission to change this file"
    try:
        conn, version = _open_checked(path, exists, read_only)
    except _NotWritable:
        if not exists:
            raise WorkspaceError(f"{path} cannot be created: the folder is read-only.") from None
        read_only, reason = True, "the file cannot be written (read-only file or folder)"
        conn, version = _open_checked(path, exists, read_only)
    wal = path.with_name(path.name + "-wal")
    if read_only and _needs_immutable(path) and wal.exists() and wal.stat().st_size:
        reason += f"; the latest changes, still in {wal.name}, are not shown"
    latest = latest_version()
    if version > latest:
        conn.close()
        raise WorkspaceError(
            f"{path} was written by a newer QA Studio (schema version {version}; "
            f"this version understands up to {latest}).",
            ["Update QA Studio to open this workspace. The file has not been changed."],
        )
    if version < latest and read_only:
        conn.close()
        raise WorkspaceError(
            f"{path} needs upgrading (schema version {version} → {latest}) but is read-only "
            f"({reason}).",
            ["Copy the file to a folder you may write to, or ask for write permission."],
        )
    if exists and version == 0 and _has_user_tables(conn):
        conn.close()
        raise WorkspaceError(f"{path} is an SQLite database but not a QA Studio workspace.")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # A read-only workspace relies on ``mode=ro`` (or ``immutable=1``) alone: SQLite refuses
    # every write to the file, while ``PRAGMA query_only`` would also refuse the TEMP tables that
    # report queries build (the coaching figures, packs for a file the user may not write).
    if not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    db = Database(conn)
    if version < latest:
        if exists and version > 0:
            backup(conn, backup_path(path, version))
        try:
            migrations.apply(db)
        except sqlite3.DatabaseError as exc:
            conn.close()
            bak = backup_path(path, version)
            raise WorkspaceError(
                f"{path} could not be upgraded from schema version {version} ({exc}).",
                [
                    f"Nothing was changed by the failed step; the backup {bak.name} holds the file "
                    "as it was."
                    if version
                    else "The new workspace could not be created."
                ],
            ) from exc
    if not read_only:
        _ensure_identity(db, name or path.stem)
    row = db.execute("SELECT uuid FROM workspace WHERE id = 1").fetchone()
    if row is None:
        conn.close()
        raise WorkspaceError(f"{path} has no workspace identity and is read-only ({reason}).")
    return Workspace(path=path, db=db, uuid=row[0], read_only=read_only, read_only_reason=reason)


def _ensure_identity(db: Database, name: str) -> None:
    """Give a new workspace its own uuid: the origin of its audit chain."""
    if db.execute("SELECT 1 FROM workspace WHERE id = 1").fetchone() is None:
        with db.atomic():
            db.execute(
                "INSERT INTO workspace (id, uuid, name, created_at) VALUES (1, ?, ?, ?)",
                [new_uuid(), name, utcnow_iso()],
            )
