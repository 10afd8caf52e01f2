"""The calibration screen: blind while open, results once closed, the wizard, the main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QTableView, QWizard

from qa_studio.domain.models import Interaction
from qa_studio.services.jobs import SyncJobRunner
from qa_studio.services.qt_compat import keep_none_alive
from qa_studio.storage.repository import calibration, evaluations
from qa_studio.storage.repository.interactions import interaction_id, upsert_interactions
from qa_studio.ui.models.calibration_models import SessionListModel, TextTableModel
from qa_studio.ui.views.calibration import CalibrationView
from tests.export.chart_fixtures import score_all
from tests.storage.eval_helpers import seed

keep_none_alive()  # PySide6 6.12 on Python 3.11: see qa_studio.services.qt_compat
ANN = {"greet": "no", "empathy": 2, "idv": "yes", "cvv": "yes"}
SECRET = "ANN-SECRET-NOTE: missed the greeting entirely"


def model_text(model: QAbstractItemModel) -> list[str]:
    out = [str(model.headerData(c, Qt.Orientation.Horizontal) or "")
           for c in range(model.columnCount())]  # fmt: skip
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            index = model.index(r, c)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if value is not None:
                    out.append(str(value))
    return out


def visible_text(view: CalibrationView) -> str:
    """Everything the screen holds to show: labels, every table (and tooltips), every list."""
    parts = [label.text() for label in view.findChildren(QLabel)]
    for table in view.findChildren(QTableView):
        parts += model_text(table.model())
    for combo in view.findChildren(QComboBox):
        parts += [combo.itemText(i) for i in range(combo.count())]
    return "\n".join(parts)


def row_of(model: TextTableModel, first: str) -> list[str]:
    for r in range(model.rowCount()):
        if model.text(r, 0).startswith(first):
            return [model.text(r, c) for c in range(model.columnCount())]
    raise AssertionError(f"no row starting {first!r}")


@pytest.fixture
def data(ws):
    made = seed(ws, n_interactions=3)
    session = calibration.create_session(ws, "Blind October", made["v1"].id,
                                         made["interactions"][:2], ["Ann", "Bo"])  # fmt: skip
    return made | {"session": session}


@pytest.fixture
def view(qtbot, ws):
    def make(evaluator: str | None) -> CalibrationView:
        widget = CalibrationView(ws, evaluator, SyncJobRunner())
        qtbot.addWidget(widget)
        widget.resize(1300, 800)
        widget.show()
        return widget

    return make


def test_a_blind_session_hides_other_answers_until_it_closes(qtbot, ws, data, view, monkeypatch):
    sid = data["session"].id
    ann_ids = score_all(ws, sid, {"Ann": ANN}, notes={("Ann", "greet"): SECRET})["Ann"]
    ann_percent = evaluations.get(ws, ann_ids[0]).percent
    bo = view("Bo")
    bo.select_session(sid)

    shown = visible_text(bo)
    assert SECRET not in shown and "missed the greeting" not in shown
    assert f"{ann_percent:.1f}" not in shown and f"{ann_percent:.2f}" not in shown
    assert row_of(bo.progress, "Ann")[1:] == ["submitted", "submitted"]  # statuses only
    assert row_of(bo.progress, "Bo (you)")[1:] == ["not started", "not started"]
    assert bo.blind_note.isVisible()
    assert bo.results_stack.currentWidget() is bo.hidden_label
    assert bo.results_panel.statistics.rowCount() == 0
    assert bo.results_panel.results is None

    with qtbot.waitSignal(bo.evaluationRequested) as opened:
        qtbot.mouseClick(bo.score_button, Qt.MouseButton.LeftButton)
    mine = evaluations.get(ws, opened.args[0])
    assert (mine.evaluator, mine.calibration_session_id, mine.status) == ("Bo", sid, "draft")
    assert [e.evaluator for e in calibration.visible_evaluations(ws, sid, "Bo")] == ["Bo"]
    assert SECRET not in visible_text(bo)
    assert row_of(bo.progress, "Bo (you)")[1] == "draft"

    for n, (iid, _ext) in enumerate(data["session"].interactions):
        record = calibration.find_evaluation(ws, sid, iid, "Bo")
        record = record or calibration.start_evaluation(ws, sid, iid, "Bo")
        calibration.save_answers(ws, sid, record.id, {**ANN, "greet": "yes", "empathy": 3 + n})
        calibration.submit_evaluation(ws, sid, record.id)
    bo.refresh()
    assert SECRET not in visible_text(bo)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(bo.close_button, Qt.MouseButton.LeftButton)
    assert calibration.get_session(ws, sid).is_open
    assert SECRET not in visible_text(bo)

    asked: list[str] = []

    def yes(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    with qtbot.waitSignal(bo.sessionClosed):
        qtbot.mouseClick(bo.close_button, Qt.MouseButton.LeftButton)
    assert "4 of 4 evaluations are submitted" in asked[0]
    assert not calibration.get_session(ws, sid).is_open
    assert bo.detail_tabs.currentIndex() == 1
    assert bo.results_stack.currentWidget() is bo.results_panel
    assert not bo.score_button.isEnabled() and not bo.close_button.isEnabled()

    stats = bo.results_panel.statistics
    assert stats.rowCount() == 2 * 12  # form and all answers: 12 statistics each
    alpha = [
        [stats.text(r, c) for c in range(stats.columnCount())]
        for r in range(stats.rowCount())
        if stats.text(r, 1) == "Krippendorff's α"
    ]
    assert alpha[0][0] == "Form percent scores"
    assert alpha[0][2] != "n/a" and float(alpha[0][2]) <= 1
    assert alpha[0][4] == "2"
    for r in range(stats.rowCount()):
        assert "n = " in stats.text(r, 5)
    percent = [stats.text(r, 5) for r in range(stats.rowCount())
               if stats.text(r, 1) == "Percent agreement"]  # fmt: skip
    assert "not corrected for chance" in percent[1]

    panel = bo.results_panel
    panel.tabs.setCurrentIndex(1)
    panel.select_question("greet")
    assert panel.drill.columnCount() == 3
    first = [panel.drill.text(0, c) for c in range(3)]
    assert first[0] == data["session"].interactions[0][1]
    assert first[1].startswith("no") and SECRET in first[1]
    assert first[2] == "yes"
    assert "greet" in panel.drill_title.text()
    evaluator_rows = panel.evaluators
    assert row_of(evaluator_rows, "Bo")[1] == "2"
    assert "Bo:" in row_of(evaluator_rows, "Bo")[-1]
    assert panel.deviation_plot.getPlotItem().legend is not None


def test_screen_states_without_an_evaluator_or_as_an_outsider(ws, data, view):
    nobody = view(None)
    nobody.select_session(data["session"].id)
    assert "Choose who you are" in nobody.me_label.text()
    assert not nobody.score_button.isEnabled()
    assert nobody.close_button.isEnabled()
    lee = view("Lee")
    lee.select_session(data["session"].id)
    assert "not an evaluator in this session" in lee.me_label.text()
    assert not lee.score_button.isEnabled()
    assert lee.score_mine() is None
    assert lee.results_stack.currentWidget() is lee.hidden_label


def test_the_wizard_creates_a_session_through_its_widgets(qtbot, ws, view):
    made = seed(ws, n_interactions=4)
    ann = view("Ann")
    qtbot.mouseClick(ann.new_button, Qt.MouseButton.LeftButton)
    wizard = ann.wizard
    assert wizard is not None and wizard.isVisible()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # no name yet
    qtbot.keyClicks(wizard.setup.name, "October calibration")
    assert wizard.setup.version.currentData() == made["v1"].id
    assert wizard.setup.blind.isChecked() and not wizard.setup.counts.isChecked()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    page = wizard.interactions
    assert not next_button.isEnabled()  # nothing picked yet
    qtbot.keyClicks(page.search, "INT-")
    assert page.model.rowCount() == 4
    for row in (0, 1):
        rect = page.table.visualRect(page.model.index(row, 0))
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ControlModifier, rect.center())  # fmt: skip
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)  # twice: no duplicates
    assert page.picked.count() == 2
    picked = page.interaction_ids()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    people = wizard.evaluators
    assert people.chosen() == ["Ann"]  # the current evaluator is ticked
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    bo_row = next(i for i in range(people.list.count()) if people.list.item(i).text() == "Bo")
    people.list.setFocus()
    people.list.setCurrentRow(bo_row)
    qtbot.keyClick(people.list.viewport(), Qt.Key.Key_Space)
    assert people.chosen() == ["Ann", "Bo"]
    assert finish.isEnabled()
    people.expert.setCurrentIndex(people.expert.findData("Ann"))
    with qtbot.waitSignal(ann.sessionCreated) as created:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    session = calibration.get_session(ws, created.args[0])
    assert session.name == "October calibration"
    assert session.evaluators == ("Ann", "Bo")
    assert session.expert == "Ann"
    assert (session.blind, session.counts_toward_scores) == (True, False)
    assert [iid for iid, _e in session.interactions] == picked
    assert ann.current_session().id == session.id
    assert row_of(ann.progress, "Ann (you) (expert)")[1:] == ["not started", "not started"]


def test_the_wizard_shows_a_refusal_and_stays_open(qtbot, ws, view):
    made = seed(ws, n_interactions=2)
    upsert_interactions(ws, [Interaction(external_id="INT-GONE", channel="voice",
                                         started_at="2026-10-03T10:00:00Z")])  # fmt: skip
    ann = view("Ann")
    wizard = ann.new_session()
    wizard.setup.name.setText("With an abandoned call")
    wizard.next()
    wizard.interactions.search.setText("INT-GONE")
    wizard.interactions.table.selectRow(0)
    wizard.interactions.add_selected()
    assert wizard.interactions.interaction_ids() == [interaction_id(ws, "INT-GONE")]
    wizard.next()
    wizard.evaluators.set_checked(["Ann", "Bo"])
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.isVisible()
    assert "no agent" in wizard.evaluators.error.text()
    assert calibration.list_sessions(ws) == []
    wizard.reject()
    assert not wizard.isVisible()
    assert made["v1"].id


def test_models_pass_the_model_tester(qtmodeltester, ws, data):
    sessions = SessionListModel()
    sessions.set_sessions(calibration.list_sessions(ws))
    qtmodeltester.check(sessions)
    assert sessions.data(sessions.index(0, 2)) == "Ann, Bo"
    assert sessions.data(sessions.index(0, 4)) == "open · blind"
    assert sessions.data(sessions.index(0, 0), SessionListModel.SessionIdRole) == data["session"].id
    table = TextTableModel(["A", "B"])
    table.set_rows([["1", "2"], ["3"]], tips=[["tip", None], [None, None]], row_data=["x", "y"])
    qtmodeltester.check(table)
    assert table.data(table.index(1, 1)) == ""
    assert table.data(table.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "tip"
    assert table.data(table.index(1, 0), TextTableModel.RowDataRole) == "y"
    table.clear()
    qtmodeltester.check(table)


def test_the_main_window_tab_opens_my_item_in_the_scoring_screen(qtbot, ws, data, tmp_path):
    from tests.ui.windows import main_window

    window = main_window(qtbot, tmp_path, ws, show=False)
    window.show()
    window.scoring.view.set_evaluator("Bo")
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Calibration" in titles
    window.tabs.setCurrentIndex(titles.index("Calibration"))
    tab = window.calibration
    assert tab.evaluator == "Bo"
    tab.select_session(data["session"].id)
    qtbot.mouseClick(tab.score_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.scoring.view
    session = window.scoring.view.session
    assert session is not None
    assert evaluations.get(ws, session.evaluation_id).calibration_session_id == data["session"].id
    window.scoring.view.close_evaluation()
