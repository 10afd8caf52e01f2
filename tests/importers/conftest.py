"""Fixtures for the importer tests: fixture files and small CSVs written per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.helpers import DATA, GOOD_ROWS, HEADER


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def write(tmp_path):
    """``write(name, text_or_bytes)`` → a file in the test's own folder."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return _write


@pytest.fixture
def good_csv(write) -> Path:
    return write("calls.csv", "\n".join([HEADER, *GOOD_ROWS]) + "\n")
