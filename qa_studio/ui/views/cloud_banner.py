"""A banner above the tabs when the open workspace sits in a cloud-synced folder.

Why a banner and not a dialog: the user may have a good reason (an approved, encrypted company
OneDrive) and must be able to carry on; but a sync client writing the database underneath the
app corrupts it, so the risk stays in sight while the workspace is open. The detection itself is
``services.cloud_folder`` (path components only, no I/O).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

from qa_studio.services.cloud_folder import check
from qa_studio.storage.db import Workspace
from qa_studio.ui.widgets.banner import Banner, place_above_central

BANNER_STYLE = (
    "background: #fde7e9; color: #4a0b10; border-bottom: 1px solid #e6a1a8; padding: 6px 10px;"
)


class CloudFolderBanner(Banner):
    """Visible only while the open workspace is inside a cloud-synced folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("cloudFolderBanner", BANNER_STYLE, parent)

    def set_workspace(self, ws: Workspace | None) -> None:
        warning = check(ws.path) if ws is not None else None
        self.say(None if warning is None else f"Cloud-synced folder: {warning.message}")


def install(window: QMainWindow) -> CloudFolderBanner:
    """Put the banner above the window's central widget and follow its workspace."""
    banner = CloudFolderBanner()
    place_above_central(window, banner)
    window.workspaceChanged.connect(banner.set_workspace)  # type: ignore[attr-defined]
    banner.set_workspace(getattr(window, "workspace", None))
    return banner
