"""The demo step that adds the customer's side: post-contact survey responses and mystery shops.

What a supervisor opening the demo's training-needs matrix finds beside the fail rates:

- **survey responses** (``survey_responses``, as the feedback importer stores them) to about
  ``SURVEY_SHARE`` of the handled contacts, answered a few hours to two days after the contact
  ends: a 1–5 score and, for many, a comment. The score follows what QA sees — the agent's
  quality that month (the improving agent's rises), their weak questions, and the contact itself
  (not resolved first time, a complaint, a long queue) — and sits near the contact's own CSAT
  where the customer also gave one, so CSAT and QA score agree across agents without being one
  number. Unhappy customers write about the themes that match the agent's weak questions
  (``survey_comments``); a few quote a phone or card number (each weak agent's first unhappy
  comment among them), so the redaction of example comments is visible;
- a handful of **mystery shops** (evaluations with source ``mystery_shop``): the QA team's own
  shoppers contacting a few agents by phone and chat — weak agents, the improving agent and a
  strong one — in the last month and in earlier ones, scored on the channel's service form the
  way the evaluations step scores (the agent's weak questions fail), stored as the importer
  stores a shop (submitted, dated at the contact, with the shopper's comment).

Deterministic: draws come from ``ctx.rng("feedback")``; ``imported_at`` is the run's own time,
as for the interactions.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from qa_studio.demo import survey_comments as sc
from qa_studio.demo.contacts import DemoContact
from qa_studio.demo.evaluation_feedback import comment
from qa_studio.demo.evaluation_patterns import Patterns, Style, answer_card, focus, quality
from qa_studio.demo.evaluations import load_patterns
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.scoring import score
from qa_studio.domain.timeutil import to_iso
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.evaluation_import import EvaluationImport, record_evaluations

if TYPE_CHECKING:
    from qa_studio.demo.builder import DemoContext

SURVEY = "Post-contact survey"
SCALE_MAX = 5.0
SURVEY_SHARE = 0.15
#: How likely a customer is to write something, by score (1–5).
COMMENT_CHANCE = {1: 0.85, 2: 0.75, 3: 0.45, 4: 0.3, 5: 0.35}
#: Share of other unhappy comments that quote a phone number, and a card number.
PHONE_SHARE, CARD_SHARE = 0.05, 0.02
LONG_QUEUE_S = 480.0
SHOP_CHANNELS = {"voice": "voice_service", "chat": "chat_service"}
SHOPPER_STYLE = Style()


def _month(first: date, day: date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def expected_score(c: DemoContact, agent_quality: float, weak: dict[str, float]) -> float:
    """The mean 1–5 score a customer gives after contact ``c``: better agents score higher,
    each weak question costs in proportion to how often it fails, and the contact's own
    story (not resolved, a complaint, a long queue) pulls down; where the customer also gave a
    CSAT on the contact, it moves the survey 30 % of the way towards it."""
    mean = 4.2 + 1.0 * agent_quality - 0.8 * sum(weak.values())
    if c.fcr is False:
        mean -= 0.6
    if c.complaint != "none":
        mean -= 0.9
    if c.queue_wait_s > LONG_QUEUE_S:
        mean -= 0.4
    return 0.7 * mean + 0.3 * c.csat if c.csat is not None else mean


def _themes(rng: random.Random, c: DemoContact, weak: dict[str, float]) -> list[str]:
    """One theme (sometimes two) for an unhappy comment: mostly from the agent's weak
    questions, else from what happened on the contact, else a background complaint."""
    weights: dict[str, float] = {}
    for key, rate in weak.items():
        for theme in sc.WEAKNESS_THEMES.get(key, ()):
            weights[theme] = weights.get(theme, 0.0) + 4.0 * rate
    if c.queue_wait_s > LONG_QUEUE_S:
        weights["waiting"] = weights.get("waiting", 0.0) + 2.0
    if c.fcr is False:
        weights["unresolved"] = weights.get("unresolved", 0.0) + 1.5
    for theme in sc.BACKGROUND_THEMES:
        weights[theme] = weights.get(theme, 0.0) + 0.4
    names = list(weights)
    first = rng.choices(names, [weights[n] for n in names])[0]
    if rng.random() < 0.3:
        rest = [n for n in names if n != first]
        return [first, rng.choices(rest, [weights[n] for n in rest])[0]]
    return [first]


def survey_rows(ctx: DemoContext, patterns: Patterns, rng: random.Random) -> list[tuple]:
    """``(uuid, interaction_id, survey, score, scale_max, comment, responded_at, source,
    imported_at)`` rows, the feedback importer's columns, oldest contact first."""
    first, end = ctx.spec.first_day, ctx.spec.end
    months = _month(first, end) + 1
    last = ctx.at(end + timedelta(days=1), 0)
    seeded: set[str] = set()  # weak agents whose first unhappy comment quoted a number
    rows = []
    for c in sorted(ctx.handled, key=lambda c: c.local_start):
        if rng.random() >= SURVEY_SHARE:
            continue
        agent = c.agent
        assert agent is not None
        responded = c.local_start + timedelta(seconds=c.end_offset_s + rng.uniform(1800, 172800))
        if responded >= last:
            continue  # the survey has not come back yet
        month = _month(first, c.local_start.date())
        weak = focus(agent, patterns, month, months)
        mean = expected_score(c, quality(agent, patterns, month, months), weak)
        value = max(1, min(5, round(rng.gauss(mean, 0.85))))
        text = None
        if rng.random() < COMMENT_CHANCE[value]:
            name = agent.first_name
            if value <= 2:
                number = None
                if agent.external_id in patterns.weak and agent.external_id not in seeded:
                    seeded.add(agent.external_id)
                    number = sc.phone_number(rng)
                elif rng.random() < PHONE_SHARE:
                    number = sc.phone_number(rng)
                elif rng.random() < CARD_SHARE:
                    number = sc.card_number(rng)
                text = sc.negative_comment(rng, _themes(rng, c, weak), name, number)
            else:
                text = sc.other_comment(rng, value, name)
        rows.append((new_uuid(rng), c.interaction_id, SURVEY, float(value), SCALE_MAX, text,
                     to_iso(responded), "import", ctx.imported_at))  # fmt: skip
    return rows


