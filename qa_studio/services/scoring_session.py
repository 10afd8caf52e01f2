"""One evaluation being scored: what the scoring screen shows and every change it saves.

A thin, Qt-free layer between the scoring view and the repositories. It gathers what the screen
needs in one place (the evaluation, its scorecard version, the interaction, its transcript and
recording) and turns each user action into exactly one repository call, so every answer is
committed the moment it is given — a crash loses at most the comment being typed. The running
score is recomputed here with the same engine the repository stores, so the screen never shows a
number the database would not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa_studio.domain import lifecycle
from qa_studio.domain.models import Transcript
from qa_studio.domain.scoring import ScoreResult, score
from qa_studio.errors import DataRefused
from qa_studio.scorecards.schema import Scorecard
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import browser, evaluations, scorecards
from qa_studio.storage.repository.evaluations import EvaluationRecord, Note
from qa_studio.storage.repository.scorecards import ScorecardVersion

#: Channels whose contacts are listened to; others are read (transcript only).
AUDIO_CHANNELS: frozenset[str] = frozenset({"voice"})


@dataclass(frozen=True)
class InteractionInfo:
    """What the scoring screen's header and player need to know about the contact."""

    id: int
    external_id: str
    channel: str
    agent: str | None
    queue: str | None
    started_at: str | None
    duration_s: float | None
    recording_path: str | None
    transcript: Transcript | None


@dataclass(frozen=True)
class QueueEntry:
    """One line of the evaluator's scoring queue."""

    evaluation_id: int
    interaction_external_id: str
    scorecard: str
    status: str
    answered: int
    total: int
    started_at: str

    @property
    def label(self) -> str:
        return (
            f"{self.interaction_external_id} · {self.scorecard}\n"
            f"{self.answered}/{self.total} answered · {self.status.replace('_', ' ')}"
        )


def interaction_info(ws: Workspace, interaction_id: int) -> InteractionInfo:
    """The interaction's header facts; ``DataRefused`` when it no longer exists."""
    detail = browser.interaction_detail(ws, interaction_id)
    if detail is None:
        raise DataRefused(f"there is no interaction with id {interaction_id}.")
    it = detail.interaction
    return InteractionInfo(
        interaction_id,
        it.external_id,
        it.channel,
        it.agent_name,
        it.queue,
        it.started_at,
        it.duration_s,
        it.recording_path,
        detail.transcript,
    )


def evaluator_role(ws: Workspace, name: str | None) -> str | None:
    """The evaluator's role (``qa_lead`` …) or None for an unknown name."""
    if not name:
        return None
    try:
        return evaluations.evaluator(ws, name).role
    except DataRefused:
        return None


def candidate_versions(ws: Workspace, channel: str | None) -> list[ScorecardVersion]:
    """The latest version of every published card: the contact's channel first, then ``any``."""
    found = [scorecards.latest(ws, key) for key, *_ in scorecards.list_cards(ws)]
    versions = [v for v in found if v is not None]

    def rank(v: ScorecardVersion) -> tuple[int, str]:
        return (0 if v.channel == channel else 1 if v.channel == "any" else 2, v.name)

    return sorted(versions, key=rank)


def default_version(ws: Workspace, channel: str | None) -> ScorecardVersion | None:
    """The one published card for this channel, or None when there are none or several."""
    matching = [v for v in candidate_versions(ws, channel) if v.channel == channel]
    return matching[0] if len(matching) == 1 else None


def queue(ws: Workspace, evaluator: str) -> list[QueueEntry]:
    """The evaluator's drafts, oldest first."""
    out = []
    cache: dict[int, ScorecardVersion] = {}
    for record in evaluations.drafts(ws, evaluator):
        version = cache.get(record.scorecard_version_id)
        if version is None:
            version = cache[record.scorecard_version_id] = scorecards.get_version(
                ws, record.scorecard_version_id
            )
        out.append(QueueEntry(record.id, record.interaction_external_id, version.name,
                              record.status, len(record.answers),
                              len(version.card.questions()), record.started_at))  # fmt: skip
    return out


def open_for_interaction(ws: Workspace, interaction_id: int, evaluator: str,
                         version_id: int) -> ScoringSession:  # fmt: skip
    """Resume the evaluator's draft of this interaction on that card, or start one."""
    version = scorecards.get_version(ws, version_id)
    record = evaluations.find_draft(ws, interaction_id, evaluator, scorecard_key=version.key)
    if record is None:
        record = evaluations.start(ws, interaction_id, version_id, evaluator)
    return ScoringSession(ws, record.id, evaluator)


class ScoringSession:
    """The open evaluation; ``actor`` is the evaluator using the screen (signer, reopener)."""

    def __init__(self, ws: Workspace, evaluation_id: int, actor: str) -> None:
        self.ws = ws
        self.actor = actor
        self.record: EvaluationRecord = evaluations.get(ws, evaluation_id)
        self.version: ScorecardVersion = scorecards.get_version(
            ws, self.record.scorecard_version_id
        )
        self.interaction: InteractionInfo = interaction_info(ws, self.record.interaction_id)
        self.transcript: Transcript | None = self.interaction.transcript
        self.role = evaluator_role(ws, actor)

    # -- what the screen shows --------------------------------------------------------------
    @property
    def card(self) -> Scorecard:
        return self.version.card

    @property
    def evaluation_id(self) -> int:
        return self.record.id

    @property
    def has_audio(self) -> bool:
        return self.interaction.channel in AUDIO_CHANNELS

    def recording(self) -> Path | None:
        """The recording's absolute path (relative paths are inside the workspace folder)."""
        return self.ws.resolve_media(self.interaction.recording_path)

    def result(self) -> ScoreResult:
        return score(self.card, self.record.answers, partial=True)

    def editable(self) -> bool:
        return self.record.status in lifecycle.EDITABLE

    def allowed(self, action: str) -> bool:
        is_owner = self.record.evaluator == self.actor
        return action in lifecycle.allowed_actions(self.record.status, self.role,
                                                   is_owner=is_owner)  # fmt: skip

    def missing(self) -> list[str]:
        return self.result().missing

    # -- what the evaluator does (one transaction each) -------------------------------------
    def answer(self, question_key: str, value: object) -> EvaluationRecord:
        self.record = evaluations.save_answer(self.ws, self.record.id, question_key, value)
        return self.record

    def add_note(self, text: str, question_key: str | None, at_s: float | None) -> Note:
        note = evaluations.add_note(self.ws, self.record.id, text, question_key=question_key,
                                    at_s=at_s)  # fmt: skip
        self.record = evaluations.get(self.ws, self.record.id)
        return note

    def set_comment(self, text: str) -> EvaluationRecord:
        self.record = evaluations.set_comment(self.ws, self.record.id, text)
        return self.record

    def submit(self) -> EvaluationRecord:
        self.record = evaluations.submit(self.ws, self.record.id)
        return self.record

    def sign_off(self) -> EvaluationRecord:
        self.record = evaluations.sign_off(self.ws, self.record.id, self.actor)
        return self.record

    def reopen(self, reason: str) -> EvaluationRecord:
        self.record = evaluations.reopen(self.ws, self.record.id, self.actor, reason)
        return self.record
