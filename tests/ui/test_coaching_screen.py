"""The coaching screen, driven as a team leader would: pick an agent, read the figures, write the
coaching pack in the background, record a session with goals, raise and resolve a dispute,
acknowledge and print an evaluation; the tab in the main window; PNG grabs on demo data."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox, QTableWidgetItem

from qa_studio.demo.builder import DemoSpec, build_demo
from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.services.qt_compat import keep_none_alive
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import coaching, disputes, evaluations
from qa_studio.ui.views.coaching import CoachingView
from qa_studio.ui.views.coaching_dialogs import RecordSessionDialog
from qa_studio.ui.views.dispute_dialogs import RaiseDisputeDialog, ResolveDisputeDialog
from tests.storage import coaching_data
from tests.ui.windows import main_window

keep_none_alive()  # PySide6 6.12 on Python 3.11: see qa_studio.services.qt_compat
#: Where the screen grabs are left for a person to look at.
LOOK_DIR = Path("/tmp/qa-studio-coaching")


@pytest.fixture
def data(ws):
    return coaching_data.build(ws)


@pytest.fixture
def view(qtbot, ws, data):
    widget = CoachingView(ws, SyncJobRunner(), actor="Tara")
    qtbot.addWidget(widget)
    widget.resize(1500, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.select_agent("A1")
    return widget


def press_ok(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_the_screen_shows_the_agents_figures(qtbot, qtmodeltester, view):
    assert view.period_combo.currentText() == "2026-07"  # the month of Alex's latest contact
    assert "Alex Agent" in view.summary.text() and "3 evaluations" in view.summary.text()
    plot = view.plot.getPlotItem()
    assert plot.titleLabel.text and "Alex Agent" in plot.titleLabel.text
    assert len(plot.listDataItems()) >= 3  # agent, team and target lines
    for model in (
        view.questions.model,
        view.evaluations.model,
        view.goals.model,
        view.disputes.model,
    ):
        qtmodeltester.check(model)
    assert view.evaluations.model.rowCount() == 3  # F-7, F-8, F-9 in July
    assert view.evaluations.model.text(0, 1) == "F-9 (voice)"
    assert "Call F-9" in view.evaluations.detail.toPlainText()
    assert "Failed: greet" in view.evaluations.detail.toPlainText()

    view.set_period("2026-05")
    assert view.evaluations.model.rowCount() == 6  # B-0 … B-5 in May
    weakest = view.questions.model
    assert weakest.rowCount() >= 1 and weakest.text(0, 0).startswith("greet")
    assert not view.goals.empty.isHidden() and not view.disputes.empty.isHidden()
    view.set_period("next year")
    assert "next year" in view.job_bar.status.text()


def test_generate_a_pack_in_a_background_job(qtbot, view, monkeypatch, tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    runner = JobRunner()
    view.jobs = runner
    try:
        with qtbot.waitSignal(view.packsWritten, timeout=30_000) as written:
            qtbot.mouseClick(view.pack_button, Qt.MouseButton.LeftButton)
            assert view.job_bar.progress.isVisible() and view.job_bar.cancel_button.isVisible()
            assert not view.pack_button.isEnabled()  # one batch at a time
        qtbot.waitUntil(lambda: not view.job_bar.busy, timeout=10_000)
    finally:
        runner.wait()
    [path] = written.args[0]
    pack = Path(path)
    assert pack.exists() and pack.parent == folder
    assert pack.name == "coaching_2026-07_A1_Alex-Agent.xlsx"
    wb = load_workbook(pack, read_only=True)
    assert "Summary" in wb.sheetnames
    wb.close()
    assert "Wrote 1 coaching pack to" in view.job_bar.status.text()
    assert not view.job_bar.progress.isVisible() and view.pack_button.isEnabled()


def test_cancelling_the_team_batch_stops_it(qtbot, view, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    view.jobs.before_run = lambda handle: handle.cancel()  # Cancel pressed at once
    with qtbot.waitSignal(view.packsWritten) as written:
        qtbot.mouseClick(view.team_button, Qt.MouseButton.LeftButton)
    assert written.args[0] == []
    assert view.job_bar.status.text().startswith("Cancelled: wrote 0 coaching packs")
    assert not view.job_bar.cancel_button.isVisible()


def test_a_refused_pack_is_reported(qtbot, view, monkeypatch, tmp_path):
    warnings = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    view.set_period("2025-01")
    qtbot.mouseClick(view.pack_button, Qt.MouseButton.LeftButton)
    assert warnings and "no counted evaluations for agent A1" in warnings[0]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    qtbot.mouseClick(view.pack_button, Qt.MouseButton.LeftButton)  # dialog cancelled: nothing
    assert len(warnings) == 1


def test_record_a_session_through_the_dialog(qtbot, ws, view):
    view.set_period("2026-05")
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(RecordSessionDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.leader.currentText() == "Tara"
    assert dialog.goals.rowCount() >= 1  # suggested from the weakest questions
    assert dialog.goals.item(0, 1).text() == "greet"
    dialog.held.setDateTime(
        dialog.held.dateTime().fromString("15/06/2026 12:00", "dd/MM/yyyy HH:mm")
    )
    dialog.discussed.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.notes.setPlainText("Greeting practice")
    dialog.goals.setItem(0, 3, QTableWidgetItem("2026-07-15"))
    dialog.add_goal("Lift CSAT", "csat", "lots", "2026-07-15")
    press_ok(qtbot, dialog)
    assert dialog.isVisible() and "goal 2: the target 'lots' is not a number" in (
        dialog.error.text()
    )
    dialog.goals.setItem(1, 2, QTableWidgetItem("4.2"))
    with qtbot.waitSignal(view.sessionRecorded) as recorded:
        press_ok(qtbot, dialog)
    assert not dialog.isVisible()
    s = coaching.get_session(ws, recorded.args[0])
    assert (s.agent, s.leader, s.notes, s.held_at) == (
        "A1",
        "Tara",
        "Greeting practice",
        "2026-06-15T11:00:00Z",
    )
    assert s.evaluation_ids == (view.recent[0].id,)
    assert [(g.measure, g.target) for g in s.goals][-1] == ("csat", 4.2)
    assert view.tabs.currentWidget() is view.goals
    assert view.goals.model.rowCount() == len(s.goals)
    assert "Lift CSAT" in view.goals.model.all_text()


def test_a_team_briefing_through_the_dialog(qtbot, ws, view):
    dialog = view.record_session()
    dialog.kind.setCurrentIndex(1)
    assert dialog.topic.isVisible() and not dialog.discussed.isVisible()
    dialog.topic.setText("Greeting standard")
    dialog.questions.setText("greet")
    dialog.goals.setRowCount(0)
    with qtbot.waitSignal(view.sessionRecorded) as recorded:
        press_ok(qtbot, dialog)
    s = coaching.get_session(ws, recorded.args[0])
    assert (s.kind, s.team, s.attendees) == ("team_briefing", "Blue", ("A1", "A2"))


def test_raise_and_uphold_a_dispute_through_the_dialogs(qtbot, ws, view):
    view.tabs.setCurrentWidget(view.disputes)
    qtbot.mouseClick(view.disputes.raise_button, Qt.MouseButton.LeftButton)
    raise_dialog = view.findChild(RaiseDisputeDialog)
    target = view.recent[0]  # F-9: greet failed
    raise_dialog.evaluation.setCurrentIndex(raise_dialog.evaluation.findData(target.id))
    raise_dialog.question.setCurrentIndex(raise_dialog.question.findData("greet"))
    raise_dialog.reason.setPlainText("I gave my name at 0:02")
    with qtbot.waitSignal(view.disputeChanged):
        press_ok(qtbot, raise_dialog)
    [d] = disputes.list_disputes(ws)
    assert (d.evaluation_id, d.question_key, d.entered_by) == (target.id, "greet", "Tara")
    assert view.disputes.model.rowCount() == 1 and view.disputes.resolve_button.isEnabled()

    qtbot.mouseClick(view.disputes.resolve_button, Qt.MouseButton.LeftButton)
    resolve = view.findChild(ResolveDisputeDialog)
    assert resolve.value.currentText() == "yes"
    resolve.reason.setPlainText("The name is there")
    resolve.lead.setCurrentText("Lee")
    with qtbot.waitSignal(view.disputeChanged):
        press_ok(qtbot, resolve)
    after = disputes.get_dispute(ws, d.id)
    assert (after.status, after.new_value, after.resolved_by) == ("upheld", "yes", "Lee")
    assert evaluations.get(ws, target.id).status == "final"
    assert "upheld (no → yes)" in view.disputes.model.all_text()
    assert not view.disputes.resolve_button.isEnabled()


def test_resolve_needs_a_qa_lead(qtbot, ws, data, view):
    d = disputes.raise_dispute(ws, data["after"][9], "greet", "x", agent="A1")
    view.refresh()
    dialog = view.resolve_dispute(d.id)
    dialog.lead.clear()
    dialog.lead.addItem("Tara")
    dialog.reason.setPlainText("ok")
    press_ok(qtbot, dialog)
    assert dialog.isVisible() and "may not uphold" in dialog.error.text()
    dialog.reject()


def test_acknowledge_and_print_the_selected_evaluation(qtbot, ws, view, monkeypatch, tmp_path):
    view.evaluations.view.selectRow(1)
    chosen = view.evaluations.current()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert view.ack_button.isEnabled()
    qtbot.mouseClick(view.ack_button, Qt.MouseButton.LeftButton)
    assert evaluations.get(ws, chosen.id).acknowledged_by == "Alex Agent"
    pdf = tmp_path / "form"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), "PDF (*.pdf)"))
    view.evaluations.view.selectRow(0)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "form.pdf"
    assert written.read_bytes().startswith(b"%PDF") and written.stat().st_size > 2000
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(tmp_path / "f.xlsx"), "Excel workbook (*.xlsx)"),
    )
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    assert load_workbook(tmp_path / "f.xlsx").sheetnames == ["Evaluation"]


def test_the_main_window_has_a_coaching_tab(qtbot, ws, data, tmp_path):
    win = main_window(qtbot, tmp_path, ws, show=False)
    win.show()
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    assert "Coaching" in titles
    win.tabs.setCurrentIndex(titles.index("Coaching"))
    assert win.coaching.agent is not None and win.coaching.agents


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("coachdemo") / "demo.qaw"
    ws = open_workspace(path)
    try:
        build_demo(ws, DemoSpec(agents=8, interactions=400, seed=3))
    finally:
        ws.close()
    return path


def test_grab_the_screen_on_demo_data(qtbot, demo_path):
    """PNGs of the screen for the agent coached first (a followed-up goal) and last (overdue
    or pending follow-up, disputes), every tab, left in LOOK_DIR to be looked at."""
    ws = open_workspace(demo_path)
    try:
        widget = CoachingView(ws, SyncJobRunner())
        qtbot.addWidget(widget)
        widget.resize(1500, 900)
        widget.show()
        qtbot.waitExposed(widget)
        agents = [
            r[0]
            for r in ws.db.execute(
                "SELECT a.external_id FROM coaching_sessions s JOIN agents a ON a.id = s.agent_id "
                "ORDER BY s.held_at, s.id"
            )
        ]
        LOOK_DIR.mkdir(parents=True, exist_ok=True)
        seen = {"goals": 0, "disputes": 0}
        for which, agent in (("first", agents[0]), ("last", agents[-1])):
            widget.select_agent(agent)
            assert widget.evaluations.model.rowCount() > 0
            assert widget.questions.model.rowCount() > 0
            seen["goals"] += widget.goals.model.rowCount()
            seen["disputes"] += widget.disputes.model.rowCount()
            for index, name in enumerate(("evaluations", "goals", "disputes")):
                widget.tabs.setCurrentIndex(index)
                qtbot.wait(50)
                image = widget.grab().toImage()
                assert image.width() == 1500 and image.height() == 900
                image.save(str(LOOK_DIR / f"coaching_{which}_{name}.png"))
        assert seen["goals"] >= 2 and seen["disputes"] >= 1
    finally:
        ws.close()
