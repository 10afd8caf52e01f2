"""The script library: every template renders, flags match the words, timings are sane."""

from __future__ import annotations

import random
import re
from datetime import date, datetime

import pytest

from qa_studio.demo.builder import default_end, first_day
from qa_studio.demo.conversations import library, render, time_chat, time_email, time_voice
from qa_studio.demo.names import make_slots, ordinal
from qa_studio.domain.timeutil import LONDON

MORNING = datetime(2026, 10, 14, 10, 30, tzinfo=LONDON)


def slots_for(seed: int, when: datetime = MORNING) -> dict[str, str]:
    return make_slots(random.Random(seed), agent_first="Priya", local_start=when)


def test_library_is_big_and_covers_every_channel_and_kind():
    scripts = library()
    assert 12 <= len(scripts) <= 30
    assert len({s.key for s in scripts}) == len(scripts)
    assert {s.channel for s in scripts} == {"voice", "chat", "email"}
    assert {s.complaint for s in scripts} == {"none", "informal", "formal"}
    topics = {s.topic for s in scripts}
    assert {
        "bill_increase",
        "no_connection",
        "card_payment",
        "account_holder_died",
        "home_move",
    } <= topics
    assert any(s.vulnerable for s in scripts) and any(s.pci_breach for s in scripts)


@pytest.mark.parametrize("script", library(), ids=lambda s: s.key)
@pytest.mark.parametrize("seed", range(6))
def test_every_template_renders_with_every_option(script, seed):
    rng = random.Random(seed)
    spoken = render(script, slots_for(seed), rng, with_hold=seed % 2 == 0)
    assert spoken and {s.role for s in spoken} >= {"agent", "customer"}
    assert all(s.text and "{" not in s.text and "}" not in s.text for s in spoken)
    assert any(s.hold_before for s in spoken) == (script.has_hold and seed % 2 == 0)


@pytest.mark.parametrize("script", library(), ids=lambda s: s.key)
def test_pci_flag_means_the_agent_repeats_the_security_code(script):
    slots = slots_for(3)
    agent_lines = [s.text for s in render(script, slots, random.Random(3)) if s.role == "agent"]
    asks = any("security code" in t for t in agent_lines)
    repeats = any(re.search(rf"\b{slots['cvv']}\b", t) for t in agent_lines)
    assert repeats == script.pci_breach
    if script.pci_breach:
        assert asks


def test_same_seed_same_words_different_seed_different_words():
    script = library()[0]
    one = render(script, slots_for(1), random.Random(1))
    assert one == render(script, slots_for(1), random.Random(1))
    others = {
        tuple(s.text for s in render(script, slots_for(n), random.Random(n))) for n in range(2, 8)
    }
    assert len(others) > 3


def test_voice_timing_puts_the_hold_inside_the_gap():
    script = next(s for s in library() if s.key == "broadband_no_connection")
    spoken = render(script, slots_for(5), random.Random(5), with_hold=True)
    transcript, duration = time_voice(
        spoken, random.Random(5), agent="Priya Shah", customer="Ann Lee", hold_s=90.0, agent_wps=2.7
    )
    turns = transcript.turns
    held = next(i for i, s in enumerate(spoken) if s.hold_before)
    assert turns[held].start_s - turns[held - 1].end_s >= 90.0
    assert all(t.end_s > t.start_s for t in turns)
    assert duration >= turns[-1].end_s
    assert {t.speaker for t in turns if t.role == "agent"} == {"Priya Shah"}


def test_chat_and_email_timings():
    chat = next(s for s in library() if s.channel == "chat")
    spoken = render(chat, slots_for(2), random.Random(2))
    transcript, duration = time_chat(spoken, random.Random(2), agent="A B", customer="C D")
    starts = [t.start_s for t in transcript.turns]
    assert starts[0] == 0 and starts == sorted(starts) and duration > starts[-1]
    email = next(s for s in library() if s.channel == "email")
    spoken = render(email, slots_for(2), random.Random(2))
    transcript = time_email(
        spoken, random.Random(2), agent="A B", customer="C D", first_reply_s=7200.0
    )
    assert transcript.turns[1].start_s == 7200


def test_greeting_follows_the_clock():
    assert slots_for(1)["greeting"] == "Good morning"
    assert slots_for(1, MORNING.replace(hour=15))["greeting"] == "Good afternoon"
    assert slots_for(1, MORNING.replace(hour=19))["greeting"] == "Good evening"


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (31, "31st"),
    ],
)
def test_ordinals(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize(
    "today, end",
    [
        (date(2026, 11, 15), date(2026, 10, 31)),
        (date(2027, 1, 1), date(2026, 12, 31)),
        (date(2028, 3, 31), date(2028, 2, 29)),
    ],
)
def test_default_end_is_the_last_day_of_the_previous_month(today, end):
    assert default_end(today) == end


@pytest.mark.parametrize(
    "end, first",
    [
        (date(2026, 10, 31), date(2026, 5, 1)),
        (date(2026, 2, 28), date(2025, 9, 1)),
        (date(2026, 8, 15), date(2026, 2, 16)),
        (date(2026, 8, 30), date(2026, 3, 1)),
    ],
)
def test_six_months_end_on_end(end, first):
    assert first_day(end) == first
