"""Zendesk Support tickets: a page of the incremental ticket export (``{"tickets": [...]}``).

Sideloads are used when present (``users``, ``groups``, ``metric_sets``): the assignee's name, the
group's name as the queue, ``solved_at`` as the end. A ticket's ``comments`` (as fetched from the
ticket comments endpoint and merged into the export) become its transcript: public comments only,
the requester as customer, the assignee and users with an agent or admin role as agent.

``via.channel`` maps to ours: email/web → email, voice → voice, chat/messaging → chat, social
networks → social; anything else (``api``, ``mobile`` …) must be mapped in a mapping file
(``values: {channel: {api: email}}``). ``satisfaction_rating.score``: good → 5, bad → 1,
offered/unoffered → no CSAT. Tags ``complaint``/``formal_complaint`` and ``vulnerable`` set
those flags; ``assignee_id`` null means nobody handled it (stored with no agent).
"""

from __future__ import annotations

from typing import Any, ClassVar

from qa_studio.domain.models import Transcript
from qa_studio.domain.timeutil import parse_iso
from qa_studio.importers.jsonsource import Extracted, JsonSource
from qa_studio.importers.speakers import RawTurn, assign_roles

VIA_CHANNEL = {
    **dict.fromkeys(("email", "web", "web_form", "help_center", "mail"), "email"),
    **dict.fromkeys(
        ("voice", "phone", "phone_call_inbound", "phone_call_outbound", "voicemail"), "voice"
    ),
    **dict.fromkeys(
        (
            "chat",
            "chat_transcript",
            "native_messaging",
            "messaging",
            "sms",
            "whatsapp",
            "line",
            "wechat",
            "sunshine_conversations_api",
        ),
        "chat",
    ),
    **dict.fromkeys(
        (
            "twitter",
            "twitter_dm",
            "twitter_favorite",
            "facebook",
            "facebook_post",
            "facebook_message",
            "instagram_dm",
            "instagram",
            "linkedin",
            "x_dm",
            "x_corp_dm",
        ),
        "social",
    ),
}
SCORES = {"good": 5, "bad": 1, "offered": None, "unoffered": None}
AGENT_ROLES = frozenset(("agent", "admin"))


class ZendeskSource(JsonSource):
    fmt = "zendesk"
    COLUMNS: ClassVar[dict[str, str]] = {
        "external_id": "id",
        "channel": "via.channel",
        "started_at": "created_at",
        "ended_at": "metric_set.solved_at",
        "agent_external_id": "assignee_id",
        "agent_name": "users[assignee_id].name",
        "queue": "group_id",
        "customer_ref": "requester_id",
        "outcome": "status",
        "csat": "satisfaction_rating.score",
        "tags": "tags",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        top = self.top or {}
        self.users = {u.get("id"): u for u in top.get("users") or [] if isinstance(u, dict)}
        self.groups = {g.get("id"): g for g in top.get("groups") or [] if isinstance(g, dict)}
        self.metrics = {
            m.get("ticket_id"): m for m in top.get("metric_sets") or [] if isinstance(m, dict)
        }

    def entries(self) -> list[tuple[int, Any]]:
        if self.top is not None and isinstance(self.top.get("tickets"), list):
            return list(enumerate(self.top["tickets"], start=1))
        return self.items

    def extract(self, obj: dict) -> tuple[Extracted, Transcript | None, list[tuple[str, str]]]:
        via = obj.get("via") if isinstance(obj.get("via"), dict) else {}
        channel = via.get("channel")
        ticket_id = obj.get("id")
        raw: Extracted = {
            "external_id": (ticket_id, "id"),
            "channel": (
                VIA_CHANNEL.get(str(channel).lower(), channel) if channel else None,
                "via.channel",
            ),
            "started_at": (obj.get("created_at"), "created_at"),
            "outcome": (obj.get("status"), "status"),
            "customer_ref": (obj.get("requester_id"), "requester_id"),
        }
        metric = obj.get("metric_set") or self.metrics.get(ticket_id) or {}
        if isinstance(metric, dict) and metric.get("solved_at"):
            raw["ended_at"] = (metric["solved_at"], "metric_set.solved_at")
        assignee = obj.get("assignee_id")
        if assignee is not None:
            user = self.users.get(assignee) or {}
            raw["agent_external_id"] = (assignee, "assignee_id")
            raw["agent_name"] = (user.get("name") or assignee, "assignee_id")
        group = obj.get("group_id")
        if group is not None:
            raw["queue"] = ((self.groups.get(group) or {}).get("name") or group, "group_id")
        rating = obj.get("satisfaction_rating")
        if isinstance(rating, dict) and "score" in rating:
            score = rating.get("score")
            raw["csat"] = (SCORES.get(str(score).lower(), score), "satisfaction_rating.score")
        tags = obj.get("tags") if isinstance(obj.get("tags"), list) else []
        raw["tags"] = (tags, "tags")
        lowered = {str(t).lower() for t in tags}
        if lowered & {"formal_complaint", "complaint_formal"}:
            raw["complaint"] = ("formal", "tags")
        elif "complaint" in lowered:
            raw["complaint"] = ("informal", "tags")
        if lowered & {"vulnerable", "vulnerable_customer"}:
            raw["vulnerable"] = (True, "tags")
        transcript, problems = self._transcript(obj, raw)
        return raw, transcript, problems

    def _transcript(self, obj: dict, raw: Extracted) -> tuple[Transcript | None, list]:
        comments = obj.get("comments")
        if not isinstance(comments, list) or not comments:
            return None, []
        problems, found = [], []
        requester, assignee = obj.get("requester_id"), obj.get("assignee_id")
        for i, c in enumerate(comments):
            if not isinstance(c, dict) or c.get("public") is False:
                continue
            text = str(c.get("plain_body") or c.get("body") or "").strip()
            if not text:
                continue
            try:
                at = parse_iso(c["created_at"])
            except (KeyError, TypeError, ValueError):
                problems.append(
                    (f"comments[{i}].created_at", f"unparseable date {c.get('created_at')!r}")
                )
                continue
            author = c.get("author_id")
            user = self.users.get(author) or {}
            if author is not None and author == requester:
                role = "customer"
            elif (author is not None and author == assignee) or user.get("role") in AGENT_ROLES:
                role = "agent"
            elif user.get("role") == "end-user":
                role = "customer"
            else:
                role = "system"
            if user.get("name"):
                name = str(user["name"])
            elif role == "agent":
                name = str(raw.get("agent_name", ("Agent",))[0] or "Agent")
            else:
                name = "Customer" if role == "customer" else f"user {author}"
            found.append((at, i, name, role, text))
        if not found:
            return None, problems
        first = min(at for at, *_ in found)
        turns = [
            RawTurn(speaker=name, text=text, start_s=(at - first).total_seconds(), role=role)
            for at, _, name, role, text in sorted(found)
        ]
        if problems or not turns:
            return None, problems
        settled, _ = assign_roles(turns, None)
        return Transcript(format="zendesk", turns=tuple(settled)), []
