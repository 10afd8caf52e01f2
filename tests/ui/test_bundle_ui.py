"""The bundle screens: Send work to evaluator…, Import bundle…/results…, Conflicts….

Driven as a user drives them — menu items, buttons, the file and passphrase prompts
monkeypatched — and checked against the workspace: refusals (wrong passphrase, a tampered or
truncated file, the wrong kind) write nothing, Cancel leaves no file, and resolving a conflict
changes the list and is audited.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QInputDialog, QMessageBox

from qa_studio.bundles import api
from qa_studio.services.jobs import JobRunner, SyncJobRunner
from qa_studio.storage.repository import audit, evaluations
from qa_studio.storage.repository.interactions import interaction_id
from qa_studio.ui.models.bundle_models import DIFFERS_BACKGROUND
from qa_studio.ui.views.bundle_import import ImportBundleDialog
from qa_studio.ui.views.bundle_results import ExportResultsDialog
from qa_studio.ui.views.bundle_send import SendWorkDialog
from qa_studio.ui.views.conflict_resolver import ConflictResolverDialog
from tests.bundles.helpers import (
    build_lead,
    open_ws,
    read_members,
    rows_by_uuid,
    send_and_score,
    snapshot,
    write_members,
)
from tests.ui import scoring_fixtures
from tests.ui.prompts import pick_open_file, pick_save_file
from tests.ui.windows import ini_settings, main_window

LEFT = Qt.MouseButton.LeftButton
PASSPHRASE = "tea at four o'clock"


@pytest.fixture
def lead(tmp_path):
    ws = build_lead(tmp_path / "lead.qaw")
    yield ws
    ws.close()


@pytest.fixture
def laptop(tmp_path):
    ws = open_ws(tmp_path / "laptop" / "ann.qaw", "Ann")
    yield ws
    ws.close()


@pytest.fixture
def runner():
    return SyncJobRunner()


@pytest.fixture
def window(qtbot, lead, runner, tmp_path):
    return main_window(qtbot, tmp_path, lead, jobs=runner)


def passphrase_answers(monkeypatch, *answers) -> list:
    """Each call of the passphrase prompt takes the next answer; the prompts are returned."""
    queue, asked = list(answers), []

    def ask(*args, **kwargs):
        asked.append(args[2])
        return queue.pop(0)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(ask))
    return asked


def open_import(qtbot, monkeypatch, window, bundle: Path, *, results=False) -> ImportBundleDialog:
    pick_open_file(monkeypatch, bundle)
    action = (
        window.bundles.import_results_action if results else window.bundles.import_bundle_action
    )
    action.trigger()
    dialog = window.bundles.dialog
    assert isinstance(dialog, ImportBundleDialog) and dialog.isVisible()
    qtbot.mouseClick(dialog.choose_button, LEFT)
    return dialog


def last_action(ws) -> str:
    return ws.db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]


def test_file_menu_holds_the_bundle_items(window):
    menu = next(a.menu() for a in window.menuBar().actions() if window.import_action in
                a.menu().actions())  # fmt: skip
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    start = texts.index("&Import…")
    assert texts[start + 1 : start + 6] == [
        "Send &work to evaluator…",
        "Import &results…",
        "E&xport my results…",
        "Import &bundle…",
        "&Conflicts…",
    ]
    assert texts[-1] == "&Quit"
    assert all(a.isEnabled() for a in window.bundles.actions)


def test_send_dialog_previews_then_writes_an_encrypted_assignment(
    qtbot, window, lead, tmp_path, monkeypatch
):
    window.bundles.send_action.trigger()
    dialog = window.bundles.dialog
    assert isinstance(dialog, SendWorkDialog) and dialog.isVisible()
    combo = dialog.evaluator_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Ann — 2 open items",
        "Bo — 2 open items",
    ]
    dialog.choose("Ann")
    shown = {k: label.text() for k, label in dialog.preview_labels.items()}
    assert shown["items"] == "2" and shown["interactions"] == "2 (with their transcripts)"
    assert shown["versions"] == "1" and shown["recordings"] == "2 (3.9 KB)"
    assert shown["missing"] == "none"
    samples = [dialog.sample_combo.itemText(i) for i in range(dialog.sample_combo.count())]
    assert samples == ["All their open samples", "October voice (#1) — 2 open"]

    (lead.media_dir / "call 3.wav").unlink()
    dialog.choose("Bo")
    assert dialog.preview_labels["recordings"].text() == "0 (0 bytes)"
    dialog.choose("Ann", 1)
    assert dialog.preview_labels["missing"].text().splitlines() == [
        "1 not found — they will be left out:",
        "INT-3: lead.media/call 3.wav",
    ]

    # the passphrase: long enough, typed the same twice, before Save is offered
    dialog.passphrase.setChecked(True)
    qtbot.keyClicks(dialog.passphrase.edit, "short")
    assert not dialog.save_button.isEnabled()
    assert "at least 8 characters" in dialog.summary_label.text()
    qtbot.keyClicks(dialog.passphrase.edit, " but now long")
    qtbot.keyClicks(dialog.passphrase.repeat, "short but now lung")
    assert not dialog.save_button.isEnabled() and "differ" in dialog.summary_label.text()
    dialog.passphrase.repeat.clear()
    qtbot.keyClicks(dialog.passphrase.repeat, "short but now long")
    assert dialog.save_button.isEnabled() and dialog.summary_label.text() == ""
    assert "separately" in dialog.passphrase.note.text()

    pick_save_file(monkeypatch, "")  # the save dialog cancelled: nothing happens
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert not list(tmp_path.glob("*.qab"))
    pick_save_file(monkeypatch, tmp_path / "for ann")  # the suffix is added
    qtbot.mouseClick(dialog.save_button, LEFT)
    out = tmp_path / "for ann.qab"
    assert out.is_file(), dialog.summary_label.text()
    text = dialog.summary_label.text()
    assert "Saved for ann.qab" in text and "encrypted" in text
    assert "INT-3: lead.media/call 3.wav" in text  # the missing recording is reported again
    assert dialog.last_result.media_files == 1
    assert last_action(lead) == "bundle.export"
    info = api.inspect(out, passphrase="short but now long")
    assert info.encrypted and info.manifest["kind"] == "assignment"
    assert info.manifest["scope"]["evaluator"]["name"] == "Ann"


def test_nobody_with_work_means_nothing_to_send(qtbot, ws, runner, tmp_path):
    scoring_fixtures.seed(ws)
    window = main_window(qtbot, tmp_path, ws, jobs=runner)
    window.bundles.send_action.trigger()
    dialog = window.bundles.dialog
    assert dialog.evaluator_combo.count() == 0
    assert "Nobody has open sample items" in dialog.summary_label.text()
    assert not dialog.save_button.isEnabled()


def test_cancel_during_export_leaves_no_file(qtbot, window, lead, runner, tmp_path, monkeypatch):
    window.bundles.send_action.trigger()
    dialog = window.bundles.dialog
    dialog.choose("Ann")
    out = tmp_path / "out" / "ann.qab"
    out.parent.mkdir()
    pick_save_file(monkeypatch, out)
    pressed = []

    def press_cancel_once(_done, _total):
        if not pressed:
            assert dialog.cancel_button.isVisible()
            qtbot.mouseClick(dialog.cancel_button, LEFT)
            pressed.append(True)

    # Cancel is pressed at the first progress report, half-way through writing the bundle
    runner.before_run = lambda handle: handle.progressed.connect(press_cancel_once)
    before = snapshot(lead)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert pressed
    assert list(out.parent.iterdir()) == []  # neither the bundle nor a temporary part
    assert dialog.summary_label.text() == "Export cancelled: no bundle was written."
    assert dialog.progress_bar.format() == "Cancelled"
    assert snapshot(lead) == before  # not even the export's audit row
    assert not dialog.cancel_button.isVisible() and dialog.save_button.isEnabled()


def test_encrypted_bundle_asks_for_the_passphrase_and_refuses_a_wrong_one(
    qtbot, lead, laptop, runner, tmp_path, monkeypatch, qtmodeltester
):
    bundle = tmp_path / "ann.qab"
    api.export_assignment(lead, bundle, "Ann", passphrase=PASSPHRASE)
    window = main_window(qtbot, tmp_path, laptop, jobs=runner)
    before = snapshot(laptop)
    asked = passphrase_answers(monkeypatch, ("not the passphrase", True), ("", False),
                               (PASSPHRASE, True))  # fmt: skip
    dialog = open_import(qtbot, monkeypatch, window, bundle)
    assert "ann.qab is encrypted" in asked[0]
    status = dialog.status_label.text()
    assert status.startswith("Refused — nothing was written.")
    assert "wrong passphrase or damaged bundle" in status and "Passphrase…" in status
    assert dialog.preview is None and not dialog.preview_box.isVisible()
    assert not dialog.import_button.isEnabled() and dialog.passphrase_button.isVisible()
    assert snapshot(laptop) == before
    assert not laptop.media_dir.exists() or not any(laptop.media_dir.rglob("*"))

    qtbot.mouseClick(dialog.passphrase_button, LEFT)  # the prompt cancelled: nothing runs
    assert dialog.preview is None and len(asked) == 2
    qtbot.mouseClick(dialog.passphrase_button, LEFT)
    assert dialog.preview is not None and dialog.preview.encrypted
    assert "encrypted" in dialog.about_label.text() and "for Ann" in dialog.about_label.text()
    assert dialog.import_button.isEnabled() and snapshot(laptop) == before
    qtmodeltester.check(dialog.counts)
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.result.inserted["interactions"] == 2
    assert window.scoring.view.queue_list.count() == 2


@pytest.mark.parametrize("damage", ["tampered", "truncated"])
def test_damaged_bundle_is_refused_with_nothing_written(
    qtbot, lead, laptop, runner, tmp_path, monkeypatch, damage
):
    good = tmp_path / "good.qab"
    api.export_assignment(lead, good, "Ann")
    bad = tmp_path / "bad.qab"
    if damage == "tampered":
        members = read_members(good)
        data = bytearray(members["records/interactions.json"])
        data[data.index(b"Billing")] = ord("b")  # one byte changed, same size
        members["records/interactions.json"] = bytes(data)
        write_members(bad, members, resign=False)
        expected = "does not match its sha256"
    else:
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        expected = "truncated or damaged"
    window = main_window(qtbot, tmp_path, laptop, jobs=runner)
    before = snapshot(laptop)
    dialog = open_import(qtbot, monkeypatch, window, bad)
    status = dialog.status_label.text()
    assert status.startswith("Refused — nothing was written.") and expected in status
    assert "bad.qab" in status
    assert dialog.progress_bar.format() == "Refused"
    assert not dialog.import_button.isEnabled() and not dialog.passphrase_button.isVisible()
    assert snapshot(laptop) == before


def test_cancel_during_import_writes_nothing(qtbot, lead, laptop, runner, tmp_path, monkeypatch):
    bundle = tmp_path / "ann.qab"
    api.export_assignment(lead, bundle, "Ann")
    window = main_window(qtbot, tmp_path, laptop, jobs=runner)
    dialog = open_import(qtbot, monkeypatch, window, bundle)
    assert dialog.import_button.isEnabled()
    before = snapshot(laptop)
    pressed = []

    def press_cancel_once(_done, _total):
        if not pressed:
            qtbot.mouseClick(dialog.cancel_button, LEFT)
            pressed.append(True)

    runner.before_run = lambda handle: handle.progressed.connect(press_cancel_once)
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert pressed and dialog.result is None
    assert dialog.status_label.text() == "Import cancelled: nothing was written."
    assert snapshot(laptop) == before
    assert not laptop.media_dir.exists() or not any(laptop.media_dir.rglob("*"))
    assert dialog.import_button.isEnabled()  # the preview still stands: import again later
    runner.before_run = None
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.result is not None and dialog.result.drafts_started == 2


def test_export_results_sends_drafts_only_when_asked(
    qtbot, lead, laptop, runner, tmp_path, monkeypatch
):
    api.export_assignment(lead, tmp_path / "ann.qab", "Ann")
    api.import_bundle(laptop, tmp_path / "ann.qab")
    window = main_window(qtbot, tmp_path, laptop, jobs=runner)
    assert window.scoring.view.evaluator == "Ann"  # the only evaluator here
    window.bundles.export_results_action.trigger()
    dialog = window.bundles.dialog
    assert isinstance(dialog, ExportResultsDialog) and dialog.evaluator == "Ann"
    assert dialog.drafts_check.text() == "Include unfinished drafts (2)"
    out = tmp_path / "results.qab"
    pick_save_file(monkeypatch, out)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert not out.exists()
    assert "there are no evaluations to send" in dialog.summary_label.text()
    assert dialog.progress_bar.format() == "Failed"
    dialog.drafts_check.setChecked(True)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert out.is_file() and dialog.last_result.counts["evaluations"] == 2
    assert api.inspect(out).manifest["scope"]["include_drafts"] is True


def test_import_results_refuses_an_assignment(qtbot, lead, laptop, runner, tmp_path, monkeypatch):
    bundle = tmp_path / "ann.qab"
    api.export_assignment(lead, bundle, "Ann")
    window = main_window(qtbot, tmp_path, laptop, jobs=runner)
    before = snapshot(laptop)
    dialog = open_import(qtbot, monkeypatch, window, bundle, results=True)
    assert dialog.windowTitle() == "Import results"
    assert "is an assignment bundle, but a results bundle was expected" in (
        dialog.status_label.text()
    )
    assert snapshot(laptop) == before


def test_send_and_import_run_on_worker_threads(qtbot, lead, laptop, tmp_path, monkeypatch):
    """With the real ``JobRunner`` each job opens its own workspace connection off the UI
    thread; results, progress and the end come back to the dialog."""
    pool = QThreadPool()
    threads = []
    real_export = api.export_assignment

    def export(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_export(*args, **kwargs)

    monkeypatch.setattr(api, "export_assignment", export)
    lead_window = main_window(qtbot, ini_settings(tmp_path, "lead.ini"), lead, jobs=JobRunner(pool))
    lead_window.bundles.send_action.trigger()
    send = lead_window.bundles.dialog
    send.choose("Ann")
    out = tmp_path / "ann.qab"
    pick_save_file(monkeypatch, out)
    qtbot.mouseClick(send.save_button, LEFT)
    qtbot.waitUntil(lambda: send.last_result is not None, timeout=10000)
    assert threads and threads[0] is not threading.main_thread()
    assert send.progress_bar.format() == "Done" and out.is_file()

    window = main_window(qtbot, ini_settings(tmp_path, "ann.ini"), laptop, jobs=JobRunner(pool))
    dialog = open_import(qtbot, monkeypatch, window, out)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    assert dialog.counts.counts("interactions") == (2, 0, 0)
    qtbot.mouseClick(dialog.import_button, LEFT)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)
    assert pool.waitForDone(10000)
    assert window.scoring.view.queue_list.count() == 2


@pytest.fixture
def conflicted(tmp_path, lead):
    """Ann's results already with the lead; then both sides change INT-1 and INT-3."""
    laptop = send_and_score(tmp_path, lead, "Ann")
    api.export_results(laptop, tmp_path / "r1.qab")
    api.import_bundle(lead, tmp_path / "r1.qab")

    def evaluation(ws, number):
        return evaluations.list_for_interaction(ws, interaction_id(ws, f"INT-{number}"))[0].id

    for number in (1, 3):
        evaluations.save_answer(lead, evaluation(lead, number), "empathy", 1)
    evaluations.save_answer(laptop, evaluation(laptop, 1), "greet", "no")
    evaluations.add_note(laptop, evaluation(laptop, 1), "Name missed", question_key="greet")
    evaluations.save_answer(laptop, evaluation(laptop, 3), "empathy", 2)
    api.export_results(laptop, tmp_path / "r2.qab")
    yield laptop, tmp_path / "r2.qab"
    laptop.close()


