"""Coaching packs read back with openpyxl: every figure checked against the database."""

from __future__ import annotations

import math
import statistics
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from scipy import stats

from qa_studio.domain.scoring import score
from qa_studio.export.coaching_pack import SHEETS
from qa_studio.export.pack_index import INDEX_NAME
from qa_studio.storage.repository.evaluation_records import stored_answers
from tests.export import pack_data as data

#: London months of 2026 as UTC bounds (BST from 29 March to 25 October).
MONTHS = {
    "05": ("2026-04-30T23:00:00Z", "2026-05-31T23:00:00Z"),
    "06": ("2026-05-31T23:00:00Z", "2026-06-30T23:00:00Z"),
    "07": ("2026-06-30T23:00:00Z", "2026-07-31T23:00:00Z"),
    "08": ("2026-07-31T23:00:00Z", "2026-08-31T23:00:00Z"),
    "09": data.SEPTEMBER,
    "10": data.OCTOBER,
}


def _file(files, agent: str):
    found = [f for f in files if f"_{agent}_" in f.name]
    assert len(found) == 1, files
    return found[0]


def _book(october_packs, agent: str = "A1"):
    return load_workbook(_file(october_packs[1], agent))


def _row(ws, label: str, column: int = 1) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == label:
            return row
    raise AssertionError(f"no row labelled {label!r} in {ws.title}")


def _targets(pws) -> dict[int, float]:
    return {r[0]: {"voice_example": 85.0, "chat_example": 80.0}[r[1]] for r in pws.db.execute(
        "SELECT v.id, s.key FROM scorecard_versions v JOIN scorecards s ON s.id = v.scorecard_id")}  # fmt: skip


def _figures(rows, targets):
    scored = [r[1] for r in rows if r[1] is not None]
    mean = statistics.fmean(scored)
    sd = statistics.stdev(scored)
    passed = sum(1 for r in rows if r[1] is not None and r[1] >= targets[r[3]])
    target = statistics.fmean(targets[r[3]] for r in rows)
    return mean, sd, passed / len(scored), target


def test_every_agent_gets_every_sheet(october_packs):
    out, files = october_packs
    assert sorted(f.name for f in files) == [
        "coaching_2026-10_A1_Alex-Able.xlsx",
        "coaching_2026-10_A2_Sam-Stone.xlsx",
        "coaching_2026-10_A3_Cam-Cole.xlsx",
    ]
    for f in files:
        assert load_workbook(f).sheetnames == list(SHEETS)
    assert (out / INDEX_NAME).exists()


def test_summary_figures_equal_the_database(october_packs, pws):
    targets = _targets(pws)
    october = data.counted(pws, data.OCTOBER)
    mine = [r for r in october if r[5] == "A1"]
    team = [r for r in october if r[6] == "Blue"]
    # 6 planned + the disputed one + the calibration session that counts; not the draft or the
    # calibration session that does not.
    assert len(mine) == 8
    mean, sd, pass_rate, target = _figures(mine, targets)
    team_mean, _sd, team_pass, _t = _figures(team, targets)
    previous = statistics.fmean(r[1] for r in data.counted(pws, data.SEPTEMBER) if r[5] == "A1")
    half = stats.t.ppf(0.975, len(mine) - 1) * sd / math.sqrt(len(mine))
    ids = [r[0] for r in mine]
    critical = pws.db.execute(
        f"SELECT count(DISTINCT evaluation_id) FROM answers WHERE question_key = 'idv' "
        f"AND failed = 1 AND evaluation_id IN ({','.join('?' * len(ids))})", ids
    ).fetchone()[0]  # fmt: skip

    ws = _book(october_packs)["Summary"]

    def figure(label: str, column: int = 2):
        return ws.cell(row=_row(ws, label), column=column).value

    assert figure("Evaluations") == 8
    assert figure("Evaluations", 3) == len(team)
    assert figure("Mean score (%)") == pytest.approx(mean)
    assert figure("Mean score (%)", 3) == pytest.approx(team_mean)
    assert figure("Mean score (%)", 4) == pytest.approx(target) == pytest.approx(83.75)
    assert figure("95 % interval, low (%)") == pytest.approx(max(0.0, mean - half))
    assert figure("95 % interval, high (%)") == pytest.approx(min(100.0, mean + half))
    assert figure("Pass rate (at or above target)") == pytest.approx(pass_rate)
    assert figure("Pass rate (at or above target)", 3) == pytest.approx(team_pass)
    assert figure("Evaluations with a fatal fail") == sum(r[2] for r in mine) == 1
    assert figure("Evaluations with a critical fail") == critical == 1
    assert figure("Mean score, previous period (%)") == pytest.approx(previous)
    assert figure("Change since last period (points)") == pytest.approx(mean - previous)
    assert ws["A1"].value == "Coaching pack: Alex Able"
    note = ws["A3"].value
    assert note.startswith("Not enough evidence: n=8 gives ±")
    assert f"±{half:.1f} points" in note
    assert figure("Team leader") == "Tina Leader"


