"""Read a sampling frame — one period's eligible contacts — into arrays, fast.

Why it looks like this: the sampler must read about 170,000 contacts (one month of a large
centre), hash their ids, compute per-agent handle-time percentiles and repeat contacts, and draw,
in well under half a second — no slower than SQLite's own ``row_number() over (partition by
agent_id order by random())``. Fetching rows as Python tuples costs more than that on its own, so:

* each needed column comes back as ONE ``group_concat`` string built inside SQLite (an indexed
  range scan on ``started_at``; the aggregates of one query see the rows in the same order),
  which numpy parses in milliseconds; times travel as their stored ISO text (SQLite's
  number-to-text conversion is its dearest step) and are parsed in numpy;
* rare flags (formal and informal complaints, vulnerable customers) and exclusions (already
  evaluated, in an open sample) come from small indexed queries as ids;
* a large period is read as two halves at once — the second on its own read-only connection in
  a worker thread (SQLite and numpy release the GIL while they work) — and the halves are joined
  in time order, so the frame is exactly the one a single query would give. Inside an open
  transaction (whose uncommitted rows another connection cannot see) or for small periods it
  is read in one piece.

A string column whose values contain the separator would not split into the right number of
pieces; that is detected and that piece is then read row by row (slow, but correct).
"""

from __future__ import annotations

import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from qa_studio.domain.sample_keys import SEP, hash_joined, hash_text, iso_seconds, split_joined
from qa_studio.domain.timeutil import parse_iso, to_iso
from qa_studio.storage.db import BUSY_TIMEOUT_MS, Workspace

_SEP_SQL = "char(31)"
HANDLE = "CAST(ifnull(duration_s, 0) + ifnull(hold_s, 0) + ifnull(wrap_s, 0) AS INTEGER)"
REPEAT_WINDOW = timedelta(days=7)
#: Periods with at least this many contacts are read in two halves in parallel.
PARALLEL_MIN_ROWS = 40_000
_CHUNK = 900


@dataclass
class TextColumn:
    """A string column: the joined UTF-8 bytes and each value's offsets (or a plain list)."""

    joined: bytes = b""
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    ends: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    values: list[str] | None = None

    def __len__(self) -> int:
        return len(self.values) if self.values is not None else len(self.starts)

    def __getitem__(self, i: int) -> str:
        if self.values is not None:
            return self.values[i]
        return self.joined[self.starts[i] : self.ends[i]].decode("utf-8")

    def hashes(self) -> np.ndarray:
        if self.values is not None:
            return np.array([hash_text(v) for v in self.values], dtype=np.uint64)
        return hash_joined(self.joined, self.starts, self.ends)

    def lengths(self) -> np.ndarray:
        if self.values is not None:
            return np.array([len(v) for v in self.values], dtype=np.int64)
        return self.ends - self.starts

    def strings(self) -> list[str]:
        if self.values is not None:
            return self.values
        return self.joined.decode("utf-8").split(SEP) if len(self) else []

    def seconds(self) -> np.ndarray:
        """ISO instants as seconds since 1970 (vectorised; odd formats parsed one by one)."""
        if self.values is not None:
            return np.array([int(parse_iso(v).timestamp()) for v in self.values], np.int64)
        secs, ok = iso_seconds(self.joined, self.starts, self.ends)
        for i in np.flatnonzero(~ok).tolist():
            secs[i] = int(parse_iso(self[i]).timestamp())
        return secs

    @staticmethod
    def concat(parts: list[TextColumn]) -> TextColumn:
        if any(p.values is not None for p in parts):
            return TextColumn(values=[v for p in parts for v in p.strings()])
        parts = [p for p in parts if len(p)]
        if len(parts) <= 1:
            return parts[0] if parts else TextColumn()
        shift = np.cumsum([0] + [len(p.joined) + 1 for p in parts[:-1]])
        return TextColumn(
            SEP.encode().join(p.joined for p in parts),
            np.concatenate([p.starts + s for p, s in zip(parts, shift, strict=True)]),
            np.concatenate([p.ends + s for p, s in zip(parts, shift, strict=True)]),
        )


