"""The workspace's published scorecards and the versions of the chosen one.

The editor's left-hand lists. Both are short (tens of cards, a handful of versions each), so plain
item widgets fed from ``storage.repository.scorecards`` are enough; choosing a card or a version is
reported by signal and the editor decides what to load.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.scorecards import ScorecardVersion

ID_ROLE = Qt.ItemDataRole.UserRole


def _tree(headers: tuple[str, ...], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(list(headers))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = tree.header()
    header.setStretchLastSection(True)
    for col in range(len(headers) - 1):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return tree


class CardLibrary(QWidget):
    """Cards (key, name, channel, latest version) above the chosen card's versions."""

    cardChosen = Signal(str)
    versionChosen = Signal(int)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Scorecards in this workspace</b>"))
        self.cards = _tree(("Key", "Name", "Channel", "Latest"), "cardList")
        self.cards.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.cards.header().setStretchLastSection(False)
        self.cards.currentItemChanged.connect(self._card_changed)
        layout.addWidget(self.cards, 3)
        self.empty_hint = QLabel("No scorecard is published in this workspace yet: start from a "
                                 "built-in or import a YAML file, then Publish.")  # fmt: skip
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #4b5563;")
        layout.addWidget(self.empty_hint)
        self.versions_label = QLabel("<b>Versions</b>")
        layout.addWidget(self.versions_label)
        self.versions = _tree(("Version", "Published", "By", "Change note"), "versionList")
        self.versions.setToolTip("Double-click a version to open it in the editor.")
        self.versions.itemActivated.connect(
            lambda item, _c: self.versionChosen.emit(item.data(0, ID_ROLE))
        )
        layout.addWidget(self.versions, 2)
        self.key: str | None = None
        self.version_list: list[ScorecardVersion] = []

    def _card_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        if item is not None:
            self.cardChosen.emit(item.data(0, ID_ROLE))

    def refresh(self, key: str | None = None) -> None:
        """Reload both lists, keeping (or moving to) ``key``."""
        key = key if key is not None else self.key
        self.cards.blockSignals(True)
        self.cards.clear()
        self.cards.blockSignals(False)
        for card_key, name, channel, latest in scorecards.list_cards(self.ws):
            item = QTreeWidgetItem([card_key, name, channel, f"v{latest}"])
            item.setData(0, ID_ROLE, card_key)
            item.setToolTip(1, name)
            self.cards.addTopLevelItem(item)
        self.empty_hint.setVisible(self.cards.topLevelItemCount() == 0)
        self.show_versions(key)

    def select_card(self, key: str | None) -> None:
        """Highlight ``key`` in the card list without emitting ``cardChosen``."""
        self.cards.blockSignals(True)
        self.cards.clearSelection()
        for row in range(self.cards.topLevelItemCount()):
            item = self.cards.topLevelItem(row)
            if item.data(0, ID_ROLE) == key:
                self.cards.setCurrentItem(item)
        self.cards.blockSignals(False)

    def show_versions(self, key: str | None) -> None:
        self.key = key
        self.select_card(key)
        self.versions.clear()
        self.version_list = scorecards.list_versions(self.ws, key) if key else []
        self.versions_label.setText(f"<b>Versions of {key}</b>" if key else "<b>Versions</b>")
        for v in reversed(self.version_list):
            item = QTreeWidgetItem(
                [
                    f"v{v.version}",
                    v.published_at[:16].replace("T", " "),
                    v.published_by or "",
                    v.change_note,
                ]
            )
            item.setData(0, ID_ROLE, v.id)
            item.setToolTip(3, v.change_note)
            self.versions.addTopLevelItem(item)

    def mark_version(self, version_id: int | None) -> None:
        """Bold the version the working copy is based on."""
        for row in range(self.versions.topLevelItemCount()):
            item = self.versions.topLevelItem(row)
            font = item.font(0)
            font.setBold(item.data(0, ID_ROLE) == version_id)
            for col in range(self.versions.columnCount()):
                item.setFont(col, font)
