"""``report dashboard`` and ``report targets`` on the hand-worked data of
``tests/storage/dashboard_data.py``."""

from __future__ import annotations

import json

import pytest

from tests.storage import dashboard_data


@pytest.fixture
def db(ws):
    dashboard_data.build(ws)
    path = str(ws.path)
    ws.close()
    return path


def test_dashboard_json(db, run_cli):
    code, out, _err = run_cli("--db", db, "report", "dashboard", "--period", "2026-10", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["query"]["period"] == {"key": "2026-10", "from": "2026-10-01", "to": "2026-10-31"}
    assert doc["qa"]["n"] == 8 and doc["qa"]["mean"] == pytest.approx(78.75)
    assert doc["qa"]["pass_rate"] == pytest.approx(50.0)
    assert doc["kpi"]["aht_s"] == pytest.approx(380.0)
    assert doc["kpi"]["service_level_pct"] == pytest.approx(500 / 9)
    assert doc["pareto"][0] == {"label": "voice_example.greet", "count": 5, "share": 50.0,
                                "cumulative": 50.0}  # fmt: skip
    assert doc["qa_vs_csat"]["claim"] is False
    # A1's half-width is finite; A single-evaluation agent has none: JSON-safe nulls, not inf.
    assert all(a["qa"]["half_width"] is None or a["qa"]["half_width"] > 0 for a in doc["agents"])
    assert doc["median_days_to_evaluation"] == pytest.approx(3.0)
    assert any(m["metric"] == "aht_s" and m["scope"] == "all teams · all channels"
               for m in doc["misses"])  # fmt: skip


def test_dashboard_team_filter_and_text(db, run_cli):
    code, out, _ = run_cli("--db", db, "report", "dashboard", "--period", "2026-10",
                           "--team", "Blue", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["kpi"]["csat"] == pytest.approx(3.5)
    code, out, _ = run_cli("--db", db, "report", "dashboard", "--period", "2026-10")
    assert code == 0 and "QA score   78.8 %" in out and "Target misses:" in out


def test_targets_set_and_list(db, run_cli):
    code, out, _ = run_cli("--db", db, "report", "targets", "set", "service_level_pct", "90",
                           "--channel", "voice", "--threshold-s", "30", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["target"]["threshold_s"] == 30.0
    code, out, _ = run_cli("--db", db, "report", "targets", "set", "qa_score", "82",
                           "--team", "Blue", "--json")  # fmt: skip
    assert code == 0
    code, out, _ = run_cli("--db", db, "report", "targets", "list", "--json")
    rows = json.loads(out)["targets"]
    assert [(r["team"], r["channel"], r["metric"], r["value"]) for r in rows] == [
        (None, "voice", "service_level_pct", 90.0), ("Blue", None, "qa_score", 82.0),
    ]  # fmt: skip
    code, out, _ = run_cli("--db", db, "report", "dashboard", "--period", "2026-10",
                           "--channel", "voice", "--json")  # fmt: skip
    # Voice within 30 s: I1–I7 answered in time, I9 abandoned → 7 of 8.
    assert json.loads(out)["kpi"]["service_level_pct"] == pytest.approx(87.5)


def test_errors(db, run_cli):
    code, out, _ = run_cli("--db", db, "report", "dashboard", "--period", "2026-13", "--json")
    assert code == 2 and "month 13" in json.loads(out)["error"]["message"]
    code, out, _ = run_cli("--db", db, "report", "dashboard", "--period", "2026-10",
                           "--team", "Green", "--json")  # fmt: skip
    assert code == 1 and "unknown team 'Green'" in json.loads(out)["error"]["message"]
    code, out, _ = run_cli("--db", db, "report", "targets", "set", "csat", "9", "--json")
    assert code == 1 and "1 to 5" in json.loads(out)["error"]["message"]
