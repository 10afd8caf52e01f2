"""Versions of the storage-side libraries, for the About box and bug reports.

Why here: the SQLite library and openpyxl are storage and export concerns, and the UI layer may
not import them (import-linter contract), yet the About box must name their versions.
"""

from __future__ import annotations

import sqlite3
from importlib import metadata


def _distribution(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # a frozen bundle may carry no .dist-info
        return "unknown"


def library_versions() -> dict[str, str]:
    """``{"SQLite": "3.45.1", "sqlite-utils": "4.2", "openpyxl": "3.1.5"}``.

    openpyxl is imported here rather than at module level so the About box's module costs
    nothing at start-up.
    """
    import openpyxl

    return {
        "SQLite": sqlite3.sqlite_version,
        "sqlite-utils": _distribution("sqlite-utils"),
        "openpyxl": openpyxl.__version__,
    }
