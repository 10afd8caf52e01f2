"""The Dashboard screen driven through its own widgets, on the hand-worked data of
``tests/storage/dashboard_data.py`` (expected figures are worked out there)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox

from qa_studio.domain import dashboard as dd
from qa_studio.services.jobs import SyncJobRunner
from qa_studio.storage.repository import targets as tg
from qa_studio.ui.views.dashboard import DashboardView
from qa_studio.ui.views.dashboard_tables import RowsModel
from tests.storage import dashboard_data
from tests.ui.prompts import pick_save_file


@pytest.fixture
def view(qtbot, ws, monkeypatch):
    dashboard_data.build(ws)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(f"warning {a[2]}"))
    v = DashboardView(ws, SyncJobRunner())
    qtbot.addWidget(v)
    v.resize(1400, 900)
    return v


def choose(combo: QComboBox, data) -> None:
    """Pick an entry the way a user does: by its position in the list."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)


def column(panel, header: str) -> list:
    j = panel.model.headers.index(header)
    return [panel.model.data(panel.model.index(i, j)) for i in range(panel.model.rowCount())]


def test_opens_on_the_latest_month_with_every_figure(view):
    assert view.period.currentData() == "2026-10"
    text = view.headline.text()
    assert "QA score <b>78.8 %</b> (n 8" in text and "pass 50.0 %" in text
    assert "AHT <b>380 s</b>" in text and "FCR <b>71.4 %</b>" in text
    assert "CSAT <b>4.00</b>" in text and "Service level <b>55.6 %</b> within 20 s" in text
    assert column(view.agent_table, "Agent") == ["Alex", "Sam", "Kim"]
    assert set(column(view.agent_table, "Evidence")) == {"not enough evidence"}
    assert column(view.channel_table, "QA mean") == ["82.9", "50.0"]
    assert view.turnaround.text().count("<b>") == 2 and "3.0" in view.turnaround.text()


def test_team_period_and_channel_filters_change_the_figures(view, qtbot):
    with qtbot.waitSignal(view.dashboardShown):
        choose(view.team, "Blue")
    assert "QA score <b>80.0 %</b> (n 5" in view.headline.text()
    assert "CSAT <b>3.50</b>" in view.headline.text()
    assert column(view.agent_table, "Agent") == ["Alex", "Sam"]
    with qtbot.waitSignal(view.dashboardShown):
        choose(view.period, "2026-09")
    assert "QA score <b>70.0 %</b> (n 1" in view.headline.text()
    choose(view.team, None)
    choose(view.period, "2026-10")
    with qtbot.waitSignal(view.dashboardShown):
        choose(view.channel, "chat")
    assert "QA score <b>50.0 %</b> (n 1" in view.headline.text()
    assert "AHT <b>900 s</b>" in view.headline.text()
    with qtbot.waitSignal(view.dashboardShown):
        choose(view.agent, "A3")
    assert column(view.agent_table, "Agent") == ["Kim"]


def test_targets_are_set_and_edited_in_place(view, ws, qtbot):
    panel = view.targets
    # Nothing stored yet: the note says which defaults the misses are measured against.
    note = panel.defaults_label.text()
    assert "QA score (%): the pass mark of the scorecards in use" in note
    assert "FCR (%): 75 %" in note
    choose(panel.metric, dd.QA_SCORE)
    panel.value.setValue(80)
    with qtbot.waitSignal(view.dashboardShown):
        qtbot.mouseClick(panel.set_button, Qt.MouseButton.LeftButton)
    assert [(t.metric, t.value) for t in tg.list_targets(ws)] == [(dd.QA_SCORE, 80.0)]
    assert "QA score" not in panel.defaults_label.text()
    assert "FCR (%): 75 %" in panel.defaults_label.text()
    assert "target 80.0" in view.headline.text()
    assert "QA score (%)" in column(view.misses.table, "Metric")  # 78.75 < 80
    model = panel.table.model
    assert model.setData(model.index(0, 3), "75") is True
    assert tg.list_targets(ws)[0].value == 75.0
    # 78.75 ≥ 75: the overall QA target is met now; chat (50) still misses it.
    qa_misses = [m.channel for m in view.current.misses if m.metric == dd.QA_SCORE]
    assert qa_misses == ["chat"]
    assert model.setData(model.index(0, 0), "Blue") is False  # only the value is editable


