"""The demo step that runs three past calibration sessions, so the calibration screen has
something real to show.

What a QA lead finds, and where it comes from:

- three closed, blind sessions on the voice form, about two and a half months, six weeks and three
  weeks before ``--end``; each has the QA lead as the expert, every voice QA evaluator (so the
  planted lenient and harsh evaluators of ``evaluation_patterns`` take part) and one or two team
  leaders: five or six evaluators on three or four shared calls from agents of different quality;
- evaluators agree on the facts of a call (ID&V done, card details, holds) and mostly on the
  judgement questions, each reading the scale a little up or down by their style;
- ``ownership`` is the ambiguous question: its guidance says a warm transfer "can score 3–4",
  and every evaluator has their own reading of a handover, so it disagrees far more than the rest
  (each evaluator says why in a note on it — the drill-down's side-by-side comments);
- one evaluator marks first-contact resolution N/A far more often than colleagues (the N/A habit
  the results flag).

Deterministic: times come from ``--end`` and draws from this step's own generator. What was
planted is stored in the workspace setting ``demo.calibration``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from qa_studio.demo.contacts import DemoContact
from qa_studio.demo.evaluation_feedback import comment
from qa_studio.demo.evaluation_patterns import Style, answer_card, fact, focus, quality
from qa_studio.demo.evaluations import load_patterns
from qa_studio.domain.scoring import score
from qa_studio.domain.timeutil import to_iso
from qa_studio.scorecards.schema import Question, Scorecard
from qa_studio.storage.repository import calibration, scorecards
from qa_studio.storage.repository.calibration_record import (
    CalibrationEntry,
    record_session_evaluations,
)
from qa_studio.storage.repository.workspace_info import set_setting

if TYPE_CHECKING:
    from qa_studio.demo.builder import DemoContext
    from qa_studio.demo.evaluation_patterns import Patterns
    from qa_studio.demo.roster import DemoEvaluator

CARD = "voice_service"
AMBIGUOUS = "ownership"
NA_HABIT_QUESTION = "first_contact_resolution"
#: What the ambiguous question's guidance says a warm transfer is worth: "can score 3–4".
AMBIGUOUS_TRUTH = 3.5
SETTING = "demo.calibration"
#: (days before --end, name, interactions, team leaders) for each session, oldest first.
SESSIONS: tuple[tuple[int, str, int, int], ...] = (
    (75, "Monthly voice calibration", 3, 1),
    (45, "Monthly voice calibration", 4, 2),
    (20, "Ownership on transfers", 3, 1),
)
#: How far back before a session its calls are taken from.
WINDOW_DAYS = 35


@dataclass(frozen=True)
class Reading:
    """How one evaluator reads the form in calibration: ``shift`` is the chance of marking a
    scale answer one point up (+) or down (−); ``ambiguous`` their own offset, in scale points,
    on the ambiguous question; ``na_habit`` whether they mark N/A where others answer."""

    shift: float = 0.0
    ambiguous: float = 0.0
    na_habit: bool = False


def readings(
    people: list[DemoEvaluator], patterns: Patterns, na_habit: str | None, rng: random.Random
) -> dict[str, Reading]:
    out = {}
    for ev in people:
        if ev.name == patterns.lenient:
            reading = Reading(0.3, 2.0)
        elif ev.name == patterns.harsh:
            reading = Reading(-0.3, -2.0)
        elif ev.role == "qa_lead":
            reading = Reading(0.0, 0.0)  # the expert reads the guidance as written
        elif ev.role == "team_leader":
            reading = Reading(0.1, round(rng.uniform(0.3, 1.3), 2))
        else:
            reading = Reading(0.0, round(rng.uniform(-1.3, 1.3), 2))
        if ev.name == na_habit:
            reading = Reading(reading.shift, reading.ambiguous, True)
        out[ev.name] = reading
    return out


def _clamp(q: Question, value: float) -> int:
    assert q.scale is not None
    return int(min(q.scale.max, max(q.scale.min, round(value))))


def answer_as(
    card: Scorecard,
    c: DemoContact,
    truth: dict[str, object],
    reading: Reading,
    rng: random.Random,
) -> dict[str, object]:
    """One evaluator's answers: the facts as they are, judgement answers as ``reading`` sees them."""
    out: dict[str, object] = {}
    for q in card.questions():
        value = truth[q.key]
        if value == "na" or fact(card.key, q, c) is not None:
            out[q.key] = value
            continue
        if q.key == AMBIGUOUS:
            # Everyone hears the same handover; what it is worth is read differently.
            value = _clamp(q, AMBIGUOUS_TRUTH + reading.ambiguous + rng.gauss(0.0, 0.8))
        elif q.type == "scale" and rng.random() < abs(reading.shift):
            value = _clamp(q, float(value) + (1 if reading.shift > 0 else -1))
        elif q.key == NA_HABIT_QUESTION and reading.na_habit and q.allow_na:
            value = "na" if rng.random() < 0.75 else value
        out[q.key] = value
    return out


