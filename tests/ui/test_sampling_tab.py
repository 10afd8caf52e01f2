"""The Sampling tab in the main window: the wizard to a created sample, the evaluator's queue
opening an item in the scoring screen, reassigning, closing, and the workload bars."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard

from qa_studio.domain.sampling import SampleSpec
from qa_studio.services.jobs import SyncJobRunner
from qa_studio.storage.repository import evaluations, samples
from qa_studio.ui.views import sampling as sampling_view
from tests.ui import sampling_data
from tests.ui.prompts import never_ask_evaluator
from tests.ui.sampling_data import CHOSEN, ME, MONTH, TODAY
from tests.ui.test_sampling_wizard import create, fill, next_page
from tests.ui.windows import ini_settings, main_window

demo_template = sampling_data.demo_template
demo_ws = sampling_data.demo_ws


@pytest.fixture
def window(qtbot, demo_ws, tmp_path, monkeypatch):
    never_ask_evaluator(monkeypatch)
    win = main_window(qtbot, ini_settings(tmp_path, evaluator=ME), demo_ws, show=False)
    win.sampling.today = TODAY
    win.show()
    qtbot.waitExposed(win)
    assert win.scoring.view.evaluator == ME
    return win


def make_sample(ws, **overrides) -> int:
    spec = SampleSpec(period=MONTH, per_agent=2, evaluators=CHOSEN, seed=5, **overrides)
    return samples.create_sample(ws, spec, today=TODAY)


def show_tab(qtbot, window):
    window.tabs.setCurrentWidget(window.sampling)
    return window.sampling


def test_wizard_to_sample_to_scoring_the_first_queue_item(qtbot, window, demo_ws):
    view = show_tab(qtbot, window)
    assert view.samples_model.rowCount() == 0
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    wizard = view.wizard
    assert wizard is not None and wizard.isVisible()
    fill(wizard)
    next_page(qtbot, wizard)
    assert wizard.preview_page.plan is not None
    create(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()

    # the sample is listed, with its period and counts
    assert view.samples_model.rowCount() == 1
    row = [view.samples_model.index(0, c).data() for c in range(7)]
    sample = samples.list_samples(demo_ws)[0]
    assert row == [sample.name, "October routine QA", MONTH, str(sample.items), "0",
                   sample.due_on, "open"]  # fmt: skip
    assert view.items_model.rowCount() == sample.items

    # my queue holds exactly my items of that sample
    mine = samples.queue_for(demo_ws, ME, today=TODAY)
    assert mine
    queue = view.queue_model
    sample_rows = [queue.record(r) for r in range(queue.rowCount())
                   if queue.record(r).kind == "sample"]  # fmt: skip
    assert [r.item.item_id for r in sample_rows] == [q.item_id for q in mine]

    # Enter on the first line opens it in the scoring screen
    first = sample_rows[0]
    view.queue_view.setFocus()
    view.queue_view.setCurrentIndex(queue.index(0, 0))
    qtbot.keyClick(view.queue_view, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.scoring.view
    assert first.external_id in window.scoring.view.pane.header.text()
    session = window.scoring.view.session
    assert session is not None
    record = evaluations.get(demo_ws, session.evaluation_id)
    assert record.interaction_external_id == first.external_id
    assert (record.source, record.sample_id, record.status) == ("sample", sample.id, "draft")
    assert record.evaluator == ME

    # back on the tab, the item now reads "in progress"; opening it again resumes the draft
    show_tab(qtbot, window)
    first_line = view.queue_model.record(0)
    assert first_line.status == "in_progress"
    view.open_row(0)
    assert window.scoring.view.session.evaluation_id == record.id


def test_reassign_selected_items(qtbot, window, demo_ws, monkeypatch):
    sample_id = make_sample(demo_ws)
    view = show_tab(qtbot, window)
    items = view.items_model
    grace_rows = [r for r in range(items.rowCount()) if items.record(r).evaluator == CHOSEN[0]]
    assert len(grace_rows) >= 2
    selection = view.items_view.selectionModel()
    for r in grace_rows[:2]:
        selection.select(items.index(r, 0), selection.SelectionFlag.Select
                         | selection.SelectionFlag.Rows)  # fmt: skip
    moved = [items.record(r).item_id for r in grace_rows[:2]]
    asked = {}

    def ask(_parent, names, count):
        asked.update(names=names, count=count)
        return "Owen Prosser", "Grace on leave"

    monkeypatch.setattr(sampling_view.ReassignDialog, "ask", staticmethod(ask))
    qtbot.mouseClick(view.reassign_button, Qt.MouseButton.LeftButton)
    assert asked["count"] == 2 and "Owen Prosser" in asked["names"]
    after = {i.item_id: i.evaluator for i in samples.get_sample(demo_ws, sample_id).items}
    assert [after[i] for i in moved] == ["Owen Prosser", "Owen Prosser"]
    assert "2 item(s) given to Owen Prosser" in view.message.text()
    owen = next(w for w in view.bars.workloads if w.name == "Owen Prosser")
    assert owen.assigned == 2


def test_reassign_needs_a_selection(qtbot, window, demo_ws, monkeypatch):
    make_sample(demo_ws)
    view = show_tab(qtbot, window)
    view.items_view.clearSelection()
    monkeypatch.setattr(sampling_view.ReassignDialog, "ask",
                        staticmethod(lambda *a: pytest.fail("no dialog without a selection")))  # fmt: skip
    # Off, with the reason, until items of the open sample are chosen.
    assert not view.reassign_button.isEnabled()
    assert "Choose items" in view.reassign_button.toolTip()
    qtbot.mouseClick(view.reassign_button, Qt.MouseButton.LeftButton)  # a click does nothing
    assert view.close_button.isEnabled()
    view.items_view.selectRow(0)
    assert view.reassign_button.isEnabled()
    # Called without a selection anyway (a shortcut, a script), it says why.
    view.items_view.clearSelection()
    view.reassign_selected()
    assert "Select the items to reassign" in view.message.text()


def test_reassign_dialog_returns_the_choice(qtbot, monkeypatch):
    dialog_cls = sampling_view.ReassignDialog
    accepted = sampling_view.QDialog.DialogCode.Accepted

    def choose_bo(self):
        qtbot.addWidget(self)
        assert [self.evaluator.itemText(i) for i in range(self.evaluator.count())] == ["Ann", "Bo"]
        self.evaluator.setCurrentIndex(1)
        self.note.setText(" on leave ")
        return accepted

    monkeypatch.setattr(dialog_cls, "exec", choose_bo)
    assert dialog_cls.ask(None, ["Ann", "Bo"], 3) == ("Bo", "on leave")
    monkeypatch.setattr(dialog_cls, "exec", lambda self: qtbot.addWidget(self) or 0)
    assert dialog_cls.ask(None, ["Ann", "Bo"], 3) is None


def test_workload_bars_and_table_reflect_the_counts(qtbot, window, demo_ws):
    make_sample(demo_ws)
    view = show_tab(qtbot, window)
    expected = samples.workload(demo_ws, today=TODAY)
    assert view.bars.workloads == expected
    table = view.workload_model
    assert table.rowCount() == len(expected)
    for r, w in enumerate(expected):
        assert [table.index(r, c).data() for c in range(6)] == [
            w.name, str(w.assigned), str(w.in_progress), str(w.done), str(w.overdue),
            str(w.capacity)]  # fmt: skip
    busy = [w for w in expected if w.assigned]
    assert {w.name for w in busy} <= set(CHOSEN) and busy
    widths = {w.name: view.bars.bar_widths(w) for w in expected}
    for w in expected:
        assert (widths[w.name][2] > 0) == (w.assigned > 0)
    a, b = busy[0], busy[-1]
    if a.assigned and b.assigned:
        ratio = widths[a.name][2] / widths[b.name][2]
        assert ratio == pytest.approx(a.assigned / b.assigned)
    image = view.bars.grab().toImage()
    assert not image.isNull() and image.width() > 200


def test_close_sample_after_confirmation(qtbot, window, demo_ws, monkeypatch):
    sample_id = make_sample(demo_ws)
    view = show_tab(qtbot, window)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)  # fmt: skip
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    assert samples.list_samples(demo_ws)[0].status == "closed"
    assert view.samples_model.index(0, 6).data() == "closed"
    assert not [r for r in view.queue_model.records if r.kind == "sample"]
    assert f"Sample #{sample_id} closed." in view.message.text()


def test_redistribute_absent_evaluator(qtbot, window, demo_ws):
    sample_id = make_sample(demo_ws)
    grace_items = [i.item_id for i in samples.get_sample(demo_ws, sample_id).items
                   if i.evaluator == CHOSEN[0]]  # fmt: skip
    assert grace_items
    demo_ws.db.execute(
        "UPDATE evaluators SET absent = ? WHERE name = ?",
        ['[["2026-11-01", "2026-11-30"]]', CHOSEN[0]],
    )
    view = show_tab(qtbot, window)
    qtbot.mouseClick(view.absent_button, Qt.MouseButton.LeftButton)
    after = {i.item_id: i.evaluator for i in samples.get_sample(demo_ws, sample_id).items}
    assert all(after[i] != CHOSEN[0] for i in grace_items)
    assert f"{len(grace_items)} item(s) of absent evaluators redistributed" in view.message.text()


def test_queue_asks_for_an_evaluator_first(qtbot, window):
    view = show_tab(qtbot, window)
    view.set_evaluator(None)
    assert "Choose who is scoring" in view.queue_title.text()
    assert view.queue_model.rowCount() == 0


def test_tab_models_pass_the_model_tester(qtbot, qtmodeltester, window, demo_ws):
    make_sample(demo_ws)
    view = show_tab(qtbot, window)
    for model in (view.samples_model, view.items_model, view.workload_model, view.queue_model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_scoring_queue_lists_assigned_items_and_starts_them(qtbot, window, demo_ws):
    sample_id = make_sample(demo_ws)
    scoring = window.scoring.view
    scoring.refresh_queue()
    mine = samples.queue_for(demo_ws, ME, today=TODAY)
    lines = [scoring.queue_list.item(i) for i in range(scoring.queue_list.count())]
    to_start = [line for line in lines if "to start" in line.text()]
    assert [line.text().split(" · ")[0] for line in to_start] == [q.external_id for q in mine]
    assert f"{len(mine)} assigned" in scoring.queue_title.text()
    window.tabs.setCurrentWidget(scoring)
    qtbot.mouseClick(
        scoring.queue_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=scoring.queue_list.visualItemRect(to_start[0]).center(),
    )
    record = evaluations.get(demo_ws, scoring.session.evaluation_id)
    assert (record.source, record.sample_id) == ("sample", sample_id)
    assert record.interaction_external_id == mine[0].external_id
    texts = [scoring.queue_list.item(i).text() for i in range(scoring.queue_list.count())]
    assert sum("to start" in t for t in texts) == len(mine) - 1


def test_view_without_workspace_or_samples(qtbot, ws):
    view = sampling_view.SamplingView(None, None, SyncJobRunner())
    qtbot.addWidget(view)
    assert not view.new_button.isEnabled()
    assert view.new_sample() is None
    view.set_workspace(ws)
    assert view.new_button.isEnabled()
    assert view.samples_model.rowCount() == 0 and view.items_model.rowCount() == 0
    view.set_evaluator("Nobody")
    assert "unknown evaluator 'Nobody'" in view.queue_title.text()
    assert view.queue_model.rowCount() == 0
    assert not view.close_button.isEnabled() and not view.reassign_button.isEnabled()
    view.close_selected_sample()
    assert "Select a sample to close" in view.message.text()


def test_scoring_queue_ignores_an_evaluator_the_workspace_does_not_know(qtbot, ws):
    from qa_studio.ui.views.scoring import ScoringView

    view = ScoringView(ws, "Nobody")
    qtbot.addWidget(view)
    assert view.queue_list.count() == 0
    assert "Nobody" in view.queue_title.text()
