"""Calibration sessions in the repository: create, list, close, every refusal, blind
enforcement, the database guards of a closed session, the statistics against hand-built rows
and a hand-worked deviation example, and which evaluations count toward agents' scores."""

from __future__ import annotations

import json
import sqlite3

import pytest

from qa_studio.domain.agreement import agreement_report
from qa_studio.domain.scoring import fraction
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import calibration as cal
from qa_studio.storage.repository import evaluations as ev
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.counting import (
    COUNTED_EVALUATION_SQL,
    blind_hidden_sql,
    counted_evaluation_sql,
    counts_toward_scores,
)
from tests.storage.calibration_helpers import (
    ALL_YES,
    SMALL,
    calibration_seed,
    score,
    small_session,
)
from tests.storage.eval_helpers import GOOD, WORKED_EXAMPLE, actions

UNIT = 100 / 7


@pytest.fixture
def data(ws):
    return calibration_seed(ws)


def _create(ws, data, evaluators=("Ann", "Bo", "Cy"), n=2, **kwargs):
    return cal.create_session(
        ws, "October", data["v1"].id, data["interactions"][:n], list(evaluators), **kwargs
    )


# --- create, list, close -------------------------------------------------------------------


def test_create_list_get_and_close_are_audited(ws, data):
    s = _create(ws, data, expert="Ann")
    assert (s.name, s.scorecard_ref, s.expert, s.blind, s.counts_toward_scores) == (
        "October",
        "voice_example@1",
        "Ann",
        True,
        False,
    )
    assert s.interactions == (
        (data["interactions"][0], "INT-1"),
        (data["interactions"][1], "INT-2"),
    )
    assert s.evaluators == ("Ann", "Bo", "Cy") and s.is_open and s.closed_at is None
    assert [x.id for x in cal.list_sessions(ws)] == [s.id]
    assert cal.get_session(ws, s.id) == s
    row = ws.db.execute(
        "SELECT payload FROM audit_log WHERE action = 'calibration.create'"
    ).fetchone()
    payload = json.loads(row[0])
    assert payload["blind"] is True and len(payload["evaluators"]) == 3
    assert len(payload["interactions"]) == 2 and payload["expert"]

    closed = cal.close_session(ws, s.id)
    assert not closed.is_open and closed.closed_at >= closed.opened_at
    assert actions(ws)[-1] == "calibration.close"
    with pytest.raises(DataRefused, match="was closed at"):
        cal.close_session(ws, s.id)


def test_options_not_blind_and_counting(ws, data):
    s = _create(ws, data, blind=False, counts_toward_scores=True)
    assert (s.blind, s.counts_toward_scores, s.expert) == (False, True, None)


@pytest.mark.parametrize(
    ("evaluators", "kwargs", "message"),
    [
        (("Ann",), {}, "at least 2 evaluators; got 1"),
        (("Ann", "Ann"), {}, "at least 2 evaluators; got 1"),
        ((), {}, "got 0"),
        (("Ann", "Bo"), {"expert": "Cy"}, "the expert 'Cy' is not one of the session's"),
        (("Ann", "Nobody"), {}, "unknown evaluator 'Nobody'"),
    ],
)
def test_create_refusals(ws, data, evaluators, kwargs, message):
    before = ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(DataRefused, match=message):
        _create(ws, data, evaluators, **kwargs)
    assert ws.db.execute("SELECT count(*) FROM calibration_sessions").fetchone()[0] == 0
    assert ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_create_refuses_unknown_interaction_and_empty_name(ws, data):
    with pytest.raises(DataRefused, match="no interaction with id 999"):
        cal.create_session(ws, "X", data["v1"].id, [data["interactions"][0], 999], ["Ann", "Bo"])
    with pytest.raises(DataRefused, match="needs a name"):
        cal.create_session(ws, "  ", data["v1"].id, data["interactions"][:1], ["Ann", "Bo"])
    with pytest.raises(DataRefused, match="at least one interaction"):
        cal.create_session(ws, "X", data["v1"].id, [], ["Ann", "Bo"])
    with pytest.raises(DataRefused, match="no calibration session with id 42"):
        cal.get_session(ws, 42)


