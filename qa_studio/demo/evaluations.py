"""The demo step that publishes the built-in scorecards and six months of evaluations.

What a QA lead opening the demo finds, and where it comes from:

- every agent evaluated four to six times a month (six for the agent on an improvement plan and
  for new starters) on the form for the contact's channel; some complaints on the complaint form,
  a share of calls also on the compliance checklist; by the QA evaluators with the skills for the
  form, the QA lead, and now and then the agent's own team leader;
- evaluations older than the last ten days signed off, recent ones submitted and awaiting sign-off,
  a few drafts in each QA evaluator's queue (some on the recorded calls, so the scoring screen has
  audio to play);
- targeted compliance reviews of calls and chats where the card security code was taken and read
  back — the demo's fatal fails — including both recorded ones;
- notes stamped with the moment in the contact they are about, and an overall comment;
- the patterns of ``evaluation_patterns`` (weak agents, an improving agent, a lenient and a harsh
  evaluator), recorded in the workspace setting ``demo.patterns``.

Every time is derived from ``--end`` and every draw from the step's own generators, so two builds
with the same seed are identical row for row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from qa_studio.demo.contacts import DemoContact
from qa_studio.demo.evaluation_feedback import comment, feedback
from qa_studio.demo.evaluation_moments import moment
from qa_studio.demo.evaluation_patterns import (
    Patterns,
    Style,
    answer_card,
    choose_patterns,
    fact,
    focus,
    quality,
    styles,
)
from qa_studio.demo.roster import QA_TEAM, SCORECARDS, DemoAgent, DemoEvaluator
from qa_studio.domain.scoring import ScoreResult, score
from qa_studio.domain.timeutil import to_iso
from qa_studio.scorecards.schema import Scorecard
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.evaluation_import import EvaluationImport, record_evaluations
from qa_studio.storage.repository.workspace_info import get_setting, set_setting

if TYPE_CHECKING:
    from qa_studio.demo.builder import DemoContext
    from qa_studio.storage.db import Workspace

CHANNEL_CARD = {"voice": "voice_service", "chat": "chat_service", "email": "email_service"}
PATTERNS_SETTING = "demo.patterns"
PER_MONTH = (4, 6)
COMPLAINT_FORM_SHARE = 0.4
COMPLIANCE_SHARE = 0.12
AWAITING_SIGN_OFF_DAYS = 10
LEADER_WEIGHT = 8
MAX_NOTES = 4


@dataclass
class Planned:
    contact: DemoContact
    card_key: str
    evaluator: str
    day: date
    source: str = "ad_hoc"
    draft: bool = False


def load_patterns(ws: Workspace) -> Patterns | None:
    """The patterns a demo workspace holds (None for a workspace that is not a demo)."""
    text = get_setting(ws.db, PATTERNS_SETTING)
    return Patterns.from_json(text) if text else None


class Team:
    """Who may evaluate what, and when they are away."""

    def __init__(self, ctx: DemoContext) -> None:
        assert ctx.roster is not None
        self.roster = ctx.roster
        self.capacity = {name: cap for name, _r, cap, *_ in QA_TEAM}
        self.away: dict[str, tuple[date, date]] = {}
        for name, *_rest, absent in QA_TEAM:
            if absent is not None:
                start = ctx.spec.end - timedelta(days=absent[0])
                self.away[name] = (start, start + timedelta(days=absent[1] - 1))
        self.leader_of = {t.name: t.leader for t in self.roster.teams}
        self.by_name = {e.name: e for e in self.roster.evaluators}

    def present(self, name: str, day: date) -> bool:
        span = self.away.get(name)
        return span is None or not span[0] <= day <= span[1]

    def can(self, ev: DemoEvaluator, card_key: str, channel: str) -> bool:
        return channel in ev.skills["channels"] and card_key in ev.skills["scorecards"]

    def choose(
        self, rng: random.Random, card_key: str, channel: str, agent: DemoAgent, day: date
    ) -> str | None:
        names, weights = [], []
        for ev in self.roster.evaluators:
            if not self.present(ev.name, day) or not self.can(ev, card_key, channel):
                continue
            if ev.role == "team_leader":
                if self.leader_of[agent.team] != ev.name:
                    continue
                weight = LEADER_WEIGHT
            else:
                weight = self.capacity[ev.name]
            names.append(ev.name)
            weights.append(weight)
        return rng.choices(names, weights)[0] if names else None

    @property
    def qa_lead(self) -> str:
        return next(e.name for e in self.roster.evaluators if e.role == "qa_lead")


def _month(first: date, day: date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def _finished(c: DemoContact) -> date:
    """The day the contact ended (an email thread can run for days)."""
    return (c.local_start + timedelta(seconds=c.end_offset_s)).date()


def _review_day(rng: random.Random, c: DemoContact, end: date) -> date:
    """QA reviews contacts a few working days after they end (never after ``end``)."""
    day = _finished(c) + timedelta(days=rng.choice((1, 1, 2, 2, 3, 4, 5, 7)))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return min(day, end)


def plan(ctx: DemoContext, patterns: Patterns, rng: random.Random) -> list[Planned]:
    """Which contact is evaluated on which form, by whom and when."""
    assert ctx.roster is not None
    team = Team(ctx)
    first, end = ctx.spec.first_day, ctx.spec.end
    ready = [
        c
        for c in ctx.handled
        if c.transcript is not None and _finished(c) < end and c.agent is not None
    ]
    recorded = [c for c in ready if c.recorded is not None and not c.pci_breach]
    voice_qa = [n for n, role, _c, ch, *_ in QA_TEAM if "voice" in ch]
    for_drafts = rng.sample(recorded, min(len(recorded), len(voice_qa)))
    out: list[Planned] = []
    drafted = set(for_drafts)
    # Each agent's contacts by month, in time order (one pass, however large the demo).
    months: dict[str, dict[int, list[DemoContact]]] = {a.external_id: {} for a in ctx.roster.agents}
    for c in ready:
        if not c.pci_breach and c not in drafted and c.agent is not None:
            by_month = months[c.agent.external_id]
            by_month.setdefault(_month(first, c.local_start.date()), []).append(c)
    for agent in ctx.roster.agents:
        # The QA lead follows an improvement plan personally, so its scores compare month on month.
        by = team.qa_lead if agent.external_id == patterns.improving else None
        for _m, pool in sorted(months[agent.external_id].items()):
            extra = agent.external_id == patterns.improving or agent.new_starter
            n = PER_MONTH[1] if extra else rng.randint(*PER_MONTH)
            if by is not None:  # the plan is about calls: follow it on the voice form
                calls = [c for c in pool if c.channel == "voice"]
                pool = calls if len(calls) >= n else pool
            must = [c for c in pool if c.recorded is not None]
            rest = [c for c in pool if c.recorded is None]
            picked = must + rng.sample(rest, max(0, min(len(rest), n - len(must))))
            for c in sorted(picked, key=lambda c: c.local_start):
                out.extend(_routine(rng, team, c, end, by))
    out.extend(_targeted(ctx, team, ready, {p.contact for p in out}, patterns.improving, rng))
    out.extend(_drafts(ctx, team, ready, for_drafts, {p.contact for p in out}, rng))
    return out


def _routine(
    rng: random.Random, team: Team, c: DemoContact, end: date, by: str | None
) -> list[Planned]:
    """The contact on its channel's form (or the complaint form), sometimes also on the
    compliance checklist; ``by`` is the evaluator when one is set for the agent."""
    assert c.agent is not None
    day = _review_day(rng, c, end)
    card = CHANNEL_CARD[c.channel]
    if by is not None:  # an improvement plan is followed on one form per channel
        return [Planned(c, card, by, day)]
    if c.complaint != "none" and rng.random() < COMPLAINT_FORM_SHARE:
        card = "complaint_handling"
    who = team.choose(rng, card, c.channel, c.agent, day)
    if who is None:
        card = CHANNEL_CARD[c.channel]
        who = team.choose(rng, card, c.channel, c.agent, day)
    if who is None:
        return []
    out = [Planned(c, card, who, day)]
    if c.channel == "voice" and (c.skips_id_check or rng.random() < COMPLIANCE_SHARE):
        ev = team.by_name[who]
        other = who if team.can(ev, "compliance", "voice") else None
        other = other or team.choose(rng, "compliance", "voice", c.agent, day)
        if other is not None:
            out.append(Planned(c, "compliance", other, day))
    return out


def _targeted(
    ctx: DemoContext,
    team: Team,
    ready: list[DemoContact],
    planned: set[DemoContact],
    improving: str | None,
    rng: random.Random,
) -> list[Planned]:
    """The QA lead's targeted compliance reviews, on the channel form and the checklist: payments
    where the security code was read back (both recorded ones and a few transcripts), and a few
    calls where the account was discussed before ID&V that routine sampling did not reach."""

    def candidates(flag: str) -> list[DemoContact]:
        # The improving agent's story is their coaching, not a compliance breach.
        return [
            c
            for c in ready
            if getattr(c, flag)
            and c.recorded is None
            and c not in planned
            and c.agent is not None
            and c.agent.external_id != improving
        ]

    chosen = [c for c in ready if c.pci_breach and c.recorded is not None]
    breaches = candidates("pci_breach")
    chosen += rng.sample(breaches, min(len(breaches), max(2, ctx.spec.agents // 5)))
    skipped = [c for c in candidates("skips_id_check") if c not in chosen]
    chosen += rng.sample(skipped, min(len(skipped), max(2, ctx.spec.agents // 8)))
    out = []
    for c in sorted(chosen, key=lambda c: c.local_start):
        day = _review_day(rng, c, ctx.spec.end)
        for card in (CHANNEL_CARD[c.channel], "compliance"):
            out.append(Planned(c, card, team.qa_lead, day, source="targeted"))
    return out


def _drafts(
    ctx: DemoContext,
    team: Team,
    ready: list[DemoContact],
    recorded: list[DemoContact],
    evaluated: set[DemoContact],
    rng: random.Random,
) -> list[Planned]:
    """Work in progress on the last day: a recorded call for each voice evaluator, and one or two
    recent contacts of their channels for every QA evaluator."""
    end = ctx.spec.end
    out: list[Planned] = []
    taken = set(evaluated) | set(recorded)
    qa = [e for e in ctx.roster.evaluators if e.role != "team_leader"]
    voice = [e for e in qa if "voice" in e.skills["channels"]]
    for ev, c in zip(voice, recorded, strict=False):
        out.append(Planned(c, "voice_service", ev.name, end, draft=True))
    recent = [c for c in ready if c not in taken and (end - _finished(c)).days <= 10]
    for ev in qa:
        mine = [c for c in recent if team.can(ev, CHANNEL_CARD[c.channel], c.channel)]
        for c in rng.sample(mine, min(len(mine), rng.choice((1, 2)))):
            recent.remove(c)
            out.append(Planned(c, CHANNEL_CARD[c.channel], ev.name, end, draft=True))
    return out


def _at(ctx: DemoContext, day: date, rng: random.Random) -> datetime:
    return ctx.at(day, rng.randint(9, 16), rng.randrange(60))


def _review_seconds(c: DemoContact, rng: random.Random) -> float:
    if c.channel == "voice":
        return c.duration_s * 1.3 + rng.uniform(300.0, 900.0)
    return rng.uniform(420.0, 1200.0)


def _notes(
    card: Scorecard, p: Planned, result: ScoreResult, rng: random.Random
) -> tuple[list[tuple[str | None, float | None, str]], list[str], str | None]:
    """Notes on what failed (facts always, judgement calls mostly) and sometimes one praise."""
    failed = [k for k, a in result.answers.items() if a.failed]
    noted = [k for k in failed if fact(card.key, card.question(k), p.contact) is not None]
    noted += [k for k in failed if k not in noted and rng.random() < 0.85]
    notes = []
    for key in noted[:MAX_NOTES]:
        fb = feedback(card.key, key, p.contact.channel)
        at_s = moment(p.contact.transcript, p.contact.channel, fb.moment, rng)
        notes.append((key, at_s, rng.choice(fb.fail)))
    praised = None
    good = [
        k
        for k, a in result.answers.items()
        if not a.na and a.fraction == 1.0 and feedback(card.key, k, p.contact.channel).praise
    ]
    if good and (result.percent or 0) >= 85 and rng.random() < 0.35:
        praised = rng.choice(good)
        fb = feedback(card.key, praised, p.contact.channel)
        at_s = moment(p.contact.transcript, p.contact.channel, fb.moment, rng)
        notes.append((praised, at_s, rng.choice(fb.praise)))
    return notes, failed, praised


def build(
    ctx: DemoContext,
    planned: list[Planned],
    patterns: Patterns,
    style: dict[str, Style],
    versions: dict[str, scorecards.ScorecardVersion],
    rng: random.Random,
) -> list[EvaluationImport]:
    """Answers, notes, comment, times and status for every planned evaluation."""
    first, end = ctx.spec.first_day, ctx.spec.end
    months = _month(first, end) + 1
    team = Team(ctx)
    credit: dict[str, dict[str, float]] = {}
    items = []
    for p in planned:
        c, agent = p.contact, p.contact.agent
        assert agent is not None
        card = versions[p.card_key].card
        month = _month(first, c.local_start.date())
        answers = answer_card(
            card,
            c,
            quality(agent, patterns, month, months),
            focus(agent, patterns, month, months),
            style[p.evaluator],
            credit.setdefault(agent.external_id, {}),
            rng,
        )
        if p.draft:
            keep = rng.randint(len(answers) // 3, 2 * len(answers) // 3)
            answers = dict(list(answers.items())[:keep])
        result = score(card, answers, partial=p.draft)
        notes, failed, praised = _notes(card, p, result, rng)
        started = _at(ctx, p.day, rng)
        submitted = started + timedelta(seconds=_review_seconds(c, rng))
        item = EvaluationImport(
            interaction_id=c.interaction_id,
            version_id=versions[p.card_key].id,
            evaluator=p.evaluator,
            answers=answers,
            started_at=started,
            notes=notes[:2] if p.draft else notes,
            source=p.source,
        )
        if p.draft:
            items.append(_with(item, status="draft"))
            continue
        text = comment(
            card.key,
            c.channel,
            result.percent,
            failed,
            result.failed_fatal,
            result.failed_critical,
            praised,
            rng,
        )
        if (end - p.day).days < AWAITING_SIGN_OFF_DAYS:
            items.append(_with(item, status="submitted", submitted_at=submitted, comment=text))
            continue
        sign_day = min(end, p.day + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3))))
        signed = max(submitted + timedelta(minutes=rng.randint(5, 90)), _at(ctx, sign_day, rng))
        leader = team.by_name[p.evaluator].role == "team_leader"
        items.append(
            _with(
                item,
                status="signed_off",
                submitted_at=submitted,
                signed_at=signed,
                signed_by=team.qa_lead if leader else p.evaluator,
                comment=text,
            )
        )
    return items


def _with(item: EvaluationImport, **changes) -> EvaluationImport:
    return EvaluationImport(**{**item.__dict__, **changes})


def step_evaluations(ctx: DemoContext) -> dict[str, int]:
    """Publish the built-in scorecards (version 1) and record the evaluations."""
    assert ctx.roster is not None, "the people and interactions steps run first"
    rng = ctx.rng("evaluations")
    published_at = ctx.at(ctx.spec.first_day - timedelta(days=14), 9, 30)
    scorecards.publish_builtins(ctx.ws, rng=rng, published_at=to_iso(published_at))
    versions = {}
    for key in SCORECARDS:
        found = scorecards.latest(ctx.ws, key)
        assert found is not None
        versions[key] = found
    patterns = choose_patterns(ctx.roster, ctx.spec.first_day, ctx.rng("evaluation_patterns"))
    style = styles(ctx.roster, patterns, rng)
    planned = plan(ctx, patterns, rng)
    ctx.progress(f"demo: scoring {len(planned):,} evaluations")
    items = build(ctx, planned, patterns, style, versions, rng)
    record_evaluations(ctx.ws, items, rng=rng)
    set_setting(ctx.ws.db, PATTERNS_SETTING, patterns.to_json())
    return {"scorecards": len(versions), "evaluations": len(items)}
