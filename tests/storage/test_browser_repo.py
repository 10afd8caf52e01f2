"""The browser's queries return exactly the rows plain Python would, in the same order.

Every filter and sort is checked in both regimes — a small sort SQLite does itself, and the
index-only plans used past ``SORT_ROW_LIMIT`` (segments, keyset continuation, OFFSET counted from
the nearer end) — by lowering the limits, and pages are read forwards, backwards and by jumps.
"""

from __future__ import annotations

import pytest

from qa_studio.storage.repository import browser_query
from qa_studio.storage.repository.browser import (
    BrowserFilter,
    BrowserSort,
    SortRefused,
    filter_options,
    interaction_detail,
    summary,
)
from qa_studio.storage.repository.browser_query import BrowserQuery, prefix_bounds
from tests.ui.browser_data import AGENTS, ROWS, fill

RANK = {"none": 0, "informal": 1, "formal": 2}


@pytest.fixture
def filled(ws):
    fill(ws)
    return ws


def _all(ws) -> list[dict]:
    rows = ws.db.execute(
        "SELECT i.id, i.external_id, i.channel, i.started_at, a.id, a.name, t.name, i.queue,"
        " i.duration_s, i.csat, i.fcr, i.complaint, i.vulnerable, a.team_id"
        " FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id"
        " LEFT JOIN teams t ON t.id = a.team_id"
    ).fetchall()
    keys = (
        "id",
        "external_id",
        "channel",
        "started_at",
        "agent_id",
        "agent",
        "team",
        "queue",
        "duration_s",
        "csat",
        "fcr",
        "complaint",
        "vulnerable",
        "team_id",
    )
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _matches(r: dict, f: BrowserFilter) -> bool:
    return (
        (f.team_id is None or r["team_id"] == f.team_id)
        and (f.agent_id is None or r["agent_id"] == f.agent_id)
        and (f.channel is None or r["channel"] == f.channel)
        and (f.started_from is None or r["started_at"] >= f.started_from)
        and (f.started_before is None or r["started_at"] < f.started_before)
        and (f.complaint is None
             or (f.complaint == "any" and r["complaint"] != "none")
             or r["complaint"] == f.complaint)
        and (not f.vulnerable_only or r["vulnerable"])
        and r["external_id"].startswith(f.external_id_prefix)
    )  # fmt: skip


def _expected(ws, f: BrowserFilter, s: BrowserSort) -> list[str]:
    rows = [r for r in _all(ws) if _matches(r, f)]
    rows.sort(key=lambda r: (r["started_at"], r["id"]), reverse=True)  # ties: newest first
    if s.key == "started_at":
        rows.sort(key=lambda r: (r["started_at"], r["id"]), reverse=s.descending)
        return [r["external_id"] for r in rows]
    value = {
        "external_id": lambda r: r["external_id"],
        "channel": lambda r: r["channel"],
        "complaint": lambda r: RANK[r["complaint"]],
        "vulnerable": lambda r: r["vulnerable"],
        "agent": lambda r: (r["agent"].lower(), r["agent_id"]),
        "team": lambda r: (r["team"].lower(), r["agent"].lower(), r["agent_id"]),
        "queue": lambda r: r["queue"].lower(),
        "duration_s": lambda r: r["duration_s"],
        "csat": lambda r: r["csat"],
        "fcr": lambda r: r["fcr"],
    }[s.key]
    nullable = {"agent": "agent", "team": "agent", "csat": "csat", "fcr": "fcr"}.get(s.key)
    present = [r for r in rows if nullable is None or r[nullable] is not None]
    absent = [r for r in rows if nullable is not None and r[nullable] is None]
    present.sort(key=value, reverse=s.descending)  # stable: ties stay newest first
    return [r["external_id"] for r in present + absent]


