"""A small, fully known contact centre for the sampling tests.

Teams Blue (leader Lena, a team leader who also evaluates) and Red (leader Rob); evaluators Ann
and Bo (20/week, every channel), Cy (20/week, chat only) and QA lead Quinn (10/week); agents
A01…A06 (A01–A03 Blue, A04–A06 Red; A06 a new starter, A05 on an improvement plan). Each agent
handles ``per_agent`` contacts in October 2026 over voice and chat (and a few abandoned contacts
with no agent); every 10th contact is a formal complaint.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from qa_studio.domain.models import Agent, Evaluator, Interaction
from qa_studio.storage.repository import people
from qa_studio.storage.repository.interactions import upsert_interactions

AGENTS = ("A01", "A02", "A03", "A04", "A05", "A06")


def build(
    ws,
    per_agent: int = 30,
    *,
    month_start: datetime | None = None,
    extra: list[Interaction] | None = None,
) -> None:
    start = month_start or datetime(2026, 10, 1, 8, tzinfo=UTC)
    with ws.db.atomic():
        ids = {}
        for name, role, cap, skills in (
            ("Ann", "evaluator", 20, {"channels": ["voice", "chat"]}),
            ("Bo", "evaluator", 20, {}),
            ("Cy", "evaluator", 20, {"channels": ["chat"]}),
            ("Quinn", "qa_lead", 10, {}),
            ("Lena", "team_leader", 5, {}),
            ("Rob", "team_leader", 5, {}),
        ):
            ids[name] = people.ensure_evaluator(ws, Evaluator(None, name, role, cap, skills))
        people.ensure_team(ws, "Blue", ids["Lena"])
        people.ensure_team(ws, "Red", ids["Rob"])
        resolver = people.AgentResolver(ws)
        for n, ext in enumerate(AGENTS):
            resolver.add(
                Agent(
                    None,
                    ext,
                    f"Agent {ext}",
                    "Blue" if n < 3 else "Red",
                    started_on="2026-09-01" if ext == "A06" else "2020-01-01",
                    on_improvement_plan=ext == "A05",
                )
            )
        rows = []
        for a, ext in enumerate(AGENTS):
            for i in range(per_agent):
                at = start + timedelta(hours=a * 3 + i * 13)
                rows.append(
                    Interaction(
                        external_id=f"{ext}-{i:03d}",
                        channel="voice" if i % 3 else "chat",
                        started_at=at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        agent_external_id=ext,
                        queue="Billing" if i % 2 else "Faults",
                        duration_s=60.0 + 10 * i,
                        hold_s=5.0,
                        wrap_s=20.0,
                        customer_ref=f"CU-{a}-{i}",
                        csat=None if i % 4 else 1 + i % 5,
                        complaint="formal" if i % 10 == 0 else "none",
                    )
                )
        for i in range(5):
            rows.append(
                Interaction(
                    external_id=f"AB-{i}",
                    channel="voice",
                    started_at=(start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                )
            )
        upsert_interactions(ws, rows + list(extra or []), resolver=resolver)


def evaluator_id(ws, name: str) -> int:
    return ws.db.execute("SELECT id FROM evaluators WHERE name = ?", [name]).fetchone()[0]


def counts(ws, table: str) -> int:
    return ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
