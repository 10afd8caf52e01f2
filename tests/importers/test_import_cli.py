"""``qa-studio import`` and ``import-transcripts`` on the command line: JSON output, exit codes."""

from __future__ import annotations

import json
import shutil

from tests.importers.helpers import DATA, GOOD_ROWS, csv_text


def _db(tmp_path):
    return str(tmp_path / "cli.qaw")


def test_import_json_output_and_exit_codes(run_cli, tmp_path, good_csv):
    code, out, _err = run_cli("--db", _db(tmp_path), "import", str(good_csv), "--json")
    assert code == 0
    assert json.loads(out) == {
        "inserted": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "errors": [],
    }
    code, out, _ = run_cli("--db", _db(tmp_path), "import", str(good_csv), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 3


def test_refused_file_exits_1_with_row_numbered_errors(run_cli, tmp_path, write):
    path = write("bad.csv", csv_text(GOOD_ROWS[0], "B1,fax,2026-10-01T09:00:00Z,,,,,,,,,"))
    code, out, _ = run_cli("--db", _db(tmp_path), "import", str(path), "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["inserted"] == 0 and doc["rejected"] == 1
    assert doc["errors"] == [
        {
            "row": 3,
            "column": "Channel",
            "message": (
                "unknown channel 'fax' (expected voice, chat, email, social or task; or map it under "
                "values: channel: in the mapping)"
            ),
        }
    ]
    code, out, _ = run_cli("--db", _db(tmp_path), "info", "--json")
    assert json.loads(out)["counts"]["interactions"] == 0


def test_text_output_lists_problems(run_cli, tmp_path, write):
    path = write("bad.csv", csv_text("B1,voice,not a date,,,,,,,,,"))
    code, out, _ = run_cli("--db", _db(tmp_path), "import", str(path))
    assert code == 1
    assert "row 2, column Start Time: unparseable date 'not a date'" in out
    assert "nothing was written" in out


def test_skip_invalid_and_dry_run_flags(run_cli, tmp_path, write):
    path = write("mixed.csv", csv_text(GOOD_ROWS[0], "B1,fax,2026-10-01T09:00:00Z,,,,,,,,,"))
    code, out, _ = run_cli("--db", _db(tmp_path), "import", str(path), "--dry-run", "--json")
    assert code == 1 and json.loads(out)["inserted"] == 1
    assert not (tmp_path / "mixed.rejects.csv").exists()
    code, out, _ = run_cli("--db", _db(tmp_path), "import", str(path), "--skip-invalid")
    assert code == 1  # something was rejected, even though the valid row was stored
    assert "imported 1 new" in out and "mixed.rejects.csv" in out
    assert (tmp_path / "mixed.rejects.csv").is_file()


def test_format_and_mapping_options(run_cli, tmp_path):
    code, out, _ = run_cli(
        "--db",
        _db(tmp_path),
        "import",
        str(DATA / "calls_uk.csv"),
        "--format",
        "csv",
        "--mapping",
        str(DATA / "dialler_mapping.yaml"),
        "--json",
    )
    assert code == 0 and json.loads(out)["inserted"] == 4
    code, out, _ = run_cli(
        "--db",
        _db(tmp_path),
        "import",
        str(DATA / "connect_ctr.jsonl"),
        "--format",
        "connect",
        "--json",
    )
    assert code == 0 and json.loads(out)["inserted"] == 5


def test_usage_errors_exit_2_and_bad_mapping_exits_1(run_cli, tmp_path, good_csv, write):
    code, out, _ = run_cli(
        "--db", _db(tmp_path), "import", str(good_csv), "--format", "pdf", "--json"
    )
    assert code == 2 and "error" in json.loads(out)
    mapping = write("m.yaml", "columns:\n  colour: Colour\n")
    code, out, _ = run_cli(
        "--db", _db(tmp_path), "import", str(good_csv), "--mapping", str(mapping), "--json"
    )
    assert code == 1
    assert json.loads(out)["error"]["message"].endswith("columns: unknown field 'colour'")
    code, out, _ = run_cli("--db", _db(tmp_path), "import", str(tmp_path / "missing.csv"), "--json")
    assert code == 1 and "does not exist" in json.loads(out)["error"]["message"]


def test_import_transcripts_command(run_cli, tmp_path, good_csv):
    folder = tmp_path / "tr"
    folder.mkdir()
    shutil.copy(DATA / "transcripts" / "T-1004.srt", folder / "C1.srt")
    shutil.copy(DATA / "transcripts" / "T-1004.srt", folder / "unknown.srt")
    run_cli("--db", _db(tmp_path), "import", str(good_csv))
    code, out, _ = run_cli("--db", _db(tmp_path), "import-transcripts", str(folder), "--json")
    doc = json.loads(out)
    assert code == 1  # one file matched nothing
    assert [(m["external_id"], m["status"], m["turns"]) for m in doc["matched"]] == [
        ("C1", "inserted", 3)
    ]
    assert doc["unmatched"][0]["file"].endswith("unknown.srt")
    (folder / "unknown.srt").unlink()
    code, out, _ = run_cli("--db", _db(tmp_path), "import-transcripts", str(folder))
    assert code == 0 and "1 transcript(s) matched (0 stored or changed)" in out
    code, out, _ = run_cli(
        "--db", _db(tmp_path), "import-transcripts", str(tmp_path / "nope"), "--json"
    )
    assert code == 1 and "is not a folder" in json.loads(out)["error"]["message"]
