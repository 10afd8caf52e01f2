"""Six months of contacts: when they arrive, who takes them, what was said and how it went.

Everything is drawn from the caller's seeded generator in a fixed order — first a skeleton per
contact (day, channel, time, script), then, in time order, the details — and every instant is
derived from the period's dates, so the same seed and ``--end`` give the same contacts.

Shapes a contact-centre manager would expect: weekdays busier than weekends (Monday busiest),
mid-morning peaks, longer queues at peaks, some callers abandoning, customers ringing back within
a week (the earlier contact then did not resolve it), CSAT from a minority of customers, and
slower, less polished handling from new starters and agents on an improvement plan.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from qa_studio.demo import names
from qa_studio.demo.conversations import (
    Script,
    by_channel,
    render,
    time_chat,
    time_email,
    time_voice,
)
from qa_studio.demo.recordings import RecordedCallInfo
from qa_studio.demo.roster import DemoAgent, Roster
from qa_studio.domain.models import Interaction, Transcript
from qa_studio.domain.timeutil import LONDON, to_iso

CHANNEL_MIX = (("voice", 0.6), ("chat", 0.25), ("email", 0.15))
PREFIX = {"voice": "VC", "chat": "CH", "email": "EM"}
ABANDON_RATE = {"voice": 0.055, "chat": 0.03, "email": 0.0}
CSAT_RESPONSE = {"voice": 0.38, "chat": 0.45, "email": 0.22}
DAY_WEIGHT = (1.3, 1.1, 1.0, 1.0, 0.95, 0.5, 0.22)  # Monday … Sunday
QUEUE_WEIGHTS = (
    ("Billing", 30),
    ("Broadband Faults", 26),
    ("Payments", 16),
    ("Moving Home", 12),
    ("Complaints", 10),
    ("Bereavement", 3),
)
REPEAT_RATE = 0.09
REPEAT_WINDOW = timedelta(days=7)


def _hours(channel: str, weekday: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Opening hours and the relative load of each hour (peaks mid-morning and after lunch)."""
    if channel == "email":
        return tuple(range(24)), tuple(
            1 if h < 7 or h > 21 else (5 if 9 <= h <= 17 else 3) for h in range(24)
        )
    if weekday == 6:
        return tuple(range(10, 16)), (3, 4, 4, 4, 3, 2)
    if weekday == 5:
        return tuple(range(9, 17)), (4, 6, 6, 5, 5, 4, 3, 2)
    last = 20 if channel == "voice" else 22
    hours = tuple(range(8, last))
    load = {
        8: 6,
        9: 10,
        10: 11,
        11: 10,
        12: 8,
        13: 8,
        14: 9,
        15: 8,
        16: 7,
        17: 6,
        18: 4,
        19: 3,
        20: 3,
        21: 2,
    }
    return hours, tuple(load[h] for h in hours)


@dataclass(eq=False)
class DemoContact:
    """A contact with its stored values and the ground truth later steps generate from."""

    channel: str
    queue: str
    local_start: datetime
    agent: DemoAgent | None = None
    script: Script | None = None
    recorded: RecordedCallInfo | None = None
    external_id: str = ""
    direction: str = "inbound"
    queue_wait_s: float = 0.0
    duration_s: float = 0.0
    hold_s: float = 0.0
    wrap_s: float = 0.0
    customer_ref: str | None = None
    outcome: str = ""
    csat: int | None = None
    fcr: bool | None = None
    complaint: str = "none"
    vulnerable: bool = False
    tags: list[str] = field(default_factory=list)
    recording_path: str | None = None
    transcript: Transcript | None = None
    end_offset_s: float = 0.0
    interaction_id: int = 0

    @property
    def abandoned(self) -> bool:
        return self.agent is None

    @property
    def pci_breach(self) -> bool:
        source = self.recorded or self.script
        return bool(source and source.pci_breach)

    @property
    def skips_id_check(self) -> bool:
        source = self.recorded or self.script
        return bool(source and source.skips_id_check)

    @property
    def started_at(self) -> str:
        return to_iso(self.local_start)

    @property
    def ended_at(self) -> str:
        return to_iso(self.local_start + timedelta(seconds=self.end_offset_s))

    def to_interaction(self) -> Interaction:
        a = self.agent
        return Interaction(
            external_id=self.external_id,
            channel=self.channel,
            started_at=self.started_at,
            agent_external_id=a.external_id if a else None,
            agent_name=a.name if a else None,
            team=a.team if a else None,
            queue=self.queue,
            direction=self.direction,
            ended_at=self.ended_at,
            queue_wait_s=self.queue_wait_s,
            duration_s=self.duration_s,
            hold_s=self.hold_s,
            wrap_s=self.wrap_s,
            customer_ref=self.customer_ref,
            outcome=self.outcome,
            csat=self.csat,
            fcr=self.fcr,
            complaint=self.complaint,
            vulnerable=self.vulnerable,
            tags=tuple(self.tags),
            recording_path=self.recording_path,
            source="demo",
        )


