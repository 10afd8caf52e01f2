"""A banner above the tabs when the open workspace sits in a cloud-synced folder.

Why a banner and not a dialog: the user may have a good reason (an approved, encrypted company
OneDrive) and must be able to carry on; but a sync client writing the database underneath the
app corrupts it, so the risk stays in sight while the workspace is open. The detection itself is
``services.cloud_folder`` (path components only, no I/O).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from qa_studio.services.cloud_folder import check
from qa_studio.storage.db import Workspace

BANNER_STYLE = (
    "QLabel#cloudFolderBanner { background: #fde7e9; color: #4a0b10; "
    "border-bottom: 1px solid #e6a1a8; padding: 6px 10px; }"
)


class CloudFolderBanner(QLabel):
    """Visible only while the open workspace is inside a cloud-synced folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cloudFolderBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def set_workspace(self, ws: Workspace | None) -> None:
        warning = check(ws.path) if ws is not None else None
        if warning is None:
            self.clear()
            self.hide()
            return
        self.setText(f"Cloud-synced folder: {warning.message}")
        self.show()


def install(window: QMainWindow) -> CloudFolderBanner:
    """Put the banner above the window's central widget and follow its workspace."""
    central = window.takeCentralWidget()
    holder = QWidget(window)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    banner = CloudFolderBanner(holder)
    layout.addWidget(banner)
    if central is not None:
        layout.addWidget(central, 1)
    window.setCentralWidget(holder)
    window.workspaceChanged.connect(banner.set_workspace)  # type: ignore[attr-defined]
    banner.set_workspace(getattr(window, "workspace", None))
    return banner
