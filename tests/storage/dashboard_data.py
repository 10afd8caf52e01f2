"""Constructed dashboard data with hand-worked figures (shared by storage, CLI and UI tests).

Teams Blue (A1 Alex, A2 Sam) and Red (A3 Kim); the SCORECARDS.md worked example (target 85).
October 2026, one interaction per day at 10:00 UTC (I1…I9); E_k scores interaction I_k.

  eval agent chan  percent  failed questions         evaluator  submitted
  E1   A1    voice  90      greet                     Ann        +2 days
  E2   A1    voice  80      greet, idv                Ann        +2 days
  E3   A1    voice 100      –                         Ann        +2 days
  E4   A2    voice  70      greet, cvv                Ann        +2 days
  E5   A2    voice  60      greet, idv, empathy       Bo         +4 days
  E6   A3    voice  95      –                         Bo         +4 days
  E7   A3    voice  85      idv                       Bo         +4 days
  E8   A3    chat   50      greet (empathy N/A)       Bo         +4 days  (mystery shop)
  E0   A1    voice  70      (September 15th)          Ann
  E9   A1    voice   0      draft: never counts

QA, October: n 8, Σ 630 → mean 78.75; passes (≥ 85) E1 E3 E6 E7 → 4/8 = 50 %.
  Blue: n 5, Σ 400 → 80.0, passes 2/5 = 40 %. Voice: n 7, Σ 580 → 82.857; chat 1 → 50.
  A1 90 (90, 80, 100; sd 10), A2 65, A3 76.667.
Questions (assessed, failed): greet (8, 5), idv (8, 3), cvv (8, 1), empathy (7, 1) → 10 fails.
  Pareto: greet 50 % (cum 50), idv 30 % (80), cvv 10 % (90), empathy 10 % (100).
  Regulation: UK GDPR Art. 5(1)(f) (idv) 3 of 8; PCI DSS 3.3.1 (cvv) 1 of 8.

Interactions (AHT = duration + wrap; voice only for the overall figure):
  I1 A1 voice 300+60=360  fcr 1 csat 5 wait 10      I6 A3 voice 280+20=300 fcr 1 csat 5 wait 20
  I2 A1 voice 200+40=240  fcr 1 csat 4 wait 30      I7 A3 voice 320+40=360 fcr – csat 4 wait 0
  I3 A1 voice 400+–=400   fcr 0 csat – wait 5       I8 A3 chat  900        fcr 1 csat 5 wait 40
  I4 A2 voice 500+100=600 fcr 0 csat 2 wait 25      I9 no agent voice (abandoned)     wait 60
  I5 A2 voice 350+50=400  fcr 1 csat 3 wait 15
All: AHT 2660/7 = 380.0; FCR 5/7 = 71.43 %; CSAT 28/7 = 4.0; SL(≤20 s, answered) 5/9 = 55.56 %.
Blue: AHT 2000/5 = 400; FCR 3/5 = 60 %; CSAT 14/4 = 3.5; SL 3/5 = 60 %.

Turnaround: contact → evaluation Ann 2 days ×4, Bo 4 days ×4 → overall median 3.0.
Coaching sessions: one on Oct 4th 10:00 citing E1 (submitted Oct 3rd → 1 day) and E2 (Oct 4th
→ 0 days); one on Oct 12th citing E5 (submitted Oct 9th → 3 days). Median 1.0; Ann 0.5, Bo 3.0.
"""

from __future__ import annotations

import json

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import Evaluator
from qa_studio.storage.repository import people, scorecards
from tests.storage.eval_helpers import WORKED_EXAMPLE

QUESTIONS = ("greet", "empathy", "idv", "cvv")
EVALS = [
    # (k, agent, channel, percent, failed, evaluator, days to submit, status, source)
    (1, "A1", "voice", 90.0, {"greet"}, "Ann", 2, "submitted", "sample"),
    (2, "A1", "voice", 80.0, {"greet", "idv"}, "Ann", 2, "submitted", "sample"),
    (3, "A1", "voice", 100.0, set(), "Ann", 2, "final", "sample"),
    (4, "A2", "voice", 70.0, {"greet", "cvv"}, "Ann", 2, "submitted", "sample"),
    (5, "A2", "voice", 60.0, {"greet", "idv", "empathy"}, "Bo", 4, "disputed", "sample"),
    (6, "A3", "voice", 95.0, set(), "Bo", 4, "submitted", "ad_hoc"),
    (7, "A3", "voice", 85.0, {"idv"}, "Bo", 4, "submitted", "ad_hoc"),
    (8, "A3", "chat", 50.0, {"greet"}, "Bo", 4, "submitted", "mystery_shop"),
]
#: (k, agent, channel, duration, wrap, fcr, csat, wait)
CONTACTS = [
    (1, "A1", "voice", 300, 60, 1, 5, 10),
    (2, "A1", "voice", 200, 40, 1, 4, 30),
    (3, "A1", "voice", 400, None, 0, None, 5),
    (4, "A2", "voice", 500, 100, 0, 2, 25),
    (5, "A2", "voice", 350, 50, 1, 3, 15),
    (6, "A3", "voice", 280, 20, 1, 5, 20),
    (7, "A3", "voice", 320, 40, None, 4, 0),
    (8, "A3", "chat", 900, 0, 1, 5, 40),
    (9, None, "voice", None, None, None, None, 60),
]