# --- evaluations in a session --------------------------------------------------------------


def test_start_evaluation_is_a_calibration_draft(ws, data):
    s = _create(ws, data)
    e = cal.start_evaluation(ws, s.id, data["interactions"][0], "Bo")
    assert (e.source, e.calibration_session_id, e.status, e.evaluator) == (
        "calibration",
        s.id,
        "draft",
        "Bo",
    )
    assert e.scorecard_version_id == data["v1"].id
    with pytest.raises(DataRefused, match="already has evaluation"):
        cal.start_evaluation(ws, s.id, data["interactions"][0], "Bo")
    assert cal.find_evaluation(ws, s.id, data["interactions"][0], "Bo").id == e.id
    assert cal.find_evaluation(ws, s.id, data["interactions"][0], "Ann") is None


def test_start_evaluation_refusals(ws, data):
    s = _create(ws, data, evaluators=("Ann", "Bo"))
    with pytest.raises(DataRefused, match="Cy is not an evaluator in calibration session"):
        cal.start_evaluation(ws, s.id, data["interactions"][0], "Cy")
    with pytest.raises(DataRefused, match="is not in calibration session"):
        cal.start_evaluation(ws, s.id, data["interactions"][3], "Ann")
    other = ev.start(ws, data["interactions"][0], data["v1"].id, "Ann")
    with pytest.raises(DataRefused, match="is not part of calibration session"):
        cal.save_answers(ws, s.id, other.id, {"greet": "yes"})


def test_closed_session_refuses_new_answers_everywhere(ws, data):
    s = _create(ws, data)
    draft = score(ws, s, "INT-1", "Ann", {"greet": "yes"}, submit=False)
    done = score(ws, s, "INT-1", "Bo", ALL_YES)
    cal.close_session(ws, s.id)
    with pytest.raises(DataRefused, match="cannot start an evaluation"):
        cal.start_evaluation(ws, s.id, data["interactions"][1], "Cy")
    with pytest.raises(DataRefused, match="cannot change answers"):
        cal.save_answers(ws, s.id, draft.id, {"empathy": 4})
    with pytest.raises(DataRefused, match="cannot submit"):
        cal.submit_evaluation(ws, s.id, draft.id)
    with pytest.raises(DataRefused, match="can no longer change"):
        cal.require_editable(ws, done.id)
    cal.require_editable(ws, ev.start(ws, data["interactions"][2], data["v1"].id, "Ann").id)
    # The generic evaluation repository refuses with a message a user can act on ...
    with pytest.raises(DataRefused, match="can no longer change"):
        ev.save_answer(ws, draft.id, "empathy", 4)
    with pytest.raises(DataRefused, match="can no longer change"):
        ev.save_answer(ws, done.id, "greet", "no")
    with pytest.raises(DataRefused, match="can no longer change"):
        ev.add_note(ws, done.id, "late thought")
    # ... and the database itself refuses, whatever program writes (migration m006).
    with pytest.raises(sqlite3.IntegrityError, match="calibration session is closed"):
        ws.db.execute("UPDATE answers SET value = 'no' WHERE evaluation_id = ?", [done.id])
    with pytest.raises(sqlite3.IntegrityError, match="calibration session is closed"):
        ws.db.execute(
            "INSERT INTO answer_notes (uuid, evaluation_id, text, created_at) "
            "VALUES ('n-late', ?, 'late thought', '2026-11-23T00:00:00Z')",
            [done.id],
        )
    with pytest.raises(sqlite3.IntegrityError, match="calibration session is closed"):
        ev.start(
            ws,
            data["interactions"][1],
            data["v1"].id,
            "Cy",
            source="calibration",
            calibration_session_id=s.id,
        )
    with pytest.raises(sqlite3.IntegrityError, match="calibration session is closed"):
        ws.db.execute("UPDATE calibration_sessions SET counts_toward_scores = 1")
    assert ev.get(ws, done.id).answers == ALL_YES
    assert ev.get(ws, draft.id).answers == {"greet": "yes"}


