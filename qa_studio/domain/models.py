"""Domain records as frozen dataclasses.

The repository returns these instead of rows so that the UI, exporters and statistics never depend
on column names or on SQLite; they are also what importers produce before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Channel = Literal["voice", "chat", "email", "social", "task"]
CHANNELS: tuple[str, ...] = ("voice", "chat", "email", "social", "task")
Complaint = Literal["none", "informal", "formal"]
COMPLAINTS: tuple[str, ...] = ("none", "informal", "formal")
Role = Literal["agent", "customer", "system"]
ROLES: tuple[str, ...] = ("agent", "customer", "system")
EVALUATOR_ROLES: tuple[str, ...] = ("evaluator", "team_leader", "qa_lead")
EVALUATION_STATUSES: tuple[str, ...] = ("draft", "submitted", "signed_off", "disputed", "final")
#: Statuses that count toward scores, packs, dashboards and statistics (ARCHITECTURE.md).
COUNTED_STATUSES: tuple[str, ...] = ("submitted", "signed_off", "disputed", "final")
EVALUATION_SOURCES: tuple[str, ...] = (
    "sample",
    "ad_hoc",
    "targeted",
    "calibration",
    "mystery_shop",
)


@dataclass(frozen=True)
class Team:
    id: int | None
    name: str
    leader: str | None = None


@dataclass(frozen=True)
class Agent:
    id: int | None
    external_id: str
    name: str
    team: str | None = None
    started_on: str | None = None
    on_improvement_plan: bool = False
    active: bool = True


@dataclass(frozen=True)
class Evaluator:
    id: int | None
    name: str
    role: str = "evaluator"
    capacity_per_week: int = 20
    skills: dict = field(default_factory=dict)
    absent: tuple[tuple[str, str], ...] = ()
    active: bool = True


@dataclass(frozen=True)
class Turn:
    """One turn of a conversation; times are seconds from the start of the recording or chat."""

    speaker: str
    role: str
    text: str
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True)
class Transcript:
    format: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Interaction:
    """A contact as stored: ``agent_external_id`` is None for contacts no agent handled."""

    external_id: str
    channel: str
    started_at: str
    agent_external_id: str | None = None
    agent_name: str | None = None
    team: str | None = None
    queue: str | None = None
    direction: str | None = None
    ended_at: str | None = None
    queue_wait_s: float | None = None
    duration_s: float | None = None
    hold_s: float | None = None
    wrap_s: float | None = None
    customer_ref: str | None = None
    outcome: str | None = None
    csat: int | None = None
    fcr: bool | None = None
    complaint: str = "none"
    vulnerable: bool = False
    tags: tuple[str, ...] = ()
    recording_path: str | None = None
    screen_recording_path: str | None = None
    source: str | None = None
    id: int | None = None
