"""A single evaluation as a one-page PDF, printed by Qt (``QPdfWriter`` + ``QTextDocument``).

The same ``PrintableEvaluation`` as the Excel form: who and what was evaluated, the score
against the target, every question with its answer, points, result and comments stamped with
their playback time, the general notes and overall comment, disputes, and signature lines for
the agent and the team leader with dates. The document is laid out at a fixed width and scaled
down as a whole when it is taller than an A4 page, so it is always exactly one page (a long
checklist prints smaller, never on a second sheet). User text is HTML-escaped and card and phone
numbers in comments are redacted, as in every export.

Works without a display: ``write_evaluation_pdf`` creates the application with the offscreen
platform when none is running (the CLI's ``evaluation print``).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from qa_studio.domain.redaction import redact
from qa_studio.export.charts import ensure_app
from qa_studio.export.evaluation_form import note_line
from qa_studio.storage.repository.evaluation_sheet import PrintableEvaluation

MARGIN_MM = 12.0
RESOLUTION = 300
INK, MUTED, HEAD, FAIL = "#1f2937", "#4b5563", "#dce6f1", "#9c2a00"


def _e(text: object) -> str:
    return html.escape(str(text), quote=False)


def _multiline(text: str) -> str:
    return "<br/>".join(_e(line) for line in text.split("\n"))


def _pair(label: str, value: str | None, label2: str = "", value2: str | None = "") -> str:
    cells = f"<td class='k'>{_e(label)}</td><td>{_e(value or '—')}</td>"
    if label2:
        cells += f"<td class='k'>{_e(label2)}</td><td>{_e(value2 or '—')}</td>"
    else:
        cells += "<td></td><td></td>"
    return f"<tr>{cells}</tr>"


def evaluation_html(p: PrintableEvaluation) -> str:
    """The form as Qt rich text (the subset of HTML 4 and CSS ``QTextDocument`` renders)."""
    agent = f"{p.agent} ({p.agent_id})" if p.agent else None
    signed = f"{p.signed_by} · {p.signed_at}" if p.signed_by else None
    ack = f"{p.acknowledged_by} · {p.acknowledged_at}" if p.acknowledged_by else "Not yet"
    pct = "—" if p.percent is None else f"{p.percent:.1f} %"
    points = "—" if p.max_score is None else f"{p.score or 0:g} of {p.max_score:g} points"
    colour = FAIL if p.result in ("Fatal fail", "Below target") else INK
    parts = [
        "<html><head><style>",
        f"body {{ color: {INK}; font-size: 9pt; }}",
        f"td {{ padding: 2px 4px; vertical-align: top; }} td.k {{ color: {MUTED}; }}",
        f"th {{ background-color: {HEAD}; text-align: left; padding: 3px 4px; }}",
        f".sec {{ font-weight: bold; background-color: #f3f4f6; }} .fail {{ color: {FAIL}; }}",
        "</style></head><body>",
        f"<p style='font-size: 15pt; font-weight: bold; margin: 0'>{_e(p.title)}</p>",
        f"<p style='color: {MUTED}; margin-top: 2px'>{_e(p.scorecard_ref)} · revision "
        f"{p.revision} · {_e(p.status.replace('_', ' '))}</p>",
        "<table width='100%' cellspacing='0'>",
        _pair("Agent", agent, "Interaction", f"{p.interaction} ({p.channel})"),
        _pair("Team", p.team, "Contact", p.contact_at),
        _pair("Team leader", p.leader, "Evaluator", p.evaluator),
        _pair("Signed off", signed, "Acknowledged", ack),
        _pair("Recording", p.recording_path),
        "</table>",
        f"<p style='font-size: 12pt; margin-top: 8px'><span style='font-size: 12pt; "
        f"font-weight: bold'>Score {_e(pct)}</span> ({_e(points)}) · target {p.target:g} % · "
        f"<span style='font-size: 12pt; color: {colour}; font-weight: bold'>{_e(p.result)}"
        "</span></p>",
        "<table width='100%' cellspacing='0' cellpadding='3' border='1' "
        "style='border-color: #a6a6a6; border-style: solid; border-collapse: collapse'>",
        "<tr><th width='36%'>Question</th><th width='14%'>Answer</th><th width='8%'>Points</th>"
        "<th width='8%'>Result</th><th>Comments [playback time]</th></tr>",
    ]
    for section in p.sections:
        pct_s = "" if section.percent is None else f" — {section.percent:.1f} %"
        parts.append(f"<tr class='sec'><td colspan='5'>{_e(section.name + pct_s)}</td></tr>")
        for a in section.answers:
            flags = [f for f, on in (("critical", a.critical), ("fatal", a.fatal)) if on]
            question = _e(a.text) + (f" <i>[{', '.join(flags)}]</i>" if flags else "")
            if a.regulation:
                question += f"<br/><span style='color: {MUTED}'>{_e(a.regulation)}</span>"
            pts = "—" if a.max_points is None else f"{a.points or 0:g} / {a.max_points:g}"
            result = (
                f"<span class='fail'>{_e(a.result)}</span>"
                if a.result == "Fail"
                else (_e(a.result))
            )
            notes = "<br/>".join(_multiline(redact(note_line(n))) for n in a.notes)
            parts.append(
                f"<tr><td>{question}</td><td>{_e(a.answer)}</td><td>{pts}</td>"
                f"<td>{result}</td><td>{notes}</td></tr>"
            )
    parts.append("</table>")
    general = "<br/>".join(_multiline(redact(note_line(n))) for n in p.general_notes)
    parts.append(f"<p style='margin-top: 10px'><b>General notes</b><br/>{general or '—'}</p>")
    parts.append(f"<p><b>Overall comment</b><br/>{_multiline(redact(p.comment or '—'))}</p>")
    if p.disputes:
        items = "".join(
            f"<li>{_e(d.question_key)}: {_e(d.status)} — {_e(redact(d.reason))}"
            + (f" (resolution: {_e(redact(d.resolution))})" if d.resolution else "")
            + "</li>"
            for d in p.disputes
        )
        parts.append(f"<p><b>Disputes</b></p><ul>{items}</ul>")
    line = "_" * 34
    parts.append("<table width='100%' cellspacing='0' style='margin-top: 14px'>")
    for role, name in (("Agent", p.agent), ("Team leader", p.leader)):
        parts.append(
            f"<tr><td style='padding-top: 16px'>{_e(role)}: {_e(name or '')}</td>"
            f"<td style='padding-top: 16px'>Signature {line}</td>"
            f"<td style='padding-top: 16px'>Date {'_' * 14}</td></tr>"
        )
    parts.append("</table></body></html>")
    return "\n".join(parts)


def write_evaluation_pdf(p: PrintableEvaluation, path: str | Path) -> Path:
    """Print the form to ``path`` as a one-page A4 PDF (written whole or not at all)."""
    ensure_app()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        writer = QPdfWriter(str(partial))
        writer.setResolution(RESOLUTION)
        writer.setTitle(p.title)
        writer.setCreator("QA Studio")
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                QPageLayout.Unit.Millimeter,
            )
        )
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(writer)  # lay out in the printer's own units
        doc.setDefaultFont(QFont("DejaVu Sans", 9))
        doc.setDocumentMargin(0)
        doc.setHtml(evaluation_html(p))
        page = writer.pageLayout().paintRectPixels(RESOLUTION)
        scale = fit_scale(doc, page.width(), page.height())
        painter = QPainter(writer)
        try:
            painter.scale(scale, scale)
            doc.drawContents(painter)
        finally:
            painter.end()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def fit_scale(doc: QTextDocument, width: float, height: float) -> float:
    """The scale at which ``doc``, laid out to fill ``width`` once scaled, is at most ``height``
    tall: 1 when it fits, else re-laid out a little wider (so the smaller text still spans
    the page) until it fits."""
    scale = 1.0
    for _ in range(8):
        doc.setTextWidth(width / scale)
        tall = doc.size().height() * scale
        if tall <= height:
            return scale
        scale *= height / tall * 0.995
    doc.setTextWidth(width / scale)
    return min(scale, height / doc.size().height())


def write_evaluation_form(p: PrintableEvaluation, path: str | Path) -> Path:
    """Write the form as the file name says: ``.xlsx`` (Excel) or anything else as PDF."""
    if Path(path).suffix.lower() == ".xlsx":
        from qa_studio.export.evaluation_form import write_evaluation_xlsx

        return write_evaluation_xlsx(p, path)
    return write_evaluation_pdf(p, path)
