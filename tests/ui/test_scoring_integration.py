"""The scoring screen inside the main window: its tab, the evaluator chooser, and the way in
from the interaction browser (Enter on a row)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from qa_studio.storage.repository import evaluations
from tests.ui import scoring_fixtures
from tests.ui.windows import ini_settings, main_window


@pytest.fixture
def settings(tmp_path):
    return ini_settings(tmp_path)


@pytest.fixture
def window(qtbot, ws, settings):
    scoring_fixtures.seed(ws)
    return main_window(qtbot, settings, ws, remember=True)


def row_of(window, external_id: str) -> int:
    model = window.browser.model
    for row in range(model.rowCount()):
        if model.index(row, 0).isValid() and external_id in {
            str(model.index(row, c).data()) for c in range(model.columnCount())
        }:
            return row
    raise AssertionError(f"{external_id} is not in the browser")


def test_scoring_tab_and_menu(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Scoring" in titles
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.index("&Scoring") < menus.index("&Help")
    # two evaluators and none remembered: nobody is chosen silently
    assert window.scoring.view.evaluator is None


def test_evaluator_is_chosen_and_remembered(window, settings, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getItem",
                        staticmethod(lambda *a, **k: ("Lee", True)))  # fmt: skip
    window.scoring.ask_if_needed()
    assert window.scoring.view.evaluator == "Lee"
    assert settings.evaluator_name() == "Lee"
    assert "Lee" in window.scoring.view.queue_title.text()
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(refuse))
    window.scoring.ask_if_needed()  # known now: not asked again
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("", False)))
    assert window.scoring.choose_evaluator(ask=True) == "Lee"  # cancel keeps the current one


def refuse(*_a, **_k):
    raise AssertionError("a dialog was opened when it should not have been")


def test_screenshot_mode_never_asks(window, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(refuse))
    assert window.scoring.pick_for_screenshot() == "Ann"


def test_enter_on_a_browser_row_opens_it_for_scoring(qtbot, window, ws, settings, monkeypatch):
    settings.set_evaluator_name("Ann")
    window.scoring.choose_evaluator(ask=False)
    assert window.scoring.view.evaluator == "Ann"
    table = window.browser.table
    table.selectRow(row_of(window, "CALL-1"))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    view = window.scoring.view
    assert window.tabs.currentWidget() is view
    assert view.session is not None
    assert view.session.interaction.external_id == "CALL-1"
    assert view.session.version.key == "test_voice"  # the one voice card, not asked
    qtbot.keyClick(view.form.cards["greet"], Qt.Key.Key_Y)
    assert evaluations.get(ws, view.session.evaluation_id).answers == {"greet": "yes"}
    # the comment being typed is saved when the window closes
    view.form.comment_box.setPlainText("Closing with this typed")
    evaluation_id = view.session.evaluation_id
    window.close()
    from qa_studio.storage.db import open_workspace

    again = open_workspace(ws.path)
    try:
        assert evaluations.get(again, evaluation_id).comment == "Closing with this typed"
    finally:
        again.close()


def test_score_action_needs_a_selection(window):
    window.browser.table.clearSelection()
    window.browser.table.selectionModel().clearCurrentIndex()
    window.scoring.score_selected()
    assert "Select an interaction" in window.statusBar().currentMessage()
    assert window.scoring.view.session is None
