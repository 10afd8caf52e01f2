"""Warn when a workspace file sits in a folder a cloud client synchronises.

Why: a sync client (OneDrive, Dropbox, Google Drive, iCloud Drive, Box, pCloud, Nextcloud,
ownCloud) uploads an SQLite file while it is being written, can restore an older copy over a
newer one, and produces "conflicted copy" files when two laptops open the same workspace —
corruption and lost evaluations. It also copies recordings of customers to a third party's
servers, which the data-protection officer may not have agreed to. The check looks only at the
path's folder names (no I/O, no registry), so it is cheap enough to run on every open and works
the same on Windows, macOS and Linux; it names the service and says why it matters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath, PureWindowsPath

# Folder names (compared case-insensitively, whole path components) → service.
_EXACT: dict[str, str] = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "icloud drive (archive)": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive",
    "box": "Box",
    "box sync": "Box",
    "pcloud drive": "pCloud",
    "pclouddrive": "pCloud",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
}
# Folder name patterns: "OneDrive - Contoso Ltd", "Dropbox (Personal)", "GoogleDrive-me@x.com"
# (macOS File Provider roots under ~/Library/CloudStorage), "Box-Box".
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^onedrive(\s*-\s*.+|-.+)$", re.IGNORECASE), "OneDrive"),
    (re.compile(r"^dropbox(\s*\(.+\)|-.+)$", re.IGNORECASE), "Dropbox"),
    (re.compile(r"^googledrive-.+$", re.IGNORECASE), "Google Drive"),
    (re.compile(r"^box-.+$", re.IGNORECASE), "Box"),
    (re.compile(r"^(nextcloud|owncloud)[\s\-_(].*$", re.IGNORECASE), "Nextcloud/ownCloud"),
)
# Windows mounts Google Drive for desktop as a drive whose root holds "My Drive"; that case is in
# _EXACT. Nextcloud's default folder is "Nextcloud"; ownCloud's "ownCloud".


@dataclass(frozen=True)
class CloudWarning:
    """The service the folder belongs to, the folder itself, and the message to show."""

    service: str
    folder: str
    message: str


def _as_path(path: str | PurePath) -> PurePath:
    if isinstance(path, PurePath):
        return path
    text = str(path)
    if re.match(r"^[A-Za-z]:[\\/]", text) or text.startswith("\\\\"):
        return PureWindowsPath(text)
    return PurePosixPath(text)


def _service(name: str) -> str | None:
    lowered = name.strip().lower()
    if lowered in _EXACT:
        return _EXACT[lowered]
    for pattern, service in _PATTERNS:
        if pattern.match(lowered):
            return service
    return None


def check(path: str | PurePath) -> CloudWarning | None:
    """A warning when ``path`` (the workspace file) lies inside a cloud-synced folder, else None."""
    p = _as_path(path)
    parts = p.parts[:-1] if p.suffix else p.parts  # the folders, not the file itself
    for index, name in enumerate(parts):
        service = _service(name)
        if service is None:
            continue
        folder = str(type(p)(*parts[: index + 1]))
        message = (
            f"This workspace is in a {service} folder ({folder}). Sync clients can upload the "
            "database while it is being written, restore an older copy over your work or create "
            "conflicted copies, and they copy customers' recordings to the cloud provider. Move "
            "the workspace to a local folder (or one your organisation approves) and share work "
            "through bundles."
        )
        return CloudWarning(service, folder, message)
    return None
