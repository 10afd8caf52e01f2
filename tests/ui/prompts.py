"""The prompts a UI test answers in advance, so that no modal dialog is ever left open.

``QFileDialog``'s static functions and ``QInputDialog.getItem`` are replaced for the test (through
``monkeypatch``, so they are restored afterwards) by functions returning what a user would have
chosen. Kept apart from ``windows`` so that a test of one screen can use them without importing
the main window.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog


def never_ask_evaluator(monkeypatch) -> None:
    """Fail the test if the window asks who is scoring (the settings already say)."""
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: pytest.fail("asked"))


def pick_open_file(monkeypatch, path: Path | str, selected_filter: str = "") -> None:
    """The next "open file" prompts answer ``path`` ("" is Cancel)."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), selected_filter)
    )


def pick_save_file(monkeypatch, path: Path | str, selected_filter: str = "") -> None:
    """The next "save file" prompts answer ``path`` ("" is Cancel)."""
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), selected_filter)
    )
