"""The browser's detail pane: every stored field of one interaction, then its transcript.

An evaluator deciding whether a contact is worth scoring wants the facts at a glance — who, when,
how long, CSAT, complaint and vulnerability flags — and whether the recording is actually on disk
(a path that points nowhere is the commonest surprise after an import), so the pane says so.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.storage.repository.browser import InteractionDetail
from qa_studio.ui.models.interactions_model import format_duration
from qa_studio.ui.widgets.transcript_view import TranscriptView

MISSING = "#a01818"
FOUND = "#2f6b2f"


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return parse_iso(iso).astimezone(LONDON).strftime("%a %d %b %Y, %H:%M:%S")
    except ValueError:
        return iso


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _media(path: object, exists: bool) -> str:
    if path is None:
        return "<span style='color:#707070'>none</span>"
    mark = (f"<span style='color:{FOUND}'>✓ file found</span>" if exists
            else f"<span style='color:{MISSING}'>✗ file missing</span>")  # fmt: skip
    return f"{escape(str(path))}<br>{mark}"


def metadata_rows(detail: InteractionDetail) -> list[tuple[str, str]]:
    """(label, HTML value) pairs in reading order; values are escaped here."""
    it = detail.interaction
    agent = it.agent_name or ""
    if it.agent_external_id and it.agent_external_id != agent:
        agent = f"{agent} ({it.agent_external_id})"
    rows = [
        ("External id", it.external_id),
        ("Channel", it.channel.capitalize() + (f", {it.direction}" if it.direction else "")),
        ("Agent", agent or "no agent (abandoned)"),
        ("Team", it.team or ""),
        ("Queue", it.queue or ""),
        ("Started", _when(it.started_at)),
        ("Ended", _when(it.ended_at)),
        ("Duration", format_duration(it.duration_s)),
        ("Queue wait", format_duration(it.queue_wait_s)),
        ("Hold", format_duration(it.hold_s)),
        ("Wrap-up", format_duration(it.wrap_s)),
        ("CSAT", "" if it.csat is None else f"{it.csat} / 5"),
        ("FCR", _yes_no(it.fcr)),
        ("Complaint", "" if it.complaint == "none" else it.complaint.capitalize()),
        ("Vulnerable", "Yes" if it.vulnerable else "No"),
        ("Customer", it.customer_ref or ""),
        ("Outcome", it.outcome or ""),
        ("Tags", ", ".join(it.tags)),
        ("Source", it.source or ""),
        ("Imported", _when(detail.imported_at)),
    ]
    html = [(label, escape(value)) for label, value in rows]
    html.append(("Recording", _media(detail.recording_file, detail.recording_exists)))
    if detail.screen_recording_file is not None:
        html.append(
            (
                "Screen recording",
                _media(detail.screen_recording_file, detail.screen_recording_exists),
            )
        )
    html.append(("UUID", f"<span style='color:#707070'>{escape(detail.uuid)}</span>"))
    return html


def metadata_html(detail: InteractionDetail) -> str:
    """Two label/value pairs per line: twenty-odd fields without a long scroll."""
    rows = metadata_rows(detail)
    wide = [r for r in rows if r[0] in ("Recording", "Screen recording", "UUID", "Tags", "Outcome")]
    narrow = [r for r in rows if r not in wide]
    label = "<td style='color:#555555; padding-right:6px' valign='top'>{}</td>"
    value = "<td style='padding-right:18px' valign='top'{}>{}</td>"
    lines = []
    for i in range(0, len(narrow), 2):
        cells = [label.format(escape(k)) + value.format("", v) for k, v in narrow[i : i + 2]]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    for k, v in wide:
        lines.append("<tr>" + label.format(escape(k)) + value.format(" colspan='3'", v) + "</tr>")
    return "<table cellspacing='0' cellpadding='2'>" + "".join(lines) + "</table>"


class DetailPane(QWidget):
    """Title across the top; metadata on the left and the transcript on the right, in a splitter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.metadata = QTextBrowser()
        self.metadata.setOpenLinks(False)
        self.transcript = TranscriptView()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.metadata)
        self.splitter.addWidget(self.transcript)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.metadata.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.transcript.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.splitter, 1)
        self.show_detail(None)

    def show_detail(self, detail: InteractionDetail | None) -> None:
        if detail is None:
            self.title.setText("No interaction selected")
            self.metadata.setHtml(
                "<p style='color:#707070'>Select a row to see its details and transcript.</p>"
            )
            self.transcript.set_transcript(None)
            return
        it = detail.interaction
        who = it.agent_name or "no agent"
        self.title.setText(f"{it.external_id} · {it.channel.capitalize()} · {who}")
        self.metadata.setHtml(metadata_html(detail))
        self.transcript.set_transcript(detail.transcript)
