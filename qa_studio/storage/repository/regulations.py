"""The register of regulation references cited by scorecards, with when each was last reviewed.

Why: a compliance question ("Did not take the card security code — PCI DSS 3.3.1") is only as
good as the rule it cites, and rules move (PCI DSS 4.0 renumbered requirements; the FCA's
Consumer Duty changed what "good outcomes" means). A QA lead must re-read each cited rule
periodically and record that they did; references not reviewed for 12 months — or never — are
flagged. The register is built from every published version of every scorecard, so a
reference cited only by an old version still in use by past evaluations is listed too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import parse_iso, to_iso, utcnow
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.retention import months_before

REVIEW_MONTHS = 12


@dataclass(frozen=True)
class Citation:
    """One question of one scorecard version that cites the reference."""

    scorecard: str  # key@version
    question_key: str
    latest: bool  # the version is its scorecard's latest


@dataclass(frozen=True)
class RegulationEntry:
    reference: str
    citations: tuple[Citation, ...]
    first_cited_at: str
    last_reviewed_at: str | None
    last_reviewed_by: str | None
    overdue: bool
    reason: str

    @property
    def in_use(self) -> bool:
        """Cited by the latest version of some scorecard (not only by superseded versions)."""
        return any(c.latest for c in self.citations)

    def as_dict(self) -> dict:
        return {
            "reference": self.reference,
            "citations": [
                {"scorecard": c.scorecard, "question": c.question_key, "latest": c.latest}
                for c in self.citations
            ],
            "in_use": self.in_use,
            "first_cited_at": self.first_cited_at,
            "last_reviewed_at": self.last_reviewed_at,
            "last_reviewed_by": self.last_reviewed_by,
            "overdue": self.overdue,
            "reason": self.reason,
        }


def _citations(ws: Workspace) -> dict[str, tuple[list[Citation], str]]:
    latest = {key: version for key, _n, _c, version in scorecards.list_cards(ws)}
    found: dict[str, tuple[list[Citation], str]] = {}
    for v in scorecards.list_versions(ws):
        for q in v.card.questions():
            if not q.regulation:
                continue
            ref = q.regulation.strip()
            cites, first = found.setdefault(ref, ([], v.published_at))
            cites.append(Citation(v.ref, q.key, latest.get(v.key) == v.version))
            if v.published_at < first:
                found[ref] = (cites, v.published_at)
    return found


def register(ws: Workspace, *, now: datetime | None = None) -> list[RegulationEntry]:
    """Every cited reference, by name, with its last review and whether a review is overdue."""
    threshold = to_iso(months_before(now or utcnow(), REVIEW_MONTHS))
    reviews = {
        row[0]: (row[1], row[2])
        for row in ws.db.execute(
            "SELECT reference, reviewed_at, reviewed_by FROM regulation_reviews r "
            "WHERE reviewed_at = (SELECT max(reviewed_at) FROM regulation_reviews "
            "WHERE reference = r.reference)"
        )
    }
    entries = []
    for ref, (cites, first) in sorted(_citations(ws).items(), key=lambda kv: kv[0].lower()):
        at, by = reviews.get(ref, (None, None))
        if at is None:
            overdue, reason = True, "never reviewed"
        elif at < threshold:
            overdue, reason = True, f"last reviewed {at[:10]}, more than {REVIEW_MONTHS} months ago"
        else:
            overdue, reason = False, f"reviewed {at[:10]}"
        entries.append(RegulationEntry(ref, tuple(cites), first, at, by, overdue, reason))
    return entries


def mark_reviewed(
    ws: Workspace, reference: str, by: str, *, note: str | None = None, at: str | None = None
) -> RegulationEntry:
    """Record that ``by`` reviewed ``reference`` (at ``at``, ISO, or now); audited."""
    ref = (reference or "").strip()
    who = (by or "").strip()
    if not who:
        raise DataRefused("the reviewer's name is required to record a regulation review.")
    known = _citations(ws)
    if ref not in known:
        names = ", ".join(sorted(known)) or "none"
        raise DataRefused(
            f"no published scorecard cites the regulation '{ref}' (cited: {names}).",
            ["Use the reference exactly as written in the scorecard's `regulation` field."],
        )
    when = to_iso(parse_iso(at)) if at else to_iso(utcnow())
    row_uuid = new_uuid()
    with ws.db.atomic():
        ws.db.execute(
            "INSERT INTO regulation_reviews (uuid, reference, reviewed_at, reviewed_by, note) "
            "VALUES (?, ?, ?, ?, ?)",
            [row_uuid, ref, when, who, note],
        )
        audit.append(ws, "regulation.reviewed", "regulation_review", row_uuid,
                     {"reference": ref, "reviewed_at": when, "reviewed_by": who,
                      "note": note})  # fmt: skip
    return next(e for e in register(ws) if e.reference == ref)
