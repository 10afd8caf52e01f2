"""A workspace opened read-only: every screen can be looked at, nothing can be written.

A small demo (with an open sample, an open calibration session, a second version of a card and
a target it misses, so that every screen has something to act on) is opened read-only in a main
window. Every tab is visited and the rows the buttons depend on are selected; then every control
that writes is off — the ones marked for ``ui.write_guard``, a named list of the important ones
(which fails if one of them is no longer marked), and any enabled push button that is not on
the list of those known to only read or export — and the file has not changed. Reopening it
writable switches them back on.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QToolButton, QWidget

from qa_studio.domain import dashboard as dd
from qa_studio.domain.sampling import SampleSpec
from qa_studio.scorecards.schema import to_dict
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import calibration, evaluations, samples, scorecards
from qa_studio.storage.repository import targets as tg
from qa_studio.ui.write_guard import MARK, REASON
from tests.demo.conftest import build
from tests.ui.prompts import never_ask_evaluator
from tests.ui.windows import ini_settings, main_window

#: A QA lead: a signed evaluation shows them Reopen, and they have drafts in their queue.
ME = "Joanne Birch"
OTHER = "Nadia Rahman"
MONTH = "2026-10"

#: Push buttons that only read, or write files outside the workspace, so they stay enabled.
READS_ONLY = {
    "Save PNG…",  # charts
    "Cancel",  # the coaching pack job (a file outside the workspace)
    "Add anchor",  # question properties of the editor's working copy
    "Remove anchor",
    "Add option",
    "Remove option",
    "Clear filters",  # browser
    "Refresh",
    "Export…",  # dashboard tables → XLSX file
    "Generate coaching pack…",
    "Packs for team…",
    "Print evaluation…",
    "Run what-if",
    "Import YAML…",  # into the editor's working copy only
    "Export YAML…",
    "New from built-in ▸",
    "Add section",  # the working copy's structure: nothing is stored until Publish
    "Add question",
    "▲ Up",
    "▼ Down",
    "Remove…",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The small demo plus what makes every screen's writing buttons want to be on."""
    path = tmp_path_factory.mktemp("read_only") / "demo.qaw"
    build(path)
    ws = open_workspace(path)
    try:
        samples.create_sample(
            ws, SampleSpec(period=MONTH, per_agent=1, evaluators=(ME, OTHER), seed=5)
        )
        voice = scorecards.latest(ws, "voice_service")
        calls = [r["id"] for r in ws.db.query(
            "SELECT id FROM interactions WHERE channel = 'voice' AND agent_id IS NOT NULL "
            "ORDER BY id LIMIT 2")]  # fmt: skip
        calibration.create_session(ws, "Read-only check", voice.id, calls, [ME, OTHER])
        data = to_dict(voice.card)
        data["target"] = float(data.get("target", 80)) + 1
        scorecards.publish(ws, yaml.safe_dump(data, sort_keys=False), "Target up one point")
        tg.set_target(ws, dd.QA_SCORE, 99.5)  # missed: a "Start RCA" row
    finally:
        ws.close()
    return path


@pytest.fixture
def path(template, tmp_path) -> Path:
    target = tmp_path / "demo.qaw"
    shutil.copy(template, target)
    return target


@pytest.fixture
def window(qtbot, path, tmp_path, monkeypatch):
    never_ask_evaluator(monkeypatch)
    ws = open_workspace(path, read_only=True)
    assert ws.read_only
    win = main_window(qtbot, ini_settings(tmp_path, evaluator=ME), ws)
    assert win.scoring.view.evaluator == ME
    return win


def fingerprint(path: Path) -> dict:
    """The bytes and modification times of the workspace file and its write-ahead log."""
    out = {}
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            out[file.name] = (hashlib.sha256(file.read_bytes()).hexdigest(),
                              file.stat().st_mtime_ns)  # fmt: skip
    return out


