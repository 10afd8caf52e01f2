"""Packs over the demo workspace: realistic evaluations, notes and contacts from the demo
builder, every agent's headline figures checked against SQL written here."""

from __future__ import annotations

import statistics
from datetime import date

import pytest
from openpyxl import load_workbook

from qa_studio.demo.builder import DemoSpec, build_demo
from qa_studio.export.coaching_pack import PackScope, write_packs
from qa_studio.storage.db import open_workspace
from tests.export import pack_data as data


@pytest.fixture(scope="module")
def demo_packs(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    ws = open_workspace(root / "demo.qaw")
    try:
        build_demo(ws, DemoSpec(agents=9, interactions=900, seed=11, end=date(2026, 10, 31)))
        files = write_packs(ws, PackScope.for_all(), "2026-10", root / "out")
        rows = data.counted(ws, data.OCTOBER)
        external = dict(ws.db.execute("SELECT external_id, name FROM agents").fetchall())
    finally:
        ws.close()
    return files, rows, external


def test_every_demo_agent_with_evaluations_gets_a_correct_pack(demo_packs):
    files, rows, external = demo_packs
    with_evaluations = sorted({r[5] for r in rows})
    assert with_evaluations, "the demo scores contacts in its last month"
    assert sorted(f.name.split("_")[2] for f in files) == with_evaluations
    for f in files:
        agent = f.name.split("_")[2]
        mine = [r[1] for r in rows if r[5] == agent]
        ws = load_workbook(f)["Summary"]
        labels = {ws.cell(r, 1).value: r for r in range(1, 40)}
        assert ws.cell(labels["Evaluations"], 2).value == len(mine)
        scored = [p for p in mine if p is not None]
        assert ws.cell(labels["Mean score (%)"], 2).value == pytest.approx(statistics.fmean(scored))
        assert ws["A1"].value == f"Coaching pack: {external[agent]}"
