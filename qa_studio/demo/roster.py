"""The demo's people: teams with their queues and leaders, agents, QA evaluators and a QA lead.

What later demo steps need to know about a person beyond the stored row (how good an agent is,
whether they are new) lives on ``DemoAgent.profile``, so evaluations, calibration and coaching can
be generated with patterns a QA lead would recognise.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from qa_studio.demo import names
from qa_studio.domain.models import Agent, Evaluator
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.people import AgentResolver, ensure_evaluator, ensure_team

#: (team, queues it answers, its leader). Teams beyond the third appear in larger demos.
TEAMS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Leeds Billing & Payments", ("Billing", "Payments"), "Karen Whitworth"),
    ("Cardiff Broadband Support", ("Broadband Faults", "Moving Home"), "Rhys Pritchard"),
    ("Glasgow Customer Care", ("Complaints", "Bereavement", "Payments"), "Fiona McLeod"),
    ("Sheffield Service Desk", ("Billing", "Broadband Faults"), "Marcus Reid"),
    ("Bristol Home Moves", ("Moving Home", "Billing"), "Helen Osei"),
)
SCORECARDS = ("voice_service", "chat_service", "email_service", "complaint_handling", "compliance")
#: (name, role, capacity per week, channels, scorecards, absent days before --end or None).
QA_TEAM: tuple[
    tuple[str, str, int, tuple[str, ...], tuple[str, ...], tuple[int, int] | None], ...
] = (
    ("Joanne Birch", "qa_lead", 10, ("voice", "chat", "email"), SCORECARDS, None),
    (
        "Sam Ellery",
        "evaluator",
        35,
        ("voice", "chat", "email"),
        ("voice_service", "chat_service", "email_service", "compliance"),
        None,
    ),
    (
        "Nadia Rahman",
        "evaluator",
        30,
        ("voice", "chat"),
        ("voice_service", "chat_service", "complaint_handling", "compliance"),
        (12, 6),
    ),
    (
        "Owen Prosser",
        "evaluator",
        30,
        ("voice",),
        ("voice_service", "complaint_handling", "compliance"),
        None,
    ),
    (
        "Grace Adeyemi",
        "evaluator",
        20,
        ("chat", "email"),
        ("chat_service", "email_service", "complaint_handling"),
        None,
    ),
)
#: First names the recorded calls' agents say; the builder gives these names to agents first.
RECORDED_AGENT_NAMES = ("Priya", "Tom", "Aisha", "Gareth", "Chloe")


@dataclass
class DemoTeam:
    name: str
    queues: tuple[str, ...]
    leader: str
    id: int = 0
    leader_id: int = 0


@dataclass
class DemoAgent:
    external_id: str
    name: str
    team: str
    started_on: date
    on_improvement_plan: bool
    new_starter: bool
    #: quality in [-1, 1] (higher = better service), aht factor (>1 = slower), share of contacts.
    profile: dict[str, float] = field(default_factory=dict)
    id: int = 0

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0]


@dataclass
class DemoEvaluator:
    name: str
    role: str
    id: int = 0
    skills: dict = field(default_factory=dict)


@dataclass
class Roster:
    teams: list[DemoTeam]
    agents: list[DemoAgent]
    evaluators: list[DemoEvaluator]

    def agent(self, external_id: str) -> DemoAgent:
        return next(a for a in self.agents if a.external_id == external_id)


def team_count(agents: int) -> int:
    return 3 + (agents >= 36) + (agents >= 60)


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    first, last = plain.lower().replace("'", "").split(" ", 1)
    return f"{first}.{last.replace(' ', '')}"


def plan_roster(rng: random.Random, n_agents: int, end: date) -> Roster:
    """Decide who works here; pure (no database), so its draws never depend on stored state."""
    teams = [DemoTeam(n, q, lead) for n, q, lead in TEAMS[: team_count(n_agents)]]
    used: list[str] = []
    agents: list[DemoAgent] = []
    reserved = RECORDED_AGENT_NAMES if n_agents >= 6 else ()
    for i in range(n_agents):
        while True:
            if i < len(reserved):
                first = reserved[i]
            else:
                first = rng.choice(names.FEMALE if rng.random() < 0.55 else names.MALE)
            full = f"{first} {rng.choice(names.SURNAMES)}"
            # Recorded-call names belong to the agents who say them, so no one else gets them.
            if full not in used and (i < len(reserved) or first not in RECORDED_AGENT_NAMES):
                break
        used.append(full)
        team = teams[i % len(teams)].name
        # Every demo of six or more agents has new starters and someone on an improvement plan.
        established = i < len(reserved)
        new_starter = not established and (i % 7 == 5 or (i % 9 != 7 and rng.random() < 0.06))
        plan = not established and not new_starter and (i % 9 == 7 or rng.random() < 0.04)
        if new_starter:
            started = end - timedelta(days=rng.randint(14, 85))
            quality = rng.uniform(-0.5, 0.2)
            aht = rng.uniform(1.15, 1.4)
        else:
            started = end - timedelta(days=rng.randint(200, 2600))
            quality = rng.uniform(-0.9, -0.4) if plan else rng.uniform(-0.3, 0.9)
            aht = rng.uniform(0.85, 1.15) * (1.1 if plan else 1.0)
        share = rng.choice((1.0, 1.0, 1.0, 0.8, 0.6))
        ext = _slug(full)
        if any(a.external_id == ext for a in agents):
            ext = f"{ext}{i}"
        agents.append(
            DemoAgent(
                ext,
                full,
                team,
                started,
                plan,
                new_starter,
                {"quality": round(quality, 3), "aht": round(aht, 3), "share": share},
            )
        )
    evaluators = [DemoEvaluator(t.leader, "team_leader") for t in teams]
    evaluators += [DemoEvaluator(n, role) for n, role, *_ in QA_TEAM]
    return Roster(teams, agents, evaluators)


def store_roster(ws: Workspace, roster: Roster, rng: random.Random, end: date) -> dict[str, int]:
    """Insert evaluators, teams (with leaders) and agents; fill in their row ids."""
    by_name = {n: (role, cap, ch, sc, absent) for n, role, cap, ch, sc, absent in QA_TEAM}
    for ev in roster.evaluators:
        if ev.role == "team_leader":
            ev.skills = {
                "channels": ["voice", "chat", "email"],
                "scorecards": ["voice_service", "chat_service", "email_service"],
            }
            record = Evaluator(None, ev.name, "team_leader", 6, ev.skills)
        else:
            role, cap, channels, cards, absent = by_name[ev.name]
            ev.skills = {"channels": list(channels), "scorecards": list(cards)}
            away: tuple[tuple[str, str], ...] = ()
            if absent is not None:
                first, days = absent
                start = end - timedelta(days=first)
                away = ((start.isoformat(), (start + timedelta(days=days - 1)).isoformat()),)
            record = Evaluator(None, ev.name, role, cap, ev.skills, away)
        ev.id = ensure_evaluator(ws, record, rng)
    leaders = {ev.name: ev.id for ev in roster.evaluators}
    for team in roster.teams:
        team.leader_id = leaders[team.leader]
        team.id = ensure_team(ws, team.name, team.leader_id, rng)
    resolver = AgentResolver(ws, rng)
    for a in roster.agents:
        a.id = resolver.add(
            Agent(
                None,
                a.external_id,
                a.name,
                a.team,
                a.started_on.isoformat(),
                a.on_improvement_plan,
                True,
            )
        )
    return {
        "teams": len(roster.teams),
        "agents": len(roster.agents),
        "evaluators": len(roster.evaluators),
    }
