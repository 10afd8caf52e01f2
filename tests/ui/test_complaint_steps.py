"""The complaints log's later steps driven as a team leader would: response, ombudsman/ADR
referral and the follow-up after resolution — enabled only when they make sense, one dialog each,
stored through the repository, the timeline refreshed, refusals shown verbatim."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from qa_studio.storage.repository.complaints_query import get_complaint
from qa_studio.ui.views import complaint_dialogs
from qa_studio.ui.views.complaint_dialogs import FollowUpDialog, ReferralDialog, ResponseDialog
from qa_studio.ui.views.complaints import ComplaintsView
from tests.ui.complaint_helpers import TODAY, log_complaints, shown


@pytest.fixture
def log(ws):
    return log_complaints(ws)


@pytest.fixture
def view(qtbot, ws, log, qtmodeltester):
    return shown(qtbot, qtmodeltester, ComplaintsView(ws, today=TODAY), 1400, 700)


def select(view, complaint_id: int) -> None:
    row = next(r for r, c in enumerate(view.model.records) if c.id == complaint_id)
    view.table.selectRow(row)
    assert view.current().id == complaint_id


@pytest.fixture
def warnings(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(
        (title, text)))  # fmt: skip
    return shown


def test_buttons_follow_the_complaint_and_say_why_not(view, log):
    select(view, log["fresh"])  # formal, within its 8 weeks, unanswered
    assert view.response_button.isEnabled()
    assert not view.refer_button.isEnabled()
    assert "final deadline (2027-01-15)" in view.refer_button.toolTip()
    assert not view.follow_up_button.isEnabled()
    assert "after the final response" in view.follow_up_button.toolTip()
    select(view, log["late"])  # unanswered past its 8 weeks: the customer may go to the FOS
    assert view.refer_button.isEnabled() and view.refer_button.toolTip() == ""
    select(view, log["soon"])  # informal: no ombudsman route
    assert not view.refer_button.isEnabled()
    assert "Only a formal complaint" in view.refer_button.toolTip()
    select(view, log["answered"])
    assert not view.response_button.isEnabled()
    assert "response went out" in view.response_button.toolTip()
    assert view.refer_button.isEnabled() and view.follow_up_button.isEnabled()


def test_refer_to_the_ombudsman_through_the_dialog(qtbot, view, ws, log, monkeypatch):
    select(view, log["late"])
    seen = {}

    def fill(dialog):
        seen["labels"] = [w.text() for w in dialog.findChildren(complaint_dialogs.QLabel)]
        qtbot.keyClicks(dialog.reference, "FOS-4471")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReferralDialog, "exec", fill)
    with qtbot.waitSignal(view.complaintChanged) as changed:
        qtbot.mouseClick(view.refer_button, Qt.MouseButton.LeftButton)
    assert changed.args == [log["late"]]
    assert "Financial Ombudsman Service" in seen["labels"]
    stored = get_complaint(ws, log["late"], today=TODAY)
    assert (stored.status, stored.ombudsman_ref) == ("referred", "FOS-4471")
    assert stored.ombudsman_referral_at is not None
    assert stored.events[-1].kind == "referral"
    assert "referred to ombudsman/ADR (FOS-4471)" in view.detail.toPlainText()
    row = next(r for r, c in enumerate(view.model.records) if c.id == log["late"])
    assert view.model.index(row, 7).data() == "referred"
    assert not view.refer_button.isEnabled()
    assert view.refer_button.toolTip().startswith("Referred on")


def test_cancelling_the_referral_stores_nothing(qtbot, view, ws, log, monkeypatch):
    select(view, log["late"])
    monkeypatch.setattr(ReferralDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    assert view.refer() is False
    assert get_complaint(ws, log["late"], today=TODAY).ombudsman_referral_at is None


def test_follow_up_after_resolution_closes_it(qtbot, view, ws, log, monkeypatch):
    select(view, log["answered"])

    def fill(dialog):
        assert not dialog.ok.isEnabled()  # nothing said yet
        assert "say what the customer said" in dialog.problem_label.text()
        qtbot.keyClicks(dialog.note, "Customer happy with the refund")
        assert dialog.ok.isEnabled() and dialog.close_it.isChecked()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FollowUpDialog, "exec", fill)
    qtbot.mouseClick(view.follow_up_button, Qt.MouseButton.LeftButton)
    stored = get_complaint(ws, log["answered"], today=TODAY)
    assert stored.status == "closed" and stored.followed_up_at is not None
    assert [e.kind for e in stored.events][-1] == "follow_up"
    assert "Customer happy with the refund" in view.detail.toPlainText()
    assert not view.follow_up_button.isEnabled()


def test_follow_up_kept_open_when_asked(qtbot, view, ws, log, monkeypatch):
    select(view, log["answered"])

    def fill(dialog):
        dialog.note.setPlainText("Left a message; will call again")
        dialog.close_it.setChecked(False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FollowUpDialog, "exec", fill)
    assert view.follow_up()
    assert get_complaint(ws, log["answered"], today=TODAY).status == "resolved"


def test_a_refusal_is_shown_verbatim(qtbot, view, ws, log, monkeypatch, warnings):
    """A dialog that got past its own checks (here by skipping them) meets the repository."""
    select(view, log["answered"])
    monkeypatch.setattr(FollowUpDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    assert view.follow_up() is False
    assert warnings == [("Follow-up not recorded", "follow-up: say what the customer said")]
    assert get_complaint(ws, log["answered"], today=TODAY).followed_up_at is None


def test_response_dialog_checks_its_fields_then_stores(qtbot, view, ws, log, monkeypatch):
    select(view, log["fresh"])

    def fill(dialog):
        assert not dialog.ok.isEnabled()
        dialog.resolution.setPlainText("Fee refunded; apology sent")
        dialog.follow_up.setText("next week")
        assert not dialog.ok.isEnabled()
        assert "'next week' is not a date" in dialog.problem_label.text()
        dialog.follow_up.setText("2026-12-08")
        assert dialog.ok.isEnabled() and dialog.problem_label.text() == ""
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ResponseDialog, "exec", fill)
    qtbot.mouseClick(view.response_button, Qt.MouseButton.LeftButton)
    stored = get_complaint(ws, log["fresh"], today=TODAY)
    assert (stored.status, stored.follow_up_due) == ("resolved", "2026-12-08")
    assert not view.response_button.isEnabled()
    assert view.follow_up_button.isEnabled() and view.refer_button.isEnabled()
    assert "final response sent: Fee refunded; apology sent" in view.detail.toPlainText()


def test_log_dialog_needs_a_category(qtbot, ws):
    from qa_studio.storage.repository import complaints as repo

    dialog = complaint_dialogs.ComplaintDialog(repo.regimes(ws))
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    assert dialog.problem_label.text() == "Category: a category is required"
    dialog.category.setText("Fees")
    assert dialog.ok.isEnabled()