_OWNERSHIP_NOTES = {
    "high": (
        "Warm transfer with a proper summary to the next team: that is ownership to me.",
        "Said who will do what and by when; I read that as a 4 at least.",
    ),
    "mid": (
        "Dealt with what they could and handed over the rest with context: a 3 by the anchors.",
        "Handover was fine but nothing was resolved on this call, so 3.",
    ),
    "low": (
        "Passed it on rather than owning it; 'someone will call you' is not ownership.",
        "Referred without checking it could be solved here. The guidance caps that at 2.",
    ),
}


def _ownership_note(value: object, c: DemoContact, rng: random.Random) -> tuple:
    band = "high" if isinstance(value, int) and value >= 4 else "mid" if value == 3 else "low"
    at_s = None
    if c.transcript is not None:
        agent_turns = [t for t in c.transcript.turns if t.role == "agent" and t.start_s]
        at_s = agent_turns[-1].start_s if agent_turns else None
    return (AMBIGUOUS, at_s, rng.choice(_OWNERSHIP_NOTES[band]))


def spread(card: Scorecard, calls: list[DemoContact], truths: dict[int, dict]) -> None:
    """Where a scale answer came out the same on every call, mark the best agent's call a point
    up (or the weakest's a point down): agents of different quality are picked so the calls
    differ, and agreement is only measurable on answers that vary between calls."""
    ranked = sorted(calls, key=lambda c: (c.agent.profile["quality"], c.external_id))
    for q in card.questions():
        if q.type != "scale" or q.key == AMBIGUOUS or q.scale is None:
            continue
        values = [truths[c.interaction_id][q.key] for c in calls]
        if "na" in values or len(set(values)) > 1:
            continue
        best, worst = truths[ranked[-1].interaction_id], truths[ranked[0].interaction_id]
        if int(values[0]) < q.scale.max:
            best[q.key] = int(values[0]) + 1
        else:
            worst[q.key] = int(values[0]) - 1


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def pick_calls(
    ctx: DemoContext, day: date, n: int, used: set[int], rng: random.Random
) -> list[DemoContact]:
    """``n`` voice calls from different agents of spread quality, handled in the weeks before
    ``day`` (recorded calls first, so the screen can play them), not used by another session."""
    voice = [
        c
        for c in ctx.handled
        if c.channel == "voice"
        and c.transcript is not None
        and c.agent is not None
        and not c.pci_breach
        and not c.skips_id_check
        and c.interaction_id not in used
        and c.local_start.date() < day - timedelta(days=1)
    ]
    recent = [c for c in voice if c.local_start.date() >= day - timedelta(days=WINDOW_DAYS)]
    pool = recent if len({c.agent.external_id for c in recent}) >= n else voice
    rng.shuffle(pool)
    pool.sort(key=lambda c: c.recorded is None)  # stable: recorded calls first
    by_agent: dict[str, DemoContact] = {}
    for c in pool:
        by_agent.setdefault(c.agent.external_id, c)
    ranked = sorted(by_agent.values(), key=lambda c: (c.agent.profile["quality"], c.external_id))
    if len(ranked) <= n:
        return sorted(ranked, key=lambda c: c.local_start)
    step = (len(ranked) - 1) / (n - 1)
    return sorted((ranked[round(i * step)] for i in range(n)), key=lambda c: c.local_start)


