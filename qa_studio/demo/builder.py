"""Build a deterministic demo workspace, one step after another, in one transaction.

A step is a function ``step(ctx) -> dict[str, int]`` that reads what earlier steps left on the
``DemoContext`` (roster, contacts with their stored ids and ground truth), writes through the
repository, and returns counts for the summary and the audit row. Each step draws from its own
generator, ``ctx.rng(step_name)``, seeded from the demo seed and the step's name: adding a step
later (evaluations, calibration, coaching) never changes what the earlier steps produce.

Determinism rules every step keeps: uuids come from ``new_uuid(rng)``; instants derive from
``ctx.spec.end`` (never from the clock); iteration is over lists and tuples, never sets; stored
JSON is written with a fixed key order. Only ``imported_at``/``created_at`` of the run itself and
the audit row's time differ between two builds.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from qa_studio.demo.calibration import step_calibration
from qa_studio.demo.coaching import step_coaching
from qa_studio.demo.complaints import step_complaints
from qa_studio.demo.contacts import DemoContact, plan_contacts
from qa_studio.demo.evaluations import step_evaluations
from qa_studio.demo.feedback import step_feedback
from qa_studio.demo.recordings import RecordedCallInfo, copy_recordings, recorded_calls
from qa_studio.demo.roster import Roster, plan_roster, store_roster
from qa_studio.demo.samples import step_samples
from qa_studio.domain.timeutil import LONDON, utcnow, utcnow_iso
from qa_studio.errors import DataRefused, UsageError
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository.interactions import set_transcript, upsert_interactions
from qa_studio.storage.repository.people import AgentResolver
from qa_studio.storage.repository.workspace_info import counts

DEFAULT_AGENTS = 24
DEFAULT_INTERACTIONS = 3000
DEFAULT_SEED = 7
MIN_AGENTS, MAX_AGENTS = 3, 5000
MIN_INTERACTIONS, MAX_INTERACTIONS = 50, 2_000_000
MONTHS = 6
SUMMARY_TABLES = (
    "teams",
    "agents",
    "evaluators",
    "interactions",
    "transcripts",
    "scorecard_versions",
    "evaluations",
    "calibration_sessions",
    "coaching_sessions",
    "disputes",
)


def default_end(today: date | None = None) -> date:
    """The last day of the previous month, as the calendar reads in London."""
    today = today or utcnow().astimezone(LONDON).date()
    return today.replace(day=1) - timedelta(days=1)


def first_day(end: date, months: int = MONTHS) -> date:
    """The first day of the ``months`` ending on ``end`` (whole months when ``end`` ends one)."""
    month_index = end.year * 12 + end.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    if end.day == calendar.monthrange(end.year, end.month)[1]:
        return date(year, month, 1) + timedelta(days=calendar.monthrange(year, month)[1])
    return date(year, month, min(end.day, calendar.monthrange(year, month)[1])) + timedelta(1)


@dataclass(frozen=True)
class DemoSpec:
    """What to build: the size, the seed and the last day of the six months of contacts."""

    agents: int = DEFAULT_AGENTS
    interactions: int = DEFAULT_INTERACTIONS
    seed: int = DEFAULT_SEED
    end: date = field(default_factory=default_end)

    @property
    def first_day(self) -> date:
        return first_day(self.end)

    def validate(self) -> None:
        if not MIN_AGENTS <= self.agents <= MAX_AGENTS:
            raise UsageError(
                f"--agents must be between {MIN_AGENTS} and {MAX_AGENTS} "
                f"(got {self.agents}): the demo needs at least one agent per team."
            )
        if not MIN_INTERACTIONS <= self.interactions <= MAX_INTERACTIONS:
            raise UsageError(
                f"--interactions must be between {MIN_INTERACTIONS:,} and "
                f"{MAX_INTERACTIONS:,} (got {self.interactions})."
            )

    def as_dict(self) -> dict:
        return {
            "agents": self.agents,
            "interactions": self.interactions,
            "seed": self.seed,
            "end": self.end.isoformat(),
            "first_day": self.first_day.isoformat(),
        }


@dataclass
class DemoContext:
    """What the steps share: the workspace, the spec and everything built so far."""

    ws: Workspace
    spec: DemoSpec
    imported_at: str
    progress: Callable[[str], None]
    roster: Roster | None = None
    contacts: list[DemoContact] = field(default_factory=list)
    recorded: tuple[RecordedCallInfo, ...] = ()
    written_files: list[Path] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        """A generator for one step, seeded by the demo seed and the step's name."""
        return random.Random(f"qa-studio-demo/{self.spec.seed}/{step}")

    def at(self, day: date, hour: int = 12, minute: int = 0) -> datetime:
        """A London wall-clock instant on ``day``: how steps derive times from ``--end``."""
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)

    @property
    def handled(self) -> list[DemoContact]:
        """Contacts an agent handled (abandoned ones are never sampled or scored)."""
        return [c for c in self.contacts if not c.abandoned]


