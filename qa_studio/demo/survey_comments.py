"""What the demo's customers write in the free-text box of the post-contact survey (UK English).

A negative comment is built from the survey-theme lexicon's own themes (``domain.survey_themes``)
so the training-needs matrix finds in it what the demo meant: each sentence below mentions
exactly the theme it is filed under (``tests/demo/test_demo_feedback.py`` checks that against
the lexicon). Which themes an agent's unhappy customers write about follows their weak scorecard
questions (``WEAKNESS_THEMES``) — an agent who fails empathy gets "didn't care" and "didn't
listen", one who fails ownership gets "had to call back" and "never rang me back" — and what
happened on the contact (a long queue, not resolved first time, a complaint).

A few comments quote a phone number or a card number, as real ones do, so the redaction of
example comments (``survey_themes.example``) has something to remove. The numbers are
fictitious: Ofcom's drama range ``07700 900xxx`` and Luhn-valid numbers made up by the seed.

Pure: the step in ``demo.feedback`` draws from its own generator and passes it in.
"""

from __future__ import annotations

import random

#: Sentences per survey theme key; ``{name}`` is the agent's first name.
THEME_SENTENCES: dict[str, tuple[str, ...]] = {
    "waiting": (
        "Kept waiting on hold for ages before anyone picked up.",
        "{name} put me on hold three times and the whole thing took too long.",
        "The queue was far too long just to ask a simple question.",
        "Waited forty minutes to speak to someone.",
    ),
    "attitude": (
        "{name} was quite abrupt with me.",
        "The adviser was dismissive and a bit condescending.",
        "{name} was curt and clearly wanted me off the phone.",
        "Very unhelpful from start to finish.",
    ),
    "unresolved": (
        "Had to call back twice before anything happened.",
        "Still not sorted, this is the third time I've phoned about it.",
        "Nothing was done, so I had to ring again the next day.",
        "Same problem as before and it's still not fixed.",
    ),
    "unclear": (
        "The explanation was confusing and full of jargon.",
        "It's not clear what happens next or when.",
        "{name} didn't explain the charges properly.",
        "Got mixed messages about what I actually owe.",
    ),
    "transferred": (
        "Passed around three departments before I got an answer.",
        "Transferred twice and had to start from scratch each time.",
        "No one took ownership of my problem.",
        "Put through to the wrong department and cut off.",
    ),
    "listening": (
        "{name} didn't listen to a word I said.",
        "Kept talking over me and I had to repeat myself.",
        "I explained it twice and {name} still didn't understand.",
        "Felt completely ignored.",
    ),
    "callback": (
        "{name} promised to call me back and never did.",
        "Said they'd ring me back within the hour. Nobody called.",
        "Never heard back after the call.",
        "Was told someone would phone me the next day, never rang me back.",
    ),
    "knowledge": (
        "I was given wrong information about my bill.",
        "The adviser had no idea how the new tariff works.",
        "Seemed inexperienced and misinformed me about the fees.",
    ),
    "empathy": (
        "{name} didn't care that I'd been without broadband for a week.",
        "Felt very robotic and scripted, no empathy at all.",
        "I explained my situation and got no sympathy whatsoever.",
        "Cold and uncaring when I said my husband had just lost his job.",
    ),
}

#: The survey themes an agent's weak scorecard question shows up as in customers' words.
WEAKNESS_THEMES: dict[str, tuple[str, ...]] = {
    "empathy": ("empathy", "listening"),
    "ownership": ("unresolved", "callback"),
    "active_listening": ("listening",),
    "summarise_next_steps": ("unclear", "callback"),
    "further_help": ("attitude", "unresolved"),
    "use_name": ("empathy",),
    "account_notes": ("listening", "transferred"),
    "call_control": ("waiting",),
    "clear_language": ("unclear",),
}

#: Themes any unhappy customer might raise, whoever handled the contact.
BACKGROUND_THEMES = ("waiting", "transferred", "knowledge", "unresolved", "attitude")

NEUTRAL = (
    "Got there in the end.",
    "Fine, nothing special.",
    "OK but I'm still not convinced the bill is right.",
    "{name} was polite enough, just took a while.",
)
POSITIVE = (
    "{name} was brilliant and sorted it first time.",
    "Really helpful and friendly, thank you.",
    "Quick, polite and easy to understand.",
    "Great service, {name} explained everything.",
    "{name} went above and beyond for me.",
    "Lovely adviser, very reassuring.",
)

#: Appended to a negative comment; ``{number}`` is a phone or a card number.
PHONE_SNIPPETS = (
    "Ring me on {number} if anyone actually wants to sort it out.",
    "My number is {number}, call it.",
)
CARD_SNIPPETS = ("I'd already read out my card number, {number}, and had to give it again.",)


def phone_number(rng: random.Random) -> str:
    """A fictitious UK mobile number from Ofcom's drama range."""
    return f"07700 900{rng.randrange(1000):03d}"


def card_number(rng: random.Random) -> str:
    """A made-up 16-digit number that passes the Luhn check, in groups of four."""
    payload = "4" + "".join(str(rng.randrange(10)) for _ in range(14))
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    digits = payload + str((10 - total % 10) % 10)
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


def negative_comment(
    rng: random.Random, themes: list[str], name: str, number: str | None = None
) -> str:
    """One or two sentences on ``themes`` (keys of ``THEME_SENTENCES``), then ``number``
    quoted in a sentence of its own when given (a card number when it has four groups)."""
    text = " ".join(rng.choice(THEME_SENTENCES[t]).format(name=name) for t in themes)
    if number is not None:
        snippets = CARD_SNIPPETS if number.count(" ") == 3 else PHONE_SNIPPETS
        text = f"{text} {rng.choice(snippets).format(number=number)}"
    return text


def other_comment(rng: random.Random, score: int, name: str) -> str:
    """A comment for a score above the negative line: lukewarm for 3, happy for 4 and 5."""
    return rng.choice(NEUTRAL if score == 3 else POSITIVE).format(name=name)
