"""Retention policy: remove recordings, transcripts and customer references after N months.

Why: a QA workspace holds customers' voices and words, and UK GDPR's storage-limitation principle
says personal data is kept no longer than needed. Scores are still needed (trends, coaching,
calibration), the personal data behind them is not, so the purge keeps evaluations and answers
and removes what identifies or quotes the customer: the transcript, the recording files and
their stored paths, the customer reference and survey free text.

Some records must outlive the policy (a *legal hold*): an interaction tied to a complaint that is
not closed or was referred to the ombudsman (by the complaint's interaction, the interaction of
its evaluation, or the customer reference), or to an open dispute, is kept whole. A *retention
floor* (``retention.floor_months``, default 60 — the FCA's five years for recorded calls) keeps
voice interactions at least that long whatever the policy says.

The purge is one transaction with its audit row; audit payloads that hold the purged personal
data are set to NULL, which keeps the hash chain intact because the chain covers only each
payload's digest. Recording files are deleted only after the commit, so a failure leaves both
the database and the files as they were. Only files inside the workspace's ``NAME.media/``
folder are deleted: a recording stored elsewhere belongs to another system, so its path is
cleared and the file is reported, not touched.
"""

from __future__ import annotations

import calendar
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from qa_studio.domain.timeutil import to_iso, utcnow
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository import workspace_settings as settings
from qa_studio.storage.repository.workspace_info import get_setting, set_setting

KEY_FLOOR_MONTHS = "retention.floor_months"
DEFAULT_FLOOR_MONTHS = 60
EXAMPLES = 10

_HOLD_SQL = """
WITH held_complaints AS (
    SELECT interaction_id, evaluation_id, customer_ref FROM complaints
    WHERE status <> 'closed' OR ombudsman_referral_at IS NOT NULL
)
SELECT i.id, i.uuid, i.external_id, i.channel, i.started_at, i.customer_ref,
       i.recording_path, i.screen_recording_path, t.uuid,
       CASE
         WHEN i.id IN (SELECT interaction_id FROM held_complaints WHERE interaction_id IS NOT NULL)
           OR i.id IN (SELECT e.interaction_id FROM evaluations e
                       JOIN held_complaints h ON h.evaluation_id = e.id)
           OR (i.customer_ref IS NOT NULL AND i.customer_ref IN
               (SELECT customer_ref FROM held_complaints WHERE customer_ref IS NOT NULL))
           THEN 'complaint'
         WHEN i.id IN (SELECT e.interaction_id FROM disputes d
                       JOIN evaluations e ON e.id = d.evaluation_id WHERE d.status = 'open')
           THEN 'dispute'
         WHEN i.channel = 'voice' AND i.started_at >= :voice_cutoff THEN 'floor'
       END AS hold
FROM interactions i LEFT JOIN transcripts t ON t.interaction_id = i.id
WHERE i.started_at < :cutoff
  AND (t.id IS NOT NULL OR i.recording_path IS NOT NULL
       OR i.screen_recording_path IS NOT NULL OR i.customer_ref IS NOT NULL)
ORDER BY i.started_at, i.id
"""


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def floor_months(ws: Workspace) -> int:
    """Months voice interactions are kept whatever the policy (0: no floor)."""
    text = get_setting(ws.db, KEY_FLOOR_MONTHS)
    try:
        return max(0, int(text)) if text is not None else DEFAULT_FLOOR_MONTHS
    except ValueError:
        return DEFAULT_FLOOR_MONTHS


def set_floor_months(ws: Workspace, months: int) -> None:
    """Change the retention floor for voice interactions; audited."""
    if isinstance(months, bool) or not isinstance(months, int) or not 0 <= months <= 1200:
        raise DataRefused(
            f"The retention floor must be a whole number of months from 0 to 1200; got {months!r}."
        )
    before = floor_months(ws)
    with ws.db.atomic():
        set_setting(ws.db, KEY_FLOOR_MONTHS, str(months))
        audit.append(ws, "setting_changed", "settings", None,
                     {"key": KEY_FLOOR_MONTHS, "old": before, "new": months})  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """One interaction older than the policy whose personal data would be removed."""

    id: int
    uuid: str
    external_id: str
    channel: str
    started_at: str
    customer_ref: str | None
    recording_path: str | None
    screen_recording_path: str | None
    transcript_uuid: str | None