def period_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _day_weights(days: list[date]) -> list[float]:
    out = []
    for i, d in enumerate(days):
        w = DAY_WEIGHT[d.weekday()] * (1.0 + 0.12 * i / max(1, len(days) - 1))
        if (d.month, d.day) in ((12, 25), (1, 1)):
            w = 0.0
        elif (d.month, d.day) == (12, 26):
            w *= 0.3
        out.append(w)
    return out


def _skeletons(rng: random.Random, n: int, first: date, last: date) -> list[DemoContact]:
    days = period_days(first, last)
    day_weights = list(accumulate(_day_weights(days)))
    channels, mix = zip(*CHANNEL_MIX, strict=True)
    scripts = {c: by_channel(c) for c in channels}
    queues, queue_weights = zip(*QUEUE_WEIGHTS, strict=True)
    out: list[tuple[datetime, int, DemoContact]] = []
    for i in range(n):
        day = rng.choices(days, cum_weights=day_weights)[0]
        channel = rng.choices(channels, mix)[0]
        hours, load = _hours(channel, day.weekday())
        hour = rng.choices(hours, load)[0]
        local = datetime(
            day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=LONDON
        )
        contact = DemoContact(channel, "", local)
        if rng.random() < ABANDON_RATE[channel]:
            contact.queue = rng.choices(queues, queue_weights)[0]
        else:
            pool = scripts[channel]
            contact.script = rng.choices(pool, [s.weight for s in pool])[0]
            contact.queue = contact.script.queue
        out.append((local.astimezone(UTC), i, contact))
    out.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in out]


def _daypart(call: RecordedCallInfo) -> tuple[int, int]:
    """The hours a recorded call fits: its greeting says morning or afternoon."""
    opening = call.turns[0]["text"].lower()
    if "good morning" in opening:
        return 8, 12
    if "afternoon" in opening:
        return 12, 18
    return 8, 20


def _place_recordings(
    rng: random.Random, contacts: list[DemoContact], last: date, calls: tuple[RecordedCallInfo, ...]
) -> None:
    """Give each recorded call a recent weekday voice contact at a time its greeting fits."""
    voice = [c for c in contacts if c.channel == "voice" and c.script is not None]
    recent = [c for c in voice if c.local_start.date() > last - timedelta(days=45)]
    taken: list[DemoContact] = []
    for call in calls:
        lo, hi = _daypart(call)
        for pool in (recent, voice):
            fits = [
                c
                for c in pool
                if lo <= c.local_start.hour < hi and c.local_start.weekday() < 5 and c not in taken
            ]
            if fits:
                chosen = rng.choice(fits)
                chosen.recorded, chosen.script = call, None
                chosen.queue, chosen.direction = call.queue, call.direction
                taken.append(chosen)
                break


class AgentPicker:
    """Chooses who answers a contact: mostly a team that works the queue, weighted by hours.

    Pools are cached per (queue, day) with cumulative weights, so a large demo does not rebuild
    them for every contact; the draws are the same as without the cache.
    """

    def __init__(self, roster: Roster) -> None:
        self.roster = roster
        self._team_queues = {t.name: t.queues for t in roster.teams}
        self._pools: dict[tuple[str, date], tuple] = {}

    def _pool(self, queue: str, day: date) -> tuple:
        key = (queue, day)
        if key not in self._pools:
            agents = self.roster.agents
            eligible = [a for a in agents if a.started_on <= day] or agents
            home = [a for a in eligible if queue in self._team_queues[a.team]]
            self._pools[key] = (
                (home, list(accumulate(a.profile["share"] for a in home))),
                (eligible, list(accumulate(a.profile["share"] for a in eligible))),
            )
        return self._pools[key]

    def pick(
        self, rng: random.Random, queue: str, day: date, wanted_first_name: str | None = None
    ) -> DemoAgent:
        if wanted_first_name:
            for a in self.roster.agents:
                if a.first_name == wanted_first_name and a.started_on <= day:
                    return a
        (home, home_weights), (eligible, eligible_weights) = self._pool(queue, day)
        if home and rng.random() < 0.85:
            return rng.choices(home, cum_weights=home_weights)[0]
        return rng.choices(eligible, cum_weights=eligible_weights)[0]


def _queue_wait(rng: random.Random, c: DemoContact) -> float:
    if c.channel == "email":
        return round(rng.uniform(1800.0, 26 * 3600.0))
    peak = 1.6 if (c.local_start.weekday() == 0 or 9 <= c.local_start.hour <= 11) else 1.0
    if c.abandoned:
        return round(rng.uniform(20.0, 480.0) * peak)
    mean = 45.0 if c.channel == "voice" else 25.0
    return round(min(rng.expovariate(1.0 / mean) * peak, 1200.0))


IDENTITY = ("first", "last", "title", "account", "addr1", "postcode", "dob")


