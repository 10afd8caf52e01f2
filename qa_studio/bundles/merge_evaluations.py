"""Merging evaluations: never silently overwrite work done on either side.

An evaluation travels whole — its row, answers and notes — and is compared whole, by a digest of
all three (``Form.digest``). Each workspace remembers, per evaluation, the digest it last agreed
with another workspace (``bundle_bases``): the common version. With mine ``m``, theirs ``t`` and
the base ``b``:

* not held here → inserted as sent (same uuids); ``m == t`` → skipped;
* ``m == b`` (only they changed it) → replaced by theirs;
* ``t == b`` (only I changed it) → mine kept;
* otherwise both changed it — edited on both sides, or signed off on one side and edited on the
  other — and it becomes a **conflict**: theirs is stored in ``bundle_conflicts`` for the lead,
  mine stays as it is, until ``conflicts.resolve`` keeps one of them (one audited transaction).

Writing goes around the signed-off triggers the only way they allow — by changing the status in
the same step — so a signed-off evaluation arrives signed off, with its answers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from qa_studio.bundles.merge_rows import MergeContext, insert_row
from qa_studio.bundles.records import Shape, check_record, local_values
from qa_studio.domain import lifecycle
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace

CHILDREN = (("answers", "question_key"), ("answer_notes", "uuid"))


def _columns(shape: Shape) -> list[str]:
    return [*shape.columns, *(r.column for r in shape.refs if r.table != "evaluations")]


@dataclass(frozen=True)
class Form:
    """An evaluation as compared and written: columns with local ids, answers, notes."""

    evaluation: dict
    answers: tuple[dict, ...]
    notes: tuple[dict, ...]

    @property
    def status(self) -> str:
        return str(self.evaluation.get("status"))

    def digest(self) -> str:
        doc = {
            "evaluation": self.evaluation,
            "answers": [{k: v for k, v in a.items() if k != "uuid"} for a in self.answers],
            "notes": list(self.notes),
        }
        text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def as_json(self) -> dict:
        return {"evaluation": self.evaluation, "answers": self.answers, "notes": self.notes}

    @classmethod
    def from_json(cls, doc: dict) -> Form:
        return cls(doc["evaluation"], tuple(doc["answers"]), tuple(doc["notes"]))


def load_form(ws: Workspace, shapes: dict[str, Shape], evaluation_id: int) -> Form:
    cols = _columns(shapes["evaluations"])
    row = ws.db.execute(
        f"SELECT {', '.join(cols)} FROM evaluations WHERE id = ?", [evaluation_id]
    ).fetchone()
    if row is None:
        raise DataRefused(f"there is no evaluation with id {evaluation_id}.")
    children = []
    for table, order in CHILDREN:
        names = ["uuid", *_columns(shapes[table])]
        rows = ws.db.execute(
            f"SELECT {', '.join(names)} FROM {table} WHERE evaluation_id = ? ORDER BY {order}",
            [evaluation_id],
        ).fetchall()
        children.append(tuple(dict(zip(names, r, strict=True)) for r in rows))
    return Form(dict(zip(cols, row, strict=True)), children[0], children[1])


def _incoming(ctx: MergeContext, record: dict, kids: dict[str, list[dict]]) -> Form:
    shape = ctx.shapes["evaluations"]
    where = ctx.where("evaluations")
    values = local_values(record, shape, ctx.ids, where)
    evaluation = {c: values.get(c) for c in _columns(shape)}
    parts = []
    for table, order in CHILDREN:
        child_shape = ctx.shapes[table]
        cols = _columns(child_shape)
        rows = []
        for child in kids.get(table, []):
            check_record(child, child_shape, ctx.where(table))
            # The owner is the evaluation being merged (it may not be stored yet).
            mapped = local_values(
                {k: v for k, v in child.items() if k != "evaluation_uuid"},
                child_shape,
                ctx.ids,
                ctx.where(table),
            )
            rows.append({"uuid": child["uuid"], **{c: mapped.get(c) for c in cols}})
        rows.sort(key=lambda r: str(r[order]))
        keys = [r[order] for r in rows]
        if len(set(keys)) != len(keys):
            raise DataRefused(
                f"{ctx.where(table)}: evaluation {record['uuid']} has the same {order} twice."
            )
        parts.append(tuple(rows))
    return Form(evaluation, parts[0], parts[1])


def _insert_children(ws: Workspace, evaluation_id: int, form: Form, where: str) -> None:
    for table, rows in (("answers", form.answers), ("answer_notes", form.notes)):
        for row in rows:
            cols = list(row)
            try:
                ws.db.execute(
                    f"INSERT INTO {table} (evaluation_id, {', '.join(cols)}) "
                    f"VALUES (?, {', '.join('?' * len(cols))})",
                    [evaluation_id, *row.values()],
                )
            except Exception as exc:  # IntegrityError from a clash or a CHECK
                raise DataRefused(
                    f"{where}: {table} {row['uuid']} cannot be stored ({exc})."
                ) from exc


def _unlocked(evaluation: dict) -> tuple[dict, str | None]:
    """The row to write first (never locked) and the locked status to set afterwards."""
    status = evaluation.get("status")
    if status in lifecycle.LOCKED:
        return {**evaluation, "status": lifecycle.SUBMITTED}, str(status)
    return dict(evaluation), None


def replace(ws: Workspace, evaluation_id: int, form: Form, where: str = "bundle") -> None:
    """Make the stored evaluation exactly ``form`` (answers and notes included)."""
    current = ws.db.execute("SELECT status FROM evaluations WHERE id = ?", [evaluation_id])
    if current.fetchone()[0] in lifecycle.LOCKED:
        ws.db.execute(
            "UPDATE evaluations SET status = ? WHERE id = ?", [lifecycle.SUBMITTED, evaluation_id]
        )
    ws.db.execute("DELETE FROM answers WHERE evaluation_id = ?", [evaluation_id])
    ws.db.execute("DELETE FROM answer_notes WHERE evaluation_id = ?", [evaluation_id])
    row, locked = _unlocked(form.evaluation)
    ws.db.execute(
        f"UPDATE evaluations SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
        [*row.values(), evaluation_id],
    )
    _insert_children(ws, evaluation_id, form, where)
    if locked:
        ws.db.execute("UPDATE evaluations SET status = ? WHERE id = ?", [locked, evaluation_id])


def get_base(ws: Workspace, evaluation_id: int) -> str | None:
    row = ws.db.execute(
        "SELECT digest FROM bundle_bases WHERE evaluation_id = ?", [evaluation_id]
    ).fetchone()
    return row[0] if row else None


def set_base(ws: Workspace, evaluation_id: int, digest: str, import_id: int | None) -> None:
    """Remember ``digest`` as the version both sides now share (the next merge's base)."""
    ws.db.execute(
        "INSERT INTO bundle_bases (uuid, evaluation_id, digest, import_id, synced_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (evaluation_id) DO UPDATE SET "
        "digest = excluded.digest, import_id = excluded.import_id, synced_at = excluded.synced_at",
        [new_uuid(), evaluation_id, digest, import_id, utcnow_iso()],
    )


def conflict_kind(mine: Form, theirs: Form) -> str:
    signed = (mine.status in lifecycle.LOCKED, theirs.status in lifecycle.LOCKED)
    return "signed_vs_edited" if signed[0] != signed[1] else "edited_both"


def _store_conflict(
    ctx: MergeContext, evaluation_id: int, mine: Form, theirs: Form, base: str | None
) -> int:
    """Keep theirs for the lead; a newer arrival replaces an open conflict's incoming side."""
    values = [
        ctx.import_id,
        conflict_kind(mine, theirs),
        base,
        mine.digest(),
        theirs.digest(),
        json.dumps(theirs.as_json(), ensure_ascii=False, sort_keys=True),
        utcnow_iso(),
    ]
    row = ctx.ws.db.execute(
        "SELECT id FROM bundle_conflicts WHERE evaluation_id = ? AND status = 'open'",
        [evaluation_id],
    ).fetchone()
    if row is not None:
        ctx.ws.db.execute(
            "UPDATE bundle_conflicts SET import_id = ?, kind = ?, base_digest = ?, "
            "mine_digest = ?, theirs_digest = ?, theirs = ?, detected_at = ? WHERE id = ?",
            [*values, row[0]],
        )
        return int(row[0])
    cur = ctx.ws.db.execute(
        "INSERT INTO bundle_conflicts (uuid, import_id, kind, base_digest, mine_digest, "
        "theirs_digest, theirs, detected_at, evaluation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [new_uuid(), *values, evaluation_id],
    )
    return int(cur.lastrowid)


def _count(counter, form: Form, evaluations: int = 1) -> None:
    counter["evaluations"] += evaluations
    counter["answers"] += len(form.answers)
    counter["answer_notes"] += len(form.notes)


def merge_evaluations(ctx: MergeContext) -> list[int]:
    """Apply the rules above to every evaluation in the bundle; return the conflicts' ids."""
    kids: dict[str, dict[str, list[dict]]] = {}
    sent = {str(r.get("uuid")) for r in ctx.bundle.records("evaluations")}
    for table, _order in CHILDREN:
        for child in ctx.bundle.records(table):
            owner = child.get("evaluation_uuid")
            if owner not in sent:
                raise DataRefused(
                    f"{ctx.where(table)}: record {child.get('uuid')} belongs to evaluation "
                    f"{owner}, which is not in the bundle."
                )
            kids.setdefault(str(owner), {}).setdefault(table, []).append(child)
    conflicts: list[int] = []
    where = ctx.where("evaluations")
    for record in ctx.bundle.records("evaluations"):
        ctx.tick()
        uuid = check_record(record, ctx.shapes["evaluations"], where)
        theirs = _incoming(ctx, record, kids.get(uuid, {}))
        t = theirs.digest()
        local_id = ctx.ids.local_id("evaluations", uuid)
        if local_id is None:
            row, locked = _unlocked(theirs.evaluation)
            local_id = insert_row(ctx, "evaluations", uuid, row)
            ctx.inserted["evaluations"] -= 1
            _insert_children(ctx.ws, local_id, theirs, where)
            if locked:
                ctx.ws.db.execute(
                    "UPDATE evaluations SET status = ? WHERE id = ?", [locked, local_id]
                )
            _count(ctx.inserted, theirs)
            set_base(ctx.ws, local_id, t, ctx.import_id)
            continue
        mine = load_form(ctx.ws, ctx.shapes, local_id)
        m, base = mine.digest(), get_base(ctx.ws, local_id)
        if m == t or base == t:
            _count(ctx.skipped, theirs)
            if m == t and base != t:
                set_base(ctx.ws, local_id, t, ctx.import_id)
        elif base == m:
            replace(ctx.ws, local_id, theirs, where)
            _count(ctx.updated, theirs)
            set_base(ctx.ws, local_id, t, ctx.import_id)
        else:
            conflicts.append(_store_conflict(ctx, local_id, mine, theirs, base))
    return conflicts
