"""Redact transcripts on their way into the workspace when the workspace asks for it.

Why at import: an evaluator reading a transcript does not need the card number the customer read
out, and what is never stored cannot leak from a backup, a bundle or a screenshot. The choice is
the workspace's (``workspace_settings.redact_on_import``) because it governs what everybody who
opens the file can see. Every importer that stores a transcript passes it through ``prepare``.
"""

from __future__ import annotations

from dataclasses import replace

from qa_studio.domain.models import Transcript
from qa_studio.domain.redaction import redact
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import workspace_settings


def redact_transcript(transcript: Transcript) -> Transcript:
    """The transcript with card numbers, phones, e-mails and bank details in every turn removed."""
    return replace(
        transcript, turns=tuple(replace(t, text=redact(t.text)) for t in transcript.turns)
    )


def prepare(ws: Workspace, transcript: Transcript, enabled: bool | None = None) -> Transcript:
    """What to store: redacted when the workspace setting is on (or ``enabled`` says so)."""
    on = workspace_settings.redact_on_import(ws) if enabled is None else enabled
    return redact_transcript(transcript) if on else transcript
