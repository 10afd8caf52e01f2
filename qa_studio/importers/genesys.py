"""Genesys Cloud analytics conversation details (``/api/v2/analytics/conversations/details``).

A conversation has participants (``purpose`` customer, external, agent, acd, ivr, user …), each
with sessions (``mediaType``, ``direction``, ``segments`` with ``segmentType`` interact, hold,
wrapup …, and in newer responses ``metrics`` such as ``tTalk``/``tHeld``/``tAcw``/``tAcd`` in
milliseconds). Accepted shapes: ``{"conversations": [...]}``, a list, or JSON lines.

Older responses (2016) have no ``conversationEnd``, ``originatingDirection`` or ``metrics``:
durations then come from the segments (talk = the agent's interact segments, hold = hold
segments, wrap = wrapup segments, queue wait = the acd participant's segments) and the end from
the last segment. Media ``callback`` is a voice call; ``message`` is chat unless its
``messageType`` is a social network. A conversation no agent interacted in is stored with no
agent. Queue names come from the acd participant's ``participantName`` (else the ``queueId``).
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from qa_studio.domain.models import Transcript
from qa_studio.domain.timeutil import parse_iso, to_iso
from qa_studio.importers.jsonsource import Extracted, JsonSource

MEDIA_CHANNEL = {
    "voice": "voice",
    "callback": "voice",
    "chat": "chat",
    "message": "chat",
    "email": "email",
    "sms": "chat",
    "video": "voice",
    "cobrowse": "chat",
    "screenshare": "chat",
}
SOCIAL_MESSAGE_TYPES = frozenset(("twitter", "facebook", "instagram", "line", "linkedin"))
CUSTOMER_PURPOSES = ("customer", "external")


def _seconds(start: str | None, end: str | None) -> float:
    try:
        return max((parse_iso(end) - parse_iso(start)).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return 0.0


def _metric(session: dict, *names: str) -> float | None:
    metrics = session.get("metrics")
    if not isinstance(metrics, list):
        return None
    total, found = 0.0, False
    for m in metrics:
        if (
            isinstance(m, dict)
            and m.get("name") in names
            and isinstance(m.get("value"), int | float)
        ):
            total += m["value"] / 1000.0
            found = True
    return total if found else None


class GenesysSource(JsonSource):
    fmt = "genesys"
    COLUMNS: ClassVar[dict[str, str]] = {
        "external_id": "conversationId",
        "channel": "participants[].sessions[].mediaType",
        "started_at": "conversationStart",
        "ended_at": "conversationEnd",
        "agent_external_id": "participants[purpose=agent].userId",
        "agent_name": "participants[purpose=agent].participantName",
        "queue": "participants[purpose=acd].participantName",
        "direction": "originatingDirection",
        "queue_wait_s": "metrics.tAcd",
        "duration_s": "metrics.tTalk",
        "hold_s": "metrics.tHeld",
        "wrap_s": "metrics.tAcw",
        "outcome": "segments.wrapUpCode",
        "customer_ref": "sessions.ani",
    }

    def entries(self) -> list[tuple[int, Any]]:
        if self.top is not None and isinstance(self.top.get("conversations"), list):
            return list(enumerate(self.top["conversations"], start=1))
        return self.items

    def extract(self, obj: dict) -> tuple[Extracted, Transcript | None, list[tuple[str, str]]]:
        problems: list[tuple[str, str]] = []
        participants = obj.get("participants")
        if not isinstance(participants, list):
            participants = []
            problems.append(("participants", "missing participants"))
        raw: Extracted = {
            "external_id": (obj.get("conversationId"), "conversationId"),
            "started_at": (obj.get("conversationStart"), "conversationStart"),
            "ended_at": (obj.get("conversationEnd"), "conversationEnd"),
            "direction": (obj.get("originatingDirection"), "originatingDirection"),
        }
        sessions = [
            (pi, si, p, s)
            for pi, p in enumerate(participants)
            if isinstance(p, dict)
            for si, s in enumerate(p.get("sessions") or [])
            if isinstance(s, dict)
        ]
        raw["channel"] = self._channel(sessions)
        ends = [
            seg.get("segmentEnd")
            for *_, s in sessions
            for seg in s.get("segments") or []
            if isinstance(seg, dict) and seg.get("segmentEnd")
        ]
        if raw["ended_at"][0] is None and ends:
            with contextlib.suppress(TypeError, ValueError):  # segments are optional extras
                raw["ended_at"] = (
                    to_iso(max(parse_iso(e) for e in ends)),
                    "participants[].sessions[].segments[].segmentEnd",
                )
        customer = [
            (pi, si, s) for pi, si, p, s in sessions if p.get("purpose") in CUSTOMER_PURPOSES
        ]
        if raw["direction"][0] is None:
            for pi, si, s in customer:
                if s.get("direction"):
                    raw["direction"] = (
                        s["direction"],
                        f"participants[{pi}].sessions[{si}].direction",
                    )
                    break
        for pi, si, s in customer:
            if s.get("ani"):
                raw["customer_ref"] = (s["ani"], f"participants[{pi}].sessions[{si}].ani")
                break
        self._agent(participants, raw)
        self._queue(participants, raw)
        return raw, None, problems

    def _channel(self, sessions: list) -> tuple[Any, str]:
        ordered = sorted(sessions, key=lambda x: x[2].get("purpose") not in CUSTOMER_PURPOSES)
        for pi, si, _p, s in ordered:
            media = s.get("mediaType")
            if media:
                where = f"participants[{pi}].sessions[{si}].mediaType"
                if (
                    media == "message"
                    and str(s.get("messageType", "")).lower() in SOCIAL_MESSAGE_TYPES
                ):
                    return "social", where
                return MEDIA_CHANNEL.get(str(media).lower(), media), where
        return None, "participants[].sessions[].mediaType"

    def _agent(self, participants: list, raw: Extracted) -> None:
        """The agent who interacted (the last one, after transfers); None for abandoned."""
        chosen = None
        for pi, p in enumerate(participants):
            if not isinstance(p, dict) or p.get("purpose") != "agent":
                continue
            segs = [
                seg
                for s in p.get("sessions") or []
                if isinstance(s, dict)
                for seg in s.get("segments") or []
                if isinstance(seg, dict)
            ]
            if any(seg.get("segmentType") == "interact" for seg in segs):
                chosen = (pi, p, segs)
        if chosen is None:
            return
        pi, p, segs = chosen
        user = p.get("userId") or p.get("participantName")
        raw["agent_external_id"] = (user, f"participants[{pi}].userId")
        raw["agent_name"] = (
            p.get("participantName") or user,
            f"participants[{pi}].participantName",
        )
        sessions = [s for s in p.get("sessions") or [] if isinstance(s, dict)]
        where = f"participants[{pi}].sessions[].metrics"
        by_type: dict[str, float] = {}
        for seg in segs:
            kind = seg.get("segmentType")
            by_type[kind] = by_type.get(kind, 0.0) + _seconds(
                seg.get("segmentStart"), seg.get("segmentEnd")
            )
            if seg.get("wrapUpCode"):
                raw["outcome"] = (seg["wrapUpCode"], f"participants[{pi}].segments.wrapUpCode")
        for name, metrics, kind in (
            ("duration_s", ("tTalk",), "interact"),
            ("hold_s", ("tHeld",), "hold"),
            ("wrap_s", ("tAcw",), "wrapup"),
        ):
            values = [_metric(s, *metrics) for s in sessions]
            known = [v for v in values if v is not None]
            if known:
                raw[name] = (sum(known), where)
            elif kind in by_type:
                raw[name] = (round(by_type[kind], 3), f"participants[{pi}].segments")

    def _queue(self, participants: list, raw: Extracted) -> None:
        for pi, p in enumerate(participants):  # no acd leg (e.g. a direct chat): the agent's
            if isinstance(p, dict) and p.get("purpose") == "agent":  # segments name the queue
                for si, s in enumerate(p.get("sessions") or []):
                    for seg in (s.get("segments") or []) if isinstance(s, dict) else []:
                        if isinstance(seg, dict) and seg.get("queueId"):
                            raw.setdefault(
                                "queue",
                                (seg["queueId"], f"participants[{pi}].sessions[{si}].segments"),
                            )
        for pi, p in enumerate(participants):
            if not isinstance(p, dict) or p.get("purpose") != "acd":
                continue
            sessions = [s for s in p.get("sessions") or [] if isinstance(s, dict)]
            segs = [
                seg for s in sessions for seg in s.get("segments") or [] if isinstance(seg, dict)
            ]
            queue_id = next((seg.get("queueId") for seg in segs if seg.get("queueId")), None)
            name = p.get("participantName") or queue_id
            if name:
                raw["queue"] = (name, f"participants[{pi}].participantName")  # acd leg wins
            known = [v for v in (_metric(s, "tAcd") for s in sessions) if v is not None]
            if known:
                raw["queue_wait_s"] = (sum(known), f"participants[{pi}].sessions[].metrics")
            elif segs:
                raw["queue_wait_s"] = (
                    round(
                        sum(
                            _seconds(seg.get("segmentStart"), seg.get("segmentEnd")) for seg in segs
                        ),
                        3,
                    ),
                    f"participants[{pi}].segments",
                )
            return
