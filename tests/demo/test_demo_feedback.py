"""The customer's side of the demo (issue 9 § 4–5): survey responses and mystery shops, stored as
the feedback importer stores them, and what the training-needs matrix makes of them."""

from __future__ import annotations

import dataclasses
import random
import statistics
from datetime import datetime, timedelta

import pytest

from qa_studio.demo import survey_comments as sc
from qa_studio.demo.contacts import DemoContact
from qa_studio.demo.evaluations import load_patterns
from qa_studio.demo.feedback import SCALE_MAX, SURVEY, expected_score
from qa_studio.domain import survey_themes as st
from qa_studio.domain.periods import month, year
from qa_studio.domain.redaction import luhn_valid, redact
from qa_studio.domain.timeutil import LONDON, parse_iso
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL
from qa_studio.storage.repository.dashboard import DashboardQuery
from qa_studio.storage.repository.training_needs import training_matrix
from tests.demo.conftest import END, SMALL

WHOLE = year(END.year)  # the demo's six months lie inside it
LAST = month(END.year, END.month)


def rows(ws, sql, params=()):
    return ws.db.execute(sql, params).fetchall()


@pytest.fixture
def patterns(demo):
    found = load_patterns(demo)
    assert found is not None
    return found


def test_about_one_contact_in_seven_has_a_survey_response_stored_like_an_import(demo):
    handled = rows(demo, "SELECT count(*) FROM interactions WHERE agent_id IS NOT NULL")[0][0]
    found = rows(
        demo,
        "SELECT s.survey, s.score, s.scale_max, s.comment, s.responded_at, s.source, "
        "s.imported_at, i.ended_at, i.agent_id FROM survey_responses s "
        "JOIN interactions i ON i.id = s.interaction_id ORDER BY s.id",
    )
    assert 0.08 * handled <= len(found) <= 0.22 * handled
    assert {r[0] for r in found} == {SURVEY} and {r[2] for r in found} == {SCALE_MAX}
    assert {r[5] for r in found} == {"import"} and all(r[6] for r in found)
    assert {r[1] for r in found} <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert len({r[1] for r in found}) >= 4  # a spread, not one score
    assert all(r[8] is not None for r in found)  # only handled contacts are surveyed
    last = parse_iso(f"{END + timedelta(days=1)}T00:00:00+01:00")
    for r in found:
        assert parse_iso(r[7]) < parse_iso(r[4]) < last
    comments = [r[3] for r in found if r[3]]
    assert 0.25 * len(found) <= len(comments) < len(found)
    negative = [r for r in found if r[1] <= 2]
    assert negative and len(negative) < len(found) / 2


def test_unhappy_customers_of_weak_agents_write_about_their_weak_questions(demo, patterns):
    lexicon = st.Lexicon()
    hits = total = 0
    for external_id, keys in patterns.weak.items():
        expected = {t for k in keys for t in sc.WEAKNESS_THEMES[k]}
        for (text,) in rows(
            demo,
            "SELECT s.comment FROM survey_responses s JOIN interactions i "
            "ON i.id = s.interaction_id JOIN agents a ON a.id = i.agent_id "
            "WHERE a.external_id = ? AND s.score <= 2 AND s.comment IS NOT NULL",
            [external_id],
        ):
            total += 1
            hits += bool(expected & set(lexicon.find(text)))
    assert total >= 3
    assert hits / total >= 0.6


def test_survey_scores_rise_with_the_agents_qa_scores(demo):
    """Across agents, the mean survey score against the mean QA score of the evaluations without
    a fatal fail: a compliance breach (a card code read back, ID&V skipped) scores 0 but is not
    something the customer notices, so it is left out of what the survey should follow."""
    survey = dict(
        rows(
            demo,
            "SELECT i.agent_id, avg(s.score) FROM survey_responses s "
            "JOIN interactions i ON i.id = s.interaction_id GROUP BY i.agent_id",
        )
    )
    qa = dict(
        rows(
            demo,
            "SELECT i.agent_id, avg(e.percent) FROM evaluations e "
            f"JOIN interactions i ON i.id = e.interaction_id WHERE {COUNTED_EVALUATION_SQL} "
            "AND e.fatal = 0 GROUP BY i.agent_id",
        )
    )
    agents = sorted(set(survey) & set(qa))
    assert len(agents) == SMALL.agents
    r = statistics.correlation([survey[a] for a in agents], [qa[a] for a in agents])
    assert r > 0.3