@dataclass(frozen=True)
class RetentionPlan:
    """What a purge with this policy would remove now, and what legal holds keep."""

    months: int
    floor_months: int
    cutoff: str
    voice_cutoff: str
    interactions: int
    transcripts: int
    recordings: int
    customer_refs: int
    survey_comments: int
    audit_payloads: int
    held: dict[str, int]
    examples: tuple[dict, ...]
    candidates: tuple[Candidate, ...] = field(repr=False, default=())

    def as_dict(self) -> dict:
        doc = asdict(self)
        doc.pop("candidates")
        doc["examples"] = list(self.examples)
        return doc


@dataclass(frozen=True)
class PurgeResult:
    plan: RetentionPlan
    files_deleted: tuple[str, ...]
    files_missing: tuple[str, ...]
    files_kept_external: tuple[str, ...]
    file_errors: tuple[str, ...]

    def as_dict(self) -> dict:
        doc = self.plan.as_dict()
        doc.update(
            files_deleted=list(self.files_deleted),
            files_missing=list(self.files_missing),
            files_kept_external=list(self.files_kept_external),
            file_errors=list(self.file_errors),
        )
        return doc


def _policy_months(ws: Workspace, months: int | None) -> int:
    value = settings.retention_months(ws) if months is None else months
    if value is None:
        raise DataRefused(
            "No retention policy is set for this workspace.",
            ["Give --months N, or set the retention months in the workspace settings."],
        )
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataRefused(f"Retention months must be a whole number of at least 1; got {value!r}.")
    return value