def screens(window) -> list[QWidget]:
    """The screens this module covers: the window and its tabs except those checked by their
    own tests (complaints, RCA, bundles, training needs)."""
    return [window.browser, window.scoring.view, window.scorecards, window.calibration,
            window.coaching, window.sampling, window.dashboard]  # fmt: skip


def covered(window, obj: QWidget | QAction) -> bool:
    if isinstance(obj, QAction):
        if obj.parent() is window:  # the window's menu actions
            return True
        obj = obj.parent()
    roots, skipped = screens(window), window.dashboard.training
    while obj is not None:
        if obj is skipped:
            return False
        if any(obj is root for root in roots):
            return True
        obj = obj.parent()
    return False


def marked(window) -> list[QWidget | QAction]:
    return [o for o in [*window.findChildren(QWidget), *window.findChildren(QAction)]
            if o.property(MARK) and covered(window, o)]  # fmt: skip


def important(window) -> dict[str, QWidget | QAction]:
    """The main writing controls of every screen, by name."""
    scoring, editor = window.scoring, window.scorecards.editor
    sampling, cal, coach = window.sampling, window.calibration, window.coaching
    return {
        "File ▸ Import": window.import_action,
        "Scoring ▸ Score selected": scoring.score_action,
        "browser Enter: score": scoring.enter_action,
        "Submit": scoring.view.submit_button,
        "Sign off": scoring.view.sign_button,
        "Reopen": scoring.view.reopen_button,
        "Ctrl+Enter submit": scoring.view.actions_by_key["submit:Ctrl+Return"],
        "Ctrl+Shift+S sign off": scoring.view.actions_by_key["sign_off:Ctrl+Shift+S"],
        "Publish": editor.publish_button,
        "Apply migration": editor.whatif.apply_button,
        "New calibration session": cal.new_button,
        "Score my calibration item": cal.score_button,
        "Close calibration session": cal.close_button,
        "Record coaching session": coach.record_button,
        "Acknowledge": coach.ack_button,
        "Raise dispute": coach.disputes.raise_button,
        "Resolve dispute": coach.disputes.resolve_button,
        "New sample": sampling.new_button,
        "Close sample": sampling.close_button,
        "Reassign items": sampling.reassign_button,
        "Redistribute absent": sampling.absent_button,
        "Queue Enter: score item": sampling.open_action,
        "Set target": window.dashboard.targets.set_button,
        "Start RCA": window.dashboard.misses.buttons[0],
    }


