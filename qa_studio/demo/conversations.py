"""Scripted conversation templates and how they become timed transcripts.

A template is a short script in a tiny vocabulary: ``A(...)``/``C(...)``/``S(...)`` lines for the
agent, the customer and the system, each with alternative wordings; ``Maybe(p, ...)`` for lines
that only some agents say; ``Hold(before, after)`` for the point where the agent puts the customer
on hold. Slots such as ``{first}`` or ``{amount}`` are filled from ``names.make_slots`` so no two
transcripts read the same, and every choice is drawn from the caller's seeded generator, so the
same seed gives the same words.

Timing follows the channel: a call's turns last as long as the words take to say (with the hold
inside the gap), a chat's messages are instants spaced by reading and typing, an email thread's
messages are hours or days apart. The scripts themselves are in ``scripts_voice`` and
``scripts_text``; the flags on each (``pci_breach``, ``complaint``, ``vulnerable``) are the ground
truth later demo steps score against.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from qa_studio.domain.models import Transcript, Turn


@dataclass(frozen=True)
class Say:
    role: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Sometimes:
    """Lines said on only some contacts (``probability`` of the time)."""

    probability: float
    entries: tuple


@dataclass(frozen=True)
class Hold:
    """Where a hold happens: ``before``/``after`` are said only when the call has hold time."""

    before: Say
    after: Say


def A(*options: str) -> Say:
    return Say("agent", options)


def C(*options: str) -> Say:
    return Say("customer", options)


def S(*options: str) -> Say:
    return Say("system", options)


def Maybe(probability: float, *entries: Say) -> Sometimes:
    return Sometimes(probability, entries)


@dataclass(frozen=True)
class Script:
    """A conversation template with what a QA lead would know about the contact it produces."""

    key: str
    channel: str
    queue: str
    topic: str
    outcome: str
    weight: float
    fcr: float
    csat: float
    lines: tuple
    complaint: str = "none"
    vulnerable: bool = False
    pci_breach: bool = False
    skips_id_check: bool = False
    direction: str = "inbound"

    @property
    def has_hold(self) -> bool:
        return any(isinstance(e, Hold) for e in self.lines)


@dataclass(frozen=True)
class Spoken:
    role: str
    text: str
    hold_before: bool = False


def render(
    script: Script, slots: dict[str, str], rng: random.Random, with_hold: bool = False
) -> list[Spoken]:
    """Choose wordings, fill slots and expand optional lines, in script order."""
    out: list[Spoken] = []
    pending_hold = False

    def say(entry: Say) -> None:
        nonlocal pending_hold
        text = rng.choice(entry.options).format_map(slots)
        out.append(Spoken(entry.role, text, pending_hold))
        pending_hold = False

    def walk(entries: tuple) -> None:
        nonlocal pending_hold
        for entry in entries:
            if isinstance(entry, Say):
                say(entry)
            elif isinstance(entry, Sometimes):
                if rng.random() < entry.probability:
                    walk(entry.entries)
            elif isinstance(entry, Hold):
                if with_hold:
                    say(entry.before)
                    pending_hold = True
                    say(entry.after)
            else:  # pragma: no cover - a script-writing mistake, caught by the library test
                raise TypeError(f"{script.key}: unknown script entry {entry!r}")

    walk(script.lines)
    return out


def _speaker(role: str, agent: str, customer: str) -> str:
    return {"agent": agent, "customer": customer}.get(role, "System")


def time_voice(
    spoken: list[Spoken],
    rng: random.Random,
    *,
    agent: str,
    customer: str,
    hold_s: float,
    agent_wps: float,
) -> tuple[Transcript, float]:
    """Turns last as long as their words take to say; the hold sits in the gap it precedes.

    Returns the transcript and the call's talk-plus-hold length, which is its ``duration_s``.
    """
    customer_wps = rng.uniform(2.1, 2.9)
    t = rng.uniform(0.4, 1.5)
    turns = []
    previous = None
    for s in spoken:
        if previous is not None:
            t += rng.uniform(0.2, 0.6) if previous == s.role else rng.uniform(0.4, 1.3)
            if previous == "customer" and s.role == "agent" and rng.random() < 0.35:
                t += rng.uniform(2.0, 12.0)  # the agent looking something up: dead air
        if s.hold_before:
            t += hold_s
        words = len(s.text.split())
        length = words / (agent_wps if s.role == "agent" else customer_wps) + 0.3
        if s.role == "system":
            length = rng.uniform(8.0, 25.0)
        turns.append(
            Turn(
                _speaker(s.role, agent, customer), s.role, s.text, round(t, 2), round(t + length, 2)
            )
        )
        t += length
        previous = s.role
    return Transcript("demo-voice", tuple(turns)), round(t + rng.uniform(0.5, 2.0), 2)


def time_chat(
    spoken: list[Spoken], rng: random.Random, *, agent: str, customer: str
) -> tuple[Transcript, float]:
    """Messages are instants: gaps are the other side reading and typing (agents juggle chats)."""
    t = 0.0
    turns = []
    previous = None
    for s in spoken:
        if previous is not None:
            words = len(s.text.split())
            if s.role == "agent":
                t += rng.uniform(12.0, 60.0) + words * rng.uniform(0.5, 0.9)
            else:
                t += rng.uniform(10.0, 50.0) + words * rng.uniform(0.7, 1.4)
        turns.append(
            Turn(_speaker(s.role, agent, customer), s.role, s.text, round(t, 1), round(t, 1))
        )
        previous = s.role
    return Transcript("demo-chat", tuple(turns)), round(t + rng.uniform(20.0, 90.0), 1)


def time_email(
    spoken: list[Spoken], rng: random.Random, *, agent: str, customer: str, first_reply_s: float
) -> Transcript:
    """An email thread: the first reply after the queue wait, later messages days apart."""
    t = 0.0
    turns = []
    for i, s in enumerate(spoken):
        if i == 1:
            t = first_reply_s
        elif i > 1:
            t += rng.uniform(3600.0, 3 * 86400.0)
        turns.append(Turn(_speaker(s.role, agent, customer), s.role, s.text, round(t), round(t)))
    return Transcript("demo-email", tuple(turns))


def library() -> tuple[Script, ...]:
    """Every template, in a fixed order (the builder draws from it by index and weight)."""
    from qa_studio.demo.scripts_text import TEXT_SCRIPTS
    from qa_studio.demo.scripts_voice import VOICE_SCRIPTS

    return VOICE_SCRIPTS + TEXT_SCRIPTS


def by_channel(channel: str) -> tuple[Script, ...]:
    return tuple(s for s in library() if s.channel == channel)
