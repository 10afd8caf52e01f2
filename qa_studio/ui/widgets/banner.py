"""A coloured strip above the main window's tabs that says something about the open workspace.

Why one piece: the read-only and cloud-folder banners are the same widget (selectable, wrapped
text, hidden when there is nothing to say) placed the same way (above the central widget, in one
column with it); each only decides its text from the workspace and picks its colours.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

__all__ = ["Banner", "place_above_central"]


class Banner(QLabel):
    """Hidden until ``say`` gives it text; ``say(None)`` hides it again."""

    def __init__(self, name: str, style: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(f"QLabel#{name} {{ {style} }}")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def say(self, text: str | None) -> None:
        if text is None:
            self.clear()
            self.hide()
            return
        self.setText(text)
        self.show()


def place_above_central(window: QMainWindow, banner: QWidget) -> None:
    """Put ``banner`` above ``window``'s central widget (which keeps all the stretch)."""
    central = window.takeCentralWidget()
    holder = QWidget(window)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    banner.setParent(holder)
    layout.addWidget(banner)
    if central is not None:
        layout.addWidget(central, 1)
    window.setCentralWidget(holder)
