"""KPI targets per team and channel: stored, edited with an audit row, looked up most-specific-first.

A supervisor sets targets for QA score, AHT, FCR, CSAT and service level for the whole workspace,
for a team, for a channel or for one team on one channel. A figure is judged against the most
specific target that exists: (team, channel), then (team, any channel), then (any team, channel),
then the workspace-wide one. Workspace-wide AHT/FCR/CSAT targets are the ones coaching packs state
(``reporting.kpi_targets`` reads them before the ``target.*`` settings), so the dashboard and the
packs never disagree. With no stored QA target the scorecard's own pass mark applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qa_studio.domain.dashboard import (
    DEFAULT_SL_THRESHOLD_S,
    METRIC_LABELS,
    METRICS,
    SERVICE_LEVEL,
    default_sl_threshold,
)
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import CHANNELS
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit

#: Service level when nothing is stored: 80 % of contacts answered within 20 seconds.
DEFAULT_SERVICE_LEVEL = 80.0


@dataclass(frozen=True)
class Target:
    id: int
    uuid: str
    team: str | None
    channel: str | None
    metric: str
    value: float
    threshold_s: float | None
    updated_at: str
    updated_by: str | None

    @property
    def label(self) -> str:
        text = f"{METRIC_LABELS[self.metric]} {self.value:g}"
        if self.metric == SERVICE_LEVEL:
            text += f" within {self.threshold_s or DEFAULT_SL_THRESHOLD_S:g} s"
        return text


_SELECT = (
    "SELECT t.id, t.uuid, tm.name, t.channel, t.metric, t.value, t.threshold_s, t.updated_at, "
    "t.updated_by FROM targets t LEFT JOIN teams tm ON tm.id = t.team_id"
)


def list_targets(ws: Workspace) -> list[Target]:
    """Every stored target, workspace-wide first, then by team, channel and metric order."""
    rows = ws.db.execute(
        f"{_SELECT} ORDER BY t.team_id IS NOT NULL, tm.name, t.channel IS NOT NULL, t.channel"
    ).fetchall()
    order = {m: i for i, m in enumerate(METRICS)}
    targets = [Target(*r) for r in rows]
    return sorted(targets, key=lambda t: (t.team is not None, t.team or "", t.channel is not None,
                                          t.channel or "", order[t.metric]))  # fmt: skip


def _team_id(ws: Workspace, team: str | None) -> int | None:
    if team is None:
        return None
    row = ws.db.execute("SELECT id FROM teams WHERE name = ?", [team]).fetchone()
    if row is None:
        names = [r[0] for r in ws.db.execute("SELECT name FROM teams ORDER BY name")]
        raise DataRefused(f"unknown team '{team}'.", [f"Teams: {', '.join(names) or '(none)'}"])
    return int(row[0])


def _check(metric: str, value: float, channel: str | None, threshold_s: float | None) -> None:
    if metric not in METRICS:
        raise DataRefused(f"unknown metric '{metric}'.", [f"Metrics: {', '.join(METRICS)}"])
    if channel is not None and channel not in CHANNELS:
        raise DataRefused(f"unknown channel '{channel}'.", [f"Channels: {', '.join(CHANNELS)}"])
    if not math.isfinite(value) or value < 0:
        raise DataRefused(f"target {metric} = {value}: must be a number of 0 or more.")
    if metric in ("qa_score", "fcr_pct", "service_level_pct") and value > 100:
        raise DataRefused(f"target {metric} = {value:g}: a percentage is at most 100.")
    if metric == "csat" and not 1 <= value <= 5:
        raise DataRefused(f"target csat = {value:g}: CSAT is scored 1 to 5.")
    if threshold_s is not None and (metric != SERVICE_LEVEL or threshold_s < 0):
        raise DataRefused(
            "a threshold in seconds belongs to the service-level target only, and is 0 or more."
        )


def set_target(
    ws: Workspace,
    metric: str,
    value: float,
    *,
    team: str | None = None,
    channel: str | None = None,
    threshold_s: float | None = None,
) -> Target:
    """Create or change one target (one transaction, audited with the old and new value)."""
    _check(metric, value, channel, threshold_s)
    if metric == SERVICE_LEVEL and threshold_s is None:
        threshold_s = default_sl_threshold(channel)
    with ws.db.atomic():
        team_id = _team_id(ws, team)
        old = ws.db.execute(
            "SELECT id, uuid, value, threshold_s FROM targets WHERE coalesce(team_id, 0) = ? "
            "AND coalesce(channel, '') = ? AND metric = ?",
            [team_id or 0, channel or "", metric],
        ).fetchone()
        now = utcnow_iso()
        if old is None:
            uuid = new_uuid()
            ws.db.execute(
                "INSERT INTO targets (uuid, team_id, channel, metric, value, threshold_s, "
                "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [uuid, team_id, channel, metric, value, threshold_s, now, ws.actor],
            )
        else:
            uuid = old[1]
            ws.db.execute(
                "UPDATE targets SET value = ?, threshold_s = ?, updated_at = ?, updated_by = ? "
                "WHERE id = ?",
                [value, threshold_s, now, ws.actor, old[0]],
            )
        audit.append(ws, "target.set", "target", uuid, {
            "team": team, "channel": channel, "metric": metric, "value": value,
            "threshold_s": threshold_s, "previous": None if old is None else old[2],
            "previous_threshold_s": None if old is None else old[3],
        })  # fmt: skip
        row = ws.db.execute(f"{_SELECT} WHERE t.uuid = ?", [uuid]).fetchone()
    return Target(*row)


def delete_target(ws: Workspace, target_uuid: str) -> None:
    """Remove a target (the broader one applies again); audited with what was removed."""
    with ws.db.atomic():
        row = ws.db.execute(f"{_SELECT} WHERE t.uuid = ?", [target_uuid]).fetchone()
        if row is None:
            raise DataRefused(f"no target {target_uuid}.")
        t = Target(*row)
        ws.db.execute("DELETE FROM targets WHERE id = ?", [t.id])
        audit.append(ws, "target.delete", "target", t.uuid, {
            "team": t.team, "channel": t.channel, "metric": t.metric, "value": t.value,
            "threshold_s": t.threshold_s,
        })  # fmt: skip


class TargetBook:
    """The stored targets in memory, answering "which target applies here" most-specific-first."""

    def __init__(self, targets: list[Target]) -> None:
        self._by = {(t.metric, t.team, t.channel): t for t in targets}

    def find(self, metric: str, team: str | None, channel: str | None) -> Target | None:
        for key in ((team, channel), (team, None), (None, channel), (None, None)):
            if key[0] != team and key[0] is not None:
                continue
            hit = self._by.get((metric, *key))
            if hit is not None:
                return hit
        return None

    def value(self, metric: str, team: str | None, channel: str | None) -> float | None:
        hit = self.find(metric, team, channel)
        return None if hit is None else hit.value

    def sl_threshold(self, team: str | None, channel: str | None) -> float:
        """The answer time for ``channel``: a target's own threshold, except that e-mail is
        judged in seconds only by a target set for e-mail (a target for all channels states a
        call/chat answer time; see ``default_sl_threshold``)."""
        hit = self.find(SERVICE_LEVEL, team, channel)
        if hit is None or hit.threshold_s is None or (channel == "email" and hit.channel is None):
            return default_sl_threshold(channel)
        return hit.threshold_s


def target_book(ws: Workspace) -> TargetBook:
    return TargetBook(list_targets(ws))


def workspace_target(ws: Workspace, metric: str) -> float | None:
    """The workspace-wide stored target for ``metric`` (None when not set)."""
    row = ws.db.execute(
        "SELECT value FROM targets WHERE team_id IS NULL AND channel IS NULL AND metric = ?",
        [metric],
    ).fetchone()
    return None if row is None else float(row[0])
