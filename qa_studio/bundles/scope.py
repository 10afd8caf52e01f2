"""Which rows an assignment sends: an evaluator's open sample items and the scorecards for them.

An ``AssignmentScope`` is plain row ids per table, so other features send their own work through
the same export: calibration puts its session's interactions in ``interaction_ids`` and the
session, its items and evaluators in ``extra``; everything those rows refer to follows by itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.evaluation_records import evaluator as find_evaluator
from qa_studio.storage.repository.sample_work import queue_for


@dataclass(frozen=True)
class AssignmentScope:
    """What an assignment bundle sends: rows by id; everything they refer to follows."""

    evaluator: str
    interaction_ids: tuple[int, ...] = ()
    sample_item_ids: tuple[int, ...] = ()
    version_ids: tuple[int, ...] = ()
    #: ``(table, ids)`` of other travelling tables (e.g. calibration sessions and their items).
    extra: tuple[tuple[str, tuple[int, ...]], ...] = ()
    #: Shown in the manifest's scope, e.g. ``{"sample": uuid}`` or ``{"calibration": uuid}``.
    label: dict = field(default_factory=dict)


def assignment_scope(
    ws: Workspace, evaluator: str, sample_id: int | None = None
) -> AssignmentScope:
    """The evaluator's open sample items — their queue (``sample_work.queue_for``: open samples,
    not yet done), all samples or one — and the scorecards to score them with."""
    who = find_evaluator(ws, evaluator)
    label: dict = {"evaluator": {"uuid": who.uuid, "name": who.name}}
    if sample_id is not None:
        sample = ws.db.execute("SELECT uuid FROM samples WHERE id = ?", [sample_id]).fetchone()
        if sample is None:
            raise DataRefused(f"there is no sample with id {sample_id}.")
        label["sample"] = sample[0]
    items = [q for q in queue_for(ws, who.name) if sample_id is None or q.sample_id == sample_id]
    if not items:
        within = f" in sample {sample_id}" if sample_id is not None else ""
        raise DataRefused(f"{who.name} has no open sample items{within}: nothing to send.")
    interactions = tuple(sorted({q.interaction_id for q in items}))
    samples = sorted({q.sample_id for q in items})
    return AssignmentScope(
        evaluator=who.name,
        interaction_ids=interactions,
        sample_item_ids=tuple(q.item_id for q in items),
        version_ids=versions_for_channels(ws, interactions, samples),
        label=label,
    )


def versions_for_channels(
    ws: Workspace, interaction_ids: tuple[int, ...], sample_ids: list[int] | None = None
) -> tuple[int, ...]:
    """Every published version of the cards for these interactions' channels (and ``any``),
    and of the card each sample names in its spec."""
    marks = ", ".join("?" * len(interaction_ids))
    channels = [
        r[0]
        for r in ws.db.execute(
            f"SELECT DISTINCT channel FROM interactions WHERE id IN ({marks})",
            list(interaction_ids),
        )
    ]
    keys: list[str] = []
    for spec_text in (
        ws.db.execute("SELECT spec FROM samples WHERE id = ?", [sid]).fetchone()[0]
        for sid in sample_ids or []
    ):
        try:
            named = json.loads(spec_text or "{}").get("scorecard")
        except (json.JSONDecodeError, AttributeError):
            named = None
        if isinstance(named, str) and named.strip():
            keys.append(named.split("@", 1)[0].strip())
    wanted = [*channels, "any"]
    rows = ws.db.execute(
        "SELECT v.id FROM scorecard_versions v JOIN scorecards s ON s.id = v.scorecard_id "
        f"WHERE s.channel IN ({', '.join('?' * len(wanted))}) "
        f"OR s.key IN ({', '.join('?' * len(keys)) or 'NULL'}) ORDER BY v.id",
        [*wanted, *keys],
    ).fetchall()
    if not rows:
        raise DataRefused(
            f"no published scorecard for {', '.join(sorted(channels))}: the evaluator could not "
            "score these contacts.",
            ["Publish one first: qa-studio --db FILE scorecard publish FILE.yaml --note TEXT"],
        )
    return tuple(int(r[0]) for r in rows)
