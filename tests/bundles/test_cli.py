"""``qa-studio bundle …``: JSON shapes and exit codes."""

from __future__ import annotations

import json

import pytest

from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import audit, evaluations
from qa_studio.storage.repository.interactions import interaction_id
from tests.bundles.helpers import build_lead, read_members, score_all, write_members


@pytest.fixture
def lead_path(tmp_path):
    build_lead(tmp_path / "lead.qaw").close()
    return tmp_path / "lead.qaw"


def _json(out: str) -> dict:
    return json.loads(out)


def test_export_import_score_and_return_from_the_command_line(tmp_path, lead_path, run_cli):
    bundle = tmp_path / "ann.qab"
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "export", "--evaluator", "Ann",
                              "--out", str(bundle), "--json")  # fmt: skip
    doc = _json(out)
    assert code == 0 and doc["kind"] == "assignment" and doc["media_files"] == 2
    assert set(doc) >= {"path", "bundle_uuid", "manifest_sha256", "counts", "audit_head"}

    laptop = tmp_path / "laptop" / "ann.qaw"
    code, out, _err = run_cli("--db", str(laptop), "bundle", "import", str(bundle), "--json")
    doc = _json(out)
    assert code == 0 and doc["kind"] == "assignment"
    assert set(doc) >= {"inserted", "updated", "skipped", "conflicts", "media", "drafts_started"}
    assert doc["inserted"]["sample_items"] == 2 and doc["drafts_started"] == 2

    ws = open_workspace(laptop)
    score_all(ws, "Ann")
    ws.close()
    results = tmp_path / "results.qab"
    code, out, _err = run_cli("--db", str(laptop), "bundle", "export-results", "--out",
                              str(results), "--json")  # fmt: skip
    assert code == 0 and _json(out)["counts"]["evaluations"] == 2

    code, out, _err = run_cli("--db", str(lead_path), "bundle", "import", str(results),
                              "--dry-run", "--json")  # fmt: skip
    doc = _json(out)
    assert code == 0 and doc["dry_run"] and doc["inserted"]["evaluations"] == 2
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "import", str(results),
                              "--kind", "results", "--json")  # fmt: skip
    doc = _json(out)
    assert code == 0 and not doc["dry_run"] and doc["inserted"]["evaluations"] == 2
    assert doc["conflicts"] == [] and doc["skipped"]["interactions"] == 2
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "import", str(results), "--json")
    assert code == 0 and _json(out)["already_imported"] and _json(out)["inserted"] == {}

    code, out, _err = run_cli("--db", str(lead_path), "bundle", "inspect", str(results), "--json")
    doc = _json(out)
    assert code == 0 and doc["kind"] == "results" and doc["counts"]["evaluations"] == 2


def test_refusals_exit_1_and_leave_no_new_workspace(tmp_path, lead_path, run_cli):
    bundle = tmp_path / "ann.qab"
    run_cli("--db", str(lead_path), "bundle", "export", "--evaluator", "Ann", "--out", str(bundle))
    cut = tmp_path / "cut.qab"
    cut.write_bytes(bundle.read_bytes()[:300])
    new = tmp_path / "new" / "ann.qaw"
    code, out, _err = run_cli("--db", str(new), "bundle", "import", str(cut), "--json")
    assert code == 1 and "truncated" in _json(out)["error"]["message"]
    assert not new.exists()

    code, out, _err = run_cli("--db", str(new), "bundle", "import", str(bundle), "--kind",
                              "results", "--json")  # fmt: skip
    assert code == 1 and "results bundle was expected" in _json(out)["error"]["message"]
    assert not new.exists()

    members = read_members(bundle)
    members["records/evaluators.json"] = b'[{"uuid": "x", "name": "Ann", "salary": 1}]'
    forged = write_members(tmp_path / "forged.qab", members)
    code, out, _err = run_cli("--db", str(new), "bundle", "import", str(forged), "--json")
    assert code == 1 and "unknown fields: salary" in _json(out)["error"]["message"]
    assert not new.exists() and not new.with_name("ann.media").exists()

    code, out, _err = run_cli("--db", str(new), "bundle", "import", str(bundle), "--dry-run",
                              "--json")  # fmt: skip
    assert code == 0 and _json(out)["inserted"]["interactions"] == 2 and not new.exists()

    code, out, _err = run_cli("--db", str(lead_path), "bundle", "export", "--evaluator", "Nobody",
                              "--out", str(tmp_path / "x.qab"), "--json")  # fmt: skip
    assert code == 1 and "unknown evaluator 'Nobody'" in _json(out)["error"]["message"]