def _read(q: BrowserQuery, size: int, order: str) -> list[str]:
    pages = list(range(0, q.total, size))
    if order == "backwards":
        pages.reverse()
    elif order == "jumps":
        pages = pages[len(pages) // 2 :] + pages[: len(pages) // 2]
    got = {p: [r.external_id for r in q.rows(p, size)] for p in pages}
    return [x for p in sorted(got) for x in got[p]]


def _filters(ws) -> list[BrowserFilter]:
    teams = dict((name, tid) for tid, name in filter_options(ws).teams)
    agents = {a.name: a.id for a in filter_options(ws).agents}
    return [
        BrowserFilter(),
        BrowserFilter(team_id=teams["Faults"]),
        BrowserFilter(agent_id=agents["Cat Doyle"]),
        BrowserFilter(channel="chat"),
        BrowserFilter(complaint="any"),
        BrowserFilter(complaint="none"),
        BrowserFilter(complaint="formal", channel="voice"),
        BrowserFilter(vulnerable_only=True, channel="chat"),
        BrowserFilter(external_id_prefix="VC-00"),
        BrowserFilter(team_id=teams["Billing"], channel="voice"),
        BrowserFilter(started_from="2026-10-03T00:00:00Z", started_before="2026-10-07T00:00:00Z"),
        BrowserFilter(agent_id=agents["Amy Khan"], started_from="2026-10-05T00:00:00Z"),
    ]


@pytest.mark.parametrize("regime", ["small", "large"])
@pytest.mark.parametrize("key", browser_query.SORT_KEYS)
def test_every_filter_and_sort_pages_like_python(filled, monkeypatch, regime, key):
    if regime == "large":
        monkeypatch.setattr(browser_query, "SORT_ROW_LIMIT", 0)
        monkeypatch.setattr(browser_query, "PREFIX_DRIVER_LIMIT", 3)
    for f in _filters(filled):
        for descending in (False, True):
            sort = BrowserSort(key, descending)
            want = _expected(filled, f, sort)
            try:
                q = BrowserQuery(filled, f, sort)
            except SortRefused:
                assert regime == "large" and key not in browser_query.SEGMENTED_SORTS
                assert key not in ("started_at", "external_id") and len(want) > 0
                continue
            assert q.total == len(want), (f, sort)
            for order in ("forwards", "backwards", "jumps"):
                assert _read(q, 7, order) == want, (f, sort, order)
            fresh = BrowserQuery(filled, f, sort)
            assert _read(fresh, 5, "jumps") == want


def test_refused_sort_names_the_limit(filled, monkeypatch):
    monkeypatch.setattr(browser_query, "SORT_ROW_LIMIT", 20)
    with pytest.raises(SortRefused) as info:
        BrowserQuery(filled, BrowserFilter(), BrowserSort("duration_s"))
    assert "40 interactions match" in info.value.message
    assert "at most 20" in info.value.message
    narrow = BrowserQuery(filled, BrowserFilter(channel="email"), BrowserSort("duration_s"))
    assert narrow.total == sum(r.channel == "email" for r in ROWS) == 13


def test_rows_past_the_end_are_empty(filled):
    q = BrowserQuery(filled, BrowserFilter(), BrowserSort())
    assert len(q.rows(35, 10)) == 5
    assert q.rows(40, 10) == []


def test_prefix_bounds_cover_every_continuation():
    lo, hi = prefix_bounds("VC-00")
    assert lo <= "VC-00" < hi and lo <= "VC-00\uffff9" < hi and not lo <= "VC-01" < hi


def test_filter_options_summary_and_detail(filled):
    opts = filter_options(filled)
    assert [name for _, name in opts.teams] == ["Billing", "Faults", "Payments"]
    assert [a.name for a in opts.agents] == sorted(name for _, name, _ in AGENTS)
    assert opts.channels == ["voice", "chat", "email"]
    assert opts.first_started == min(r.started_at for r in ROWS)
    assert opts.last_started == max(r.started_at for r in ROWS)
    counts = summary(filled)
    assert (counts.interactions, counts.agents, counts.teams) == (40, 5, 3)
    assert counts.transcripts == sum(r.channel != "email" for r in ROWS)
    iid = filled.db.execute("SELECT id FROM interactions WHERE external_id = 'VC-0003'").fetchone()[
        0
    ]
    detail = interaction_detail(filled, iid)
    assert detail.interaction.agent_name == "Dev Patel"
    assert detail.interaction.team == "Faults"
    assert detail.interaction.agent_external_id == "dev"
    assert detail.recording_file == filled.path.parent / "media" / "missing.wav"
    assert detail.recording_exists is False
    assert detail.transcript.turns[1].text == "I'm calling about reference VC-0003."
    assert interaction_detail(filled, 10_000) is None


def test_recording_found_when_the_file_exists(filled):
    (filled.path.parent / "media").mkdir()
    (filled.path.parent / "media" / "missing.wav").write_bytes(b"RIFF")
    iid = filled.db.execute("SELECT id FROM interactions WHERE external_id = 'VC-0000'").fetchone()[
        0
    ]
    assert interaction_detail(filled, iid).recording_exists is True
