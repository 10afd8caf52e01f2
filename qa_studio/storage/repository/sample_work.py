"""Stored samples as work: listing, each evaluator's queue and workload, and moving items.

An item's state is read from the evaluations as well as from ``sample_items.status``: an item is
*done* once a counted evaluation of its interaction exists for that sample (or by its assigned
evaluator), *in progress* once any evaluation (a draft) does. So whatever screen or bundle
records the evaluation, queues and workloads stay true without anyone updating the item.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from qa_studio.domain import allocation as alloc
from qa_studio.domain.models import COUNTED_STATUSES
from qa_studio.domain.sampling import SampleSpec, due_date
from qa_studio.domain.timeutil import LONDON
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository.sample_scope import evaluator_pool, load_evaluators

_COUNTED = ", ".join(f"'{s}'" for s in COUNTED_STATUSES)
#: An evaluation of the item's interaction for this sample or by its evaluator — never a
#: calibration evaluation, which measures the evaluator and does not do the sampled work.
_MINE = (
    "e.interaction_id = si.interaction_id AND e.calibration_session_id IS NULL "
    "AND (e.sample_id = si.sample_id OR e.evaluator_id = si.evaluator_id)"
)
#: The item's state, derived (see the module docstring).
STATE = (
    f"CASE WHEN si.status = 'done' OR EXISTS (SELECT 1 FROM evaluations e WHERE {_MINE} "
    f"AND e.status IN ({_COUNTED})) THEN 'done' "
    f"WHEN si.status = 'in_progress' OR EXISTS (SELECT 1 FROM evaluations e WHERE {_MINE}) "
    "THEN 'in_progress' ELSE 'assigned' END"
)
_ITEM_COLUMNS = (
    f"si.id, si.sample_id, s.name, si.interaction_id, i.external_id, a.external_id, a.name, "
    f"i.channel, i.started_at, si.stratum, {STATE}, s.due_on, si.reason, ev.name, si.weight"
)
_ITEM_FROM = (
    "FROM sample_items si JOIN samples s ON s.id = si.sample_id "
    "JOIN interactions i ON i.id = si.interaction_id LEFT JOIN agents a ON a.id = i.agent_id "
    "LEFT JOIN evaluators ev ON ev.id = si.evaluator_id"
)


def _today() -> date:
    return datetime.now(LONDON).date()


@dataclass(frozen=True)
class QueueItem:
    """One sample item as a queue or sample screen shows it."""

    item_id: int
    sample_id: int
    sample_name: str
    interaction_id: int
    external_id: str
    agent: str | None
    agent_name: str | None
    channel: str
    started_at: str
    stratum: str | None
    status: str
    due_on: str | None
    reason: str | None
    evaluator: str | None
    weight: float
    overdue: bool


def _queue_item(row: tuple, today: date) -> QueueItem:
    overdue = row[10] != "done" and row[11] is not None and row[11] < today.isoformat()
    return QueueItem(*row, overdue=overdue)


@dataclass(frozen=True)
class EvaluatorWorkload:
    """An evaluator's items in open samples by state, and their weekly capacity."""

    name: str
    assigned: int
    in_progress: int
    done: int
    overdue: int
    capacity: int

    @property
    def open(self) -> int:
        return self.assigned + self.in_progress


@dataclass(frozen=True)
class SampleSummary:
    id: int
    uuid: str
    name: str
    objective: str | None
    status: str
    seed: int
    due_on: str | None
    created_by: str | None
    created_at: str
    items: int
    done: int


@dataclass(frozen=True)
class SampleDetail:
    summary: SampleSummary
    spec: SampleSpec
    result: dict
    items: tuple[QueueItem, ...]


_SUMMARY = (
    "SELECT s.id, s.uuid, s.name, s.objective, s.status, s.seed, s.due_on, s.created_by, "
    f"s.created_at, count(si.id), coalesce(sum(({STATE}) = 'done'), 0) FROM samples s "
    "LEFT JOIN sample_items si ON si.sample_id = s.id"
)


def list_samples(ws: Workspace, *, status: str | None = None) -> list[SampleSummary]:
    """Every sample (or those ``open``/``closed``), newest first, with progress counts."""
    where, args = ("WHERE s.status = ?", [status]) if status else ("", [])
    rows = ws.db.execute(f"{_SUMMARY} {where} GROUP BY s.id ORDER BY s.id DESC", args)
    return [SampleSummary(*r) for r in rows.fetchall()]


