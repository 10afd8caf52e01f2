"""``qa-studio --db FILE pack …``: files written, JSON shape, exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_studio.export.pack_index import INDEX_NAME


def test_team_pack_json_lists_files_and_index(pack_db, run_cli, tmp_path):
    code, out, err = run_cli(
        "--db", str(pack_db[0]), "pack", "--team", "Blue", "--period", "2026-10",
        "--out", str(tmp_path), "--json",
    )  # fmt: skip
    assert code == 0, out
    doc = json.loads(out)
    assert [Path(f).name for f in doc["files"]] == [
        "coaching_2026-10_A1_Alex-Able.xlsx",
        "coaching_2026-10_A3_Cam-Cole.xlsx",
    ]
    assert all(Path(f).exists() for f in doc["files"])
    assert doc["index"] == str(tmp_path / INDEX_NAME) and Path(doc["index"]).exists()
    assert "pack 2/2" in err


def test_agent_pack_from_to_prints_paths(pack_db, run_cli, tmp_path):
    code, out, _err = run_cli(
        "--db", str(pack_db[0]), "pack", "--agent", "A1", "--from", "2026-09-01",
        "--to", "2026-10-31", "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].endswith("coaching_2026-09-01_2026-10-31_A1_Alex-Able.xlsx")
    assert lines[-1] == f"index: {tmp_path / INDEX_NAME}"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--agent", "NOPE", "--period", "2026-10"], 1, "unknown agent 'NOPE'"),
        (["--team", "Green", "--period", "2026-10"], 1, "unknown team 'Green'"),
        (["--all", "--period", "2024"], 1, "no counted evaluations for the workspace in 2024"),
        (["--all", "--period", "2026-13"], 2, "month 13 is not 1–12"),
        (["--all", "--period", "Q3"], 2, "period 'Q3' is not understood"),
        (["--all", "--from", "2026-10-01"], 2, "both --from DATE and --to DATE"),
        (["--all", "--period", "2026-10", "--from", "2026-10-01", "--to", "2026-10-02"], 2,
         "not both"),
        (["--all", "--from", "2026-10-05", "--to", "2026-10-01"], 2, "is before --from"),
        (["--agent", "A1", "--team", "Blue", "--period", "2026-10"], 2, "not allowed with"),
        (["--period", "2026-10"], 2, "one of the arguments --agent --team --all is required"),
    ],
)  # fmt: skip
def test_errors_are_json_with_exit_codes(pack_db, run_cli, tmp_path, args, code, message):
    rc, out, _err = run_cli("--db", str(pack_db[0]), "pack", *args, "--out", str(tmp_path),
                            "--json")  # fmt: skip
    assert rc == code
    assert message in json.loads(out)["error"]["message"]


def test_missing_workspace_is_not_created(run_cli, tmp_path):
    missing = tmp_path / "nope.qaw"
    rc, out, _err = run_cli("--db", str(missing), "pack", "--all", "--period", "2026-10",
                            "--out", str(tmp_path / "out"), "--json")  # fmt: skip
    assert rc == 3 and "does not exist" in json.loads(out)["error"]["message"]
    assert not missing.exists()
