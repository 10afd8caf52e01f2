"""Published scorecard versions: immutable YAML, a digest and a change note per version.

Editing a published scorecard means publishing the next version; evaluations point at the version
they were scored against and keep their score, so a change never rewrites history. The database
refuses UPDATE and DELETE on ``scorecard_versions`` (migration m002), whatever program tries.
The YAML is stored verbatim (comments included) and parsed again on read: the text is the record.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.timeutil import utcnow_iso
from qa_studio.errors import DataRefused
from qa_studio.scorecards import loader
from qa_studio.scorecards.schema import Scorecard
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit

BUILTIN_NOTE = "Built-in scorecard shipped with QA Studio"
_REF = re.compile(r"^\s*([a-z0-9_]+)\s*(?:@\s*v?(\d+))?\s*$")
_COLUMNS = (
    "v.id, v.uuid, s.key, s.name, s.channel, v.version, v.yaml, v.sha256, v.change_note, "
    "v.published_at, v.published_by"
)
_FROM = "FROM scorecard_versions v JOIN scorecards s ON s.id = v.scorecard_id"


@dataclass(frozen=True)
class ScorecardVersion:
    id: int
    uuid: str
    key: str
    name: str
    channel: str
    version: int
    yaml: str
    sha256: str
    change_note: str
    published_at: str
    published_by: str | None
    card: Scorecard

    @property
    def ref(self) -> str:
        """``key@version``, the way the CLI names a version."""
        return f"{self.key}@{self.version}"


@functools.lru_cache(maxsize=64)
def _parse(text: str, filename: str) -> Scorecard:
    """Parse a stored version once per process: versions are immutable, the parsed card is frozen,
    and autosaving an answer would otherwise re-read the YAML on every keystroke."""
    return loader.load_text(text, filename)


def _version(row: tuple) -> ScorecardVersion:
    vid, vuuid, key, _name, _channel, version, text, digest, note, at, by = row
    card = _parse(text, f"{key}@{version}.yaml")
    # name and channel come from the version's own YAML: the scorecards row holds the latest.
    return ScorecardVersion(
        int(vid),
        vuuid,
        key,
        card.name,
        card.channel,
        int(version),
        text,
        digest,
        note,
        at,
        by,
        card,
    )


def publish(
    ws: Workspace,
    yaml_text: str,
    change_note: str,
    *,
    rng: random.Random | None = None,
    filename: str = "scorecard.yaml",
    published_at: str | None = None,
) -> ScorecardVersion:
    """Validate and store ``yaml_text`` as the next version of its scorecard; audited.

    ``published_at`` (ISO text) replaces the clock for callers that must be deterministic (the
    demo builder).

    Raises ``ScorecardInvalid`` (every problem, with lines) for a bad card and ``DataRefused`` for a
    blank change note or YAML identical to the latest version.
    """
    card = loader.load_text(yaml_text, filename)
    note = (change_note or "").strip()
    if not note:
        raise DataRefused(
            f"{filename}: a change note is required to publish scorecard "
            f"'{card.key}' (say what changed and why)."
        )
    digest = audit.sha256_text(yaml_text)
    with ws.db.atomic():
        row = ws.db.execute("SELECT id, uuid FROM scorecards WHERE key = ?", [card.key]).fetchone()
        if row is None:
            card_uuid = new_uuid(rng)
            cur = ws.db.execute(
                "INSERT INTO scorecards (uuid, key, name, channel) VALUES (?, ?, ?, ?)",
                [card_uuid, card.key, card.name, card.channel],
            )
            card_id, number = int(cur.lastrowid), 1
        else:
            card_id, card_uuid = int(row[0]), row[1]
            last = ws.db.execute(
                "SELECT version, sha256 FROM scorecard_versions WHERE scorecard_id = ? "
                "ORDER BY version DESC LIMIT 1",
                [card_id],
            ).fetchone()
            if last is not None and last[1] == digest:
                raise DataRefused(
                    f"{filename}: scorecard '{card.key}' has no changes since "
                    f"version {last[0]}; nothing was published."
                )
            number = (last[0] if last else 0) + 1
            ws.db.execute(
                "UPDATE scorecards SET name = ?, channel = ? WHERE id = ?",
                [card.name, card.channel, card_id],
            )
        version_uuid = new_uuid(rng)
        cur = ws.db.execute(
            "INSERT INTO scorecard_versions (uuid, scorecard_id, version, yaml, sha256, "
            "change_note, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                version_uuid,
                card_id,
                number,
                yaml_text,
                digest,
                note,
                published_at or utcnow_iso(),
                ws.actor,
            ],
        )
        version_id = int(cur.lastrowid)
        audit.append(
            ws,
            "scorecard.publish",
            "scorecard_version",
            version_uuid,
            {
                "scorecard": card_uuid,
                "key": card.key,
                "version": number,
                "sha256": digest,
                "change_note": note,
            },
        )
    return get_version(ws, version_id)


def publish_builtins(
    ws: Workspace, *, rng: random.Random | None = None, published_at: str | None = None
) -> list[ScorecardVersion]:
    """Publish version 1 of every built-in scorecard the workspace does not have yet (one
    transaction, one audit row per card); ``published_at`` as for ``publish``."""
    published = []
    with ws.db.atomic():
        for key in loader.builtin_keys():
            if latest(ws, key) is None:
                text = (loader.BUILTIN_DIR / f"{key}.yaml").read_text(encoding="utf-8")
                published.append(
                    publish(
                        ws,
                        text,
                        BUILTIN_NOTE,
                        rng=rng,
                        filename=f"{key}.yaml",
                        published_at=published_at,
                    )
                )
    return published


def latest(ws: Workspace, key: str) -> ScorecardVersion | None:
    row = ws.db.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE s.key = ? ORDER BY v.version DESC LIMIT 1", [key]
    ).fetchone()
    return _version(row) if row else None


def get_version(ws: Workspace, version_id: int) -> ScorecardVersion:
    row = ws.db.execute(f"SELECT {_COLUMNS} {_FROM} WHERE v.id = ?", [version_id]).fetchone()
    if row is None:
        raise DataRefused(f"there is no scorecard version with id {version_id}.")
    return _version(row)


def find(ws: Workspace, ref: str) -> ScorecardVersion:
    """``key`` (its latest version) or ``key@3``; ``DataRefused`` naming what is known otherwise."""
    m = _REF.match(ref or "")
    if not m:
        raise DataRefused(
            f"'{ref}' is not a scorecard reference: write KEY or KEY@VERSION "
            "(e.g. voice_service@2)."
        )
    key, number = m.group(1), m.group(2)
    if number is None:
        found = latest(ws, key)
    else:
        row = ws.db.execute(
            f"SELECT {_COLUMNS} {_FROM} WHERE s.key = ? AND v.version = ?", [key, int(number)]
        ).fetchone()
        found = _version(row) if row else None
    if found is not None:
        return found
    versions = [v for (k, _n, _c, v) in list_cards(ws) if k == key]
    if versions:
        raise DataRefused(
            f"scorecard '{key}' has no version {number}; its latest is version {versions[0]}."
        )
    known = ", ".join(k for k, *_ in list_cards(ws)) or "none yet"
    raise DataRefused(
        f"there is no published scorecard '{key}' (published: {known}).",
        ["Publish it first: qa-studio --db FILE scorecard publish FILE.yaml --note TEXT"],
    )


def list_versions(ws: Workspace, key: str | None = None) -> list[ScorecardVersion]:
    """Every version, by key then version number (one key's versions when ``key`` is given)."""
    where, params = ("WHERE s.key = ?", [key]) if key else ("", [])
    rows = ws.db.execute(
        f"SELECT {_COLUMNS} {_FROM} {where} ORDER BY s.key, v.version", params
    ).fetchall()
    return [_version(r) for r in rows]


def list_cards(ws: Workspace) -> list[tuple[str, str, str, int]]:
    """``(key, name, channel, latest version)`` of every published scorecard, by key."""
    rows = ws.db.execute(
        "SELECT s.key, s.name, s.channel, max(v.version) FROM scorecards s "
        "JOIN scorecard_versions v ON v.scorecard_id = s.id GROUP BY s.id ORDER BY s.key"
    ).fetchall()
    return [(r[0], r[1], r[2], int(r[3])) for r in rows]


def version_ids(ws: Workspace, key: str) -> list[int]:
    """Ids of all versions of ``key`` (for queries that span versions, e.g. what-if)."""
    return [
        int(r[0])
        for r in ws.db.execute(
            "SELECT v.id FROM scorecard_versions v JOIN scorecards s ON s.id = v.scorecard_id "
            "WHERE s.key = ? ORDER BY v.version",
            [key],
        )
    ]