def get_sample(ws: Workspace, sample_id: int, *, today: date | None = None) -> SampleDetail:
    row = ws.db.execute(f"{_SUMMARY} WHERE s.id = ? GROUP BY s.id", [sample_id]).fetchone()
    if row is None:
        raise DataRefused(f"there is no sample {sample_id}")
    spec_text, summary_text = ws.db.execute(
        "SELECT spec, summary FROM samples WHERE id = ?", [sample_id]
    ).fetchone()
    today = today or _today()
    items = ws.db.execute(
        f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} WHERE si.sample_id = ? "
        "ORDER BY a.external_id, si.stratum, si.id",
        [sample_id],
    ).fetchall()
    return SampleDetail(
        SampleSummary(*row),
        SampleSpec.from_dict(json.loads(spec_text)),
        json.loads(summary_text or "{}"),
        tuple(_queue_item(r, today) for r in items),
    )


def close_sample(ws: Workspace, sample_id: int) -> None:
    """Close a sample: its items leave the queues and may be sampled again. Audited."""
    row = ws.db.execute("SELECT uuid, status FROM samples WHERE id = ?", [sample_id]).fetchone()
    if row is None:
        raise DataRefused(f"there is no sample {sample_id}")
    if row[1] == "closed":
        raise DataRefused(f"sample {sample_id} is already closed")
    with ws.db.atomic():
        ws.db.execute("UPDATE samples SET status = 'closed' WHERE id = ?", [sample_id])
        audit.append(ws, "sample.close", "sample", row[0], {"sample_id": sample_id})


def queue_for(ws: Workspace, evaluator: str, *, today: date | None = None) -> list[QueueItem]:
    """The evaluator's open items (not done) in open samples, soonest due first."""
    if ws.db.execute("SELECT 1 FROM evaluators WHERE name = ?", [evaluator]).fetchone() is None:
        raise DataRefused(f"unknown evaluator '{evaluator}'")
    rows = ws.db.execute(
        f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} WHERE ev.name = ? AND s.status = 'open' "
        f"AND ({STATE}) <> 'done' ORDER BY s.due_on, s.id, a.external_id, si.id",
        [evaluator],
    ).fetchall()
    today = today or _today()
    return [_queue_item(r, today) for r in rows]


def workload(ws: Workspace, *, today: date | None = None) -> list[EvaluatorWorkload]:
    """Per evaluator (the default pool and anyone holding items): open-sample items by state."""
    today = (today or _today()).isoformat()
    rows = ws.db.execute(
        f"SELECT si.evaluator_id, {STATE}, s.due_on < ? FROM sample_items si "
        "JOIN samples s ON s.id = si.sample_id WHERE s.status = 'open' "
        "AND si.evaluator_id IS NOT NULL",
        [today],
    ).fetchall()
    counts: dict[int, dict[str, int]] = {}
    for ev_id, state, late in rows:
        c = counts.setdefault(ev_id, {"assigned": 0, "in_progress": 0, "done": 0, "overdue": 0})
        c[state] += 1
        c["overdue"] += int(bool(late) and state != "done")
    out = []
    for ev in load_evaluators(ws):
        if ev.id in counts or (ev.active and ev.role in alloc.DEFAULT_ROLES):
            c = counts.get(ev.id, {"assigned": 0, "in_progress": 0, "done": 0, "overdue": 0})
            out.append(
                EvaluatorWorkload(
                    ev.name,
                    c["assigned"],
                    c["in_progress"],
                    c["done"],
                    c["overdue"],
                    ev.capacity_per_week,
                )
            )
    return out


def reassign(ws: Workspace, item_ids: list[int], evaluator: str, *, note: str | None = None) -> int:
    """Give items to ``evaluator`` (one transaction, one audit row per sample); returns how many
    moved. Refuses done or started items (the draft belongs to whoever started it)."""
    target = ws.db.execute(
        "SELECT id, active FROM evaluators WHERE name = ?", [evaluator]
    ).fetchone()
    if target is None:
        raise DataRefused(f"unknown evaluator '{evaluator}'")
    if not target[1]:
        raise DataRefused(f"evaluator '{evaluator}' is inactive")
    ids = list(dict.fromkeys(int(i) for i in item_ids))
    rows = {}
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        rows.update(
            (r[0], r[1:])
            for r in ws.db.execute(
                f"SELECT si.id, si.uuid, s.uuid, s.status, {STATE}, ev.name, si.evaluator_id "
                "FROM sample_items si JOIN samples s ON s.id = si.sample_id "
                "LEFT JOIN evaluators ev ON ev.id = si.evaluator_id "
                f"WHERE si.id IN ({', '.join('?' * len(part))})",
                part,
            )
        )
    problems = [f"item {i}: no such sample item" for i in ids if i not in rows]
    problems += [
        f"item {i}: its sample is closed" for i in ids if i in rows and rows[i][2] != "open"
    ]
    problems += [
        f"item {i}: already {rows[i][3].replace('_', ' ')} by {rows[i][4]}"
        for i in ids
        if i in rows and rows[i][3] != "assigned"
    ]
    if problems:
        raise DataRefused(f"cannot reassign: {problems[0]}", problems)
    moving = [i for i in ids if rows[i][5] != target[0]]
    by_sample: dict[str, list] = {}
    with ws.db.atomic():
        for i in moving:
            reason = f"reassigned from {rows[i][4] or 'nobody'} to {evaluator} by {ws.actor}"
            reason += f": {note}" if note else ""
            ws.db.execute(
                "UPDATE sample_items SET evaluator_id = ?, reason = ?, "
                "status = 'assigned' WHERE id = ?",
                [target[0], reason, i],
            )
            by_sample.setdefault(rows[i][1], []).append(
                {"item": rows[i][0], "from": rows[i][4], "to": evaluator}
            )
        for sample_uuid, moves in by_sample.items():
            audit.append(
                ws, "sample.reassign", "sample", sample_uuid, {"moves": moves, "note": note}
            )
    return len(moving)


