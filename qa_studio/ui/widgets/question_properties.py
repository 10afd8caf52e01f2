"""Property page for one question: text, guidance, type, weight, flags, scale or points options.

Plain fields are reported as ``fieldEdited(name, value)``; the scale (min/max/pass mark and the
anchors table) as ``scaleEdited(dict)``; the points options table and its pass mark as
``optionsEdited(list, pass_at)``. Only the group for the current type is shown, but both are kept
in the working copy, so switching the type back and forth loses nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_studio.scorecards.schema import QUESTION_TYPES
from qa_studio.ui.models.scorecard_tree_model import TYPE_LABELS
from qa_studio.ui.models.working_copy import QuestionDraft, tidy_number
from qa_studio.ui.widgets.item_properties import PropertyPage, combo, select_value


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setMinimumHeight(110)
    table.setMaximumHeight(170)
    return table


def _buttons(*labels: str) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    buttons = [QPushButton(label) for label in labels]
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row, buttons


def _item(value: object) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.EditRole, value)
    return item


class QuestionProperties(PropertyPage):
    """Every property of a question, editable in place."""

    scaleEdited = Signal(dict)
    optionsEdited = Signal(list, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Question", parent)
        self.key = self.line("key", "Key", "unique in the form, e.g. greet_customer")
        self.text = self.line("text", "Question", "what the evaluator answers")
        self.guidance = self.text_block("guidance", "Guidance", rows=5)
        self.guidance.setPlaceholderText("What to listen or look for (shown on hover)")
        self.type = combo(QUESTION_TYPES, TYPE_LABELS)
        self.type.setObjectName("type")
        self.type.currentIndexChanged.connect(self._type_changed)
        self.form.addRow("Type", self.type)
        self.weight = QDoubleSpinBox()
        self.weight.setObjectName("weight")
        self.weight.setRange(0, 1000)
        self.weight.setDecimals(2)
        self.weight.setSingleStep(0.5)
        self.weight.valueChanged.connect(lambda v: self.emit_field("weight", tidy_number(v)))
        self.form.addRow("Weight", self.weight)
        flags = QHBoxLayout()
        self.allow_na = self._flag(
            "allow_na",
            "N/A allowed",
            flags,
            "The evaluator may answer N/A (see the form's N/A policy).",
        )
        self.critical = self._flag(
            "critical", "Critical", flags, "A fail sets this question's section to 0."
        )
        self.fatal = self._flag(
            "fatal",
            "Fatal",
            flags,
            "A fail triggers the form's fatal policy (e.g. the form scores 0).",
        )
        flags.addStretch(1)
        self.form.addRow("Flags", flags)
        self.regulation = self.line("regulation", "Regulation", "e.g. FCA DISP 1.6, PCI DSS 3.3.1")
        self._build_scale()
        self._build_points()

    # --- construction -------------------------------------------------------------------------

    def _flag(self, name: str, label: str, row: QHBoxLayout, tip: str) -> QCheckBox:
        box = QCheckBox(label)
        box.setObjectName(name)
        box.setToolTip(tip)
        box.toggled.connect(lambda on: self.emit_field(name, on))
        row.addWidget(box)
        return box

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(-100, 100)
        spin.valueChanged.connect(self._scale_changed)
        return spin

    def _build_scale(self) -> None:
        self.scale_group = QGroupBox("Scale")
        layout = QVBoxLayout(self.scale_group)
        row = QHBoxLayout()
        self.scale_min, self.scale_max = self._spin("scale_min"), self._spin("scale_max")
        self.scale_pass = self._spin("scale_pass_at")
        for label, spin in (
            ("min", self.scale_min),
            ("max", self.scale_max),
            ("pass at", self.scale_pass),
        ):
            row.addWidget(QLabel(label))
            row.addWidget(spin)
        row.addStretch(1)
        layout.addLayout(row)
        self.anchors = _table(("Value", "Anchor label"))
        self.anchors.setObjectName("anchors")
        self.anchors.itemChanged.connect(lambda _item: self._scale_changed())
        layout.addWidget(self.anchors)
        buttons, (self.add_anchor, self.remove_anchor) = _buttons("Add anchor", "Remove anchor")
        self.add_anchor.clicked.connect(self._add_anchor)
        self.remove_anchor.clicked.connect(
            lambda: self._remove_row(self.anchors, self._scale_changed)
        )
        layout.addLayout(buttons)
        self.form.addRow(self.scale_group)

    def _build_points(self) -> None:
        self.points_group = QGroupBox("Points options")
        layout = QVBoxLayout(self.points_group)
        self.options = _table(("Points", "Option label"))
        self.options.setObjectName("options")
        self.options.itemChanged.connect(lambda _item: self._options_changed())
        layout.addWidget(self.options)
        buttons, (self.add_option, self.remove_option) = _buttons("Add option", "Remove option")
        self.add_option.clicked.connect(self._add_option)
        self.remove_option.clicked.connect(
            lambda: self._remove_row(self.options, self._options_changed)
        )
        self.points_pass = QDoubleSpinBox()
        self.points_pass.setObjectName("points_pass_at")
        self.points_pass.setRange(-1000, 1000)
        self.points_pass.setDecimals(2)
        self.points_pass.valueChanged.connect(lambda _v: self._options_changed())
        buttons.insertWidget(2, QLabel("pass at"))
        buttons.insertWidget(3, self.points_pass)
        layout.addLayout(buttons)
        self.form.addRow(self.points_group)

    # --- load ---------------------------------------------------------------------------------

    def load(self, question: QuestionDraft) -> None:
        f = question.fields
        with self.guard():
            self.key.setText(str(f.get("key") or ""))
            self.text.setText(str(f.get("text") or ""))
            self.guidance.setPlainText(str(f.get("guidance") or ""))
            select_value(self.type, f.get("type"))
            weight = f.get("weight")
            self.weight.setValue(float(weight) if isinstance(weight, int | float) else 0.0)
            self.allow_na.setChecked(bool(f.get("allow_na")))
            self.critical.setChecked(bool(f.get("critical")))
            self.fatal.setChecked(bool(f.get("fatal")))
            self.regulation.setText(str(f.get("regulation") or ""))
            for edit in (self.key, self.text, self.regulation):
                edit.setCursorPosition(0)
            scale = question.scale
            for spin, name in (
                (self.scale_min, "min"),
                (self.scale_max, "max"),
                (self.scale_pass, "pass_at"),
            ):
                value = scale.get(name)
                spin.setValue(int(value) if isinstance(value, int | float) else 0)
            self.anchors.setRowCount(0)
            for value, label in sorted(scale.get("anchors", {}).items()):
                self._append(self.anchors, int(value), str(label))
            self.options.setRowCount(0)
            for option in question.options:
                points = option.get("points")
                self._append(
                    self.options,
                    float(points) if isinstance(points, int | float) else 0.0,
                    str(option.get("label") or ""),
                )
            pass_at = question.points_pass_at
            self.points_pass.setValue(float(pass_at) if isinstance(pass_at, int | float) else 0.0)
        self._show_type_group(question.type)

    # --- edits --------------------------------------------------------------------------------

    def _type_changed(self, _row: int) -> None:
        value = self.type.currentData()
        self._show_type_group(value)
        self.emit_field("type", value)

    def _show_type_group(self, qtype: str | None) -> None:
        self.scale_group.setVisible(qtype == "scale")
        self.points_group.setVisible(qtype == "points")

    @staticmethod
    def _append(table: QTableWidget, value: object, label: str) -> None:
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, _item(value))
        table.setItem(row, 1, _item(label))

    def _add_anchor(self) -> None:
        used = {
            self.anchors.item(r, 0).data(Qt.ItemDataRole.EditRole)
            for r in range(self.anchors.rowCount())
        }
        lo, hi = self.scale_min.value(), self.scale_max.value()
        # The ends first: validation requires labels for min and max.
        free = [v for v in (lo, hi, *range(lo + 1, hi)) if v not in used]
        value = free[0] if free else self.scale_max.value()
        with self.guard():
            self._append(self.anchors, value, "")
        self._scale_changed()
        self.anchors.setCurrentCell(self.anchors.rowCount() - 1, 1)

    def _add_option(self) -> None:
        with self.guard():
            self._append(self.options, 0.0, "")
        self._options_changed()
        self.options.setCurrentCell(self.options.rowCount() - 1, 1)

    def _remove_row(self, table: QTableWidget, changed) -> None:
        row = table.currentRow()
        if row < 0 and table.rowCount():
            row = table.rowCount() - 1
        if row >= 0:
            with self.guard():
                table.removeRow(row)
            changed()

    def anchor_rows(self) -> list[tuple[int, str]]:
        rows = []
        for r in range(self.anchors.rowCount()):
            value, label = self.anchors.item(r, 0), self.anchors.item(r, 1)
            if value is None:
                continue
            try:
                number = int(value.data(Qt.ItemDataRole.EditRole))
            except (TypeError, ValueError):
                continue
            rows.append((number, label.text().strip() if label else ""))
        return rows

    def _scale_changed(self, *_args) -> None:
        if self.loading:
            return
        self.scaleEdited.emit(
            {
                "min": self.scale_min.value(),
                "max": self.scale_max.value(),
                "pass_at": self.scale_pass.value(),
                "anchors": dict(self.anchor_rows()),
            }
        )

    def _options_changed(self) -> None:
        if self.loading:
            return
        options = []
        for r in range(self.options.rowCount()):
            points, label = self.options.item(r, 0), self.options.item(r, 1)
            try:
                value = float(points.data(Qt.ItemDataRole.EditRole)) if points else 0.0
            except (TypeError, ValueError):
                value = 0.0
            options.append(
                {"label": label.text().strip() if label else "", "points": tidy_number(value)}
            )
        self.optionsEdited.emit(options, tidy_number(self.points_pass.value()))
