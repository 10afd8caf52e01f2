"""Cloud-synced folder detection by path components on Windows, macOS and Linux paths."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

import pytest

from qa_studio.services.cloud_folder import check


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (r"C:\Users\jo\OneDrive\QA\team.qaw", "OneDrive"),
        (r"C:\Users\jo\OneDrive - Contoso Ltd\QA\team.qaw", "OneDrive"),
        (r"C:\Users\jo\Dropbox\team.qaw", "Dropbox"),
        (r"C:\Users\jo\Dropbox (Contoso)\QA\team.qaw", "Dropbox"),
        (r"G:\My Drive\QA\team.qaw", "Google Drive"),
        (r"C:\Users\jo\iCloudDrive\team.qaw", "iCloud Drive"),
        (r"C:\Users\jo\Box\QA\team.qaw", "Box"),
        (r"P:\pCloud Drive\team.qaw", "pCloud"),
        (r"C:\Users\jo\Nextcloud\team.qaw", "Nextcloud"),
        ("/Users/jo/Library/CloudStorage/OneDrive-Contoso/team.qaw", "OneDrive"),
        (
            "/Users/jo/Library/CloudStorage/GoogleDrive-jo@example.com/My Drive/t.qaw",
            "Google Drive",
        ),
        ("/Users/jo/Library/CloudStorage/Dropbox/team.qaw", "Dropbox"),
        ("/Users/jo/Library/Mobile Documents/com~apple~CloudDocs/QA/team.qaw", "iCloud Drive"),
        ("/Users/jo/Library/CloudStorage/Box-Box/team.qaw", "Box"),
        ("/home/jo/Dropbox/qa/team.qaw", "Dropbox"),
        ("/home/jo/ownCloud/team.qaw", "ownCloud"),
        ("/home/jo/Nextcloud (work)/team.qaw", "Nextcloud/ownCloud"),
    ],
)
def test_synced_folders_are_named(path, service):
    warning = check(path)
    assert warning is not None and warning.service == service
    assert service.split("/")[0] in warning.message and warning.folder in warning.message
    assert "local folder" in warning.message


@pytest.mark.parametrize(
    "path",
    [
        r"C:\Users\jo\Documents\QA\team.qaw",
        r"D:\Data\OneDriveBackup\team.qaw",  # only whole folder names count
        "/Users/jo/Documents/dropbox-notes.qaw",  # the file's own name is not a folder
        "/home/jo/work/qa/team.qaw",
        "/srv/qa/boxes/team.qaw",
    ],
)
def test_local_folders_are_not_flagged(path):
    assert check(path) is None


def test_pure_paths_are_accepted_and_the_folder_is_the_sync_root():
    w = check(PureWindowsPath(r"C:\Users\jo\OneDrive\QA\Sub\team.qaw"))
    assert w is not None and w.folder == r"C:\Users\jo\OneDrive"
    p = check(PurePosixPath("/home/jo/Dropbox/a/b/team.qaw"))
    assert p is not None and p.folder == "/home/jo/Dropbox"
