"""Merging reference rows: people, interactions, transcripts, scorecards, samples.

A record is matched to a local row by uuid, else by a natural key (an agent's external id, a
team's name, a scorecard version's YAML digest …) so a workspace that met the same agent through
its own import does not get a duplicate. Then:

* unknown → inserted with the sender's uuid;
* identical → skipped;
* different → in an **assignment** (the lead's data is the reference) the row is updated; in a
  **results** bundle the lead's own row is kept. A sample item's status only ever moves forward
  (assigned → in progress → done), whichever side sends it.

Published scorecard versions are immutable: a known version is only ever matched (a different
YAML under the same identity refuses the bundle); an unknown one is inserted after its YAML is
checked against its digest and validated, taking the next free number if its own is taken.
Recordings named by an assignment are planned as copies into ``NAME.media/<uuid>/…`` and copied
by the caller only once the transaction has committed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qa_studio.bundles.format import OpenedBundle
from qa_studio.bundles.records import IdMap, Shape, check_record, local_values
from qa_studio.errors import DataRefused, QAStudioError
from qa_studio.scorecards import loader
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.audit import sha256_text

ITEM_ORDER = {"assigned": 0, "in_progress": 1, "done": 2}
#: Columns set only once every record is in: a calibration session that arrives closed would
#: otherwise refuse its own items and evaluations (migration m006 guards closed sessions).
DEFERRED: dict[str, tuple[str, ...]] = {"calibration_sessions": ("closed_at",)}
_MEDIA = (
    ("recording_member", "recording_path", "recording"),
    ("screen_recording_member", "screen_recording_path", "screen"),
)


@dataclass(frozen=True)
class MediaCopy:
    member: str
    target: Path


@dataclass
class MergeContext:
    """What one import shares across tables: the bundle, id mapping, counts and plans."""

    ws: Workspace
    bundle: OpenedBundle
    shapes: dict[str, Shape]
    ids: IdMap
    authoritative: bool
    import_id: int
    tick: Callable[[], None] = lambda: None
    inserted: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    media: list[MediaCopy] = field(default_factory=list)
    renumbered: list[str] = field(default_factory=list)
    new_rows: dict[str, list[int]] = field(default_factory=dict)
    deferred: list[tuple[str, int, dict[str, object]]] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.bundle.source

    def where(self, table: str) -> str:
        return f"{self.source}: records/{table}.json"


def insert_row(ctx: MergeContext, table: str, uuid: str, values: dict[str, object]) -> int:
    columns = ["uuid", *values]
    try:
        cur = ctx.ws.db.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [uuid, *values.values()],
        )
    except sqlite3.IntegrityError as exc:
        raise DataRefused(f"{ctx.where(table)}: record {uuid} cannot be stored ({exc}).") from exc
    row_id = int(cur.lastrowid)
    ctx.ids.remember(table, uuid, row_id)
    ctx.inserted[table] += 1
    ctx.new_rows.setdefault(table, []).append(row_id)
    return row_id


def _find(ctx: MergeContext, shape: Shape, uuid: str, values: dict[str, object]) -> int | None:
    found = ctx.ids.local_id(shape.table, uuid)
    if found is not None:
        return found
    for key in shape.natural:
        if all(values.get(c) is not None for c in key):
            row = ctx.ws.db.execute(
                f"SELECT id FROM {shape.table} WHERE {' AND '.join(f'{c} = ?' for c in key)}",
                [values[c] for c in key],
            ).fetchone()
            if row is not None:
                ctx.ids.remember(shape.table, uuid, int(row[0]))
                return int(row[0])
    return None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _media_paths(ctx: MergeContext, record: dict, uuid: str, local_id: int | None) -> dict:
    """Recording paths for an assignment's interaction; plans the copies it needs."""
    out: dict[str, object] = {}
    local_uuid = uuid
    if local_id is not None:
        local_uuid = ctx.ws.db.execute(
            "SELECT uuid FROM interactions WHERE id = ?", [local_id]
        ).fetchone()[0]
    for member_field, column, kind in _MEDIA:
        if member_field not in record:
            continue
        member = record[member_field]
        if member is None:
            if local_id is None:
                out[column] = None
            continue
        expected = ctx.bundle.manifest.members.get(str(member))
        if expected is None or not str(member).startswith(f"media/{uuid}/{kind}/"):
            raise DataRefused(
                f"{ctx.where('interactions')}: record {uuid} names recording '{member}', "
                "which is not in the bundle."
            )
        if local_id is not None:
            current = ctx.ws.db.execute(
                f"SELECT {column} FROM interactions WHERE id = ?", [local_id]
            ).fetchone()[0]
            resolved = ctx.ws.resolve_media(current)
            if (
                resolved is not None
                and resolved.is_file()
                and _sha256_file(resolved) == expected.sha256
            ):
                continue
        relative = f"{ctx.ws.media_dir.name}/{local_uuid}/{kind}/{str(member).rsplit('/', 1)[1]}"
        out[column] = relative
        ctx.media.append(MediaCopy(str(member), ctx.ws.path.parent / relative))
    return out


