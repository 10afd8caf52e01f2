"""One evaluation as a printed form shows it: who, what, every answer with its comments and
playback times, the score, disputes — the data both printable exports (XLSX and PDF) draw.

Exporters take data, not a database (ARCHITECTURE.md § Headless rendering): the Excel form
(``export.evaluation_form``) and the PDF (``ui.views.evaluation_print``) both print a
``PrintableEvaluation``, so the two never disagree. Comments are returned as stored; the
exporters redact card and phone numbers, as coaching packs do.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.domain.scoring import score
from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.errors import DataRefused
from qa_studio.scorecards.schema import Question
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import evaluations, scorecards


@dataclass(frozen=True)
class SheetNote:
    at_s: float | None
    text: str
    author: str | None


@dataclass(frozen=True)
class SheetAnswer:
    key: str
    text: str
    answer: str  # as printed: "Yes", "No", "N/A", "4 of 5", an option label, "—" unanswered
    points: float | None
    max_points: float | None
    result: str  # "Pass", "Fail", "N/A", "—"
    critical: bool
    fatal: bool
    regulation: str | None
    notes: tuple[SheetNote, ...]


@dataclass(frozen=True)
class SheetSection:
    name: str
    percent: float | None
    answers: tuple[SheetAnswer, ...]


@dataclass(frozen=True)
class SheetDispute:
    question_key: str
    status: str
    reason: str
    resolution: str | None


@dataclass(frozen=True)
class PrintableEvaluation:
    id: int
    revision: int
    status: str
    scorecard: str
    scorecard_ref: str
    target: float
    interaction: str
    channel: str
    contact_at: str  # "15/06/2026 12:00" London
    duration_s: float | None
    recording_path: str | None
    agent: str | None
    agent_id: str | None
    team: str | None
    leader: str | None
    evaluator: str
    signed_by: str | None
    signed_at: str | None
    acknowledged_by: str | None
    acknowledged_at: str | None
    score: float | None
    max_score: float | None
    percent: float | None
    fatal: bool
    comment: str | None
    sections: tuple[SheetSection, ...]
    general_notes: tuple[SheetNote, ...]
    disputes: tuple[SheetDispute, ...]

    @property
    def result(self) -> str:
        """``Meets target``, ``Below target``, ``Fatal fail`` or ``Not scored``."""
        if self.fatal:
            return "Fatal fail"
        if self.percent is None:
            return "Not scored"
        return "Meets target" if self.percent >= self.target else "Below target"

    @property
    def title(self) -> str:
        return f"Evaluation {self.id} · {self.scorecard}"


def london(iso: str | None) -> str | None:
    """``dd/mm/yyyy hh:mm`` in London, as the form prints every time."""
    if not iso:
        return None
    return parse_iso(iso).astimezone(LONDON).strftime("%d/%m/%Y %H:%M")


def _answer_text(q: Question, value: object) -> str:
    if value is None:
        return "—"
    if value == "na":
        return "N/A"
    if q.type == "yes_no":
        return str(value).capitalize()
    if q.type == "scale" and q.scale is not None:
        anchor = q.scale.anchors.get(int(value)) if isinstance(value, int) else None
        return f"{value} of {q.scale.max}" + (f" ({anchor})" if anchor else "")
    return str(value)


def printable_evaluation(ws: Workspace, evaluation_id: int) -> PrintableEvaluation:
    """Everything the printed form of evaluation ``evaluation_id`` shows."""
    e = evaluations.get(ws, evaluation_id)
    if e.status == "draft":
        raise DataRefused(
            f"evaluation {evaluation_id} is a draft: only a submitted evaluation can be printed."
        )
    version = scorecards.get_version(ws, e.scorecard_version_id)
    card = version.card
    row = ws.db.execute(
        "SELECT i.channel, i.started_at, i.duration_s, i.recording_path, a.name, a.external_id, "
        "t.name, l.name FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id "
        "LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN evaluators l ON l.id = t.leader_id "
        "WHERE i.id = ?",
        [e.interaction_id],
    ).fetchone()
    points = {
        r[0]: (r[1], r[2], bool(r[3]))
        for r in ws.db.execute(
            "SELECT question_key, points, max_points, failed FROM answers WHERE evaluation_id = ?",
            [e.id],
        )
    }
    result = score(card, e.answers, partial=True)
    notes: dict[str | None, list[SheetNote]] = {}
    for n in e.notes:
        notes.setdefault(n.question_key, []).append(SheetNote(n.at_s, n.text, n.author))
    sections = []
    for s in card.sections:
        answers = []
        for q in s.questions:
            value = e.answers.get(q.key)
            got, most, failed = points.get(q.key, (None, None, False))
            verdict = (
                "—" if value is None else "N/A" if value == "na" else ("Fail" if failed else "Pass")
            )
            answers.append(
                SheetAnswer(
                    q.key,
                    q.text,
                    _answer_text(q, value),
                    got,
                    most,
                    verdict,
                    q.critical,
                    q.fatal,
                    q.regulation,
                    tuple(notes.get(q.key, ())),
                )
            )
        section_score = result.sections.get(s.key)
        sections.append(
            SheetSection(s.name, section_score.percent if section_score else None, tuple(answers))
        )
    found = ws.db.execute(
        "SELECT question_key, status, reason, resolution FROM disputes WHERE evaluation_id = ? "
        "ORDER BY raised_at, id",
        [e.id],
    ).fetchall()
    return PrintableEvaluation(
        id=e.id,
        revision=e.revision,
        status=e.status,
        scorecard=version.name,
        scorecard_ref=version.ref,
        target=card.target,
        interaction=e.interaction_external_id,
        channel=row[0],
        contact_at=london(row[1]) or "",
        duration_s=row[2],
        recording_path=row[3],
        agent=row[4],
        agent_id=row[5],
        team=row[6],
        leader=row[7],
        evaluator=e.evaluator,
        signed_by=e.signed_by,
        signed_at=london(e.signed_at),
        acknowledged_by=e.acknowledged_by,
        acknowledged_at=london(e.acknowledged_at),
        score=e.score,
        max_score=e.max_score,
        percent=e.percent,
        fatal=e.fatal,
        comment=e.comment,
        sections=tuple(sections),
        general_notes=tuple(notes.get(None, ())),
        disputes=tuple(SheetDispute(*r) for r in found),
    )
