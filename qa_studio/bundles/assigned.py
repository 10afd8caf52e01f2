"""The evaluator's side of an assignment: their open sample items, and drafts to score them.

The evaluator's queue is ``sample_work.queue_for``; the scoring screen lists their drafts. So
importing an assignment starts a draft for every open item (``source = sample``, linked to its
sample) on the scorecard the sample names, or else the one published card for the contact's
channel. An item whose card cannot be chosen that way stays a queue item without a draft, for the
screen to offer a choice (``start_assigned`` with a version). Drafts are ordinary evaluations,
audited in the evaluator's own chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import evaluations, scorecards
from qa_studio.storage.repository.evaluations import EvaluationRecord
from qa_studio.storage.repository.scorecards import ScorecardVersion

_ITEM_SQL = (
    "SELECT si.id, si.uuid, s.id, s.name, i.id, i.external_id, i.channel, si.status, s.due_on, "
    "ev.name, s.spec, (SELECT e.id FROM evaluations e WHERE e.interaction_id = si.interaction_id "
    "AND e.evaluator_id = si.evaluator_id AND e.sample_id = si.sample_id "
    "ORDER BY e.id DESC LIMIT 1) FROM sample_items si JOIN samples s ON s.id = si.sample_id "
    "JOIN interactions i ON i.id = si.interaction_id "
    "JOIN evaluators ev ON ev.id = si.evaluator_id"
)


@dataclass(frozen=True)
class _Item:
    """One sample item, with the evaluator's evaluation of it for that sample, if any."""

    sample_item_id: int
    sample_item_uuid: str
    sample_id: int
    sample_name: str
    interaction_id: int
    interaction_external_id: str
    channel: str
    status: str
    due_on: str | None
    evaluator: str
    sample_spec: str
    evaluation_id: int | None


def _item(row: tuple) -> _Item:
    return _Item(
        int(row[0]),
        row[1],
        int(row[2]),
        row[3],
        int(row[4]),
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        None if row[11] is None else int(row[11]),
    )


def choose_version(ws: Workspace, channel: str, sample_spec: str | None) -> ScorecardVersion | None:
    """The sample's named scorecard, else the one card for the channel (or for ``any``)."""
    try:
        spec = json.loads(sample_spec or "{}")
    except json.JSONDecodeError:
        spec = {}
    ref = spec.get("scorecard") if isinstance(spec, dict) else None
    if isinstance(ref, str):
        try:
            return scorecards.find(ws, ref)
        except DataRefused:
            pass
    cards = scorecards.list_cards(ws)
    for wanted in (channel, "any"):
        keys = [key for key, _name, card_channel, _v in cards if card_channel == wanted]
        if len(keys) == 1:
            return scorecards.latest(ws, keys[0])
        if keys:
            return None
    return None


def start_assigned(
    ws: Workspace, sample_item_id: int, *, version_id: int | None = None
) -> EvaluationRecord:
    """Resume the evaluator's evaluation of the item, or start a draft on ``version_id`` (or
    the card ``choose_version`` picks); ``DataRefused`` when no card can be chosen."""
    row = ws.db.execute(f"{_ITEM_SQL} WHERE si.id = ?", [sample_item_id]).fetchone()
    if row is None:
        raise DataRefused(f"there is no sample item with id {sample_item_id}.")
    item = _item(row)
    if item.evaluation_id is not None:
        return evaluations.get(ws, item.evaluation_id)
    if version_id is None:
        version = choose_version(ws, item.channel, item.sample_spec)
        if version is None:
            raise DataRefused(
                f"choose a scorecard for {item.interaction_external_id}: there is not exactly "
                f"one published scorecard for {item.channel} contacts."
            )
        version_id = version.id
    return evaluations.start(
        ws,
        item.interaction_id,
        version_id,
        item.evaluator,
        source="sample",
        sample_id=item.sample_id,
    )


def start_drafts(ws: Workspace, sample_item_ids: Iterable[int]) -> tuple[int, list[str]]:
    """Start a draft for each open item not yet evaluated; return (started, items left over)."""
    started, left = 0, []
    for item_id in sample_item_ids:
        row = ws.db.execute(f"{_ITEM_SQL} WHERE si.id = ?", [item_id]).fetchone()
        if row is None:
            continue
        item = _item(row)
        if item.status not in ("assigned", "in_progress") or item.evaluation_id is not None:
            continue
        version = choose_version(ws, item.channel, item.sample_spec)
        if version is None:
            left.append(item.interaction_external_id)
            continue
        start_assigned(ws, item_id, version_id=version.id)
        started += 1
    return started, left
