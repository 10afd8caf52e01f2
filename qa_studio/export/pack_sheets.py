"""The pack's detail sheets: Questions, Evidence, Strengths, Development areas, Goals, Sign-off.

Tables start with their header in row 1 (frozen, and repeated on every printed page); the agent
and period are in the printed page header. Every text that a person or an import supplied —
comments above all — goes through ``xlsx_safe`` (string cells, never formulas) and comments are
redacted. The Goals and Sign-off sheets are protected without a password so the layout stays put,
while their input cells (pale yellow) are unlocked for the leader and agent to fill in.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from qa_studio.export import pack_figures as fig
from qa_studio.export import pack_styles as st
from qa_studio.export.xlsx_safe import SheetWriter
from qa_studio.storage.repository.reporting_types import AgentReport, QuestionRate

GOAL_ROWS = 8
_RED, _AMBER, _GREEN = "F8696B", "FFEB84", "63BE7B"


def _rate(q: QuestionRate, who: str) -> float | None:
    n, passed = (q.agent_n, q.agent_passed) if who == "agent" else (q.team_n, q.team_passed)
    return passed / n if n else None


def _flags(q: QuestionRate) -> str:
    return "Fatal" if q.fatal else "Critical" if q.critical else ""


def _date_validation(ws: Worksheet, cells: str, prompt: str) -> DataValidation:
    dv = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a date",
        error="Enter a date, e.g. 31/12/2026.",
        showInputMessage=True,
        promptTitle="Date",
        prompt=prompt,
    )
    dv.add(cells)
    ws.add_data_validation(dv)
    return dv


def _header(w: SheetWriter, heads: list[str]) -> None:
    """Header row 1, tall enough for two-line headings (no spreadsheet auto-fits on open)."""
    ws = w.ws
    w.row(1, heads, [st.HEADER] * len(heads))
    st.set_height(ws, 1, 30)


def _protect(ws: Worksheet) -> None:
    """Lock headers and labels; unlocked (input-styled) cells stay editable; columns and rows
    can still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False


