"""The acceptance round trip, through the windows as a lead and an evaluator use them.

Lead's window: File ▸ Send work to evaluator… (encrypted) → evaluator's new workspace in its own
window: File ▸ Import bundle… (passphrase, preview, import) → the drafts are in the scoring queue
→ one is scored from the keyboard in the real scoring screen, with a comment stamped at a
playback time, submitted and signed off → File ▸ Export my results… → lead's window: File ▸
Import bundle… → evaluations, answers, comments and audit rows are identical on both sides, the
audit trail verifies, and importing the same bundle again changes nothing (the preview says so).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from qa_studio.bundles import api
from qa_studio.domain.models import Evaluator, Interaction, Transcript
from qa_studio.storage.repository import audit, evaluations, people, scorecards
from qa_studio.storage.repository.interactions import (
    interaction_id,
    set_transcript,
    upsert_interactions,
)
from tests.bundles.helpers import add_sample, audit_rows, open_ws, rows_by_uuid, snapshot
from tests.storage.eval_helpers import WORKED_EXAMPLE
from tests.ui.prompts import pick_open_file, pick_save_file
from tests.ui.scoring_fixtures import TURNS, write_tone
from tests.ui.windows import ini_settings, main_window

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
PASSPHRASE = "correct horse battery"
NOT_DRAFT = "status != 'draft'"
OF_NOT_DRAFTS = "evaluation_id IN (SELECT id FROM evaluations WHERE status != 'draft')"


def build_lead(path: Path):
    """Lee (QA lead), Ann and Bo; INT-1…4 with transcripts, INT-1 with a 30 s recording; the
    worked-example card published; an open sample giving Ann INT-1 and INT-3, Bo the others."""
    ws = open_ws(path, "Lee")
    recording = write_tone(ws.media_dir / "call 1.wav")
    with ws.db.atomic():
        for name, role in (("Ann", "evaluator"), ("Bo", "evaluator"), ("Lee", "qa_lead")):
            people.ensure_evaluator(ws, Evaluator(None, name, role))
        upsert_interactions(ws, [
            Interaction(external_id=f"INT-{i}", channel="voice",
                        started_at=f"2026-10-{i:02d}T10:00:00Z", agent_external_id=f"A{i % 2}",
                        agent_name=f"Agent {i % 2}", team="Blue", queue="Billing",
                        duration_s=30.0,
                        recording_path=f"{ws.media_dir.name}/{recording.name}" if i == 1 else None)
            for i in range(1, 5)
        ])  # fmt: skip
        for i in range(1, 5):
            set_transcript(ws, interaction_id(ws, f"INT-{i}"), Transcript("json", TURNS))
    scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    add_sample(ws, "October voice", {"Ann": [1, 3], "Bo": [2, 4]})
    return ws


def import_through_dialog(qtbot, monkeypatch, window, bundle: Path):
    """File ▸ Import bundle…, choose the file: the dialog with its preview (nothing written)."""
    pick_open_file(monkeypatch, bundle)
    window.bundles.import_bundle_action.trigger()
    dialog = window.bundles.dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Import bundle"
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    return dialog


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has keyboard focus"
    qtbot.keyClick(target, key, modifier)


@pytest.fixture
def lead(tmp_path):
    ws = build_lead(tmp_path / "lead" / "lead.qaw")
    yield ws
    ws.close()


@pytest.fixture
def laptop(tmp_path):
    ws = open_ws(tmp_path / "ann" / "ann.qaw", "Ann")
    yield ws
    ws.close()


def test_round_trip_through_the_windows(qtbot, monkeypatch, tmp_path, lead, laptop, run_cli):
    lead_window = main_window(qtbot, ini_settings(tmp_path, "lead.ini"), lead)

    # -- the lead sends Ann her work, encrypted -----------------------------------------------
    lead_window.bundles.send_action.trigger()
    send = lead_window.bundles.dialog
    assert send.isVisible()
    send.choose("Ann")
    assert send.preview_labels["items"].text() == "2"
    assert send.preview_labels["recordings"].text().startswith("1 (")
    send.passphrase.setChecked(True)
    qtbot.keyClicks(send.passphrase.edit, PASSPHRASE)
    qtbot.keyClicks(send.passphrase.repeat, PASSPHRASE)
    assignment = tmp_path / "to-ann.qab"
    pick_save_file(monkeypatch, assignment)
    qtbot.mouseClick(send.save_button, Qt.MouseButton.LeftButton)
    assert assignment.is_file(), send.summary_label.text()
    assert "Saved to-ann.qab" in send.summary_label.text()
    assert "share the passphrase separately" in send.summary_label.text()
    send.close()

    # -- Ann opens it in her own, new workspace -----------------------------------------------
    ann_window = main_window(qtbot, ini_settings(tmp_path, "ann.ini"), laptop)
    view = ann_window.scoring.view
    assert view.queue_list.count() == 0
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(
        lambda *a, **k: asked.append(a[2]) or (PASSPHRASE, True)))  # fmt: skip
    dialog = import_through_dialog(qtbot, monkeypatch, ann_window, assignment)
    assert len(asked) == 1 and "to-ann.qab is encrypted" in asked[0]
    assert dialog.counts.counts("interactions") == (2, 0, 0)
    assert dialog.counts.counts("sample_items") == (2, 0, 0)
    assert "Importing will add" in dialog.headline_label.text()
    assert "Drafts to start in the scoring queue: 2." in dialog.details_label.text()
    assert laptop.db.execute("SELECT count(*) FROM interactions").fetchone()[0] == 0
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result is not None and not dialog.result.dry_run
    assert not dialog.import_button.isEnabled()
    dialog.close()

    # the items are in Ann's scoring queue, with the recording and transcript
    assert view.evaluator == "Ann"
    queued = [view.queue_list.item(r).text() for r in range(view.queue_list.count())]
    assert len(queued) == 2 and any("INT-1" in t for t in queued), queued
    ann_window.tabs.setCurrentWidget(view)
    ann_window.activateWindow()
    qtbot.waitUntil(ann_window.isActiveWindow)
    row = next(r for r, t in enumerate(queued) if "INT-1" in t)
    rect = view.queue_list.visualItemRect(view.queue_list.item(row))
    qtbot.mouseClick(view.queue_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.session is not None and view.session.interaction.external_id == "INT-1"
    assert view.transcript.isVisible()
    qtbot.waitUntil(lambda: view.player.duration_s() > 29, timeout=15000)

    # -- scored from the keyboard, a comment stamped at 10 s, submitted and signed off ---------
    assert view.form.current_key() == "greet"
    press(qtbot, Qt.Key.Key_Y)
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: abs(view.player.position_s() - 10.0) < 0.3, timeout=5000)
    press(qtbot, Qt.Key.Key_C)
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    qtbot.keyClicks(QApplication.focusWidget(), "Gave her name at once")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_4)
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_Y)
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_Y)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    scored = evaluations.get(laptop, view.session.evaluation_id)
    assert scored.status == "signed_off" and scored.signed_by == "Ann"
    assert scored.answers == {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"}
    (note,) = scored.notes
    assert note.text == "Gave her name at once" and note.at_s == pytest.approx(10.0, abs=0.3)

    # -- Ann exports her results -----------------------------------------------------------------
    results = tmp_path / "from-ann.qab"
    pick_save_file(monkeypatch, results)
    ann_window.bundles.export_results_action.trigger()
    export = ann_window.bundles.dialog
    assert export.windowTitle() == "Export my results" and export.evaluator == "Ann"
    assert "1 draft stays on this computer" in export.drafts_note.text()
    qtbot.mouseClick(export.save_button, Qt.MouseButton.LeftButton)
    assert results.is_file(), export.summary_label.text()
    head = export.last_result.audit_head
    export.close()

    # -- the lead imports them -----------------------------------------------------------------
    dialog = import_through_dialog(qtbot, monkeypatch, lead_window, results)
    assert dialog.counts.counts("evaluations") == (1, 0, 0)
    assert dialog.counts.counts("answers") == (4, 0, 0)
    assert dialog.counts.counts("answer_notes") == (1, 0, 0)
    assert lead.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result is not None and dialog.result.conflicts == []
    assert "1 evaluations" in lead_window.status_label.text()
    dialog.close()

    # identical on both sides, by uuid, every column but local ids
    assert rows_by_uuid(lead, "evaluations") == rows_by_uuid(laptop, "evaluations", NOT_DRAFT)
    assert len(rows_by_uuid(lead, "evaluations")) == 1
    for table in ("answers", "answer_notes"):
        assert rows_by_uuid(lead, table) == rows_by_uuid(laptop, table, OF_NOT_DRAFTS), table
    sent = {u: r for u, r in audit_rows(laptop, laptop.uuid).items() if r["seq"] <= head["seq"]}
    assert audit_rows(lead, laptop.uuid) == sent
    assert {r["action"] for r in sent.values()} >= {"evaluation.submit", "evaluation.sign_off"}
    for ws in (lead, laptop):
        code, out, _err = run_cli("--db", str(ws.path), "audit", "verify", "--json")
        assert code == 0, out
    assert audit.verify(lead.db).chains == 2

    # -- the same bundle again: the preview says nothing would change, and nothing does --------
    before = snapshot(lead)
    dialog = import_through_dialog(qtbot, monkeypatch, lead_window, results)
    assert dialog.preview.already_imported
    assert "already imported" in dialog.headline_label.text()
    assert "changes nothing" in dialog.headline_label.text()
    assert dialog.counts.counts("evaluations") == (0, 0, 1)
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.close()
    assert snapshot(lead) == before
    assert api.list_conflicts(lead) == []