@dataclass(frozen=True)
class FrameQuery:
    """Where the frame comes from: ``[lo, hi)`` UTC, the spec's row filters, and which columns
    the risk keys need."""

    lo: str
    hi: str
    channels: tuple[str, ...] = ()
    min_duration_s: float | None = None
    agent_ids: tuple[int, ...] | None = None
    strata: tuple[str, ...] = ()
    csat: bool = False
    handle: bool = False
    repeat: bool = False

    def where(self) -> tuple[str, list]:
        """The frame's filter beyond the period (``agent_id IS NOT NULL`` and the spec's)."""
        sql, args = ["agent_id IS NOT NULL"], []
        if self.channels:
            sql.append(f"channel IN ({', '.join('?' * len(self.channels))})")
            args += list(self.channels)
        if self.min_duration_s is not None:
            sql.append("ifnull(duration_s, -1) >= ?")
            args.append(float(self.min_duration_s))
        if self.agent_ids is not None:
            sql.append(f"agent_id IN ({', '.join('?' * len(self.agent_ids))})")
            args += list(self.agent_ids)
        return " AND ".join(sql), args

    def columns(self) -> dict[str, tuple[str, bool]]:
        """name → (SQL expression, is text)."""
        out = {
            "ids": ("id", False),
            "agent": ("agent_id", False),
            "external_id": ("external_id", True),
        }
        if self.csat:
            out["csat"] = ("ifnull(csat, 0)", False)
        if self.handle:
            out["handle"] = (HANDLE, False)
        if self.repeat:
            out["customer"] = ("ifnull(customer_ref, '')", True)
            out["started"] = ("started_at", True)
        if self.strata:
            parts = [
                {"channel": "channel", "queue": "ifnull(nullif(queue, ''), '(none)')"}[s]
                for s in self.strata
            ]
            out["stratum"] = (" || '/' || ".join(parts), True)
        return out


@dataclass
class Frame:
    """The frame, one entry per contact in time order, with what the hashing derived."""

    ids: np.ndarray
    agent: np.ndarray
    external_id: TextColumn
    hashes: np.ndarray
    csat: np.ndarray | None = None
    handle: np.ndarray | None = None
    customer: np.ndarray | None = None
    has_customer: np.ndarray | None = None
    seconds: np.ndarray | None = None
    stratum: list[str] | None = None
    later: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """Positions of these interaction ids in the frame (ids not in it are ignored)."""
        if len(ids) == 0 or len(self) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(np.isin(self.ids, ids, kind="table"))


def _ints(text: str | None, count: int) -> np.ndarray | None:
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    if text is None:
        return None
    values = np.fromstring(text, dtype=np.int64, sep=",")
    return values if len(values) == count else None


def _text(text: str | None, count: int) -> TextColumn | None:
    if count == 0:
        return TextColumn()
    joined = (text or "").encode("utf-8")
    found = split_joined(joined, count)
    return None if found is None else TextColumn(joined, found[0], found[1])


def _read_piece(conn: sqlite3.Connection, q: FrameQuery, lo: str, hi: str) -> dict:
    """One time slice of the frame, parsed and hashed (runs in a worker thread for one half)."""
    columns = q.columns()
    where, args = q.where()
    frame_sql = f"FROM interactions WHERE started_at >= ? AND started_at < ? AND {where}"
    params = [lo, hi, *args]
    aggregates = [
        f"group_concat({expr}, {_SEP_SQL})" if text else f"group_concat({expr})"
        for expr, text in columns.values()
    ]
    row = conn.execute(f"SELECT count(*), {', '.join(aggregates)} {frame_sql}", params).fetchone()
    count, got = int(row[0]), {}
    for (name, (_, text)), raw in zip(columns.items(), row[1:], strict=True):
        got[name] = _text(raw, count) if text else _ints(raw, count)
    if any(v is None for v in got.values()):
        # A value contained the separator: read this piece row by row instead.
        rows = conn.execute(
            f"SELECT {', '.join(e for e, _ in columns.values())} {frame_sql}", params
        ).fetchall()
        got = {
            n: TextColumn(values=[r[i] for r in rows])
            if t
            else np.array([r[i] for r in rows], dtype=np.int64)
            for i, (n, (_, t)) in enumerate(columns.items())
        }
    got["hashes"] = got["external_id"].hashes()
    if q.repeat:
        customer = got.pop("customer")
        got["customer"], got["has_customer"] = customer.hashes(), customer.lengths() > 0
        got["seconds"] = got.pop("started").seconds()
    if q.strata:
        got["stratum"] = got["stratum"].strings()
    return got


def period_count(conn: sqlite3.Connection, lo: str, hi: str) -> int:
    """Every contact in ``[lo, hi)``, handled or not (an index-only count)."""
    return int(
        conn.execute(
            "SELECT count(*) FROM interactions WHERE started_at >= ? AND started_at < ?", [lo, hi]
        ).fetchone()[0]
    )


