"""A small workspace for the coaching-pack tests, built through the repositories.

Teams Blue (leader Tina Leader; agents A1 Alex Able, A3 Cam Cole) and Red (A2 Sam Stone).
Two scorecards: the SCORECARDS.md worked example (voice, target 85: critical ``idv``, fatal
``cvv``) and a small chat card (target 80, ``tone`` allows N/A). October 2026 is the period under
test, September the previous one; May–August hold older evaluations for the trend.

Traps the figures must avoid: a draft (never counts), a calibration evaluation whose session does
not count, one whose session counts once closed (and is), and a disputed evaluation (counts). Comments and notes carry a
formula (``=1+2``), a Luhn-valid card number and a UK mobile number.
"""

from __future__ import annotations

from qa_studio.domain.models import Evaluator, Interaction
from qa_studio.storage.repository import evaluations, people, scorecards
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL
from qa_studio.storage.repository.evaluation_import import EvaluationImport, record_evaluations
from qa_studio.storage.repository.interactions import interaction_id, upsert_interactions
from tests.scorecard_examples import WORKED_EXAMPLE as VOICE

CHAT = """\
key: chat_example
name: Chat example
channel: chat
target: 80
na_policy: exclude
fatal_policy: report_separately
sections:
  - key: writing
    name: Writing
    questions:
      - {key: tone, text: Friendly and clear tone, type: yes_no, allow_na: true}
      - {key: spelling, text: Correct spelling and grammar, type: yes_no}
"""
GOOD = {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"}
FORMULA_COMMENT = "=1+2 should stay text"
CARD = "4111 1111 1111 1111"
PHONE = "07700 900123"
CARD_NOTE = f"Customer read out {CARD} and called back on {PHONE}"
#: (agent, channel, month-day ISO "MM-DD", answers, notes, comment) — voice unless channel chat.
PLAN: list[tuple] = [
    # October 2026 (the period)
    ("A1", "voice", "10-02", GOOD, [], None),
    ("A1", "voice", "10-06", {**GOOD, "idv": "no"}, [("idv", 75.5, CARD_NOTE)], FORMULA_COMMENT),
    (
        "A1",
        "voice",
        "10-09",
        {**GOOD, "empathy": 2},
        [("empathy", 12.0, "Rushed the apology")],
        None,
    ),
    (
        "A1",
        "voice",
        "10-15",
        {**GOOD, "cvv": "no"},
        [(None, 3725.0, "Long hold; see 1:02:05")],
        None,
    ),
    ("A1", "chat", "10-20", {"tone": "na", "spelling": "no"}, [("spelling", None, "Typos")], None),
    ("A1", "chat", "10-27", {"tone": "yes", "spelling": "yes"}, [("tone", None, "-nice-")], None),
    ("A3", "voice", "10-03", GOOD, [], None),
    ("A3", "voice", "10-21", {**GOOD, "greet": "no"}, [], "@mention the greeting"),
    ("A2", "voice", "10-04", {**GOOD, "empathy": 3}, [], None),
    ("A2", "voice", "10-30", {**GOOD, "idv": "no", "empathy": 5}, [], None),
    # September 2026 (the previous period)
    ("A1", "voice", "09-10", GOOD, [], None),
    ("A1", "voice", "09-24", {**GOOD, "empathy": 1}, [], None),
    ("A3", "voice", "09-12", {**GOOD, "idv": "no"}, [], None),
    # earlier months: the trend
    ("A1", "voice", "07-08", GOOD, [], None),
    ("A1", "voice", "05-19", {**GOOD, "greet": "no"}, [], None),
    ("A3", "voice", "06-11", GOOD, [], None),
]
AGENTS = {"A1": ("Alex Able", "Blue"), "A2": ("Sam Stone", "Red"), "A3": ("Cam Cole", "Blue")}


def _interaction(n: int, agent: str, channel: str, day: str) -> Interaction:
    name, team = AGENTS[agent]
    return Interaction(
        external_id=f"INT-{n:03d}",
        channel=channel,
        started_at=f"2026-{day}T10:{n % 60:02d}:00Z",
        agent_external_id=agent,
        agent_name=name,
        team=team,
        duration_s=300.0 + 10 * n,
        hold_s=20.0,
        wrap_s=30.0 + n,
        csat=1 + n % 5,
        fcr=n % 3 != 0,
        recording_path=f"test.media/INT-{n:03d}.wav" if channel == "voice" else None,
    )


def build(ws) -> dict:
    """Fill ``ws`` with the plan above plus the traps; return handy ids."""
    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Ann"))
        leader = people.ensure_evaluator(ws, Evaluator(None, "Tina Leader", role="team_leader"))
        people.ensure_evaluator(ws, Evaluator(None, "Lee", role="qa_lead"))
        items = [_interaction(n, a, ch, day) for n, (a, ch, day, *_r) in enumerate(PLAN, 1)]
        # unevaluated contacts still count toward the KPIs
        items += [_interaction(100 + n, a, "voice", "10-11") for n, a in enumerate(AGENTS)]
        # the traps: a draft, two calibration evaluations and a disputed one (all A1, October)
        items += [_interaction(200 + n, "A1", "voice", f"10-{12 + n:02d}") for n in range(4)]
        upsert_interactions(ws, items)
        people.ensure_team(ws, "Blue", leader)
    voice = scorecards.publish(ws, VOICE, "First version")
    chat = scorecards.publish(ws, CHAT, "First version")
    imports = []
    for n, (_agent, channel, day, answers, notes, comment) in enumerate(PLAN, 1):
        imports.append(
            EvaluationImport(
                interaction_id=interaction_id(ws, f"INT-{n:03d}"),
                version_id=(voice if channel == "voice" else chat).id,
                evaluator="Ann",
                answers=answers,
                started_at=f"2026-{day}T12:00:00Z",
                submitted_at=f"2026-{day}T12:10:00Z",
                signed_at=f"2026-{day}T12:20:00Z",
                notes=notes,
                comment=comment,
            )
        )
    record_evaluations(ws, imports)
    trap = [interaction_id(ws, f"INT-{200 + n:03d}") for n in range(4)]
    # A draft: never counts.
    draft = evaluations.start(ws, trap[0], voice.id, "Ann")
    evaluations.save_answers(ws, draft.id, {**GOOD, "idv": "no"})
    # Calibration: only the session that counts toward scores is counted.
    for n, counts in ((1, 0), (2, 1)):
        ws.db.execute(
            "INSERT INTO calibration_sessions (uuid, name, scorecard_version_id, "
            "counts_toward_scores, opened_at) VALUES (?, ?, ?, ?, '2026-10-01T00:00:00Z')",
            [f"cal-{n}", f"Session {n}", voice.id, counts],
        )
        session = ws.db.execute("SELECT id FROM calibration_sessions WHERE uuid = ?", [f"cal-{n}"])
        cal = evaluations.start(
            ws, trap[n], voice.id, "Ann", source="calibration",
            calibration_session_id=session.fetchone()[0],
        )  # fmt: skip
        evaluations.save_answers(ws, cal.id, {**GOOD, "cvv": "no"} if n == 1 else GOOD)
        evaluations.submit(ws, cal.id)
    # A counting session counts only once closed (counting.COUNTED_EVALUATION_SQL).
    with ws.db.atomic():
        ws.db.execute(
            "UPDATE calibration_sessions SET closed_at = '2026-10-02T00:00:00Z' WHERE uuid = 'cal-2'"
        )
    # Disputed: counts while the dispute is open.
    disputed = record_evaluations(ws, [EvaluationImport(
        interaction_id=trap[3], version_id=voice.id, evaluator="Ann",
        answers={**GOOD, "empathy": 3}, started_at="2026-10-15T12:00:00Z",
        submitted_at="2026-10-15T12:10:00Z", signed_at="2026-10-15T12:20:00Z")])[0]  # fmt: skip
    with ws.db.atomic():
        ws.db.execute("UPDATE evaluations SET status = 'disputed' WHERE id = ?", [disputed])
    return {"voice": voice, "chat": chat, "draft": draft.id, "disputed": disputed}


COUNTED_SQL = f"""
SELECT e.id, e.percent, e.fatal, e.scorecard_version_id, i.started_at, a.external_id, t.name
FROM evaluations e JOIN interactions i ON i.id = e.interaction_id
JOIN agents a ON a.id = i.agent_id LEFT JOIN teams t ON t.id = a.team_id
WHERE {COUNTED_EVALUATION_SQL}
  AND i.started_at >= ? AND i.started_at < ?
"""
#: London October and September 2026 as UTC bounds (BST ends on 25 October).
OCTOBER = ("2026-09-30T23:00:00Z", "2026-11-01T00:00:00Z")
SEPTEMBER = ("2026-08-31T23:00:00Z", "2026-09-30T23:00:00Z")


def counted(ws, bounds: tuple[str, str]) -> list[tuple]:
    """Counted evaluations in ``bounds``, straight from SQL (the tests' independent source)."""
    return ws.db.execute(COUNTED_SQL, list(bounds)).fetchall()