def test_kpis_equal_the_database(october_packs, pws):
    def kpi(where: str) -> tuple:
        return pws.db.execute(
            "SELECT avg(CASE WHEN i.channel = 'voice' THEN i.duration_s + i.wrap_s END), "
            "avg(i.fcr), avg(i.csat) FROM interactions i JOIN agents a ON a.id = i.agent_id "
            f"JOIN teams t ON t.id = a.team_id WHERE {where} "
            "AND i.started_at >= ? AND i.started_at < ?", list(data.OCTOBER)
        ).fetchone()  # fmt: skip

    aht, fcr, csat = kpi("a.external_id = 'A1'")
    team_aht, team_fcr, _team_csat = kpi("t.name = 'Blue'")
    ws = _book(october_packs)["Summary"]
    r = _row(ws, "Average handle time (voice, m:ss)")
    assert ws.cell(r, 2).value.total_seconds() == round(aht)
    assert ws.cell(r, 3).value.total_seconds() == round(team_aht)
    assert ws.cell(r, 4).value.total_seconds() == 360  # the stated default, 6:00
    assert ws.cell(r, 2).number_format == "[m]:ss"
    r = _row(ws, "First contact resolution")
    assert ws.cell(r, 2).value == pytest.approx(fcr)
    assert ws.cell(r, 3).value == pytest.approx(team_fcr)
    r = _row(ws, "Customer satisfaction (1–5)")
    assert ws.cell(r, 2).value == pytest.approx(csat)
    assert ws.cell(r, 4).value == pytest.approx(4.2)
    assert ws.cell(r, 5).value == ("Yes" if csat >= 4.2 else "No")


