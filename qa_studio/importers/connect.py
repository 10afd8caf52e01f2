"""Amazon Connect contact records (CTRs) as exported: JSON lines, concatenated objects or an array.

Connect delivers a contact record at least once and sends a new copy whenever the contact changes
(e.g. attributes updated after the call), so a file may hold several records per ``ContactId``:
the one with the newest ``LastUpdateTimestamp`` wins, whatever the order in the file. Two copies
with the same timestamp but different content cannot be ordered and are refused.

Field use (names as in the contact record data model): ``ContactId`` → external id; ``Channel``
VOICE/CHAT/TASK/EMAIL; ``InitiationMethod`` → direction; ``InitiationTimestamp`` /
``DisconnectTimestamp``; ``Agent`` (null when no agent handled the contact: stored with no agent)
``.Username``, ``.AgentInteractionDuration`` (duration), ``.CustomerHoldDuration``,
``.AfterContactWorkDuration`` (wrap); ``Queue.Name``, ``Queue.Duration`` (queue wait);
``Recording.Location`` or ``Recordings[].Location`` (``MediaStreamType`` VIDEO → screen
recording); contact ``Attributes`` named like our fields (CSAT, FCR, complaint, vulnerable,
outcome, customer reference) fill them.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from qa_studio.domain.models import Transcript
from qa_studio.domain.timeutil import parse_iso
from qa_studio.importers.jsonsource import Extracted, JsonSource, dig
from qa_studio.importers.mapping import SYNONYMS, normalise

INITIATION_DIRECTION = {
    "INBOUND": "inbound",
    "TRANSFER": "inbound",
    "QUEUE_TRANSFER": "inbound",
    "WEBRTC_API": "inbound",
    "OUTBOUND": "outbound",
    "CALLBACK": "outbound",
    "EXTERNAL_OUTBOUND": "outbound",
    "AGENT_REPLY": "outbound",
}
ATTRIBUTE_FIELDS = ("customer_ref", "outcome", "csat", "fcr", "complaint", "vulnerable", "tags")
_ATTRIBUTE_KEYS = {word: name for name in ATTRIBUTE_FIELDS for word in SYNONYMS[name]}


class ConnectSource(JsonSource):
    fmt = "connect"
    COLUMNS: ClassVar[dict[str, str]] = {
        "external_id": "ContactId",
        "channel": "Channel",
        "started_at": "InitiationTimestamp",
        "ended_at": "DisconnectTimestamp",
        "agent_external_id": "Agent.Username",
        "queue": "Queue.Name",
        "direction": "InitiationMethod",
        "queue_wait_s": "Queue.Duration",
        "duration_s": "Agent.AgentInteractionDuration",
        "hold_s": "Agent.CustomerHoldDuration",
        "agent_name": "Agent.Username",
        "wrap_s": "Agent.AfterContactWorkDuration",
        **{name: f"Attributes.{name}" for name in ATTRIBUTE_FIELDS},
        "recording_path": "Recording.Location",
        "screen_recording_path": "Recordings[].Location",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._winners: list[tuple[int, Any]] | None = None

    def entries(self) -> list[tuple[int, Any]]:
        if self._winners is None:
            self._winners = self._newest()
        return self._winners

    def _newest(self) -> list[tuple[int, Any]]:
        """One record per ContactId: the newest LastUpdateTimestamp; ties must agree."""
        best: dict[str, tuple[Any, int, Any]] = {}
        passthrough: list[tuple[int, Any]] = []
        superseded = 0
        for number, obj in self.items:
            contact = obj.get("ContactId") if isinstance(obj, dict) else None
            if not isinstance(contact, str) or not contact.strip():
                passthrough.append((number, obj))
                continue
            stamp = obj.get("LastUpdateTimestamp")
            try:
                key = parse_iso(stamp) if stamp else None
            except (TypeError, ValueError):
                self._problems.setdefault(number, []).append(
                    ("LastUpdateTimestamp", f"unparseable date {stamp!r}")
                )
                passthrough.append((number, obj))
                continue
            held = best.get(contact)
            if held is None:
                best[contact] = (key, number, obj)
                continue
            held_key = held[0]
            if key == held_key and _canonical(obj) != _canonical(held[2]):
                self._problems.setdefault(number, []).append(
                    (
                        "LastUpdateTimestamp",
                        (
                            f"contact {contact} has another record (row {held[1]}) with the same "
                            "LastUpdateTimestamp but different data; keep one of them"
                        ),
                    )
                )
                passthrough.append((number, obj))
                continue
            superseded += 1
            if key != held_key and (held_key is None or (key is not None and key > held_key)):
                best[contact] = (key, number, obj)
        if superseded:
            self.notes.append(
                f"{superseded} older or repeated contact record(s) were superseded "
                "by the newest copy per ContactId (LastUpdateTimestamp)"
            )
        chosen = [(number, obj) for _, number, obj in best.values()] + passthrough
        return sorted(chosen, key=lambda item: item[0])

    def extract(self, obj: dict) -> tuple[Extracted, Transcript | None, list[tuple[str, str]]]:
        agent = obj.get("Agent") if isinstance(obj.get("Agent"), dict) else None
        queue = obj.get("Queue") if isinstance(obj.get("Queue"), dict) else None
        method = obj.get("InitiationMethod")
        raw: Extracted = {
            "external_id": (obj.get("ContactId"), "ContactId"),
            "channel": (obj.get("Channel"), "Channel"),
            "started_at": (obj.get("InitiationTimestamp"), "InitiationTimestamp"),
            "ended_at": (obj.get("DisconnectTimestamp"), "DisconnectTimestamp"),
            "direction": (
                INITIATION_DIRECTION.get(str(method).upper()) if method else None,
                "InitiationMethod",
            ),
        }
        if agent is not None:
            raw["agent_external_id"] = (agent.get("Username"), "Agent.Username")
            raw["agent_name"] = (agent.get("Username"), "Agent.Username")
            raw["duration_s"] = (
                agent.get("AgentInteractionDuration"),
                "Agent.AgentInteractionDuration",
            )
            raw["hold_s"] = (agent.get("CustomerHoldDuration"), "Agent.CustomerHoldDuration")
            raw["wrap_s"] = (
                agent.get("AfterContactWorkDuration"),
                "Agent.AfterContactWorkDuration",
            )
        if queue is not None:
            raw["queue"] = (queue.get("Name"), "Queue.Name")
            raw["queue_wait_s"] = (queue.get("Duration"), "Queue.Duration")
        audio, video = _recordings(obj)
        if audio:
            raw["recording_path"] = audio
        if video:
            raw["screen_recording_path"] = video
        attributes = obj.get("Attributes")
        if isinstance(attributes, dict):
            for key, value in attributes.items():
                name = _ATTRIBUTE_KEYS.get(normalise(str(key)))
                if name is not None and name not in raw:
                    raw[name] = (value, f"Attributes.{key}")
        return raw, None, []


def _recordings(obj: dict) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    audio = video = None
    location = dig(obj, "Recording.Location")
    if isinstance(location, str) and location.strip():
        audio = (location, "Recording.Location")
    recordings = obj.get("Recordings")
    if isinstance(recordings, list):
        for i, rec in enumerate(recordings):
            if not isinstance(rec, dict) or not isinstance(rec.get("Location"), str):
                continue
            where = (rec["Location"], f"Recordings[{i}].Location")
            if str(rec.get("MediaStreamType", "AUDIO")).upper() == "VIDEO":
                video = video or where
            else:
                audio = audio or where
    return audio, video


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False)
