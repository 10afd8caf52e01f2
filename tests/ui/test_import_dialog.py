"""File ▸ Import…: pick a file, check the mapping, import off the UI thread, see the outcome."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThreadPool

from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.ui.views import import_dialog
from qa_studio.ui.views.import_dialog import ImportDialog
from tests.ui.browser_data import fill
from tests.ui.prompts import pick_open_file
from tests.ui.windows import ini_settings, main_window


def wait_for_cancel(waiting: threading.Event, progress, is_cancelled, *, total: int) -> None:
    """A job body that reports one step on its worker thread, then waits for Cancel (≤ 5 s)."""
    assert threading.current_thread() is not threading.main_thread()
    progress(1, total)
    waiting.set()
    for _ in range(500):
        if is_cancelled():
            break
        threading.Event().wait(0.01)


GOOD = """\
Contact ID,Channel,Start Time,Agent,Team,Queue,Duration,CSAT,Complaint,Vulnerable
IMP-001,Phone,2026-10-05 09:15:00,Amy Khan,Billing,Billing,305,4,No,No
IMP-002,Web Chat,2026-10-05 10:02:00,Ben Ward,Billing,Billing,610,,No,Yes
IMP-003,Email,2026-10-06 14:30:00,Cat Doyle,Faults,Support,1200,2,Formal,No
"""
BAD = """\
Contact ID,Channel,Start Time,Agent,Duration
BAD-001,Phone,2026-10-05 09:15:00,Amy Khan,305
BAD-002,Pigeon,2026-10-05 10:02:00,Ben Ward,610
BAD-003,Email,yesterday afternoon,Cat Doyle,-5
"""


@pytest.fixture
def settings(tmp_path):
    return ini_settings(tmp_path)


@pytest.fixture
def window(qtbot, ws, settings):
    fill(ws)
    return main_window(qtbot, settings, ws, remember=True)


def _open_dialog(qtbot, window) -> ImportDialog:
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    return dialog


def _count(ws, prefix: str) -> int:
    return ws.db.execute(
        "SELECT count(*) FROM interactions WHERE external_id LIKE ?", [prefix + "%"]
    ).fetchone()[0]


def test_import_a_csv_end_to_end(qtbot, window, monkeypatch, tmp_path, settings):
    csv = tmp_path / "export.csv"
    csv.write_text(GOOD, encoding="utf-8")
    pick_open_file(monkeypatch, csv)
    dialog = _open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(csv)
    assert dialog.format_combo.currentData() == "csv"
    assert dialog.preview_table.rowCount() == 3
    assert dialog.preview_table.item(1, 0).text() == "IMP-002"
    assert dialog.preview_table.horizontalHeaderItem(0).text() == "Contact ID\n→ external_id"
    assert dialog.mapping_box.combos["started_at"].currentText() == "Start Time"
    assert dialog.mapping_box.combos["hold_s"].currentText() == "(not mapped)"
    assert settings.last_folder() == tmp_path

    qtbot.mouseClick(dialog.dry_run_button, Qt.MouseButton.LeftButton)
    assert "Dry run of export.csv: would import 3 new" in dialog.summary_label.text()
    assert "Nothing was written." in dialog.summary_label.text()
    assert _count(window.workspace, "IMP-") == 0

    with qtbot.waitSignal(dialog.imported, timeout=3000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    bar = dialog.progress_bar
    assert bar.isVisible() and bar.value() == bar.maximum() and bar.text() == "Done"
    assert dialog.summary_label.text().splitlines()[0] == (
        "Imported export.csv: 3 new, 0 updated, 0 unchanged, 0 rejected."
    )
    assert dialog.errors_table.rowCount() == 0
    assert _count(window.workspace, "IMP-") == 3
    assert window.browser.model.rowCount() == 43  # the browser refreshed
    assert window.status_label.text().startswith("43 interactions")

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # idempotent
    assert "0 new, 0 updated, 3 unchanged" in dialog.summary_label.text()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_a_bad_csv_lists_errors_by_row_and_writes_nothing(qtbot, window, monkeypatch, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text(BAD, encoding="utf-8")
    pick_open_file(monkeypatch, csv)
    dialog = _open_dialog(qtbot, window)
    dialog.choose_file()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    lines = dialog.error_lines()
    assert lines[0].startswith("row 3, column Channel: unknown channel 'Pigeon'")
    assert lines[1].startswith("row 4, column Start Time: unparseable date")
    assert lines[2] == "row 4, column Duration: negative duration '-5'"
    assert "Nothing was written: bad.csv has problems" in dialog.summary_label.text()
    assert dialog.progress_bar.text() == "Stopped: nothing written"
    assert dialog.preview_table.verticalHeaderItem(1).text() == "3"  # spreadsheet row numbers
    assert _count(window.workspace, "BAD-") == 0
    assert window.browser.model.rowCount() == 40

    qtbot.mouseClick(dialog.skip_check, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.imported, timeout=3000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "Imported bad.csv: 1 new, 0 updated, 0 unchanged, 2 rejected." in (
        dialog.summary_label.text()
    )
    assert "bad.rejects.csv" in dialog.summary_label.text()
    assert (tmp_path / "bad.rejects.csv").exists()
    assert _count(window.workspace, "BAD-") == 1


def test_required_field_left_unmapped_disables_import(qtbot, window, monkeypatch, tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_text(GOOD, encoding="utf-8")
    pick_open_file(monkeypatch, csv)
    dialog = _open_dialog(qtbot, window)
    dialog.choose_file()
    assert dialog.import_button.isEnabled()
    combo = dialog.mapping_box.combos["started_at"]
    combo.setCurrentIndex(combo.findText("(not mapped)"))
    assert not dialog.import_button.isEnabled() and not dialog.dry_run_button.isEnabled()
    assert "started_at" in dialog.summary_label.text()
    combo.setCurrentIndex(combo.findText("Start Time"))
    assert dialog.import_button.isEnabled()


def test_an_unreadable_file_says_why(qtbot, window, monkeypatch, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    pick_open_file(monkeypatch, empty)
    dialog = _open_dialog(qtbot, window)
    dialog.choose_file()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.error_lines() and "empty.csv" in dialog.error_lines()[0]
    assert _count(window.workspace, "") == 40


def test_import_runs_on_a_thread_and_cancel_rolls_back(qtbot, ws, tmp_path, monkeypatch):
    """A real worker thread: progress shows, Cancel stops it, nothing is written."""
    fill(ws)
    csv = tmp_path / "export.csv"
    csv.write_text(GOOD, encoding="utf-8")
    real = import_dialog.run_import
    waiting = threading.Event()

    def slow_import(ws_, path, *, progress, is_cancelled, **kw):
        wait_for_cancel(waiting, progress, is_cancelled, total=2)
        return real(ws_, path, progress=progress, is_cancelled=is_cancelled, **kw)

    monkeypatch.setattr(import_dialog, "run_import", slow_import)
    pool = QThreadPool()
    dialog = ImportDialog(ws, JobRunner(pool))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load_file(csv)
    handle = dialog.start(dry_run=False)
    assert waiting.wait(5)
    qtbot.waitUntil(lambda: dialog.progress_bar.value() == 1, timeout=3000)
    assert dialog.cancel_button.isVisible() and not dialog.import_button.isEnabled()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    pool.waitForDone(5000)
    assert dialog.last_report.cancelled
    assert dialog.summary_label.text() == "Import cancelled: nothing was written."
    assert not dialog.cancel_button.isVisible() and dialog.import_button.isEnabled()
    assert _count(ws, "IMP-") == 0


def test_closing_while_running_cancels_first(qtbot, ws, tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_text(GOOD, encoding="utf-8")
    runner = SyncJobRunner()
    dialog = ImportDialog(ws, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load_file(csv)
    closed: list = []

    def close_at_once(handle):
        handle.cancel()  # what the dialog's reject() asks of a job already under way
        dialog.reject()
        closed.append(dialog.isVisible())

    runner.before_run = close_at_once
    dialog.start(dry_run=False)
    assert closed == [True]  # still open while the job winds down
    assert dialog.last_report.cancelled and not dialog.isVisible()
    assert _count(ws, "IMP-") == 0
