"""The batch's index workbook: one row per agent with headline figures and a link to the pack.

A team leader opening a folder of 40 packs starts here: who is below target, whose figures rest
on too few evaluations, and a click through to each agent's file. Links are relative, so the
folder can be moved, zipped or copied to a shared drive as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from qa_studio.export import pack_figures as fig
from qa_studio.export import pack_styles as st
from qa_studio.export.xlsx_safe import SheetWriter, StyleCache
from qa_studio.storage.repository.reporting_types import AgentReport

INDEX_NAME = "index.xlsx"
HEADINGS = ("Agent", "External id", "Team", "Team leader", "Evaluations", "Mean score (%)",
            "95 % interval ± (points)", "Team mean (%)", "Target (%)", "Pass rate",
            "Change (points)", "Evidence", "Pack")  # fmt: skip


def build_index(packs: Sequence[tuple[AgentReport, Path | None]], generated: date) -> Workbook:
    """The index of ``packs``: each report with the file its pack was written to, or None for
    an agent without evaluations in the period (listed, so nobody is silently left out)."""
    wb = Workbook()
    st.register_styles(wb)
    ws = wb.active
    ws.title = "Packs"
    w = SheetWriter(ws, StyleCache())
    period = packs[0][0].period.label if packs else ""
    w.row(1, list(HEADINGS), [st.HEADER] * len(HEADINGS))
    ws.row_dimensions[1].height = 30
    styles = [st.TEXT, st.TEXT, st.TEXT, st.TEXT, st.TEXT, st.NUMBER, st.NUMBER, st.NUMBER,
              st.NUMBER, st.PERCENT, st.SIGNED, st.WRAP]  # fmt: skip
    for r, (report, path) in enumerate(packs, start=2):
        a, s = report.agent, report.summary
        ci = fig.mean_interval(s)
        note = fig.evidence_note(s)
        values = [a.name, a.external_id, a.team or "", a.leader or "", s.n, s.mean,
                  ci.half_width if ci.low is not None else None, report.team.mean, s.target,
                  s.pass_rate / 100 if s.pass_rate is not None else None, report.change,
                  "Not enough evidence" if note else "Enough"]  # fmt: skip
        if s.n == 0:
            values[-1] = "No evaluations"
        w.row(r, values, styles)
        if path is None:
            w.text(r, len(HEADINGS), "no pack: no evaluations in the period", st.TEXT)
        else:
            link = w.text(r, len(HEADINGS), path.name, st.LINK)
            link.hyperlink = path.name
    last = len(packs) + 1
    w.text(last + 2, 1, f"Coaching packs for {period}, generated "
             f"{generated.strftime('%d %b %Y')}. Click a file name to open the agent's pack.",
             st.SUBTITLE)  # fmt: skip
    st.set_widths(ws, {"A": 24, "B": 12, "C": 16, "D": 18, "E": 11, "F": 11, "G": 12, "H": 11,
                       "I": 10, "J": 10, "K": 10, "L": 14, "M": 44})  # fmt: skip
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:M{max(2, last)}"
    st.print_ready(ws, landscape=True, header_rows="1:1", title=f"Coaching packs · {period}")
    return wb