def test_usage_errors_exit_2(tmp_path, lead_path, run_cli):
    bundle = tmp_path / "ann.qab"
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "export", "--evaluator", "Ann",
                              "--out", str(bundle), "--passphrase-file",
                              str(tmp_path / "none.txt"), "--json")  # fmt: skip
    assert code == 2 and "passphrase file" in _json(out)["error"]["message"]
    assert not bundle.exists()
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "import", str(bundle),
                              "--max-size", "lots", "--json")  # fmt: skip
    assert code == 2 and "--max-size 'lots'" in _json(out)["error"]["message"]
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "resolve", "1", "--keep", "all",
                              "--json")  # fmt: skip
    assert code == 2


def test_encrypted_bundle_and_max_size_from_the_command_line(tmp_path, lead_path, run_cli):
    secret = tmp_path / "pass.txt"
    secret.write_text("s3cret\n", encoding="utf-8")
    bundle = tmp_path / "ann.qab"
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "export", "--evaluator", "Ann",
                              "--out", str(bundle), "--passphrase-file", str(secret), "--json")  # fmt: skip
    assert code == 0 and _json(out)["encrypted"]
    laptop = tmp_path / "l" / "ann.qaw"
    code, out, _err = run_cli("--db", str(laptop), "bundle", "import", str(bundle), "--json")
    assert code == 1 and "is encrypted" in _json(out)["error"]["message"]
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("secret", encoding="utf-8")
    code, out, _err = run_cli("--db", str(laptop), "bundle", "import", str(bundle),
                              "--passphrase-file", str(wrong), "--json")  # fmt: skip
    assert code == 1 and "wrong passphrase or damaged bundle" in _json(out)["error"]["message"]
    code, out, _err = run_cli("--db", str(laptop), "bundle", "import", str(bundle),
                              "--passphrase-file", str(secret), "--max-size", "1k", "--json")  # fmt: skip
    assert code == 1 and "limit of 1,024 bytes" in _json(out)["error"]["message"]
    code, out, _err = run_cli("--db", str(laptop), "bundle", "import", str(bundle),
                              "--passphrase-file", str(secret), "--json")  # fmt: skip
    assert code == 0 and _json(out)["encrypted"] and _json(out)["media"]["files"] == 2


def test_conflicts_listed_shown_and_resolved(tmp_path, lead_path, run_cli):
    run_cli("--db", str(lead_path), "bundle", "export", "--evaluator", "Ann", "--out",
            str(tmp_path / "a.qab"))  # fmt: skip
    laptop = tmp_path / "l" / "ann.qaw"
    run_cli("--db", str(laptop), "bundle", "import", str(tmp_path / "a.qab"))
    ws = open_workspace(laptop)
    score_all(ws, "Ann")
    ws.close()
    run_cli("--db", str(laptop), "bundle", "export-results", "--out", str(tmp_path / "r1.qab"))
    run_cli("--db", str(lead_path), "bundle", "import", str(tmp_path / "r1.qab"))
    for path, value in ((lead_path, 1), (laptop, 5)):
        ws = open_workspace(path)
        target = evaluations.list_for_interaction(ws, interaction_id(ws, "INT-1"))[0]
        evaluations.save_answer(ws, target.id, "empathy", value)
        ws.close()
    run_cli("--db", str(laptop), "bundle", "export-results", "--out", str(tmp_path / "r2.qab"))
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "import",
                              str(tmp_path / "r2.qab"), "--json")  # fmt: skip
    conflicts = _json(out)["conflicts"]
    assert code == 0 and len(conflicts) == 1 and conflicts[0]["kind"] == "edited_both"
    assert set(conflicts[0]["mine"]) >= {"status", "percent", "answers", "notes"}

    code, out, _err = run_cli("--db", str(lead_path), "bundle", "conflicts", "--json")
    assert code == 0 and [c["id"] for c in _json(out)["conflicts"]] == [conflicts[0]["id"]]
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "conflicts", "--id",
                              str(conflicts[0]["id"]), "--json")  # fmt: skip
    shown = _json(out)
    assert code == 0 and [q["key"] for q in shown["questions"] if q["differs"]] == ["empathy"]
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "conflicts", "--id",
                              str(conflicts[0]["id"]))  # fmt: skip
    assert code == 0 and "* empathy" in out

    code, out, _err = run_cli("--db", str(lead_path), "bundle", "resolve",
                              str(conflicts[0]["id"]), "--keep", "theirs", "--by", "Lee",
                              "--json")  # fmt: skip
    assert code == 0 and _json(out)["status"] == "took_theirs"
    code, out, _err = run_cli("--db", str(lead_path), "bundle", "resolve",
                              str(conflicts[0]["id"]), "--keep", "mine", "--json")  # fmt: skip
    assert code == 1 and "already resolved" in _json(out)["error"]["message"]
    ws = open_workspace(lead_path)
    assert audit.verify(ws.db).ok
    ws.close()
