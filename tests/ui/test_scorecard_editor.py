"""The scorecard editor driven through its widgets, as a QA lead would use it.

The acceptance path: a card published as v1 with a submitted evaluation on it; in the editor add a
scale question, move it, publish v2 with a change note; the v1 evaluation keeps its score and
version, and the what-if panel shows its old and new percent with the new question "not assessed".
Dialogs (QInputDialog, QMessageBox, QFileDialog) are monkeypatched so none is ever left open.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox

from qa_studio.domain.models import Evaluator, Interaction
from qa_studio.scorecards import loader
from qa_studio.scorecards.schema import to_dict
from qa_studio.storage.repository import evaluations, people, scorecards
from qa_studio.storage.repository.interactions import interaction_id, upsert_interactions
from qa_studio.ui.models.scorecard_tree_model import ScorecardTreeModel
from qa_studio.ui.models.working_copy import WorkingCopy
from qa_studio.ui.views.scorecard_editor import ScorecardEditor

SMALL = """\
key: small
name: Small service card
channel: voice
target: 80
na_policy: exclude
fatal_policy: zero_form
sections:
  - key: opening
    name: Opening
    questions:
      - {key: greet, text: Greeted the customer, type: yes_no}
      - {key: solve, text: Solved the problem, type: yes_no}
  - key: close
    name: Close
    questions:
      - {key: summary, text: Summarised the next steps, type: yes_no}
