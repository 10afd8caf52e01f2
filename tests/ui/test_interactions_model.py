"""The lazy interactions model: valid for Qt's model tester, paged, formatted for people."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qa_studio.storage.repository import browser_query
from qa_studio.storage.repository.browser import BrowserFilter
from qa_studio.ui.models.interactions_model import (
    COLUMNS,
    InteractionsModel,
    format_duration,
    format_started,
)
from tests.ui.browser_data import ROWS, fill, newest_first

EXT = [key for _, key in COLUMNS].index("external_id")


@pytest.fixture
def model(qapp, ws):
    fill(ws)
    m = InteractionsModel()
    m.set_workspace(ws)
    return m


def _column(model: InteractionsModel, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_model_tester_with_data_filters_and_sorts(qtmodeltester, model):
    assert model.rowCount() == 40 and model.columnCount() == len(COLUMNS)
    qtmodeltester.check(model)
    model.set_filter(BrowserFilter(channel="chat"))
    qtmodeltester.check(model)
    model.sort([k for _, k in COLUMNS].index("agent"), Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    model.set_filter(BrowserFilter(external_id_prefix="nothing-like-this"))
    assert model.rowCount() == 0
    qtmodeltester.check(model)
    model.set_workspace(None)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_pages_are_fetched_lazily_and_few_are_kept(model, monkeypatch):
    monkeypatch.setattr(InteractionsModel, "PAGE_SIZE", 6)
    monkeypatch.setattr(InteractionsModel, "CACHE_PAGES", 3)
    model.refresh()
    assert model.pages_fetched == 0  # a reset fetches nothing until rows are looked at
    assert _column(model, EXT) == newest_first(ROWS)
    assert model.pages_fetched == 7 and len(model.cached_pages()) == 3
    assert model.cached_pages() == [4, 5, 6]
    model.index(0, EXT).data()
    assert model.cached_pages() == [5, 6, 0]


def test_display_values(model):
    first = min(ROWS, key=lambda r: r.started_at)  # 2026-10-01 08:00 UTC = 09:00 in London (BST)
    assert format_started(first.started_at) == "2026-10-01 09:00"
    assert format_started("2026-12-01T08:00:00Z") == "2026-12-01 08:00"
    assert [format_duration(s) for s in (None, 59.6, 61, 3599, 3725, 40366)] == [
        "",
        "1:00",
        "1:01",
        "59:59",
        "1:02:05",
        "11:12:46",
    ]
    last = model.rowCount() - 1
    assert model.index(last, 0).data() == "2026-10-01 09:00"
    assert model.index(last, EXT).data() == first.external_id
    assert model.index(last, 1).data() == "Voice"
    assert model.index(last, 2).data() == "Amy Khan"
    assert model.index(last, 5).data() == format_duration(first.duration_s)
    assert model.index(last, 5).data(Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight
    )
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Started"
    formal = [r for r in range(model.rowCount()) if model.index(r, 8).data() == "Formal"]
    assert len(formal) == sum(r.complaint == "formal" for r in ROWS)
    assert model.index(formal[0], 8).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.interaction_id(last) == model.index(last, 0).data(InteractionsModel.IdRole)


def test_refused_sort_keeps_the_order_and_says_why(model, monkeypatch, qtbot):
    monkeypatch.setattr(browser_query, "SORT_ROW_LIMIT", 10)
    before = _column(model, EXT)
    with qtbot.waitSignal(model.sortRefused, timeout=1000) as blocker:
        model.sort([k for _, k in COLUMNS].index("duration_s"), Qt.SortOrder.AscendingOrder)
    assert "40 interactions match" in blocker.args[0]
    assert model.current_sort.key == "started_at" and _column(model, EXT) == before


def test_widening_the_filter_past_the_limit_falls_back_to_start_time(model, monkeypatch, qtbot):
    model.set_filter(BrowserFilter(channel="email"))
    model.sort([k for _, k in COLUMNS].index("csat"), Qt.SortOrder.DescendingOrder)
    assert model.current_sort.key == "csat"
    monkeypatch.setattr(browser_query, "SORT_ROW_LIMIT", 20)
    with qtbot.waitSignal(model.sortRefused, timeout=1000) as blocker:
        model.set_filter(BrowserFilter())
    assert "Sorted by start time instead" in blocker.args[0]
    assert model.current_sort.key == "started_at" and model.rowCount() == 40