def _interaction(ws, ext: str, agent_id, channel: str, started: str, kpis=(None,) * 5) -> int:
    duration, wrap, fcr, csat, wait = kpis
    cur = ws.db.execute(
        "INSERT INTO interactions (uuid, external_id, channel, agent_id, started_at, duration_s, "
        "wrap_s, fcr, csat, queue_wait_s, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [new_uuid(), ext, channel, agent_id, started, duration, wrap, fcr, csat, wait,
         "2026-11-01T00:00:00Z"],
    )  # fmt: skip
    return int(cur.lastrowid)


def _evaluation(ws, iid, vid, evaluator_id, percent, failed, started, submitted, status, source,
                na=()) -> int:  # fmt: skip
    cur = ws.db.execute(
        "INSERT INTO evaluations (uuid, interaction_id, scorecard_version_id, evaluator_id, "
        "source, status, percent, score, max_score, started_at, updated_at, submitted_at) "
        "VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?, 7, ?, ?, ?)",
        [new_uuid(), iid, vid, evaluator_id, source, percent, percent * 0.07, started, submitted,
         submitted],
    )  # fmt: skip
    eid = int(cur.lastrowid)
    for key in QUESTIONS:
        ws.db.execute(
            "INSERT INTO answers (uuid, evaluation_id, question_key, value, na, failed) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [new_uuid(), eid, key, "x", int(key in na), int(key in failed)],
        )
    ws.db.execute("UPDATE evaluations SET status = ? WHERE id = ?", [status, eid])
    return eid


def build(ws) -> dict:
    """The data above; returns ids by name."""
    version = scorecards.publish(ws, WORKED_EXAMPLE, "v1")
    with ws.db.atomic():
        ann = people.ensure_evaluator(ws, Evaluator(None, "Ann"))
        bo = people.ensure_evaluator(ws, Evaluator(None, "Bo"))
        blue, red = people.ensure_team(ws, "Blue"), people.ensure_team(ws, "Red")
        agents = {}
        for ext, name, team in (("A1", "Alex", blue), ("A2", "Sam", blue), ("A3", "Kim", red)):
            cur = ws.db.execute(
                "INSERT INTO agents (uuid, external_id, name, team_id) VALUES (?, ?, ?, ?)",
                [new_uuid(), ext, name, team],
            )
            agents[ext] = int(cur.lastrowid)
        iids = {}
        for k, agent, channel, *kpis in CONTACTS:
            iids[k] = _interaction(ws, f"I{k}", agents.get(agent), channel,
                                   f"2026-10-{k:02d}T10:00:00Z", tuple(kpis))  # fmt: skip
        who = {"Ann": ann, "Bo": bo}
        eids = {}
        for k, _agent, _chan, percent, failed, ev, days, status, source in EVALS:
            eids[k] = _evaluation(
                ws, iids[k], version.id, who[ev], percent, failed, f"2026-10-{k:02d}T11:00:00Z",
                f"2026-10-{k + days:02d}T10:00:00Z", status, source,
                na=("empathy",) if k == 8 else (),
            )  # fmt: skip
        sept = _interaction(ws, "I0", agents["A1"], "voice", "2026-09-15T10:00:00Z")
        _evaluation(ws, sept, version.id, ann, 70.0, set(), "2026-09-15T11:00:00Z",
                    "2026-09-16T10:00:00Z", "submitted", "sample")  # fmt: skip
        draft_i = _interaction(ws, "I10", agents["A1"], "voice", "2026-10-10T10:00:00Z")
        cur = ws.db.execute(
            "INSERT INTO evaluations (uuid, interaction_id, scorecard_version_id, evaluator_id, "
            "status, percent, started_at, updated_at) VALUES (?, ?, ?, ?, 'draft', 0, ?, ?)",
            [new_uuid(), draft_i, version.id, ann, "2026-10-11T10:00:00Z", "2026-10-11T10:00:00Z"],
        )
        for held, cited in (("2026-10-04T10:00:00Z", [1, 2]), ("2026-10-12T10:00:00Z", [5])):
            ws.db.execute(
                "INSERT INTO coaching_sessions (uuid, kind, agent_id, held_at, evaluation_ids) "
                "VALUES (?, 'one_to_one', ?, ?, ?)",
                [new_uuid(), agents["A1"], held, json.dumps([eids[k] for k in cited])],
            )
    return {"version": version, "agents": agents, "eids": eids, "draft": int(cur.lastrowid)}
