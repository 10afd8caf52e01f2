"""The Interactions tab: filters on top, the lazy table, and the selected contact below it.

Filters are applied after a short pause (``DEBOUNCE_MS``) so typing an external id does not run a
query per key; each change resets the model, whose queries stay indexed on a million rows. The
detail pane shows every stored field — agent and team by name, whether the recording file is
actually there — and the transcript as a conversation.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain.timeutil import LONDON, day_bounds, parse_iso
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.browser import (
    BrowserFilter,
    FilterOptions,
    filter_options,
    interaction_detail,
)
from qa_studio.ui.models.interactions_model import COLUMNS, InteractionsModel
from qa_studio.ui.views.interaction_detail import DetailPane

DEBOUNCE_MS = 250
#: Item data of the "All …" entries. Never None: PySide6 6.12 on Python 3.11 drops a reference to
#: None each time a None item data is read back (``currentData``), and after a few thousand reads
#: the interpreter aborts ("none_dealloc").
ALL = ""
COMPLAINT_CHOICES: tuple[tuple[str, str], ...] = (
    ("All", ALL),
    ("Any complaint", "any"),
    ("No complaint", "none"),
    ("Informal", "informal"),
    ("Formal", "formal"),
)
#: Sample text whose width sets each column's initial width (the header's, if wider).
COLUMN_SAMPLES = {
    "started_at": "2026-10-31 22:44", "channel": "Social", "agent": "Stephen Robinson",
    "team": "Cardiff Broadband Support", "queue": "Broadband Faults", "duration_s": "123:45",
    "csat": "5", "fcr": "Yes", "complaint": "Informal", "vulnerable": "Yes",
    "external_id": "EM-20261031-00002",
}  # fmt: skip


def _qdate(iso: str | None) -> QDate:
    if not iso:
        return QDate.currentDate()
    day = parse_iso(iso).astimezone(LONDON).date()
    return QDate(day.year, day.month, day.day)


def _choice(combo: QComboBox):
    """The chosen item's data, or None for an "All …" entry."""
    value = combo.currentData()
    return None if value == ALL else value


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class BrowserView(QWidget):
    """Filter, scroll and inspect the workspace's interactions."""

    #: Rows matching the filters, after each change.
    matchCountChanged = Signal(int)
    #: A short message for the status bar (e.g. why a sort was refused).
    messagePosted = Signal(str)
    #: The selected interaction's id (None when nothing is selected).
    interactionSelected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws: Workspace | None = None
        self._options: FilterOptions | None = None
        self.model = InteractionsModel(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self._build()
        self.model.totalChanged.connect(self.matchCountChanged)
        self.model.sortRefused.connect(self._sort_refused)
        self.model.modelReset.connect(self._after_reset)

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.team_combo = QComboBox()
        self.agent_combo = QComboBox()
        self.channel_combo = QComboBox()
        self.complaint_combo = QComboBox()
        for text, value in COMPLAINT_CHOICES:
            self.complaint_combo.addItem(text, value)
        self.vulnerable_check = QCheckBox("Vulnerable only")
        self.date_check = QCheckBox("Started between")
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setEnabled(False)
        self.external_id_edit = QLineEdit()
        self.external_id_edit.setPlaceholderText("External id starts with…")
        self.external_id_edit.setClearButtonEnabled(True)
        self.clear_button = QPushButton("Clear filters")
        for combo in (self.team_combo, self.agent_combo):
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        row1 = [
            ("Team", self.team_combo),
            ("Agent", self.agent_combo),
            ("Channel", self.channel_combo),
            ("Complaint", self.complaint_combo),
        ]
        for col, (text, widget) in enumerate(row1):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, 0, 2 * col)
            grid.addWidget(widget, 0, 2 * col + 1)
        grid.addWidget(self.vulnerable_check, 0, 8)
        dates = QHBoxLayout()
        dates.addWidget(self.date_check)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("and"))
        dates.addWidget(self.date_to)
        dates.addSpacing(16)
        dates.addWidget(QLabel("External id"))
        dates.addWidget(self.external_id_edit, 1)
        dates.addWidget(self.clear_button)
        grid.addLayout(dates, 1, 0, 1, 9)
        grid.setColumnStretch(9, 1)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, (title, key) in enumerate(COLUMNS):
            width = max(
                metrics.horizontalAdvance(COLUMN_SAMPLES[key]),
                metrics.horizontalAdvance(title) + 14,
            )  # room for the sort arrow
            header.resizeSection(column, width + 14)
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = DetailPane()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.splitter, 1)

        for combo in (self.team_combo, self.agent_combo, self.channel_combo, self.complaint_combo):
            combo.currentIndexChanged.connect(self._filters_edited)
        self.team_combo.currentIndexChanged.connect(self._team_changed)
        for check in (self.vulnerable_check, self.date_check):
            check.toggled.connect(self._filters_edited)
        self.date_check.toggled.connect(self.date_from.setEnabled)
        self.date_check.toggled.connect(self.date_to.setEnabled)
        self.date_from.dateChanged.connect(self._filters_edited)
        self.date_to.dateChanged.connect(self._filters_edited)
        self.external_id_edit.textChanged.connect(self._filters_edited)
        self.external_id_edit.returnPressed.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)

    # -- workspace ------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace | None) -> None:
        """Show ``ws`` (or nothing), with all filters cleared."""
        self._debounce.stop()
        self._ws = ws
        self._load_options(keep=False)
        self.model.set_workspace(ws)
        self.setEnabled(ws is not None)

    def refresh(self) -> None:
        """Re-read filter choices and rows (after an import), keeping the current filters."""
        self._load_options(keep=True)
        self.model.set_filter(self.filter_from_widgets())
        self.model.refresh()

    def _load_options(self, keep: bool) -> None:
        self._options = filter_options(self._ws) if self._ws is not None else None
        opts = self._options
        team, agent, channel = (
            (_choice(c) if keep else None)
            for c in (self.team_combo, self.agent_combo, self.channel_combo)
        )
        blockers = [QSignalBlocker(w) for w in self._filter_widgets()]
        self.team_combo.clear()
        self.team_combo.addItem("All teams", ALL)
        self.channel_combo.clear()
        self.channel_combo.addItem("All channels", ALL)
        if opts is not None:
            for team_id, name in opts.teams:
                self.team_combo.addItem(name, team_id)
            for name in opts.channels:
                self.channel_combo.addItem(name.capitalize(), name)
        self._select_data(self.team_combo, team)
        self._select_data(self.channel_combo, channel)
        self._fill_agents(agent)
        if not keep:
            self.complaint_combo.setCurrentIndex(0)
            self.vulnerable_check.setChecked(False)
            self.date_check.setChecked(False)
            self.external_id_edit.clear()
            first, last = _qdate(opts and opts.first_started), _qdate(opts and opts.last_started)
            self.date_from.setDate(first)
            self.date_to.setDate(last)
        self.date_from.setEnabled(self.date_check.isChecked())
        self.date_to.setEnabled(self.date_check.isChecked())
        del blockers

    def _filter_widgets(self) -> list[QWidget]:
        return [self.team_combo, self.agent_combo, self.channel_combo, self.complaint_combo,
                self.vulnerable_check, self.date_check, self.date_from, self.date_to,
                self.external_id_edit]  # fmt: skip

    @staticmethod
    def _select_data(combo: QComboBox, value: object) -> None:
        index = combo.findData(value) if value is not None else 0  # 0: the "All …" entry
        combo.setCurrentIndex(max(0, index))

    def _fill_agents(self, keep_agent: object = None) -> None:
        team = _choice(self.team_combo)
        with QSignalBlocker(self.agent_combo):
            self.agent_combo.clear()
            self.agent_combo.addItem("All agents", ALL)
            for agent in self._options.agents if self._options else []:
                if team is None or agent.team_id == team:
                    self.agent_combo.addItem(agent.name, agent.id)
                    self.agent_combo.setItemData(
                        self.agent_combo.count() - 1, agent.external_id, Qt.ItemDataRole.ToolTipRole
                    )
            self._select_data(self.agent_combo, keep_agent)

    def _team_changed(self) -> None:
        self._fill_agents(_choice(self.agent_combo))

    # -- filters --------------------------------------------------------------------------------

    def filter_from_widgets(self) -> BrowserFilter:
        started_from = started_before = None
        if self.date_check.isChecked():
            first, last = _pydate(self.date_from.date()), _pydate(self.date_to.date())
            started_from, started_before = day_bounds(min(first, last), max(first, last))
        return BrowserFilter(
            team_id=_choice(self.team_combo),
            agent_id=_choice(self.agent_combo),
            channel=_choice(self.channel_combo),
            started_from=started_from,
            started_before=started_before,
            complaint=_choice(self.complaint_combo),
            vulnerable_only=self.vulnerable_check.isChecked(),
            external_id_prefix=self.external_id_edit.text().strip(),
        )

    def _filters_edited(self) -> None:
        self._debounce.start()

    def apply_filters(self) -> None:
        """Apply the widgets' filters now (the debounce timer calls this)."""
        self._debounce.stop()
        if self._ws is not None:
            self.model.set_filter(self.filter_from_widgets())

    def clear_filters(self) -> None:
        self._load_options(keep=False)
        self.apply_filters()

    # -- selection and detail -------------------------------------------------------------------

    def _after_reset(self) -> None:
        header = self.table.horizontalHeader()
        with QSignalBlocker(header):
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        header.viewport().update()
        if self.model.rowCount() > 0:
            self.table.selectRow(0)
        else:
            self._show_detail(None)

    def select_first_row(self) -> None:
        if self.model.rowCount() > 0:
            self.table.selectRow(0)
            self.table.scrollToTop()

    def selected_interaction(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.interaction_id(index.row()) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.interaction_id(current.row()) if current.isValid() else None)

    def _show_detail(self, interaction_id: int | None) -> None:
        detail = None
        if self._ws is not None and interaction_id is not None:
            detail = interaction_detail(self._ws, interaction_id)
        self.detail.show_detail(detail)
        self.interactionSelected.emit(interaction_id)

    def _sort_refused(self, message: str) -> None:
        self.messagePosted.emit(message)
        header = self.table.horizontalHeader()
        with QSignalBlocker(header):
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        header.viewport().update()
