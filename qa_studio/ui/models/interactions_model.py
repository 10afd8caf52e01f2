"""The interaction browser's table model: a window onto millions of rows, never all of them.

``rowCount`` is the filtered total (one indexed count), so the scroll bar is true from the start;
``data`` asks the repository for the ~200-row page a visible row falls in and keeps the last few
pages (least recently used first out). A filter or sort change resets the model and starts a new
``BrowserQuery``. Rows are formatted once per page — London time, ``m:ss`` durations — so painting
stays cheap.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.browser import (
    BrowserFilter,
    BrowserRow,
    BrowserSort,
    SortRefused,
)
from qa_studio.storage.repository.browser_query import BrowserQuery

#: (header, sort key) in column order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Started", "started_at"),
    ("Channel", "channel"),
    ("Agent", "agent"),
    ("Team", "team"),
    ("Queue", "queue"),
    ("Duration", "duration_s"),
    ("CSAT", "csat"),
    ("FCR", "fcr"),
    ("Complaint", "complaint"),
    ("Vulnerable", "vulnerable"),
    ("External id", "external_id"),
)
COLUMN_TIPS = {
    "started_at": "When the contact started, in UK time",
    "csat": "Customer satisfaction, 1 (worst) to 5 (best)",
    "fcr": "First contact resolution",
}
_RIGHT = {"duration_s", "csat"}
_CENTRE = {"fcr", "vulnerable"}
_INK = {"formal": QColor("#a01818"), "informal": QColor("#9a5b00"), "vulnerable": QColor("#6a2c91")}
DEFAULT_SORT = BrowserSort("started_at", True)
_Index = QModelIndex | QPersistentModelIndex


def format_duration(seconds: float | None) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour up (an e-mail's queue wait runs to hours, and
    "672:46" reads as a time of day); empty when unknown."""
    if seconds is None:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}:{secs:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def format_started(iso: str) -> str:
    """A stored UTC instant as UK wall-clock time, ``YYYY-MM-DD HH:MM``."""
    try:
        return parse_iso(iso).astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _display(row: BrowserRow) -> tuple[str, ...]:
    return (
        format_started(row.started_at),
        row.channel.capitalize(),
        row.agent or "—",
        row.team or "",
        row.queue or "",
        format_duration(row.duration_s),
        "" if row.csat is None else str(row.csat),
        "" if row.fcr is None else ("Yes" if row.fcr else "No"),
        "" if row.complaint == "none" else row.complaint.capitalize(),
        "Yes" if row.vulnerable else "",
        row.external_id,
    )


@dataclass
class _Page:
    ids: list[int]
    cells: list[tuple[str, ...]]
    flags: list[tuple[str, bool]]  # (complaint, vulnerable), for colour


class InteractionsModel(QAbstractTableModel):
    """Lazy, paged table of the interactions matching a filter, in a chosen order."""

    #: The filtered total after every reset (filter, sort, refresh or workspace change).
    totalChanged = Signal(int)
    #: A sort the repository refused (too many rows for an unindexed column), with the reason.
    sortRefused = Signal(str)

    PAGE_SIZE = 200
    CACHE_PAGES = 8
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws: Workspace | None = None
        self._filter = BrowserFilter()
        self._sort = DEFAULT_SORT
        self._query: BrowserQuery | None = None
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        #: Pages fetched since the last reset (a measure for benchmarks and tests).
        self.pages_fetched = 0

    # -- state ----------------------------------------------------------------------------------

    @property
    def workspace(self) -> Workspace | None:
        return self._ws

    @property
    def current_filter(self) -> BrowserFilter:
        return self._filter

    @property
    def current_sort(self) -> BrowserSort:
        return self._sort

    def sort_column(self) -> int:
        return [key for _, key in COLUMNS].index(self._sort.key)

    def sort_order(self) -> Qt.SortOrder:
        if self._sort.descending:
            return Qt.SortOrder.DescendingOrder
        return Qt.SortOrder.AscendingOrder

    def total(self) -> int:
        return self._query.total if self._query else 0

    def set_workspace(self, ws: Workspace | None) -> None:
        self._ws = ws
        self._filter = BrowserFilter()
        self._sort = DEFAULT_SORT
        self._requery()

    def set_filter(self, flt: BrowserFilter) -> None:
        if flt != self._filter or self._query is None:
            self._filter = flt
            self._requery()

    def refresh(self) -> None:
        """Re-read everything (after an import, say), keeping filter and sort."""
        self._requery()

    def _requery(self, query: BrowserQuery | None = None) -> None:
        self.beginResetModel()
        self._pages.clear()
        self.pages_fetched = 0
        self._query = query
        if query is None and self._ws is not None:
            try:
                self._query = BrowserQuery(self._ws, self._filter, self._sort)
            except SortRefused as exc:
                self.sortRefused.emit(f"{exc.message} Sorted by start time instead.")
                self._sort = DEFAULT_SORT
                self._query = BrowserQuery(self._ws, self._filter, self._sort)
        self.endResetModel()
        self.totalChanged.emit(self.total())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-sort (a header click); a refused sort leaves the current order and says why."""
        if not 0 <= column < len(COLUMNS):
            return
        wanted = BrowserSort(COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder)
        if wanted == self._sort:
            return
        if self._ws is None:
            self._sort = wanted
            return
        try:
            query = BrowserQuery(self._ws, self._filter, wanted)
        except SortRefused as exc:
            self.sortRefused.emit(exc.message)
            return
        self._sort = wanted
        self._requery(query)

    # -- pages ----------------------------------------------------------------------------------

    def _page(self, number: int) -> _Page:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        assert self._query is not None
        rows = self._query.rows(number * self.PAGE_SIZE, self.PAGE_SIZE)
        page = _Page(
            [r.id for r in rows],
            [_display(r) for r in rows],
            [(r.complaint, r.vulnerable) for r in rows],
        )
        self._pages[number] = page
        self.pages_fetched += 1
        while len(self._pages) > self.CACHE_PAGES:
            self._pages.popitem(last=False)
        return page

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def interaction_id(self, row: int) -> int | None:
        if self._query is None or not 0 <= row < self._query.total:
            return None
        page = self._page(row // self.PAGE_SIZE)
        offset = row % self.PAGE_SIZE
        return page.ids[offset] if offset < len(page.ids) else None

    # -- Qt model API ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.total()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS.get(COLUMNS[section][1])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self._query is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < self._query.total and 0 <= column < len(COLUMNS)):
            return None
        key = COLUMNS[column][1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in _RIGHT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if key in _CENTRE:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, self.IdRole):
            return None
        page = self._page(row // self.PAGE_SIZE)
        offset = row % self.PAGE_SIZE
        if offset >= len(page.ids):  # the table shrank under us (another process deleted rows)
            return None
        if role == self.IdRole:
            return page.ids[offset]
        if role == Qt.ItemDataRole.ForegroundRole:
            complaint, vulnerable = page.flags[offset]
            if key == "complaint":
                return _INK.get(complaint)
            return _INK["vulnerable"] if key == "vulnerable" and vulnerable else None
        return page.cells[offset][column]
