"""Rows as they travel: local integer keys replaced by the uuids of the rows they point to.

Why generic: the shape of every table — its columns, which of them are foreign keys and to what,
its natural keys — is read from the schema itself (``PRAGMA table_info``, ``foreign_key_list``,
``index_list``), so a column a later migration adds travels without touching this package, and a
table a later feature wants to send (calibration sessions, targeted reviews) needs only its name
in ``TRAVELLING``. A record is ``{"uuid": …, column: value, …, "agent_uuid": …}``: the ``agent_id``
column travels as the uuid of that agent, and is turned back into the receiving workspace's own id
on import (``IdMap``). Rows are chosen with ``Selection``: seed rows plus everything they refer
to, followed to the end (an interaction brings its agent, the agent its team).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from qa_studio.errors import DataRefused

#: Tables whose rows can travel in a bundle, in no particular order (``ordered`` sorts them).
TRAVELLING: tuple[str, ...] = (
    "evaluators",
    "teams",
    "agents",
    "interactions",
    "transcripts",
    "scorecards",
    "scorecard_versions",
    "samples",
    "sample_items",
    "calibration_sessions",
    "calibration_items",
    "calibration_evaluators",
    "evaluations",
    "answers",
    "answer_notes",
)
#: Columns that only mean something on one machine (file paths): never sent as they are.
LOCAL_COLUMNS: dict[str, frozenset[str]] = {
    "interactions": frozenset({"recording_path", "screen_recording_path"}),
}
#: Fields a record may carry beside its columns: the media members of an interaction.
EXTRA_FIELDS: dict[str, frozenset[str]] = {
    "interactions": frozenset({"recording_member", "screen_recording_member"}),
}
#: Natural keys that are not UNIQUE constraints: a version is the same version when its YAML is.
NATURAL_OVERRIDES: dict[str, tuple[tuple[str, ...], ...]] = {
    "scorecard_versions": (("scorecard_id", "sha256"),),
}
_CHUNK = 900


@dataclass(frozen=True)
class Ref:
    column: str
    field: str
    table: str
    notnull: bool


@dataclass(frozen=True)
class Shape:
    table: str
    columns: tuple[str, ...]
    refs: tuple[Ref, ...]
    natural: tuple[tuple[str, ...], ...]

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(
            {"uuid", *self.columns, *(r.field for r in self.refs)}
            | EXTRA_FIELDS.get(self.table, frozenset())
        )


def ref_field(column: str) -> str:
    return (column[:-3] if column.endswith("_id") else column) + "_uuid"


def _shape(db: Database, table: str) -> Shape:
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    notnull = {r[1]: bool(r[3]) for r in info}
    refs = tuple(
        Ref(r[3], ref_field(r[3]), r[2], notnull[r[3]])
        for r in db.execute(f"PRAGMA foreign_key_list({table})").fetchall()
        if r[2] in TRAVELLING
    )
    foreign = {r[3] for r in db.execute(f"PRAGMA foreign_key_list({table})").fetchall()}
    local = LOCAL_COLUMNS.get(table, frozenset())
    columns = tuple(
        r[1] for r in info if r[1] not in ("id", "uuid") and r[1] not in foreign | local
    )
    natural = NATURAL_OVERRIDES.get(table)
    if natural is None:
        found = []
        for idx in db.execute(f"PRAGMA index_list({table})").fetchall():
            if idx[2] and idx[3] in ("u", "c") and not idx[4]:
                cols = tuple(r[2] for r in db.execute(f"PRAGMA index_info({idx[1]})"))
                if cols not in (("uuid",), ("id",)):
                    found.append(cols)
        natural = tuple(found)
    return Shape(table, columns, refs, natural)


def shapes(db: Database) -> dict[str, Shape]:
    """The shape of every travelling table this workspace has."""
    present = set(db.table_names())
    return {t: _shape(db, t) for t in TRAVELLING if t in present}


def ordered(all_shapes: dict[str, Shape]) -> list[str]:
    """Tables in an order where every table comes after the tables it refers to."""
    done: list[str] = []
    pending = dict(all_shapes)
    while pending:
        ready = [
            t
            for t, s in pending.items()
            if all(r.table in done or r.table == t or r.table not in all_shapes for r in s.refs)
        ]
        if not ready:
            raise DataRefused(f"tables refer to each other in a cycle: {', '.join(pending)}.")
        for t in sorted(ready, key=TRAVELLING.index):
            done.append(t)
            del pending[t]
    return done


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class Selection:
    """Row ids chosen per table; ``close()`` adds every row they refer to."""

    def __init__(self, db: Database, all_shapes: dict[str, Shape]) -> None:
        self.db = db
        self.shapes = all_shapes
        self.ids: dict[str, set[int]] = {t: set() for t in all_shapes}

    def add(self, table: str, ids: Iterable[int]) -> None:
        self.ids[table].update(int(i) for i in ids)

    def add_children(self, table: str, column: str, parent: str) -> None:
        """Rows of ``table`` whose ``column`` points at a chosen ``parent`` row."""
        for part in _chunks(self.ids[parent]):
            marks = ", ".join("?" * len(part))
            rows = self.db.execute(
                f"SELECT id FROM {table} WHERE {column} IN ({marks})", part
            ).fetchall()
            self.add(table, (r[0] for r in rows))

    def close(self) -> None:
        changed = True
        while changed:
            changed = False
            for table, shape in self.shapes.items():
                for ref in shape.refs:
                    before = len(self.ids[ref.table])
                    for part in _chunks(self.ids[table]):
                        marks = ", ".join("?" * len(part))
                        rows = self.db.execute(
                            f"SELECT DISTINCT {ref.column} FROM {table} "
                            f"WHERE id IN ({marks}) AND {ref.column} IS NOT NULL",
                            part,
                        ).fetchall()
                        self.ids[ref.table].update(int(r[0]) for r in rows)
                    changed |= len(self.ids[ref.table]) != before

    def counts(self) -> dict[str, int]:
        return {t: len(ids) for t, ids in self.ids.items() if ids}


def export_rows(db: Database, shape: Shape, ids: Iterable[int]) -> list[dict]:
    """The records of ``shape.table`` rows ``ids``, by id, foreign keys as uuids."""
    select = ["t.uuid", *(f"t.{c}" for c in shape.columns)]
    joins = []
    for n, ref in enumerate(shape.refs):
        select.append(f"r{n}.uuid")
        joins.append(f"LEFT JOIN {ref.table} r{n} ON r{n}.id = t.{ref.column}")
    names = ["uuid", *shape.columns, *(r.field for r in shape.refs)]
    out: list[dict] = []
    for part in _chunks(ids):
        marks = ", ".join("?" * len(part))
        sql = (
            f"SELECT {', '.join(select)} FROM {shape.table} t {' '.join(joins)} "
            f"WHERE t.id IN ({marks}) ORDER BY t.id"
        )
        out.extend(dict(zip(names, row, strict=True)) for row in db.execute(sql, part))
    return out


class IdMap:
    """uuid → local id per table, filled as records are matched or inserted."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ids: dict[str, dict[str, int]] = {}

    def remember(self, table: str, uuid: str, row_id: int) -> None:
        self._ids.setdefault(table, {})[uuid] = int(row_id)

    def local_id(self, table: str, uuid: str) -> int | None:
        known = self._ids.setdefault(table, {})
        if uuid not in known:
            row = self.db.execute(f"SELECT id FROM {table} WHERE uuid = ?", [uuid]).fetchone()
            if row is None:
                return None
            known[uuid] = int(row[0])
        return known[uuid]


