"""Shared test set-up.

The Qt platform and test-mode paths are fixed here, before any QApplication exists, so tests never
open a window on a real display or touch the user's own data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

import pytest
from hypothesis import HealthCheck, settings
from PySide6.QtCore import QStandardPaths

QStandardPaths.setTestModeEnabled(True)

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE_DATA = SHARED / "reference-data"


@pytest.fixture
def ws(tmp_path):
    """A fresh, migrated workspace per test."""
    from qa_studio.storage.db import open_workspace

    workspace = open_workspace(tmp_path / "test.qaw")
    workspace.actor = "Test Evaluator"
    yield workspace
    workspace.close()


@pytest.fixture
def reference_data() -> Path:
    """The shared published samples; tests using them skip cleanly when the folder is absent."""
    if not REFERENCE_DATA.is_dir():
        pytest.skip("../shared/reference-data is not present")
    return REFERENCE_DATA


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    from qa_studio.cli import main

    def _run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run
