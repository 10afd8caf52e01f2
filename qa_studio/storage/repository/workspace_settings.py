"""Workspace-level preferences with types, validation and an audit row per change.

Why here and not in ``QSettings``: these choices govern the data in the workspace for everybody
who opens it — how close an evaluator must be to the expert in calibration, how wide a score's
uncertainty may be before it reads "not enough evidence", whether transcripts are redacted on
import, how many months recordings and transcripts are kept. They travel with the file, and a
change to them is a decision someone must be accountable for, so each change writes an audit row
(old and new value) in the same transaction. Per-user choices (evaluator name, default scorecards)
stay in ``services.settings``.

Values live in the ``settings`` table as text under the ``KEY_*`` names below; other modules
(redaction on import, the retention purge) read them through these getters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit
from qa_studio.storage.repository.workspace_info import get_setting, set_setting

KEY_TOLERANCE = "calibration.tolerance_points"
KEY_EVIDENCE_WIDTH = "reporting.evidence_width_points"
KEY_REDACT_ON_IMPORT = "privacy.redact_transcripts_on_import"
KEY_RETENTION_MONTHS = "privacy.retention_months"

DEFAULT_TOLERANCE = 5.0
DEFAULT_EVIDENCE_WIDTH = 10.0
DEFAULT_REDACT_ON_IMPORT = False
#: None: no retention policy — nothing is purged until one is set.
DEFAULT_RETENTION_MONTHS: int | None = None

TOLERANCE_RANGE = (0.5, 50.0)
EVIDENCE_WIDTH_RANGE = (1.0, 50.0)
RETENTION_RANGE = (1, 1200)


@dataclass(frozen=True)
class WorkspaceSettings:
    """Every workspace-level preference at once (what the settings dialog shows)."""

    tolerance: float = DEFAULT_TOLERANCE
    evidence_width: float = DEFAULT_EVIDENCE_WIDTH
    redact_on_import: bool = DEFAULT_REDACT_ON_IMPORT
    retention_months: int | None = DEFAULT_RETENTION_MONTHS


# -- reading ---------------------------------------------------------------------------------------


def _number(ws: Workspace, key: str, default: float) -> float:
    """A stored number, or the default when absent or unreadable (a hand-edited file)."""
    text = get_setting(ws.db, key)
    if text is None:
        return default
    try:
        return float(text)
    except ValueError:
        return default


def tolerance(ws: Workspace) -> float:
    """Calibration tolerance band in score points (± around the expert)."""
    return _number(ws, KEY_TOLERANCE, DEFAULT_TOLERANCE)


def evidence_width(ws: Workspace) -> float:
    """Confidence-interval half-width in points beyond which a figure reads "not enough evidence"."""
    return _number(ws, KEY_EVIDENCE_WIDTH, DEFAULT_EVIDENCE_WIDTH)


def redact_on_import(ws: Workspace) -> bool:
    """Whether transcripts are redacted (cards, phones, e-mails, bank details) when imported."""
    return get_setting(ws.db, KEY_REDACT_ON_IMPORT, "0") == "1"


def retention_months(ws: Workspace) -> int | None:
    """Months recordings and transcripts are kept, or None when no policy is set."""
    text = get_setting(ws.db, KEY_RETENTION_MONTHS)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def load(ws: Workspace) -> WorkspaceSettings:
    return WorkspaceSettings(
        tolerance=tolerance(ws),
        evidence_width=evidence_width(ws),
        redact_on_import=redact_on_import(ws),
        retention_months=retention_months(ws),
    )


# -- writing ---------------------------------------------------------------------------------------


def _check_range(name: str, value: float, bounds: tuple[float, float], unit: str) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise DataRefused(
            f"{name} must be between {low:g} and {high:g} {unit}; got {value:g}.",
            [f"Choose a {name.lower()} in that range."],
        )


def _encode(field_name: str, value: object) -> str | None:
    """Validate one field and return its stored text (None: remove the row)."""
    if field_name == "tolerance":
        _check_range("Calibration tolerance", float(value), TOLERANCE_RANGE, "points")  # type: ignore[arg-type]
        return f"{float(value):g}"  # type: ignore[arg-type]
    if field_name == "evidence_width":
        _check_range("Evidence width", float(value), EVIDENCE_WIDTH_RANGE, "points")  # type: ignore[arg-type]
        return f"{float(value):g}"  # type: ignore[arg-type]
    if field_name == "redact_on_import":
        return "1" if value else "0"
    if field_name == "retention_months":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise DataRefused(
                f"Retention must be a whole number of months; got {value!r}.",
                ["Enter months as a whole number, or turn the retention policy off."],
            )
        _check_range("Retention", value, RETENTION_RANGE, "months")
        return str(value)
    raise DataRefused(f"unknown workspace setting {field_name!r}")


_KEYS = {
    "tolerance": KEY_TOLERANCE,
    "evidence_width": KEY_EVIDENCE_WIDTH,
    "redact_on_import": KEY_REDACT_ON_IMPORT,
    "retention_months": KEY_RETENTION_MONTHS,
}


def save(ws: Workspace, new: WorkspaceSettings) -> list[str]:
    """Store every changed field in one transaction, one audit row each; returns the changed names.

    All fields are validated before anything is written, so a bad value changes nothing.
    """
    old = load(ws)
    changes: list[tuple[str, object, object, str | None]] = []
    for name in _KEYS:
        before, after = getattr(old, name), getattr(new, name)
        encoded = _encode(name, after)
        if before != after:
            changes.append((name, before, after, encoded))
    if not changes:
        return []
    with ws.db.atomic():
        for name, before, after, encoded in changes:
            key = _KEYS[name]
            if encoded is None:
                ws.db.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                set_setting(ws.db, key, encoded)
            audit.append(ws, "setting_changed", "settings", None,
                         {"key": key, "old": before, "new": after})  # fmt: skip
    return [name for name, *_ in changes]


def _replace(ws: Workspace, **field: object) -> list[str]:
    return save(ws, replace(load(ws), **field))


def set_tolerance(ws: Workspace, points: float) -> list[str]:
    return _replace(ws, tolerance=float(points))


def set_evidence_width(ws: Workspace, points: float) -> list[str]:
    return _replace(ws, evidence_width=float(points))


def set_redact_on_import(ws: Workspace, enabled: bool) -> list[str]:
    return _replace(ws, redact_on_import=bool(enabled))


def set_retention_months(ws: Workspace, months: int | None) -> list[str]:
    return _replace(ws, retention_months=months)
