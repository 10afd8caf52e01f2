"""SMART goals as typed, and their checks before anything is stored: what a goal is tied to
(question keys of a published scorecard, or one KPI), its target within the measure's range, and
a due date on or after the session. Used by ``coaching`` for one-to-ones and team briefings."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from qa_studio.domain import followup as fu
from qa_studio.domain.ids import new_uuid
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.coaching_types import as_day, question_catalogue


@dataclass(frozen=True)
class GoalSpec:
    """A SMART goal as typed: ``text`` says what (Specific), ``question_keys`` or ``metric``
    with ``target`` how it is measured, ``due_on`` by when. Question keys measure their pass
    rate (percent); a metric is one of ``aht`` (seconds), ``fcr`` (%), ``csat`` (1–5),
    ``qa_score`` (%)."""

    text: str
    target: float
    due_on: date | str
    question_keys: tuple[str, ...] = ()
    metric: str | None = None

    @property
    def measure(self) -> str:
        return self.metric or fu.PASS_RATE


@dataclass
class PreparedGoal:
    uuid: str
    spec: GoalSpec
    keys: list[str]
    due_on: str


def prepare_goals(
    ws: Workspace, goals: Sequence[GoalSpec], held: date, rng: random.Random | None
) -> list[PreparedGoal]:
    known = question_catalogue(ws)
    out = []
    for n, g in enumerate(goals, start=1):
        where = f"goal {n}"
        text = (g.text or "").strip()
        if not text:
            raise DataRefused(f"{where}: a goal needs its text (what the agent will do).")
        keys = [k.strip() for k in g.question_keys if k and k.strip()]
        if bool(keys) == bool(g.metric):
            raise DataRefused(
                f"{where} ({text}): tie it to scorecard question keys or to one KPI "
                f"({', '.join(fu.KPI_METRICS)}), not {'both' if keys else 'neither'}."
            )
        if g.metric is not None and g.metric not in fu.KPI_METRICS:
            raise DataRefused(
                f"{where}: unknown KPI '{g.metric}' (one of: {', '.join(fu.KPI_METRICS)})."
            )
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise DataRefused(
                f"{where}: no published scorecard has question {', '.join(unknown)}.",
                ["Question keys are listed by: qa-studio --db FILE scorecard list --json"],
            )
        problem = fu.check_target(g.measure, g.target)
        if problem:
            raise DataRefused(f"{where}: {problem}.")
        due = as_day(g.due_on, f"{where}: due date")
        if due < held:
            raise DataRefused(f"{where}: due date {due} is before the session ({held}).")
        out.append(PreparedGoal(new_uuid(rng), g, keys, due.isoformat()))
    return out
