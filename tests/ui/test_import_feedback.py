"""File ▸ Import… for customer feedback: survey results and mystery-shop results.

Driven as a user drives it — the kind chosen with the keyboard, the file picked through a
monkeypatched QFileDialog, buttons clicked — and checked against the workspace: good files are
stored, a bad file lists its problems by row and column and stores nothing, and Cancel on a real
worker thread rolls back.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThreadPool

from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.ui.views import feedback_import
from qa_studio.ui.views.import_dialog import ImportDialog
from qa_studio.ui.write_guard import set_writes_allowed
from tests.storage.eval_helpers import seed
from tests.ui.prompts import pick_open_file
from tests.ui.test_import_dialog import wait_for_cancel
from tests.ui.windows import main_window

LEFT = Qt.MouseButton.LeftButton
SURVEY = "Interaction,Score,Comment\nINT-1,4,Helpful but slow\nINT-2,1,Nobody explained the fee\n"
BAD_SURVEY = "Interaction,Score,Comment\nINT-1,4,ok\nINT-9,3,who\nINT-2,7,x\n"
#: No Scorecard column: the scorecard is chosen in the dialog.
SHOPS = (
    "Interaction,Evaluator,greet,empathy,idv,cvv\nINT-1,Ann,yes,4,yes,yes\nINT-2,Bo,no,2,yes,no\n"
)


@pytest.fixture
def window(qtbot, ws, tmp_path):
    seed(ws, 3)
    return main_window(qtbot, tmp_path, ws)


def _open(qtbot, window, monkeypatch, path, kind_keys: str) -> ImportDialog:
    pick_open_file(monkeypatch, path)
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.kind_combo, kind_keys)  # keyboard search, as a user types
    qtbot.mouseClick(dialog.choose_button, LEFT)
    return dialog


def _count(ws, table: str, where: str = "") -> int:
    return ws.db.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]


def test_a_survey_file_is_previewed_checked_and_imported(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    dialog = _open(qtbot, window, monkeypatch, path, "Cust")
    assert dialog.kind_combo.kind() == "survey"
    assert dialog.windowTitle() == "Import customer survey results"
    assert dialog.kind_note.isVisible() and "One row per survey response" in dialog.kind_note.text()
    assert not dialog.format_combo.isVisible() and not dialog.mapping_box.isVisible()
    assert not dialog.scorecard_combo.isVisible()
    assert dialog.preview_table.rowCount() == 2
    assert dialog.preview_table.item(1, 2).text() == "Nobody explained the fee"
    assert dialog.preview_table.horizontalHeaderItem(1).text() == "Score\n→ score"
    assert dialog.preview_table.verticalHeaderItem(0).text() == "2"  # header is row 1

    qtbot.mouseClick(dialog.dry_run_button, LEFT)
    assert "Dry run of survey.csv: would import 2 new" in dialog.summary_label.text()
    assert _count(window.workspace, "survey_responses") == 0

    with qtbot.waitSignal(dialog.imported, timeout=3000):
        qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.summary_label.text().splitlines()[0] == (
        "Imported survey.csv: 2 new, 0 updated, 0 unchanged, 0 rejected."
    )
    assert dialog.progress_bar.text() == "Done" and dialog.errors_table.rowCount() == 0
    rows = window.workspace.db.execute(
        "SELECT i.external_id, s.score, s.comment FROM survey_responses s "
        "JOIN interactions i ON i.id = s.interaction_id ORDER BY i.external_id"
    ).fetchall()
    assert rows == [("INT-1", 4.0, "Helpful but slow"), ("INT-2", 1.0, "Nobody explained the fee")]
    qtbot.mouseClick(dialog.import_button, LEFT)  # the same file again changes nothing
    assert "0 new, 0 updated, 2 unchanged" in dialog.summary_label.text()


def test_a_mystery_shop_file_is_scored_on_the_chosen_scorecard(
    qtbot, window, monkeypatch, tmp_path
):
    path = tmp_path / "shops.csv"
    path.write_text(SHOPS, encoding="utf-8")
    dialog = _open(qtbot, window, monkeypatch, path, "Myst")
    assert dialog.kind_combo.kind() == "mystery_shop" and dialog.scorecard_combo.isVisible()
    assert dialog.preview_table.horizontalHeaderItem(2).text() == "greet\n→ answer"

    qtbot.mouseClick(dialog.import_button, LEFT)  # no Scorecard column and none chosen
    assert "row 1, column scorecard: shops.csv needs a column 'scorecard'" in dialog.error_lines()
    assert _count(window.workspace, "evaluations") == 0

    qtbot.keyClicks(dialog.scorecard_combo, "Voice ex")
    assert dialog.scorecard_combo.currentData() == "voice_example@1"
    with qtbot.waitSignal(dialog.imported, timeout=3000):
        qtbot.mouseClick(dialog.import_button, LEFT)
    assert "Imported shops.csv: 2 new" in dialog.summary_label.text()
    rows = window.workspace.db.execute(
        "SELECT i.external_id, e.source, e.status FROM evaluations e "
        "JOIN interactions i ON i.id = e.interaction_id ORDER BY i.external_id"
    ).fetchall()
    assert rows == [("INT-1", "mystery_shop", "submitted"), ("INT-2", "mystery_shop", "submitted")]


def test_a_bad_feedback_file_lists_its_problems_and_stores_nothing(
    qtbot, window, monkeypatch, tmp_path
):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_SURVEY, encoding="utf-8")
    dialog = _open(qtbot, window, monkeypatch, path, "Cust")
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.error_lines() == [
        "row 3, column Interaction: no interaction 'INT-9' is stored",
        "row 4, column Score: 7 is outside 0–5",
    ]
    assert "Nothing was written: bad.csv has problems" in dialog.summary_label.text()
    assert dialog.progress_bar.text() == "Stopped: nothing written"
    assert _count(window.workspace, "survey_responses") == 0
    assert _count(window.workspace, "audit_log", "WHERE entity = 'feedback'") == 0

    qtbot.mouseClick(dialog.skip_check, LEFT)  # skip invalid: the good row, and a rejects file
    with qtbot.waitSignal(dialog.imported, timeout=3000):
        qtbot.mouseClick(dialog.import_button, LEFT)
    assert "Imported bad.csv: 1 new, 0 updated, 0 unchanged, 2 rejected." in (
        dialog.summary_label.text()
    )
    assert (tmp_path / "bad.rejects.csv").is_file()
    assert _count(window.workspace, "survey_responses") == 1


def test_feedback_import_runs_on_a_thread_and_cancel_rolls_back(qtbot, ws, tmp_path, monkeypatch):
    seed(ws, 3)
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    real = feedback_import.import_feedback
    waiting = threading.Event()

    def slow(ws_, path_, kind, *, progress, is_cancelled, **kw):
        wait_for_cancel(waiting, progress, is_cancelled, total=0)
        return real(ws_, path_, kind, progress=progress, is_cancelled=is_cancelled, **kw)

    monkeypatch.setattr(feedback_import, "import_feedback", slow)
    pool = QThreadPool()
    dialog = ImportDialog(ws, JobRunner(pool))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.kind_combo, "Cust")
    dialog.load_file(path)
    handle = dialog.start(dry_run=False)
    assert waiting.wait(5)
    qtbot.waitUntil(lambda: "1 row(s) read so far" in dialog.summary_label.text(), timeout=3000)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, LEFT)
    pool.waitForDone(5000)
    assert dialog.last_report.cancelled
    assert dialog.summary_label.text() == "Import cancelled: nothing was written."
    assert _count(ws, "survey_responses") == 0


def test_import_buttons_follow_a_read_only_workspace(qtbot, window, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    set_writes_allowed(window, False)
    dialog = ImportDialog(window.workspace, SyncJobRunner(), parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load_file(path)  # a good file: the buttons would be on were writes allowed
    assert not dialog.import_button.isEnabled() and not dialog.dry_run_button.isEnabled()
    assert "read-only" in dialog.import_button.toolTip()
    set_writes_allowed(dialog, True)  # what the window's state would give once writable
    assert dialog.import_button.isEnabled()
