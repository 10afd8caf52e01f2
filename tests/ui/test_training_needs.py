"""The training-needs view driven through its widgets: mystery shops and survey themes beside the
heat map (hand-worked in ``tests/storage/test_training_themes.py``), the export read back, and
"Plan a team briefing" recorded through the coaching dialog in the main window."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from qa_studio.domain import survey_themes as st
from qa_studio.domain.models import Evaluator
from qa_studio.domain.periods import parse_period
from qa_studio.storage.repository import coaching, people
from qa_studio.storage.repository.dashboard import DashboardQuery
from qa_studio.ui.views.coaching_dialogs import RecordSessionDialog
from qa_studio.ui.views.training_needs import TrainingNeedsView
from qa_studio.ui.write_guard import set_writes_allowed
from tests.storage import dashboard_data
from tests.storage.test_training_themes import import_surveys
from tests.ui.windows import main_window

OCT = parse_period("2026-10")


@pytest.fixture
def data(ws, tmp_path, monkeypatch):
    dashboard_data.build(ws)
    import_surveys(ws, tmp_path)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(f"warning {a[2]}"))


@pytest.fixture
def view(qtbot, ws, data):
    v = TrainingNeedsView()
    qtbot.addWidget(v)
    v.resize(1400, 900)
    v.show_query(ws, DashboardQuery(OCT))
    return v


def cells(model) -> list[list[str]]:
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())]  # fmt: skip


def test_mystery_shops_and_survey_themes_beside_the_heat_map(view, qtmodeltester):
    model = view.evidence.model
    qtmodeltester.check(model)
    heads = model.headers
    column = heads.index("Waiting / hold time")  # long headers wrap on screen
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Waiting /\nhold time"
    # Only the themes mentioned appear on screen, in lexicon order.
    assert heads == ["Agent", "Team", "Mystery shops", "Mystery-shop mean (%)",
                     "Mystery shops passed", "Negative surveys", "Waiting / hold time",
                     "Attitude / politeness", "Not resolved / had to call back",
                     "Unclear explanation", "Transferred / passed around", "Didn't listen",
                     "Promised call-back not made"]  # fmt: skip
    assert cells(model) == [
        ["Alex", "Blue", "0", "–", "0", "2", "1", "1", "0", "0", "1", "0", "1"],
        ["Sam", "Blue", "0", "–", "0", "1", "0", "0", "0", "0", "0", "1", "0"],
        ["Kim", "Red", "1", "50.0", "0", "3", "0", "0", "1", "1", "0", "0", "0"],
    ]
    tip = model.data(model.index(1, heads.index("Didn't listen")), Qt.ItemDataRole.ToolTipRole)
    assert "1 negative response(s) of Sam mention didn't listen" in tip
    assert "[phone number removed]" in tip and "07700" not in tip
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) is None
    header = model.headerData(heads.index("Waiting / hold time"), Qt.Orientation.Horizontal,
                              Qt.ItemDataRole.ToolTipRole)  # fmt: skip
    assert "on hold" in header
    assert "1 mystery shop(s) included" in view.summary.text()
    assert "6 negative survey response(s)" in view.summary.text()


def test_export_has_the_themes_as_safe_text(view, tmp_path):
    out = view.export(str(tmp_path / "needs.xlsx"))
    wb = load_workbook(out)
    assert wb.sheetnames == ["Fail rates (%)", "Assessed (n)", "Training needs", "Survey themes",
                             "Survey theme examples", "Mystery shops", "Theme lexicon"]  # fmt: skip
    themes = list(wb["Survey themes"].iter_rows(values_only=True))
    assert themes[0][:4] == ("Agent", "Team", "Negative surveys", "Waiting / hold time")
    assert len(themes[0]) == 3 + len(st.THEMES)  # every theme, mentioned or not
    assert themes[1][:7] == ("Alex", "Blue", 2, 1, 1, 0, 0)
    sheet = wb["Survey theme examples"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert ("Kim", "Red", "Unclear explanation", 1,
            '=HYPERLINK("http://x") did not explain anything') in rows  # fmt: skip
    for row in sheet.iter_rows(min_row=2):
        assert row[4].data_type == "s"  # text, never a formula
    assert list(wb["Mystery shops"].iter_rows(values_only=True))[1] == ("Kim", "Red", 1, 50.0, 0)
    lexicon = [r[0] for r in wb["Theme lexicon"].iter_rows(min_row=2, values_only=True)]
    assert lexicon[2:] == [t.label for t in st.THEMES]


@pytest.fixture
def window(qtbot, ws, data, tmp_path):
    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Lee", role="team_leader"))
    w = main_window(qtbot, tmp_path, ws, show=False)
    titles = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    with qtbot.waitSignal(w.dashboard.dashboardShown):
        w.tabs.setCurrentIndex(titles.index("Dashboard"))
    return w


def test_plan_a_team_briefing_records_it(window, ws, qtbot):
    tn = window.dashboard.training
    blue = [i for i, n in enumerate(tn.matrix.needs) if n.team == "Blue"]
    tn.needs.table.selectRow(blue[0])
    qtbot.mouseClick(tn.brief_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(RecordSessionDialog)
    assert dialog is not None and dialog.isVisible()
    # Preset: the briefing only, for Blue, on Blue's flagged questions with their texts.
    assert [dialog.kind.itemData(i) for i in range(dialog.kind.count())] == [coaching.TEAM_BRIEFING]
    assert dialog.kind.currentText() == "Team briefing: Blue"
    keys = [tn.matrix.needs[i].question.split(".")[1] for i in blue]
    assert dialog.questions.text() == ", ".join(keys)
    texts = dict(zip(tn.matrix.questions, tn.matrix.question_texts, strict=True))
    assert dialog.topic.text() == "; ".join(texts[tn.matrix.needs[i].question] for i in blue)
    dialog.leader.setCurrentText("Lee")
    qtbot.keyClicks(dialog.notes, "Greeting and ID checks refresher")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.sessionRecorded) as recorded:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    session = coaching.get_session(ws, recorded.args[0])
    assert session.kind == coaching.TEAM_BRIEFING
    assert list(session.question_keys) == keys
    assert session.notes == "Greeting and ID checks refresher"
    row = ws.db.execute("SELECT t.name, e.name, s.attendees FROM coaching_sessions s "
                        "JOIN teams t ON t.id = s.team_id JOIN evaluators e ON e.id = s.leader_id "
                        "WHERE s.id = ?", [recorded.args[0]]).fetchone()  # fmt: skip
    assert row == ("Blue", "Lee", '["A1", "A2"]')
    assert f"Recorded team briefing {recorded.args[0]} for Blue" in (
        window.statusBar().currentMessage()
    )


def test_a_refused_briefing_keeps_the_dialog_open(window, ws, qtbot):
    tn = window.dashboard.training
    qtbot.mouseClick(tn.brief_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(RecordSessionDialog)
    assert [dialog.leader.itemText(i) for i in range(dialog.leader.count())] == ["Lee"]
    dialog.topic.clear()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "needs a topic" in dialog.error.text()
    assert ws.db.execute(
        "SELECT count(*) FROM coaching_sessions WHERE kind = 'team_briefing'"
    ).fetchone() == (0,)
    dialog.reject()


def test_the_briefing_button_is_off_while_read_only(window):
    button = window.dashboard.training.brief_button
    assert button.isEnabled()
    set_writes_allowed(window, False)
    assert not button.isEnabled()
    set_writes_allowed(window, True)
    assert button.isEnabled()
