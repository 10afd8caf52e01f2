"""Who a sample covers and who can do it: agents, teams, evaluators and the scorecard, checked.

Every name in a spec is looked up here before anything is drawn, so a typo ("Team Bil":
unknown) is refused with the names that do exist instead of silently sampling nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_studio.domain.allocation import DEFAULT_ROLES, EvaluatorSlot
from qa_studio.domain.sampling import AgentInfo, SampleSpec
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace

_MAX_LISTED = 12


@dataclass
class Scope:
    """``agents`` (every agent, by id), ``agent_ids`` (the SQL filter, None = all),
    ``in_scope`` (active agents the spec names or implies), ``evaluators`` (the pool)."""

    agents: dict[int, AgentInfo]
    agent_ids: tuple[int, ...] | None
    in_scope: list[int]
    evaluators: list[EvaluatorSlot] = field(default_factory=list)


def _known(names: list[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f" … ({len(names)} in all)" if len(names) > _MAX_LISTED else "")


def load_agents(ws: Workspace) -> dict[int, AgentInfo]:
    rows = ws.db.execute(
        "SELECT a.id, a.external_id, a.name, t.name, t.leader_id, a.started_on, "
        "a.on_improvement_plan, a.active FROM agents a LEFT JOIN teams t ON t.id = a.team_id"
    ).fetchall()
    return {
        int(r[0]): AgentInfo(int(r[0]), r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7]))
        for r in rows
    }


def load_evaluators(ws: Workspace) -> list[EvaluatorSlot]:
    rows = ws.db.execute(
        "SELECT id, name, role, capacity_per_week, skills, absent, active FROM evaluators "
        "ORDER BY name"
    ).fetchall()
    return [EvaluatorSlot.from_row(*r) for r in rows]


def evaluator_pool(ws: Workspace, names: tuple[str, ...] | list[str]) -> list[EvaluatorSlot]:
    """The named evaluators (any role), or every active evaluator and QA lead."""
    everyone = load_evaluators(ws)
    if not names:
        return [e for e in everyone if e.role in DEFAULT_ROLES and e.active]
    by_name = {e.name: e for e in everyone}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise DataRefused(
            f"unknown evaluator(s): {', '.join(unknown)}",
            [f"known evaluators: {_known(sorted(by_name)) or 'none yet (evaluators add NAME)'}"],
        )
    return [by_name[n] for n in dict.fromkeys(names)]


def resolve_scope(ws: Workspace, spec: SampleSpec) -> Scope:
    """Check the spec's teams, agents, evaluators and scorecard against the workspace."""
    agents = load_agents(ws)
    problems: list[str] = []
    if spec.teams:
        teams = {r[0] for r in ws.db.execute("SELECT name FROM teams").fetchall()}
        missing = [t for t in spec.teams if t not in teams]
        if missing:
            problems.append(
                f"unknown team(s): {', '.join(missing)} (known: {_known(sorted(teams)) or 'none'})"
            )
    if spec.agents:
        known = {a.external_id for a in agents.values()}
        missing = [a for a in spec.agents if a not in known]
        if missing:
            problems.append(
                f"unknown agent(s): {', '.join(missing)} (agents are named by their external id)"
            )
    if (
        spec.scorecard
        and ws.db.execute("SELECT 1 FROM scorecards WHERE key = ?", [spec.scorecard]).fetchone()
        is None
    ):
        problems.append(f"unknown scorecard '{spec.scorecard}'")
    try:
        pool = evaluator_pool(ws, spec.evaluators)
    except DataRefused as exc:
        problems.append(exc.message)
        pool = []
    if problems:
        raise DataRefused("the sample spec is not valid: " + problems[0], problems)
    if spec.teams or spec.agents:
        chosen = [
            a.id
            for a in agents.values()
            if (spec.teams and a.team in spec.teams)
            or (spec.agents and a.external_id in spec.agents)
        ]
        agent_ids: tuple[int, ...] | None = tuple(sorted(chosen))
    else:
        agent_ids = None
    in_scope = sorted(
        a.id for a in agents.values() if a.active and (agent_ids is None or a.id in set(agent_ids))
    )
    return Scope(agents, agent_ids, in_scope, pool)