"""


@pytest.fixture
def seeded(ws):
    """``small`` v1 published, and one submitted evaluation on it (greet yes, solve no,
    summary yes → 2 of 3 = 66.67 %)."""
    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Ann"))
        upsert_interactions(
            ws,
            [
                Interaction(
                    external_id="INT-1",
                    channel="voice",
                    started_at="2026-10-05T10:00:00Z",
                    agent_external_id="A1",
                    agent_name="Alex",
                )
            ],
        )
    v1 = scorecards.publish(ws, SMALL, "First version")
    record = evaluations.start(ws, interaction_id(ws, "INT-1"), v1.id, "Ann")
    evaluations.save_answers(ws, record.id, {"greet": "yes", "solve": "no", "summary": "yes"})
    record = evaluations.submit(ws, record.id)
    return {"v1": v1, "evaluation": record}


@pytest.fixture
def editor(qtbot, ws):
    widget = ScorecardEditor(ws)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def dialogs(monkeypatch):
    """Record every QMessageBox call; answer questions with ``answers['question']``."""
    calls: list[tuple[str, str, str]] = []
    answers = {"question": QMessageBox.StandardButton.Yes, "note": ("", True)}

    def recorder(kind):
        def show(_parent, title, text, *args, **kwargs):
            calls.append((kind, title, text))
            return answers["question"] if kind == "question" else QMessageBox.StandardButton.Ok

        return staticmethod(show)

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind))
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: answers["note"])
    )
    return calls, answers


def choose_card(qtbot, editor, key: str) -> None:
    cards = editor.library.cards
    item = next(
        cards.topLevelItem(r)
        for r in range(cards.topLevelItemCount())
        if cards.topLevelItem(r).text(0) == key
    )
    qtbot.mouseClick(
        cards.viewport(), Qt.MouseButton.LeftButton, pos=cards.visualItemRect(item).center()
    )
    assert editor.working.fields["key"] == key


def click_tree_item(qtbot, editor, uid: int) -> None:
    tree = editor.structure.tree
    index = editor.model.index_for_uid(uid)
    tree.scrollTo(index)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )
    assert editor.model.uid_of(editor.structure.current()) == uid


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def edit_cell(qtbot, table, row: int, col: int, text: str) -> None:
    """Edit a table cell the way a user does: open the editor, type, press Enter."""
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    open_editors = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(open_editors) == 1
    cell_editor = open_editors[0]
    cell_editor.selectAll()
    qtbot.keyClicks(cell_editor, text)
    qtbot.keyClick(cell_editor, Qt.Key.Key_Return)  # the delegate commits on the event loop
    qtbot.waitUntil(lambda: table.item(row, col).text() == text)


def section_keys(card) -> list[list[str]]:
    return [[q.key for q in s.questions] for s in card.sections]


# --- models -------------------------------------------------------------------------------------


def test_tree_model_passes_the_model_tester_through_edits(qtmodeltester):
    model = ScorecardTreeModel(WorkingCopy.from_dict(to_dict(loader.load_builtin("compliance"))))
    qtmodeltester.check(model)
    section = model.index(1, 0, model.form_index())
    question = model.add_question("points", section)
    moved = model.move(question, -1)
    assert model.node(moved).type == "points"
    model.move(model.index(0, 0, model.index(1, 0, model.form_index())), -1)  # into section 0
    model.move(model.index(2, 0, model.form_index()), -1)
    model.add_section(model.form_index())
    model.remove(model.index(0, 0, model.form_index()))
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.rowCount(model.form_index()) == len(
        model.working.sections
    )


def test_whatif_model_passes_the_model_tester(qtmodeltester, editor, seeded, ws):
    scorecards.publish(
        ws,
        SMALL.replace(
            "Solved the problem, type: yes_no}", "Solved the problem, type: yes_no, weight: 2}"
        ),
        "solve counts double",
    )
    editor.whatif.set_card("small")
    report = editor.whatif.run()
    assert report is not None and len(report.items) == 1
    qtmodeltester.check(editor.whatif.model)


# --- the acceptance path ------------------------------------------------------------------------


def test_add_scale_question_move_publish_v2_and_what_if(qtbot, editor, seeded, dialogs, ws):
    calls, answers = dialogs
    editor.library.refresh()
    choose_card(qtbot, editor, "small")
    assert editor.publish_button.isEnabled() and not editor.dirty
    close = editor.working.sections[1]
    click_tree_item(qtbot, editor, close.questions[0].uid)  # "summary"

    # Add a scale question after "summary" and fill it in through the property widgets.
    panel = editor.structure
    panel.type_combo.setCurrentIndex(panel.type_combo.findData("scale"))
    qtbot.mouseClick(panel.add_question_button, Qt.MouseButton.LeftButton)
    page = editor.question_page
    assert editor.pages.currentWidget() is page and page.scale_group.isVisibleTo(page)
    assert [q.key for q in close.questions] == ["summary", "question_1"]
    assert not editor.publish_button.isEnabled()  # no text, no anchors yet
    type_into(qtbot, page.key, "empathy")
    type_into(qtbot, page.text, "Acknowledged how the customer felt")
    qtbot.mouseClick(page.add_anchor, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_anchor, Qt.MouseButton.LeftButton)
    assert [v for v, _label in page.anchor_rows()] == [1, 5]
    edit_cell(qtbot, page.anchors, 0, 1, "No acknowledgement")
    assert any("anchors" in i.path for i in editor.issues)
    edit_cell(qtbot, page.anchors, 1, 1, "Personal and sincere")
    assert editor.issues == [] and editor.publish_button.isEnabled()
    new_q = close.questions[1]
    assert new_q.scale["anchors"] == {1: "No acknowledgement", 5: "Personal and sincere"}

    # Move it above "summary"; the preview shows it as question 2.1.
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert [q.key for q in close.questions] == ["empathy", "summary"]
    assert editor.model.uid_of(panel.current()) == new_q.uid
    qtbot.waitUntil(lambda: ("2.1", "empathy") in editor.preview.question_numbers())
    assert editor.preview.question_numbers() == [
        ("1.1", "greet"),
        ("1.2", "solve"),
        ("2.1", "empathy"),
        ("2.2", "summary"),
    ]
    assert not editor.preview.stale_banner.isVisibleTo(editor.preview)

    # Make "solve" count double, so the what-if has a real difference to show.
    click_tree_item(qtbot, editor, editor.working.sections[0].questions[1].uid)
    page.weight.setFocus()
    page.weight.selectAll()
    qtbot.keyClicks(page.weight, "2")
    assert editor.working.sections[0].questions[1].fields["weight"] == 2

    # Publish v2 with a change note.
    answers["note"] = ("Added empathy scale; solving counts double", True)
    qtbot.mouseClick(editor.publish_button, Qt.MouseButton.LeftButton)
    assert editor.status_label.text() == "Published small v2"
    v2 = scorecards.latest(ws, "small")
    assert v2.version == 2 and v2.change_note == "Added empathy scale; solving counts double"
    assert section_keys(v2.card) == [["greet", "solve"], ["empathy", "summary"]]
    assert v2.card.question("empathy").scale.anchors == {
        1: "No acknowledgement",
        5: "Personal and sincere",
    }
    assert [editor.library.versions.topLevelItem(r).text(0) for r in range(2)] == ["v2", "v1"]
    assert not editor.dirty and not [c for c in calls if c[0] == "warning"]

    # The v1 evaluation keeps its version and stored score.
    kept = evaluations.get(ws, seeded["evaluation"].id)
    assert kept.scorecard_version_id == seeded["v1"].id
    assert kept.percent == pytest.approx(66.67, abs=0.01) == seeded["evaluation"].percent

    # What-if against v2: old and new percent, the new question not assessed, no migration.
    editor.tabs.setCurrentWidget(editor.whatif)
    panel_w = editor.whatif
    assert panel_w.target.currentData() == "small@2"
    qtbot.mouseClick(panel_w.run_button, Qt.MouseButton.LeftButton)
    model = panel_w.model
    assert model.rowCount() == 1
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[4] == "v1"
    assert cells[5] == "66.7" and cells[6] == "66.7"  # stored, old (common ground)
    assert cells[7] == "50.0" and cells[8] == "-16.7"  # new: solve (failed) now weighs 2 of 4
    assert cells[9] == "empathy"
    assert "mean old 66.7 % → new 50.0 %" in panel_w.summary.text()
    assert not panel_w.apply_button.isEnabled()  # empathy was never answered: cannot migrate
    assert evaluations.get(ws, seeded["evaluation"].id).percent == kept.percent


# --- validation ---------------------------------------------------------------------------------


def test_invalid_edits_show_issues_disable_publish_and_lead_to_the_item(qtbot, editor, seeded):
    editor.library.refresh()
    choose_card(qtbot, editor, "small")
    solve = editor.working.sections[0].questions[1]
    click_tree_item(qtbot, editor, solve.uid)
    page = editor.question_page
    page.weight.setFocus()
    page.weight.selectAll()
    qtbot.keyClicks(page.weight, "0")
    assert not editor.publish_button.isEnabled()
    texts = editor.issue_panel.texts()
    assert texts == ["sections[0].questions[1].weight: must be > 0  — question “solve” in Opening"]

    # An empty key on another question is a second issue; Publish stays disabled.
    greet = editor.working.sections[0].questions[0]
    click_tree_item(qtbot, editor, greet.uid)
    page.key.setFocus()
    page.key.selectAll()
    qtbot.keyClick(page.key, Qt.Key.Key_Backspace)
    assert [i.path for i in editor.issues] == [
        "sections[0].questions[0].key",
        "sections[0].questions[1].weight",
    ]
    assert editor.issue_panel.label.text().count("2 problems") == 1

    # Clicking the weight issue selects "solve" and focuses its weight field.
    issue_list = editor.issue_panel.list
    rect = issue_list.visualItemRect(issue_list.item(1))
    qtbot.mouseClick(issue_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.model.uid_of(editor.structure.current()) == solve.uid
    assert page.weight.value() == 0

    # Fixing both clears the list and enables Publish again.
    page.weight.selectAll()
    qtbot.keyClicks(page.weight, "1")
    click_tree_item(qtbot, editor, greet.uid)
    type_into(qtbot, page.key, "greet")
    assert editor.issues == [] and editor.publish_button.isEnabled()
    assert not editor.dirty


def test_import_of_a_broken_yaml_shows_file_line_and_path(
    qtbot, editor, dialogs, tmp_path, monkeypatch
):
    calls, _answers = dialogs
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        SMALL.replace(
            "{key: solve, text: Solved the problem, type: yes_no}",
            "{key: solve, text: Solved the problem, type: yes_no, weight: 0}",
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(broken), ""))
    )
    before = editor.working.to_dict()
    qtbot.mouseClick(editor.import_button, Qt.MouseButton.LeftButton)
    warnings = [c for c in calls if c[0] == "warning"]
    assert len(warnings) == 1
    assert "broken.yaml:12 sections[0].questions[1].weight: must be > 0" in warnings[0][2]
    assert "broken.yaml:12" in editor.status_label.text()
    assert editor.working.to_dict() == before


def test_import_of_a_good_yaml_becomes_the_working_copy(
    qtbot, editor, dialogs, tmp_path, monkeypatch
):
    good = tmp_path / "small.yaml"
    good.write_text(SMALL, encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(good), ""))
    )
    qtbot.mouseClick(editor.import_button, Qt.MouseButton.LeftButton)
    assert editor.card == loader.load_text(SMALL)
    assert "imported small.yaml" in editor.origin_label.text()
    assert editor.publish_button.isEnabled()


# --- publishing ---------------------------------------------------------------------------------


def test_publish_refuses_a_blank_note_and_an_unchanged_card(qtbot, editor, seeded, dialogs, ws):
    calls, answers = dialogs
    editor.library.refresh()
    choose_card(qtbot, editor, "small")
    answers["note"] = ("   ", True)
    qtbot.mouseClick(editor.publish_button, Qt.MouseButton.LeftButton)
    assert calls[-1][0] == "warning" and "change note is required" in calls[-1][2]
    answers["note"] = ("Re-publish without changes", True)
    qtbot.mouseClick(editor.publish_button, Qt.MouseButton.LeftButton)
    assert calls[-1][0] == "warning"
    assert "no changes since version 1" in calls[-1][2]
    assert [v.version for v in scorecards.list_versions(ws, "small")] == [1]


def test_new_from_builtin_and_publish_as_a_new_card(qtbot, editor, dialogs, ws):
    _calls, answers = dialogs
    keys = [a.text() for a in editor.builtin_menu.actions() if a.text()]
    assert keys == ["Blank scorecard", *loader.builtin_keys()]
    next(a for a in editor.builtin_menu.actions() if a.text() == "compliance").trigger()
    assert editor.card == loader.load_builtin("compliance")
    editor.preview.flush()
    assert len(editor.preview.question_numbers()) == len(editor.card.questions())
    answers["note"] = ("Adopted the built-in compliance card", True)
    version = editor.publish()
    assert version is not None and version.ref == "compliance@1"
    assert scorecards.latest(ws, "compliance").card == loader.load_builtin("compliance")


# --- structure edits ----------------------------------------------------------------------------


def test_remove_asks_first_and_keyboard_moves(qtbot, editor, seeded, dialogs):
    calls, answers = dialogs
    editor.library.refresh()
    choose_card(qtbot, editor, "small")
    opening = editor.working.sections[0]
    click_tree_item(qtbot, editor, opening.questions[1].uid)
    answers["question"] = QMessageBox.StandardButton.No
    qtbot.mouseClick(editor.structure.remove_button, Qt.MouseButton.LeftButton)
    assert calls[-1][0] == "question" and "solve" in calls[-1][2]
    assert [q.key for q in opening.questions] == ["greet", "solve"]
    answers["question"] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(editor.structure.remove_button, Qt.MouseButton.LeftButton)
    assert [q.key for q in opening.questions] == ["greet"]
    assert editor.dirty

    # Ctrl+Down moves the selected question into the next section, Ctrl+Up back.
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    click_tree_item(qtbot, editor, opening.questions[0].uid)
    tree = editor.structure.tree
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert section_keys(editor.working) == [[], ["greet", "summary"]]
    assert editor.issues[0].path == "sections[0].questions"
    qtbot.keyClick(tree, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert section_keys(editor.working) == [["greet"], ["summary"]]
    assert editor.issues == []


def test_discarding_changes_is_confirmed(qtbot, editor, seeded, dialogs):
    calls, answers = dialogs
    scorecards.publish(editor.ws, SMALL.replace("key: small", "key: other"), "Another card")
    editor.library.refresh()
    choose_card(qtbot, editor, "small")
    click_tree_item(qtbot, editor, editor.working.sections[0].uid)
    type_into(qtbot, editor.section_page.name, "Greeting")
    answers["question"] = QMessageBox.StandardButton.Cancel
    cards = editor.library.cards
    other = cards.topLevelItem(0)
    qtbot.mouseClick(
        cards.viewport(), Qt.MouseButton.LeftButton, pos=cards.visualItemRect(other).center()
    )
    assert calls[-1][1] == "Discard changes?"
    assert editor.working.fields["key"] == "small"
    assert editor.working.sections[0].fields["name"] == "Greeting"
    answers["question"] = QMessageBox.StandardButton.Discard
    qtbot.mouseClick(
        cards.viewport(), Qt.MouseButton.LeftButton, pos=cards.visualItemRect(other).center()
    )
    assert editor.working.fields["key"] == "other" and not editor.dirty


def test_export_writes_yaml_that_loads_back(qtbot, editor, seeded, dialogs, tmp_path, monkeypatch):
    editor.library.refresh()
    choose_card(qtbot, editor, "small")
    target = tmp_path / "out.yaml"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    qtbot.mouseClick(editor.export_button, Qt.MouseButton.LeftButton)
    assert loader.load_file(target) == seeded["v1"].card
    assert editor.status_label.text() == "Exported out.yaml"


def test_apply_migration_is_confirmed_and_moves_the_evaluation(qtbot, editor, seeded, dialogs, ws):
    calls, answers = dialogs
    scorecards.publish(
        ws,
        SMALL.replace(
            "Solved the problem, type: yes_no}", "Solved the problem, type: yes_no, weight: 2}"
        ),
        "solve counts double",
    )
    editor.library.refresh()
    choose_card(qtbot, editor, "small")
    panel = editor.whatif
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert panel.apply_button.isEnabled()
    answers["question"] = QMessageBox.StandardButton.No
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert calls[-1][1] == "Apply migration?"
    assert evaluations.get(ws, seeded["evaluation"].id).scorecard_version_id == seeded["v1"].id
    answers["question"] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(panel.migrationApplied):
        qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    moved = evaluations.get(ws, seeded["evaluation"].id)
    assert moved.scorecard_version_id == scorecards.latest(ws, "small").id
    assert moved.percent == pytest.approx(50.0)
    assert "Migrated 1 evaluation to small@2" in panel.summary.text()
    assert panel.model.rowCount() == 0


def test_changing_the_type_shows_its_fields_and_keeps_the_others(qtbot, editor, seeded):
    editor.library.refresh()
    choose_card(qtbot, editor, "small")
    greet = editor.working.sections[0].questions[0]
    click_tree_item(qtbot, editor, greet.uid)
    page = editor.question_page
    page.type.setCurrentIndex(page.type.findData("points"))
    assert page.points_group.isVisibleTo(page) and not page.scale_group.isVisibleTo(page)
    assert greet.to_dict()["options"] == [
        {"label": "Full", "points": 2},
        {"label": "Partial", "points": 1},
        {"label": "None", "points": 0},
    ]
    assert editor.issues == []  # the default options are a valid points question
    edit_cell(qtbot, page.options, 1, 1, "Full")
    assert [i.message for i in editor.issues] == [
        "duplicate option label 'Full' (first at sections[0].questions[0].options[0])"
    ]
    edit_cell(qtbot, page.options, 1, 1, "Some")
    qtbot.mouseClick(page.remove_option, Qt.MouseButton.LeftButton)  # the current row: "Some"
    assert [o["label"] for o in greet.options] == ["Full", "None"]
    assert editor.model.index_for_uid(greet.uid).siblingAtColumn(1).data() == "Points"
    page.type.setCurrentIndex(page.type.findData("yes_no"))
    assert "options" not in greet.to_dict() and editor.issues == [] and not editor.dirty
    page.type.setCurrentIndex(page.type.findData("points"))
    assert [o["label"] for o in greet.options] == ["Full", "None"]


def test_the_main_window_has_a_scorecards_tab_following_the_workspace(
    qtbot, ws, seeded, dialogs, tmp_path
):
    from tests.ui.windows import main_window

    _calls, answers = dialogs
    window = main_window(qtbot, tmp_path, ws, show=False)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Scorecards" in titles
    tab = window.scorecards
    assert tab.editor is not None and tab.editor.ws is ws
    scorecards.publish(ws, SMALL.replace("key: small", "key: later"), "Published elsewhere")
    window.tabs.setCurrentIndex(titles.index("Scorecards"))  # showing the tab re-reads the list
    cards = tab.editor.library.cards
    assert [cards.topLevelItem(r).text(0) for r in range(cards.topLevelItemCount())] == [
        "later",
        "small",
    ]
    choose_card(qtbot, tab.editor, "small")
    click_tree_item(qtbot, tab.editor, tab.editor.working.sections[0].uid)
    type_into(qtbot, tab.editor.section_page.name, "Greeting")
    answers["note"] = ("Renamed the opening section", True)
    qtbot.mouseClick(tab.editor.publish_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Published small v2"
    window.set_workspace(None)
    assert tab.editor is None and tab.currentWidget() is tab.placeholder


def test_opens_on_the_first_published_scorecard(qtbot, seeded, ws):
    """Someone visiting the tab sees a real scorecard, not a blank card with a problem."""
    widget = ScorecardEditor(ws)
    qtbot.addWidget(widget)
    assert widget.base_version is not None and widget.base_version.id == seeded["v1"].id
    assert widget.origin == f"{seeded['v1'].key} v1"
    assert not widget.dirty
    assert widget.issues == []
