"""A small demo built once per module: the tests read it, none changes it."""

from __future__ import annotations

from datetime import date

import pytest

from qa_studio.demo.builder import DemoSpec, build_demo
from qa_studio.storage.db import open_workspace

END = date(2026, 10, 31)
SMALL = DemoSpec(agents=8, interactions=400, seed=11, end=END)


def build(path, spec: DemoSpec = SMALL) -> dict:
    ws = open_workspace(path)
    try:
        return build_demo(ws, spec)
    finally:
        ws.close()


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    """The path of a small demo workspace (8 agents, 400 contacts, seed 11, ending 2026-10-31)."""
    path = tmp_path_factory.mktemp("demo") / "demo.qaw"
    build(path)
    return path


@pytest.fixture
def demo(demo_path):
    """The small demo opened for one test."""
    ws = open_workspace(demo_path)
    yield ws
    ws.close()
