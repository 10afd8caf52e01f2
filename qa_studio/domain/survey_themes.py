"""Themes in customers' survey comments, found by a small published lexicon a team leader can check.

Why a lexicon and not a model: a team leader who is told "Sam's customers complain about being
passed around" must be able to see why. Each theme below is a short list of UK contact-centre
words and phrases; a comment mentions a theme when one of its phrases occurs in it as whole words,
case-insensitively. The whole rule fits on one sheet of the XLSX export ("Theme lexicon").

Matching rules (``find_themes``):

* whole words only — ``wait`` does not match "await" or "waiting" (which is listed on its own);
* spaces and hyphens inside a phrase match any run of spaces or hyphens, or none — "call back"
  matches "call back", "call-back" and "callback";
* an apostrophe is optional and may be typographic — "didn't" matches "didn't", "didn’t" and
  "didnt"; a word ending in "n't" also matches its long form — "didn't" matches "did not";
* negation is not analysed ("not rude at all" mentions attitude); only *negative* responses are
  read, which keeps such cases rare, and the examples shown beside each count let a reader judge.

Counting rules (``tally``): only negative responses count — a score at or below
``NEGATIVE_SHARE`` (40 %) of the survey's scale maximum (``DEFAULT_SCALE_MAX`` = 5 when the
scale is not stored): 0–2 on a 1–5 CSAT, 0–4 on a 0–10 scale. Each negative response counts once
for every theme it mentions, however often it repeats it, so one response can count towards
several themes. Example comments are redacted (``domain.redaction``) before they are kept, since
they travel in tooltips and exports.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from qa_studio.domain.redaction import redact

#: A response is negative when its score is at or below this share of the scale's maximum.
NEGATIVE_SHARE = 0.4
#: The scale assumed when a response does not say (the feedback importer's default, 1–5 CSAT).
DEFAULT_SCALE_MAX = 5.0
#: Example comments kept per agent and theme, and their length.
MAX_EXAMPLES = 3
EXAMPLE_CHARS = 160

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Theme:
    """One theme: a short key, the label a team leader reads, and the phrases that signal it."""

    key: str
    label: str
    phrases: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme("waiting", "Waiting / hold time", (
        "wait", "waited", "waiting", "kept waiting", "kept me waiting", "left waiting", "on hold",
        "hold time", "hold music", "queue", "queued", "queuing", "queueing", "ages", "forever",
        "too long", "took too long", "long time", "slow", "couldn't get through",
    )),
    Theme("attitude", "Attitude / politeness", (
        "rude", "rudely", "impolite", "unprofessional", "abrupt", "curt", "dismissive",
        "condescending", "patronising", "patronizing", "sarcastic", "arrogant", "unhelpful",
        "attitude", "disrespectful", "hung up", "put the phone down", "shouted", "snapped",
    )),
    Theme("unresolved", "Not resolved / had to call back", (
        "not resolved", "unresolved", "not sorted", "not fixed", "didn't fix", "not solved",
        "didn't solve", "didn't resolve", "no resolution", "still broken", "still not working",
        "nothing was done", "nothing has been done", "same problem", "had to call back",
        "had to ring back", "had to phone back", "had to call again", "had to ring again",
        "had to phone again", "called again", "rang again", "phoned again", "second time",
        "third time", "several times", "keep calling", "keep having to",
    )),
    Theme("unclear", "Unclear explanation", (
        "unclear", "not clear", "confusing", "confused", "didn't explain", "not explained",
        "couldn't explain", "no explanation", "poorly explained", "jargon", "made no sense",
        "vague", "mixed messages", "contradictory", "conflicting",
    )),
    Theme("transferred", "Transferred / passed around", (
        "transferred", "transfered", "passed around", "passed from", "passed between",
        "passed on", "pillar to post", "put through to", "another department",
        "different department", "wrong department", "bounced around", "handed over",
        "several people", "different people", "no one took ownership",
    )),
    Theme("listening", "Didn't listen", (
        "didn't listen", "not listening", "wasn't listening", "wouldn't listen",
        "never listened", "ignored", "ignoring", "talked over", "talking over", "spoke over",
        "interrupted", "interrupting", "cut me off", "repeat myself", "repeating myself",
        "didn't understand", "didn't read",
    )),
    Theme("callback", "Promised call-back not made", (
        "never called back", "never called me back", "never rang back", "never rang me back",
        "never phoned back", "didn't call back", "didn't call me back", "didn't ring back",
        "didn't ring me back", "didn't phone back", "no call back", "promised to call",
        "promised to ring", "promised a call", "promised call back", "said they would call",
        "said they'd call", "said they would ring", "said they'd ring",
        "still waiting for a call", "nobody called", "no one called", "no one rang",
        "never heard back", "didn't hear back", "haven't heard back", "not heard back",
    )),
    Theme("knowledge", "Knowledge / wrong information", (
        "wrong information", "incorrect information", "wrong advice", "misinformed",
        "misleading", "didn't know", "no idea", "clueless", "not trained", "untrained",
        "inexperienced", "told me wrong", "lied",
    )),
    Theme("empathy", "No empathy / didn't care", (
        "didn't care", "couldn't care less", "no empathy", "uncaring", "cold", "robotic",
        "like a robot", "scripted", "no sympathy", "unsympathetic", "heartless",
        "no compassion",
    )),
)  # fmt: skip

_SEPARATOR = r"[\s\-]*"


def _word(token: str) -> str:
    """One word of a phrase as a pattern: optional apostrophes; "Xn't" also as "X not"."""
    body = "'?".join(re.escape(part) for part in token.split("'"))
    if token.endswith("n't"):
        return rf"(?:{body}|{re.escape(token[:-3])}\s+not)"
    return body


def phrase_pattern(phrase: str) -> str:
    """The regular expression (without word boundaries) one lexicon phrase stands for."""
    words = [w for w in re.split(r"[\s\-]+", phrase.lower().strip()) if w]
    return _SEPARATOR.join(_word(w) for w in words)


def _compile(theme: Theme) -> re.Pattern[str]:
    # Longest phrases first, so the reported match is the most specific phrase.
    alternatives = sorted(theme.phrases, key=len, reverse=True)
    body = "|".join(f"(?:{phrase_pattern(p)})" for p in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def _normalise(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


class Lexicon:
    """Compiled themes; build once per run (``tally`` does) rather than per comment."""

    def __init__(self, themes: tuple[Theme, ...] = THEMES) -> None:
        keys = [t.key for t in themes]
        if len(set(keys)) != len(keys):
            raise ValueError(f"theme keys repeat: {keys}")
        self.themes = themes
        self._patterns = [(t.key, _compile(t)) for t in themes]

    def find(self, comment: str | None) -> dict[str, tuple[str, ...]]:
        """Theme key → the phrases found (as written, lower case), in lexicon order."""
        if not comment:
            return {}
        text = _normalise(comment)
        found: dict[str, tuple[str, ...]] = {}
        for key, pattern in self._patterns:
            hits = tuple(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))
            if hits:
                found[key] = hits
        return found


def find_themes(
    comment: str | None, themes: tuple[Theme, ...] = THEMES
) -> dict[str, tuple[str, ...]]:
    """The themes a comment mentions, each with the phrases that matched (see module rules)."""
    return Lexicon(themes).find(comment)


def is_negative(score: float | None, scale_max: float | None) -> bool:
    """Whether a response's score is at or below ``NEGATIVE_SHARE`` of its scale maximum."""
    if score is None:
        return False
    return score <= NEGATIVE_SHARE * (scale_max or DEFAULT_SCALE_MAX)


