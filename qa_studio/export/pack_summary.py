"""The pack's Summary sheet: who and when, the headline figures against team and target, the
contact KPIs, the "not enough evidence" warning, and two native charts over a chart-data area.

Layout (columns A–F hold the tables, the charts sit to their right from column H):

* rows 1–3: title, period, and the evidence warning (merged across, only when needed);
* "Who" block; "Quality" table (Measure | Agent | Team | Target | Note); "Contact KPIs" table
  (Measure | Agent | Team | Target | Met target | Based on);
* "Chart data": the monthly trend (Month | Agent | Team | Target) and the section scores
  (Section | Agent | Team) that the line and bar charts read.

``SummaryLayout`` records where each figure went so tests (and the index workbook) can find them
without guessing row numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from qa_studio.export import pack_charts as charts
from qa_studio.export import pack_figures as fig
from qa_studio.export import pack_styles as st
from qa_studio.export.xlsx_safe import SheetWriter
from qa_studio.storage.repository.reporting_types import AgentReport, Kpis

COUNTED_NOTE = "Counted: submitted, signed-off, disputed and final evaluations."


@dataclass
class SummaryLayout:
    """Row of each labelled figure (column B agent, C team, D target) and the chart blocks."""

    rows: dict[str, int] = field(default_factory=dict)
    trend: charts.Block | None = None
    sections: charts.Block | None = None
    note_cell: str | None = None


def _rate(n_pass: int, n: int) -> float | None:
    return n_pass / n if n else None


def _duration(seconds: float | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=round(seconds))


def _met(value: float | None, target: float, *, lower_is_better: bool = False) -> str:
    if value is None:
        return "no data"
    ok = value <= target if lower_is_better else value >= target
    return "Yes" if ok else "No"


def _who(w: SheetWriter, report: AgentReport, row: int) -> int:
    a, p, prev = report.agent, report.period, report.previous_period
    w.text(row, 1, "Who and when", st.HEADER)
    lines = [
        ("Agent", f"{a.name} ({a.external_id})"),
        ("Team", a.team or "no team"),
        ("Team leader", a.leader or "not recorded"),
        ("Period", f"{p.label} ({p.first.strftime('%d/%m/%Y')}–{p.last.strftime('%d/%m/%Y')})"),
        ("Previous period", prev.label),
    ]
    # Values are borderless and overflow into the empty cells to their right: merging cells
    # would cost more than writing the rest of the sheet.
    for offset, (label, value) in enumerate(lines, start=1):
        w.text(row + offset, 1, label, st.TEXT)
        w.text(row + offset, 2, value, st.VALUE)
    return row + len(lines) + 2


def _quality(w: SheetWriter, report: AgentReport, row: int, layout: SummaryLayout) -> int:
    s, t, prev = report.summary, report.team, report.previous
    ci = fig.mean_interval(s)
    w.row(row, ["Quality", "Agent", "Team", "Target", "Note"], [st.HEADER] * 5)
    scorecards = [f"Scored on {name} ({ref}): target {tgt:g} %, {n} evaluation{'s' * (n != 1)}."
                  for ref, name, tgt, n in report.scorecards]  # fmt: skip
    target_note = "Mean of the forms' targets" if len(report.scorecards) > 1 else ""
    lines = [
        ("evaluations", "Evaluations", s.n, t.n, None, st.TEXT, "Submitted or later"),
        ("mean", "Mean score (%)", s.mean, t.mean, s.target, st.NUMBER, target_note),
        ("ci_low", "95 % interval, low (%)", ci.low, None, None, st.NUMBER,
         "Student t, scored evaluations"),
        ("ci_high", "95 % interval, high (%)", ci.high, None, None, st.NUMBER, ""),
        ("pass_rate", "Pass rate (at or above target)", _rate(s.n_pass, s.n_scored),
         _rate(t.n_pass, t.n_scored), None, st.PERCENT, "Each against its own target"),
        ("fatal", "Evaluations with a fatal fail", s.n_fatal, t.n_fatal, None, st.TEXT, ""),
        ("critical", "Evaluations with a critical fail", s.n_critical, t.n_critical, None,
         st.TEXT, ""),
        ("previous_mean", "Mean score, previous period (%)", prev.mean, None, None, st.NUMBER,
         f"{report.previous_period.label}: {prev.n} evaluation(s)"),
        ("change", "Change since last period (points)", report.change, None, None, st.SIGNED, ""),
    ]  # fmt: skip
    for offset, (key, label, agent, team, target, style, note) in enumerate(lines, start=1):
        r = row + offset
        layout.rows[key] = r
        w.text(r, 1, label, st.TEXT)
        w.value(r, 2, agent, style)
        w.value(r, 3, team, style)
        w.value(r, 4, target, st.NUMBER)
        w.text(r, 5, note, st.WRAP)
    # One short line each: long lines would run on under the charts to the right.
    notes = [*scorecards, COUNTED_NOTE]
    for offset, text in enumerate(notes, start=row + len(lines) + 1):
        w.text(offset, 1, text, st.SUBTITLE)
    return row + len(lines) + len(notes) + 2


def _kpis(w: SheetWriter, report: AgentReport, row: int, layout: SummaryLayout) -> int:
    k, team, tg = report.kpis, report.team_kpis, report.kpi_targets
    heads = ["Contact KPIs", "Agent", "Team", "Target", "Met target", "Based on"]
    w.row(row, heads, [st.HEADER] * 6)

    def based(kp: Kpis, n: int, what: str) -> str:
        return f"{n:,} {what}" if n else "no data"

    lines = [
        ("aht", "Average handle time (voice, m:ss)", _duration(k.aht_s), _duration(team.aht_s),
         _duration(tg.aht_s), st.DURATION, _met(k.aht_s, tg.aht_s, lower_is_better=True),
         based(k, k.aht_n, "calls")),
        ("fcr", "First contact resolution", None if k.fcr is None else k.fcr / 100,
         None if team.fcr is None else team.fcr / 100, tg.fcr / 100, st.PERCENT,
         _met(k.fcr, tg.fcr), based(k, k.fcr_n, "contacts")),
        ("csat", "Customer satisfaction (1–5)", k.csat, team.csat, tg.csat, st.NUMBER,
         _met(k.csat, tg.csat), based(k, k.csat_n, "survey responses")),
    ]  # fmt: skip
    for offset, (key, label, agent, team_value, target, style, met, n) in enumerate(lines, 1):
        r = row + offset
        layout.rows[key] = r
        w.text(r, 1, label, st.TEXT)
        w.value(r, 2, agent, style)
        w.value(r, 3, team_value, style)
        w.value(r, 4, target, style)
        w.text(r, 5, met, st.TEXT)
        w.text(r, 6, n, st.TEXT)

    def source(name: str) -> str:
        return "workspace" if name in tg.from_settings else "default"

    aht = _duration(tg.aht_s)
    assert aht is not None
    minutes, seconds = divmod(int(aht.total_seconds()), 60)
    w.text(row + len(lines) + 1, 1, f"KPI targets: AHT {minutes}:{seconds:02d} ({source('aht_s')}), "
           f"FCR {tg.fcr:g} % ({source('fcr')}), CSAT {tg.csat:g} ({source('csat')}).",
           st.SUBTITLE)  # fmt: skip
    w.text(row + len(lines) + 2, 1, "QA Studio's defaults apply where the workspace sets none "
           "(settings target.aht_s, target.fcr_pct, target.csat).", st.SUBTITLE)  # fmt: skip
    return row + len(lines) + 4


def _chart_data(w: SheetWriter, report: AgentReport, row: int, layout: SummaryLayout) -> int:
    w.text(row, 1, "Chart data", st.SUBTITLE)
    head = row + 1
    w.row(head, ["Month", "Agent", "Team", "Target"], [st.HEADER] * 4)
    for offset, point in enumerate(report.trend, start=1):
        w.text(head + offset, 1, point.label, st.TEXT)
        w.value(head + offset, 2, point.agent_mean, st.NUMBER)
        w.value(head + offset, 3, point.team_mean, st.NUMBER)
        w.value(head + offset, 4, report.summary.target, st.NUMBER)
    last = head + len(report.trend)
    layout.trend = charts.Block(head, head + 1, last, 1, (2, 3, 4))
    sec_head = last + 2
    w.row(sec_head, ["Section", "Agent", "Team"], [st.HEADER] * 3)
    several = len({s.scorecard_key for s in report.sections}) > 1
    for offset, s in enumerate(report.sections, start=1):
        label = f"{s.scorecard}: {s.section}" if several else s.section
        w.text(sec_head + offset, 1, label, st.TEXT)
        w.value(sec_head + offset, 2, s.agent_mean, st.NUMBER)
        w.value(sec_head + offset, 3, s.team_mean, st.NUMBER)
    if report.sections:
        layout.sections = charts.Block(
            sec_head, sec_head + 1, sec_head + len(report.sections), 1, (2, 3)
        )
    return sec_head + len(report.sections) + 1


def write_summary(w: SheetWriter, report: AgentReport, generated: date) -> SummaryLayout:
    """Fill the Summary sheet of ``report``'s pack; return where everything went."""
    ws = w.ws
    ws = w.ws
    layout = SummaryLayout()
    a = report.agent
    w.text(1, 1, f"Coaching pack: {a.name}", st.TITLE)
    w.text(2, 1, f"{report.period.label} · generated {generated.strftime('%d %b %Y')}", st.SUBTITLE)
    note = fig.evidence_note(report.summary)
    if note:
        w.text(3, 1, note, st.NOTE)
        for column in range(2, 7):  # the fill runs on under the overflowing text
            w.value(3, column, None, st.NOTE)
        st.set_height(ws, 3, 24)
        layout.note_cell = "A3"
    row = _who(w, report, 5)
    row = _quality(w, report, row, layout)
    row = _kpis(w, report, row, layout)
    _chart_data(w, report, row, layout)
    assert layout.trend is not None
    charts.trend_chart(ws, layout.trend, "H5", title="Monthly score: agent, team and target")
    if layout.sections is not None:
        charts.section_chart(ws, layout.sections, "H22", title="Section scores: agent and team")
    st.set_widths(ws, {"A": 44, "B": 14, "C": 12, "D": 12, "E": 30, "F": 18, "G": 2})
    ws.freeze_panes = "A4"
    st.print_ready(ws, landscape=True, title=f"{a.name} · {report.period.label}")
    return layout
