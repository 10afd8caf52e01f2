"""The interaction browser's data: filter and row types, filter options, summary, one detail.

The page engine — ``BrowserQuery``, the counts, sorts and pages that stay fast on millions of rows —
lives beside it in ``browser_query``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qa_studio.domain.models import CHANNELS, Interaction, Transcript
from qa_studio.errors import QAStudioError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.interactions import get_transcript

COMPLAINT_FILTERS: tuple[str, ...] = ("any", "none", "informal", "formal")


class SortRefused(QAStudioError):
    """A sort that would order too many rows without an index."""


@dataclass(frozen=True)
class BrowserFilter:
    """What the user narrowed the list to; ``None``/empty means "no restriction".

    ``started_from``/``started_before`` are UTC ISO bounds [from, before) — the view converts the
    London calendar days the user picked. ``complaint`` is one of ``COMPLAINT_FILTERS`` (``any`` =
    informal or formal).
    """

    team_id: int | None = None
    agent_id: int | None = None
    channel: str | None = None
    started_from: str | None = None
    started_before: str | None = None
    complaint: str | None = None
    vulnerable_only: bool = False
    external_id_prefix: str = ""


@dataclass(frozen=True)
class BrowserSort:
    key: str = "started_at"
    descending: bool = True


@dataclass(frozen=True)
class BrowserRow:
    id: int
    external_id: str
    channel: str
    started_at: str
    agent: str | None
    team: str | None
    queue: str | None
    duration_s: float | None
    csat: int | None
    fcr: int | None
    complaint: str
    vulnerable: bool


@dataclass(frozen=True)
class AgentOption:
    id: int
    name: str
    external_id: str
    team_id: int | None


@dataclass(frozen=True)
class FilterOptions:
    teams: list[tuple[int, str]]
    agents: list[AgentOption]
    channels: list[str]
    first_started: str | None
    last_started: str | None


@dataclass(frozen=True)
class Summary:
    interactions: int
    agents: int
    teams: int
    evaluations: int
    transcripts: int


@dataclass(frozen=True)
class InteractionDetail:
    interaction: Interaction
    uuid: str
    imported_at: str
    transcript: Transcript | None
    recording_file: Path | None
    recording_exists: bool
    screen_recording_file: Path | None
    screen_recording_exists: bool


def filter_options(ws: Workspace) -> FilterOptions:
    """Choices for the filter widgets; every query is an index lookup, whatever the size."""
    channels = [
        c
        for c in CHANNELS
        if ws.db.execute(
            "SELECT EXISTS (SELECT 1 FROM interactions WHERE channel = ?)", [c]
        ).fetchone()[0]
    ]
    first = ws.db.execute("SELECT min(started_at) FROM interactions").fetchone()[0]
    last = ws.db.execute("SELECT max(started_at) FROM interactions").fetchone()[0]
    return FilterOptions(list_teams(ws), list_agents(ws), channels, first, last)


def summary(ws: Workspace) -> Summary:
    def n(table: str) -> int:  # table names from the literals below only
        return int(ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    return Summary(n("interactions"), n("agents"), n("teams"), n("evaluations"), n("transcripts"))


def interaction_detail(ws: Workspace, interaction_id: int) -> InteractionDetail | None:
    """Everything the detail pane shows about one interaction, or None if it is gone."""
    row = ws.db.execute(
        "SELECT i.external_id, i.channel, i.started_at, a.external_id, a.name, t.name, i.queue,"
        " i.direction, i.ended_at, i.queue_wait_s, i.duration_s, i.hold_s, i.wrap_s,"
        " i.customer_ref, i.outcome, i.csat, i.fcr, i.complaint, i.vulnerable, i.tags,"
        " i.recording_path, i.screen_recording_path, i.source, i.id, i.uuid, i.imported_at"
        " FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id"
        " LEFT JOIN teams t ON t.id = a.team_id WHERE i.id = ?",
        [interaction_id],
    ).fetchone()
    if row is None:
        return None
    item = Interaction(
        external_id=row[0],
        channel=row[1],
        started_at=row[2],
        agent_external_id=row[3],
        agent_name=row[4],
        team=row[5],
        queue=row[6],
        direction=row[7],
        ended_at=row[8],
        queue_wait_s=row[9],
        duration_s=row[10],
        hold_s=row[11],
        wrap_s=row[12],
        customer_ref=row[13],
        outcome=row[14],
        csat=row[15],
        fcr=None if row[16] is None else bool(row[16]),
        complaint=row[17],
        vulnerable=bool(row[18]),
        tags=tuple(json.loads(row[19] or "[]")),
        recording_path=row[20],
        screen_recording_path=row[21],
        source=row[22],
        id=row[23],
    )
    recording = ws.resolve_media(item.recording_path)
    screen = ws.resolve_media(item.screen_recording_path)
    return InteractionDetail(
        interaction=item,
        uuid=row[24],
        imported_at=row[25],
        transcript=get_transcript(ws, interaction_id),
        recording_file=recording,
        recording_exists=bool(recording and recording.is_file()),
        screen_recording_file=screen,
        screen_recording_exists=bool(screen and screen.is_file()),
    )


def list_teams(ws: Workspace) -> list[tuple[int, str]]:
    rows = ws.db.execute("SELECT id, name FROM teams ORDER BY name COLLATE NOCASE, id")
    return [(int(r[0]), r[1]) for r in rows]


def list_agents(ws: Workspace) -> list[AgentOption]:
    rows = ws.db.execute(
        "SELECT id, name, external_id, team_id FROM agents ORDER BY name COLLATE NOCASE, id"
    )
    return [AgentOption(int(r[0]), r[1], r[2], r[3]) for r in rows]
