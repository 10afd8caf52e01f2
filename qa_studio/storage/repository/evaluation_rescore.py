"""What-if re-scoring of stored evaluations against another scorecard version, and migration.

The comparison itself is pure (``qa_studio.domain.whatif``); this module picks the evaluations (a
scorecard, an agent, a team, a London calendar month), reads their stored answers, and — only when
the user confirms — migrates them: re-pointed at the target version with their answers kept and
their scores recomputed, ``revision`` + 1, one audit row each, all in one transaction. A migration
that would leave any evaluation with questions nobody answered is refused as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa_studio.domain import whatif
from qa_studio.domain.models import COUNTED_STATUSES
from qa_studio.domain.scoring import score
from qa_studio.domain.timeutil import month_bounds, utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.evaluation_records import CardCache, value_from_text

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CHUNK = 500


@dataclass(frozen=True)
class RescoreItem:
    """One evaluation in a what-if: who and what it is, the version it is on, and the result."""

    id: int
    uuid: str
    interaction: str
    agent: str | None
    evaluator: str
    status: str
    revision: int
    from_version_id: int
    from_ref: str
    result: whatif.WhatIf

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "interaction": self.interaction,
            "agent": self.agent,
            "evaluator": self.evaluator,
            "status": self.status,
            "from": self.from_ref,
            **self.result.as_dict(),
        }


@dataclass(frozen=True)
class RescoreReport:
    to: scorecards.ScorecardVersion
    items: list[RescoreItem]
    aggregate: dict
    already_on_target: int
    filters: dict = field(default_factory=dict)
    applied: bool = False

    def as_dict(self) -> dict:
        return {
            "to": self.to.ref,
            "filters": dict(self.filters),
            "applied": self.applied,
            "already_on_target": self.already_on_target,
            "evaluations": [i.as_dict() for i in self.items],
            "aggregate": self.aggregate,
        }


def _known(ws: Workspace, sql: str, value: str, what: str) -> None:
    if ws.db.execute(sql, [value]).fetchone() is None:
        raise DataRefused(f"unknown {what} '{value}'.")


def _select(
    ws: Workspace, key: str, agent: str | None, team: str | None, period: str | None
) -> list[tuple]:
    where = [
        "s.key = ?",
        f"e.status IN ({', '.join('?' * len(COUNTED_STATUSES))})",
        "e.source != 'calibration'",
    ]
    params: list = [key, *COUNTED_STATUSES]
    if agent:
        _known(ws, "SELECT 1 FROM agents WHERE external_id = ?", agent, "agent")
        where.append("a.external_id = ?")
        params.append(agent)
    if team:
        _known(ws, "SELECT 1 FROM teams WHERE name = ?", team, "team")
        where.append("t.name = ?")
        params.append(team)
    if period:
        if not _PERIOD.match(period):
            raise DataRefused(f"period '{period}' must be a month written YYYY-MM (e.g. 2026-10).")
        start, end = month_bounds(period)
        where.append("e.submitted_at >= ? AND e.submitted_at < ?")
        params += [start, end]
    return ws.db.execute(
        "SELECT e.id, e.uuid, e.status, e.revision, e.scorecard_version_id, e.percent, "
        "i.external_id, a.external_id, ev.name FROM evaluations e "
        "JOIN interactions i ON i.id = e.interaction_id "
        "LEFT JOIN agents a ON a.id = i.agent_id LEFT JOIN teams t ON t.id = a.team_id "
        "JOIN evaluators ev ON ev.id = e.evaluator_id "
        "JOIN scorecard_versions v ON v.id = e.scorecard_version_id "
        "JOIN scorecards s ON s.id = v.scorecard_id "
        f"WHERE {' AND '.join(where)} ORDER BY e.submitted_at, e.id",
        params,
    ).fetchall()


def _answers(ws: Workspace, ids: list[int]) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = {i: [] for i in ids}
    for n in range(0, len(ids), _CHUNK):
        chunk = ids[n : n + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for r in ws.db.execute(
            "SELECT evaluation_id, question_key, value, na FROM answers "
            f"WHERE evaluation_id IN ({marks})",
            chunk,
        ):
            out[r[0]].append(r[1:])
    return out


def rescore(
    ws: Workspace,
    to: str,
    *,
    agent: str | None = None,
    team: str | None = None,
    period: str | None = None,
    scorecard: str | None = None,
    apply: bool = False,
) -> RescoreReport:
    """Re-score the selected evaluations against version ``to`` (``key@3``); migrate on ``apply``.

    Selected: submitted, signed-off, disputed and final evaluations (calibration ones excluded)
    on any version of ``scorecard`` (default: the target's own key) other than the target,
    filtered by agent external id, team name and ``period`` (submitted in that Europe/London
    month). Nothing stored changes unless ``apply``.
    """
    target = scorecards.find(ws, to)
    key = scorecard or target.key
    rows = _select(ws, key, agent, team, period)
    on_target = [r for r in rows if int(r[4]) == target.id]
    rows = [r for r in rows if int(r[4]) != target.id]
    cards = CardCache(ws)
    answers = _answers(ws, [int(r[0]) for r in rows])
    items = []
    for r in rows:
        source = cards.version(int(r[4]))
        questions = {q.key: q for q in source.card.questions()}
        given = {
            k: value_from_text(questions[k], v, na)
            for k, v, na in answers[int(r[0])]
            if k in questions
        }
        result = whatif.rescore(source.card, target.card, given, stored_percent=r[5])
        items.append(
            RescoreItem(
                int(r[0]), r[1], r[6], r[7], r[8], r[2], int(r[3]), int(r[4]), source.ref, result
            )
        )
    filters = {
        k: v
        for k, v in (("scorecard", key), ("agent", agent), ("team", team), ("period", period))
        if v
    }
    report = RescoreReport(
        target, items, whatif.aggregate(i.result for i in items), len(on_target), filters
    )
    if apply:
        _migrate(ws, report, cards)
        report = RescoreReport(target, items, report.aggregate, len(on_target), filters, True)
    return report


def _migrate(ws: Workspace, report: RescoreReport, cards: CardCache) -> None:
    blocked = [i for i in report.items if not i.result.migratable]
    if blocked:
        details = [
            f"evaluation {i.id} ({i.interaction}, {i.from_ref}): not assessed "
            + ", ".join(f"{k} ({why})" for k, why in i.result.not_assessed.items())
            for i in blocked
        ]
        raise DataRefused(
            f"cannot migrate to {report.to.ref}: {len(blocked)} evaluation"
            f"{'' if len(blocked) == 1 else 's'} would be left with questions nobody answered; "
            "nothing was changed.",
            details,
        )
    target = report.to
    keys = [q.key for q in target.card.questions()]
    with ws.db.atomic():
        for item in report.items:
            result = score(target.card, item.result.carried)
            for k in keys:
                a = result.answers[k]
                ws.db.execute(
                    "UPDATE answers SET points = ?, max_points = ?, failed = ? "
                    "WHERE evaluation_id = ? AND question_key = ?",
                    [a.points, a.max_points, int(a.failed), item.id, k],
                )
            # Answers to questions the target lacks are kept (for re-scoring back) but unscored.
            marks = ", ".join("?" * len(keys))
            ws.db.execute(
                "UPDATE answers SET points = NULL, max_points = NULL, failed = 0 "
                f"WHERE evaluation_id = ? AND question_key NOT IN ({marks})",
                [item.id, *keys],
            )
            ws.db.execute(
                "UPDATE evaluations SET scorecard_version_id = ?, revision = revision + 1, "
                "score = ?, max_score = ?, percent = ?, fatal = ?, updated_at = ? WHERE id = ?",
                [
                    target.id,
                    result.score,
                    result.max_score,
                    result.percent,
                    int(result.fatal),
                    utcnow_iso(),
                    item.id,
                ],
            )
            audit.append(
                ws,
                "evaluation.migrate",
                "evaluation",
                item.uuid,
                {
                    "from": cards.version(item.from_version_id).uuid,
                    "to": target.uuid,
                    "revision": item.revision + 1,
                    "old_percent": item.result.stored_percent,
                    "new_percent": result.percent,
                    "removed": list(item.result.removed),
                },
            )