def plan_contacts(
    rng: random.Random,
    roster: Roster,
    first: date,
    last: date,
    n: int,
    calls: tuple[RecordedCallInfo, ...],
    media_prefix: str,
) -> list[DemoContact]:
    """Every contact of the period in time order, with transcripts and ground truth."""
    contacts = _skeletons(rng, n, first, last)
    _place_recordings(rng, contacts, last, calls)
    window: deque[tuple[datetime, str, dict | None, DemoContact]] = deque()
    seq: dict[tuple[str, date], int] = {}
    picker = AgentPicker(roster)
    for c in contacts:
        day = c.local_start.date()
        key = (PREFIX[c.channel], day)
        seq[key] = seq.get(key, 0) + 1
        c.external_id = f"{key[0]}-{day:%Y%m%d}-{seq[key]:05d}"
        at = c.local_start.astimezone(UTC)
        while window and at - window[0][0] > REPEAT_WINDOW:
            window.popleft()
        identity: dict | None = None
        if c.recorded is None and window and rng.random() < REPEAT_RATE:
            ref = rng.choice(list(window))[1]
            same = [e for e in window if e[1] == ref]
            c.customer_ref = ref
            identity = next((e[2] for e in reversed(same) if e[2]), None)
            c.tags.append("repeat_contact")
            if same[-1][3].fcr:  # they came back, so their last contact did not resolve it
                same[-1][3].fcr = False
        elif not c.abandoned or c.recorded or rng.random() < 0.7:
            c.customer_ref = f"CUS{rng.randint(1000000, 9999999)}"
        if c.script is None and c.recorded is None:
            _fill_abandoned(rng, c)
        else:
            c.agent = picker.pick(rng, c.queue, day, c.recorded.agent_name if c.recorded else None)
            if c.recorded is not None:
                _fill_recorded(c, media_prefix)
            else:
                identity = _fill_scripted(rng, c, identity)
        if c.customer_ref and c.recorded is None:
            window.append((at, c.customer_ref, identity, c))
    return contacts


def _fill_abandoned(rng: random.Random, c: DemoContact) -> None:
    c.queue_wait_s = _queue_wait(rng, c)
    c.outcome = "abandoned"
    c.tags.append("abandoned")
    c.end_offset_s = c.queue_wait_s


def _fill_recorded(c: DemoContact, media_prefix: str) -> None:
    call = c.recorded
    assert call is not None and c.agent is not None
    c.queue_wait_s = 30.0 + 7.0 * (int(call.key[-2:]) % 5)
    c.duration_s = call.duration_s
    c.hold_s = call.hold_s
    c.wrap_s = 45.0 + 5.0 * len(call.turns)
    c.outcome, c.csat, c.fcr = call.outcome, call.csat, call.fcr
    c.complaint, c.vulnerable = call.complaint, call.vulnerable
    c.tags.insert(0, call.topic)
    c.recording_path = f"{media_prefix}/{call.file_name}"
    c.transcript = call.transcript(c.agent.name)
    c.end_offset_s = c.queue_wait_s + c.duration_s


def _fill_scripted(rng: random.Random, c: DemoContact, identity: dict | None) -> dict:
    script, agent = c.script, c.agent
    assert script is not None and agent is not None
    quality, aht = agent.profile["quality"], agent.profile["aht"]
    slots = names.make_slots(rng, agent_first=agent.first_name, local_start=c.local_start)
    if identity:
        slots.update(identity)
    with_hold = (
        c.channel == "voice" and script.has_hold and rng.random() < 0.3 + max(0.0, -quality) * 0.25
    )
    spoken = render(script, slots, rng, with_hold)
    customer = f"{slots['first']} {slots['last']}"
    c.queue_wait_s = _queue_wait(rng, c)
    if c.channel == "voice":
        c.hold_s = round(rng.uniform(20.0, 150.0) * aht, 1) if with_hold else 0.0
        c.transcript, c.duration_s = time_voice(
            spoken,
            rng,
            agent=agent.name,
            customer=customer,
            hold_s=c.hold_s,
            agent_wps=rng.uniform(2.4, 3.0) / aht,
        )
        c.wrap_s = round(rng.uniform(15.0, 120.0) * aht)
        c.end_offset_s = c.queue_wait_s + c.duration_s
    elif c.channel == "chat":
        c.transcript, c.duration_s = time_chat(spoken, rng, agent=agent.name, customer=customer)
        c.wrap_s = round(rng.uniform(10.0, 60.0) * aht)
        c.end_offset_s = c.queue_wait_s + c.duration_s
    else:
        c.duration_s = round(rng.uniform(240.0, 900.0) * aht)
        c.transcript = time_email(
            spoken,
            rng,
            agent=agent.name,
            customer=customer,
            first_reply_s=c.queue_wait_s + c.duration_s,
        )
        c.wrap_s = round(rng.uniform(30.0, 180.0) * aht)
        c.end_offset_s = max(t.start_s or 0.0 for t in c.transcript.turns)
    c.direction = script.direction
    c.outcome = script.outcome
    c.complaint, c.vulnerable = script.complaint, script.vulnerable
    c.tags.insert(0, script.topic)
    if c.direction == "inbound" and rng.random() < CSAT_RESPONSE[c.channel]:
        mean = script.csat + 0.6 * quality
        c.csat = max(1, min(5, round(rng.gauss(mean, 0.8))))
    c.fcr = None if rng.random() < 0.04 else rng.random() < min(0.98, script.fcr + 0.08 * quality)
    return {k: slots[k] for k in IDENTITY}
