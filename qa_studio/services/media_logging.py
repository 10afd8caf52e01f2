"""Silence what QtMultimedia logs while it probes for optional libraries — and nothing else.

On start-up the FFmpeg media backend looks for optional system libraries (PipeWire for audio
devices; VA-API, in several flavours, for hardware video decoding) and logs one "Couldn't load …
/ Couldn't resolve … symbols" pair for each one that is absent, under the
``qt.multimedia.symbolsresolver`` category; it then announces its FFmpeg version at info level
under ``qt.multimedia.ffmpeg``. Neither is a fault: the backend falls back to PulseAudio/ALSA and
to software decoding, and QA Studio only plays audio. On a machine without those libraries the
lines are pure noise on stderr (and in a ``--json`` run's stderr), so those two are switched off.

Everything else stays on: a recording that cannot be opened is still reported (for example
``qt.multimedia.ffmpeg.mediadataholder: Could not open media``), and the player shows its errors
itself. The old rule ``qt.multimedia.*=false`` hid those too, and it came too late: it was set in
the environment after ``import PySide6.QtMultimedia`` had already logged and Qt had read its rules.

``QLoggingCategory.setFilterRules`` applies at once, also before the QApplication exists, and
a user's own ``QT_LOGGING_RULES`` still takes precedence, so ``QT_LOGGING_RULES=
"qt.multimedia.*=true"`` brings every message back when debugging audio. PulseAudio's
"pa_context_connect() failed" (no sound server) is logged without a category and cannot be told
apart from other uncategorised warnings, so it is left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QLoggingCategory

#: Only the probing of optional libraries and the backend's version banner.
MEDIA_PROBING_RULES = "\n".join(
    (
        "qt.multimedia.symbolsresolver=false",
        "qt.multimedia.ffmpeg.info=false",
    )
)


def quiet_media_probing() -> None:
    """Install ``MEDIA_PROBING_RULES``; call before ``PySide6.QtMultimedia`` is first imported."""
    QLoggingCategory.setFilterRules(MEDIA_PROBING_RULES)
