"""Tabs whose screens are built the first time they are needed, so the window opens fast.

Why (issue 10, cold start to the main window < 2 s): the Calibration, Coaching and Dashboard
screens draw charts with pyqtgraph and write spreadsheets with openpyxl. Importing those stacks
and building their dozen plot widgets took about a second of every start, on a two-core machine,
for tabs the user may not open in that session — while the first screen, Interactions, needs none
of it.

So the window *reserves* such a tab: an empty placeholder under the tab's final title, in its final
place. The first time the tab is selected, or the window's attribute for it is read (tests and
other screens use ``window.dashboard``), the screen's module is imported and its
``install(window)`` runs exactly as it would have at start-up; when it calls ``window.add_tab``
with the reserved title, the screen takes the placeholder's place (``place``), so the installers
need no change and the tab indexes they remember stay right. A screen built because its tab was
selected then gets the ``currentChanged`` its installer listens for, as if it had been there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QTabWidget, QWidget


@dataclass(frozen=True)
class LazyTab:
    """A tab built on demand: the window attribute it is kept in, its title, its installer module
    (which has ``install(window) -> widget`` and adds the tab through ``window.add_tab``)."""

    attribute: str
    title: str
    module: str


class LazyTabs:
    """The placeholders of a ``QTabWidget``'s not-yet-built tabs."""

    def __init__(self, tabs: QTabWidget, build: Callable[[str], object]) -> None:
        self._tabs = tabs
        self._build = build
        self._pending: dict[str, tuple[LazyTab, QWidget]] = {}
        tabs.currentChanged.connect(self._current_changed)

    def reserve(self, tab: LazyTab) -> None:
        """Add ``tab``'s placeholder after the existing tabs."""
        placeholder = QWidget()
        self._tabs.addTab(placeholder, tab.title)
        self._pending[tab.attribute] = (tab, placeholder)

    def pending(self, attribute: str) -> LazyTab | None:
        """The reserved tab kept in ``attribute``, while it is not built."""
        entry = self._pending.get(attribute)
        return entry[0] if entry is not None else None

    def place(self, widget: QWidget, title: str) -> int | None:
        """Put ``widget`` where the placeholder titled ``title`` is; None if there is none.

        Signals are held while the tabs are swapped: removing the current tab would otherwise
        select (and build) a neighbour."""
        attribute = next((a for a, (tab, _w) in self._pending.items() if tab.title == title), None)
        if attribute is None:
            return None
        placeholder = self._pending.pop(attribute)[1]
        index = self._tabs.indexOf(placeholder)
        current = self._tabs.currentIndex() == index
        blocked = self._tabs.blockSignals(True)
        try:
            self._tabs.removeTab(index)
            self._tabs.insertTab(index, widget, title)
            if current:
                self._tabs.setCurrentIndex(index)
        finally:
            self._tabs.blockSignals(blocked)
        placeholder.deleteLater()
        return index

    def _current_changed(self, index: int) -> None:
        widget = self._tabs.widget(index)
        for attribute, (_tab, placeholder) in list(self._pending.items()):
            if placeholder is widget:
                self._build(attribute)
                # The screen's installer connected to currentChanged just now: tell it.
                self._tabs.currentChanged.emit(self._tabs.currentIndex())
                return