def visit_everything(qtbot, window) -> None:
    """Show every tab, and select what each screen's buttons depend on."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(1)
    # Scoring: a signed evaluation of mine (Reopen shows for a QA lead), answers on screen.
    ws = window.workspace
    row = next(iter(ws.db.query(
        "SELECT e.id FROM evaluations e JOIN evaluators v ON v.id = e.evaluator_id "
        "WHERE v.name = ? AND e.status = 'signed_off' ORDER BY e.id LIMIT 1", [ME])))  # fmt: skip
    signed = row["id"]
    window.tabs.setCurrentWidget(window.scoring.view)
    assert window.scoring.view.open_evaluation(signed) is not None
    # Scorecards: the card with two versions, and a what-if run that could be migrated.
    window.tabs.setCurrentWidget(window.scorecards)
    editor = window.scorecards.editor
    editor.open_card("voice_service")
    editor.tabs.setCurrentWidget(editor.whatif)
    report = editor.whatif.run()
    assert report is not None and report.items and not report.aggregate["not_migratable"]
    # Calibration: the open session I am a member of.
    window.tabs.setCurrentWidget(window.calibration)
    open_session = next(s for s in calibration.list_sessions(ws) if s.is_open)
    window.calibration.select_session(open_session.id)
    assert window.calibration.my_items.count() == 2
    # Coaching: an agent with an open dispute; a signed, unacknowledged evaluation selected.
    window.tabs.setCurrentWidget(window.coaching)
    agent = next(iter(ws.db.query(
        "SELECT a.external_id FROM disputes d JOIN evaluations e ON e.id = d.evaluation_id "
        "JOIN interactions i ON i.id = e.interaction_id JOIN agents a ON a.id = i.agent_id "
        "WHERE d.status = 'open' LIMIT 1")))["external_id"]  # fmt: skip
    coach = window.coaching
    coach.select_agent(agent)
    for month in ("2026-10", "2026-09", "2026-08", "2026-07"):
        coach.set_period(month)
        rows = [i for i, e in enumerate(coach.recent)
                if e.status == "signed_off" and not e.acknowledged_by]  # fmt: skip
        if rows:
            coach.evaluations.view.selectRow(rows[0])
            break
    coach.tabs.setCurrentWidget(coach.disputes)
    opened = [i for i, d in enumerate(coach.disputes._items) if d.status == "open"]
    assert opened
    coach.disputes.view.selectRow(opened[0])
    # Sampling: a sample and its items selected.
    window.tabs.setCurrentWidget(window.sampling)
    sampling = window.sampling
    sampling.samples_view.selectRow(0)
    sampling.items_view.selectAll()
    sampling.queue_view.setCurrentIndex(sampling.queue_model.index(0, 0))
    # Dashboard: the targets page with its miss.
    window.tabs.setCurrentWidget(window.dashboard)
    window.dashboard.pages.setCurrentIndex(0)
    assert window.dashboard.misses.buttons


def test_every_writing_control_is_off_and_nothing_is_written(qtbot, window, path):
    before = fingerprint(path)
    visit_everything(qtbot, window)

    controls = marked(window)
    assert len(controls) >= 25
    on = [o.text() or o.objectName() for o in controls if o.isEnabled()]
    assert on == []
    for name, control in important(window).items():
        assert control.property(MARK), f"{name} is not marked as a write"
        assert not control.isEnabled(), f"{name} is enabled in a read-only workspace"
    assert REASON in window.scoring.view.reopen_button.toolTip()  # wanted on: a QA lead
    # Any other enabled push button must be one known to only read or export.
    buttons = [b for b in [*window.findChildren(QPushButton), *window.findChildren(QToolButton)]
               if covered(window, b) and b.isEnabled() and b.text()]  # fmt: skip
    assert sorted({b.text() for b in buttons} - READS_ONLY) == []
    # The what-if ran (reading only) and would migrate: only the workspace keeps it off.
    editor = window.scorecards.editor
    assert editor.card is not None and not editor.publish_button.isEnabled()
    # Target values cannot be edited in place.
    targets = window.dashboard.targets.table.model
    assert not targets.flags(targets.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    # The settings dialog: the workspace group is off, OK stores only the personal part.
    dialog = window.preferences.open_settings()
    assert not dialog.workspace_group.isEnabled()
    assert "read-only" in dialog.workspace_group.title()
    dialog.tolerance.setValue(dialog.tolerance.value() + 1)
    dialog.accept()
    assert fingerprint(path) == before

    # Writable again: the controls come back as their screens want them.
    window.set_workspace(open_workspace(path))
    assert not window.workspace.read_only
    visit_everything(qtbot, window)
    on_again = important(window)
    for name in ("File ▸ Import", "Scoring ▸ Score selected", "Publish", "Apply migration",
                 "New calibration session", "Score my calibration item",
                 "Close calibration session", "Record coaching session", "Acknowledge",
                 "Raise dispute", "Resolve dispute", "New sample", "Close sample",
                 "Reassign items", "Set target", "Start RCA", "Queue Enter: score item"):  # fmt: skip
        assert on_again[name].isEnabled(), f"{name} stayed off in a writable workspace"
    assert REASON not in window.scoring.view.reopen_button.toolTip()
    assert targets.flags(targets.index(0, 3)) & Qt.ItemFlag.ItemIsEditable


def test_viewing_works_read_only(qtbot, window, path):
    before = fingerprint(path)
    ws = window.workspace
    view = window.scoring.view
    # A signed evaluation opened from the browser (double-click): its answers, read-only.
    row = next(iter(ws.db.query(
        "SELECT e.id, e.interaction_id FROM evaluations e JOIN evaluators v "
        "ON v.id = e.evaluator_id WHERE v.name = ? AND e.status = 'signed_off' "
        "ORDER BY e.id LIMIT 1", [ME])))  # fmt: skip
    record = evaluations.get(ws, row["id"])
    browser = window.browser
    window.tabs.setCurrentWidget(browser)
    browser.external_id_edit.setText(record.interaction_external_id)
    browser.apply_filters()
    assert browser.model.rowCount() == 1
    table = browser.table
    rect = table.visualRect(browser.model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentWidget() is view
    assert view.session is not None and view.session.evaluation_id == record.id
    assert view.form.is_read_only()
    shown = {k: c.value() for k, c in view.form.cards.items() if c.value() is not None}
    assert shown == record.answers and shown
    assert "read-only" in view.lifecycle_banner.text()
    assert view.reopen_button.isVisibleTo(view) and not view.reopen_button.isEnabled()

    # One of my drafts, from the queue: shown, but answers, keys and comment change nothing.
    draft = evaluations.drafts(ws, ME)[0]
    assert view.open_evaluation(draft.id) is not None
    assert view.form.is_read_only() and view.form.comment_box.isReadOnly()
    assert all(not b.isEnabled() for c in view.form.cards.values() for b in c.buttons.values())
    window.tabs.setCurrentWidget(view)
    view.form.focus_question(next(iter(view.form.cards)))
    qtbot.keyClick(view.form.current_card(), Qt.Key.Key_Y)
    qtbot.keyClick(view.form.current_card(), Qt.Key.Key_C)
    assert evaluations.get(ws, draft.id).answers == draft.answers
    assert "read-only" in view.message_bar.text()
    assert not view.submit_button.isEnabled()

    # An interaction nobody evaluated: nothing is started, the screen says why.
    fresh = next(iter(ws.db.query(
        "SELECT i.id FROM interactions i WHERE NOT EXISTS (SELECT 1 FROM evaluations e "
        "WHERE e.interaction_id = i.id) LIMIT 1")))["id"]  # fmt: skip
    assert view.open_interaction(fresh) is None
    assert "no evaluation to show" in view.message_bar.text()

    # A sample item in my queue (Sampling tab, double-click): its evaluation is not started.
    window.tabs.setCurrentWidget(window.sampling)
    queue = window.sampling.queue_model
    rows = [r for r in range(queue.rowCount()) if queue.record(r).kind == "sample"]
    assert rows
    item = queue.record(rows[0])
    assert evaluations.list_for_interaction(ws, item.interaction_id) == []  # sampled: unscored
    table = window.sampling.queue_view
    qtbot.waitUntil(table.isVisible)
    table.scrollTo(queue.index(rows[0], 0))
    rect = table.visualRect(queue.index(rows[0], 0))
    assert rect.isValid()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentWidget() is window.sampling
    assert "read-only" in window.sampling.message.text()
    assert samples.queue_for(ws, ME)[0].status == "assigned"

    # Calibration results of a closed session are computed on a read-only connection.
    window.tabs.setCurrentWidget(window.calibration)
    closed = next(s for s in calibration.list_sessions(ws) if not s.is_open)
    window.calibration.select_session(closed.id)
    window.calibration.detail_tabs.setCurrentIndex(1)
    cal = window.calibration
    assert cal.results_stack.currentWidget() is cal.results_panel

    # The Scoring tab as the user sees it, for the record.
    view.open_evaluation(draft.id)
    window.tabs.setCurrentWidget(view)
    qtbot.wait(10)
    assert window.grab().save("/tmp/h4_scoring_read_only.png")
    assert fingerprint(path) == before
