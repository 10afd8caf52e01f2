"""``qa-studio chart agent|calibration``: files written headless, exit codes, refusals."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QImage

from qa_studio.services.qt_compat import keep_none_alive
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import calibration
from tests.export.chart_fixtures import build_chart_demo, busiest_agent, closed_session_ids

keep_none_alive()  # PySide6 6.12 on Python 3.11: see qa_studio.services.qt_compat


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """``(path, busiest agent, a closed session id, an open blind session id)``."""
    path = tmp_path_factory.mktemp("chart-cli") / "demo.qaw"
    build_chart_demo(path)
    ws = open_workspace(path)
    try:
        agent = busiest_agent(ws)
        closed = closed_session_ids(ws)[0]
        done = calibration.get_session(ws, closed)
        blind = calibration.create_session(
            ws, "Still open", done.scorecard_version_id,
            [iid for iid, _e in done.interactions], list(done.evaluators[:2]),
        )  # fmt: skip
    finally:
        ws.close()
    return path, agent, closed, blind.id


def size_of(path) -> tuple[int, int]:
    image = QImage(str(path))
    return image.width(), image.height()


def test_chart_agent_writes_the_trend_and_the_calibration_view(demo, run_cli, tmp_path, qapp):
    db, agent, _closed, _open = demo
    out = tmp_path / "trend.png"
    code, stdout, stderr = run_cli("--db", str(db), "chart", "agent", agent, "--out", str(out),
                                   "--json")  # fmt: skip
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["files"] == [str(out), str(tmp_path / "trend-calibration.png")]
    assert doc["calibrated"] is True
    assert len(doc["months"]) == 6
    assert sum(m["n"] for m in doc["months"]) > 10
    for f in doc["files"]:
        assert size_of(f) == (1000, 600)


def test_chart_agent_takes_months_or_dates(demo, run_cli, tmp_path, qapp):
    db, agent, _closed, _open = demo
    out = tmp_path / "three.png"
    code, stdout, _err = run_cli("--db", str(db), "chart", "agent", agent, "--out", str(out),
                                 "--months", "3", "--json")  # fmt: skip
    assert code == 0
    months = json.loads(stdout)["months"]
    assert len(months) == 3
    first, last = months[0]["month"], months[-1]["month"]
    out2 = tmp_path / "range.png"
    code, stdout, _err = run_cli("--db", str(db), "chart", "agent", agent, "--out", str(out2),
                                 "--from", f"{first}-01", "--to", f"{last}-28", "--json")  # fmt: skip
    assert code == 0
    doc = json.loads(stdout)
    assert [m["month"] for m in doc["months"]] == [m["month"] for m in months]
    assert doc["period"] == {"from": f"{first}-01", "to": f"{last}-28"}
    assert out2.is_file()


@pytest.mark.parametrize(("kind", "height_at_least"),
                         [("deviation", 600), ("questions", 600), ("heatmap", 600),
                          ("all", 1800)])  # fmt: skip
def test_chart_calibration_kinds(demo, run_cli, tmp_path, qapp, kind, height_at_least):
    db, _agent, closed, _open = demo
    out = tmp_path / f"session-{kind}.png"
    code, stdout, stderr = run_cli("--db", str(db), "chart", "calibration", str(closed),
                                   "--out", str(out), "--kind", kind, "--json")  # fmt: skip
    assert code == 0, stderr
    assert json.loads(stdout) == {"files": [str(out)], "session": closed, "kind": kind}
    width, height = size_of(out)
    assert width == 1000 and height >= height_at_least


def test_unknown_agent_and_session_exit_1_with_a_message(demo, run_cli, tmp_path):
    db = str(demo[0])
    code, _out, err = run_cli("--db", db, "chart", "agent", "nobody", "--out",
                              str(tmp_path / "a.png"))  # fmt: skip
    assert code == 1
    assert "unknown agent 'nobody'" in err
    code, out, _err = run_cli("--db", db, "chart", "calibration", "999", "--out",
                              str(tmp_path / "c.png"), "--json")  # fmt: skip
    assert code == 1
    assert "no calibration session with id 999" in json.loads(out)["error"]["message"]
    assert not list(tmp_path.iterdir())


def test_a_blind_open_session_is_refused(demo, run_cli, tmp_path):
    db, _agent, _closed, open_id = demo
    code, _out, err = run_cli("--db", str(db), "chart", "calibration", str(open_id), "--out",
                              str(tmp_path / "c.png"))  # fmt: skip
    assert code == 1
    assert "hidden until the session is closed" in err


def test_bad_options_exit_2_and_a_missing_folder_exits_1(demo, run_cli, tmp_path, qapp):
    db, agent, _closed, _open = demo
    code, _out, err = run_cli("--db", str(db), "chart", "agent", agent, "--out",
                              str(tmp_path / "a.jpg"))  # fmt: skip
    assert code == 2 and "must end in .png" in err
    code, _out, err = run_cli("--db", str(db), "chart", "agent", agent, "--out",
                              str(tmp_path / "a.png"), "--months", "2", "--from", "2026-01-01")  # fmt: skip
    assert code == 2 and "not both" in err
    code, _out, err = run_cli("--db", str(db), "chart", "calibration", "1", "--out",
                              str(tmp_path / "a.png"), "--kind", "pie")  # fmt: skip
    assert code == 2 and "invalid choice" in err
    code, _out, err = run_cli("--db", str(db), "chart", "agent", agent, "--out",
                              str(tmp_path / "nope" / "a.png"))  # fmt: skip
    assert code == 1 and "does not exist" in err


def test_an_agent_without_evaluations_in_the_period_is_refused(demo, run_cli, tmp_path):
    db, agent, _closed, _open = demo
    code, _out, err = run_cli("--db", str(db), "chart", "agent", agent, "--out",
                              str(tmp_path / "a.png"), "--from", "2001-01-01", "--to",
                              "2001-03-31")  # fmt: skip
    assert code == 1
    assert "no counted evaluations" in err
