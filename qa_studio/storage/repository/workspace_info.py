"""Workspace-level facts: schema version and row counts for ``info``."""

from __future__ import annotations

from sqlite_utils import Database

COUNTED_TABLES = ("agents", "interactions", "transcripts", "evaluations")


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def counts(db: Database, tables: tuple[str, ...] = COUNTED_TABLES) -> dict[str, int]:
    # Table names come from the fixed tuple above, never from user input.
    return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
