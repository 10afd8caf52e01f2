"""Tabs built on first use (``ui.lazy_tabs``): same titles and places, built when selected or read."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTabWidget, QWidget

from qa_studio.ui.lazy_tabs import LazyTab, LazyTabs
from tests.ui.browser_data import fill
from tests.ui.windows import main_window

TITLES = ["Interactions", "Scoring", "Scorecards", "Calibration", "Coaching", "Sampling",
          "Dashboard", "Complaints && RCA"]  # fmt: skip


@pytest.fixture
def window(qtbot, ws, tmp_path):
    fill(ws)
    return main_window(qtbot, tmp_path, ws)


def _titles(tabs: QTabWidget) -> list[str]:
    return [tabs.tabText(i) for i in range(tabs.count())]


def test_every_tab_is_listed_in_order_before_it_is_built(window):
    assert [t for t in _titles(window.tabs) if t in TITLES] == TITLES
    assert window._lazy.pending("dashboard") is not None


def test_selecting_a_reserved_tab_builds_its_screen_in_place(window, qtbot):
    from qa_studio.ui.views.dashboard import DashboardView

    before = _titles(window.tabs)
    index = before.index("Dashboard")
    window.tabs.setCurrentIndex(index)
    assert window.tabs.currentIndex() == index
    assert isinstance(window.tabs.currentWidget(), DashboardView)
    assert window.tabs.currentWidget() is window.dashboard
    assert _titles(window.tabs) == before
    # Shown as the installer expects: the dashboard read the open workspace.
    qtbot.waitUntil(lambda: window.dashboard.ws is window.workspace)


def test_reading_the_attribute_builds_the_screen_without_switching_tab(window):
    before = _titles(window.tabs)
    coaching = window.coaching
    assert window.tabs.widget(before.index("Coaching")) is coaching
    assert window.tabs.currentIndex() == 0
    assert window.coaching is coaching  # built once
    assert window._lazy.pending("coaching") is None


def test_an_unknown_attribute_is_still_an_error(window):
    with pytest.raises(AttributeError, match="no_such_screen"):
        _ = window.no_such_screen


def test_a_title_without_a_placeholder_is_not_placed(qtbot):
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    built: list[str] = []
    lazy = LazyTabs(tabs, built.append)
    lazy.reserve(LazyTab("later", "Later", "unused.module"))
    assert lazy.place(QWidget(), "Other") is None
    assert built == []
    tabs.setCurrentIndex(0)  # already current: no change, nothing built
    assert lazy.place(QWidget(), "Later") == 0 and lazy.pending("later") is None
