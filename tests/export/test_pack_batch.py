"""Batches: a team's or everyone's packs, the index workbook, progress, Cancel and refusals, and
the worker processes that write large batches."""

from __future__ import annotations

import multiprocessing
import sys
import threading

import pytest
from openpyxl import load_workbook

from qa_studio.domain.periods import parse_period, period_between
from qa_studio.errors import DataRefused, UsageError
from qa_studio.export.coaching_pack import (
    SHEETS,
    PackScope,
    pack_filename,
    reports_for,
    write_agent_pack,
    write_packs,
)
from qa_studio.export.pack_index import HEADINGS, INDEX_NAME
from qa_studio.export.pack_workers import MAX_WORKERS, PACKS_PER_WORKER, worker_count
from qa_studio.storage.repository.workspace_info import set_setting
from tests.export import pack_data as data
from tests.export.conftest import GENERATED


def test_index_links_every_pack_with_its_headline_figures(october_packs):
    out, files = october_packs
    ws = load_workbook(out / INDEX_NAME)["Packs"]
    assert [c.value for c in ws[1]] == list(HEADINGS)
    rows = list(ws.iter_rows(min_row=2, max_row=1 + len(files)))
    linked = {r[-1].hyperlink.target for r in rows}
    assert linked == {f.name for f in files}
    for r in rows:
        target = out / r[-1].hyperlink.target
        assert target.exists() and r[-1].value == target.name
        summary = load_workbook(target)["Summary"]
        mean_row = next(
            n for n in range(1, 40) if summary.cell(n, 1).value == "Mean score (%)"
        )  # fmt: skip
        assert r[5].value == pytest.approx(summary.cell(mean_row, 2).value)
        assert r[1].value in target.name
    assert [r[0].value for r in rows] == ["Alex Able", "Cam Cole", "Sam Stone"]  # team, name


def test_team_batch_reports_progress_and_writes_only_the_team(pack_db, tmp_path):
    calls: list[tuple[int, int]] = []
    files = write_packs(
        pack_db[0], PackScope.for_team("Blue"), "2026-10", tmp_path,
        progress=lambda done, total: calls.append((done, total)),
    )  # fmt: skip
    assert [f.name for f in files] == [
        "coaching_2026-10_A1_Alex-Able.xlsx",
        "coaching_2026-10_A3_Cam-Cole.xlsx",
    ]
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [INDEX_NAME, *(f.name for f in files)]
    )


def test_cancel_stops_after_the_current_pack_and_indexes_what_was_written(pack_db, tmp_path):
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1

    files = write_packs(
        pack_db[0], PackScope.for_all(), "2026-10", tmp_path, is_cancelled=cancelled
    )
    assert len(files) == 1
    index = load_workbook(tmp_path / INDEX_NAME)["Packs"]
    assert index["M2"].hyperlink.target == files[0].name
    assert index["A3"].value is None  # only the one pack written before Cancel
    assert not list(tmp_path.glob("*.part"))


def test_agents_without_evaluations_are_listed_but_get_no_pack(pack_db, tmp_path, pws):
    """September: A2 (Red) has no evaluations; the index says so instead of leaving them out."""
    files = write_packs(pws, PackScope.for_all(), "2026-09", tmp_path)
    assert [f.name.split("_")[2] for f in files] == ["A1", "A3"]
    rows = list(load_workbook(tmp_path / INDEX_NAME)["Packs"].iter_rows(min_row=2, max_row=4,
                                                                        values_only=True))  # fmt: skip
    assert rows[-1][0] == "Sam Stone" and rows[-1][4] == 0
    assert rows[-1][-1] == "no pack: no evaluations in the period"


def test_quarter_and_range_periods(pws, tmp_path):
    q3 = reports_for(pws, PackScope.for_agents("A1"), "2026-Q3")[0]
    assert q3.summary.n == len(
        [r for r in data.counted(pws, ("2026-06-30T23:00:00Z", "2026-09-30T23:00:00Z"))
         if r[5] == "A1"]
    )  # fmt: skip
    assert q3.previous_period.key == "2026-Q2"
    assert [m.month for m in q3.trend] == ["2026-04", "2026-05", "2026-06", "2026-07",
                                           "2026-08", "2026-09"]  # fmt: skip
    ranged = period_between("2026-10-01", "2026-10-10")
    path = write_agent_pack(pws, "A1", ranged, tmp_path)
    assert path.name == "coaching_2026-10-01_2026-10-10_A1_Alex-Able.xlsx"
    assert not (tmp_path / INDEX_NAME).exists()
    summary = load_workbook(path)["Summary"]
    n_row = next(n for n in range(1, 40) if summary.cell(n, 1).value == "Evaluations")
    expected = [r for r in data.counted(pws, ("2026-09-30T23:00:00Z", "2026-10-10T23:00:00Z"))
                if r[5] == "A1"]  # fmt: skip
    assert summary.cell(n_row, 2).value == len(expected) == 3