Step = Callable[[DemoContext], dict[str, int]]


def step_people(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("people")
    ctx.roster = plan_roster(rng, ctx.spec.agents, ctx.spec.end)
    done = store_roster(ctx.ws, ctx.roster, rng, ctx.spec.end)
    ctx.progress(
        f"demo: {done['agents']} agents in {done['teams']} teams, "
        f"{done['evaluators']} evaluators and team leaders"
    )
    return done


def step_interactions(ctx: DemoContext) -> dict[str, int]:
    assert ctx.roster is not None, "the people step runs first"
    rng = ctx.rng("interactions")
    ctx.recorded = recorded_calls()
    ctx.contacts = plan_contacts(
        rng,
        ctx.roster,
        ctx.spec.first_day,
        ctx.spec.end,
        ctx.spec.interactions,
        ctx.recorded,
        ctx.ws.media_dir.name,
    )
    ctx.progress(
        f"demo: storing {len(ctx.contacts):,} interactions ({ctx.spec.first_day} to {ctx.spec.end})"
    )
    upsert_interactions(
        ctx.ws,
        (c.to_interaction() for c in ctx.contacts),
        rng=rng,
        resolver=AgentResolver(ctx.ws, rng),
        imported_at=ctx.imported_at,
    )
    ids = dict(ctx.ws.db.execute("SELECT external_id, id FROM interactions").fetchall())
    transcripts = 0
    for c in ctx.contacts:
        c.interaction_id = int(ids[c.external_id])
        if c.transcript is not None:
            set_transcript(ctx.ws, c.interaction_id, c.transcript, rng)
            transcripts += 1
    return {"interactions": len(ctx.contacts), "transcripts": transcripts}


def step_recordings(ctx: DemoContext) -> dict[str, int]:
    used = [c.recorded for c in ctx.contacts if c.recorded is not None]
    ctx.written_files.extend(copy_recordings(ctx.ws, used))
    ctx.progress(f"demo: {len(used)} recordings copied to {ctx.ws.media_dir}")
    return {"recordings": len(used)}


#: The build, in order. Later features append their own ``(name, step)`` here.
STEPS: tuple[tuple[str, Step], ...] = (
    ("people", step_people),
    ("interactions", step_interactions),
    ("recordings", step_recordings),
    ("evaluations", step_evaluations),
    ("calibration", step_calibration),
    ("coaching", step_coaching),
    ("complaints", step_complaints),
    ("feedback", step_feedback),
    ("samples", step_samples),
)


def build_demo(
    ws: Workspace,
    spec: DemoSpec | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    steps: tuple[tuple[str, Step], ...] = STEPS,
) -> dict:
    """Fill an empty workspace with the demo in one transaction, closed by one ``demo.build``
    audit row (what the steps record through the repository, such as evaluations, is audited too).

    Raises ``UsageError`` for an impossible size and ``DataRefused`` when the workspace already
    has interactions (the demo never mixes with real data).
    """
    spec = spec or DemoSpec()
    spec.validate()
    existing = ws.db.execute("SELECT count(*) FROM interactions").fetchone()[0]
    if existing:
        raise DataRefused(
            f"{ws.path} already has {existing:,} interactions; the demo is only built into an "
            "empty workspace.",
            ["Give --db a new file name (the file is created)."],
        )
    ctx = DemoContext(ws, spec, utcnow_iso(), progress or (lambda _message: None))
    try:
        with ws.db.atomic():
            for name, step in steps:
                for key, value in step(ctx).items():
                    ctx.summary[key] = ctx.summary.get(key, 0) + value
                ctx.progress(f"demo: step {name} done")
            audit.append(
                ws, "demo.build", "workspace", ws.uuid, {**spec.as_dict(), "built": ctx.summary}
            )
    except BaseException:
        for path in ctx.written_files:
            path.unlink(missing_ok=True)
        raise
    return {
        "workspace": str(ws.path),
        **spec.as_dict(),
        "built": ctx.summary,
        "counts": counts(ws.db, SUMMARY_TABLES),
        "media_dir": str(ws.media_dir),
    }