def test_questions_sheet_pass_rates_and_regulations(october_packs, pws):
    october = data.counted(pws, data.OCTOBER)
    by_agent = {a: [r[0] for r in october if r[5] == a] for a in ("A1", "A2", "A3")}
    blue = by_agent["A1"] + by_agent["A3"]

    def rate(ids, card: str, key: str) -> float | None:
        n, passed = pws.db.execute(
            "SELECT sum(an.na = 0), sum(an.na = 0 AND an.failed = 0) FROM answers an "
            "JOIN evaluations e ON e.id = an.evaluation_id "
            "JOIN scorecard_versions v ON v.id = e.scorecard_version_id "
            "JOIN scorecards s ON s.id = v.scorecard_id "
            f"WHERE s.key = ? AND an.question_key = ? AND e.id IN ({','.join('?' * len(ids))})",
            [card, key, *ids],
        ).fetchone()
        return passed / n if n else None

    ws = _book(october_packs)["Questions"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    cards = {"Voice example": "voice_example", "Chat example": "chat_example"}
    assert [(r[0], r[3]) for r in rows] == [
        ("Chat example", "tone"), ("Chat example", "spelling"), ("Voice example", "greet"),
        ("Voice example", "empathy"), ("Voice example", "idv"), ("Voice example", "cvv")]  # fmt: skip
    for r in rows:
        card, key = cards[r[0]], r[3]
        assert r[7] == pytest.approx(rate(by_agent["A1"], card, key)), key
        assert r[9] == pytest.approx(rate(blue, card, key)), key
        assert r[10] == pytest.approx(100 * (r[7] - r[9]))
    regulation = {r[3]: r[5] for r in rows}
    assert regulation["idv"] == "UK GDPR Art. 5(1)(f)"
    assert regulation["cvv"] == "PCI DSS 3.3.1"
    assert {r[3]: r[4] for r in rows}["cvv"] == "Fatal"
    tone = next(r for r in rows if r[3] == "tone")
    assert tone[6] == 1  # the N/A answer is not an answer that could fail
    formatted = {str(cf.sqref) for cf in ws.conditional_formatting}
    assert formatted == {"H2:H7", "K2:K7"}
    assert ws.freeze_panes == "A2"


def test_section_scores_follow_the_scoring_rules(october_packs, pws):
    """Section means recomputed in Python with the scoring engine equal the pack's figures."""
    cards = {v.id: v.card for v in (pack_versions(pws))}
    october = data.counted(pws, data.OCTOBER)
    sections: dict[tuple[str, str], list[float]] = {}
    for row in (r for r in october if r[5] == "A1"):
        card = cards[row[3]]
        result = score(card, stored_answers(pws, row[0], card))
        for s in card.sections:
            if result.sections[s.key].percent is not None:
                sections.setdefault((card.name, s.name), []).append(result.sections[s.key].percent)
    ws = _book(october_packs)["Summary"]
    head = _row(ws, "Section")
    found = {}
    for r in range(head + 1, head + 1 + len(sections)):
        found[ws.cell(r, 1).value] = ws.cell(r, 2).value
    expected = {f"{c}: {s}": statistics.fmean(v) for (c, s), v in sections.items()}
    assert found == pytest.approx(expected)


def pack_versions(pws):
    from qa_studio.storage.repository.scorecards import list_versions

    return list_versions(pws)


def test_charts_point_at_the_chart_data(october_packs, pws):
    ws = _book(october_packs)["Summary"]
    line, bar = ws._charts
    assert isinstance(line, LineChart) and isinstance(bar, BarChart)
    head = _row(ws, "Month")
    first, last = head + 1, head + 6
    assert [s.val.numRef.f for s in line.series] == [
        f"'Summary'!${c}${first}:${c}${last}" for c in "BCD"
    ]
    assert [s.tx.strRef.f for s in line.series] == [f"'Summary'!{c}{head}" for c in "BCD"]
    assert line.series[0].cat.numRef.f == f"'Summary'!$A${first}:$A${last}"
    labels = [ws.cell(r, 1).value for r in range(first, last + 1)]
    assert labels == ["May 2026", "Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026"]
    for r, month in zip(range(first, last + 1), MONTHS, strict=True):
        rows = pws.db.execute(data.COUNTED_SQL + " AND a.external_id = 'A1'", list(MONTHS[month]))
        scores = [x[1] for x in rows]
        expected = statistics.fmean(scores) if scores else None
        assert ws.cell(r, 2).value == pytest.approx(expected), month
    sec_head = _row(ws, "Section")
    assert [s.val.numRef.f for s in bar.series] == [
        f"'Summary'!${c}${sec_head + 1}:${c}${sec_head + 3}" for c in "BC"
    ]
    assert bar.series[0].cat.numRef.f == f"'Summary'!$A${sec_head + 1}:$A${sec_head + 3}"


def test_evidence_rows_redacted_and_never_formulas(october_packs):
    path = _file(october_packs[1], "A1")
    ws = load_workbook(path)["Evidence"]
    rows = list(ws.iter_rows(min_row=2))
    values = [[c.value for c in r] for r in rows]
    by_comment = {v[6]: (v, r) for v, r in zip(values, rows, strict=True)}
    # the overall comment that looks like a formula is text, exactly as typed
    v, cells = by_comment[data.FORMULA_COMMENT]
    assert cells[6].data_type == "s"
    assert v[4] == "Overall comment" and v[5] == "Comment"
    # the failed idv answer: replay point, redacted comment, recording resolved
    idv = next(v for v in values if v[4] == "Verified identity before discussing the account")
    assert idv[5] == "Failed"
    assert idv[7] == "01:16"
    assert data.CARD not in idv[6] and "07700" not in idv[6]
    assert (
        idv[6]
        == "Customer read out [card number removed] and called back on [phone number removed]"
    )
    assert idv[2] == "INT-002" and idv[1] == "voice"
    assert idv[8].endswith("test.media/INT-002.wav") and idv[8].startswith("/")
    # a general note past the hour keeps h:mm:ss; a note starting with "-" stays text
    general = next(v for v in values if v[4] == "General note")
    assert general[7] == "1:02:05"
    nice = by_comment["-nice-"]
    assert nice[1][6].data_type == "s" and nice[0][5] == "Passed"
    # every failed answer of A1 in October is there (idv, empathy, cvv, spelling)
    failed = sorted(v[4] for v in values if v[5] == "Failed")
    assert failed == sorted([
        "Verified identity before discussing the account", "Acknowledged the customer's situation",
        "Did not take or repeat the card security code", "Correct spelling and grammar"])  # fmt: skip
    assert [v[0].date().isoformat() for v in values] == sorted(
        v[0].date().isoformat() for v in values
    )
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == len(SHEETS)
        for name in sheets:
            xml = z.read(name)
            assert b"<f>" not in xml and data.CARD.encode() not in xml, name
            assert b"07700 900123" not in xml, name


def test_at_sign_comment_is_text(october_packs):
    ws = _book(october_packs, "A3")["Evidence"]
    cell = next(r[6] for r in ws.iter_rows(min_row=2) if r[6].value == "@mention the greeting")
    assert cell.data_type == "s"


def test_strengths_and_development_areas_ranked(october_packs):
    wb = _book(october_packs)
    dev = list(wb["Development areas"].iter_rows(min_row=2, values_only=True))
    gaps = [r[7] for r in dev]
    assert gaps == sorted(gaps)
    assert [r[0] for r in dev] == list(range(1, len(dev) + 1))
    strong = list(wb["Strengths"].iter_rows(min_row=2, values_only=True))
    assert all(r[7] > 0 for r in strong)
    assert [r[7] for r in strong] == sorted((r[7] for r in strong), reverse=True)
    assert not {r[3] for r in dev} & {r[3] for r in strong}


def test_goals_prefilled_editable_with_date_validation(october_packs):
    wb = _book(october_packs)
    ws = wb["Goals"]
    dev = list(wb["Development areas"].iter_rows(min_row=2, max_row=4, values_only=True))
    heads = [c.value for c in ws[1]]
    assert heads[1:6] == ["Specific", "Measurable", "Achievable", "Relevant", "Time-bound"]
    suggested = [ws.cell(r, 2).value for r in range(2, 2 + len(dev))]
    assert [s.split(" (")[0] for s in suggested] == [d[3] for d in dev]
    assert ws["I2"].value.date().isoformat() == "2026-11-30"
    assert ws["H2"].value <= 100
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert len(dates) == 1 and str(dates[0].sqref) == "I2:I9"
    assert ws.protection.sheet is True
    assert ws["B2"].protection.locked is False and ws["I9"].protection.locked is False
    assert ws["B1"].protection.locked is True
    sign = wb["Sign-off"]
    assert [str(dv.sqref) for dv in sign.data_validations.dataValidation] == ["D5:D6"]
    assert sign["B5"].value == "Alex Able" and sign["B6"].value == "Tina Leader"


def test_print_ready_and_named_styles(october_packs):
    wb = _book(october_packs)
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        assert ws.page_setup.orientation == ("portrait" if ws.title == "Sign-off" else "landscape")
        assert ws.freeze_panes is not None
        assert "Page &P of &N" in ws.oddFooter.right.text
    for name in ("Questions", "Evidence", "Goals"):
        assert wb[name].print_title_rows == "$1:$1"
    names = set(wb.named_styles)
    assert {"QA Title", "QA Header", "QA Text", "QA Number", "QA Percent", "QA Date",
            "QA Note"} <= names  # fmt: skip
    assert wb["Summary"]["A1"].style == "QA Title"
    assert wb["Summary"]["A3"].style == "QA Note"
    assert wb["Questions"]["A1"].style == "QA Header"
    assert wb["Questions"]["H2"].style == "QA Percent"
    assert wb["Evidence"]["A2"].style == "QA Date"
    assert wb["Evidence"].column_dimensions["G"].width == 46
