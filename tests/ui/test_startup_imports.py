"""What opening the main window on an empty workspace loads (issue 10: cold start < 2 s).

Run in a fresh interpreter, since this test process has long imported everything. Only the
Interactions screen is needed at first; the charting (pyqtgraph) and spreadsheet (openpyxl)
stacks belong to tabs and exports the user may never open. No timings here: those are in
``benchmarks/run_all.py --only startup``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from qa_studio.app import application
from qa_studio.services.jobs import SyncJobRunner
from qa_studio.services.settings import Settings
from qa_studio.storage.db import open_workspace
from qa_studio.ui.main_window import MainWindow, Services

app = application(headless_ok=True)
settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
window = MainWindow(Services(settings=settings, jobs=SyncJobRunner()),
                    open_workspace(Path(sys.argv[1])), remember=False)
window.show()
app.processEvents()
print(json.dumps(sorted(sys.modules)))
window.close()
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> set[str]:
    folder = tmp_path_factory.mktemp("startup")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder / "empty.qaw"), str(folder / "settings.ini")],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_main_window_opens_without_scipy(loaded):
    assert "qa_studio.ui.main_window" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "scipy"}


@pytest.mark.parametrize("package", ["pyqtgraph", "openpyxl", "krippendorff"])
def test_the_main_window_opens_without_charts_or_spreadsheets(loaded, package):
    # The tabs that need them are reserved and built on first show (ui.lazy_tabs).
    assert not {m for m in loaded if m.split(".")[0] == package}
    assert "qa_studio.ui.views.dashboard" not in loaded
