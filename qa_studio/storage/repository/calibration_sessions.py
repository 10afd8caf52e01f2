"""Reading calibration sessions: the record every calibration screen, command and chart uses.

Kept apart from the writes (``calibration``) and the statistics (``calibration_results``) so
both can load a session without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace


@dataclass(frozen=True)
class CalibrationSession:
    """A session as stored. ``interactions`` are ``(interaction id, external id)`` and
    ``evaluators`` names, both in the order they were given when the session was created."""

    id: int
    uuid: str
    name: str
    scorecard_version_id: int
    scorecard_ref: str  # "key@version"
    expert: str | None
    blind: bool
    counts_toward_scores: bool
    opened_at: str
    closed_at: str | None
    interactions: tuple[tuple[int, str], ...]
    evaluators: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def status(self) -> str:
        return "open" if self.is_open else "closed"

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "name": self.name,
            "scorecard": self.scorecard_ref,
            "scorecard_version_id": self.scorecard_version_id,
            "expert": self.expert,
            "blind": self.blind,
            "counts_toward_scores": self.counts_toward_scores,
            "status": self.status,
            "opened_at": self.opened_at,
            "closed_at": self.closed_at,
            "evaluators": list(self.evaluators),
            "interactions": [external for _id, external in self.interactions],
        }


def results_hidden(session: CalibrationSession) -> bool:
    """Whether answers other than a viewer's own are hidden: blind and still open."""
    return session.blind and session.is_open


_SELECT = (
    "SELECT cs.id, cs.uuid, cs.name, cs.scorecard_version_id, s.key || '@' || v.version, "
    "ex.name, cs.blind, cs.counts_toward_scores, cs.opened_at, cs.closed_at "
    "FROM calibration_sessions cs "
    "JOIN scorecard_versions v ON v.id = cs.scorecard_version_id "
    "JOIN scorecards s ON s.id = v.scorecard_id "
    "LEFT JOIN evaluators ex ON ex.id = cs.expert_evaluator_id"
)


def _sessions(ws: Workspace, where: str, params: list) -> list[CalibrationSession]:
    rows = ws.db.execute(f"{_SELECT} {where} ORDER BY cs.id", params).fetchall()
    if not rows:
        return []
    ids = [int(r[0]) for r in rows]
    marks = ", ".join("?" * len(ids))
    items: dict[int, list[tuple[int, str]]] = {i: [] for i in ids}
    for sid, iid, external in ws.db.execute(
        "SELECT ci.session_id, i.id, i.external_id FROM calibration_items ci "
        f"JOIN interactions i ON i.id = ci.interaction_id WHERE ci.session_id IN ({marks}) "
        "ORDER BY ci.id",
        ids,
    ):
        items[int(sid)].append((int(iid), external))
    people: dict[int, list[str]] = {i: [] for i in ids}
    for sid, name in ws.db.execute(
        "SELECT ce.session_id, ev.name FROM calibration_evaluators ce "
        f"JOIN evaluators ev ON ev.id = ce.evaluator_id WHERE ce.session_id IN ({marks}) "
        "ORDER BY ce.id",
        ids,
    ):
        people[int(sid)].append(name)
    return [
        CalibrationSession(
            id=int(r[0]),
            uuid=r[1],
            name=r[2],
            scorecard_version_id=int(r[3]),
            scorecard_ref=r[4],
            expert=r[5],
            blind=bool(r[6]),
            counts_toward_scores=bool(r[7]),
            opened_at=r[8],
            closed_at=r[9],
            interactions=tuple(items[int(r[0])]),
            evaluators=tuple(people[int(r[0])]),
        )
        for r in rows
    ]


def list_sessions(ws: Workspace) -> list[CalibrationSession]:
    """Every session, oldest first."""
    return _sessions(ws, "", [])


def get_session(ws: Workspace, session_id: int) -> CalibrationSession:
    found = _sessions(ws, "WHERE cs.id = ?", [session_id])
    if not found:
        known = [
            str(r[0]) for r in ws.db.execute("SELECT id FROM calibration_sessions ORDER BY id")
        ]
        raise DataRefused(
            f"there is no calibration session with id {session_id} "
            f"(sessions: {', '.join(known[-20:]) if known else 'none yet'})."
        )
    return found[0]


def session_by_uuid(ws: Workspace, session_uuid: str) -> CalibrationSession | None:
    """The session with this uuid (how bundles from other workspaces name it), or None."""
    found = _sessions(ws, "WHERE cs.uuid = ?", [session_uuid])
    return found[0] if found else None
