"""The welcome dialog shown when QA Studio starts with no workspace to open.

Why: a first-time user otherwise meets an empty window and a status-bar hint. The dialog offers
the three ways in — the demo (built on first use, so there is data to explore at once), a new
workspace, an existing one — and any recent workspaces that are still listed (e.g. after the last
one could not be reopened). It only chooses; ``offer_first_run`` carries the choice out through
the main window's own open/new actions, so errors are reported the same way as from the menus.
It is never shown in ``--screenshot`` mode (``app.run_gui`` does not call it there).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_studio.services.paths import ensure_demo_workspace
from qa_studio.ui.icons import app_icon, icon

DEMO, NEW, OPEN, RECENT = "demo", "new", "open", "recent"


class WelcomeDialog(QDialog):
    """Pick how to start; after ``exec``, ``choice`` is DEMO/NEW/OPEN/RECENT or None (closed)."""

    def __init__(self, recent: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to QA Studio")
        self.setWindowIcon(app_icon())
        self.choice: str | None = None
        self.chosen_path: Path | None = None
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(56, 56)))
        header.addWidget(logo)
        title = QLabel(
            "<h2>Welcome to QA Studio</h2>"
            "<p>Everything stays in one workspace file on this computer. Start with the demo "
            "to look around, or create a workspace for your own contacts.</p>"
        )
        title.setWordWrap(True)
        header.addWidget(title, 1)
        layout.addLayout(header)
        self.demo_button = self._button("Open the demo", "demo", DEMO,
                                         "Six months of sample calls, chats and e-mails.")  # fmt: skip
        self.new_button = self._button("Create a workspace…", "new", NEW,
                                       "A new, empty workspace file.")  # fmt: skip
        self.open_button = self._button("Open a workspace…", "open", OPEN,
                                        "A workspace file (.qaw) you already have.")  # fmt: skip
        for button in (self.demo_button, self.new_button, self.open_button):
            layout.addWidget(button)
        self.demo_button.setDefault(True)
        self.recent_list = QListWidget()
        for path in recent:
            missing = "" if path.exists() else " (missing)"
            item = QListWidgetItem(f"{path.name}{missing} — {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent_list.addItem(item)
        self.recent_list.itemActivated.connect(self._recent_chosen)
        self.recent_list.setMaximumHeight(120)
        self.recent_label = QLabel("Recent workspaces (double-click to open):")
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent_list)
        self.recent_label.setVisible(bool(recent))
        self.recent_list.setVisible(bool(recent))
        close = QPushButton("Start with no workspace")
        close.clicked.connect(self.reject)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(close)
        layout.addLayout(footer)
        self.setMinimumWidth(520)

    def _button(self, text: str, icon_name: str, choice: str, hint: str) -> QPushButton:
        button = QPushButton(icon(icon_name), f"  {text}\n  {hint}")
        button.setIconSize(QSize(32, 32))
        button.setStyleSheet("QPushButton { text-align: left; padding: 8px; }")
        button.setMinimumHeight(56)
        button.clicked.connect(lambda _checked=False: self._choose(choice))
        return button

    def _choose(self, choice: str, path: Path | None = None) -> None:
        self.choice, self.chosen_path = choice, path
        self.accept()

    def _recent_chosen(self, item: QListWidgetItem) -> None:
        self._choose(RECENT, Path(str(item.data(Qt.ItemDataRole.UserRole))))


def open_demo(window, build: Callable[[], Path] = ensure_demo_workspace) -> bool:
    """Build the demo workspace if needed (a few seconds, first run only) and open it."""
    window.statusBar().showMessage("Preparing the demo workspace (first run only)…")
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QGuiApplication.processEvents()
    try:
        path = build()
    finally:
        QGuiApplication.restoreOverrideCursor()
    return window.open_path(path)


def carry_out(
    window, dialog: WelcomeDialog, build_demo: Callable[[], Path] = ensure_demo_workspace
) -> bool:
    """Do what the user chose in ``dialog`` with the main window's actions; True if opened."""
    if dialog.choice == DEMO:
        return open_demo(window, build_demo)
    if dialog.choice == NEW:
        return bool(window.new_workspace())
    if dialog.choice == OPEN:
        return bool(window.open_workspace())
    if dialog.choice == RECENT and dialog.chosen_path is not None:
        return window.open_path(dialog.chosen_path)
    return False


def offer_first_run(window, build_demo: Callable[[], Path] = ensure_demo_workspace) -> bool:
    """Show the welcome dialog over ``window`` when it has no workspace; True if one was opened."""
    if window.workspace is not None:
        return False
    dialog = WelcomeDialog(window.services.settings.recent_files(), window)
    dialog.exec()
    return carry_out(window, dialog, build_demo)