@dataclass(frozen=True)
class Moved:
    item_id: int
    external_id: str
    from_evaluator: str | None
    to_evaluator: str | None
    reason: str


def reassign_absent(
    ws: Workspace, sample_id: int | None = None, *, today: date | None = None
) -> list[Moved]:
    """Redistribute not-started items of evaluators absent (or inactive) before the due date,
    and unassigned items, over whoever is available — same rules as at creation. Audited."""
    today = today or _today()
    samples = ws.db.execute(
        "SELECT id, uuid, spec, due_on FROM samples WHERE status = 'open'"
        + (" AND id = ?" if sample_id is not None else ""),
        [sample_id] if sample_id is not None else [],
    ).fetchall()
    if sample_id is not None and not samples:
        raise DataRefused(f"there is no open sample {sample_id}")
    moved: list[Moved] = []
    with ws.db.atomic():
        for sid, uuid, spec_text, due_on in samples:
            moved += _redistribute(
                ws,
                sid,
                uuid,
                SampleSpec.from_dict(json.loads(spec_text)),
                today,
                date.fromisoformat(due_on) if due_on else due_date(SampleSpec(), today),
            )
    return moved


def _redistribute(
    ws: Workspace, sample_id: int, sample_uuid: str, spec: SampleSpec, today: date, due: date
) -> list[Moved]:
    last = max(today, due)
    pool = evaluator_pool(ws, spec.evaluators)
    available, skipped = alloc.available_pool(pool, today, last)
    away = dict(skipped)
    everyone = {e.id: e for e in load_evaluators(ws)}
    unavailable = {
        e.id for e in everyone.values() if not e.active or e.absence_during(today, last) is not None
    }
    rows = ws.db.execute(
        f"SELECT si.id, i.external_id, si.evaluator_id, i.channel, t.leader_id, {STATE} "
        "FROM sample_items si JOIN interactions i ON i.id = si.interaction_id "
        "LEFT JOIN agents a ON a.id = i.agent_id LEFT JOIN teams t ON t.id = a.team_id "
        "WHERE si.sample_id = ? ORDER BY si.id",
        [sample_id],
    ).fetchall()
    stuck = [r for r in rows if r[5] == "assigned" and (r[2] is None or r[2] in unavailable)]
    if not stuck:
        return []
    stuck_ids = {r[0] for r in stuck}
    load: dict[int, int] = {}
    for r in rows:
        if r[2] is not None and r[0] not in stuck_ids and r[5] != "done":
            load[r[2]] = load.get(r[2], 0) + 1
    result = alloc.allocate(
        [alloc.WorkItem(r[3], r[4]) for r in stuck],
        available,
        first=today,
        last=last,
        scorecard=spec.scorecard,
        exclude_own_leader=spec.exclude_own_leader,
        existing=load,
    )
    out = []
    for r, a in zip(stuck, result.assignments, strict=True):
        if a.evaluator_id is None and r[2] is None:
            continue
        before = everyone[r[2]].name if r[2] is not None else None
        why = (
            f"redistributed: {before} {away.get(before, 'unavailable')}; "
            if before
            else "redistributed: was unassigned; "
        ) + a.reason
        ws.db.execute(
            "UPDATE sample_items SET evaluator_id = ?, reason = ? WHERE id = ?",
            [a.evaluator_id, why, r[0]],
        )
        out.append(Moved(r[0], r[1], before, a.evaluator, why))
    if not out:
        return []
    audit.append(
        ws,
        "sample.redistribute",
        "sample",
        sample_uuid,
        {
            "moves": [
                {"item": m.item_id, "from": m.from_evaluator, "to": m.to_evaluator} for m in out
            ]
        },
    )
    return out
