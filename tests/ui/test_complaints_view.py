"""The complaints log screen: filters, detail timeline, log/edit dialogs, from a contact, RCA."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QInputDialog

from qa_studio.storage.repository import complaints as repo
from qa_studio.storage.repository import rca
from qa_studio.ui.models.record_table import RecordTableModel
from qa_studio.ui.views import complaint_dialogs
from qa_studio.ui.views.complaints import ComplaintsView
from qa_studio.ui.views.complaints_integration import ComplaintsRcaWidget
from tests.storage.eval_helpers import seed

TODAY = date(2026, 11, 24)


def _log(ws):
    late = repo.create_complaint(
        ws,
        repo.NewComplaint(
            "Fees", "formal", "asked to complain", "2026-09-01T09:00:00Z", owner="Ann"
        ),
    )
    soon = repo.create_complaint(
        ws,
        repo.NewComplaint(
            "Rudeness",
            "informal",
            "unhappy on the call",
            "2026-11-19T09:00:00Z",
            regime="internal",
            vulnerable=True,
            vulnerability_need="bereavement",
        ),
    )
    done = repo.create_complaint(
        ws, repo.NewComplaint("Fees", "formal", "letter", "2026-11-02T09:00:00Z")
    )
    repo.record_final_response(ws, done, "Refund")
    return late, soon, done


def _view(qtbot, ws):
    view = ComplaintsView(ws, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_filters_and_colours(qtbot, ws, qtmodeltester):
    late, soon, done = _log(ws)
    view = _view(qtbot, ws)
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 3 and view.count.text() == "3 complaint(s)"
    view.due_filter.setCurrentIndex(view.due_filter.findData("overdue"))
    assert [view.model.record(r).id for r in range(view.model.rowCount())] == [late]
    assert view.model.index(0, 10).data().startswith("overdue")
    view.due_filter.setCurrentIndex(view.due_filter.findData("due_soon"))
    assert [view.model.record(r).id for r in range(view.model.rowCount())] == [soon]
    view.due_filter.setCurrentIndex(0)
    view.vulnerable_filter.setChecked(True)
    assert view.model.rowCount() == 1 and view.model.index(0, 5).data() == "bereavement"
    view.vulnerable_filter.setChecked(False)
    view.status_filter.setCurrentIndex(view.status_filter.findData("resolved"))
    assert [view.model.record(r).id for r in range(view.model.rowCount())] == [done]


def test_detail_shows_the_timeline_and_note_is_added(qtbot, ws):
    late, _, _ = _log(ws)
    view = _view(qtbot, ws)
    view.table.selectRow(0)
    assert view.current().id == late
    view.add_note("Called the customer back")
    text = view.detail.toPlainText()
    assert "Timeline" in text and "Called the customer back" in text
    assert "formal complaint logged: Fees" in text


def test_log_and_edit_through_the_dialog(qtbot, ws, monkeypatch):
    view = _view(qtbot, ws)

    def fill(dialog):
        if not dialog.editing:
            dialog.category.setText("Billing error")
            dialog.classification.setCurrentText("formal")
            dialog.reason.setText("customer said 'complaint'")
            dialog.set_received("2026-12-24T10:00:00Z")
        else:
            dialog.owner.setText("Bo")
            dialog.level.setCurrentIndex(2)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(complaint_dialogs.ComplaintDialog, "exec", fill)
    cid = view.new_complaint()
    c = view.current()
    assert c.id == cid and (c.summary_due, c.final_due) == ("2026-12-31", "2027-02-18")
    view.edit_complaint()
    c = view.current()
    assert (c.owner, c.escalation_level) == ("Bo", 2)
    assert "handoff" in view.detail.toPlainText() and "escalation" in view.detail.toPlainText()


def test_from_flagged_contact_and_start_rca(qtbot, ws, monkeypatch):
    data = seed(ws, 2)
    ws.db.execute("UPDATE interactions SET complaint = 'formal', vulnerable = 1 WHERE id = ?",
                  [data["interactions"][1]])  # fmt: skip
    view = _view(qtbot, ws)
    offered = []

    def pick(parent, title, label, items, current, editable):
        offered.extend(items)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)

    def accept(dialog):
        dialog.category.setText("Fees")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(complaint_dialogs.ComplaintDialog, "exec", accept)
    cid = view.new_from_interaction()
    assert offered == ["INT-2 · formal · 2026-10-02"]
    c = view.current()
    assert (c.id, c.interaction, c.classification, c.vulnerable) == (cid, "INT-2", "formal", True)
    assert c.opened_at == "2026-10-02T10:00:00Z"
    with qtbot.waitSignal(view.rcaStarted) as started:
        rid = view.start_rca()
    assert started.args == [rid] and view.current().rca_id == rid
    assert view.start_rca() == rid  # the same RCA, not a second one


def test_tab_opens_the_rca_from_the_log(qtbot, ws, qtmodeltester):
    _log(ws)
    widget = ComplaintsRcaWidget(ws)
    qtbot.addWidget(widget)
    widget.complaints.table.selectRow(0)
    rid = widget.complaints.start_rca()
    assert widget.currentWidget() is widget.rcas
    assert widget.rcas.editor is not None and widget.rcas.editor.rca_id == rid
    assert widget.rcas.list.count() == 1
    qtmodeltester.check(widget.breach_log.model)
    assert isinstance(widget.breach_log.model, RecordTableModel)
    assert isinstance(widget.complaints.model, RecordTableModel)


def test_main_window_has_the_complaints_tab(qtbot, ws, tmp_path):
    from tests.ui.windows import main_window

    _log(ws)
    win = main_window(qtbot, tmp_path, ws, remember=True, show=False)
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    index = titles.index("Complaints && RCA")
    win.tabs.setCurrentIndex(index)
    screen = win.complaints.screen
    assert screen is not None and screen.complaints.model.rowCount() == 3
    editor = win.complaints.open_rca(rca.start_rca(ws, "kpi_miss", "csat", "CSAT below target"))
    assert editor is not None and editor.problem.toPlainText() == "CSAT below target"
