"""``qa-studio stats agreement FILE.csv``: output shape, missing values, text categories and
refusals that name the file, row (header = row 1) and column."""

from __future__ import annotations

import json

import pytest

from tests.domain.agreement_data import FLEISS_1971, KRIPPENDORFF_2011, SHROUT_FLEISS

STAT_KEYS = {"value", "ci95", "reason", "n", "note"}
TOP_KEYS = {
    "level",
    "n_units",
    "n_raters",
    "percent_agreement",
    "krippendorff_alpha",
    "fleiss_kappa",
    "cohen_kappa",
    "icc",
    "interpretation",
}


def write(tmp_path, text: str, name: str = "ratings.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def long_csv(matrix, names=None) -> str:
    lines = ["unit,rater,value"]
    for u, row in enumerate(matrix, start=1):
        for r, v in enumerate(row, start=1):
            rater = names[r - 1] if names else f"r{r}"
            lines.append(f"u{u},{rater},{'' if v is None else v}")
    return "\n".join(lines) + "\n"


def run_json(run_cli, *argv):
    code, out, err = run_cli("stats", "agreement", *argv, "--json")
    return code, json.loads(out), err


def test_json_report_has_every_key_and_the_published_iccs(tmp_path, run_cli):
    path = write(tmp_path, long_csv(SHROUT_FLEISS))
    code, doc, _ = run_json(run_cli, str(path))
    assert code == 0
    assert set(doc) == TOP_KEYS
    assert (doc["level"], doc["n_units"], doc["n_raters"]) == ("interval", 6, 4)
    for key in ("percent_agreement", "krippendorff_alpha", "fleiss_kappa"):
        assert set(doc[key]) == STAT_KEYS
    assert set(doc["cohen_kappa"]) == {"unweighted", "linear", "quadratic"}
    assert set(doc["icc"]) == {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}
    assert [round(doc["icc"][f]["value"], 2) for f in doc["icc"]] == [
        0.17,
        0.29,
        0.71,
        0.44,
        0.62,
        0.91,
    ]
    assert len(doc["icc"]["ICC2"]["ci95"]) == 2
    assert "exactly two raters" in doc["cohen_kappa"]["unweighted"]["reason"]
    assert "n = 6 units" in doc["interpretation"]["icc"]["ICC3"]
    assert "moderate" in doc["interpretation"]["icc"]["ICC3"]


def test_missing_values_empty_or_na(tmp_path, run_cli):
    """Krippendorff's example with '*' written as an empty cell or NA: α interval 0.849."""
    matrix = [list(col) for col in zip(*KRIPPENDORFF_2011, strict=True)]
    text = long_csv(matrix)
    text = text.replace("u10,r1,\n", "u10,r1,NA\n")
    assert "NA" in text
    path = write(tmp_path, text)
    code, doc, _ = run_json(run_cli, str(path))
    assert code == 0 and doc["n_units"] == 12 and doc["n_raters"] == 4
    assert f"{doc['krippendorff_alpha']['value']:.3f}" == "0.849"
    assert "every rater to rate every unit" in doc["icc"]["ICC1"]["reason"]
    code, doc, _ = run_json(run_cli, str(path), "--level", "ratio")
    assert f"{doc['krippendorff_alpha']['value']:.3f}" == "0.797"


def test_text_categories_at_nominal_level_with_bom(tmp_path, run_cli):
    """Fleiss (1971) diagnoses as words, the file saved by Excel as "CSV UTF-8" (with BOM)."""
    words = {
        1: "depression",
        2: "personality disorder",
        3: "schizophrenia",
        4: "neurosis",
        5: "other",
    }
    text = long_csv([[words[v] for v in row] for row in FLEISS_1971])
    path = write(tmp_path, text, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    code, doc, _ = run_json(run_cli, str(path), "--level", "nominal")
    assert code == 0
    assert f"{doc['fleiss_kappa']['value']:.3f}" == "0.430"
    assert "interval or ratio" in doc["icc"]["ICC1"]["reason"]


def test_text_output_is_a_table_with_bands_and_n(tmp_path, run_cli):
    pairs = [[1, 1], [2, 2], [3, 2], [1, 1], [2, 3], [3, 3], [1, 2], [2, 2]]
    path = write(tmp_path, long_csv(pairs, names=["Ann", "Bob"]))
    code, out, _ = run_cli("stats", "agreement", str(path), "--level", "ordinal")
    assert code == 0
    assert out.startswith("ratings.csv: 8 units, 2 raters, ordinal level")
    lines = out.splitlines()
    assert any(
        line.startswith("Cohen's kappa, quadratic") and "(Landis & Koch 1977)" in line
        for line in lines
    )
    assert any(
        line.startswith("Krippendorff's alpha") and "Krippendorff 2004" in line for line in lines
    )
    assert any(line.startswith("ICC2") and "not available" in line for line in lines)
    assert "n = units the value rests on" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "unit,rater,value\nc1,Ann,3\nc1,Bob,good\n",
            "row 3, column value: 'good' is not a number",
        ),
        (
            "unit,rater,value\nc1,Ann,3\nc1,Bob,4\nc2,Ann,2\nc1,Ann,5\n",
            "row 5, column value: unit 'c1', rater 'Ann' already has 3 on row 2",
        ),
        ("unit,rater,value\nc1,,3\n", "row 2, column rater: empty"),
        ("unit,value\nc1,3\n", "row 1: missing column rater"),
        ("", "the file is empty"),
        ("unit,rater,value\n", "no data rows below the header"),
    ],
)
def test_bad_files_are_refused_with_file_row_and_column(tmp_path, run_cli, text, expected):
    path = write(tmp_path, text)
    code, doc, _ = run_json(run_cli, str(path))
    assert code == 1
    assert str(path) in doc["error"]["message"]
    assert expected in doc["error"]["message"]


