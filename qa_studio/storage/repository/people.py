"""Teams, agents and evaluators: created on first sight, looked up by their natural keys.

Importers meet agents by external id and teams by name; these helpers keep a per-call cache so a
million-row import does not query once per row.
"""

from __future__ import annotations

import json
import random

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import Agent, Evaluator
from qa_studio.storage.db import Workspace


def ensure_evaluator(ws: Workspace, ev: Evaluator, rng: random.Random | None = None) -> int:
    """Insert the evaluator if their name is new; return the id either way."""
    row = ws.db.execute("SELECT id FROM evaluators WHERE name = ?", [ev.name]).fetchone()
    if row:
        return int(row[0])
    cur = ws.db.execute(
        "INSERT INTO evaluators (uuid, name, role, capacity_per_week, skills, absent, active) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            new_uuid(rng),
            ev.name,
            ev.role,
            ev.capacity_per_week,
            json.dumps(ev.skills),
            json.dumps([list(a) for a in ev.absent]),
            int(ev.active),
        ],
    )
    return int(cur.lastrowid)


def ensure_team(
    ws: Workspace, name: str, leader_id: int | None = None, rng: random.Random | None = None
) -> int:
    row = ws.db.execute("SELECT id, leader_id FROM teams WHERE name = ?", [name]).fetchone()
    if row:
        if leader_id is not None and row[1] != leader_id:
            ws.db.execute("UPDATE teams SET leader_id = ? WHERE id = ?", [leader_id, row[0]])
        return int(row[0])
    cur = ws.db.execute(
        "INSERT INTO teams (uuid, name, leader_id) VALUES (?, ?, ?)",
        [new_uuid(rng), name, leader_id],
    )
    return int(cur.lastrowid)


class AgentResolver:
    """Maps agent external ids to row ids, creating agents (and teams) on first sight."""

    def __init__(self, ws: Workspace, rng: random.Random | None = None) -> None:
        self.ws = ws
        self.rng = rng
        self._ids: dict[str, int] = {}
        self._teams: dict[str, int] = {}
        self.created = 0

    def team_id(self, name: str | None) -> int | None:
        if not name:
            return None
        if name not in self._teams:
            self._teams[name] = ensure_team(self.ws, name, rng=self.rng)
        return self._teams[name]

    def agent_id(
        self, external_id: str | None, name: str | None = None, team: str | None = None
    ) -> int | None:
        if not external_id:
            return None
        cached = self._ids.get(external_id)
        if cached is not None:
            return cached
        row = self.ws.db.execute(
            "SELECT id FROM agents WHERE external_id = ?", [external_id]
        ).fetchone()
        if row:
            self._ids[external_id] = int(row[0])
            return int(row[0])
        cur = self.ws.db.execute(
            "INSERT INTO agents (uuid, external_id, name, team_id) VALUES (?, ?, ?, ?)",
            [new_uuid(self.rng), external_id, name or external_id, self.team_id(team)],
        )
        self._ids[external_id] = int(cur.lastrowid)
        self.created += 1
        return int(cur.lastrowid)

    def add(self, agent: Agent) -> int:
        """Insert or update a fully described agent (the demo builder and roster imports)."""
        team_id = self.team_id(agent.team)
        row = self.ws.db.execute(
            "SELECT id FROM agents WHERE external_id = ?", [agent.external_id]
        ).fetchone()
        values = [
            agent.name,
            team_id,
            agent.started_on,
            int(agent.on_improvement_plan),
            int(agent.active),
        ]
        if row:
            self.ws.db.execute(
                "UPDATE agents SET name = ?, team_id = ?, started_on = ?, on_improvement_plan = ?, "
                "active = ? WHERE id = ?",
                [*values, row[0]],
            )
            agent_id = int(row[0])
        else:
            cur = self.ws.db.execute(
                "INSERT INTO agents (uuid, external_id, name, team_id, started_on, "
                "on_improvement_plan, active) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [new_uuid(self.rng), agent.external_id, *values],
            )
            agent_id = int(cur.lastrowid)
        self._ids[agent.external_id] = agent_id
        return agent_id
