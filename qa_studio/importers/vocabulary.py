"""The words importers understand: our fields, and source values that mean our values.

Kept apart from the converters so the tables read as data. Lookups are by exact value first and
then lower-cased, so ``Voice``, ``VOICE`` and ``voice`` all mean voice.
"""

from __future__ import annotations

from typing import Any

# fmt: off
#: Our fields in the order importers hand them to the pipeline (``values[i]``).
FIELDS: tuple[str, ...] = (
    "external_id", "channel", "started_at", "ended_at", "agent_external_id", "agent_name",
    "team", "queue", "direction", "queue_wait_s", "duration_s", "hold_s", "wrap_s",
    "customer_ref", "outcome", "csat", "fcr", "complaint", "vulnerable", "tags",
    "recording_path", "screen_recording_path",
)
REQUIRED: tuple[str, ...] = ("external_id", "channel", "started_at")
INDEX: dict[str, int] = {name: i for i, name in enumerate(FIELDS)}
#: What an unmapped or empty optional field is stored as.
DEFAULTS: dict[str, Any] = {"complaint": "none", "vulnerable": 0, "tags": "[]"}

CHANNEL_WORDS: dict[str, str] = {
    **dict.fromkeys(("voice", "phone", "call", "calls", "telephone", "telephony", "inbound call",
                     "outbound call", "callback", "voicemail"), "voice"),
    **dict.fromkeys(("chat", "webchat", "web chat", "live chat", "livechat", "messaging",
                     "message", "sms", "whatsapp", "chat_transcript"), "chat"),
    **dict.fromkeys(("email", "e-mail", "mail", "web form", "webform"), "email"),
    **dict.fromkeys(("social", "twitter", "facebook", "instagram", "x", "linkedin",
                     "social media"), "social"),
    "task": "task",
}
DIRECTION_WORDS: dict[str, str] = {
    **dict.fromkeys(("inbound", "in", "incoming", "i", "inb"), "inbound"),
    **dict.fromkeys(("outbound", "out", "outgoing", "o", "outb"), "outbound"),
}
TRUE_WORDS = frozenset(("yes", "y", "true", "t", "1", "x", "✓", "✔"))
FALSE_WORDS = frozenset(("no", "n", "false", "f", "0", "-"))
#: ``complaint`` also accepts yes/no: a flagged complaint is taken as *formal* (the cautious
#: reading, because formal complaints carry regulatory deadlines); a mapping can say otherwise.
COMPLAINT_WORDS: dict[str, str] = {
    **dict.fromkeys(("none", "no", "n", "false", "0"), "none"),
    **dict.fromkeys(("informal", "expression of dissatisfaction"), "informal"),
    **dict.fromkeys(("formal", "yes", "y", "true", "1"), "formal"),
}
DURATION_UNITS: dict[str, float] = {
    "seconds": 1.0, "s": 1.0, "milliseconds": 0.001, "ms": 0.001, "minutes": 60.0, "min": 60.0,
}
# fmt: on
