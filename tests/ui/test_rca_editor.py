"""The RCA editor driven as a user would: problem, whys, causes, picture, save, reopen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from qa_studio.storage.repository import rca
from qa_studio.ui.views.rca_editor import RcaEditor
from qa_studio.ui.views.rca_models import ActionsModel, CausesModel, pareto_model
from tests.ui.prompts import pick_save_file


def _editor(qtbot, ws, rid):
    editor = RcaEditor(ws, rid)
    qtbot.addWidget(editor)
    editor.resize(1200, 900)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_type_problem_whys_causes_save_and_reopen(qtbot, ws, tmp_path, monkeypatch):
    rid = rca.start_rca(ws, "complaint_category", "Fees", "Fees")
    editor = _editor(qtbot, ws, rid)
    editor.problem.clear()
    qtbot.keyClicks(editor.problem, "Fee complaints doubled in October")
    for why in ("Fees were not explained", "The script step was removed"):
        qtbot.keyClicks(editor.why_input, why)
        qtbot.keyClick(editor.why_input, Qt.Key.Key_Return)
    before = editor.fishbone.grab().toImage()
    editor.tabs.setCurrentIndex(1)
    editor.cause_category.setCurrentText("Policy")
    qtbot.keyClicks(editor.cause_text, "Fee change not briefed")
    editor.cause_weight.setValue(5)
    qtbot.keyClick(editor.cause_text, Qt.Key.Key_Return)
    editor.cause_category.setCurrentText("Process")
    qtbot.keyClicks(editor.cause_text, "Script step removed")
    editor.cause_weight.setValue(2)
    qtbot.keyClick(editor.cause_text, Qt.Key.Key_Return)
    assert [c.text for c in editor.fishbone.causes] == ["Fee change not briefed",
                                                        "Script step removed"]  # fmt: skip
    assert editor.fishbone.problem == "Fee complaints doubled in October"
    assert editor.fishbone.grab().toImage() != before  # the picture changed
    assert editor.pareto_model.rowCount() == 2
    assert editor.pareto_model.index(0, 4).data() == "71.4"
    editor.tabs.setCurrentIndex(2)
    qtbot.keyClicks(editor.action_text, "Brief all teams on the fee change")
    qtbot.keyClicks(editor.action_owner, "Lee")
    qtbot.keyClicks(editor.action_due, "2026-11-30")
    editor.add_action()
    with qtbot.waitSignal(editor.rcaSaved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    again = _editor(qtbot, ws, rid)
    assert again.problem.toPlainText() == "Fee complaints doubled in October"
    assert [again.whys.item(i).text() for i in range(again.whys.count())] == [
        "Fees were not explained", "The script step was removed"]  # fmt: skip
    assert [(c.category, c.weight) for c in again.causes_model.causes()] == [
        ("Policy", 5.0), ("Process", 2.0)]  # fmt: skip
    assert again.actions_model.actions()[0].due_on == "2026-11-30"
    assert len(again.fishbone.causes) == 2
    target = tmp_path / "out.png"
    pick_save_file(monkeypatch, target)
    assert again.export_png() == str(target) and target.stat().st_size > 1000


def test_editing_cells_and_refusing_an_empty_problem(qtbot, ws, monkeypatch):
    rid = rca.start_rca(ws, "question", "idv", "ID checks skipped")
    editor = _editor(qtbot, ws, rid)
    editor.cause_text.setText("CRM does not prompt")
    editor.add_cause()
    model = editor.causes_model
    assert model.setData(model.index(0, 0), "Technology")
    assert not model.setData(model.index(0, 0), "Weather")
    assert not model.setData(model.index(0, 2), "-1")
    assert model.setData(model.index(0, 2), "4")
    assert editor.fishbone.causes[0].weight == 4.0
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    editor.problem.clear()
    assert not editor.save()
    assert "problem" in warnings[0]
    assert rca.get_rca(ws, rid).problem == "ID checks skipped"


def test_effect_check_text(qtbot, ws):
    rid = rca.start_rca(ws, "kpi_miss", "csat", "CSAT low")
    editor = _editor(qtbot, ws, rid)
    editor.metric_box.setCurrentText("csat")
    editor.change_on.setText("2026-10-01")
    editor.check_effect()
    assert "Before: n = 0" in editor.effect_result.text()
    assert "too few to tell" in editor.effect_result.text()
    editor.metric_box.setCurrentText("mood")
    editor.check_effect()
    assert "not one of" in editor.effect_result.text()


def test_models_pass_the_model_tester(qtmodeltester):
    from qa_studio.domain.rca import ActionDraft, CauseDraft, pareto

    causes = CausesModel([CauseDraft("People", "a", 2), CauseDraft("Process", "b", 1)])
    qtmodeltester.check(causes)
    qtmodeltester.check(ActionsModel([ActionDraft("x", "Lee", "2026-12-01")]))
    p = pareto_model()
    p.set_records(pareto(causes.causes()))
    qtmodeltester.check(p)
    assert p.index(0, 0).data() == "a" and p.index(0, 4).data() == "66.7"
    assert "vital few" in p.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_fishbone_png_reads_back_non_blank(tmp_path):
    from PySide6.QtGui import QColor, QImage

    from qa_studio.domain.rca import CauseDraft
    from qa_studio.export.fishbone import render_fishbone, save_fishbone_png

    causes = [CauseDraft(c, f"{c} cause with a rather long description {i}", i + 1)
              for i, c in enumerate(("People", "Process", "Technology", "Policy"))]  # fmt: skip
    path = save_fishbone_png(tmp_path / "f.png", "Customers not told about fees", causes,
                             width=1000, height=600)  # fmt: skip
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1000, 600)
    white = QColor("white").rgb()
    inked = sum(
        1 for x in range(0, 1000, 5) for y in range(0, 600, 5) if image.pixel(x, y) != white
    )
    assert inked > 500  # spine, bones, labels and text
    empty = render_fishbone("", [], width=1000, height=600)
    assert empty.width() == 1000 and empty != image
    # Every bone's label box is inside the picture (nothing clipped at the edges).
    assert all(image.pixel(x, 2) == white for x in range(0, 1000, 5))
