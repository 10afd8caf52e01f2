"""``calibration create|list|progress|close`` and ``stats calibration`` from the command line."""

from __future__ import annotations

import json

import pytest

from qa_studio.storage.repository import calibration as cal
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.interactions import interaction_id
from tests.storage.calibration_helpers import SMALL, calibration_seed, score


@pytest.fixture
def db(ws):
    calibration_seed(ws)
    return ws


def _json(run_cli, ws, *argv):
    code, out, _err = run_cli("--db", str(ws.path), *argv, "--json")
    return code, json.loads(out)


def _create(run_cli, ws, *extra, evaluators="Ann,Bo,Cy", interactions="INT-1,INT-2"):
    return _json(
        run_cli,
        ws,
        "calibration",
        "create",
        "--name",
        "October calibration",
        "--scorecard",
        "voice_example@1",
        "--interactions",
        interactions,
        "--evaluators",
        evaluators,
        *extra,
    )


def test_create_list_progress_close(run_cli, db):
    code, doc = _create(run_cli, db, "--expert", "Ann")
    assert code == 0
    assert (doc["name"], doc["scorecard"], doc["expert"], doc["blind"]) == (
        "October calibration",
        "voice_example@1",
        "Ann",
        True,
    )
    assert doc["interactions"] == ["INT-1", "INT-2"] and doc["evaluators"] == ["Ann", "Bo", "Cy"]
    assert doc["counts_toward_scores"] is False and doc["status"] == "open"

    code, listed = _json(run_cli, db, "calibration", "list")
    assert code == 0 and [s["id"] for s in listed["sessions"]] == [doc["id"]]

    code, prog = _json(run_cli, db, "calibration", "progress", str(doc["id"]))
    assert code == 0
    assert prog["progress"]["Bo"] == {"INT-1": "not started", "INT-2": "not started"}

    code, closed = _json(run_cli, db, "calibration", "close", str(doc["id"]))
    assert code == 0 and closed["status"] == "closed" and closed["closed_at"]
    code, again = _json(run_cli, db, "calibration", "close", str(doc["id"]))
    assert code == 1 and "was closed at" in again["error"]["message"]


def test_create_flags(run_cli, db):
    code, doc = _create(run_cli, db, "--counts", "--not-blind")
    assert code == 0 and doc["counts_toward_scores"] is True and doc["blind"] is False


def test_text_output(run_cli, db):
    code, out, _ = run_cli(
        "--db", str(db.path), "calibration", "create", "--name", "Text", "--scorecard",
        "voice_example", "--interactions", "INT-1", "--evaluators", "Ann, Bo",
    )  # fmt: skip
    assert code == 0 and "created calibration session 1" in out and "blind" in out
    code, out, _ = run_cli("--db", str(db.path), "calibration", "list")
    assert code == 0 and "Text" in out and "Ann, Bo" in out


@pytest.mark.parametrize(
    ("extra", "kwargs", "message"),
    [
        ((), {"evaluators": "Ann"}, "at least 2 evaluators"),
        (("--expert", "Di"), {}, "the expert 'Di' is not one of the session's evaluators"),
        ((), {"interactions": "INT-1,NOPE,ALSO-NOPE"}, "unknown interactions: NOPE, ALSO-NOPE"),
        ((), {"evaluators": "Ann,Ghost"}, "unknown evaluator 'Ghost'"),
    ],
)
def test_create_refusals_exit_1(run_cli, db, extra, kwargs, message):
    code, doc = _create(run_cli, db, *extra, **kwargs)
    assert code == 1 and message in doc["error"]["message"]
    assert db.db.execute("SELECT count(*) FROM calibration_sessions").fetchone()[0] == 0


def test_usage_errors_exit_2(run_cli, db):
    code, doc = _json(run_cli, db, "calibration", "create", "--name", "X")
    assert code == 2 and "required" in doc["error"]["message"]
    code, doc = _create(run_cli, db, interactions=" , ")
    assert code == 2 and "--interactions needs at least one value" in doc["error"]["message"]
    code, doc = _json(run_cli, db, "stats", "calibration", "1", "--tolerance", "-1")
    assert code == 2


def _scored_session(ws, close: bool):
    """The SMALL example (2 interactions × 3 evaluators, expert Ann) through the repository."""
    session = cal.create_session(
        ws,
        "Small",
        scorecards.find(ws, "voice_example").id,
        [interaction_id(ws, "INT-1"), interaction_id(ws, "INT-2")],
        ["Ann", "Bo", "Cy"],
        expert="Ann",
    )
    for (ext, who), answers in SMALL.items():
        score(ws, session, ext, who, answers)
    return cal.close_session(ws, session.id) if close else session


def test_stats_calibration_refused_while_blind_and_open(run_cli, db):
    session = _scored_session(db, close=False)
    code, doc = _json(run_cli, db, "stats", "calibration", str(session.id))
    assert code == 1
    assert "results are hidden until the session is closed" in doc["error"]["message"]
    assert "calibration close" in doc["error"]["details"][0]


def test_stats_calibration_json_after_close(run_cli, db):
    session = _scored_session(db, close=True)
    code, doc = _json(run_cli, db, "stats", "calibration", str(session.id))
    assert code == 0
    expected = json.loads(json.dumps(cal.session_results(db, session.id).as_dict()))
    assert doc == expected
    assert doc["session"]["name"] == "Small" and doc["session"]["scorecard"] == "voice_example@1"
    assert doc["session"]["evaluators"] == ["Ann", "Bo", "Cy"]
    assert doc["session"]["interactions"] == ["INT-1", "INT-2"]
    assert set(doc) >= {"form", "overall", "questions", "evaluators", "na_rates"}
    assert set(doc["questions"]) == {"greet", "empathy", "idv", "cvv"}
    for report in (doc["form"], doc["overall"], *doc["questions"].values()):
        for key in ("percent_agreement", "krippendorff_alpha", "fleiss_kappa"):
            assert {"value", "ci95", "reason"} <= set(report[key])
            assert (report[key]["value"] is None) == (report[key]["reason"] is not None)
        for stat in (*report["icc"].values(), *report["cohen_kappa"].values()):
            assert {"value", "ci95", "reason"} <= set(stat)
    assert doc["evaluators"]["Bo"]["vs_expert"]["mean_signed"] == pytest.approx(50 / 7)
    assert doc["evaluators"]["Ann"]["vs_expert"] is None
    assert doc["na_rates"]["greet"]["Ann"]["n"] == 2

    code, wide = _json(run_cli, db, "stats", "calibration", str(session.id), "--tolerance", "15")
    assert code == 0 and wide["tolerance"] == 15
    assert wide["evaluators"]["Bo"]["vs_expert"]["within_tolerance"] == 1.0


def test_stats_calibration_text_and_unknown_session(run_cli, db):
    session = _scored_session(db, close=True)
    code, out, _ = run_cli("--db", str(db.path), "stats", "calibration", str(session.id))
    assert code == 0
    assert "Calibration session 1: Small" in out and "Per question" in out
    assert "empathy" in out and "n = 2 interactions" in out
    code, doc = _json(run_cli, db, "stats", "calibration", "99")
    assert code == 1 and "no calibration session with id 99" in doc["error"]["message"]
