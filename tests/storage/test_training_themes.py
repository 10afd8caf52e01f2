"""Survey themes and mystery shops beside the training-needs matrix, on the hand-worked data of
``tests/storage/dashboard_data.py`` plus the survey file below (imported as a user would).

  contact  agent  survey  score / scale  negative?  themes
  I1       Alex   csat    2 / 5          yes        waiting (on hold, ages), attitude (rude)
  I2       Alex   csat    5 / 5          no         ("rude" in a positive response: ignored)
  I3       Alex   nps     4 / 10         yes        transferred, callback (nobody called back)
  I4       Sam    csat    3 / 5          no         (waiting: ignored, 3 > 2)
  I5       Sam    csat    1 / 5          yes        listening (didn't listen + repeat myself: once)
  I6       Kim    nps     2 / 10         yes        unresolved (not sorted, had to call back)
  I6       Kim    csat    1 / 5          yes        (no comment)
  I8       Kim    csat    0 / 5          yes        unclear (did not explain); starts with "="
  I9       —      csat    1 / 5          —          no agent: left out
  I0       Alex   csat    1 / 5          —          September: out of the period

  Alex: 2 negative — waiting 1, attitude 1, transferred 1, callback 1.
  Sam: 1 negative — listening 1 (its example has the phone number redacted).
  Kim: 3 negative — unresolved 1, unclear 1.
  Mystery shops: E8 (Kim, 50 %, target 85) → Kim 1 shop, mean 50.0, 0 passed; others none.
"""

from __future__ import annotations

import csv

import pytest

from qa_studio.domain import survey_themes as st
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.periods import parse_period
from qa_studio.importers.feedback import import_feedback
from qa_studio.storage.repository.dashboard import DashboardQuery
from qa_studio.storage.repository.training_needs import MysteryShops, training_matrix
from tests.storage import dashboard_data

OCT = parse_period("2026-10")
KEYS = [t.key for t in st.THEMES]
SURVEYS = [
    ("I1", "csat", 2, 5, "Kept on hold for ages and the agent was rude."),
    ("I2", "csat", 5, 5, "Rude? Not at all, lovely."),
    ("I3", "nps", 4, 10, "I was transferred three times and nobody called back."),
    ("I4", "csat", 3, 5, "A bit of waiting."),
    ("I5", "csat", 1, 5, "Didn't listen, I had to repeat myself. Ring me on 07700 900123."),
    ("I6", "nps", 2, 10, "Still not sorted, I've had to call back."),
    ("I6", "csat", 1, 5, ""),
    ("I8", "csat", 0, 5, '=HYPERLINK("http://x") did not explain anything'),
    ("I9", "csat", 1, 5, "rude"),
    ("I0", "csat", 1, 5, "rude"),
]


def import_surveys(ws, folder) -> None:
    path = folder / "surveys.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["interaction", "survey", "score", "scale_max", "comment"])
        out.writerows(SURVEYS)
    report = import_feedback(ws, path, "survey")
    assert report.written and report.inserted == len(SURVEYS), report.errors


@pytest.fixture
def data(ws, tmp_path):
    built = dashboard_data.build(ws)
    import_surveys(ws, tmp_path)
    return built


def themes_of(m, agent: str) -> dict[str, int]:
    s = m.surveys[m.agents.index(agent)]
    return {k: n for k, n in zip(KEYS, s.counts, strict=True) if n}


def test_survey_themes_per_agent(ws, data):
    m = training_matrix(ws, DashboardQuery(OCT))
    assert m.agents == ("Alex", "Sam", "Kim") and m.themes == st.THEMES
    assert [s.negative for s in m.surveys] == [2, 1, 3]
    assert themes_of(m, "Alex") == {"waiting": 1, "attitude": 1, "transferred": 1, "callback": 1}
    assert themes_of(m, "Sam") == {"listening": 1}
    assert themes_of(m, "Kim") == {"unresolved": 1, "unclear": 1}
    sam = m.surveys[1].examples[KEYS.index("listening")]
    assert sam == ("Didn't listen, I had to repeat myself. Ring me on [phone number removed].",)


def test_survey_themes_follow_the_team_filter(ws, data):
    blue = training_matrix(ws, DashboardQuery(OCT, team="Blue"))
    assert blue.agents == ("Alex", "Sam")
    assert [s.negative for s in blue.surveys] == [2, 1]


def test_mystery_shops_are_shown_on_their_own(ws, data):
    m = training_matrix(ws, DashboardQuery(OCT))
    assert m.mystery == (MysteryShops(), MysteryShops(), MysteryShops(1, 50.0, 0))


def test_out_of_period_responses_are_left_out(ws, data):
    # September: only E0 (Alex, no fails) and the September survey on I0.
    m = training_matrix(ws, DashboardQuery(parse_period("2026-09")))
    assert m.agents == ("Alex",)
    assert m.surveys[0].negative == 1 and themes_of(m, "Alex") == {"attitude": 1}


def test_an_agent_with_only_surveys_gets_a_row(ws, data):
    ws.db.execute("INSERT INTO agents (uuid, external_id, name, team_id) VALUES (?, 'A4', 'Zoe', "
                  "(SELECT id FROM teams WHERE name = 'Red'))", [new_uuid()])  # fmt: skip
    ws.db.execute("INSERT INTO interactions (uuid, external_id, channel, agent_id, started_at, "
                  "imported_at) VALUES (?, 'I11', 'voice', (SELECT id FROM agents WHERE "
                  "external_id = 'A4'), '2026-10-20T10:00:00Z', '2026-11-01T00:00:00Z')",
                  [new_uuid()])  # fmt: skip
    ws.db.execute("INSERT INTO survey_responses (uuid, interaction_id, score, scale_max, comment, "
                  "imported_at) VALUES (?, (SELECT id FROM interactions WHERE external_id = "
                  "'I11'), 1, NULL, 'no one called me', '2026-11-01T00:00:00Z')",
                  [new_uuid()])  # fmt: skip
    m = training_matrix(ws, DashboardQuery(OCT))
    assert m.agents == ("Alex", "Sam", "Kim", "Zoe")
    assert m.rates[3] == (None,) * len(m.questions)  # never assessed
    # scale_max NULL counts as a 1–5 scale: 1 ≤ 2 is negative; "no one called" is a call-back.
    assert m.surveys[3].negative == 1 and themes_of(m, "Zoe") == {"callback": 1}
