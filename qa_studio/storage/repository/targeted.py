"""Targeted review: rules that put newly imported high-risk contacts in a standing queue.

QA Studio works on recorded contacts, so its form of "reactive monitoring" is this: after every
import the rules below look at the contacts that arrived (and at transcripts newly attached to
older ones) and queue the ones a QA lead must see — a formal complaint, a CSAT of 1, a vulnerable
customer, or a transcript where a card number or a card security code was read out (PCI DSS
3.3.1: the code must never be taken or recorded). Abandoned contacts (no agent) are not queued.

Evaluations done from this queue carry ``source = 'targeted'``; reports and the planner leave them
out of agents' routine scores unless the user includes them (``sample_evidence``), because these
contacts were chosen for being bad and would bias an average.

Which contacts are new is remembered in ``settings`` (``targeted_review.checked_through``, the
highest interaction id already checked): new rows always get higher ids, so each import checks
exactly what it added.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from qa_studio.domain.models import COUNTED_STATUSES
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository.interactions import fast_uuids

WATERMARK = "targeted_review.checked_through"
#: Rules in priority order: the first that matches names the queue entry.
RULES: dict[str, str] = {
    "card_number": "a card number was read out",
    "security_code": "the card security code was asked for or read out",
    "formal_complaint": "formal complaint",
    "vulnerable": "vulnerable customer",
    "csat_1": "CSAT 1",
}
_CARD = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")
_SECURITY = re.compile(
    r"\b(security code|security number|cvv2?|cvc2?|cv2|card verification|"
    r"(three|3) digits? on the back)\b",
    re.IGNORECASE,
)
_CHUNK = 900
_AUDIT_IDS = 1000


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def transcript_findings(turns: list[dict]) -> list[tuple[str, str]]:
    """(rule, detail) for card numbers (13–19 digits, Luhn-valid) and security-code talk."""
    found: dict[str, str] = {}
    for n, turn in enumerate(turns, start=1):
        text = str(turn.get("text") or "")
        who = turn.get("role") or "someone"
        if "card_number" not in found:
            for m in _CARD.finditer(text):
                digits = re.sub(r"\D", "", m.group())
                if 13 <= len(digits) <= 19 and luhn_ok(digits):
                    found["card_number"] = (
                        f"{RULES['card_number']} by the {who} ({len(digits)} digits, turn {n})"
                    )
                    break
        if "security_code" not in found and (m := _SECURITY.search(text)):
            found["security_code"] = (
                f'{RULES["security_code"]} ("{m.group()}" by the {who}, turn {n})'
            )
    return list(found.items())


@dataclass(frozen=True)
class TargetedHit:
    interaction_id: int
    external_id: str
    rule: str
    reason: str


@dataclass
class TargetedRun:
    """What one run checked and queued (``queued`` excludes contacts already in the queue)."""

    checked: int = 0
    queued: list[TargetedHit] = field(default_factory=list)

    def by_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for hit in self.queued:
            out[hit.rule] = out.get(hit.rule, 0) + 1
        return out

    def note(self) -> str | None:
        """One line for an import report, or None when nothing was queued."""
        if not self.queued:
            return None
        rules = ", ".join(f"{n} {RULES[r]}" for r, n in sorted(self.by_rule().items()))
        return f"{len(self.queued)} high-risk contact(s) queued for targeted review ({rules})"


def _hits(ws: Workspace, where: str, args: list) -> dict[int, tuple[str, dict[str, str]]]:
    """{id: (external id, {rule: detail})} for contacts matching ``where`` (on ``i``)."""
    found: dict[int, tuple[str, dict[str, str]]] = {}
    for iid, ext, complaint, csat, vulnerable in ws.db.execute(
        "SELECT i.id, i.external_id, i.complaint, i.csat, i.vulnerable FROM interactions i "
        f"WHERE {where} AND i.agent_id IS NOT NULL AND (i.complaint = 'formal' OR i.csat = 1 "
        "OR i.vulnerable = 1)",
        args,
    ):
        rules = found.setdefault(iid, (ext, {}))[1]
        if complaint == "formal":
            rules["formal_complaint"] = RULES["formal_complaint"]
        if vulnerable:
            rules["vulnerable"] = RULES["vulnerable"]
        if csat == 1:
            rules["csat_1"] = RULES["csat_1"]
    for iid, ext, turns in ws.db.execute(
        "SELECT i.id, i.external_id, t.turns FROM transcripts t "
        f"JOIN interactions i ON i.id = t.interaction_id WHERE {where} "
        "AND i.agent_id IS NOT NULL",
        args,
    ):
        if not (_CARD.search(turns) or _SECURITY.search(turns)):
            continue
        findings = transcript_findings(json.loads(turns))
        if findings:
            found.setdefault(iid, (ext, {}))[1].update(findings)
    return found


def run_targeted_rules(
    ws: Workspace,
    interaction_ids: Iterable[int] = (),
    *,
    new_since_last: bool = False,
    audited: bool = True,
) -> TargetedRun:
    """Check the given contacts (and, with ``new_since_last``, every contact added since the
    last run) and queue the high-risk ones. Its own savepoint inside the caller's transaction;
    one audit row when anything is queued, unless the caller's own audit row covers the run
    (``audited=False``: an import, whose audit row records the file the contacts came from)."""
    run = TargetedRun()
    found: dict[int, tuple[str, dict[str, str]]] = {}
    ids = sorted(set(int(i) for i in interaction_ids))
    with ws.db.atomic():
        for start in range(0, len(ids), _CHUNK):
            part = ids[start : start + _CHUNK]
            found.update(_hits(ws, f"i.id IN ({', '.join('?' * len(part))})", part))
        run.checked += len(ids)
        if new_since_last:
            row = ws.db.execute("SELECT value FROM settings WHERE key = ?", [WATERMARK]).fetchone()
            last = int(row[0]) if row else 0
            top = ws.db.execute("SELECT coalesce(max(id), 0) FROM interactions").fetchone()[0]
            if top > last:
                found.update(_hits(ws, "i.id > ? AND i.id <= ?", [last, top]))
                run.checked += top - last
            ws.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) "
                "DO UPDATE SET value = excluded.value",
                [WATERMARK, str(top)],
            )
        queued = {r[0] for r in _existing(ws, list(found))}
        now = utcnow_iso()
        for iid in sorted(found):
            if iid in queued:
                continue
            ext, rules = found[iid]
            rule = next(r for r in RULES if r in rules)
            reason = "; ".join(rules[r] for r in RULES if r in rules)
            run.queued.append(TargetedHit(iid, ext, rule, reason))
        ws.db.conn.executemany(
            "INSERT INTO targeted_reviews (uuid, interaction_id, rule, reason, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (u, h.interaction_id, h.rule, h.reason, now)
                for u, h in zip(fast_uuids(len(run.queued)), run.queued, strict=True)
            ],
        )
        if run.queued and audited:
            audit.append(
                ws,
                "targeted.queue",
                "targeted_reviews",
                None,
                {
                    "count": len(run.queued),
                    "rules": run.by_rule(),
                    "interactions": [h.external_id for h in run.queued[:_AUDIT_IDS]],
                    "more": max(0, len(run.queued) - _AUDIT_IDS),
                },
            )
    return run


def _existing(ws: Workspace, ids: list[int]) -> list[tuple]:
    out: list[tuple] = []
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        out += ws.db.execute(
            "SELECT interaction_id FROM targeted_reviews WHERE interaction_id "
            f"IN ({', '.join('?' * len(part))})",
            part,
        ).fetchall()
    return out


def after_import(ws: Workspace, transcript_external_ids: Iterable[str] = ()) -> TargetedRun:
    """The importers' hook: check every contact new since the last run, plus the contacts whose
    transcripts this import attached. Call inside the import's transaction, which rolls the
    queue back with everything else when the import is refused; the import's own audit row
    stands for the run (the queue rows are a deterministic consequence of the data it
    recorded)."""
    exts = [e for e in dict.fromkeys(transcript_external_ids) if e]
    ids: list[int] = []
    for start in range(0, len(exts), _CHUNK):
        part = exts[start : start + _CHUNK]
        ids += [
            r[0]
            for r in ws.db.execute(
                f"SELECT id FROM interactions WHERE external_id IN ({', '.join('?' * len(part))})",
                part,
            )
        ]
    return run_targeted_rules(ws, ids, new_since_last=True, audited=False)


_DONE = (
    "EXISTS (SELECT 1 FROM evaluations e WHERE e.interaction_id = tr.interaction_id "
    f"AND e.source = 'targeted' AND e.status IN ({', '.join(repr(s) for s in COUNTED_STATUSES)}))"
)


@dataclass(frozen=True)
class TargetedItem:
    id: int
    interaction_id: int
    external_id: str
    agent: str | None
    agent_name: str | None
    channel: str
    started_at: str
    rule: str
    reason: str
    created_at: str
    status: str


def targeted_queue(ws: Workspace, status: str | None = "open") -> list[TargetedItem]:
    """The queue: ``open`` (not yet reviewed), ``done`` (a counted targeted evaluation
    exists), ``dismissed``, or None for all; most recent contacts first."""
    state = f"CASE WHEN tr.status = 'open' AND {_DONE} THEN 'done' ELSE tr.status END"
    sql = (
        f"SELECT tr.id, tr.interaction_id, i.external_id, a.external_id, a.name, i.channel, "
        f"i.started_at, tr.rule, tr.reason, tr.created_at, {state} FROM targeted_reviews tr "
        "JOIN interactions i ON i.id = tr.interaction_id "
        "LEFT JOIN agents a ON a.id = i.agent_id"
    )
    args: list = []
    if status is not None:
        sql += f" WHERE ({state}) = ?"
        args.append(status)
    rows = ws.db.execute(sql + " ORDER BY i.started_at DESC, tr.id DESC", args).fetchall()
    return [TargetedItem(*r) for r in rows]


def is_targeted(ws: Workspace, interaction_id: int) -> bool:
    """Whether the contact is in the targeted-review queue (the scoring screen then defaults the
    evaluation's source to ``targeted``)."""
    return (
        ws.db.execute(
            "SELECT 1 FROM targeted_reviews WHERE interaction_id = ?", [interaction_id]
        ).fetchone()
        is not None
    )


def dismiss_targeted(ws: Workspace, ids: Iterable[int], note: str) -> int:
    """Take entries off the queue without a review (a reason is required). Audited."""
    if not (note or "").strip():
        raise DataRefused("say why these contacts need no targeted review")
    wanted = sorted(set(int(i) for i in ids))
    rows = (
        {
            r[0]: r[1:]
            for r in ws.db.execute(
                "SELECT id, uuid, status FROM targeted_reviews WHERE id IN "
                f"({', '.join('?' * len(wanted))})",
                wanted,
            )
        }
        if wanted
        else {}
    )
    missing = [i for i in wanted if i not in rows]
    if missing:
        raise DataRefused(f"no targeted-review entry {missing[0]}", [str(m) for m in missing])
    now = utcnow_iso()
    with ws.db.atomic():
        for i in wanted:
            ws.db.execute(
                "UPDATE targeted_reviews SET status = 'dismissed', closed_by = ?, "
                "closed_at = ?, note = ? WHERE id = ?",
                [ws.actor, now, note, i],
            )
            audit.append(ws, "targeted.dismiss", "targeted_review", rows[i][0], {"note": note})
    return len(wanted)
