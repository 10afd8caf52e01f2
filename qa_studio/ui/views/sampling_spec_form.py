"""The sampling wizard's first page: a form that builds a ``SampleSpec``.

Why a form of its own: the spec has a dozen parts (period, channels, teams and agents, how many,
strata and quotas, minimum duration, exclusions, risk weights, evaluators, objective, due date,
seed). The form only gathers them; checking is ``validate_spec`` and ``preview_sample``, whose
messages the wizard shows on the page. Empty choices mean "all", as in the spec.
"""

from __future__ import annotations

import random
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_studio.domain.models import CHANNELS
from qa_studio.domain.sampling import DEFAULT_DUE_DAYS, RISK_KEYS, SampleSpec
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository.browser import filter_options
from qa_studio.storage.repository.evaluators import list_evaluators

RISK_LABELS = {
    "complaint": "Formal complaint",
    "informal": "Informal dissatisfaction",
    "vulnerable": "Vulnerable customer",
    "low_csat": "CSAT ≤ 2",
    "long_handle": "Long handle (> agent's 90th pct)",
    "repeat": "Repeat contact within 7 days",
    "new_starter": "Agent started within 90 days",
    "improvement_plan": "Agent on an improvement plan",
}
DEFAULT_RISK_WEIGHT = 2.0
#: Roles sampled for by default (the spec's own default: active evaluators and QA leads).
DEFAULT_ROLES = ("evaluator", "qa_lead")


