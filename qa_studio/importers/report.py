"""What an import tells its caller: counts, row-numbered problems, where rejects went.

Shared by the command line (``--json`` prints ``ImportReport.as_dict()``) and the import dialog,
so both show the same numbers and the same ``row N, column C: message`` lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Problems listed per import; beyond this the report says how many more there were.
MAX_ERRORS = 10_000


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` counts the header as row 1 (JSON: the record's number or line)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"row {self.row}, column {self.column}: {self.message}"
        return f"row {self.row}: {self.message}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class SourceError(Exception):
    """The file as a whole cannot be imported (empty, wrong encoding, required column missing)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class ImportReport:
    """The outcome of one import; nothing is written unless ``written`` is true."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejects_path: Path | None = None
    dry_run: bool = False
    cancelled: bool = False
    path: Path | None = None
    format: str = ""
    transcripts: int = 0
    notes: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        """True when nothing was rejected and the file had no problems (exit code 0)."""
        return not self.errors and not self.rejected and not self.cancelled

    def as_dict(self) -> dict:
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
        }

    def summary(self) -> str:
        """Readable text for the command line and the dialog's result line."""
        what = "would import" if self.dry_run else "imported"
        name = self.path.name if self.path else "file"
        head = (
            f"{name} ({self.format}): {what} {self.inserted} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )
        lines = [head]
        if self.transcripts:
            lines.append(f"{self.transcripts} transcript(s) stored with their interactions")
        lines += [str(e) for e in self.errors]
        lines += self.notes
        if self.cancelled:
            lines.append("cancelled: nothing was written")
        elif self.dry_run:
            lines.append("dry run: nothing was written")
        elif self.errors and not self.written:
            lines.append(
                "nothing was written: correct the rows above, or import with "
                "--skip-invalid to store the valid rows"
            )
        if self.rejects_path is not None:
            lines.append(f"rejected rows written to {self.rejects_path}")
        return "\n".join(lines)
