"""Wire the settings dialog, the About box and the icons into a ``MainWindow``.

Kept out of ``main_window.py`` so the window's module stays a list of screens: ``install`` adds
File ▸ Settings… (Ctrl+,) before Quit, sets the window icon, puts icons on the file actions and
leaves Help ▸ About to ``MainWindow.about`` (which shows ``views.about``'s versioned box).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from qa_studio.ui.icons import app_icon, icon
from qa_studio.ui.views.settings_dialog import SettingsDialog


class PreferencesIntegration(QObject):
    """Owns the Settings action; keep the object returned by ``install``."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.setWindowIcon(app_icon())
        self.settings_action = QAction(icon("settings"), "&Settings…", window)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(lambda _checked=False: self.open_settings())
        quit_action = getattr(window, "quit_action", None)
        menu = next((a.menu() for a in window.menuBar().actions()
                     if a.text().replace("&", "") == "File"), None)  # fmt: skip
        if menu is not None and quit_action is not None:
            menu.insertAction(quit_action, self.settings_action)
            menu.insertSeparator(quit_action)
        elif menu is not None:
            menu.addAction(self.settings_action)
        for name, attr in (
            ("new", "new_action"),
            ("open", "open_action"),
            ("about", "about_action"),
        ):
            action = getattr(window, attr, None)
            if action is not None:
                action.setIcon(icon(name))
        self.dialog: SettingsDialog | None = None

    def open_settings(self) -> SettingsDialog:
        """Show the settings dialog (window-modal, not blocking) and return it."""
        dialog = SettingsDialog(self.window.services.settings, self.window.workspace, self.window)
        dialog.settingsSaved.connect(self._saved)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, changed: list) -> None:
        if changed:
            self.window.statusBar().showMessage(
                f"Workspace settings saved ({', '.join(c.replace('_', ' ') for c in changed)}).",
                8000,
            )
        else:
            self.window.statusBar().showMessage("Settings saved.", 8000)


def install(window: QMainWindow) -> PreferencesIntegration:
    """Add Settings…, the icons and the versioned About box to ``window``."""
    return PreferencesIntegration(window)
