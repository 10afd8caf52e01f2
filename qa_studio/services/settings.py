"""Typed access to the user's preferences, stored with ``QSettings``.

Why a wrapper: ``QSettings`` hands back strings, lists or ``None`` depending on the platform's
backend (an INI file turns a one-item list into a plain string); every caller would otherwise
repeat the conversions and the key names. Workspace data never goes here — only what belongs to
this user on this machine: recent files, the evaluator name, the window's geometry.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from qa_studio.services.paths import ensure_app_identity

MAX_RECENT = 8


class Settings:
    """Preferences with Python types; pass a ``QSettings`` (e.g. an INI file) to isolate tests."""

    def __init__(self, store: QSettings | None = None) -> None:
        if store is None:
            ensure_app_identity()
            store = QSettings()
        self._store = store

    @property
    def store(self) -> QSettings:
        return self._store

    def sync(self) -> None:
        self._store.sync()

    # -- recent workspaces ----------------------------------------------------------------------

    def recent_files(self) -> list[Path]:
        """Most recent first, without duplicates; files that vanished are kept (and marked by the
        menu) so a network drive that is offline today does not lose its entry."""
        value = self._store.value("recent/files", [])
        items = [value] if isinstance(value, str) else list(value or [])
        seen: list[Path] = []
        for item in items:
            path = Path(str(item))
            if str(item) and path not in seen:
                seen.append(path)
        return seen[:MAX_RECENT]

    def add_recent(self, path: Path) -> None:
        path = Path(path).resolve()
        files = [path, *(p for p in self.recent_files() if p != path)][:MAX_RECENT]
        self._store.setValue("recent/files", [str(p) for p in files])

    def remove_recent(self, path: Path) -> None:
        path = Path(path).resolve()
        files = [p for p in self.recent_files() if p != path]
        self._store.setValue("recent/files", [str(p) for p in files])

    def clear_recent(self) -> None:
        self._store.remove("recent/files")

    # -- who is evaluating ----------------------------------------------------------------------

    def evaluator_name(self) -> str | None:
        value = self._store.value("evaluator/name", "")
        return str(value) if value else None

    def set_evaluator_name(self, name: str | None) -> None:
        if name:
            self._store.setValue("evaluator/name", name)
        else:
            self._store.remove("evaluator/name")

    # -- window ---------------------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_geometry(self, geometry: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)

    def window_state(self) -> QByteArray | None:
        value = self._store.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, state: QByteArray) -> None:
        self._store.setValue("window/state", state)

    def last_folder(self) -> Path | None:
        """Where the last file dialog was left, so the next one starts there."""
        value = self._store.value("dialogs/folder", "")
        return Path(str(value)) if value else None

    def set_last_folder(self, folder: Path) -> None:
        self._store.setValue("dialogs/folder", str(folder))

    # -- default scorecard per channel ----------------------------------------------------------

    def default_scorecard(self, channel: str) -> str | None:
        """The scorecard key this user scores ``channel`` contacts with by default, if chosen."""
        value = self._store.value(f"scorecards/default/{channel}", "")
        return str(value) if value else None

    def set_default_scorecard(self, channel: str, key: str | None) -> None:
        if key:
            self._store.setValue(f"scorecards/default/{channel}", key)
        else:
            self._store.remove(f"scorecards/default/{channel}")