def _survey_comments(ws: Workspace, ids: list[int]) -> int:
    total = 0
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        total += ws.db.execute(
            f"SELECT count(*) FROM survey_responses WHERE comment IS NOT NULL "
            f"AND interaction_id IN ({marks})",
            chunk,
        ).fetchone()[0]
    return int(total)


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _strings(value: object) -> list[str]:
    """Every string leaf of a decoded JSON payload."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _audit_rows(ws: Workspace, cands: tuple[Candidate, ...]) -> list[int]:
    """Audit rows whose payload holds personal data of the purged records: rows about a purged
    interaction or transcript, and rows quoting a purged recording path or a customer reference
    that nothing kept still carries (a reference shared with a kept record stays auditable)."""
    if not cands:
        return []
    entities = {c.uuid for c in cands} | {c.transcript_uuid for c in cands if c.transcript_uuid}
    purged_per_ref = Counter(c.customer_ref for c in cands if c.customer_ref)
    refs = set(purged_per_ref)
    still_used = set()
    for ref, purged in purged_per_ref.items():
        # every candidate carrying the reference is purged: more rows than that means one stays
        total = ws.db.execute(
            "SELECT count(*) FROM interactions WHERE customer_ref = ?", [ref]
        ).fetchone()[0]
        in_complaint = ws.db.execute(
            "SELECT 1 FROM complaints WHERE customer_ref = ? LIMIT 1", [ref]
        ).fetchone()
        if in_complaint or total > purged:
            still_used.add(ref)
    tokens = (refs - still_used) | {
        p for c in cands for p in (c.recording_path, c.screen_recording_path) if p
    }
    rows: list[int] = []
    for row_id, entity_uuid, payload in ws.db.execute(
        "SELECT id, entity_uuid, payload FROM audit_log WHERE payload IS NOT NULL"
    ):
        if entity_uuid in entities:
            rows.append(row_id)
            continue
        if not tokens:
            continue
        try:
            leaves = _strings(json.loads(payload))
        except ValueError:
            leaves = [payload]
        if any(leaf in tokens for leaf in leaves):
            rows.append(row_id)
    return rows


def _plan(ws: Workspace, months: int, now: datetime | None) -> tuple[RetentionPlan, list[int]]:
    moment = now or utcnow()
    floor = floor_months(ws)
    cutoff = to_iso(months_before(moment, months))
    voice_cutoff = to_iso(months_before(moment, max(months, floor)))
    held: dict[str, int] = {"complaint": 0, "dispute": 0, "floor": 0}
    cands: list[Candidate] = []
    for row in ws.db.execute(_HOLD_SQL, {"cutoff": cutoff, "voice_cutoff": voice_cutoff}):
        if row[9]:
            held[row[9]] += 1
        else:
            cands.append(Candidate(*row[:9]))
    found = tuple(cands)
    audit_rows = _audit_rows(ws, found)
    examples = tuple(
        {
            "external_id": c.external_id,
            "channel": c.channel,
            "started_at": c.started_at,
            "transcript": c.transcript_uuid is not None,
            "recording": bool(c.recording_path or c.screen_recording_path),
        }
        for c in found[:EXAMPLES]
    )
    plan = RetentionPlan(
        months=months,
        floor_months=floor,
        cutoff=cutoff,
        voice_cutoff=voice_cutoff,
        interactions=len(found),
        transcripts=sum(1 for c in found if c.transcript_uuid),
        recordings=sum(1 for c in found for p in (c.recording_path, c.screen_recording_path) if p),
        customer_refs=sum(1 for c in found if c.customer_ref),
        survey_comments=_survey_comments(ws, [c.id for c in found]),
        audit_payloads=len(audit_rows),
        held=held,
        examples=examples,
        candidates=found,
    )
    return plan, audit_rows


def preview(
    ws: Workspace, months: int | None = None, *, now: datetime | None = None
) -> RetentionPlan:
    """What ``purge`` would remove with this policy (the workspace's when ``months`` is None)."""
    plan, _ = _plan(ws, _policy_months(ws, months), now)
    return plan


def _blank(ws: Workspace, plan: RetentionPlan, audit_rows: list[int]) -> None:
    """The database half of the purge; the caller holds the transaction."""
    ids = [c.id for c in plan.candidates]
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        ws.db.execute(f"DELETE FROM transcripts WHERE interaction_id IN ({marks})", chunk)
        ws.db.execute(
            f"UPDATE interactions SET recording_path = NULL, screen_recording_path = NULL, "
            f"customer_ref = NULL WHERE id IN ({marks})",
            chunk,
        )
        ws.db.execute(
            f"UPDATE survey_responses SET comment = NULL WHERE interaction_id IN ({marks})", chunk
        )
    for chunk in _chunks(audit_rows):
        marks = ",".join("?" * len(chunk))
        ws.db.execute(f"UPDATE audit_log SET payload = NULL WHERE id IN ({marks})", chunk)


def _media_files(ws: Workspace, plan: RetentionPlan) -> tuple[list[Path], list[str]]:
    """Recording files to delete (inside ``NAME.media/``) and stored paths left alone."""
    inside: list[Path] = []
    external: list[str] = []
    media = ws.media_dir.resolve()
    for c in plan.candidates:
        for stored in (c.recording_path, c.screen_recording_path):
            path = ws.resolve_media(stored)
            if path is None:
                continue
            if path.resolve().is_relative_to(media):
                inside.append(path)
            else:
                external.append(str(stored))
    return inside, external


def purge(ws: Workspace, months: int | None = None, *, now: datetime | None = None) -> PurgeResult:
    """Remove what ``preview`` lists, in one audited transaction; then delete recording files."""
    policy = _policy_months(ws, months)
    with ws.db.atomic():
        plan, audit_rows = _plan(ws, policy, now)
        _blank(ws, plan, audit_rows)
        summary = plan.as_dict()
        summary.pop("examples")
        audit.append(ws, "retention.purge", "interactions", None, summary)
    files, external = _media_files(ws, plan)
    deleted: list[str] = []
    missing: list[str] = []
    errors: list[str] = []
    for path in files:
        try:
            path.unlink()
            deleted.append(str(path))
        except FileNotFoundError:
            missing.append(str(path))
        except OSError as exc:
            errors.append(f"{path}: {exc.strerror or exc}")
    return PurgeResult(plan, tuple(deleted), tuple(missing), tuple(external), tuple(errors))
