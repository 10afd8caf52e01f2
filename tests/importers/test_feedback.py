"""Survey and mystery-shop import: stored rows, row/column errors, all-or-nothing, rejects."""

from __future__ import annotations

import openpyxl

from qa_studio.importers.feedback import import_feedback
from tests.importers.helpers import count
from tests.storage.eval_helpers import seed


def test_survey_csv_is_stored_and_reimport_updates(ws, write):
    seed(ws, 3)
    path = write(
        "survey.csv",
        "Interaction,Score,Comment,Date\n"
        "INT-1,4,Helpful but slow,2026-10-02\nINT-2,1,Nobody explained the fee,\n",
    )
    report = import_feedback(ws, path, "survey")
    assert report.ok and (report.inserted, report.written) == (2, True)
    rows = ws.db.execute(
        "SELECT i.external_id, s.score, s.scale_max, s.comment, s.responded_at FROM "
        "survey_responses s JOIN interactions i ON i.id = s.interaction_id ORDER BY i.id"
    ).fetchall()
    assert rows == [("INT-1", 4.0, 5.0, "Helpful but slow", "2026-10-02T12:00:00Z"),
                    ("INT-2", 1.0, 5.0, "Nobody explained the fee", None)]  # fmt: skip
    again = write(
        "survey.csv",
        "Interaction,Score,Comment,Date\n"
        "INT-1,4,Helpful but slow,2026-10-02\nINT-2,2,Nobody explained the fee,\n",
    )
    second = import_feedback(ws, again, "survey")
    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)
    actions = [
        r[0] for r in ws.db.execute("SELECT action FROM audit_log WHERE entity = 'feedback'")
    ]
    assert actions == ["import.survey", "import.survey"]


def test_survey_bad_rows_are_reported_and_nothing_is_stored(ws, write):
    seed(ws, 2)
    path = write(
        "bad.csv", "Interaction,Score,Comment\nINT-1,4,ok\nINT-9,3,who\nINT-2,7,x\nINT-2,abc,y\n"
    )
    report = import_feedback(ws, path, "survey")
    assert not report.ok and not report.written
    assert [str(e) for e in report.errors] == [
        "row 3, column Interaction: no interaction 'INT-9' is stored",
        "row 4, column Score: 7 is outside 0–5",
        "row 5, column Score: 'abc' is not a number",
    ]
    assert count(ws, "survey_responses") == 0


def test_survey_skip_invalid_writes_rejects(ws, write):
    seed(ws, 2)
    path = write("mixed.csv", "Interaction,Score\nINT-1,5\nINT-9,3\n")
    report = import_feedback(ws, path, "survey", skip_invalid=True)
    assert (report.inserted, report.rejected, report.written) == (1, 1, True)
    rejects = report.rejects_path.read_text(encoding="utf-8-sig").splitlines()
    assert rejects == [
        "Interaction,Score,reason",
        "INT-9,3,Interaction: no interaction 'INT-9' is stored",
    ]
    assert count(ws, "survey_responses") == 1


def test_survey_missing_column_names_it(ws, write):
    path = write("nocol.csv", "Interaction,Comment\nINT-1,hi\n")
    report = import_feedback(ws, path, "survey")
    assert [str(e) for e in report.errors] == [
        "row 1, column score: nocol.csv needs a column 'score'"
    ]


def _shop_book(tmp_path, rows):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["Mystery ID", "Interaction", "Channel", "Agent", "Started at", "Scorecard",
                  "Evaluator", "greet", "empathy", "idv", "cvv"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    path = tmp_path / "shops.xlsx"
    wb.save(path)
    return path


def test_mystery_shop_xlsx_creates_contacts_and_evaluations(ws, tmp_path):
    seed(ws, 2)
    path = _shop_book(tmp_path, [
        ["MS-1", None, "voice", "A1", "2026-10-20T10:00:00Z", "voice_example@1", "Ann",
         "yes", 4, "yes", "yes"],
        [None, "INT-2", None, None, None, "voice_example", "Bo", "no", 2, "yes", "no"],
    ])  # fmt: skip
    report = import_feedback(ws, path, "mystery_shop")
    assert report.ok, [str(e) for e in report.errors]
    rows = ws.db.execute(
        "SELECT i.external_id, i.source, e.source, e.status, round(e.percent, 2), e.fatal "
        "FROM evaluations e "
        "JOIN interactions i ON i.id = e.interaction_id ORDER BY e.id"
    ).fetchall()
    assert rows == [("MS-1", "mystery_shop", "mystery_shop", "submitted", 92.86, 0),
                    ("INT-2", None, "mystery_shop", "submitted", 0.0, 1)]  # fmt: skip
    again = import_feedback(ws, path, "mystery_shop")
    assert (again.inserted, again.unchanged, again.rejected) == (0, 2, 0)  # idempotent
    assert count(ws, "interactions") == 3


def test_mystery_shop_errors_name_row_and_column(ws, tmp_path):
    seed(ws, 1)
    path = _shop_book(tmp_path, [
        ["MS-1", None, "fax", None, "2026-10-20T10:00:00Z", "voice_example@1", "Nobody",
         "maybe", 9, "yes", None],
        [None, None, None, None, None, "nope@1", "Ann", "yes", 4, "yes", "yes"],
    ])  # fmt: skip
    report = import_feedback(ws, path, "mystery_shop")
    found = [(e.row, e.column) for e in report.errors]
    assert found == [(2, "Channel"), (2, "Agent"), (2, "Evaluator"), (2, "greet"),
                     (2, "empathy"), (2, "cvv"), (3, "Interaction"), (3, "Scorecard")]  # fmt: skip
    assert count(ws, "evaluations") == 0 and count(ws, "interactions") == 1
