"""Who is the agent? Map transcript speakers to the roles agent, customer and system.

Transcripts label speakers in many ways: roles (``AGENT``, ``Customer``), people's names (a Teams
caption says "Yuri Bakulin"), or nothing at all (plain SRT). Assuming the first speaker is the
agent is wrong often enough (IVR prompts, customers who speak first on outbound calls, chats opened
by the customer) that it is only the last resort, and then the report says so. The order of
evidence is:

1. an explicit role on the turn (our JSON, Contact Lens ``ParticipantRole``);
2. a role word as the label ("Agent", "Advisor", "Caller", "Customer", "System" …);
3. the name of the interaction's agent (full name, or first name alone);
4. once one side is known, the other speakers take the other role;
5. otherwise named speakers by speaking order, and unlabelled turns alternating — with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa_studio.domain.models import ROLES, Turn

AGENT_WORDS = frozenset(
    (
        "agent",
        "advisor",
        "adviser",
        "representative",
        "rep",
        "csr",
        "operator",
        "staff",
        "consultant",
        "associate",
        "support",
    )
)
CUSTOMER_WORDS = frozenset(
    (
        "customer",
        "caller",
        "client",
        "member",
        "visitor",
        "user",
        "end-user",
        "enduser",
        "contact",
        "consumer",
        "requester",
    )
)
SYSTEM_WORDS = frozenset(
    ("system", "bot", "ivr", "action", "system_message", "virtual agent", "automated", "automation")
)


@dataclass
class RawTurn:
    """A turn before roles are settled; ``line`` is where it started in its file."""

    speaker: str
    text: str
    start_s: float | None = None
    end_s: float | None = None
    role: str | None = None
    line: int | None = None


def role_word(label: str) -> str | None:
    key = label.strip().lower()
    if key in AGENT_WORDS:
        return "agent"
    if key in CUSTOMER_WORDS:
        return "customer"
    if key in SYSTEM_WORDS:
        return "system"
    return None


def _is_agent_name(label: str, agent_name: str | None) -> bool:
    if not agent_name or not label.strip():
        return False
    a, b = label.strip().casefold(), agent_name.strip().casefold()
    return a == b or b.split()[0] == a or a.split()[0] == b


def assign_roles(turns: list[RawTurn], agent_name: str | None) -> tuple[list[Turn], str | None]:
    """Settle every turn's role; return the turns and a note when roles had to be guessed."""
    note = None
    labels = list(dict.fromkeys(t.speaker.strip() for t in turns if t.speaker.strip()))
    roles: dict[str, str] = {}
    for t in turns:
        if t.role and t.speaker.strip():
            roles.setdefault(t.speaker.strip(), t.role)
    for label in labels:
        if label not in roles:
            found = role_word(label)
            if found is None and _is_agent_name(label, agent_name):
                found = "agent"
            if found is not None:
                roles[label] = found
    unknown = [label for label in labels if label not in roles]
    if unknown:
        known = set(roles.values())
        if "agent" in known:
            roles.update(dict.fromkeys(unknown, "customer"))
        elif "customer" in known and len(unknown) == 1:
            roles[unknown[0]] = "agent"
        else:
            roles[unknown[0]] = "agent"
            roles.update(dict.fromkeys(unknown[1:], "customer"))
            note = (
                f"speaker roles guessed from speaking order ({unknown[0]!r} taken as the "
                "agent); check them"
            )
    out: list[Turn] = []
    unlabelled = [t for t in turns if not t.speaker.strip() and not t.role]
    alternate = bool(turns) and len(unlabelled) == len(turns)
    if alternate:
        note = "no speaker labels: roles alternate agent/customer from the first turn; check them"
    previous = next((t for t in turns if t.speaker.strip() or t.role), None)
    for i, t in enumerate(turns):
        label = t.speaker.strip()
        if alternate:
            role = "agent" if i % 2 == 0 else "customer"
            label = role.capitalize()
        elif t.role:
            role = t.role
            previous = t
        elif label:
            role = roles[label]
            previous = t
        else:  # a continuation: same speaker as the turn before
            label = previous.speaker.strip() if previous else ""
            role = previous.role or roles.get(label, "customer") if previous else "customer"
        if not label:
            label = agent_name if role == "agent" and agent_name else role.capitalize()
        out.append(Turn(speaker=label, role=role, text=t.text, start_s=t.start_s, end_s=t.end_s))
    return out, note


def turns_from_json(items: Any, where: str) -> tuple[list[RawTurn], list[tuple[str, str]]]:
    """Our JSON turns ``[{speaker, role, start_s, end_s, text}]``; problems as (path, message)."""
    problems: list[tuple[str, str]] = []
    turns: list[RawTurn] = []
    if not isinstance(items, list):
        return [], [(where, "expected a list of turns")]
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            problems.append((at, "expected an object with speaker, text and times"))
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append((f"{at}.text", "missing text"))
            continue
        role = item.get("role")
        if role is not None:
            role = str(role).strip().lower()
            if role not in ROLES:
                problems.append(
                    (
                        f"{at}.role",
                        f"unknown role {item.get('role')!r} (expected agent, customer or system)",
                    )
                )
                continue
        times = []
        for key in ("start_s", "end_s"):
            value = item.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or value < 0
            ):
                problems.append((f"{at}.{key}", f"expected seconds (a number ≥ 0), not {value!r}"))
                value = None
            times.append(None if value is None else float(value))
        if times[0] is not None and times[1] is not None and times[1] < times[0]:
            problems.append((f"{at}.end_s", "ends before it starts"))
        speaker = item.get("speaker")
        turns.append(
            RawTurn(
                speaker="" if speaker is None else str(speaker),
                text=text.strip(),
                start_s=times[0],
                end_s=times[1],
                role=role,
            )
        )
    return turns, problems
