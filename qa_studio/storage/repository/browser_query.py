"""The interaction browser's count and page queries, fast on millions of rows.

A workspace may hold millions of interactions and the browser must answer every scroll, filter and
sort in well under a second, so the queries here are shaped by hand rather than left to chance:

* **One driving index.** Without statistics SQLite happily drives a query from a 30 %-selective
  index (channel) when a 4 % one (agent) is there too. The most selective filter present keeps its
  plain column; every other indexed filter is written ``+column`` so the planner cannot pick it.
  Agent (or team) with channel is pinned to the ``(agent_id, channel, started_at)`` index.
* **Sorts follow indexes.** Started and external id sort in index order. Agent, team, channel,
  complaint and vulnerable sort by *segments*: one run of rows per agent (or channel, …), each read
  newest first from its ``(column, started_at)`` index, with segment sizes counted lazily from the
  nearer end. Any column may be sorted while at most ``SORT_ROW_LIMIT`` rows match (a small sort);
  past that the other columns refuse with a message instead of sorting a million rows.
* **Pages by id; keyset after a neighbour, else OFFSET from the nearer end.** A page first reads
  the ids only (index-only stepping), then loads the rows. A page next to one already read carries
  on from its boundary row (``(started_at, id) < (?, ?)``: no OFFSET at all, so scrolling costs the
  same anywhere); a jump counts its offset from whichever end of the result is nearer.

Measured on a million interactions (``benchmarks/browser_bench.py``): counts and first pages take
milliseconds to tens of milliseconds; the slowest cases are jumps deep into an external-id sort with
another filter, or into a barely narrowing id prefix (~1 s: row lookups), and into one team's
contacts (~0.2-0.4 s: a sort of the team's rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.domain.models import CHANNELS
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.browser import (
    BrowserFilter,
    BrowserRow,
    BrowserSort,
    SortRefused,
    list_agents,
    list_teams,
)

#: Sort keys, in the browser's column order.
SORT_KEYS: tuple[str, ...] = (
    "started_at", "channel", "agent", "team", "queue", "duration_s", "csat", "fcr", "complaint",
    "vulnerable", "external_id",
)  # fmt: skip
#: Past this many matching rows only indexed or segmented sorts are allowed.
SORT_ROW_LIMIT = 50_000
#: An external-id prefix matching at most this many rows drives the query through its index.
PREFIX_DRIVER_LIMIT = 20_000
#: Sorts served segment by segment (one index run per agent, channel, …) at any size.
SEGMENTED_SORTS = frozenset({"agent", "team", "channel", "complaint", "vulnerable"})
#: ORDER BY terms of a small sort, as (expression, follows the sort direction); nulls and rows
#: without an agent or team come last either way, and ties go newest first. They order rows exactly
#: as the segments of a large sort do, so widening a filter never reshuffles what was on screen.
_SMALL_ORDER: dict[str, tuple[tuple[str, bool], ...]] = {
    "channel": (("i.channel", True),),
    "agent": (("a.id IS NULL", False), ("a.name COLLATE NOCASE", True), ("a.id", True)),
    "team": (
        ("a.id IS NULL", False),
        ("t.id IS NULL", False),
        ("t.name COLLATE NOCASE", True),
        ("a.name COLLATE NOCASE", True),
        ("a.id", True),
    ),
    "queue": (("i.queue IS NULL", False), ("i.queue COLLATE NOCASE", True)),
    "duration_s": (("i.duration_s IS NULL", False), ("i.duration_s", True)),
    "csat": (("i.csat IS NULL", False), ("i.csat", True)),
    "fcr": (("i.fcr IS NULL", False), ("i.fcr", True)),
    "complaint": (("CASE i.complaint WHEN 'none' THEN 0 WHEN 'informal' THEN 1 ELSE 2 END", True),),
    "vulnerable": (("i.vulnerable", True),),
    "external_id": (("i.external_id", True),),
}
_NEWEST_FIRST = (("i.started_at", True), ("i.id", True))
_JOINS = " LEFT JOIN agents a ON a.id = i.agent_id LEFT JOIN teams t ON t.id = a.team_id"
_ROW_SQL = (
    "SELECT i.id, i.external_id, i.channel, i.started_at, a.name, t.name, i.queue, i.duration_s,"
    " i.csat, i.fcr, i.complaint, i.vulnerable FROM interactions i" + _JOINS + " WHERE i.id IN ({})"
)


@dataclass(frozen=True)
class _Term:
    name: str
    sql: str
    params: tuple
    suppressed: str


def _nocase(text: str) -> str:
    """Python's twin of SQLite's NOCASE collation (which folds ASCII letters only)."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """``[prefix, prefix + U+10FFFF)``: every string starting with ``prefix``, via the index."""
    return prefix, prefix + "\U0010ffff"


def _terms(flt: BrowserFilter) -> list[_Term]:
    terms: list[_Term] = []

    def add(name: str, sql: str, params: tuple = ()) -> None:
        terms.append(_Term(name, sql, params, sql.replace("i.", "+i.")))

    if flt.external_id_prefix:
        add(
            "prefix",
            "i.external_id >= ? AND i.external_id < ?",
            prefix_bounds(flt.external_id_prefix),
        )
    if flt.agent_id is not None:
        add("agent", "i.agent_id = ?", (flt.agent_id,))
    if flt.vulnerable_only:
        add("vulnerable", "i.vulnerable = 1")
    if flt.complaint == "any":
        add("complaint", "i.complaint IN ('informal', 'formal')")
    elif flt.complaint in ("informal", "formal"):
        add("complaint", "i.complaint = ?", (flt.complaint,))
    if flt.team_id is not None:
        add("team", "i.agent_id IN (SELECT id FROM agents WHERE team_id = ?)", (flt.team_id,))
    if flt.channel:
        add("channel", "i.channel = ?", (flt.channel,))
    if flt.complaint == "none":
        add("complaint_none", "i.complaint = 'none'")
    if flt.started_from:
        add("range", "i.started_at >= ?", (flt.started_from,))
    if flt.started_before:
        add("range", "i.started_at < ?", (flt.started_before,))
    return terms


def _where(
    terms: list[_Term], keep: set[str], extra: list[tuple[str, tuple]] = ()
) -> tuple[str, list]:
    parts, params = [], []
    for sql, values in extra:
        if sql:
            parts.append(sql)
            params.extend(values)
    for term in terms:
        parts.append(term.sql if term.name in keep else term.suppressed)
        params.extend(term.params)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _order(terms: tuple[tuple[str, bool], ...], reverse: bool = False, sort: bool = False) -> str:
    """ORDER BY text; ``sort`` writes ``+expr`` so no index is used for order (SQLite sorts)."""
    plus = "+" if sort else ""
    return ", ".join(f"{plus}{e} {'DESC' if d != reverse else 'ASC'}" for e, d in terms)


class BrowserQuery:
    """One filter and sort over a workspace: its total and any page of its rows.

    Construction counts the matching rows (and raises ``SortRefused`` for a sort that would order
    too many rows without an index); ``rows(offset, limit)`` then serves pages in sort order.
    """

    def __init__(self, ws: Workspace, flt: BrowserFilter, sort: BrowserSort) -> None:
        if sort.key not in SORT_KEYS:
            raise SortRefused(f"cannot sort by {sort.key!r}")
        self.ws, self.filter, self.sort = ws, flt, sort
        self._terms = _terms(flt)
        self._keep = self._driver()
        sql, params = _where(self._terms, self._keep)
        self.total = self._scalar(f"SELECT count(*) {self._from()}{sql}", params)
        self._segments: list[tuple[str, tuple]] = [("", ())]
        self._counts: dict[int, int] = {0: self.total}
        self._keys: dict[int, dict[int, tuple]] = {}
        self._joins = ""
        #: The columns of an index order, for keyset continuation; empty for a small sort.
        self._key_cols: tuple[str, ...] = ("i.started_at", "i.id")
        self._order: tuple[tuple[str, bool], ...] = (
            ("i.started_at", sort.descending),
            ("i.id", sort.descending),
        )
        #: Filter first, then let SQLite sort: for few rows, and for an id prefix, whose index
        #: does not run in start-time order (an ordered scan of another index would look up far
        #: more rows than match).
        self._sort_after = "prefix" in self._keep
        if sort.key == "started_at":
            return
        if self.total <= SORT_ROW_LIMIT:
            self._small_sort()
        elif sort.key == "external_id":
            self._keep = {"prefix"}
            self._order = (("i.external_id", sort.descending),)
            self._key_cols = ("i.external_id",)
            self._sort_after = False
        elif sort.key in SEGMENTED_SORTS:
            self._segments = self._segment_terms()
            self._counts = {}
            names = {t.name for t in self._terms}
            self._keep = {"range"} | (
                names & {"channel"} if sort.key in ("agent", "team") else set()
            )
            self._order = _NEWEST_FIRST
            self._sort_after = False
        else:
            raise SortRefused(
                f"{self.total:,} interactions match: narrow the filter to at most "
                f"{SORT_ROW_LIMIT:,} to sort by this column.",
                [
                    "Started, channel, agent, team, complaint, vulnerable and external id "
                    "sort at any size."
                ],
            )

    def _small_sort(self) -> None:
        """Few enough rows to let SQLite sort them, whatever the column."""
        key, desc = self.sort.key, self.sort.descending
        self._joins = _JOINS if key in ("agent", "team") else ""
        self._key_cols = ()
        self._sort_after = True
        self._order = (*((e, desc and follows) for e, follows in _SMALL_ORDER[key]), *_NEWEST_FIRST)

    # -- planning -----------------------------------------------------------------------------

    def _scalar(self, sql: str, params: list | tuple = ()) -> int:
        return int(self.ws.db.execute(sql, list(params)).fetchone()[0])

    def _driver(self) -> set[str]:
        names = {t.name for t in self._terms}
        if "prefix" in names:
            lo, hi = prefix_bounds(self.filter.external_id_prefix)
            n = self._scalar(
                "SELECT count(*) FROM (SELECT 1 FROM interactions WHERE "
                "external_id >= ? AND external_id < ? LIMIT ?)",
                (lo, hi, PREFIX_DRIVER_LIMIT + 1),
            )
            if n <= PREFIX_DRIVER_LIMIT:
                return {"prefix"}
        for name in ("agent", "vulnerable", "complaint", "team", "channel", "complaint_none"):
            if name in names:
                if name in ("agent", "team") and "channel" in names:
                    return {name, "channel", "range"}  # the (agent_id, channel, started_at) index
                return {name, "range"}
        return {"range"}

    def _segment_terms(self) -> list[tuple[str, tuple]]:
        """The segments of a segmented sort, in ascending order (reversed for descending)."""
        key, flt = self.sort.key, self.filter
        if key in ("agent", "team"):
            desc = self.sort.descending
            agents = [
                a
                for a in list_agents(self.ws)
                if flt.agent_id in (None, a.id) and flt.team_id in (None, a.team_id)
            ]
            loose = sorted(
                (a for a in agents if key == "agent" or a.team_id is None),
                key=lambda a: (_nocase(a.name), a.id),
                reverse=desc,
            )
            if key == "team":
                names = {tid: _nocase(name) for tid, name in list_teams(self.ws)}
                teamed = sorted(
                    (a for a in agents if a.team_id is not None),
                    key=lambda a: (names[a.team_id], _nocase(a.name), a.id),
                    reverse=desc,
                )
                loose = teamed + loose
            segs = [("i.agent_id = ?", (a.id,)) for a in loose]
            if flt.agent_id is None and flt.team_id is None:
                segs.append(("i.agent_id IS NULL", ()))
            return segs
        if key == "channel":
            values: list = sorted(c for c in CHANNELS if flt.channel in (None, c))
        elif key == "complaint":
            wanted = {"any": ("informal", "formal"), None: ("none", "informal", "formal")}
            values = list(wanted.get(flt.complaint, (flt.complaint,)))
        else:
            values = [1] if flt.vulnerable_only else [0, 1]
        if self.sort.descending:
            values.reverse()
        column = {"channel": "i.channel", "complaint": "i.complaint", "vulnerable": "i.vulnerable"}[
            key
        ]
        return [(f"{column} = ?", (v,)) for v in values]

    def _from(self) -> str:
        """``FROM interactions i``, pinned to the agent-and-channel index when both filter.

        Left to itself SQLite reads a team's chats through the channel index in start order,
        looking up every chat to find the team's; the pinned index answers from itself.
        """
        if "channel" in self._keep and self._keep & {"agent", "team"}:
            return "FROM interactions i INDEXED BY interactions_agent_channel_started"
        return "FROM interactions i"

    def _count(self, index: int) -> int:
        if index not in self._counts:
            sql, params = _where(self._terms, self._keep, [self._segments[index]])
            self._counts[index] = self._scalar(f"SELECT count(*) {self._from()}{sql}", params)
        return self._counts[index]

    def _known_reach(self, forward: bool) -> int:
        """How far from the front (or back) segment boundaries are known without counting."""
        pos, step = (0, 1) if forward else (self.total, -1)
        indexes = range(len(self._segments))
        for i in indexes if forward else reversed(indexes):
            if i not in self._counts:
                break
            pos += step * self._counts[i]
        return pos

    def _spans(self, offset: int, end: int) -> list[tuple[int, int, int]]:
        """(segment, offset in it, rows) covering [offset, end), sizes counted from the nearer end."""
        spans: list[tuple[int, int, int]] = []
        front, back = self._known_reach(True), self._known_reach(False)
        if front >= end or (back > offset and offset < self.total - end):
            start = 0
            for i in range(len(self._segments)):
                if start >= end:
                    break
                n = self._count(i)
                lo, hi = max(offset, start), min(end, start + n)
                if hi > lo:
                    spans.append((i, lo - start, hi - lo))
                start += n
            return spans
        stop = self.total
        for i in reversed(range(len(self._segments))):
            if stop <= offset:
                break
            n = self._count(i)
            first = stop - n
            lo, hi = max(offset, first), min(end, stop)
            if hi > lo:
                spans.append((i, lo - first, hi - lo))
            stop = first
        spans.reverse()
        return spans

    # -- pages --------------------------------------------------------------------------------

    def _ids(self, index: int, offset: int, limit: int) -> list[int]:
        """Ids of rows [offset, offset + limit) of one segment.

        After a neighbouring page, continue from its boundary row ("keyset": no OFFSET at all);
        otherwise step over the nearer end's rows in index order.
        """
        n = self._count(index)
        from_end = n - (offset + limit)
        reverse, skip = from_end < offset, max(0, min(offset, from_end))
        keys = self._keys.setdefault(index, {})
        extra = [self._segments[index]]
        if self._key_cols:
            cols, marks = ", ".join(self._key_cols), ", ".join("?" * len(self._key_cols))
            desc = self._order[0][1]
            if offset - 1 in keys:
                reverse, skip = False, 0
                extra.append((f"({cols}) {'<' if desc else '>'} ({marks})", keys[offset - 1]))
            elif offset + limit in keys:
                reverse, skip = True, 0
                extra.append((f"({cols}) {'>' if desc else '<'} ({marks})", keys[offset + limit]))
        sql, params = _where(self._terms, self._keep, extra)
        rows = self.ws.db.execute(
            f"SELECT i.id, {', '.join(self._key_cols) or 'NULL'} {self._from()}"
            f"{self._joins}{sql} ORDER BY {_order(self._order, reverse, self._sort_after)} "
            "LIMIT ? OFFSET ?",
            [*params, limit, skip],
        ).fetchall()
        if reverse:
            rows.reverse()
        if self._key_cols and rows:
            if len(keys) > 4096:
                keys.clear()
            keys[offset] = tuple(rows[0][1:])
            keys[offset + len(rows) - 1] = tuple(rows[-1][1:])
        return [r[0] for r in rows]

    def rows(self, offset: int, limit: int) -> list[BrowserRow]:
        """Rows [offset, offset + limit) in sort order (fewer at the end)."""
        end = min(self.total, offset + limit)
        if offset >= end:
            return []
        ids: list[int] = []
        for index, lo, n in self._spans(offset, end):
            ids.extend(self._ids(index, lo, n))
        found = {
            r[0]: BrowserRow(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], bool(r[11])
            )
            for r in self.ws.db.execute(_ROW_SQL.format(", ".join("?" * len(ids))), ids)
        }
        return [found[i] for i in ids if i in found]


# -- filter options, summary, detail ------------------------------------------------------------