def _scorecard_version(
    ctx: MergeContext, shape: Shape, uuid: str, values: dict[str, object]
) -> None:
    where = ctx.where(shape.table)
    text, digest = values.get("yaml"), values.get("sha256")
    if not isinstance(text, str) or sha256_text(text) != digest:
        raise DataRefused(f"{where}: scorecard version {uuid}: its YAML does not match its sha256.")
    known = ctx.ids.local_id(shape.table, uuid)
    if known is not None:
        held = ctx.ws.db.execute(
            "SELECT sha256 FROM scorecard_versions WHERE id = ?", [known]
        ).fetchone()[0]
        if held != digest:
            raise DataRefused(
                f"{where}: scorecard version {uuid} differs from the version held here under the "
                "same identity; published versions never change, so the bundle was refused."
            )
        ctx.skipped[shape.table] += 1
        return
    if _find(ctx, shape, uuid, values) is not None:
        ctx.skipped[shape.table] += 1
        return
    number = values.get("version")
    try:
        loader.load_text(text, f"{uuid}.yaml")
    except QAStudioError as exc:
        raise DataRefused(
            f"{where}: scorecard version {uuid} is not a valid scorecard.", exc.details
        ) from exc
    taken = ctx.ws.db.execute(
        "SELECT 1 FROM scorecard_versions WHERE scorecard_id = ? AND version = ?",
        [values.get("scorecard_id"), number],
    ).fetchone()
    if taken is not None:
        top = ctx.ws.db.execute(
            "SELECT max(version) FROM scorecard_versions WHERE scorecard_id = ?",
            [values.get("scorecard_id")],
        ).fetchone()[0]
        values["version"] = int(top) + 1
        ctx.renumbered.append(f"{uuid}: version {number} → {values['version']}")
    insert_row(ctx, shape.table, uuid, values)


def _differences(ctx: MergeContext, table: str, row_id: int, values: dict) -> dict[str, object]:
    if not values:
        return {}
    row = ctx.ws.db.execute(
        f"SELECT {', '.join(values)} FROM {table} WHERE id = ?", [row_id]
    ).fetchone()
    held = dict(zip(values, row, strict=True))
    changed = {c: v for c, v in values.items() if held[c] != v}
    backwards = "status" in changed and ITEM_ORDER.get(str(values["status"]), -1) <= ITEM_ORDER.get(
        held["status"], -1
    )
    if table == "sample_items" and backwards:
        del changed["status"]
    if not ctx.authoritative:
        changed = {c: v for c, v in changed.items() if table == "sample_items" and c == "status"}
    return changed


def merge_table(ctx: MergeContext, table: str) -> None:
    """Merge every record of ``records/TABLE.json`` (see the module docstring)."""
    shape = ctx.shapes[table]
    where = ctx.where(table)
    for record in ctx.bundle.records(table):
        ctx.tick()
        uuid = check_record(record, shape, where)
        values = local_values(record, shape, ctx.ids, where)
        if table == "scorecard_versions":
            _scorecard_version(ctx, shape, uuid, values)
            continue
        local_id = _find(ctx, shape, uuid, values)
        if table == "interactions" and ctx.authoritative:
            values.update(_media_paths(ctx, record, uuid, local_id))
        later = {c: values.pop(c) for c in DEFERRED.get(table, ()) if values.get(c) is not None}
        if local_id is None:
            local_id = insert_row(ctx, table, uuid, values)
            if later:
                ctx.deferred.append((table, local_id, later))
            continue
        changed = _differences(ctx, table, local_id, values)
        late = _differences(ctx, table, local_id, later) if later else {}
        if late:
            ctx.deferred.append((table, local_id, late))
        if changed:
            try:
                ctx.ws.db.execute(
                    f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changed)} WHERE id = ?",
                    [*changed.values(), local_id],
                )
            except sqlite3.IntegrityError as exc:
                raise DataRefused(f"{where}: record {uuid} cannot be stored ({exc}).") from exc
        if changed or late:
            ctx.updated[table] += 1
        else:
            ctx.skipped[table] += 1


def apply_deferred(ctx: MergeContext) -> None:
    """Set the deferred columns (close arriving calibration sessions) once all rows are in."""
    for table, row_id, values in ctx.deferred:
        try:
            ctx.ws.db.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)} WHERE id = ?",
                [*values.values(), row_id],
            )
        except sqlite3.IntegrityError as exc:
            raise DataRefused(
                f"{ctx.where(table)}: row {row_id} cannot be stored ({exc})."
            ) from exc
