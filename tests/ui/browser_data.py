"""A small, fully known set of interactions for the browser tests.

40 contacts over ten October days: three teams, five agents (plus abandoned contacts with no
agent), every channel we filter on, both kinds of complaint, vulnerable customers, missing CSAT
and transcripts with per-turn times. Tests compare what the screens show with plain Python over
``ROWS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.domain.models import Interaction, Transcript, Turn
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.interactions import (
    interaction_id,
    set_transcript,
    upsert_interactions,
)

AGENTS = (
    ("amy", "Amy Khan", "Billing"),
    ("ben", "Ben Ward", "Billing"),
    ("cat", "Cat Doyle", "Faults"),
    ("dev", "Dev Patel", "Faults"),
    ("eve", "Eve Moss", "Payments"),
)
CHANNELS = ("voice", "chat", "email")


@dataclass(frozen=True)
class Row:
    external_id: str
    channel: str
    started_at: str
    agent: str | None
    team: str | None
    duration_s: float
    csat: int | None
    complaint: str
    vulnerable: bool


def _rows() -> list[Row]:
    rows = []
    for n in range(40):
        channel = CHANNELS[n % 3]
        prefix = {"voice": "VC", "chat": "CH", "email": "EM"}[channel]
        agent = None if n % 13 == 12 else AGENTS[n % 5]
        day, hour = 1 + n // 4, 8 + (n * 3) % 10
        rows.append(
            Row(
                external_id=f"{prefix}-{n:04d}",
                channel=channel,
                started_at=f"2026-10-{day:02d}T{hour:02d}:{(n * 7) % 60:02d}:00Z",
                agent=agent[1] if agent else None,
                team=agent[2] if agent else None,
                duration_s=float(60 + (n * 37) % 900),
                csat=None if n % 4 == 3 else 1 + n % 5,
                complaint="formal" if n % 10 == 7 else "informal" if n % 10 == 4 else "none",
                vulnerable=n % 6 == 5,
            )
        )
    return rows


ROWS: list[Row] = _rows()


def transcript_for(row: Row) -> Transcript:
    who = row.agent or "Agent"
    return Transcript(
        "json",
        (
            Turn(who, "agent", f"Hello, you're through to {who}. How can I help?", 0.0, 4.0),
            Turn(
                "Customer", "customer", f"I'm calling about reference {row.external_id}.", 4.5, 9.0
            ),
            Turn(who, "agent", "Thanks, let me look into that for you.", 12.0, 15.5),
        ),
    )


def fill(ws: Workspace) -> None:
    """Store ``ROWS`` (and a transcript for every voice and chat contact) in one transaction."""
    by_name = {name: (ext, team) for ext, name, team in AGENTS}
    with ws.db.atomic():
        upsert_interactions(
            ws,
            [
                Interaction(
                    external_id=r.external_id,
                    channel=r.channel,
                    started_at=r.started_at,
                    agent_external_id=by_name[r.agent][0] if r.agent else None,
                    agent_name=r.agent,
                    team=r.team,
                    queue="Billing" if r.team == "Billing" else "Support",
                    duration_s=r.duration_s,
                    csat=r.csat,
                    complaint=r.complaint,
                    vulnerable=r.vulnerable,
                    fcr=None if r.csat is None else r.csat >= 3,
                    recording_path="media/missing.wav" if r.channel == "voice" else None,
                )
                for r in ROWS
            ],
        )
        for r in ROWS:
            if r.channel != "email":
                set_transcript(ws, interaction_id(ws, r.external_id), transcript_for(r))


def newest_first(rows: list[Row]) -> list[str]:
    return [r.external_id for r in sorted(rows, key=lambda r: r.started_at, reverse=True)]
