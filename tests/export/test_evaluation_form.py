"""The printable evaluation: one-page XLSX read back (values, print set-up, no formulas, redacted)
and a one-page PDF printed by Qt (looked at as PNG when pdftoppm is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qa_studio.errors import DataRefused
from qa_studio.export.evaluation_form import SHEET, build_form, write_evaluation_xlsx
from qa_studio.services.qt_compat import keep_none_alive
from qa_studio.storage.repository import disputes, evaluations
from qa_studio.storage.repository.evaluation_import import record_evaluation
from qa_studio.storage.repository.evaluation_sheet import printable_evaluation
from qa_studio.storage.repository.interactions import interaction_id
from qa_studio.ui.views.evaluation_print import evaluation_html, write_evaluation_pdf
from tests.storage import coaching_data
from tests.storage.coaching_data import HELD

keep_none_alive()
LOOK_DIR = Path("/tmp/qa-studio-coaching")
FORMULA = '=HYPERLINK("http://evil.example","click")'
CARD = "4111 1111 1111 1111"


@pytest.fixture
def form_id(ws):
    made = coaching_data.build(ws)
    when = HELD - timedelta(days=20)
    ext = "B-1"
    # a second evaluation of B-1 by Bo, with awkward comments
    eid = record_evaluation(
        ws,
        interaction_id=interaction_id(ws, ext),
        version_id=made["v1"].id,
        evaluator="Bo",
        answers={"greet": "no", "empathy": 2, "idv": "yes", "cvv": "yes"},
        started_at=when,
        submitted_at=when + timedelta(minutes=5),
        signed_at=when + timedelta(minutes=9),
        notes=[
            ("greet", 3.0, "No name given at the start"),
            ("empathy", 75.5, f"Customer read out {CARD} and it was not stopped"),
            ("empathy", None, "<b>not bold</b> & kept as typed"),
            (None, 130.0, FORMULA),
        ],
        comment="+cmd|' /C calc'!A0 — overall the call was fine",
    )
    return eid


def test_the_xlsx_form_reads_back(ws, form_id, tmp_path):
    disputes.raise_dispute(ws, form_id, "greet", "I did greet", agent="A1", entered_by="Tara")
    form = printable_evaluation(ws, form_id)
    path = write_evaluation_xlsx(form, tmp_path / "form.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [SHEET]
    sheet = wb[SHEET]
    cells = {(c.row, c.column): c for row in sheet.iter_rows() for c in row if c.value is not None}
    texts = [str(c.value) for c in cells.values()]
    assert sheet["A1"].value == f"Evaluation {form_id} · Voice example"
    assert sheet["B4"].value == "Alex Agent (A1)" and sheet["E4"].value == "B-1 (voice)"
    assert sheet["B6"].value == "Tara" and sheet["E6"].value == "Bo"
    assert sheet["C10"].value == pytest.approx(form.percent / 100)
    assert sheet["C10"].number_format == "0.0%"
    assert "Target 85 % · Below target" in sheet["E10"].value
    rows = {sheet.cell(r, 1).value: r for r in range(13, sheet.max_row + 1)}
    greet = rows["Greeted the customer and gave their name"]
    assert [sheet.cell(greet, c).value for c in range(2, 6)] == [
        "No",
        "0 / 1",
        "Fail",
        "[00:03] No name given at the start (Bo)",
    ]
    empathy = rows["Acknowledged the customer's situation"]
    assert sheet.cell(empathy, 2).value == "2 of 5"
    comments = sheet.cell(empathy, 5).value
    assert "[01:16] Customer read out" in comments and CARD not in comments
    assert "<b>not bold</b> & kept as typed (Bo)" in comments
    idv = next(r for t, r in rows.items() if t and t.startswith("Verified identity"))
    assert "[critical]" in sheet.cell(idv, 1).value and "UK GDPR" in sheet.cell(idv, 1).value
    # formula-looking text is stored as text, exactly as typed
    general = next(c for c in cells.values() if str(c.value).startswith("[02:10] =HYPERLINK"))
    assert general.data_type == "s" and general.value == f"[02:10] {FORMULA} (Bo)"
    overall = next(c for c in cells.values() if str(c.value).startswith("+cmd"))
    assert overall.data_type == "s" and overall.value.startswith("+cmd|' /C calc'!A0")
    assert not any(c.data_type == "f" for c in cells.values())
    assert any("greet: open — I did greet" in t for t in texts)
    assert any(t == "Agent: Alex Agent" for t in texts)
    assert any(t == "Team leader: Tara" for t in texts)
    assert texts.count("Date") == 1 and texts.count("Signature") == 1
    setup = sheet.page_setup
    assert (setup.fitToWidth, setup.fitToHeight, setup.orientation) == (1, 1, "portrait")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_area and sheet.print_area.startswith("'Evaluation'!$A$1:$E$")
    wb.close()


def test_the_pdf_is_one_page(ws, form_id, tmp_path):
    form = printable_evaluation(ws, form_id)
    html = evaluation_html(form)
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; kept as typed" in html
    assert CARD not in html and "Signature" in html and "Team leader: Tara" in html
    path = write_evaluation_pdf(form, tmp_path / "form.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) == 1
    assert not (tmp_path / "form.pdf.part").exists()
    _look(path, "evaluation_form")


def test_a_long_form_still_prints_on_one_page(ws, form_id, tmp_path):
    form = printable_evaluation(ws, form_id)
    many = form.general_notes * 60  # far more than a page of text
    long_form = type(form)(**{**form.__dict__, "general_notes": many})
    path = write_evaluation_pdf(long_form, tmp_path / "long.pdf")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes())) == 1
    wb = build_form(long_form)
    assert wb[SHEET].page_setup.fitToHeight == 1


def test_drafts_are_not_printed(ws, form_id):
    made = evaluations.start(ws, interaction_id(ws, "S-0"), 1, "Ann")
    with pytest.raises(DataRefused, match="is a draft"):
        printable_evaluation(ws, made.id)


def _look(pdf: Path, name: str) -> None:
    """Leave a PNG of the first page for a person to look at (when poppler is installed)."""
    if shutil.which("pdftoppm") is None:
        return
    LOOK_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf), str(LOOK_DIR / name)],
        check=True,
        timeout=60,
    )
    assert (LOOK_DIR / f"{name}.png").stat().st_size > 1000
