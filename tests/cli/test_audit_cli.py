"""``audit verify`` / ``audit head``: exit 0 when intact, 1 naming the first bad row."""

from __future__ import annotations

import json

import pytest

from tests.storage.eval_helpers import WORKED_EXAMPLE


@pytest.fixture
def db(tmp_path, run_cli):
    """A workspace with a few audited writes made through the CLI."""
    path = tmp_path / "audit.qaw"
    card = tmp_path / "voice.yaml"
    card.write_text(WORKED_EXAMPLE, encoding="utf-8")
    for argv in (
        ["evaluators", "add", "Ann"],
        ["evaluators", "add", "Lee", "--role", "qa_lead"],
        ["scorecard", "publish", str(card), "--note", "First version"],
    ):
        code, out, _ = run_cli("--db", str(path), *argv, "--json")
        assert code == 0, out
    return path


def _verify(run_cli, db, *extra):
    code, out, _ = run_cli("--db", str(db), "audit", "verify", *extra, "--json")
    return code, json.loads(out)


def _sql(db, statement):
    import sqlite3

    conn = sqlite3.connect(db)
    with conn:
        conn.execute(statement)
    conn.close()


def test_intact_trail_exits_0_with_its_head(run_cli, db):
    code, doc = _verify(run_cli, db)
    assert code == 0 and doc["ok"] is True and doc["first_bad"] is None
    assert doc["rows"] == 3 and doc["chains"] == 1
    code, out, _ = run_cli("--db", str(db), "audit", "head", "--json")
    head = json.loads(out)
    assert code == 0 and head == doc["head"] and head["seq"] == 3 and len(head["hash"]) == 64
    code, doc = _verify(run_cli, db, "--expect-head", head["hash"])
    assert code == 0 and doc["ok"]


def test_edited_row_exits_1_naming_it(run_cli, db):
    _sql(db, "UPDATE audit_log SET actor = 'Mallory' WHERE seq = 2")
    code, doc = _verify(run_cli, db)
    assert code == 1 and doc["ok"] is False
    assert doc["first_bad"]["seq"] == 2 and doc["first_bad"]["problem"] == "row was edited"
    assert "seq 2" in doc["message"]


def test_edited_payload_exits_1(run_cli, db):
    _sql(db, 'UPDATE audit_log SET payload = \'{"name":"Eve"}\' WHERE seq = 1')
    code, doc = _verify(run_cli, db)
    assert code == 1 and doc["first_bad"]["seq"] == 1
    assert doc["first_bad"]["problem"] == "payload was edited"


def test_deleted_row_exits_1(run_cli, db):
    _sql(db, "DELETE FROM audit_log WHERE seq = 2")
    code, doc = _verify(run_cli, db)
    assert code == 1 and doc["first_bad"]["seq"] == 3
    assert "missing" in doc["first_bad"]["problem"]


def test_truncation_is_caught_with_the_expected_head(run_cli, db):
    _, out, _ = run_cli("--db", str(db), "audit", "head", "--json")
    noted = json.loads(out)["hash"]
    _sql(db, "DELETE FROM audit_log WHERE seq = 3")
    code, doc = _verify(run_cli, db)
    assert code == 0  # what is left is a consistent chain on its own …
    code, doc = _verify(run_cli, db, "--expect-head", noted)
    assert code == 1 and not doc["ok"]  # … but the head noted earlier is gone
    assert "truncated" in doc["message"]


def test_text_output_names_the_bad_row(run_cli, db):
    _sql(db, "UPDATE audit_log SET action = 'scorecard.delete' WHERE seq = 3")
    code, out, _ = run_cli("--db", str(db), "audit", "verify")
    assert code == 1 and out.startswith("TAMPERED: audit row seq 3")
    assert "audit_log id 3" in out


def test_missing_workspace_is_not_created(tmp_path, run_cli):
    path = tmp_path / "nope.qaw"
    code, out, _ = run_cli("--db", str(path), "audit", "verify", "--json")
    assert code == 3 and "does not exist" in json.loads(out)["error"]["message"]
    assert not path.exists()
