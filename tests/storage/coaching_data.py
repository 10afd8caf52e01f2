"""A small, hand-made coaching workspace whose before/after numbers are worked out by hand.

Agent A1 (Alex Agent, team Blue) is coached on 2026-06-15 at noon (London). Ten of Alex's calls
were handled in the 30 days before and ten in the 30 days after; each is evaluated once on the
worked-example scorecard (greet, empathy, idv, cvv) and carries a CSAT score and a handle time:

* ``greet`` passes on 4 of the 10 calls before (40 %) and on 9 of the 10 after (90 %);
* CSAT before 3, 3, 4, 2, 3 (and five calls without CSAT), after 4, 5, 4, 5, 4 (five without):
  mean 3.0 → 4.4, s² 0.5 and 0.3, so the Welch standard error is √(0.5/5 + 0.3/5) = 0.4 and the
  Welch–Satterthwaite df is 0.16² / (0.1²/4 + 0.06²/4) = 0.0256 / 0.0034 ≈ 7.529;
* handle time (talk + wrap) 400 s on every call before, 300 s on every call after.

A2 (Sam Agent, Blue: greet fails twice in four) and A3 (Kim Agent, Red: four perfect calls)
have four evaluations each, in the week after the session; Tara leads Blue, Lee is
the QA lead, Ann and Bo evaluate.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from qa_studio.domain.models import Evaluator, Interaction
from qa_studio.domain.timeutil import LONDON, to_iso
from qa_studio.storage.repository import people, scorecards
from qa_studio.storage.repository.evaluation_import import EvaluationImport, record_evaluations
from qa_studio.storage.repository.interactions import interaction_id, upsert_interactions
from tests.storage.eval_helpers import WORKED_EXAMPLE

SESSION_DAY = date(2026, 6, 15)
HELD = datetime(2026, 6, 15, 12, 0, tzinfo=LONDON)
GOOD = {"greet": "yes", "empathy": 5, "idv": "yes", "cvv": "yes"}
BEFORE_GREET = ["yes"] * 4 + ["no"] * 6
AFTER_GREET = ["yes"] * 9 + ["no"]
BEFORE_CSAT = [3, 3, 4, 2, 3, None, None, None, None, None]
AFTER_CSAT = [4, 5, 4, 5, 4, None, None, None, None, None]


def _call(ext: str, when: datetime, agent: str, name: str, team: str, **kw) -> Interaction:
    return Interaction(
        external_id=ext,
        channel="voice",
        started_at=to_iso(when),
        agent_external_id=agent,
        agent_name=name,
        team=team,
        **kw,
    )


def build(ws) -> dict:
    """Fill ``ws``; returns ids: ``{"v1", "before", "after", "others"}`` (evaluation ids)."""
    with ws.db.atomic():
        for name, role in (
            ("Ann", "evaluator"),
            ("Bo", "evaluator"),
            ("Lee", "qa_lead"),
            ("Tara", "team_leader"),
        ):
            people.ensure_evaluator(ws, Evaluator(None, name, role=role))
        tara = ws.db.execute("SELECT id FROM evaluators WHERE name = 'Tara'").fetchone()[0]
        people.ensure_team(ws, "Blue", leader_id=tara)
        calls = []
        for n in range(10):
            before = HELD - timedelta(days=25) + timedelta(days=2 * n, hours=-2)
            after = HELD + timedelta(days=2 + 2 * n)
            calls.append(
                _call(
                    f"B-{n}",
                    before,
                    "A1",
                    "Alex Agent",
                    "Blue",
                    csat=BEFORE_CSAT[n],
                    duration_s=360.0,
                    wrap_s=40.0,
                )
            )
            calls.append(
                _call(
                    f"F-{n}",
                    after,
                    "A1",
                    "Alex Agent",
                    "Blue",
                    csat=AFTER_CSAT[n],
                    duration_s=270.0,
                    wrap_s=30.0,
                )
            )
        for n in range(4):
            when = HELD + timedelta(days=3 + n)
            calls.append(_call(f"S-{n}", when, "A2", "Sam Agent", "Blue", duration_s=300.0))
            calls.append(_call(f"K-{n}", when, "A3", "Kim Agent", "Red", duration_s=300.0))
        upsert_interactions(ws, calls)
    v1 = scorecards.publish(ws, WORKED_EXAMPLE, "First version")

    def item(ext: str, greet: str, evaluator: str = "Ann", note: str | None = None):
        when = datetime.fromisoformat(
            ws.db.execute("SELECT started_at FROM interactions WHERE external_id = ?", [ext])
            .fetchone()[0]
            .replace("Z", "+00:00")
        ) + timedelta(hours=3)
        return EvaluationImport(
            interaction_id=interaction_id(ws, ext),
            version_id=v1.id,
            evaluator=evaluator,
            answers={**GOOD, "greet": greet},
            started_at=when,
            submitted_at=when + timedelta(minutes=10),
            signed_at=when + timedelta(minutes=20),
            notes=[("greet", 4.5, note)] if note else [],
            comment=f"Call {ext}",
        )

    before = record_evaluations(ws, [item(f"B-{n}", g) for n, g in enumerate(BEFORE_GREET)])
    after = record_evaluations(
        ws, [item(f"F-{n}", g, "Bo" if n % 2 else "Ann") for n, g in enumerate(AFTER_GREET)]
    )
    others = record_evaluations(
        ws,
        [item(f"S-{n}", "yes" if n >= 2 else "no", "Bo") for n in range(4)]
        + [item(f"K-{n}", "yes", "Ann") for n in range(4)],
    )
    return {"v1": v1, "before": before, "after": after, "others": others}
