"""Where in a contact a QA note points: the turn a listener wants to jump to.

A note about the security code points at the agent reading it back, a note about the close at the
"anything else?", a hold note at the hold; judgement calls about the body of the call (accuracy,
tone) at a turn in its middle. Emails have no playback, so their notes carry no time.
"""

from __future__ import annotations

import itertools
import random

from qa_studio.domain.models import Transcript, Turn

FEELINGS = (
    "sick of",
    "not impressed",
    "joke",
    "worr",
    "struggling",
    "lost my job",
    "passed away",
    "died",
    "anxious",
    "four times",
    "weeks",
    "nobody",
    "no one",
    "never showed",
)


def _agent_after(turns: tuple[Turn, ...], i: int) -> Turn | None:
    return next((t for t in turns[i + 1 :] if t.role == "agent"), None)


def _find(turns: tuple[Turn, ...], role: str, words: tuple[str, ...]) -> int | None:
    for i, t in enumerate(turns):
        text = t.text.lower()
        if t.role == role and any(w in text for w in words):
            return i
    return None


def _pick(transcript: Transcript, kind: str, rng: random.Random) -> Turn | None:
    turns = transcript.turns
    agent = [t for t in turns if t.role == "agent"]
    if not agent:
        return None
    if kind == "open":
        return agent[0]
    if kind in ("reason", "complaint"):
        return next((t for t in turns if t.role == "customer"), agent[0])
    if kind == "idv":  # where account details first come out: after the account number is asked
        i = _find(turns, "agent", ("account number", "date of birth", "security"))
        return (_agent_after(turns, i + 1) if i is not None else None) or agent[
            min(2, len(agent) - 1)
        ]
    if kind == "cvv":  # the read-back: the agent's turn after the customer says the code
        i = _find(turns, "agent", ("security code", "digits on the back"))
        if i is not None:
            said = next((j for j in range(i + 1, len(turns)) if turns[j].role == "customer"), i)
            return _agent_after(turns, said) or turns[i]
        return agent[len(agent) // 2]
    if kind == "hold":
        i = _find(turns, "agent", ("hold",))
        return turns[i] if i is not None else agent[len(agent) // 2]
    if kind in ("feeling", "vulnerable"):
        i = _find(turns, "customer", FEELINGS)
        if i is None:
            i = next((j for j, t in enumerate(turns) if t.role == "customer"), 0)
        return turns[i] if kind == "vulnerable" else (_agent_after(turns, i) or turns[i])
    if kind == "summary":
        i = _find(turns, "agent", ("anything else",))
        before = [t for t in turns[: i if i is not None else len(turns)] if t.role == "agent"]
        return (before or agent)[-1]
    if kind == "close":
        i = _find(turns, "agent", ("anything else",))
        return turns[i] if i is not None else agent[-1]
    if kind == "gap":
        gaps = [
            (b.start_s - a.start_s, b)
            for a, b in itertools.pairwise(turns)
            if b.role == "agent" and a.start_s is not None and b.start_s is not None
        ]
        return max(gaps, key=lambda g: g[0])[1] if gaps else agent[-1]
    middle = agent[len(agent) // 4 : max(len(agent) // 4 + 1, 3 * len(agent) // 4)]
    return rng.choice(middle)


def moment(
    transcript: Transcript | None, channel: str, kind: str | None, rng: random.Random
) -> float | None:
    """Seconds into the contact where a note of this ``kind`` points (None for emails or notes
    about records kept outside the conversation)."""
    if transcript is None or kind is None or channel == "email":
        return None
    turn = _pick(transcript, kind, rng)
    return None if turn is None or turn.start_s is None else float(turn.start_s)
