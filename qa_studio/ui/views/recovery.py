"""What the main window shows when a workspace is damaged or may not be written.

A damaged file (``WorkspaceCorrupt``) gets an offer to restore its latest backup — Restore or
Cancel; restoring keeps the damaged file beside it (``storage.recovery``) and the caller then
opens the restored workspace. A read-only workspace gets a banner above the tabs saying why and
that changes are disabled; the banner hides again when a writable workspace is opened. The
controls themselves (File ▸ Import… and every screen's writing buttons) are switched off by
``ui.write_guard``, which the main window drives.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from qa_studio.errors import WorkspaceCorrupt, WorkspaceError
from qa_studio.storage import recovery
from qa_studio.storage.db import Workspace
from qa_studio.ui.widgets.banner import Banner, place_above_central

BANNER_STYLE = (
    "background: #fff4ce; color: #3b2f00; border-bottom: 1px solid #e0c36a; padding: 6px 10px; "
    "font-weight: 600;"
)


class ReadOnlyBanner(Banner):
    """A strip above the tabs, visible only while the open workspace is read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("readOnlyBanner", BANNER_STYLE, parent)

    def set_workspace(self, ws: Workspace | None) -> None:
        if ws is None or not ws.read_only:
            self.say(None)
            return
        reason = ws.read_only_reason or "the file cannot be written"
        self.say(
            f"Read-only: {reason} — changes are disabled. "
            f"To make changes, copy {ws.path.name} to a folder you may write to and open the copy."
        )


def offer_restore(parent: QWidget | None, path: Path, exc: WorkspaceError) -> bool:
    """Ask whether to restore the latest backup of a damaged ``path``; True once restored.

    False (and nothing changed) for other refusals, when there is no backup, on Cancel, or when
    the restore itself was refused — the caller then shows the original error.
    """
    if not isinstance(exc, WorkspaceCorrupt) or not exc.backups:
        return False
    box = QMessageBox(QMessageBox.Icon.Warning, "Workspace damaged", exc.message, parent=parent)
    box.setInformativeText(
        f"Restore the latest backup, {Path(exc.backups[0]).name}? The damaged file is kept "
        "beside it; work done since the backup was written is not in it."
    )
    box.setDetailedText("\n".join(str(d) for d in exc.details))
    restore_button = box.addButton("Restore backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(restore_button)
    box.exec()
    if box.clickedButton() is not restore_button:
        return False
    try:
        recovery.restore(Path(path))
    except (WorkspaceError, OSError) as err:
        failed = QMessageBox(QMessageBox.Icon.Critical, "Restore failed", str(err), parent=parent)
        failed.setInformativeText("\n".join(str(d) for d in getattr(err, "details", [])))
        failed.exec()
        return False
    return True


def install(window: QMainWindow) -> ReadOnlyBanner:
    """Put the banner above the window's central widget and follow its workspace."""
    banner = ReadOnlyBanner()
    place_above_central(window, banner)
    window.workspaceChanged.connect(banner.set_workspace)  # type: ignore[attr-defined]
    banner.set_workspace(getattr(window, "workspace", None))
    return banner
