"""How the demo's evaluators answer: the patterns a QA lead should recognise in six months of scores.

Answers come from four things, in this order:

1. **the contact itself** where the answer is a fact, not a judgement: the card security code was
   read back (``pci_breach``) so ``no_cvv`` fails; the account was discussed before ID&V
   (``skips_id_check``) so ``idv`` fails; no payment, no hold, no vulnerability → N/A. These are
   the same whoever evaluates, so the fatal and critical fails always match the transcript;
2. **the agent**: their service quality (``profile["quality"]``, rising month by month for the
   improving agent) sets how often judgement questions fail and how high scale answers sit, and a
   weak agent fails their own two or three weak questions most of the time;
3. **the evaluator's style**: a lenient evaluator fails less and marks borderline scale answers
   up, a harsh one the opposite, team leaders are a little generous with their own people;
4. **noise** from the step's seeded generator.

Everything here is pure (no database): the step in ``evaluations`` feeds it the roster and the
contacts and writes what comes back.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from qa_studio.demo.contacts import DemoContact
from qa_studio.demo.roster import QA_TEAM, DemoAgent, Roster
from qa_studio.scorecards.schema import Question, Scorecard

#: Questions a weak agent can be weak on: everyday service skills every voice form asks about
#: (several are on the chat form too), never the compliance facts above.
WEAK_CANDIDATES = (
    "summarise_next_steps",
    "further_help",
    "empathy",
    "ownership",
    "use_name",
    "active_listening",
    "account_notes",
    "call_control",
    "clear_language",
)
#: What the improving agent works on: questions on both the voice and the chat form, so the
#: improvement shows whichever channel is evaluated.
DEVELOPING_CANDIDATES = ("summarise_next_steps", "further_help", "empathy", "ownership")
#: How often a weak agent fails a weak question (before the evaluator's style), and how often
#: the improving agent failed their development questions in the first month.
WEAK_FAIL = 0.85
IMPROVING_FAIL = 0.85
#: How often an average agent fails a judgement question; harder questions fail more often.
BASE_FAIL = 0.05
HARDER = {
    "response_times": 0.12,
    "hold_etiquette": 0.12,
    "root_cause_recorded": 0.12,
    "next_steps_timescales": 0.1,
    "classified_correctly": 0.1,
    "first_contact_resolution": 0.08,
    "accuracy": 0.07,
    "canned_responses": 0.08,
    "personalisation": 0.08,
}
#: Optional questions that are simply not applicable on a share of contacts.
SOMETIMES_NA = {
    "waiting_announced": 0.45,
    "links_explained": 0.6,
    "case_updated": 0.3,
    "follow_up": 0.4,
}
CARD_TOPICS = ("card_payment", "overdue_payment", "collections_callback", "arrears_payment")
PCI_KEYS = ("no_cvv", "no_card_details_in_chat", "secure_payment_method")
ALWAYS_MET = (
    "no_third_party_disclosure",
    "did_not_obstruct",
    "correct_recipient",
    "minimum_data",
    "fair_sales_conduct",
)


@dataclass(frozen=True)
class Style:
    """An evaluator's habits: ``fail_mult`` scales how readily they fail a judgement question,
    ``level`` shifts their scale answers (in scale points) and Full-versus-Partial choices."""

    fail_mult: float = 1.0
    level: float = 0.0


LENIENT = Style(0.35, 1.0)
HARSH = Style(2.0, -1.0)
TEAM_LEADER = Style(0.8, 0.3)


@dataclass(frozen=True)
class Patterns:
    """What the demo plants, stored in the workspace (setting ``demo.patterns``) so tests and
    later demo steps (coaching, calibration) can find it."""

    weak: dict[str, tuple[str, ...]]  # agent external id → their weak question keys
    improving: str | None  # agent external id
    developing: tuple[str, ...]  # what the improving agent worked on (their coaching goals)
    lenient: str  # evaluator name
    harsh: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "weak": {k: list(v) for k, v in self.weak.items()},
                "improving": self.improving,
                "developing": list(self.developing),
                "lenient": self.lenient,
                "harsh": self.harsh,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Patterns:
        doc = json.loads(text)
        weak = {k: tuple(v) for k, v in doc["weak"].items()}
        return cls(weak, doc["improving"], tuple(doc["developing"]), doc["lenient"], doc["harsh"])


def choose_patterns(roster: Roster, first_day: date, rng: random.Random) -> Patterns:
    """Pick the improving agent and what they work on, the weak agents with their weak questions,
    and the lenient and harsh evaluators.

    Only agents who worked the whole period qualify, so every pattern has six months of
    evaluations behind it. Nobody in a team is weak on a question a team-mate is weak on or
    developing, and a weak agent always has a team-mate who is not weak, so "the rest of the
    team" is a real comparison.
    """
    whole = [a for a in roster.agents if a.started_on < first_day and not a.new_starter]
    planned = [a for a in whole if a.on_improvement_plan]
    improving = (planned or sorted(whole, key=lambda a: a.profile["quality"]))[:1]
    used: dict[str, list[str]] = {t.name: [] for t in roster.teams}
    developing: tuple[str, ...] = ()
    if improving:
        developing = DEVELOPING_CANDIDATES
        used[improving[0].team].extend(developing)
    pool = [a for a in whole if a not in improving]
    rng.shuffle(pool)
    taken = dict.fromkeys(used, 0)
    wanted = 3 if len(roster.agents) < 16 else 4
    weak: dict[str, tuple[str, ...]] = {}

    def free(agent: DemoAgent) -> list[str]:
        return [k for k in WEAK_CANDIDATES if k not in used[agent.team]]

    def fits(agent: DemoAgent) -> bool:
        mates = [o for o in whole if o.team == agent.team and o is not agent]
        return len(free(agent)) >= 2 and any(o.external_id not in weak for o in mates)

    while len(weak) < wanted:
        open_ = [a for a in pool if a.external_id not in weak and fits(a)]
        if not open_:
            break
        fewest = min(taken[a.team] for a in open_)  # spread weak agents over the teams
        agent = next(a for a in open_ if taken[a.team] == fewest)
        keys = tuple(sorted(rng.sample(free(agent), min(len(free(agent)), rng.choice((2, 3))))))
        weak[agent.external_id] = keys
        used[agent.team].extend(keys)
        taken[agent.team] += 1
    voice = [
        name
        for name, role, _c, channels, *_ in QA_TEAM
        if role == "evaluator" and "voice" in channels
    ]
    lenient, harsh = rng.sample(voice, 2)
    return Patterns(
        dict(sorted(weak.items())),
        improving[0].external_id if improving else None,
        developing,
        lenient,
        harsh,
    )


def styles(roster: Roster, patterns: Patterns, rng: random.Random) -> dict[str, Style]:
    """Every evaluator's style: the planted lenient/harsh pair, generous team leaders, and small
    personal differences for everyone else."""
    out: dict[str, Style] = {}
    for ev in roster.evaluators:
        if ev.name == patterns.lenient:
            out[ev.name] = LENIENT
        elif ev.name == patterns.harsh:
            out[ev.name] = HARSH
        elif ev.role == "team_leader":
            out[ev.name] = TEAM_LEADER
        else:
            out[ev.name] = Style(
                round(rng.uniform(0.9, 1.1), 3), round(rng.uniform(-0.15, 0.15), 3)
            )
    return out


def quality(agent: DemoAgent, patterns: Patterns, month: int, months: int) -> float:
    """The agent's quality as evaluators see it in month ``month`` (0-based) of ``months``; the
    improving agent climbs from clearly below standard to good, month on month."""
    if agent.external_id == patterns.improving:
        return -1.1 + 2.0 * month / max(1, months - 1)
    return agent.profile["quality"]


def focus(agent: DemoAgent, patterns: Patterns, month: int, months: int) -> dict[str, float]:
    """How often the agent fails the questions they are weak on: a weak agent most of the time,
    all six months; the improving agent often at first, hardly ever by the last month."""
    if agent.external_id == patterns.improving:
        left = 1.0 - month / max(1, months - 1)
        return {k: IMPROVING_FAIL * left for k in patterns.developing}
    return dict.fromkeys(patterns.weak.get(agent.external_id, ()), WEAK_FAIL)


def takes_card(c: DemoContact) -> bool:
    return c.pci_breach or bool(c.tags and c.tags[0] in CARD_TOPICS)


def fact(card_key: str, q: Question, c: DemoContact) -> object | None:
    """The answer the contact itself decides, or None when the question is a judgement call."""
    k = q.key
    if k in PCI_KEYS:
        if c.pci_breach:
            return "no"
        return "yes" if takes_card(c) or not q.allow_na else "na"
    if k == "no_card_data_in_notes":  # typed into the chat: the card number sits in the record
        return "no" if c.pci_breach and c.channel == "chat" else "yes"
    if k == "idv":
        return "no" if c.skips_id_check else "yes"
    if k in ALWAYS_MET:
        return "yes"
    if k == "recording_disclosure":
        if c.channel != "voice":
            return "na"
        if c.direction == "inbound":  # the IVR message played
            return "na" if card_key == "voice_service" else "yes"
        return None
    if k in ("sar_recognised", "accurate_rights"):
        return "na"
    if k in ("vulnerability_considered", "vulnerability_recognised", "vulnerability_recorded"):
        return None if c.vulnerable else "na"
    if k == "reasonable_adjustments":
        return None if c.vulnerable and "anxious" in _text(c) else "na"
    if k == "hold_etiquette":
        return None if c.hold_s > 0 else "na"
    if k == "first_contact_resolution":
        return "na" if c.fcr is None else None
    if k == "complaint_recognised":
        return None if c.complaint != "none" else "na"
    if k == "summary_resolution_communication":
        return "na" if c.complaint == "formal" else None
    return None


def _text(c: DemoContact) -> str:
    return " ".join(t.text.lower() for t in c.transcript.turns) if c.transcript else ""


def fail_chance(q: Question, agent_quality: float, focus: float | None, style: Style) -> float:
    """How likely this evaluator is to fail this agent on this judgement question; ``focus`` is
    the agent's own failure rate on a question they are weak on (None for the others)."""
    spread = min(2.4, max(0.45, 1.0 + 1.2 * (0.3 - agent_quality)))
    usual = min(0.6, HARDER.get(q.key, BASE_FAIL) * spread * style.fail_mult)
    if focus is None:
        return usual
    return max(usual, min(0.92, focus * style.fail_mult**0.05))