def test_start_rca_from_a_miss(view, ws, qtbot):
    from qa_studio.storage.repository import rca

    first = view.current.misses[0]
    with qtbot.waitSignal(view.rcaStarted) as blocker:
        qtbot.mouseClick(view.misses.buttons[0], Qt.MouseButton.LeftButton)
    started = rca.get_rca(ws, blocker.args[0])
    assert first.problem() in started.problem
    assert not view.misses.buttons[0].isEnabled()


def test_exports_read_back(view, tmp_path, monkeypatch):
    path = tmp_path / "agents.xlsx"
    pick_save_file(monkeypatch, path)
    view.agent_table.export_button.click()
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Agent", "Id", "Team", "n", "Mean")
    assert rows[1][:5] == ("Alex", "A1", "Blue", 3, 90.0)
    assert rows[1][-1] == "not enough evidence"
    m = view.training
    out = m.export(str(tmp_path / "needs.xlsx"))
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["Fail rates (%)", "Assessed (n)", "Training needs"]
    heads = [c.value for c in wb["Fail rates (%)"][1]]
    greet = heads.index("voice_example.greet")
    assert [round(r[greet], 1) for r in wb["Fail rates (%)"].iter_rows(min_row=2, values_only=True)] == [66.7, 100.0, 33.3]  # fmt: skip


def test_every_chart_saves_a_png(view, tmp_path):
    for name, panel in view.charts.items():
        path = panel.save_png(str(tmp_path / f"{name}.png"))
        assert path is not None and path.stat().st_size > 5000, name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    heat = view.training.save_png(str(tmp_path / "heat.png"))
    assert heat is not None and heat.stat().st_size > 5000


def test_training_need_briefing_signal(view, qtbot):
    tn = view.training
    assert tn.needs.model.rowCount() == len(tn.matrix.needs) > 0
    with qtbot.waitSignal(tn.briefingRequested) as blocker:
        qtbot.mouseClick(tn.brief_button, Qt.MouseButton.LeftButton)
    team, questions, _topic = blocker.args
    assert team == tn.matrix.needs[0].team and questions
    tn.share_pct.setValue(100.0)
    assert all(n.share_pct == 100.0 for n in tn.matrix.needs)


def test_models_pass_the_model_tester(qtmodeltester, view):
    qtmodeltester.check(view.agent_table.model)
    qtmodeltester.check(view.targets.table.model)
    empty = RowsModel(["a", "b"])
    qtmodeltester.check(empty)


def test_main_window_has_the_dashboard_tab(qtbot, ws, tmp_path):
    from tests.ui.windows import main_window

    dashboard_data.build(ws)
    window = main_window(qtbot, tmp_path, ws, show=False)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Dashboard" in titles
    with qtbot.waitSignal(window.dashboard.dashboardShown):
        window.tabs.setCurrentIndex(titles.index("Dashboard"))
    assert "QA score <b>78.8 %</b>" in window.dashboard.headline.text()


def test_without_a_job_runner_and_on_an_empty_workspace(qtbot, tmp_path):
    from qa_studio.storage.db import open_workspace

    empty = open_workspace(tmp_path / "empty.qaw")
    try:
        v = DashboardView(empty)
        qtbot.addWidget(v)
        assert v.current is None and "No contacts" in v.headline.text()
        assert v.period.count() == 0 and v.training.matrix is None
    finally:
        empty.close()


def test_a_stale_result_is_not_shown(view):
    shown = view.current
    view._generation += 1
    view._computed(view._generation - 1, view.query(), ("stale", None))
    assert view.current is shown
