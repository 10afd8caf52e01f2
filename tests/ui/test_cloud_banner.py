"""The main window warns, above the tabs, while the open workspace is in a cloud-synced folder."""

from __future__ import annotations

import pytest

from qa_studio.storage.db import open_workspace
from tests.ui.windows import main_window


@pytest.fixture
def window(qtbot, tmp_path):
    win = main_window(qtbot, tmp_path)
    yield win
    win.set_workspace(None)


def test_banner_follows_the_workspace_folder(window, tmp_path):
    banner = window.cloud_banner
    assert banner.isHidden()
    synced = tmp_path / "Dropbox" / "QA"
    synced.mkdir(parents=True)
    window.set_workspace(open_workspace(synced / "team.qaw"))
    assert banner.isVisible()
    assert "Dropbox" in banner.text() and "local folder" in banner.text()
    local = tmp_path / "Documents"
    local.mkdir()
    window.set_workspace(open_workspace(local / "team.qaw"))
    assert banner.isHidden() and banner.text() == ""