def write_questions(w: SheetWriter, report: AgentReport, title: str) -> None:
    ws = w.ws
    heads = ["Scorecard", "Section", "Question", "Key", "Type", "Regulation",
             "Agent answers", "Agent pass rate", "Team answers", "Team pass rate", "Gap (points)"]  # fmt: skip
    _header(w, heads)
    widths = {"A": 16, "B": 18, "C": 46, "D": 18, "E": 8, "F": 22,
              "G": 9, "H": 10, "I": 9, "J": 10, "K": 10}  # fmt: skip
    styles = [st.WRAP, st.WRAP, st.WRAP, st.TEXT, st.TEXT, st.WRAP,
              st.TEXT, st.PERCENT, st.TEXT, st.PERCENT, st.SIGNED]  # fmt: skip
    for r, q in enumerate(report.questions, start=2):
        values = [q.scorecard, q.section, q.text, q.key, _flags(q), q.regulation or "",
                  q.agent_n, _rate(q, "agent"), q.team_n, _rate(q, "team"), q.gap]  # fmt: skip
        w.row(r, values, styles)
        st.fit_height(ws, r, [(q.scorecard, widths["A"]), (q.section, widths["B"]),
                              (q.text, widths["C"]), (q.regulation, widths["F"])])  # fmt: skip
    last = max(2, len(report.questions) + 1)
    ws.conditional_formatting.add(
        f"H2:H{last}",
        ColorScaleRule(start_type="num", start_value=0, start_color=_RED,
                       mid_type="num", mid_value=0.8, mid_color=_AMBER,
                       end_type="num", end_value=1, end_color=_GREEN),
    )  # fmt: skip
    for op, formula, colour in (("lessThan", ["-10"], _RED), ("lessThan", ["0"], _AMBER),
                                ("greaterThanOrEqual", ["0"], _GREEN)):  # fmt: skip
        ws.conditional_formatting.add(
            f"K2:K{last}",
            CellIsRule(operator=op, formula=formula, stopIfTrue=True,
                       fill=PatternFill("solid", start_color=colour, end_color=colour)),
        )  # fmt: skip
    st.set_widths(ws, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:K{last}"
    st.print_ready(ws, landscape=True, header_rows="1:1", title=title)


def write_evidence(
    w: SheetWriter, report: AgentReport, title: str, media_root: Path | None
) -> None:
    ws = w.ws
    heads = ["Date", "Channel", "Interaction", "Scorecard", "Question", "Result",
             "Evaluator comment", "At", "Recording", "Evaluator"]  # fmt: skip
    _header(w, heads)
    root = None if media_root is None else str(media_root)
    widths = {"A": 12, "B": 8, "C": 17, "D": 18, "E": 34, "F": 9,
              "G": 46, "H": 8, "I": 30, "J": 14}  # fmt: skip
    for r, e in enumerate(report.evidence, start=2):
        if e.question_key is None:
            result = "Comment" if e.question == "Overall comment" else "Note"
        else:
            result = "Failed" if e.failed else "Passed"
        recording = e.recording_path
        if recording and root and not os.path.isabs(recording):
            recording = os.path.join(root, recording)
        w.value(r, 1, date.fromisoformat(e.date), st.DATE)
        w.text(r, 2, e.channel, st.TEXT)
        w.text(r, 3, e.interaction, st.TEXT)
        w.text(r, 4, e.scorecard, st.WRAP)
        w.text(r, 5, e.question, st.WRAP)
        w.text(r, 6, result, st.TEXT)
        comment = w.text(r, 7, e.comment, st.WRAP, redacted=True).value
        w.text(r, 8, fig.playback(e.at_s), st.TEXT)
        w.text(r, 9, recording, st.WRAP)
        w.text(r, 10, e.evaluator, st.WRAP)
        st.fit_height(ws, r, [(e.scorecard, widths["D"]), (e.question, widths["E"]),
                              (comment, widths["G"]), (recording, widths["I"]),
                              (e.evaluator, widths["J"])])  # fmt: skip
    if not report.evidence:
        w.text(2, 1, "No failed or commented answers in this period.", st.SUBTITLE)
    st.set_widths(ws, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:J{max(2, len(report.evidence) + 1)}"
    st.print_ready(ws, landscape=True, header_rows="1:1", title=title)


def write_ranked(w: SheetWriter, ranked: list[QuestionRate], title: str, empty: str) -> None:
    ws = w.ws
    heads = ["Rank", "Scorecard", "Section", "Question", "Regulation",
             "Agent pass rate", "Team pass rate", "Gap (points)", "Agent answers"]  # fmt: skip
    _header(w, heads)
    widths = {"A": 6, "B": 16, "C": 18, "D": 50, "E": 22, "F": 10, "G": 10, "H": 10, "I": 9}
    styles = [st.TEXT, st.WRAP, st.WRAP, st.WRAP, st.WRAP, st.PERCENT, st.PERCENT, st.SIGNED,
              st.TEXT]  # fmt: skip
    for rank, q in enumerate(ranked, start=1):
        values = [rank, q.scorecard, q.section, q.text, q.regulation or "",
                  _rate(q, "agent"), _rate(q, "team"), q.gap, q.agent_n]  # fmt: skip
        w.row(rank + 1, values, styles)
        st.fit_height(ws, rank + 1, [(q.scorecard, widths["B"]), (q.section, widths["C"]),
                                     (q.text, widths["D"]), (q.regulation, widths["E"])])  # fmt: skip
    if not ranked:
        w.text(2, 1, empty, st.SUBTITLE)
    st.set_widths(ws, widths)
    ws.freeze_panes = "A2"
    st.print_ready(ws, landscape=True, header_rows="1:1", title=title)


def write_goals(w: SheetWriter, report: AgentReport, title: str) -> None:
    ws = w.ws
    heads = ["#", "Specific", "Measurable", "Achievable", "Relevant", "Time-bound",
             "Target question key", "Target value (%)", "Due date"]  # fmt: skip
    _header(w, heads)
    suggestions = fig.goal_suggestions(report)
    for index in range(GOAL_ROWS):
        r = index + 2
        w.value(r, 1, index + 1, st.TEXT)
        if index < len(suggestions):
            g = suggestions[index]
            texts = [g.specific, g.measurable, g.achievable, g.relevant, g.time_bound,
                     g.question_key]  # fmt: skip
            for c, text in enumerate(texts, start=2):
                w.text(r, c, text, st.INPUT)
            w.value(r, 8, g.target, st.INPUT)
            w.value(r, 9, g.due, st.INPUT_DATE)
        else:
            for c in range(2, 9):
                w.value(r, c, None, st.INPUT)
            w.value(r, 9, None, st.INPUT_DATE)
        st.set_height(ws, r, 48)
    last = GOAL_ROWS + 1
    _date_validation(ws, f"I2:I{last}", "When the goal is reviewed (dd/mm/yyyy).")
    target = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                            allow_blank=True, showErrorMessage=True, errorTitle="Not a percentage",
                            error="Enter a pass rate between 0 and 100.")  # fmt: skip
    target.add(f"H2:H{last}")
    ws.add_data_validation(target)
    w.text(last + 2, 2, "Suggestions come from the weakest questions; edit or replace "
             "them in the one-to-one.", st.SUBTITLE)  # fmt: skip
    st.set_widths(ws, {"A": 4, "B": 30, "C": 30, "D": 26, "E": 26, "F": 24, "G": 18, "H": 10,
                       "I": 13})  # fmt: skip
    ws.freeze_panes = "A2"
    _protect(ws)
    st.print_ready(ws, landscape=True, header_rows="1:1", title=title)


def write_sign_off(w: SheetWriter, report: AgentReport, title: str) -> None:
    ws = w.ws
    a = report.agent
    w.text(1, 1, "Sign-off", st.TITLE)
    w.text(2, 1, f"{a.name} · {report.period.label}: discussed and agreed.", st.SUBTITLE)
    w.row(4, ["Role", "Name", "Signature", "Date"], [st.HEADER] * 4)
    for r, (role, name) in enumerate((("Agent", a.name), ("Team leader", a.leader or "")), 5):
        w.text(r, 1, role, st.TEXT)
        w.text(r, 2, name, st.INPUT)
        w.value(r, 3, None, st.INPUT)
        w.value(r, 4, None, st.INPUT_DATE)
        st.set_height(ws, r, 36)
    _date_validation(ws, "D5:D6", "The date of signing (dd/mm/yyyy).")
    for r, label in ((8, "Agent's comments"), (11, "Team leader's comments")):
        w.text(r, 1, label, st.HEADER)
        ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=4)
        w.value(r + 1, 1, None, st.INPUT)
        for c in range(2, 5):
            w.value(r + 1, c, None, st.INPUT)
        st.set_height(ws, r + 1, 80)
    st.set_widths(ws, {"A": 22, "B": 30, "C": 34, "D": 14})
    ws.freeze_panes = "A4"
    _protect(ws)
    st.print_ready(ws, landscape=False, title=title)