# --- blind ---------------------------------------------------------------------------------


def test_blind_session_shows_only_own_answers_until_closed(ws, data):
    s = _create(ws, data)
    score(ws, s, "INT-1", "Ann", ALL_YES)
    score(ws, s, "INT-1", "Bo", GOOD, submit=False)
    seen = cal.visible_evaluations(ws, s.id, "Bo")
    assert [(e.evaluator, e.answers) for e in seen] == [("Bo", GOOD)]
    assert cal.visible_evaluations(ws, s.id, "Cy") == []
    assert [e.evaluator for e in cal.visible_evaluations(ws, s.id, "Ann")] == ["Ann"]
    assert cal.progress(ws, s.id) == {
        "Ann": {"INT-1": "submitted", "INT-2": "not started"},
        "Bo": {"INT-1": "draft", "INT-2": "not started"},
        "Cy": {"INT-1": "not started", "INT-2": "not started"},
    }
    with pytest.raises(DataRefused, match="results are hidden until the session is closed"):
        cal.session_results(ws, s.id)
    with pytest.raises(DataRefused, match="unknown evaluator"):
        cal.visible_evaluations(ws, s.id, "Nobody")

    # Screens listing an interaction's evaluations filter the same way.
    own = ev.submit(
        ws,
        ev.save_answers(
            ws, ev.start(ws, data["interactions"][0], data["v1"].id, "Lee").id, GOOD
        ).id,
    )
    listed = ev.list_for_interaction(ws, data["interactions"][0])
    assert [e.evaluator for e in cal.filter_visible(ws, listed, "Bo")] == ["Bo", "Lee"]
    hidden = ws.db.execute(
        f"SELECT e.id FROM evaluations e WHERE {blind_hidden_sql('e')} ORDER BY e.id"
    ).fetchall()
    assert len(hidden) == 2 and own.id not in {r[0] for r in hidden}

    cal.close_session(ws, s.id)
    assert [e.evaluator for e in cal.visible_evaluations(ws, s.id, "Cy")] == ["Ann", "Bo"]
    listed = ev.list_for_interaction(ws, data["interactions"][0])
    assert [e.evaluator for e in cal.filter_visible(ws, listed, "Cy")] == ["Ann", "Bo", "Lee"]
    assert (
        ws.db.execute(f"SELECT count(*) FROM evaluations e WHERE {blind_hidden_sql()}").fetchone()[
            0
        ]
        == 0
    )
    results = cal.session_results(ws, s.id)
    # The draft is work in progress, not a result.
    assert results.scores[("INT-1", "Ann")] == pytest.approx(100.0)
    assert results.scores[("INT-1", "Bo")] is None


def test_session_that_is_not_blind_shows_everything_while_open(ws, data):
    s = _create(ws, data, blind=False)
    score(ws, s, "INT-1", "Ann", ALL_YES)
    score(ws, s, "INT-1", "Bo", GOOD)
    assert [e.evaluator for e in cal.visible_evaluations(ws, s.id, "Cy")] == ["Ann", "Bo"]
    assert cal.session_results(ws, s.id).scores[("INT-1", "Bo")] == pytest.approx(100 * 6.5 / 7)


# --- statistics ----------------------------------------------------------------------------


def _rows(card, units, raters, answers, question=None):
    """Hand-built rows: fractions (interval) and raw values (nominal), N/A as missing."""
    frac, raw = [], []
    keys = [question] if question else [q.key for q in card.questions()]
    for u in units:
        for key in keys:
            unit = u if question else (u, key)
            for r in raters:
                if (u, r) in answers:
                    value = answers[(u, r)][key]
                    na = value == "na"
                    frac.append((unit, r, None if na else fraction(card.question(key), value)))
                    raw.append((unit, r, None if na else value))
    return frac, raw