def fails(
    q: Question,
    agent_quality: float,
    focus: float | None,
    style: Style,
    credit: dict[str, float],
    rng: random.Random,
) -> bool:
    """Whether this answer fails. Questions an agent is weak on are decided by a running credit
    rather than a coin each time — the agent passes once the pass credit they have built up
    reaches one — so a weak agent's pass rate is what ``focus`` says even over a dozen
    evaluations, the way a real pattern holds, instead of drifting with the dice."""
    chance = fail_chance(q, agent_quality, focus, style)
    if focus is None:
        return rng.random() < chance
    have = credit.get(q.key, rng.random()) + (1.0 - chance)
    passed = have >= 1.0
    credit[q.key] = have - 1.0 if passed else have
    return not passed


def judge(
    q: Question, failed: bool, agent_quality: float, style: Style, rng: random.Random
) -> object:
    """A judgement answer on the right side of the line, then how far above or below it."""
    skill = min(0.95, max(0.05, 0.55 + 0.4 * agent_quality))
    if q.type == "yes_no":
        return "no" if failed else "yes"
    if q.type == "scale":
        assert q.scale is not None
        lo, hi, line = q.scale.min, q.scale.max, q.scale.pass_at
        if failed:
            return max(lo, line - 1 - (rng.random() < 0.2))
        mean = line + (hi - line) * skill + style.level
        return min(hi, max(line, round(rng.gauss(mean, 0.7))))
    assert q.pass_at is not None
    ranked = sorted(q.options, key=lambda o: -o.points)
    passing = [o for o in ranked if o.points >= q.pass_at]
    failing = [o for o in ranked if o.points < q.pass_at]
    if failed and failing:
        return (failing[-1] if rng.random() < 0.2 else failing[0]).label
    full = min(0.97, max(0.05, 0.3 + 0.6 * skill + 0.2 * style.level))
    return (passing[0] if rng.random() < full else passing[-1]).label


def answer_card(
    card: Scorecard,
    c: DemoContact,
    agent_quality: float,
    focus: Mapping[str, float],
    style: Style,
    credit: dict[str, float],
    rng: random.Random,
) -> dict[str, object]:
    """Answers to every question of ``card`` for contact ``c``; ``focus`` maps the agent's weak
    questions to how often they fail them, ``credit`` is the agent's running pass credit on
    those questions (kept by the caller from one evaluation to the next)."""
    out: dict[str, object] = {}
    for q in card.questions():
        value = fact(card.key, q, c)
        if value is None and q.allow_na and rng.random() < SOMETIMES_NA.get(q.key, 0.0):
            value = "na"
        if value is None:
            failed = fails(q, agent_quality, focus.get(q.key), style, credit, rng)
            value = judge(q, failed, agent_quality, style, rng)
        out[q.key] = value
    return out
