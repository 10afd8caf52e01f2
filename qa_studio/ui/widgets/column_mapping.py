"""Which source column feeds each of our fields: one combo box per field, guesses preselected.

Spreadsheet exports name their columns every which way ("Call Ref", "Contact ID", "Start Time"),
so the importer guesses and the user confirms here before anything is written. Required fields are
bold with a star; the dialog refuses to run while one of them has no column.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QWidget

NOT_MAPPED = "(not mapped)"
#: Item data of the "(not mapped)" entry. Never None: PySide6 6.12 on Python 3.11 drops a
#: reference to None each time a None item data is read back (see ``services.qt_compat``).
UNMAPPED = ""
FIELDS_PER_ROW = 4


def label_headers(headers: list[str], mapping: dict[str, str | None]) -> list[str]:
    """Each header with the fields it feeds, ``"Contact ID\\n→ external_id"``, for the preview."""
    labels = []
    for header in headers:
        fields = [name for name, column in mapping.items() if column == header]
        labels.append(header + ("\n→ " + ", ".join(fields) if fields else ""))
    return labels


class ColumnMapping(QGroupBox):
    """A grid of field → source-column choices."""

    #: Any choice changed.
    mappingChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Column for each field (* required)", parent)
        self._grid = QGridLayout(self)
        self._required: tuple[str, ...] = ()
        self.combos: dict[str, QComboBox] = {}

    def set_fields(
        self,
        fields: tuple[str, ...],
        required: tuple[str, ...],
        headers: list[str],
        guessed: dict[str, str | None],
    ) -> None:
        """Offer ``headers`` for every field, preselecting the ``guessed`` column."""
        self.clear_fields()
        self._required = required
        for i, name in enumerate(fields):
            label = QLabel(f"<b>{name} *</b>" if name in required else name)
            combo = QComboBox()
            combo.addItem(NOT_MAPPED, UNMAPPED)
            for header in headers:
                combo.addItem(header, header)
            header = guessed.get(name)
            combo.setCurrentIndex(max(0, combo.findData(header)) if header else 0)
            combo.currentIndexChanged.connect(self.mappingChanged)
            label.setBuddy(combo)
            row, col = divmod(i, FIELDS_PER_ROW)
            self._grid.addWidget(label, row, 2 * col, Qt.AlignmentFlag.AlignRight)
            self._grid.addWidget(combo, row, 2 * col + 1)
            self.combos[name] = combo

    def clear_fields(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.combos = {}
        self._required = ()

    def mapping(self) -> dict[str, str | None] | None:
        """``{field: header or None}`` — None when no fields are offered (vendor formats)."""
        if not self.combos:
            return None
        return {name: combo.currentData() or None for name, combo in self.combos.items()}

    def missing_required(self) -> list[str]:
        mapping = self.mapping()
        return [] if mapping is None else [f for f in self._required if not mapping.get(f)]