def test_the_expected_score_follows_quality_weak_questions_and_the_contact():
    c = DemoContact("voice", "Billing", datetime(2026, 10, 5, 10, tzinfo=LONDON), fcr=True)
    good, average = expected_score(c, 0.8, {}), expected_score(c, 0.0, {})
    weak = expected_score(c, 0.0, {"empathy": 0.85, "ownership": 0.85})
    assert good > average > weak
    assert expected_score(dataclasses.replace(c, fcr=False), 0.0, {}) < average
    assert expected_score(dataclasses.replace(c, complaint="formal"), 0.0, {}) < average
    assert expected_score(dataclasses.replace(c, csat=1), 0.0, {}) < average


def test_a_handful_of_mystery_shops_stored_as_the_importer_stores_them(demo):
    shops = rows(
        demo,
        "SELECT e.status, e.started_at, e.submitted_at, i.started_at, i.channel, sv.key, "
        "e.comment, ev.role, i.agent_id, e.percent FROM evaluations e "
        "JOIN interactions i ON i.id = e.interaction_id "
        "JOIN scorecard_versions v ON v.id = e.scorecard_version_id "
        "JOIN scorecards sv ON sv.id = v.scorecard_id "
        "JOIN evaluators ev ON ev.id = e.evaluator_id WHERE e.source = 'mystery_shop'",
    )
    assert 3 <= len(shops) <= 8
    assert len({s[8] for s in shops}) >= 3  # a few agents
    for status, started, submitted, contact_at, channel, card, text, role, _a, pct in shops:
        assert status == "submitted" and started == submitted == contact_at
        assert (channel, card) in (("voice", "voice_service"), ("chat", "chat_service"))
        assert text.startswith("Mystery shop: ") and role == "evaluator" and pct is not None
    lo, hi = LAST.bounds
    assert any(lo <= s[3] < hi for s in shops)  # on the dashboard's default month
    assert rows(demo, "SELECT count(*) FROM interactions")[0][0] == SMALL.interactions
    audited = rows(
        demo,
        "SELECT count(*) FROM audit_log WHERE action = 'evaluation.record' "
        "AND json_extract(payload, '$.source') = 'mystery_shop'",
    )
    assert audited == [(len(shops),)]


def test_the_training_matrix_shows_themes_and_mystery_shops(demo):
    matrix = training_matrix(demo, DashboardQuery(WHOLE))
    per_theme = [sum(s.counts[j] for s in matrix.surveys) for j in range(len(matrix.themes))]
    assert sum(1 for n in per_theme if n) >= 2
    assert sum(1 for m in matrix.mystery if m.n) >= 3
    latest = training_matrix(demo, DashboardQuery(LAST))
    assert sum(1 for m in latest.mystery if m.n) >= 2


def test_the_seeded_phone_number_is_redacted_in_the_theme_examples(demo):
    stored = [
        r[0]
        for r in rows(demo, "SELECT comment FROM survey_responses WHERE comment LIKE '%07700 900%'")
    ]
    assert stored  # the raw comment keeps what the customer wrote
    matrix = training_matrix(demo, DashboardQuery(WHOLE))
    examples = [e for s in matrix.surveys for kept in s.examples for e in kept]
    assert any("[phone number removed]" in e for e in examples)
    assert not any("07700" in e for e in examples)
    shown = {redact(" ".join(c.split())) for c in stored}
    assert any(e in shown for e in examples)


def test_every_sentence_mentions_exactly_the_theme_it_is_filed_under():
    lexicon = st.Lexicon()
    assert set(sc.THEME_SENTENCES) == {t.key for t in st.THEMES}
    for theme, sentences in sc.THEME_SENTENCES.items():
        for sentence in sentences:
            assert set(lexicon.find(sentence.format(name="Sam"))) == {theme}, sentence
    for sentence in (*sc.PHONE_SNIPPETS, *sc.CARD_SNIPPETS):
        assert lexicon.find(sentence.format(number="x")) == {}, sentence
    weakness = {t for keys in sc.WEAKNESS_THEMES.values() for t in keys}
    assert weakness | set(sc.BACKGROUND_THEMES) <= set(sc.THEME_SENTENCES)


def test_quoted_numbers_are_the_kind_redaction_removes():
    rng = random.Random(3)
    for _ in range(50):
        card = sc.card_number(rng)
        assert luhn_valid(card.replace(" ", ""))
        assert (
            redact(sc.negative_comment(rng, ["waiting"], "Sam", card)).count(
                "[card number removed]"
            )
            == 1
        )
        phone = sc.phone_number(rng)
        assert "[phone number removed]" in redact(
            sc.negative_comment(rng, ["listening"], "Sam", phone)
        )