def _split_point(conn: sqlite3.Connection, lo: str, hi: str, count: int) -> str | None:
    row = conn.execute(
        "SELECT started_at FROM interactions WHERE started_at >= ? AND "
        "started_at < ? ORDER BY started_at LIMIT 1 OFFSET ?",
        [lo, hi, count // 2],
    ).fetchone()
    return row[0] if row and lo < row[0] < hi else None


def _worker(ws: Workspace, jobs: list) -> list:
    """Run ``jobs`` (functions of a connection) on a fresh read-only connection."""
    conn = sqlite3.connect(ws.path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return [job(conn) for job in jobs]
    finally:
        conn.close()


def load_frame(ws: Workspace, q: FrameQuery, in_period: int) -> Frame:
    """Read the frame (see the module docstring); ``in_period`` is :func:`period_count`."""
    conn = ws.db.conn
    split = None
    if (
        in_period >= PARALLEL_MIN_ROWS
        and (os.cpu_count() or 1) > 1
        and not conn.in_transaction
        and ws.path.is_file()
    ):
        split = _split_point(conn, q.lo, q.hi, in_period)
    later = (lambda c: later_contacts(c, q)) if q.repeat else None
    if split is None:
        pieces = [_read_piece(conn, q, q.lo, q.hi)]
        late = later(conn) if later else None
    else:
        jobs = [lambda c: _read_piece(c, q, split, q.hi)] + ([later] if later else [])
        with ThreadPoolExecutor(max_workers=1) as pool:
            other = pool.submit(_worker, ws, jobs)
            first = _read_piece(conn, q, q.lo, split)
            results = other.result()
        pieces = [first, results[0]]
        late = results[1] if later else None
    cat = {}
    for name in pieces[0]:
        values = [p[name] for p in pieces]
        if isinstance(values[0], TextColumn):
            cat[name] = TextColumn.concat(values)
        elif isinstance(values[0], list):
            cat[name] = [v for part in values for v in part]
        else:
            cat[name] = np.concatenate(values)
    return Frame(**cat, later=late)


def _ids(conn: sqlite3.Connection, expr: str, rest: str, args: list) -> np.ndarray:
    """The integers ``SELECT expr rest`` selects, read as one ``group_concat``."""
    count, text = conn.execute(
        f"SELECT count({expr}), group_concat({expr}) {rest}", args
    ).fetchone()
    found = _ints(text, int(count))
    return (
        found
        if found is not None
        else np.array(
            [r[0] for r in conn.execute(f"SELECT {expr} {rest}", args).fetchall()], np.int64
        )
    )


def flagged(ws: Workspace, q: FrameQuery, condition: str) -> np.ndarray:
    """Ids of contacts in the period meeting an indexed ``condition``."""
    return _ids(
        ws.db.conn,
        "id",
        f"FROM interactions WHERE {condition} AND started_at >= ? AND started_at < ?",
        [q.lo, q.hi],
    )


def excluded(ws: Workspace, frame: Frame, *, evaluated: bool, open_samples: bool) -> np.ndarray:
    """Ids of frame contacts already evaluated (any evaluation, drafts included) or in an open
    sample — index ranges on ``interaction_id`` between the frame's smallest and largest id."""
    if len(frame) == 0:
        return np.zeros(0, dtype=np.int64)
    out = [np.zeros(0, dtype=np.int64)]
    span = [int(frame.ids.min()), int(frame.ids.max())]
    if evaluated:
        out.append(
            _ids(
                ws.db.conn,
                "interaction_id",
                "FROM evaluations WHERE interaction_id BETWEEN ? AND ?",
                span,
            )
        )
    if open_samples:
        out.append(
            _ids(
                ws.db.conn,
                "si.interaction_id",
                "FROM sample_items si JOIN samples s "
                "ON s.id = si.sample_id WHERE s.status = 'open' "
                "AND si.interaction_id BETWEEN ? AND ?",
                span,
            )
        )
    return np.concatenate(out)


def later_contacts(conn: sqlite3.Connection, q: FrameQuery) -> tuple[np.ndarray, np.ndarray]:
    """(customer hash, seconds) of every contact that can make a frame contact a repeat: those
    in the 7 days after the period, and those in the period outside the frame."""
    where, args = q.where()
    outside = "agent_id IS NULL" if where == "agent_id IS NOT NULL" else f"NOT ({where})"
    hi7 = to_iso(parse_iso(q.hi) + REPEAT_WINDOW)
    hashes, times = [], []
    for condition, params in (
        ("started_at >= ? AND started_at < ?", [q.hi, hi7]),
        (f"started_at >= ? AND started_at < ? AND {outside}", [q.lo, q.hi, *args]),
    ):
        base = (
            f"FROM interactions WHERE customer_ref IS NOT NULL AND customer_ref <> '' "
            f"AND {condition}"
        )
        row = conn.execute(
            f"SELECT count(*), group_concat(customer_ref, {_SEP_SQL}), "
            f"group_concat(started_at, {_SEP_SQL}) {base}",
            params,
        ).fetchone()
        customer, started = _text(row[1], row[0]), _text(row[2], row[0])
        if customer is None or started is None:
            rows = conn.execute(f"SELECT customer_ref, started_at {base}", params).fetchall()
            customer = TextColumn(values=[r[0] for r in rows])
            started = TextColumn(values=[r[1] for r in rows])
        hashes.append(customer.hashes())
        times.append(started.seconds())
    return np.concatenate(hashes), np.concatenate(times)


def drawn_details(ws: Workspace, ids: list[int]) -> dict[int, tuple]:
    """``{id: (channel, queue, started_at)}`` of the drawn contacts."""
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        out.update(
            (r[0], r[1:])
            for r in ws.db.conn.execute(
                "SELECT id, channel, queue, started_at FROM interactions WHERE id IN "
                f"({', '.join('?' * len(part))})",
                part,
            )
        )
    return out
