"""Write a subject-access export as a ZIP: the full record as JSON plus a readable XLSX summary.

Why both: the JSON is complete and machine-readable (the "commonly used electronic form" the
ICO asks for); the workbook is what a person opens to read it. Free text (comments, notes,
transcript turns, dispute reasons, complaint summaries) passes through ``redact`` here as in
every export, so a card or bank number quoted in a comment never leaves the workspace — the
ZIP says so in its ``README.txt``. Every text cell is written through ``xlsx_safe`` so a comment
typed as ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

from qa_studio.domain.redaction import redact
from qa_studio.export.xlsx_safe import SheetWriter, StyleCache
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import subject_access

#: Keys whose values are free text typed or said by people: redacted in the export.
FREE_TEXT_KEYS = frozenset({
    "text", "comment", "notes", "note", "reason", "resolution", "summary", "redress",
    "classification_reason", "vulnerability_need", "topic", "follow_up_note",
})  # fmt: skip
README = (
    "Subject-access export from QA Studio.\n\n"
    "subject_access.json holds every record listed in summary.xlsx in full.\n"
    "Payment card numbers, phone numbers, e-mail addresses and bank details inside free text\n"
    "(comments, notes, transcript turns, reasons, summaries) are shown as [… removed].\n"
    "Recordings are listed by their stored location; they are not copied into this file.\n"
)


def redact_free_text(value: object, key: str | None = None) -> object:
    """A copy of ``value`` with every string under a free-text key redacted."""
    if isinstance(value, dict):
        return {k: redact_free_text(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_free_text(v, key) for v in value]
    if isinstance(value, str) and key in FREE_TEXT_KEYS:
        return redact(value)
    return value


def _cell(value: object) -> object:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def workbook_bytes(doc: dict) -> bytes:
    """The XLSX summary: a Summary sheet with counts, then one sheet per kind of record."""
    wb = Workbook()
    styles = StyleCache()
    summary = SheetWriter(wb.active, styles)
    wb.active.title = "Summary"
    row = 1
    for key, value in doc["subject"].items():
        summary.text(row, 1, key)
        summary.text(row, 2, str(value))
        row += 1
    summary.text(row, 1, "generated_at")
    summary.text(row, 2, doc["generated_at"])
    row += 2
    for key, n in subject_access.counts(doc).items():
        summary.text(row, 1, key)
        summary.value(row, 2, n)
        row += 1
    sections = [(k, v) for k, v in doc.items() if isinstance(v, list)]
    if "agent" in doc:
        sections.insert(0, ("agent", [doc["agent"]]))
    for name, records in sections:
        sheet = SheetWriter(wb.create_sheet(name[:31]), styles)
        columns = list(dict.fromkeys(k for r in records for k in r))
        for col, title in enumerate(columns, start=1):
            sheet.text(1, col, title)
        for r_index, record in enumerate(records, start=2):
            for col, title in enumerate(columns, start=1):
                value = _cell(record.get(title))
                if isinstance(value, bool):
                    value = int(value)
                if isinstance(value, str):
                    sheet.text(r_index, col, value)
                else:
                    sheet.value(r_index, col, value)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_zip(doc: dict, out: Path) -> Path:
    """Write ``doc`` (already redacted) to ``out`` as README.txt, subject_access.json, summary.xlsx.

    Written to a temporary name and renamed, so a failed export leaves no half-written ZIP."""
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("README.txt", README)
            zf.writestr("subject_access.json", json.dumps(doc, ensure_ascii=False, indent=2))
            zf.writestr("summary.xlsx", workbook_bytes(doc))
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def export_customer(ws: Workspace, customer_ref: str, out: Path) -> dict:
    """Export everything about one customer reference to ``out``; audited. Returns the counts."""
    doc = redact_free_text(subject_access.customer(ws, customer_ref))
    write_zip(doc, out)  # type: ignore[arg-type]
    subject_access.record_export(ws, doc, str(out))  # type: ignore[arg-type]
    return subject_access.counts(doc)  # type: ignore[arg-type]


def export_agent(ws: Workspace, external_id: str, out: Path) -> dict:
    """Export everything about one agent to ``out``; audited. Returns the counts."""
    doc = redact_free_text(subject_access.agent(ws, external_id))
    write_zip(doc, out)  # type: ignore[arg-type]
    subject_access.record_export(ws, doc, str(out))  # type: ignore[arg-type]
    return subject_access.counts(doc)  # type: ignore[arg-type]