def _eligible(ctx: DemoContext) -> tuple[list[DemoEvaluator], list[DemoEvaluator]]:
    """The QA people who score voice calls (the QA lead first) and the team leaders."""
    assert ctx.roster is not None
    qa = [
        e
        for e in ctx.roster.evaluators
        if e.role != "team_leader"
        and "voice" in e.skills["channels"]
        and CARD in e.skills["scorecards"]
    ]
    qa.sort(key=lambda e: e.role != "qa_lead")  # stable: the QA lead, then the evaluators
    return qa, [e for e in ctx.roster.evaluators if e.role == "team_leader"]


def _at(ctx: DemoContext, day: date, rng: random.Random) -> datetime:
    return ctx.at(day, rng.randint(10, 15), rng.randrange(60))


def step_calibration(ctx: DemoContext) -> dict[str, int]:
    """Three closed calibration sessions on the voice form (needs the evaluations step)."""
    patterns = load_patterns(ctx.ws)
    version = scorecards.latest(ctx.ws, CARD)
    if ctx.roster is None or patterns is None or version is None:
        return {"calibration_sessions": 0, "calibration_evaluations": 0}
    rng = ctx.rng("calibration")
    card = version.card
    first, end = ctx.spec.first_day, ctx.spec.end
    months = (end.year - first.year) * 12 + end.month - first.month + 1
    qa, leaders_all = _eligible(ctx)
    plain = [
        e.name
        for e in qa
        if e.role == "evaluator" and e.name not in (patterns.lenient, patterns.harsh)
    ]
    na_habit = plain[0] if plain else None
    reading = readings(qa + leaders_all, patterns, na_habit, rng)
    used: set[int] = set()
    made: list[int] = []
    n_evaluations = 0
    for days_before, name, n_calls, leaders in SESSIONS:
        day = _weekday(end - timedelta(days=days_before))
        calls = pick_calls(ctx, day, n_calls, used, rng)
        people = qa + rng.sample(leaders_all, min(leaders, len(leaders_all)))
        if len(calls) < 2 or len(people) < 2:
            continue
        used.update(c.interaction_id for c in calls)
        opened = ctx.at(day, 9, 0)
        session = calibration.create_session(
            ctx.ws,
            f"{name}, {day.strftime('%B %Y')}",
            version.id,
            [c.interaction_id for c in calls],
            [e.name for e in people],
            expert=people[0].name if people[0].role == "qa_lead" else None,
            rng=rng,
            opened_at=to_iso(opened),
        )
        truths = {}
        for c in calls:
            assert c.agent is not None
            month = (c.local_start.year - first.year) * 12 + c.local_start.month - first.month
            truths[c.interaction_id] = answer_card(
                card,
                c,
                quality(c.agent, patterns, month, months),
                focus(c.agent, patterns, month, months),
                Style(),
                {},
                rng,
            )
        spread(card, calls, truths)
        entries = []
        for c in calls:
            truth = truths[c.interaction_id]
            for ev in people:
                answers = answer_as(card, c, truth, reading[ev.name], rng)
                result = score(card, answers)
                failed = [k for k, a in result.answers.items() if a.failed]
                started = _at(ctx, day + timedelta(days=rng.randint(0, 2)), rng)
                review = c.duration_s * 1.3 + rng.uniform(300.0, 900.0)
                entries.append(
                    CalibrationEntry(
                        interaction_id=c.interaction_id,
                        evaluator=ev.name,
                        answers=answers,
                        started_at=to_iso(started),
                        submitted_at=to_iso(started + timedelta(seconds=review)),
                        notes=[_ownership_note(answers[AMBIGUOUS], c, rng)],
                        comment=comment(
                            card.key,
                            c.channel,
                            result.percent,
                            failed,
                            result.failed_fatal,
                            result.failed_critical,
                            None,
                            rng,
                        ),
                    )
                )
        record_session_evaluations(ctx.ws, session.id, entries, rng=rng)
        closed = ctx.at(_weekday(day + timedelta(days=5)), 16, 30)
        calibration.close_session(ctx.ws, session.id, closed_at=to_iso(closed))
        made.append(session.id)
        n_evaluations += len(entries)
    set_setting(
        ctx.ws.db,
        SETTING,
        json.dumps(
            {"ambiguous": AMBIGUOUS, "na_habit": na_habit, "sessions": made}, sort_keys=True
        ),
    )
    ctx.progress(f"demo: {len(made)} calibration sessions, {n_evaluations} calibration evaluations")
    return {"calibration_sessions": len(made), "calibration_evaluations": n_evaluations}
