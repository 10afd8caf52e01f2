"""A demo workspace for the sampling UI tests, built once per session and copied per test.

Eight agents, 400 contacts over May–October 2026, evaluators with capacities and skills, and
published scorecards (``qa_studio.demo``). Building takes a couple of seconds, so the tests copy
a workspace file built once rather than building it again each time.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from qa_studio.demo.builder import STEPS, DemoSpec, build_demo
from qa_studio.storage.db import open_workspace

MONTH = "2026-10"
TODAY = date(2026, 11, 2)
#: The evaluators the tests give the sample to; ME is the one scoring.
CHOSEN = ("Grace Adeyemi", "Nadia Rahman")
ME = "Nadia Rahman"
#: The demo without its own samples: these tests draw theirs on an empty Sampling tab.
WITHOUT_SAMPLES = tuple(step for step in STEPS if step[0] != "samples")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sampling_demo") / "demo.qaw"
    ws = open_workspace(path)
    try:
        build_demo(ws, DemoSpec(agents=8, interactions=400, seed=3, end=date(2026, 10, 31)),
                   steps=WITHOUT_SAMPLES)  # fmt: skip
    finally:
        ws.close()
    return path


@pytest.fixture
def demo_ws(demo_template, tmp_path):
    target = tmp_path / "demo.qaw"
    shutil.copy(demo_template, target)
    ws = open_workspace(target, create=False)
    ws.actor = "Test Evaluator"
    yield ws
    ws.close()
