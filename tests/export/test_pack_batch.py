"""Batches: a team's or everyone's packs, the index workbook, progress, Cancel and refusals."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from qa_studio.domain.periods import parse_period, period_between
from qa_studio.errors import DataRefused, UsageError
from qa_studio.export.coaching_pack import (
    PackScope,
    pack_filename,
    reports_for,
    write_agent_pack,
    write_packs,
)
from qa_studio.export.pack_index import HEADINGS, INDEX_NAME
from qa_studio.storage.repository.workspace_info import set_setting
from tests.export import pack_data as data


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
