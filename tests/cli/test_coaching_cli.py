"""The coaching, dispute and evaluation commands: JSON shapes, text output, exit codes."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from qa_studio.storage.db import open_workspace
from tests.storage import coaching_data


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "coach.qaw"
    ws = open_workspace(path)
    ws.actor = "Test"
    try:
        ids = coaching_data.build(ws)
    finally:
        ws.close()
    return str(path), ids


def ok(run_cli, *argv) -> dict:
    code, out, err = run_cli(*argv, "--json")
    assert code == 0, (out, err)
    return json.loads(out)


def test_record_followup_and_review_a_one_to_one(run_cli, db, tmp_path):
    path, ids = db
    goals = tmp_path / "goals.json"
    goals.write_text(
        json.dumps([{"text": "Lift CSAT", "metric": "csat", "target": 4, "due_on": "2026-07-15"}])
    )
    s = ok(
        run_cli,
        "--db",
        path,
        "coaching",
        "record",
        "--agent",
        "A1",
        "--leader",
        "Tara",
        "--date",
        "2026-06-15",
        "--notes",
        "Greeting",
        "--evaluations",
        f"{ids['before'][0]},{ids['before'][1]}",
        "--goal",
        "greet;80;2026-07-15;Greet every caller by name",
        "--goals",
        str(goals),
    )
    assert s["kind"] == "one_to_one" and s["agent"] == "A1" and s["leader"] == "Tara"
    assert s["evaluation_ids"] == ids["before"][:2] and s["follow_up_due"] == "2026-07-15"
    assert [(g["metric"], g["target"], g["question_keys"]) for g in s["goals"]] == [
        ("pass_rate", 80.0, ["greet"]),
        ("csat", 4.0, []),
    ]

    f = ok(run_cli, "--db", path, "coaching", "followup", "--agent", "A1", "--as-of", "2026-08-01")
    assert set(f) == {"window_days", "min_n", "as_of", "goals", "overdue"}
    greet = f["goals"][0]
    assert set(greet) >= {
        "session",
        "goal",
        "agents",
        "windows",
        "before",
        "after",
        "difference",
        "verdict",
        "verdict_text",
        "target",
        "target_met",
    }
    assert (greet["before"]["n"], greet["before"]["mean"]) == (10, 40.0)
    assert (greet["after"]["n"], greet["after"]["mean"]) == (10, 90.0)
    assert greet["difference"]["estimate"] == 50.0 and greet["target_met"] is True
    assert f["goals"][1]["difference"]["method"] == "welch"
    assert [o["session"] for o in f["overdue"]] == [s["id"]]  # due 15 July, nothing recorded
    assert f["overdue"][0]["days_overdue"] == 17

    code, text, _ = run_cli(
        "--db", path, "coaching", "followup", "--session", str(s["id"]), "--as-of", "2026-08-01"
    )
    assert code == 0 and "before 40.0 (n=10), after 90.0 (n=10), diff +50.0" in text
    assert "improved; target met" in text and "OVERDUE by 17 day(s)" in text

    goal_ids = [g["id"] for g in s["goals"]]
    r = ok(
        run_cli,
        "--db",
        path,
        "coaching",
        "review",
        str(s["id"]),
        "--by",
        "Tara",
        "--met",
        str(goal_ids[0]),
        "--not-met",
        str(goal_ids[1]),
        "--at",
        "2026-07-20",
    )
    assert [g["status"] for g in r["goals"]] == ["met", "not_met"]
    assert r["followed_up_by"] == "Tara"
    listed = ok(run_cli, "--db", path, "coaching", "list", "--team", "Blue")
    assert [x["id"] for x in listed["sessions"]] == [s["id"]]


def test_record_a_team_briefing(run_cli, db):
    path, _ids = db
    s = ok(
        run_cli,
        "--db",
        path,
        "coaching",
        "record",
        "--team",
        "Blue",
        "--leader",
        "Tara",
        "--date",
        "2026-06-15T08:30:00Z",
        "--topic",
        "Greeting standard",
        "--questions",
        "greet",
        "--attendees",
        "A1",
        "--goal",
        "greet;90;2026-07-31;Team greets by name",
    )
    assert (s["kind"], s["team"], s["topic"], s["attendees"]) == (
        "team_briefing",
        "Blue",
        "Greeting standard",
        ["A1"],
    )
    assert s["held_at"] == "2026-06-15T08:30:00Z"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--agent", "A1", "--goal", "greet;eighty;2026-07-01;x"], 2, "target 'eighty'"),
        (["--agent", "A1", "--goal", "greet;80"], 2, "write KEYS|KPI;TARGET;DUE;TEXT"),
        (["--agent", "A1", "--topic", "x"], 2, "--topic is for a team briefing"),
        (["--team", "Blue", "--evaluations", "1"], 2, "--evaluations is for a one-to-one"),
        (["--agent", "A1", "--evaluations", "one"], 2, "--evaluations must be ids"),
        (["--agent", "A9"], 1, "unknown agent 'A9'"),
        (["--agent", "A1", "--goal", "smile;80;2026-07-01;x"], 1, "no published scorecard"),
        (["--team", "Blue", "--topic", "Gap"], 1, "names the scorecard questions"),
    ],
)
def test_record_errors_are_json_with_exit_codes(run_cli, db, argv, code, message):
    path, _ids = db
    got, out, _ = run_cli(
        "--db",
        path,
        "coaching",
        "record",
        "--leader",
        "Tara",
        "--date",
        "2026-06-15",
        *argv,
        "--json",
    )
    assert got == code
    assert message in json.loads(out)["error"]["message"]


def test_goals_file_errors_name_the_file_and_field(run_cli, db, tmp_path):
    path, _ids = db
    bad = tmp_path / "goals.json"
    bad.write_text(
        json.dumps([{"text": "x", "metric": "csat", "target": "high", "due_on": "2026-07-01"}])
    )
    code, out, _ = run_cli(
        "--db",
        path,
        "coaching",
        "record",
        "--agent",
        "A1",
        "--leader",
        "Tara",
        "--date",
        "2026-06-15",
        "--goals",
        str(bad),
        "--json",
    )
    assert code == 1
    assert json.loads(out)["error"]["message"] == (
        f"{bad}: goals[0].target: expected a number, got 'high'."
    )


def test_recognition_json(run_cli, db):
    path, _ids = db
    doc = ok(
        run_cli,
        "--db",
        path,
        "coaching",
        "recognition",
        "--from",
        "2026-06-16",
        "--to",
        "2026-07-31",
    )
    assert doc["period"] == "2026-06-16_2026-07-31" and doc["min_n"] == 5
    assert [r["agent"] for r in doc["recognised"]] == ["A1"]
    assert set(doc["recognised"][0]) == {
        "agent",
        "name",
        "team",
        "n",
        "mean",
        "ci_low",
        "ci_high",
        "target",
    }
    code, out, _ = run_cli("--db", path, "coaching", "recognition", "--json")
    assert code == 2 and "give --period" in json.loads(out)["error"]["message"]


def test_dispute_flow_from_the_command_line(run_cli, db):
    path, ids = db
    eid = ids["before"][0]
    d = ok(
        run_cli,
        "--db",
        path,
        "dispute",
        "raise",
        str(eid),
        "--question",
        "greet",
        "--agent",
        "Alex Agent",
        "--reason",
        "I greeted",
        "--entered-by",
        "Tara",
    )
    assert (d["status"], d["evaluation_status"], d["entered_by"]) == ("open", "disputed", "Tara")
    code, out, _ = run_cli(
        "--db",
        path,
        "dispute",
        "resolve",
        str(d["id"]),
        "--uphold",
        "no",
        "--by",
        "Tara",
        "--reason",
        "x",
        "--json",
    )
    assert code == 1 and "may not uphold" in json.loads(out)["error"]["message"]
    up = ok(
        run_cli,
        "--db",
        path,
        "dispute",
        "resolve",
        str(d["id"]),
        "--uphold",
        "no",
        "--by",
        "Lee",
        "--reason",
        "No name given",
    )
    assert (up["status"], up["previous_value"], up["new_value"]) == ("upheld", "yes", "no")
    assert up["revision_after"] == 2 and up["evaluation_status"] == "final"
    assert up["percent_after"] == pytest.approx(85.71)
    listed = ok(run_cli, "--db", path, "dispute", "list", "--status", "upheld")
    assert [x["id"] for x in listed["disputes"]] == [d["id"]]
    rates = ok(run_cli, "--db", path, "dispute", "rates", "--period", "2026-05")
    assert set(rates) == {"period", "evaluators", "questions"}
    assert rates["evaluators"][0]["evaluator"] == "Ann"
    assert rates["evaluators"][0]["upheld"] == 1
    code, text, _ = run_cli("--db", path, "dispute", "list")
    assert code == 0 and "question greet by Alex Agent: upheld (yes → no)" in text


def test_print_and_acknowledge(run_cli, db, tmp_path):
    path, ids = db
    eid = ids["before"][5]
    ack = ok(run_cli, "--db", path, "evaluation", "acknowledge", str(eid), "--agent", "A1")
    assert ack["acknowledged_by"] == "Alex Agent" and ack["status"] == "signed_off"
    x = ok(
        run_cli, "--db", path, "evaluation", "print", str(eid), "--out", str(tmp_path / "form.xlsx")
    )
    assert x == {"evaluation": eid, "file": str(tmp_path / "form.xlsx"), "format": "xlsx"}
    wb = load_workbook(tmp_path / "form.xlsx")
    assert wb.sheetnames == ["Evaluation"]
    wb.close()
    p = ok(
        run_cli, "--db", path, "evaluation", "print", str(eid), "--out", str(tmp_path / "form.pdf")
    )
    assert p["format"] == "pdf" and (tmp_path / "form.pdf").read_bytes().startswith(b"%PDF")
    code, out, _ = run_cli(
        "--db",
        path,
        "evaluation",
        "print",
        str(eid),
        "--out",
        str(tmp_path / "form.docx"),
        "--json",
    )
    assert code == 2 and "must end in .pdf or .xlsx" in json.loads(out)["error"]["message"]
    code, out, _ = run_cli(
        "--db", path, "evaluation", "acknowledge", str(eid), "--agent", "A1", "--json"
    )
    assert code == 1 and "already acknowledged" in json.loads(out)["error"]["message"]
