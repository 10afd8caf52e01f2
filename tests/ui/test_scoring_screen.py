"""The scoring screen, driven as an evaluator drives it: from the keyboard.

The end-to-end test answers every question with key presses only (J/K/Y/N/A/digits, C + text +
Enter), submits with Ctrl+Enter and signs off with Ctrl+Shift+S, then checks the repository —
not the widgets — for the stored answers, score, stamped comment and signature.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from qa_studio.storage.repository import audit, evaluations
from qa_studio.ui.views.scoring import ScoringView
from qa_studio.ui.views.scoring_shortcuts import SHORTCUTS
from tests.ui import scoring_fixtures

REPO = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def data(ws):
    return scoring_fixtures.seed(ws)


def make_view(qtbot, ws, evaluator="Ann") -> ScoringView:
    view = ScoringView(ws, evaluator)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press delivered where a user's would go: the focused widget."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has keyboard focus"
    qtbot.keyClick(target, key, modifier)


def typed(qtbot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


def current(view) -> str:
    return view.form.current_key()


def stored(ws, view) -> evaluations.EvaluationRecord:
    return evaluations.get(ws, view.session.evaluation_id)


def test_keyboard_only_end_to_end(qtbot, ws, data):
    view = make_view(qtbot, ws)
    view.open_interaction(data["call"], data["voice"].id)
    assert current(view) == "greet"
    assert QApplication.focusWidget() is view.form.cards["greet"]
    qtbot.waitUntil(lambda: view.player.duration_s() > 29, timeout=15000)

    press(qtbot, Qt.Key.Key_Y)  # greet: yes
    assert stored(ws, view).answers == {"greet": "yes"}  # autosaved at once
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_2)  # empathy: 2 (a fail) …
    press(qtbot, Qt.Key.Key_K)
    assert current(view) == "greet"
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_4)  # … corrected to 4
    press(qtbot, Qt.Key.Key_J)
    assert current(view) == "hold"
    press(qtbot, Qt.Key.Key_Right)  # +5 s, twice: the comment is stamped at 10 s
    press(qtbot, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: abs(view.player.position_s() - 10.0) < 0.3, timeout=5000)
    press(qtbot, Qt.Key.Key_A)  # hold: N/A
    press(qtbot, Qt.Key.Key_C)
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    typed(qtbot, "No hold on this call; Yana said nothing about it")  # letters stay text
    press(qtbot, Qt.Key.Key_Return)
    assert current(view) == "hold"
    press(qtbot, Qt.Key.Key_Tab)
    assert current(view) == "ownership"
    press(qtbot, Qt.Key.Key_Backtab)
    assert current(view) == "hold"
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_2)  # ownership: option 2 = Partial
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_Y)  # idv
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_Y)  # cvv

    expected = {
        "greet": "yes",
        "empathy": 4,
        "hold": "na",
        "ownership": "Partial",
        "idv": "yes",
        "cvv": "yes",
    }
    assert stored(ws, view).answers == expected
    # opening 1 + 2 × 0.75 of 3 (hold excluded), resolution 0.5 of 1, compliance 4 of 4
    assert view.form.score_label.text().count("87.5 %") == 1

    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert stored(ws, view).status == "submitted"
    press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)

    record = stored(ws, view)
    assert record.status == "signed_off"
    assert record.signed_by == "Ann" and record.signed_at
    assert record.answers == expected
    assert record.score == pytest.approx(7.0) and record.max_score == pytest.approx(8.0)
    assert record.percent == pytest.approx(87.5)
    assert not record.fatal
    (note,) = record.notes
    assert note.question_key == "hold"
    assert note.text == "No hold on this call; Yana said nothing about it"
    assert note.at_s == pytest.approx(10.0, abs=0.3)
    assert "Yana" in view.form.cards["hold"].notes_label.text()

    # read-only now: the banner says who signed, keys and buttons change nothing
    assert view.form.is_read_only()
    assert "Signed off by Ann" in view.lifecycle_banner.text()
    assert not any(b.isEnabled() for c in view.form.cards.values() for b in c.buttons.values())
    view.form.focus_question("greet")
    press(qtbot, Qt.Key.Key_N)
    press(qtbot, Qt.Key.Key_C)
    assert stored(ws, view).answers["greet"] == "yes"
    assert view.form.cards["greet"].comment_edit.isHidden()
    assert not view.reopen_button.isVisible()  # Ann is not a QA lead
    actions = [r[0] for r in ws.db.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-2:] == ["evaluation.submit", "evaluation.sign_off"]
    assert audit.verify(ws.db).ok


def test_fatal_and_critical_banners(qtbot, ws, data):
    view = make_view(qtbot, ws)
    view.open_interaction(data["call"], data["voice"].id)
    assert view.form.fatal_banner.isHidden() and view.form.critical_banner.isHidden()
    view.form.focus_question("idv")
    press(qtbot, Qt.Key.Key_N)
    assert view.form.critical_banner.isVisible()
    assert (
        "Critical: Verified identity before discussing the account — section Compliance scores 0"
    ) in view.form.critical_banner.text()
    assert view.form.fatal_banner.isHidden()
    assert view.form.cards["idv"].outcome_label.text().startswith("Fail")
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_N)
    assert view.form.fatal_banner.isVisible()
    assert (
        "Fatal: Did not take or repeat the card security code — form scores 0%"
        in view.form.fatal_banner.text()
    )
    assert "0.0 %" in view.form.score_label.text()
    press(qtbot, Qt.Key.Key_Y)  # corrected: the fatal banner goes, the critical one stays
    assert view.form.fatal_banner.isHidden() and view.form.critical_banner.isVisible()
    assert stored(ws, view).answers == {"idv": "no", "cvv": "yes"}


def test_fatal_reported_separately_banner(qtbot, ws, data):
    from qa_studio.storage.repository import scorecards

    card = scoring_fixtures.CARD.replace(
        "fatal_policy: zero_form", "fatal_policy: report_separately"
    )
    v2 = scorecards.publish(ws, card, "Fatal reported separately")
    view = make_view(qtbot, ws)
    view.open_interaction(data["call"], v2.id)
    view.form.focus_question("cvv")
    press(qtbot, Qt.Key.Key_N)
    assert "— reported separately" in view.form.fatal_banner.text()


def test_submit_lists_unanswered_and_focuses_the_first(qtbot, ws, data):
    view = make_view(qtbot, ws)
    view.open_interaction(data["call"], data["voice"].id)
    press(qtbot, Qt.Key.Key_Y)
    view.form.focus_question("ownership")
    press(qtbot, Qt.Key.Key_1)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert stored(ws, view).status == "draft"
    text = view.message_bar.text()
    assert "Cannot submit: 4 questions unanswered" in text
    for question in (
        "Acknowledged the customer",
        "Explained why",
        "Verified identity",
        "card security code",
    ):
        assert question in text
    assert current(view) == "empathy"
    assert QApplication.focusWidget() is view.form.cards["empathy"]
    press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)  # sign-off refuses a draft
    assert "Submit the evaluation first" in view.message_bar.text()
    press(qtbot, Qt.Key.Key_U)  # next unanswered after empathy is hold
    assert current(view) == "hold"


def test_wrong_keys_explain_instead_of_failing(qtbot, ws, data):
    view = make_view(qtbot, ws)
    view.open_interaction(data["call"], data["voice"].id)
    press(qtbot, Qt.Key.Key_A)  # greet does not allow N/A
    assert "N/A is not allowed for question 1.1" in view.message_bar.text()
    press(qtbot, Qt.Key.Key_7)
    assert "7 is not an answer to question 1.1" in view.message_bar.text()
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_Y)  # empathy is a scale
    assert "not a Yes/No question" in view.message_bar.text()
    press(qtbot, Qt.Key.Key_3)
    press(qtbot, Qt.Key.Key_Delete)  # clears the draft answer
    assert stored(ws, view).answers == {}
    assert view.form.cards["empathy"].value() is None


def test_missing_recording_shows_message_and_transcript(qtbot, ws):
    data = scoring_fixtures.seed(ws, recording="test.media/gone.wav", make_recording=False)
    view = make_view(qtbot, ws)
    view.open_interaction(data["call"], data["voice"].id)
    assert view.player.isVisible()
    assert "Recording not found" in view.player.message()
    assert "gone.wav" in view.player.message()
    assert view.transcript.isVisible()
    assert "score from the transcript" in view.transcript_note.text()
    press(qtbot, Qt.Key.Key_Space)  # nothing to play: harmless
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_C)  # a comment without a recording has no time stamp
    typed(qtbot, "Listened elsewhere")
    press(qtbot, Qt.Key.Key_Return)
    (note,) = stored(ws, view).notes
    assert note.at_s is None and note.question_key == "greet"


def test_unplayable_recording_shows_message(qtbot, ws):
    data = scoring_fixtures.seed(ws, recording="test.media/broken.wav", make_recording=False)
    broken = ws.resolve_media("test.media/broken.wav")
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" * 20)
    view = make_view(qtbot, ws)
    with qtbot.waitSignal(view.player.mediaFailed, timeout=15000):
        view.open_interaction(data["call"], data["voice"].id)
    assert "Cannot play broken.wav" in view.player.message()
    assert "cannot be played" in view.transcript_note.text()
    press(qtbot, Qt.Key.Key_Y)
    assert stored(ws, view).answers == {"greet": "yes"}


def test_chat_shows_transcript_only(qtbot, ws, data):
    view = make_view(qtbot, ws)
    view.open_interaction(data["chat"])  # the one chat card is chosen without asking
    assert view.session.version.key == "test_chat"
    assert view.player.isHidden()
    assert view.transcript.isVisible()
    assert view.transcript_note.isHidden()
    press(qtbot, Qt.Key.Key_Y)
    press(qtbot, Qt.Key.Key_Space)  # no player: nothing happens
    press(qtbot, Qt.Key.Key_J)
    press(qtbot, Qt.Key.Key_N)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    record = stored(ws, view)
    assert record.status == "submitted" and record.percent == pytest.approx(50.0)


def test_version_is_asked_when_the_channel_has_several(qtbot, ws, data, monkeypatch):
    from qa_studio.storage.repository import scorecards

    scorecards.publish(
        ws,
        scoring_fixtures.CARD.replace("key: test_voice", "key: other_voice").replace(
            "name: Test voice card", "name: Other voice card"
        ),
        "Second",
    )
    asked = {}

    def get_item(parent, title, label, items, current, editable):
        asked["items"] = list(items)
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    view = make_view(qtbot, ws)
    session = view.open_interaction(data["call"])
    assert asked["items"][0].startswith("Other voice card") and len(asked["items"]) == 3
    assert session.version.key == "test_voice"
    # reopening the same interaction resumes the draft instead of starting another
    again = view.open_interaction(data["call"], data["voice"].id)
    assert again.evaluation_id == session.evaluation_id


def test_queue_lists_drafts_and_opens_them(qtbot, ws, data):
    first = evaluations.start(ws, data["call"], data["voice"].id, "Ann")
    evaluations.save_answer(ws, first.id, "greet", "yes")
    evaluations.start(ws, data["chat"], data["chat_card"].id, "Ann")
    evaluations.start(ws, data["chat"], data["chat_card"].id, "Lee")
    view = make_view(qtbot, ws)
    assert view.queue_list.count() == 2
    assert "CALL-1" in view.queue_list.item(0).text()
    assert "1/6 answered" in view.queue_list.item(0).text()
    view.queue_list.setCurrentRow(0)
    qtbot.mouseClick(
        view.queue_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.queue_list.visualItemRect(view.queue_list.item(0)).center(),
    )
    assert view.session is not None and view.session.evaluation_id == first.id
    assert view.form.cards["greet"].value() == "yes"
    assert current(view) == "empathy"  # the first unanswered question
    press(qtbot, Qt.Key.Key_5)
    assert "2/6 answered" in view.queue_list.item(0).text()
    view.set_evaluator("Lee")
    assert view.session is None and view.queue_list.count() == 1


def test_reopen_by_a_qa_lead_with_a_reason(qtbot, ws, data, monkeypatch):
    record = evaluations.start(ws, data["call"], data["voice"].id, "Ann")
    for key, value in {
        "greet": "yes",
        "empathy": 3,
        "hold": "na",
        "ownership": "Full",
        "idv": "yes",
        "cvv": "yes",
    }.items():
        evaluations.save_answer(ws, record.id, key, value)
    evaluations.submit(ws, record.id)
    evaluations.sign_off(ws, record.id, "Ann")

    view = make_view(qtbot, ws, evaluator="Lee")
    view.open_evaluation(record.id)
    assert view.form.is_read_only()
    assert view.reopen_button.isVisible() and view.reopen_button.isEnabled()

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("   ", True)))
    view.reopen_button.click()
    assert "A reason is required" in view.message_bar.text()
    assert stored(ws, view).status == "signed_off"

    reason = "Team leader disputed the empathy score"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (reason, True)))
    with qtbot.waitSignal(view.evaluationReopened):
        view.reopen_button.click()
    reopened = stored(ws, view)
    assert reopened.status == "submitted" and reopened.revision == 2
    assert reopened.signed_by is None
    assert not view.form.is_read_only() and not view.reopen_button.isVisible()
    payload = ws.db.execute(
        "SELECT payload FROM audit_log WHERE action = 'evaluation.reopen'"
    ).fetchone()[0]
    assert reason in payload

    ann = make_view(qtbot, ws, evaluator="Ann")
    evaluations.sign_off(ws, record.id, "Ann")
    ann.open_evaluation(record.id)
    assert not ann.reopen_button.isVisible()
    assert "Only a QA lead can reopen it" in ann.lifecycle_banner.text()


def test_transcript_follows_playback_and_seeks(qtbot, ws, data):
    view = make_view(qtbot, ws)
    view.open_interaction(data["call"], data["voice"].id)
    qtbot.waitUntil(lambda: view.player.duration_s() > 29, timeout=15000)
    focused = QApplication.focusWidget()
    # click the fourth turn (13.5 s): the player seeks there and the turn is highlighted
    transcript = view.transcript
    block = transcript.document().findBlockByNumber(3)
    rect = transcript.document().documentLayout().blockBoundingRect(block)
    point = rect.center().toPoint()
    point.setY(point.y() - transcript.verticalScrollBar().value())
    qtbot.mouseClick(transcript.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: abs(view.player.position_s() - 13.5) < 0.3, timeout=5000)
    assert view.player.time_label.text() == "00:13"
    qtbot.waitUntil(lambda: transcript.current_turn() == 3, timeout=5000)
    assert QApplication.focusWidget() is focused  # the form keeps the keyboard
    # playback moves the highlight on: Right skips 5 s into the fifth turn (16.5 s)
    press(qtbot, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: transcript.current_turn() == 4, timeout=5000)
    press(qtbot, Qt.Key.Key_BracketRight)
    assert view.player.speed() == 1.25
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.player.play_button.text().endswith("Pause"), timeout=5000)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.player.play_button.text().endswith("Play"), timeout=5000)


def test_overall_comment_autosaves(qtbot, ws, data):
    view = make_view(qtbot, ws)
    view.open_interaction(data["call"], data["voice"].id)
    box = view.form.comment_box
    box.setFocus()
    qtbot.keyClicks(box, "Warm call, good ownership")
    qtbot.waitUntil(lambda: stored(ws, view).comment == "Warm call, good ownership", timeout=5000)
    assert stored(ws, view).answers == {}  # the typed letters answered nothing


def test_no_evaluator_means_no_scoring(qtbot, ws, data):
    view = make_view(qtbot, ws, evaluator=None)
    assert view.open_interaction(data["call"], data["voice"].id) is None
    assert "Choose who you are" in view.message_bar.text()
    assert "choose an evaluator" in view.queue_title.text()


def test_keyboard_doc_lists_every_shortcut():
    doc = (REPO / "docs" / "keyboard.md").read_text(encoding="utf-8")
    for shortcut in SHORTCUTS:
        assert f"| {shortcut.label} | {shortcut.description} |" in doc