def check_record(record: dict, shape: Shape, where: str) -> str:
    """The record's uuid, after checking its fields are the table's and its values scalars."""
    uuid = record.get("uuid")
    if not isinstance(uuid, str) or not uuid:
        raise DataRefused(f"{where}: a record has no uuid.")
    unknown = sorted(set(record) - shape.fields)
    if unknown:
        raise DataRefused(f"{where}: record {uuid} has unknown fields: {', '.join(unknown)}.")
    for key, value in record.items():
        if value is not None and not isinstance(value, str | int | float):
            raise DataRefused(f"{where}: record {uuid} field '{key}' must be text or a number.")
    return uuid


def local_values(record: dict, shape: Shape, ids: IdMap, where: str) -> dict[str, object]:
    """Column → value for this workspace: plain columns as sent, references as local ids."""
    values: dict[str, object] = {c: record[c] for c in shape.columns if c in record}
    for ref in shape.refs:
        if ref.field not in record:
            continue
        target = record[ref.field]
        if target is None:
            values[ref.column] = None
            continue
        local = ids.local_id(ref.table, str(target))
        if local is None:
            raise DataRefused(
                f"{where}: record {record.get('uuid')} refers to unknown "
                f"{ref.table[:-1].replace('_', ' ')} {target}: it is neither in the bundle nor "
                "in this workspace.",
                ["The bundle is incomplete; ask for it to be exported again."],
            )
        values[ref.column] = local
    return values