def _shop_agents(ctx: DemoContext, patterns: Patterns, rng: random.Random) -> list[str]:
    """Whom the shoppers contact: up to two weak agents, the improving agent and the strongest
    agent who worked the whole period (external ids, in that order, no repeats)."""
    assert ctx.roster is not None
    whole = [a for a in ctx.roster.agents if a.started_on < ctx.spec.first_day]
    chosen = sorted(patterns.weak)[:2]
    if patterns.improving:
        chosen.append(patterns.improving)
    rest = [a for a in whole if a.external_id not in chosen]
    if rest:
        chosen.append(max(rest, key=lambda a: (a.profile["quality"], a.external_id)).external_id)
    rng.shuffle(chosen)
    return list(dict.fromkeys(chosen))


def shop_items(ctx: DemoContext, patterns: Patterns, rng: random.Random) -> list[EvaluationImport]:
    """One shop per chosen agent in the last month and one more for half of them earlier on,
    each on an unevaluated inbound call or chat without a complaint or a vulnerable customer."""
    assert ctx.roster is not None
    first, end = ctx.spec.first_day, ctx.spec.end
    months = _month(first, end) + 1
    evaluated = {r[0] for r in ctx.ws.db.execute("SELECT DISTINCT interaction_id FROM evaluations")}
    # QA evaluators shop, except the planted lenient and harsh ones (their stories stay clean).
    shoppers = [r[0] for r in ctx.ws.db.execute(
        "SELECT name FROM evaluators WHERE role = 'evaluator' AND active = 1 ORDER BY name")
        if r[0] not in (patterns.lenient, patterns.harsh)]  # fmt: skip
    versions = {k: scorecards.latest(ctx.ws, k) for k in SHOP_CHANNELS.values()}
    agents = {a.external_id: a for a in ctx.roster.agents}
    items = []
    for n, external_id in enumerate(_shop_agents(ctx, patterns, rng)):
        agent = agents[external_id]
        pool = [c for c in ctx.handled if c.agent is agent and c.channel in SHOP_CHANNELS
                and c.direction == "inbound" and c.complaint == "none" and not c.vulnerable
                and not c.pci_breach and c.recorded is None and c.transcript is not None
                and c.interaction_id not in evaluated and c.local_start.date() < end]  # fmt: skip
        wanted = [months - 1] + ([rng.randrange(max(1, months - 1))] if n % 2 == 0 else [])
        for month in wanted:
            inside = [c for c in pool if _month(first, c.local_start.date()) == month]
            if not inside:
                continue
            c = rng.choice(inside)
            version = versions[SHOP_CHANNELS[c.channel]]
            assert version is not None, "the evaluations step publishes the service forms"
            answers = answer_card(version.card, c, quality(agent, patterns, month, months),
                                  focus(agent, patterns, month, months), SHOPPER_STYLE, {},
                                  rng)  # fmt: skip
            result = score(version.card, answers)
            failed = [k for k, a in result.answers.items() if a.failed]
            text = comment(version.card.key, c.channel, result.percent, failed,
                           result.failed_fatal, result.failed_critical, None, rng)  # fmt: skip
            how = "phoned" if c.channel == "voice" else "started a chat"
            items.append(EvaluationImport(
                c.interaction_id, version.id, rng.choice(shoppers), answers, c.started_at,
                status="submitted", submitted_at=c.started_at,
                comment=f"Mystery shop: the shopper {how} as a customer. {text}",
                source="mystery_shop",
            ))  # fmt: skip
    return sorted(items, key=lambda i: str(i.started_at))


def step_feedback(ctx: DemoContext) -> dict[str, int]:
    """Store the survey responses and record the mystery shops (after the evaluations step,
    whose patterns decide both)."""
    patterns = load_patterns(ctx.ws)
    assert patterns is not None, "the evaluations step runs first"
    rng = ctx.rng("feedback")
    rows = survey_rows(ctx, patterns, rng)
    ctx.ws.db.conn.executemany(
        "INSERT INTO survey_responses (uuid, interaction_id, survey, score, scale_max, comment, "
        "responded_at, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    shops = shop_items(ctx, patterns, rng)
    record_evaluations(ctx.ws, shops, rng=rng)
    ctx.progress(f"demo: {len(rows)} survey responses, {len(shops)} mystery shops")
    return {"survey_responses": len(rows), "mystery_shops": len(shops)}
