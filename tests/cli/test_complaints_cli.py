"""``complaints``, ``rca``, ``breaches`` and ``import-feedback`` on the command line."""

from __future__ import annotations

import json

from PySide6.QtGui import QImage

from qa_studio.domain.rca import CauseDraft, RcaDraft
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import rca
from tests.storage.eval_helpers import seed


def _workspace(tmp_path):
    path = tmp_path / "w.qaw"
    ws = open_workspace(path)
    seed(ws, 2)
    ws.close()
    return str(path)


def test_add_then_overdue_json(run_cli, tmp_path):
    db = _workspace(tmp_path)
    code, out, _ = run_cli("--db", db, "complaints", "add", "--category", "Fees",
                           "--classification", "formal", "--reason", "asked to complain",
                           "--received", "2026-12-24T10:00:00Z", "--interaction", "INT-1",
                           "--vulnerable", "bereavement", "--json")  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert (doc["summary_due"], doc["final_due"], doc["interaction"]) == (
        "2026-12-31",
        "2027-02-18",
        "INT-1",
    )
    assert doc["vulnerable"] and doc["vulnerability_need"] == "bereavement"
    code, out, _ = run_cli("--db", db, "complaints", "overdue", "--today", "2027-02-19", "--json")
    assert code == 0
    overdue = json.loads(out)
    assert overdue["count"] == 1 and overdue["complaints"][0]["due_state"] == "overdue"
    assert overdue["complaints"][0]["days_left"] == -1
    code, out, _ = run_cli("--db", db, "complaints", "overdue", "--today", "2027-02-18", "--json")
    assert json.loads(out)["count"] == 0
    code, out, _ = run_cli("--db", db, "complaints", "show", str(doc["id"]))
    assert code == 0 and "created: formal complaint logged: Fees" in out


def test_add_refused_and_bad_usage(run_cli, tmp_path):
    db = _workspace(tmp_path)
    code, out, _ = run_cli("--db", db, "complaints", "add", "--category", "Fees",
                           "--classification", "formal", "--reason", "r", "--regime", "nope",
                           "--json")  # fmt: skip
    assert code == 1 and "regime" in json.loads(out)["error"]["details"][0]
    code, out, _ = run_cli("--db", db, "complaints", "overdue", "--today", "soon", "--json")
    assert code == 2 and "--today" in json.loads(out)["error"]["message"]


def test_rca_show_writes_the_fishbone_png(run_cli, tmp_path):
    db = _workspace(tmp_path)
    ws = open_workspace(db)
    rid = rca.start_rca(ws, "complaint_category", "Fees", "Fee complaints")
    rca.save_rca(
        ws,
        rid,
        RcaDraft(
            "Fee complaints",
            whys=("not explained",),
            causes=(CauseDraft("Policy", "Fee change not briefed", 3),),
        ),
    )
    ws.close()
    png = tmp_path / "fish.png"
    code, out, _ = run_cli("--db", db, "rca", "show", str(rid), "--png", str(png), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["whys"] == ["not explained"] and doc["pareto"][0]["share"] == 100.0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1400, 760)
    code, out, _ = run_cli("--db", db, "rca", "list")
    assert f"rca {rid} [open] complaint_category:Fees" in out


def test_breaches_sync_and_import_feedback(run_cli, tmp_path):
    db = _workspace(tmp_path)
    survey = tmp_path / "s.csv"
    survey.write_text("Interaction,Score\nINT-1,4\nINT-7,2\n", encoding="utf-8")
    code, out, _ = run_cli("--db", db, "import-feedback", str(survey), "--kind", "survey",
                           "--json")  # fmt: skip
    doc = json.loads(out)
    assert code == 1 and doc["errors"] == [
        {"row": 3, "column": "Interaction", "message": "no interaction 'INT-7' is stored"}
    ]
    code, out, _ = run_cli("--db", db, "import-feedback", str(survey), "--kind", "survey",
                           "--skip-invalid", "--json")  # fmt: skip
    assert code == 1 and json.loads(out)["inserted"] == 1
    assert (tmp_path / "s.rejects.csv").is_file()
    code, out, _ = run_cli("--db", db, "breaches", "list", "--sync", "--json")
    assert code == 0 and json.loads(out) == {"breaches": [], "opened": []}


def test_breach_opened_at_submit_then_decided(run_cli, tmp_path):
    from qa_studio.storage.repository import evaluations
    from tests.storage.eval_helpers import GOOD

    path = tmp_path / "w.qaw"
    ws = open_workspace(path)
    data = seed(ws, 1)
    ev = evaluations.start(ws, data["interactions"][0], data["v1"].id, "Ann")
    evaluations.save_answers(ws, ev.id, {**GOOD, "cvv": "no"})
    evaluations.submit(ws, ev.id)
    ws.close()
    code, out, _ = run_cli("--db", str(path), "breaches", "list", "--status", "open", "--json")
    [b] = json.loads(out)["breaches"]
    assert code == 0 and (b["kind"], b["question_key"]) == ("pci", "cvv")
    code, out, _ = run_cli("--db", str(path), "breaches", "decide", str(b["id"]), "--reported",
                           "--notes", "ICO ref 1", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["status"] == "reported"
    code, out, _ = run_cli("--db", str(path), "breaches", "decide", str(b["id"]),
                           "--not-reportable", "--notes", "again", "--json")  # fmt: skip
    assert code == 1 and "already decided" in json.loads(out)["error"]["message"]
