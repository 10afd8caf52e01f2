"""Errors that carry their command-line exit code.

Every layer raises these so that the CLI and the UI can report the same message: the CLI maps
``exit_code`` to its process exit status (ARCHITECTURE.md § Command-line conventions) and the UI
shows ``message`` and ``details`` in a dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class QAStudioError(Exception):
    """Base error: a message a user can act on, optional details, and an exit code."""

    message: str
    details: list = field(default_factory=list)
    exit_code: int = 1

    def __str__(self) -> str:
        return self.message


class DataRefused(QAStudioError):
    """The data was refused or a check failed (exit code 1)."""


class UsageError(QAStudioError):
    """The command was called wrongly (exit code 2)."""

    def __init__(self, message: str, details: list | None = None) -> None:
        super().__init__(message, details or [], 2)


class WorkspaceError(QAStudioError):
    """The workspace cannot be opened: not SQLite, newer schema, locked (exit code 3)."""

    def __init__(self, message: str, details: list | None = None) -> None:
        super().__init__(message, details or [], 3)


class WorkspaceCorrupt(WorkspaceError):
    """The workspace file is damaged (exit code 3); ``backups`` lists what could replace it.

    The backups (newest first) let the UI offer "Restore the latest backup" and the CLI name the
    file to restore, so the user is never left with only "malformed".
    """

    def __init__(self, message: str, details: list | None = None, backups: list | None = None):
        super().__init__(message, details)
        self.backups = list(backups or [])