STAT_KEYS_INTERVAL = ("percent_agreement", "krippendorff_alpha", "icc", "n_units", "n_raters")
STAT_KEYS_NOMINAL = ("fleiss_kappa", "cohen_kappa")


def _same(ours, frac, raw):
    interval = agreement_report(frac, "interval")
    nominal = agreement_report(raw, "nominal")
    for key in STAT_KEYS_INTERVAL:
        assert ours[key] == interval[key], key
    for key in STAT_KEYS_NOMINAL:
        assert ours[key] == nominal[key], key
    assert (
        ours["interpretation"]["krippendorff_alpha"]
        == (interval["interpretation"]["krippendorff_alpha"])
    )
    assert ours["interpretation"]["fleiss_kappa"] == nominal["interpretation"]["fleiss_kappa"]


def test_statistics_equal_agreement_report_on_hand_built_rows(ws, data):
    answers = {
        ("INT-1", "Ann"): {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"},
        ("INT-1", "Bo"): {"greet": "yes", "empathy": 5, "idv": "yes", "cvv": "yes"},
        ("INT-1", "Cy"): {"greet": "no", "empathy": 2, "idv": "yes", "cvv": "yes"},
        ("INT-2", "Ann"): {"greet": "no", "empathy": 3, "idv": "yes", "cvv": "no"},
        ("INT-2", "Bo"): {"greet": "yes", "empathy": 3, "idv": "no", "cvv": "yes"},
        ("INT-2", "Cy"): {"greet": "no", "empathy": 1, "idv": "yes", "cvv": "yes"},
        ("INT-3", "Ann"): {"greet": "yes", "empathy": 5, "idv": "yes", "cvv": "yes"},
        ("INT-3", "Bo"): {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"},
        ("INT-3", "Cy"): {"greet": "yes", "empathy": 4, "idv": "no", "cvv": "yes"},
    }
    s = _create(ws, data, n=3)
    for (ext, who), given in answers.items():
        score(ws, s, ext, who, given)
    cal.close_session(ws, s.id)
    results = cal.session_results(ws, s.id)
    card = data["v1"].card
    units, raters = ["INT-1", "INT-2", "INT-3"], ["Ann", "Bo", "Cy"]

    for q in card.questions():
        frac, raw = _rows(card, units, raters, answers, q.key)
        _same(results.questions[q.key], frac, raw)
    frac, raw = _rows(card, units, raters, answers)
    _same(results.overall, frac, raw)
    assert results.overall["n_units"] == 12

    percents = [(u, r, results.scores[(u, r)]) for u in units for r in raters]
    form = agreement_report(percents, "interval")
    for key in STAT_KEYS_INTERVAL:
        assert results.form[key] == form[key], key
    assert results.form["fleiss_kappa"]["value"] is None
    assert "measurements" in results.form["fleiss_kappa"]["reason"]
    assert results.answers[("INT-2", "empathy", "Cy")] == 1
    assert results.questions["greet"]["krippendorff_alpha"]["value"] is not None


def test_na_is_a_missing_rating_and_na_habits_are_flagged(ws, data):
    text = WORKED_EXAMPLE.replace("key: voice_example", "key: voice_na").replace(
        "type: yes_no}", "type: yes_no, allow_na: true}", 1
    )
    version = scorecards.publish(ws, text, "greet may be N/A")
    s = cal.create_session(ws, "NA", version.id, data["interactions"][:3], ["Ann", "Bo", "Cy"])
    answers = {}
    for ext in ("INT-1", "INT-2", "INT-3"):
        for who in ("Ann", "Bo", "Cy"):
            answers[(ext, who)] = {**ALL_YES, "greet": "na" if who == "Ann" else "yes"}
            if (ext, who) == ("INT-3", "Cy"):
                answers[(ext, who)]["greet"] = "no"
            score(ws, s, ext, who, answers[(ext, who)])
    cal.close_session(ws, s.id)
    r = cal.session_results(ws, s.id)
    assert r.answers[("INT-1", "greet", "Ann")] == "na"
    frac, raw = _rows(
        version.card, ["INT-1", "INT-2", "INT-3"], ["Ann", "Bo", "Cy"], answers, "greet"
    )
    _same(r.questions["greet"], frac, raw)
    assert r.questions["greet"]["n_raters"] == 2  # Ann's N/As are missing ratings
    ann = r.na_rates["greet"]["Ann"]
    assert (ann.n, ann.n_na, ann.rate, ann.colleagues_rate, ann.flagged) == (3, 3, 1.0, 0.0, True)
    assert not r.na_rates["greet"]["Bo"].flagged
    assert not r.na_rates["empathy"]["Ann"].flagged


def test_hand_worked_deviations_from_expert_and_consensus(ws, data):
    s = small_session(ws, data)
    r = cal.session_results(ws, s.id)
    assert r.scores == {
        ("INT-1", "Ann"): pytest.approx(6 * UNIT),
        ("INT-1", "Bo"): pytest.approx(7 * UNIT),
        ("INT-1", "Cy"): pytest.approx(5 * UNIT),
        ("INT-2", "Ann"): pytest.approx(7 * UNIT),
        ("INT-2", "Bo"): pytest.approx(7 * UNIT),
        ("INT-2", "Cy"): pytest.approx(6 * UNIT),
    }
    ann, bo, cy = (r.evaluators[n] for n in ("Ann", "Bo", "Cy"))
    assert ann.vs_expert is None
    # Bo − Ann: +1 and 0 sevenths → +7.14 on average, within ±5 once.
    assert bo.vs_expert.n == 2
    assert bo.vs_expert.mean_signed == pytest.approx(0.5 * UNIT)
    assert bo.vs_expert.mean_absolute == pytest.approx(0.5 * UNIT)
    assert bo.vs_expert.within_tolerance == pytest.approx(0.5)
    # Cy − Ann: −1 and −1 sevenths.
    assert cy.vs_expert.mean_signed == pytest.approx(-UNIT)
    assert cy.vs_expert.within_tolerance == 0.0
    # Consensus = median of the other two. Ann: 6 − 6 = 0, 7 − 6.5 = +0.5 → +0.25 sevenths.
    assert ann.vs_consensus.mean_signed == pytest.approx(0.25 * UNIT)
    assert ann.vs_consensus.within_tolerance == pytest.approx(0.5)
    # Bo: 7 − 5.5 = 1.5, 7 − 6.5 = 0.5 → +1 seventh. Cy: 5 − 6.5 = −1.5, 6 − 7 = −1 → −1.25.
    assert bo.vs_consensus.mean_signed == pytest.approx(UNIT)
    assert cy.vs_consensus.mean_signed == pytest.approx(-1.25 * UNIT)
    assert cy.vs_consensus.mean_absolute == pytest.approx(1.25 * UNIT)
    # A wider tolerance takes Bo's 14.3-point gap in.
    wide = cal.session_results(ws, s.id, tolerance=15).evaluators["Bo"]
    assert wide.vs_expert.within_tolerance == 1.0
    doc = r.as_dict()
    assert "n = 2 interactions" in doc["evaluators"]["Cy"]["interpretation"]
    assert "harsher" in doc["evaluators"]["Cy"]["interpretation"]
    assert "(the expert)" in doc["evaluators"]["Ann"]["interpretation"]
    assert cal.leniency_offsets(ws) == {
        "Ann": pytest.approx(0.25 * UNIT),
        "Bo": pytest.approx(UNIT),
        "Cy": pytest.approx(-1.25 * UNIT),
    }
    report = cal.leniency_report(ws)
    assert (report["Bo"].n, report["Bo"].sessions) == (2, 1)
    assert cal.leniency_offsets(ws, since="2999-01-01") == {}


def test_form_level_needs_two_interactions(ws, data):
    s = _create(ws, data, n=1, expert="Ann")
    score(ws, s, "INT-1", "Ann", ALL_YES)
    score(ws, s, "INT-1", "Bo", GOOD)
    cal.close_session(ws, s.id)
    r = cal.session_results(ws, s.id)
    assert r.form["reason"].startswith("form-level agreement needs at least two interactions")
    assert r.form["krippendorff_alpha"]["value"] is None
    assert r.form["icc"]["ICC2"]["reason"] == r.form["reason"]
    assert r.questions["greet"]["krippendorff_alpha"]["value"] is None
    assert r.evaluators["Bo"].vs_expert.mean_signed == pytest.approx(-0.5 * UNIT)
    # Cy never scored: present, with nothing to compare.
    assert r.evaluators["Cy"].n == 0 and r.scores[("INT-1", "Cy")] is None


def test_comments_and_answers_are_keyed_for_drill_down(ws, data):
    s = _create(ws, data, n=2)
    e = score(ws, s, "INT-1", "Ann", ALL_YES, submit=False)
    ev.add_note(ws, e.id, "Warm and specific", question_key="empathy", at_s=12.0)
    ev.add_note(ws, e.id, "General remark")
    ev.set_comment(ws, e.id, "Good call")
    cal.submit_evaluation(ws, s.id, e.id)
    score(ws, s, "INT-1", "Bo", GOOD)
    cal.close_session(ws, s.id)
    r = cal.session_results(ws, s.id)
    assert r.comments == {("INT-1", "empathy", "Ann"): ["Warm and specific"]}
    assert r.overall_comments == {("INT-1", "Ann"): ["Good call", "General remark"]}
    assert r.answers[("INT-1", "empathy", "Bo")] == 4
    assert set(r.na_rates["greet"]) == {"Ann", "Bo"}
    doc = json.loads(json.dumps(r.as_dict()))
    assert doc["questions"]["empathy"]["text"] == "Acknowledged the customer's situation"


# --- counting toward agents' scores --------------------------------------------------------


def _counted(ws) -> set[int]:
    return {
        int(r[0])
        for r in ws.db.execute(f"SELECT e.id FROM evaluations e WHERE {COUNTED_EVALUATION_SQL}")
    }


def test_calibration_evaluations_count_only_when_the_closed_session_says_so(ws, data):
    regular = ev.submit(
        ws,
        ev.save_answers(
            ws, ev.start(ws, data["interactions"][3], data["v1"].id, "Ann").id, GOOD
        ).id,
    )
    quiet = _create(ws, data)
    counting = _create(ws, data, counts_toward_scores=True)
    q = score(ws, quiet, "INT-1", "Bo", ALL_YES)
    c = score(ws, counting, "INT-1", "Bo", ALL_YES)
    c_draft = score(ws, counting, "INT-2", "Bo", {"greet": "yes"}, submit=False)
    assert _counted(ws) == {regular.id}
    cal.close_session(ws, quiet.id)
    assert _counted(ws) == {regular.id}
    cal.close_session(ws, counting.id)
    assert _counted(ws) == {regular.id, c.id}
    assert q.id not in _counted(ws) and c_draft.id not in _counted(ws)
    other_alias = ws.db.execute(
        f"SELECT count(*) FROM evaluations x WHERE {counted_evaluation_sql('x')}"
    ).fetchone()[0]
    assert other_alias == 2
    with pytest.raises(ValueError):
        counted_evaluation_sql("e; DROP TABLE x")
    assert counts_toward_scores("submitted", None, False)
    assert not counts_toward_scores("draft", None, False)
    assert not counts_toward_scores("submitted", False, True)
    assert not counts_toward_scores("submitted", True, False)
    assert counts_toward_scores("signed_off", True, True)


def test_small_example_uses_every_answer(ws, data):
    s = small_session(ws, data)
    r = cal.session_results(ws, s.id)
    assert len(r.answers) == len(SMALL) * 4
    assert r.overall["n_units"] == 8 and r.overall["n_raters"] == 3
