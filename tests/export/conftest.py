"""Fixtures for the coaching-pack tests: one built workspace and one batch of packs per module
(the tests only read them), so the suite builds the data a handful of times, not per test."""

from __future__ import annotations

from datetime import date

import pytest

from qa_studio.storage.db import open_workspace
from tests.export import pack_data

GENERATED = date(2026, 11, 5)


@pytest.fixture(scope="module")
def pack_db(tmp_path_factory):
    """Path of a workspace filled by ``pack_data.build`` (and the ids it returned)."""
    path = tmp_path_factory.mktemp("packs") / "test.qaw"
    ws = open_workspace(path)
    ws.actor = "Test"
    try:
        ids = pack_data.build(ws)
    finally:
        ws.close()
    return path, ids


@pytest.fixture
def pws(pack_db):
    """The built workspace, opened for one test."""
    ws = open_workspace(pack_db[0])
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def october_packs(pack_db, tmp_path_factory):
    """Every agent's October 2026 pack and the index: ``(out_dir, files)``."""
    from qa_studio.export.coaching_pack import PackScope, write_packs

    out = tmp_path_factory.mktemp("out")
    ws = open_workspace(pack_db[0])
    try:
        files = write_packs(ws, PackScope.for_all(), "2026-10", out, generated=GENERATED)
    finally:
        ws.close()
    return out, files
