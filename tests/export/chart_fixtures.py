"""Data for the chart, chart-command and calibration-screen tests.

``build_chart_demo`` fills a workspace with the demo (8 agents, 400 contacts, seed 3: evaluations
and closed calibration sessions included). ``score_all`` lets every evaluator of a session score
every interaction through the repository, with a per-evaluator lean so that deviations are known.
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.demo.builder import DemoSpec, build_demo
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.storage.repository import calibration

DEMO_SPEC = DemoSpec(agents=8, interactions=400, seed=3)
#: Where the tests also leave their PNGs for a person to look at.
LOOK_DIR = Path("/tmp/qa-studio-charts")


def build_chart_demo(path: Path) -> dict:
    ws = open_workspace(path)
    ws.actor = "Test"
    try:
        return build_demo(ws, DEMO_SPEC)
    finally:
        ws.close()


def busiest_agent(ws: Workspace) -> str:
    """The external id of the agent with the most counted evaluations."""
    row = ws.db.execute(
        "SELECT a.external_id, count(*) AS n FROM evaluations e "
        "JOIN interactions i ON i.id = e.interaction_id JOIN agents a ON a.id = i.agent_id "
        "WHERE e.status IN ('submitted', 'signed_off', 'disputed', 'final') "
        "AND e.calibration_session_id IS NULL GROUP BY a.id ORDER BY n DESC, a.external_id LIMIT 1"
    ).fetchone()
    return row[0]


def closed_session_ids(ws: Workspace) -> list[int]:
    return [s.id for s in calibration.list_sessions(ws) if not s.is_open]


#: Worked-example answers (tests.storage.eval_helpers.WORKED_EXAMPLE): all pass = 100 %.
GOOD = {"greet": "yes", "empathy": 5, "idv": "yes", "cvv": "yes"}


def score_all(
    ws: Workspace,
    session_id: int,
    answers: dict[str, dict[str, object]],
    *,
    notes: dict[tuple[str, str], str] | None = None,
    submit: bool = True,
) -> dict[str, list[int]]:
    """Each named evaluator scores every interaction of the session with ``answers[name]``
    (notes ``{(evaluator, question): text}`` added to each); returns evaluation ids by name."""
    from qa_studio.storage.repository import evaluations

    session = calibration.get_session(ws, session_id)
    made: dict[str, list[int]] = {}
    for name, values in answers.items():
        for iid, _external in session.interactions:
            record = calibration.start_evaluation(ws, session_id, iid, name)
            calibration.save_answers(ws, session_id, record.id, values)
            for (who, key), text in (notes or {}).items():
                if who == name:
                    evaluations.add_note(ws, record.id, text, question_key=key)
            if submit:
                calibration.submit_evaluation(ws, session_id, record.id)
            made.setdefault(name, []).append(record.id)
    return made