def test_every_problem_is_listed_and_text_mode_goes_to_stderr(tmp_path, run_cli):
    path = write(tmp_path, "unit,rater,value\nc1,Ann,x\nc1,Bob,2\n,Cy,3\nc2,Ann,-1\n")
    code, doc, _ = run_json(run_cli, str(path), "--level", "ratio")
    assert code == 1
    details = doc["error"]["details"]
    assert len(details) == 3 and doc["error"]["message"].startswith("3 problems in")
    assert "row 2, column value" in details[0]
    assert "row 4, column unit" in details[1]
    assert "row 5, column value: '-1' is negative" in details[2]
    code, out, err = run_cli("stats", "agreement", str(path))
    assert code == 1 and out == "" and "row 2, column value" in err


def test_a_repeated_identical_row_is_accepted(tmp_path, run_cli):
    path = write(tmp_path, "unit,rater,value\nc1,Ann,3\nc1,Ann,3.0\nc1,Bob,3\nc2,Ann,1\nc2,Bob,2\n")
    code, doc, _ = run_json(run_cli, str(path))
    assert code == 0 and doc["n_units"] == 2 and doc["percent_agreement"]["value"] == 0.5


def test_not_utf8_missing_file_and_bad_level(tmp_path, run_cli):
    path = write(tmp_path, "unit,rater,value\nc1,Zoë,3\n", encoding="latin-1")
    code, doc, _ = run_json(run_cli, str(path))
    assert code == 1 and "row 2: not UTF-8" in doc["error"]["message"]
    code, doc, _ = run_json(run_cli, str(tmp_path / "absent.csv"))
    assert code == 1 and "no such file" in doc["error"]["message"]
    code, doc, _ = run_json(run_cli, str(path), "--level", "cardinal")
    assert code == 2 and "invalid choice" in doc["error"]["message"]
    code, _, err = run_cli("stats")
    assert code == 2 and "STATS_COMMAND" in err
