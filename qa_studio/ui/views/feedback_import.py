"""The Import dialog's customer-feedback kinds: survey results and mystery-shop results.

Why apart from ``import_dialog``: interactions and feedback share the dialog's steps (file, first
rows, all-or-nothing or skip-invalid, errors by row, progress and Cancel) but not their reader,
their columns or their job. What differs lives here — the words shown for each kind, which field
each header feeds, the scorecard choice, and the job that calls ``importers.feedback`` with the
job's own workspace connection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QWidget

from qa_studio.importers.feedback import field_columns, import_feedback
from qa_studio.importers.report import ImportReport
from qa_studio.services.jobs import Progress
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import scorecards

#: What the dialog can import, as the kind chooser names it.
KIND_NAMES = {
    "interactions": "Interactions (contact records)",
    "survey": "Customer survey results",
    "mystery_shop": "Mystery-shop results",
}
FEEDBACK_KINDS = ("survey", "mystery_shop")
FEEDBACK_FILTER = "Survey or mystery-shop results (*.csv *.xlsx);;All files (*)"
#: The columns each feedback kind reads, shown under the kind chooser.
KIND_HELP = {
    "survey": (
        "One row per survey response: the interaction's external id, the score (0–5 unless a "
        "“Scale max” column says otherwise) and the customer's comment; optional “Date” and "
        "“Survey” columns. A response already stored for the same interaction and survey is "
        "updated."
    ),
    "mystery_shop": (
        "One row per shop: “Interaction” (a stored contact) or “Mystery ID” with Channel, Agent "
        "and Started at (a new contact), “Evaluator”, and one column per question key of the "
        "scorecard. Each shop is stored as a submitted evaluation with source mystery_shop."
    ),
}
FROM_FILE = "From the file's “Scorecard” column"


def feedback_format(path: Path) -> str:
    """The tabular reader for a feedback file: ``xlsx`` for workbooks, ``csv`` otherwise."""
    return "xlsx" if Path(path).suffix.lower() in (".xlsx", ".xlsm") else "csv"


def header_labels(headers: list[str], kind: str) -> list[str]:
    """Each header with the field it feeds underneath, as the interactions preview shows them."""
    fields = {index: field for field, index in field_columns(headers).items()}
    unused = "→ answer" if kind == "mystery_shop" else "(not used)"
    return [
        f"{header}\n→ {fields[i]}" if i in fields else f"{header}\n{unused}"
        for i, header in enumerate(headers)
    ]


def fill_scorecards(combo: QComboBox, ws: Workspace) -> None:
    """The scorecard choice: the file's own column first, then every published scorecard."""
    combo.clear()
    combo.addItem(FROM_FILE, None)
    for key, name, channel, version in scorecards.list_cards(ws):
        combo.addItem(f"{name} ({key}@{version}, {channel})", f"{key}@{version}")


def feedback_work(
    path: Path, kind: str, *, scorecard: str | None, dry_run: bool, skip_invalid: bool
) -> Callable[[Workspace, Progress, Callable[[], bool]], ImportReport]:
    """The job body importing ``path`` as ``kind`` (given the job's own connection)."""

    def work(ws: Workspace, progress: Progress, is_cancelled: Callable[[], bool]) -> ImportReport:
        return import_feedback(
            ws,
            path,
            kind,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            scorecard=scorecard,
            progress=progress,
            is_cancelled=is_cancelled,
        )

    return work


class KindChoice(QComboBox):
    """The kind chooser: interactions, survey results or mystery-shop results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for kind, text in KIND_NAMES.items():
            self.addItem(text, kind)

    def kind(self) -> str:
        return str(self.currentData())

    def is_feedback(self) -> bool:
        return self.kind() in FEEDBACK_KINDS
