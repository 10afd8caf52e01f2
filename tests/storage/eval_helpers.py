"""Test data for the scorecard-version and evaluation tests: people, interactions, the
SCORECARDS.md worked example published as version 1."""

from __future__ import annotations

from qa_studio.domain.models import Evaluator, Interaction
from qa_studio.storage.repository import people, scorecards
from qa_studio.storage.repository.interactions import interaction_id, upsert_interactions
from tests.scorecard_examples import WORKED_EXAMPLE

GOOD = {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"}

#: v2: empathy weight 2 → 4 (weights only, so every v1 evaluation can migrate).
V2_WEIGHTS = WORKED_EXAMPLE.replace("weight: 2\n", "weight: 4\n")
#: v2 with a new question in the compliance section (evaluations cannot migrate to it).
V2_NEW_QUESTION = WORKED_EXAMPLE + (
    "      - {key: recap, text: Recapped the next steps, type: yes_no}\n"
)


def seed(ws, n_interactions: int = 4) -> dict:
    """Evaluators Ann (evaluator), Bo (evaluator), Lee (QA lead); agents A1 (team Blue) and A2
    (team Red) alternating over interactions INT-1…; the worked example published as v1."""
    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Ann"))
        people.ensure_evaluator(ws, Evaluator(None, "Bo"))
        people.ensure_evaluator(ws, Evaluator(None, "Lee", role="qa_lead"))
        upsert_interactions(
            ws,
            [
                Interaction(
                    external_id=f"INT-{i}",
                    channel="voice",
                    started_at=f"2026-10-{i:02d}T10:00:00Z",
                    agent_external_id="A1" if i % 2 else "A2",
                    agent_name="Alex Agent" if i % 2 else "Sam Agent",
                    team="Blue" if i % 2 else "Red",
                )
                for i in range(1, n_interactions + 1)
            ],
        )
    v1 = scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    return {
        "v1": v1,
        "interactions": [interaction_id(ws, f"INT-{i}") for i in range(1, n_interactions + 1)],
    }


def audit_count(ws) -> int:
    return int(ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def actions(ws) -> list[str]:
    return [r[0] for r in ws.db.execute("SELECT action FROM audit_log ORDER BY seq")]
