"""``manifest.json``: what a bundle is, where it came from, and the digest of every member.

Parsing checks every field a reader relies on and names the one that is wrong, so a damaged or
hand-edited manifest is refused with a message a lead can pass on. A bundle made by a newer QA
Studio — a higher format version or schema version — is refused before any record is read: its
records may mean something this version cannot know.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from qa_studio.errors import DataRefused
from qa_studio.storage.migrations import latest_version

FORMAT_NAME = "qa-studio-bundle"
KINDS: tuple[str, ...] = ("assignment", "results")
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    kind: str
    format_version: int
    bundle_uuid: str
    app_version: str
    schema_version: int
    created_at: str
    actor: str
    os_user: str
    origin_uuid: str
    origin_name: str
    audit_head: dict
    scope: dict
    counts: dict
    members: dict[str, Member]

    def as_dict(self) -> dict:
        """The manifest's description, as the CLI and the preview show it (no member list)."""
        return {
            "kind": self.kind,
            "bundle_uuid": self.bundle_uuid,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "schema_version": self.schema_version,
            "created_at": self.created_at,
            "created_by": {"actor": self.actor, "os_user": self.os_user},
            "origin": {"workspace_uuid": self.origin_uuid, "workspace_name": self.origin_name},
            "audit_head": dict(self.audit_head),
            "scope": dict(self.scope),
            "counts": dict(self.counts),
            "members": len(self.members),
        }


def build_manifest(
    *,
    kind: str,
    format_version: int,
    bundle_uuid: str,
    app_version: str,
    created_at: str,
    actor: str,
    os_user: str,
    origin_uuid: str,
    origin_name: str,
    audit_head: dict,
    scope: dict,
    counts: dict,
    members: dict[str, Member],
) -> bytes:
    doc = {
        "format": FORMAT_NAME,
        "format_version": format_version,
        "kind": kind,
        "bundle_uuid": bundle_uuid,
        "app_version": app_version,
        "schema_version": latest_version(),
        "created_at": created_at,
        "created_by": {"actor": actor, "os_user": os_user},
        "origin": {"workspace_uuid": origin_uuid, "workspace_name": origin_name},
        "audit_head": audit_head,
        "scope": scope,
        "counts": counts,
        "members": {
            name: {"sha256": m.sha256, "size": m.size} for name, m in sorted(members.items())
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _field(doc: dict, key: str, kind: type | tuple[type, ...], source: str):
    value = doc.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise DataRefused(f"{source}: manifest.json field '{key}' is missing or of the wrong type.")
    return value


def parse_manifest(data: bytes, source: str, format_version: int) -> Manifest:
    """Check and read a manifest; ``DataRefused`` naming the bundle and the field at fault."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataRefused(f"{source}: manifest.json is not valid JSON ({exc}).") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise DataRefused(f"{source}: manifest.json does not describe a QA Studio bundle.")
    version = _field(doc, "format_version", int, source)
    if version > format_version:
        raise DataRefused(
            f"{source}: bundle format version {version} is newer than this QA Studio "
            f"understands ({format_version}).",
            ["Update QA Studio, then import the bundle again. Nothing was written."],
        )
    schema = _field(doc, "schema_version", int, source)
    latest = latest_version()
    if schema > latest:
        raise DataRefused(
            f"{source}: the bundle was made with a newer workspace schema (version {schema}; "
            f"this QA Studio understands up to {latest}).",
            ["Update QA Studio, then import the bundle again. Nothing was written."],
        )
    kind = _field(doc, "kind", str, source)
    if kind not in KINDS:
        raise DataRefused(f"{source}: unknown bundle kind '{kind}' (one of: {', '.join(KINDS)}).")
    created_by = _field(doc, "created_by", dict, source)
    origin = _field(doc, "origin", dict, source)
    origin_uuid = origin.get("workspace_uuid")
    if not isinstance(origin_uuid, str) or not origin_uuid:
        raise DataRefused(f"{source}: manifest.json field 'origin.workspace_uuid' is missing.")
    head = _field(doc, "audit_head", dict, source)
    members: dict[str, Member] = {}
    for name, entry in _field(doc, "members", dict, source).items():
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        size = entry.get("size") if isinstance(entry, dict) else None
        if not isinstance(sha, str) or not _SHA.match(sha) or not isinstance(size, int) or size < 0:
            raise DataRefused(f"{source}: manifest.json entry for member '{name}' is malformed.")
        members[name] = Member(sha, size)
    return Manifest(
        kind=kind,
        format_version=version,
        bundle_uuid=_field(doc, "bundle_uuid", str, source),
        app_version=str(doc.get("app_version", "")),
        schema_version=schema,
        created_at=_field(doc, "created_at", str, source),
        actor=str(created_by.get("actor", "")),
        os_user=str(created_by.get("os_user", "")),
        origin_uuid=origin_uuid,
        origin_name=str(origin.get("workspace_name", "")),
        audit_head=head,
        scope=doc.get("scope") if isinstance(doc.get("scope"), dict) else {},
        counts=doc.get("counts") if isinstance(doc.get("counts"), dict) else {},
        members=members,
    )