def test_conflicts_are_shown_side_by_side_and_resolved(
    qtbot, window, lead, conflicted, monkeypatch, qtmodeltester
):
    laptop, bundle = conflicted
    assert window.bundles.conflicts_action.text() == "&Conflicts…"
    dialog = open_import(qtbot, monkeypatch, window, bundle)
    assert "2 evaluations conflict" in dialog.headline_label.text()
    assert "Conflict — INT-1 by Ann, changed on both sides" in dialog.details_label.text()
    qtmodeltester.check(dialog.counts)
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert len(dialog.result.conflicts) == 2
    assert window.bundles.conflicts_action.text() == "&Conflicts (2)…"
    dialog.close()

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("Lee", True)))
    window.scoring.evaluator_action.trigger()
    window.bundles.conflicts_action.trigger()
    resolver = window.bundles.dialog
    assert isinstance(resolver, ConflictResolverDialog) and resolver.resolver == "Lee"
    for model in (resolver.conflicts, resolver.fields, resolver.questions):
        qtmodeltester.check(model)
    assert resolver.conflicts.rowCount() == 2 and "2 open conflicts" in resolver.intro.text()
    assert resolver.conflicts.text(0, 0) == "INT-1"
    assert resolver.list_view.currentIndex().row() == 0

    # INT-1 side by side: greet and empathy differ, and the highlighting says so
    assert resolver.questions.differing() == ["greet", "empathy"]
    q = resolver.questions
    greet = next(r for r in range(q.rowCount()) if q.text(r, 1).startswith("Greeted"))
    assert q.text(greet, 2).startswith("Yes") and q.text(greet, 3).startswith("No")
    assert q.data(q.index(greet, 2), Qt.ItemDataRole.BackgroundRole) == DIFFERS_BACKGROUND
    idv = next(r for r in range(q.rowCount()) if q.text(r, 1).startswith("Verified"))
    assert q.data(q.index(idv, 2), Qt.ItemDataRole.BackgroundRole) is None
    assert {"score", "percent", "notes"} <= set(resolver.fields.differing())
    assert "status" not in resolver.fields.differing()
    assert resolver.mine_notes.count() == 1 and resolver.theirs_notes.count() == 2
    theirs = [resolver.theirs_notes.item(r) for r in range(2)]
    (only_theirs,) = [item for item in theirs if "Name missed" in item.text()]
    assert only_theirs.text() == "greet: Name missed — Ann"
    assert only_theirs.toolTip() == "Only on this side"
    assert resolver.mine_notes.item(0).text() == "greet @ 00:01: Good opening — Ann"
    assert resolver.mine_notes.item(0).toolTip() == ""  # on both sides
    assert "INT-1" in resolver.heading.text() and "changed on both sides" in resolver.heading.text()

    # "Take theirs", cancelled at the confirmation: nothing changes
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel))  # fmt: skip
    audit_rows = lead.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    qtbot.mouseClick(resolver.take_button, LEFT)
    assert "replaced by theirs" in asked[0]
    assert resolver.conflicts.rowCount() == 2
    assert lead.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_rows

    # confirmed: INT-1 becomes theirs, the list moves on to INT-3, and it is audited
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))  # fmt: skip
    qtbot.mouseClick(resolver.take_button, LEFT)
    assert resolver.conflicts.rowCount() == 1 and resolver.conflicts.text(0, 0) == "INT-3"
    assert resolver.heading.text().startswith("<b>INT-3</b>")
    assert "Took their version of INT-1" in resolver.message.text()
    where = "interaction_id = (SELECT id FROM interactions WHERE external_id = 'INT-1')"
    assert rows_by_uuid(lead, "evaluations", where) == rows_by_uuid(laptop, "evaluations", where)
    row = lead.db.execute(
        "SELECT action, actor, payload FROM audit_log WHERE origin_uuid = ? ORDER BY seq DESC",
        [lead.uuid],
    ).fetchone()
    assert row[:2] == ("bundle.conflict_resolve", "Lee") and '"kept":"theirs"' in row[2]
    assert window.bundles.conflicts_action.text() == "&Conflicts (1)…"

    qtbot.mouseClick(resolver.keep_button, LEFT)  # INT-3: keep mine
    assert resolver.conflicts.rowCount() == 0 and "No open conflicts" in resolver.intro.text()
    assert not resolver.keep_button.isEnabled() and not resolver.take_button.isEnabled()
    assert resolver.fields.rowCount() == 0 and resolver.questions.rowCount() == 0
    assert window.bundles.conflicts_action.text() == "&Conflicts…"
    int3 = evaluations.list_for_interaction(lead, interaction_id(lead, "INT-3"))[0]
    assert int3.answers["empathy"] == 1  # mine kept
    assert last_action(lead) == "bundle.conflict_resolve"
    assert audit.verify(lead.db).ok
    assert api.list_conflicts(lead, status=None)[1].status == "kept_mine"
