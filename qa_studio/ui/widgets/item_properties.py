"""Property pages for the form and for a section in the scorecard editor.

Each page shows one node of the working copy and reports every user edit at once as
``fieldEdited(name, value)``; the editor writes it into the tree model, which re-validates. Loading
a node never emits (the ``PropertyPage.loading`` guard), so selecting an item cannot mark the
working copy as changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qa_studio.scorecards.schema import CHANNELS, FATAL_POLICIES, NA_POLICIES

POLICY_HELP: dict[str, str] = {
    "exclude": "exclude — N/A leaves the score",
    "count_as_pass": "count_as_pass — N/A earns full points",
    "zero_form": "zero_form — a fatal fail scores the form 0 %",
    "report_separately": "report_separately — flagged, other points kept",
}


def combo(values: tuple[str, ...], labels: dict[str, str] | None = None) -> QComboBox:
    """A combo box whose item data are the stored values and whose text explains them."""
    box = QComboBox()
    for value in values:
        box.addItem((labels or {}).get(value, value), value)
    return box


def select_value(box: QComboBox, value: object) -> None:
    """Show ``value``; an unknown stored value is added so the user sees what the file says."""
    row = box.findData(value)
    if row < 0:
        box.addItem(f"{value} (unknown)", value)
        row = box.count() - 1
    box.setCurrentIndex(row)


def multiline(rows: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * rows + 14)
    return edit


class PropertyPage(QWidget):
    """Base: a form layout, a title, and the load guard."""

    fieldEdited = Signal(str, object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loading = False
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.title = QLabel(f"<b>{title}</b>")
        self.form.addRow(self.title)

    @contextmanager
    def guard(self) -> Iterator[None]:
        self.loading = True
        try:
            yield
        finally:
            self.loading = False

    def emit_field(self, name: str, value: object) -> None:
        if not self.loading:
            self.fieldEdited.emit(name, value)

    def line(self, name: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda text: self.emit_field(name, text.strip()))
        self.form.addRow(label, edit)
        return edit

    def text_block(self, name: str, label: str, rows: int = 3) -> QPlainTextEdit:
        edit = multiline(rows)
        edit.setObjectName(name)
        edit.textChanged.connect(lambda: self.emit_field(name, edit.toPlainText().strip()))
        self.form.addRow(label, edit)
        return edit

    def choice(self, name: str, label: str, values: tuple[str, ...]) -> QComboBox:
        box = combo(values, POLICY_HELP)
        box.setObjectName(name)
        box.currentIndexChanged.connect(lambda _row: self.emit_field(name, box.currentData()))
        self.form.addRow(label, box)
        return box


class FormProperties(PropertyPage):
    """Key, name, channel, target and the two policies of the whole form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Scorecard", parent)
        self.key = self.line("key", "Key", "lower_case_with_underscores")
        self.name = self.line("name", "Name")
        self.channel = self.choice("channel", "Channel", CHANNELS)
        self.target = QDoubleSpinBox()
        self.target.setObjectName("target")
        self.target.setRange(0, 100)
        self.target.setDecimals(1)
        self.target.setSuffix(" %")
        self.target.valueChanged.connect(lambda v: self.emit_field("target", v))
        self.form.addRow("Target", self.target)
        self.na_policy = self.choice("na_policy", "N/A policy", NA_POLICIES)
        self.fatal_policy = self.choice("fatal_policy", "Fatal policy", FATAL_POLICIES)
        self.description = self.text_block("description", "Description", rows=4)

    def load(self, fields: dict) -> None:
        with self.guard():
            self.key.setText(str(fields.get("key") or ""))
            self.name.setText(str(fields.get("name") or ""))
            select_value(self.channel, fields.get("channel"))
            target = fields.get("target")
            self.target.setValue(float(target) if isinstance(target, int | float) else 0.0)
            select_value(self.na_policy, fields.get("na_policy"))
            select_value(self.fatal_policy, fields.get("fatal_policy"))
            self.description.setPlainText(str(fields.get("description") or ""))


class SectionProperties(PropertyPage):
    """Key, name and description of a section."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Section", parent)
        self.key = self.line("key", "Key", "lower_case_with_underscores")
        self.name = self.line("name", "Name")
        self.description = self.text_block("description", "Description", rows=4)
        hint = QLabel("Questions are added to the selected section with “Add question”.")
        hint.setWordWrap(True)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.form.addRow(hint)

    def load(self, fields: dict) -> None:
        with self.guard():
            self.key.setText(str(fields.get("key") or ""))
            self.name.setText(str(fields.get("name") or ""))
            self.description.setPlainText(str(fields.get("description") or ""))
