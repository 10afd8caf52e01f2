"""A single evaluation as a one-page Excel form for the one-to-one (openpyxl, no Qt).

One sheet, A4 portrait, fitted to one page: who and what was evaluated, the score against the
target, every question with its answer, points, result and every comment with its playback time,
the general notes and overall comment, any disputes, and signature lines for the agent and the
team leader. Text goes through the coaching pack's ``SheetWriter``: never a formula (a comment
typed as ``=HYPERLINK(…)`` prints as typed), card and phone numbers in comments redacted. The
pack's named styles keep the form looking like the pack it is handed out with.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

from qa_studio.export import pack_styles as st
from qa_studio.export.coaching_pack import save_workbook
from qa_studio.export.pack_figures import playback
from qa_studio.export.xlsx_safe import SheetWriter, StyleCache
from qa_studio.storage.repository.evaluation_sheet import PrintableEvaluation, SheetNote

SHEET = "Evaluation"
SIGNATURE = "QA Signature"
SECTION = "QA Section"
WIDTHS = {"A": 40.0, "B": 16.0, "C": 9.0, "D": 13.0, "E": 48.0}
FIRST_ROW_OF_TABLE_HEADER = "Question"


def note_line(note: SheetNote) -> str:
    """``[01:23] text (author)`` — the time to replay, the comment, who wrote it."""
    when = playback(note.at_s)
    who = f" ({note.author})" if note.author else ""
    return f"[{when}] {note.text}{who}" if when else f"{note.text}{who}"


def _points(got: float | None, most: float | None) -> str | None:
    if most is None:
        return None
    return f"{got or 0:g} / {most:g}"


def _register(wb: Workbook) -> None:
    st.register_styles(wb)
    line = Side(style="thin", color="1F2937")
    wb.add_named_style(
        NamedStyle(
            SIGNATURE,
            font=Font(name="Calibri", size=10),
            border=Border(bottom=line),
            alignment=Alignment(vertical="bottom"),
        )
    )
    wb.add_named_style(
        NamedStyle(
            SECTION,
            font=Font(name="Calibri", size=10, bold=True, color="1F2937"),
            border=Border(bottom=Side(style="thin", color="A6A6A6")),
        )
    )


def _pair(
    w: SheetWriter, row: int, left: tuple[str, str | None], right: tuple[str, str | None] | None
) -> None:
    w.text(row, 1, left[0], st.HEADER)
    w.text(row, 2, left[1] or "—", st.TEXT)
    w.ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    if right is not None:
        w.text(row, 4, right[0], st.HEADER)
        w.text(row, 5, right[1] or "—", st.TEXT)


def _duration(seconds: float | None) -> str | None:
    return playback(seconds)


def build_form(p: PrintableEvaluation) -> Workbook:
    """The form as a workbook (not saved)."""
    wb = Workbook()
    _register(wb)
    ws = wb.active
    ws.title = SHEET
    w = SheetWriter(ws, StyleCache())
    w.text(1, 1, p.title, st.TITLE)
    w.text(
        2,
        1,
        f"{p.scorecard_ref} · revision {p.revision} · {p.status.replace('_', ' ')}",
        st.SUBTITLE,
    )
    agent = f"{p.agent} ({p.agent_id})" if p.agent else None
    contact = p.contact_at + (f" · {_duration(p.duration_s)}" if p.duration_s else "")
    signed = f"{p.signed_by} · {p.signed_at}" if p.signed_by else None
    ack = f"{p.acknowledged_by} · {p.acknowledged_at}" if p.acknowledged_by else "Not yet"
    _pair(w, 4, ("Agent", agent), ("Interaction", f"{p.interaction} ({p.channel})"))
    _pair(w, 5, ("Team", p.team), ("Contact", contact))
    _pair(w, 6, ("Team leader", p.leader), ("Evaluator", p.evaluator))
    _pair(w, 7, ("Signed off", signed), ("Acknowledged", ack))
    _pair(w, 8, ("Recording", p.recording_path), None)
    ws.merge_cells("B8:E8")

    w.text(10, 1, "Score", st.HEADER)
    w.text(10, 2, _points(p.score, p.max_score) or "—", st.TEXT)
    w.value(10, 3, None if p.percent is None else p.percent / 100, st.PERCENT)
    ws.merge_cells("C10:D10")
    w.text(10, 5, f"Target {p.target:g} % · {p.result}", st.VALUE)

    row = 12
    w.row(
        row,
        [FIRST_ROW_OF_TABLE_HEADER, "Answer", "Points", "Result", "Comments [playback time]"],
        [st.HEADER] * 5,
    )
    header_row = row
    for section in p.sections:
        row += 1
        pct = "" if section.percent is None else f" — {section.percent:.1f} %"
        w.text(row, 1, f"{section.name}{pct}", SECTION)
        for c in range(2, 6):
            w.value(row, c, None, SECTION)
        for a in section.answers:
            row += 1
            flags = [f for f, on in (("critical", a.critical), ("fatal", a.fatal)) if on]
            text = a.text + (f" [{', '.join(flags)}]" if flags else "")
            if a.regulation:
                text += f"\n{a.regulation}"
            comments = "\n".join(note_line(n) for n in a.notes)
            w.text(row, 1, text, st.WRAP)
            w.text(row, 2, a.answer, st.WRAP)
            w.text(row, 3, _points(a.points, a.max_points) or "—", st.TEXT)
            w.text(row, 4, a.result, st.TEXT)
            w.text(row, 5, comments or None, st.WRAP, redacted=True)
            st.fit_height(
                ws, row, [(text, WIDTHS["A"]), (a.answer, WIDTHS["B"]), (comments, WIDTHS["E"])]
            )
    row += 2
    row = _block(w, row, "General notes", "\n".join(note_line(n) for n in p.general_notes))
    row = _block(w, row, "Overall comment", p.comment or "")
    if p.disputes:
        lines = [
            f"{d.question_key}: {d.status} — {d.reason}"
            + (f" (resolution: {d.resolution})" if d.resolution else "")
            for d in p.disputes
        ]
        row = _block(w, row, "Disputes", "\n".join(lines))
    w.text(row, 2, "Signature", st.SUBTITLE)
    w.text(row, 5, "Date", st.SUBTITLE)
    row += 1
    for role, name in (("Agent", p.agent), ("Team leader", p.leader)):
        w.text(row, 1, f"{role}: {name or ''}", st.TEXT)
        w.value(row, 2, None, SIGNATURE)
        w.value(row, 3, None, SIGNATURE)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        w.value(row, 5, None, SIGNATURE)
        ws.row_dimensions[row].height = 30
        row += 1
    row -= 1
    st.set_widths(ws, WIDTHS)
    st.print_ready(
        ws,
        landscape=False,
        header_rows=f"{header_row}:{header_row}",
        title=f"{p.title} · {p.agent or ''}",
    )
    ws.page_setup.fitToHeight = 1  # the one-to-one form is one page
    ws.print_area = f"A1:E{row}"
    wb.properties.title = p.title
    wb.properties.creator = "QA Studio"
    return wb


def _block(w: SheetWriter, row: int, label: str, text: str) -> int:
    """A labelled, merged, wrapped paragraph; returns the next free row."""
    w.text(row, 1, label, st.HEADER)
    w.text(row + 1, 1, text or "—", st.WRAP, redacted=True)
    w.ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=5)
    st.fit_height(w.ws, row + 1, [(text, sum(WIDTHS.values()))])
    return row + 3


def write_evaluation_xlsx(p: PrintableEvaluation, path: str | Path) -> Path:
    """Build the form and save it at ``path`` (written whole or not at all)."""
    return save_workbook(build_form(p), Path(path))