def example(comment: str) -> str:
    """A comment as shown beside a count: personal data redacted, whitespace collapsed, cut."""
    text = " ".join(redact(comment).split())
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"


@dataclass(frozen=True)
class AgentThemes:
    """One agent's negative responses: how many, and per theme (in lexicon order) how many
    mention it and up to ``MAX_EXAMPLES`` redacted example comments."""

    negative: int
    counts: tuple[int, ...]
    examples: tuple[tuple[str, ...], ...]


def empty(themes: tuple[Theme, ...] = THEMES) -> AgentThemes:
    return AgentThemes(0, (0,) * len(themes), ((),) * len(themes))


def tally(
    responses: Iterable[tuple[K, float | None, float | None, str | None]],
    themes: tuple[Theme, ...] = THEMES,
) -> dict[K, AgentThemes]:
    """Per agent, from ``(agent, score, scale_max, comment)`` responses in the order the
    examples should be kept: negative responses and the themes they mention (module rules).
    Agents with no negative response are left out."""
    lexicon = Lexicon(themes)
    index = {t.key: j for j, t in enumerate(themes)}
    negative: dict[K, int] = {}
    counts: dict[K, list[int]] = {}
    examples: dict[K, list[list[str]]] = {}
    for agent, score, scale_max, comment in responses:
        if not is_negative(score, scale_max):
            continue
        negative[agent] = negative.get(agent, 0) + 1
        row = counts.setdefault(agent, [0] * len(themes))
        kept = examples.setdefault(agent, [[] for _ in themes])
        for key in lexicon.find(comment):
            j = index[key]
            row[j] += 1
            if len(kept[j]) < MAX_EXAMPLES and comment:
                kept[j].append(example(comment))
    return {
        a: AgentThemes(n, tuple(counts[a]), tuple(tuple(e) for e in examples[a]))
        for a, n in negative.items()
    }