def _checklist(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    return widget


def _add_check(widget: QListWidget, text: str, data: str, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    widget.addItem(item)
    return item


def checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    )


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class SampleSpecForm(QWidget):
    """Fill with ``load(ws, today)``; read with ``spec()`` (raises nothing, checks nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.month_radio = QRadioButton("Month")
        self.range_radio = QRadioButton("From")
        self.month_radio.setChecked(True)
        self.month_combo = QComboBox()
        self.month_combo.setObjectName("monthCombo")
        self.from_date, self.to_date = QDateEdit(), QDateEdit()
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        period = QGridLayout()
        period.addWidget(self.month_radio, 0, 0)
        period.addWidget(self.month_combo, 0, 1, 1, 3)
        period.addWidget(self.range_radio, 1, 0)
        period.addWidget(self.from_date, 1, 1)
        period.addWidget(QLabel("to"), 1, 2)
        period.addWidget(self.to_date, 1, 3)
        self.month_radio.toggled.connect(self._period_mode)

        self.channel_boxes = {c: QCheckBox(c) for c in CHANNELS}
        channels = QHBoxLayout()
        for box in self.channel_boxes.values():
            channels.addWidget(box)
        channels.addStretch(1)

        self.teams = _checklist("teamList")
        self.agents = _checklist("agentList")
        people = QHBoxLayout()
        for title, widget in (("Teams (none ticked = all)", self.teams),
                              ("Agents (none ticked = all)", self.agents)):  # fmt: skip
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(widget)
            people.addLayout(column)

        what = QGroupBox("What to sample")
        what_layout = QFormLayout(what)
        what_layout.addRow("Period", period)
        what_layout.addRow("Channels", channels)
        what_layout.addRow(people)

        self.per_agent_radio = QRadioButton("Per agent")
        self.proportion_radio = QRadioButton("Proportion")
        self.quota_radio = QRadioButton("Quotas")
        self.per_agent_radio.setChecked(True)
        group = QButtonGroup(self)
        for b in (self.per_agent_radio, self.proportion_radio, self.quota_radio):
            group.addButton(b)
        self.per_agent = QSpinBox()
        self.per_agent.setRange(1, 500)
        self.per_agent.setValue(4)
        self.proportion = QDoubleSpinBox()
        self.proportion.setRange(0.1, 100.0)
        self.proportion.setSuffix(" %")
        self.proportion.setValue(5.0)
        self.quotas = QLineEdit()
        self.quotas.setPlaceholderText("per agent per stratum, e.g. voice=3, chat=1")
        self.strata_boxes = {k: QCheckBox(f"by {k}") for k in ("channel", "queue")}
        strata = QHBoxLayout()
        for box in self.strata_boxes.values():
            strata.addWidget(box)
        strata.addStretch(1)
        self.min_duration = QSpinBox()
        self.min_duration.setRange(0, 36000)
        self.min_duration.setSuffix(" s")
        self.min_duration.setSpecialValueText("no minimum")
        self.exclude_evaluated = QCheckBox("Leave out contacts already evaluated")
        self.exclude_open = QCheckBox("Leave out contacts already in an open sample")
        for box in (self.exclude_evaluated, self.exclude_open):
            box.setChecked(True)
        how = QGroupBox("How many")
        how_layout = QGridLayout(how)
        how_layout.addWidget(self.per_agent_radio, 0, 0)
        how_layout.addWidget(self.per_agent, 0, 1)
        how_layout.addWidget(self.proportion_radio, 1, 0)
        how_layout.addWidget(self.proportion, 1, 1)
        how_layout.addWidget(self.quota_radio, 2, 0)
        how_layout.addWidget(self.quotas, 2, 1)
        how_layout.addWidget(QLabel("Strata"), 3, 0)
        how_layout.addLayout(strata, 3, 1)
        how_layout.addWidget(QLabel("Min. duration"), 4, 0)
        how_layout.addWidget(self.min_duration, 4, 1)
        how_layout.addWidget(self.exclude_evaluated, 5, 0, 1, 2)
        how_layout.addWidget(self.exclude_open, 6, 0, 1, 2)

        self.risk_table = QTableWidget(len(RISK_KEYS), 2)
        self.risk_table.setObjectName("riskTable")
        self.risk_table.setHorizontalHeaderLabels(["Risk (tick to weight)", "Weight ×"])
        self.risk_table.verticalHeader().hide()
        self.risk_spins: dict[str, QDoubleSpinBox] = {}
        for row, key in enumerate(RISK_KEYS):
            item = QTableWidgetItem(RISK_LABELS[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(key)
            self.risk_table.setItem(row, 0, item)
            spin = QDoubleSpinBox()
            spin.setRange(0.1, 20.0)
            spin.setSingleStep(0.5)
            spin.setValue(DEFAULT_RISK_WEIGHT)
            self.risk_spins[key] = spin
            self.risk_table.setCellWidget(row, 1, spin)
        header = self.risk_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.risk_table.resizeRowsToContents()
        risk = QGroupBox("Risk weighting (riskier contacts more likely to be drawn)")
        QVBoxLayout(risk).addWidget(self.risk_table)

        self.evaluators = _checklist("evaluatorList")
        self.exclude_leader = QCheckBox("Never give an agent's items to their own team leader")
        self.exclude_leader.setChecked(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("default: from the period")
        self.objective = QLineEdit()
        self.objective.setPlaceholderText("e.g. monthly routine QA")
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_000_000_000)
        self.reroll = QPushButton("Re-roll")
        self.reroll.setToolTip("A new seed draws a different sample; the same seed the same one.")
        self.reroll.clicked.connect(self.reroll_seed)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.reroll)
        who = QGroupBox("Who scores, and why")
        who_layout = QFormLayout(who)
        who_layout.addRow(QLabel("Evaluators (capacity per week)"))
        who_layout.addRow(self.evaluators)
        who_layout.addRow(self.exclude_leader)
        who_layout.addRow("Name", self.name)
        who_layout.addRow("Objective", self.objective)
        who_layout.addRow("Due", self.due)
        who_layout.addRow("Seed", seed_row)

        middle = QVBoxLayout()
        middle.addWidget(how)
        middle.addWidget(risk, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(what, 5)
        layout.addLayout(middle, 4)
        layout.addWidget(who, 4)
        self._period_mode()

    def _period_mode(self) -> None:
        month = self.month_radio.isChecked()
        self.month_combo.setEnabled(month)
        self.from_date.setEnabled(not month)
        self.to_date.setEnabled(not month)

    def reroll_seed(self) -> None:
        self.seed.setValue(random.SystemRandom().randrange(1, 1_000_000))

    # -- filling and reading -------------------------------------------------------------
    def load(self, ws: Workspace, today: date) -> None:
        """Offer what the workspace holds: its months (newest first), teams, agents, people."""
        options = filter_options(ws)
        self.month_combo.clear()
        first = date.fromisoformat(options.first_started[:10]) if options.first_started else today
        last = date.fromisoformat(options.last_started[:10]) if options.last_started else today
        y, m = last.year, last.month
        while (y, m) >= (first.year, first.month):
            self.month_combo.addItem(f"{y:04d}-{m:02d}")
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        self.from_date.setDate(_qdate(last.replace(day=1)))
        self.to_date.setDate(_qdate(last))
        present = set(options.channels)
        for channel, box in self.channel_boxes.items():
            box.setChecked(channel in present)
            box.setEnabled(channel in present)
        self.teams.clear()
        for _id, name in options.teams:
            _add_check(self.teams, name, name, False)
        self.agents.clear()
        for agent in options.agents:
            item = _add_check(self.agents, agent.name, agent.external_id, False)
            item.setToolTip(agent.external_id)
        self.evaluators.clear()
        for ev in list_evaluators(ws):
            if ev.active:
                role = ev.role.replace("_", " ")
                _add_check(self.evaluators, f"{ev.name} — {role}, {ev.capacity_per_week}/week",
                           ev.name, ev.role in DEFAULT_ROLES)  # fmt: skip
        self.due.setDate(_qdate(date.fromordinal(today.toordinal() + DEFAULT_DUE_DAYS)))
        self.reroll_seed()

    def risk_weights(self) -> dict[str, float]:
        out = {}
        for row, key in enumerate(RISK_KEYS):
            if self.risk_table.item(row, 0).checkState() == Qt.CheckState.Checked:
                out[key] = round(self.risk_spins[key].value(), 3)
        return out

    def set_risk(self, key: str, weight: float) -> None:
        row = RISK_KEYS.index(key)
        self.risk_table.item(row, 0).setCheckState(Qt.CheckState.Checked)
        self.risk_spins[key].setValue(weight)

    def quota_map(self) -> dict[str, int]:
        """``voice=3, chat=1`` → {"voice": 3, "chat": 1}; a malformed part raises ValueError."""
        out: dict[str, int] = {}
        for part in filter(None, (p.strip() for p in self.quotas.text().split(","))):
            label, sep, count = part.partition("=")
            if not sep or not label.strip() or not count.strip().isdigit():
                raise ValueError(f"quota '{part}' is not STRATUM=COUNT (e.g. voice=3)")
            out[label.strip()] = int(count)
        return out

    def spec_evaluators(self) -> tuple[str, ...]:
        return checked(self.evaluators)

    def channels(self) -> tuple[str, ...]:
        return tuple(c for c, box in self.channel_boxes.items() if box.isChecked())

    def spec(self) -> SampleSpec:
        """The spec as filled in (``ValueError`` for unreadable quotas)."""
        month = self.month_radio.isChecked()
        return SampleSpec(
            period=self.month_combo.currentText() or None if month else None,
            date_from=None if month else self.from_date.date().toString("yyyy-MM-dd"),
            date_to=None if month else self.to_date.date().toString("yyyy-MM-dd"),
            per_agent=self.per_agent.value() if self.per_agent_radio.isChecked() else None,
            proportion=(
                round(self.proportion.value() / 100, 6)
                if self.proportion_radio.isChecked()
                else None
            ),
            quotas=self.quota_map() if self.quota_radio.isChecked() else {},
            strata=tuple(k for k, box in self.strata_boxes.items() if box.isChecked()),
            channels=self.channels(),
            teams=checked(self.teams),
            agents=checked(self.agents),
            min_duration_s=float(self.min_duration.value()) or None,
            exclude_evaluated=self.exclude_evaluated.isChecked(),
            exclude_open_samples=self.exclude_open.isChecked(),
            risk=self.risk_weights(),
            seed=self.seed.value(),
            name=self.name.text().strip() or None,
            objective=self.objective.text().strip() or None,
            due_on=self.due.date().toString("yyyy-MM-dd"),
            evaluators=checked(self.evaluators),
            exclude_own_leader=self.exclude_leader.isChecked(),
        )