def test_refusals_name_what_is_wrong(pws, tmp_path):
    with pytest.raises(DataRefused, match="unknown agent 'NOPE'"):
        write_packs(pws, PackScope.for_agents("NOPE"), "2026-10", tmp_path)
    with pytest.raises(DataRefused, match=r"unknown team 'Green' \(teams: Blue, Red\)"):
        write_packs(pws, PackScope.for_team("Green"), "2026-10", tmp_path)
    with pytest.raises(DataRefused, match="no counted evaluations for team Blue in January 2025"):
        write_packs(pws, PackScope.for_team("Blue"), "2025-01", tmp_path)
    with pytest.raises(DataRefused, match="no counted evaluations for agent A2 in September 2026"):
        write_agent_pack(pws, "A2", "2026-09", tmp_path)
    with pytest.raises(UsageError, match="2026-13"):
        write_packs(pws, PackScope.for_all(), "2026-13", tmp_path)
    with pytest.raises(DataRefused, match="exactly one"):
        write_packs(pws, PackScope(agents=("A1",), team="Blue"), "2026-10", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_kpi_targets_come_from_workspace_settings(pws, tmp_path):
    with pws.db.atomic():
        set_setting(pws.db, "target.aht_s", "300")
        set_setting(pws.db, "target.csat", "4.5")
    report = reports_for(pws, PackScope.for_agents("A1"), parse_period("2026-10"))[0]
    assert (report.kpi_targets.aht_s, report.kpi_targets.fcr, report.kpi_targets.csat) == (
        300.0, 75.0, 4.5)  # fmt: skip
    assert report.kpi_targets.from_settings == ("aht_s", "csat")
    summary = load_workbook(write_agent_pack(pws, "A1", "2026-10", tmp_path))["Summary"]
    r = next(n for n in range(1, 60) if summary.cell(n, 1).value == "Customer satisfaction (1–5)")
    assert summary.cell(r, 4).value == 4.5
    assert summary.cell(r + 1, 1).value == (
        "KPI targets: AHT 5:00 (workspace), FCR 75 % (default), CSAT 4.5 (workspace).")  # fmt: skip
    with pws.db.atomic():
        pws.db.execute("DELETE FROM settings WHERE key LIKE 'target.%'")


def test_pack_filename_is_safe(pws):
    report = reports_for(pws, PackScope.for_agents("A1"), "2026-10")[0]
    from dataclasses import replace

    odd = replace(report, agent=replace(report.agent, name="Zoë O'Brien / =x", external_id="A/1"))
    assert pack_filename(odd) == "coaching_2026-10_A-1_Zo-O-Brien-x.xlsx"


def test_one_agent_batch_has_the_same_figures_as_the_whole_workspace(pws):
    alone = reports_for(pws, PackScope.for_agents("A3"), "2026-10")[0]
    everyone = {r.agent.external_id: r for r in reports_for(pws, PackScope.for_all(), "2026-10")}
    assert alone == everyone["A3"]
    assert (
        alone.team.n
        == everyone["A1"].team.n
        == len([r for r in data.counted(pws, data.OCTOBER) if r[6] == "Blue"])
    )
    assert [e.interaction for e in alone.evidence] == ["INT-008", "INT-008"]


def test_agent_without_a_team_gets_a_pack_without_team_figures(ws, tmp_path):
    from qa_studio.domain.models import Evaluator, Interaction
    from qa_studio.storage.repository import people, scorecards
    from qa_studio.storage.repository.evaluation_import import record_evaluation
    from qa_studio.storage.repository.interactions import interaction_id, upsert_interactions

    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Ann"))
        upsert_interactions(ws, [Interaction("SOLO-1", "voice", "2026-10-05T09:00:00Z",
                                             agent_external_id="S1", agent_name="Solo Agent")])  # fmt: skip
    voice = scorecards.publish(ws, data.VOICE, "First version")
    record_evaluation(ws, interaction_id=interaction_id(ws, "SOLO-1"), version_id=voice.id,
                      evaluator="Ann", answers=data.GOOD, started_at="2026-10-05T10:00:00Z",
                      submitted_at="2026-10-05T10:05:00Z", signed_at="2026-10-05T10:06:00Z")  # fmt: skip
    report = reports_for(ws, PackScope.for_all(), "2026-10")[0]
    assert (report.summary.n, report.summary.mean, report.team.n, report.team.mean) == (
        1, pytest.approx(100 * 6.5 / 7), 0, None)  # fmt: skip
    path = write_agent_pack(ws, "S1", "2026-10", tmp_path)
    summary = load_workbook(path)["Summary"]
    assert summary["A3"].value.startswith("Not enough evidence: n=1 gives no interval")
    team = next(n for n in range(1, 20) if summary.cell(n, 1).value == "Team")
    assert summary.cell(team, 2).value == "no team"


def _content(path) -> dict:
    """Every sheet's cells (value, style, number format), merged ranges, validations and
    conditional formats, and the Summary's chart ranges: what a reader of the pack sees."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value, c.style, c.number_format, c.data_type)
                 for row in ws.iter_rows() for c in row if c.value is not None or c.has_style]  # fmt: skip
        out[ws.title] = (
            cells,
            sorted(str(r) for r in ws.merged_cells.ranges),
            sorted(str(dv.sqref) for dv in ws.data_validations.dataValidation),
            sorted(str(cf.sqref) for cf in ws.conditional_formatting),
            [[(s.val.numRef.f, s.tx.strRef.f) for s in chart.series] for chart in ws._charts],
        )
    return out


def test_worker_processes_write_the_same_packs_from_a_background_thread(
    pack_db, october_packs, tmp_path
):
    """Two spawned workers, started from a non-main thread (as the coaching screen's job runner
    does): the same files, cell for cell, as one process; progress as packs complete; no
    worker process left behind."""
    calls: list[tuple[int, int]] = []
    result: dict = {}

    def job() -> None:
        try:
            result["files"] = write_packs(
                pack_db[0], PackScope.for_all(), "2026-10", tmp_path, generated=GENERATED,
                workers=2, progress=lambda done, total: calls.append((done, total)),
            )  # fmt: skip
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            result["error"] = exc

    thread = threading.Thread(target=job)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive() and "error" not in result, result
    assert multiprocessing.active_children() == []
    out, serial = october_packs
    assert [f.name for f in result["files"]] == [f.name for f in serial]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    for mine, theirs in zip(result["files"], serial, strict=True):
        assert _content(mine) == _content(theirs), mine.name
    assert _content(tmp_path / INDEX_NAME) == _content(out / INDEX_NAME)


def test_cancel_with_workers_stops_handing_out_packs(pack_db, tmp_path):
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1

    files = write_packs(pack_db[0], PackScope.for_all(), "2026-10", tmp_path, workers=2,
                        is_cancelled=cancelled)  # fmt: skip
    assert [f.name for f in files] == ["coaching_2026-10_A1_Alex-Able.xlsx"]
    index = load_workbook(tmp_path / INDEX_NAME)["Packs"]
    assert index["M2"].hyperlink.target == files[0].name and index["A3"].value is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [files[0].name, INDEX_NAME]
    assert multiprocessing.active_children() == []


def test_a_workers_error_is_raised_and_no_worker_is_left(pack_db, tmp_path):
    (tmp_path / "coaching_2026-10_A3_Cam-Cole.xlsx").mkdir()  # the pack cannot be saved there
    with pytest.raises(IsADirectoryError):
        write_packs(pack_db[0], PackScope.for_all(), "2026-10", tmp_path, workers=2)
    assert multiprocessing.active_children() == []
    assert not list(tmp_path.glob("*.part")) and not (tmp_path / INDEX_NAME).exists()


def test_worker_count(monkeypatch):
    assert worker_count(3, cores=2) == 1  # a small batch is written in-process
    assert worker_count(PACKS_PER_WORKER * 2, cores=2) == 2
    assert worker_count(500, cores=2) == 2
    assert worker_count(500, cores=1) == 1
    assert worker_count(500, cores=64) == MAX_WORKERS
    assert worker_count(PACKS_PER_WORKER * 3, cores=8) == 3
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # a PyInstaller build
    assert worker_count(500, cores=8) == 1


def test_packs_are_saved_without_temporary_files(pws, tmp_path, monkeypatch):
    """openpyxl writes each sheet to a temporary file; on a busy disk creating and deleting
    3,500 of them cost more than the cells. The packs are serialised in memory."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("a temporary file was created")

    monkeypatch.setattr("openpyxl.worksheet._writer.create_temporary_file", refuse)
    path = write_agent_pack(pws, "A1", "2026-10", tmp_path)
    assert load_workbook(path).sheetnames == list(SHEETS)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
