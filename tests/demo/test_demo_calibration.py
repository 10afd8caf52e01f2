"""What the demo's calibration sessions promise the calibration screen (issue 7 § 6): closed
sessions of 4–6 evaluators on at least three shared calls, the lenient and the harsh evaluator
taking part and showing as such, and an ambiguous question that disagrees far more than the
rest."""

from __future__ import annotations

import json

import pytest

from qa_studio.demo.calibration import AMBIGUOUS, SETTING
from qa_studio.demo.evaluations import load_patterns
from qa_studio.storage.repository import audit
from qa_studio.storage.repository import calibration as cal
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL
from qa_studio.storage.repository.workspace_info import get_setting
from tests.demo.conftest import END


@pytest.fixture
def sessions(demo):
    found = cal.list_sessions(demo)
    assert len(found) == 3
    return found


@pytest.fixture
def patterns(demo):
    found = load_patterns(demo)
    assert found is not None
    return found


def test_closed_blind_sessions_with_four_to_six_evaluators_on_shared_calls(
    demo, sessions, patterns
):
    lead = demo.db.execute("SELECT name FROM evaluators WHERE role = 'qa_lead'").fetchone()[0]
    for s in sessions:
        assert not s.is_open and s.blind and not s.counts_toward_scores
        assert s.scorecard_ref == "voice_service@1" and s.expert == lead
        assert 4 <= len(s.evaluators) <= 6 and len(s.interactions) >= 3
        assert patterns.lenient in s.evaluators and patterns.harsh in s.evaluators
        progress = cal.progress(demo, s.id)
        assert all(status == "submitted" for per in progress.values() for status in per.values()), (
            progress
        )
        assert s.opened_at < s.closed_at <= f"{END.isoformat()}T23:59:59Z"
        times = demo.db.execute(
            "SELECT min(started_at), max(submitted_at), count(*), "
            "count(DISTINCT interaction_id) FROM evaluations WHERE calibration_session_id = ?",
            [s.id],
        ).fetchone()
        assert s.opened_at <= times[0] and times[1] <= s.closed_at
        assert times[2] == len(s.evaluators) * len(s.interactions) and times[3] >= 3
    # Different calls in every session.
    calls = [i for s in sessions for i, _e in s.interactions]
    assert len(calls) == len(set(calls))


def _per_question(results, stat: str) -> dict[str, float]:
    return {
        key: report[stat]["value"]
        for key, report in results.questions.items()
        if report[stat]["value"] is not None
    }


@pytest.mark.parametrize("stat", ["percent_agreement", "krippendorff_alpha"])
def test_the_ambiguous_question_disagrees_most(demo, sessions, stat):
    for s in sessions:
        values = _per_question(cal.session_results(demo, s.id), stat)
        assert AMBIGUOUS in values
        others = {k: v for k, v in values.items() if k != AMBIGUOUS}
        assert others, "other questions must have a value to compare with"
        assert values[AMBIGUOUS] < min(others.values()), (s.name, stat, values)
    setting = json.loads(get_setting(demo.db, SETTING))
    assert setting["ambiguous"] == AMBIGUOUS == "ownership"
    assert setting["sessions"] == [s.id for s in sessions]


def test_lenient_evaluator_deviates_up_and_harsh_down(demo, sessions, patterns):
    for s in sessions:
        results = cal.session_results(demo, s.id)
        lenient = results.evaluators[patterns.lenient]
        harsh = results.evaluators[patterns.harsh]
        assert lenient.vs_consensus.mean_signed > harsh.vs_consensus.mean_signed
        assert lenient.vs_expert.mean_signed > harsh.vs_expert.mean_signed
    offsets = cal.leniency_offsets(demo)
    assert offsets[patterns.lenient] > 0 > offsets[patterns.harsh]
    assert offsets[patterns.lenient] == max(offsets.values())
    assert offsets[patterns.harsh] == min(offsets.values())


def test_every_evaluator_explains_the_ambiguous_answer_and_na_habit_is_flagged(demo, sessions):
    habit = json.loads(get_setting(demo.db, SETTING))["na_habit"]
    flagged = set()
    for s in sessions:
        results = cal.session_results(demo, s.id)
        for _iid, ext in s.interactions:
            for who in s.evaluators:
                assert results.comments[(ext, AMBIGUOUS, who)], (ext, who)
                assert (ext, AMBIGUOUS, who) in results.answers
        flagged |= {
            (q, who) for q, per in results.na_rates.items() for who, r in per.items() if r.flagged
        }
    assert habit is not None and ("first_contact_resolution", habit) in flagged


def test_calibration_evaluations_do_not_count_toward_agents_scores(demo):
    counted = demo.db.execute(
        f"SELECT count(*), sum(e.source = 'calibration') FROM evaluations e "
        f"WHERE {COUNTED_EVALUATION_SQL}"
    ).fetchone()
    calibration = demo.db.execute(
        "SELECT count(*) FROM evaluations WHERE source = 'calibration' "
        "AND calibration_session_id IS NOT NULL"
    ).fetchone()[0]
    assert calibration >= 3 * 4 * 3 and counted[0] > 0 and counted[1] == 0


def test_sessions_are_audited_and_the_chain_verifies(demo, sessions):
    actions = [
        r[0]
        for r in demo.db.execute(
            "SELECT action FROM audit_log WHERE entity = 'calibration_session' ORDER BY seq"
        )
    ]
    assert actions == ["calibration.create", "calibration.close"] * len(sessions)
    assert audit.verify(demo.db).ok
