"""The recording player of the scoring screen.

An evaluator listens to a call while scoring it, jumping back to re-hear a disclosure or forward
past hold music, so the player offers play/pause, a seek bar with the current time and the
duration, ±5 s skips and a playback speed from 0.5× to 2×. A recording that is missing or cannot
be decoded must never stop the evaluator from scoring the transcript: the player then shows a
clear message in its own area and disables its controls instead of raising.

The buttons do not take keyboard focus: the scoring screen drives the player through its own
shortcuts (Space, Left, Right) so Tab keeps moving between scorecard questions.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

SPEEDS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
SKIP_S = 5.0


def format_time(seconds: float | None) -> str:
    """``mm:ss`` (or ``h:mm:ss`` past an hour); ``--:--`` when unknown."""
    if seconds is None or seconds < 0:
        return "--:--"
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class AudioPlayer(QWidget):
    """Plays one recording; reports the playback position in seconds.

    ``load(path)`` returns False (and shows why) for a missing file; decoding errors arrive
    asynchronously through ``QMediaPlayer.errorOccurred`` and are shown the same way.
    """

    #: Playback position in seconds, emitted as the recording plays or is sought.
    positionChanged = Signal(float)
    #: The recording was opened; its duration in seconds.
    mediaLoaded = Signal(float)
    #: The recording is missing or unplayable; the message shown to the user.
    mediaFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = QMediaPlayer(self)
        self.audio_output = QAudioOutput(self)
        self.player.setAudioOutput(self.audio_output)
        self._path: Path | None = None
        self._failed = False
        self._build()
        self.player.positionChanged.connect(self._on_position)
        self.player.durationChanged.connect(self._on_duration)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.errorOccurred.connect(self._on_error)
        self.clear()

    # -- construction -----------------------------------------------------------------------
    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _build(self) -> None:
        self.play_button = self._button("▶ Play", "Play / pause (Space)")
        self.back_button = self._button("−5 s", "Back 5 seconds (Left)")
        self.forward_button = self._button("+5 s", "Forward 5 seconds (Right)")
        metrics = self.fontMetrics()
        self.play_button.setFixedWidth(metrics.horizontalAdvance("⏸ Pause") + 24)
        for button in (self.back_button, self.forward_button):
            button.setFixedWidth(metrics.horizontalAdvance("−5 s") + 20)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setToolTip("Drag to seek")
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.slider.setMinimumWidth(120)
        self.time_label = QLabel("00:00", self)
        self.duration_label = QLabel("--:--", self)
        for label in (self.time_label, self.duration_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("00:00:00"))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.speed_combo = QComboBox(self)
        self.speed_combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed_combo.setToolTip("Playback speed ([ slower, ] faster)")
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:g}×", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))
        self.message_label = QLabel(self)
        self.message_label.setObjectName("playerMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(
            "QLabel#playerMessage { background: #fff4e5; color: #7a4100;"
            " border: 1px solid #f0b35a; border-radius: 4px; padding: 6px; }"
        )

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for w in (self.play_button, self.back_button, self.forward_button):
            controls.addWidget(w)
        controls.addWidget(self.time_label)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.duration_label)
        controls.addWidget(self.speed_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.message_label)

        self.play_button.clicked.connect(self.toggle_play)
        self.back_button.clicked.connect(lambda: self.skip(-SKIP_S))
        self.forward_button.clicked.connect(lambda: self.skip(SKIP_S))
        self.slider.valueChanged.connect(self._on_slider)
        self.speed_combo.currentIndexChanged.connect(
            lambda i: self.player.setPlaybackRate(float(self.speed_combo.itemData(i)))
        )

    # -- public API -------------------------------------------------------------------------
    def load(self, path: Path | None) -> bool:
        """Open ``path``; False (with the reason shown) when there is nothing playable there."""
        self.clear()
        self._path = path
        if path is None:
            self._fail("This interaction has no recording — score it from the transcript.")
            return False
        if not path.is_file():
            self._fail(
                f"Recording not found: {path}\n"
                "Check that the workspace's media folder is next to the workspace file; "
                "you can still score from the transcript."
            )
            return False
        self._set_controls_enabled(True)
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        return True

    def clear(self) -> None:
        """Unload the recording and hide any message (e.g. for a chat, which has none)."""
        self.player.stop()
        self.player.setSource(QUrl())
        self._path = None
        self._failed = False
        self._set_controls_enabled(False)
        self._show_position(0)
        self.duration_label.setText("--:--")
        self.message_label.hide()

    def message(self) -> str:
        """The message currently shown (empty when the recording is fine)."""
        return self.message_label.text() if not self.message_label.isHidden() else ""

    def has_source(self) -> bool:
        """Whether a recording file was named (it may still fail to play)."""
        return self._path is not None

    def is_available(self) -> bool:
        return self._path is not None and not self._failed

    def position_s(self) -> float:
        return self.player.position() / 1000.0

    def duration_s(self) -> float:
        return self.player.duration() / 1000.0

    def seek_s(self, seconds: float) -> None:
        if not self.is_available():
            return
        duration = self.player.duration()
        ms = max(0, round(seconds * 1000))
        if duration > 0:
            ms = min(ms, duration)
        self.player.setPosition(ms)

    def skip(self, delta_s: float) -> None:
        self.seek_s(self.position_s() + delta_s)

    def toggle_play(self) -> None:
        if not self.is_available():
            return
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def pause(self) -> None:
        self.player.pause()

    def set_speed(self, rate: float) -> None:
        nearest = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - rate))
        self.speed_combo.setCurrentIndex(nearest)

    def change_speed(self, steps: int) -> None:
        """Move the speed ``steps`` entries up or down the 0.5×–2× list."""
        index = min(max(self.speed_combo.currentIndex() + steps, 0), len(SPEEDS) - 1)
        self.speed_combo.setCurrentIndex(index)

    def speed(self) -> float:
        return float(self.speed_combo.currentData())

    # -- slots ------------------------------------------------------------------------------
    def _set_controls_enabled(self, enabled: bool) -> None:
        for w in (self.play_button, self.back_button, self.forward_button, self.slider):
            w.setEnabled(enabled)

    def _show_position(self, ms: int) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(ms)
        self.time_label.setText(format_time(ms / 1000.0))

    def _on_position(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self._show_position(ms)
        self.positionChanged.emit(ms / 1000.0)

    def _on_duration(self, ms: int) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, max(ms, 0))
            self.slider.setPageStep(int(SKIP_S * 1000))
        self.duration_label.setText(format_time(ms / 1000.0) if ms > 0 else "--:--")

    def _on_slider(self, ms: int) -> None:
        self.time_label.setText(format_time(ms / 1000.0))
        self.player.setPosition(ms)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and not self._failed:
            self.mediaLoaded.emit(self.player.duration() / 1000.0)

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText("⏸ Pause" if playing else "▶ Play")

    def _on_error(self, _error: QMediaPlayer.Error, text: str) -> None:
        if self._path is None or self._failed:
            return
        self._fail(
            f"Cannot play {self._path.name}: "
            f"{text or 'the file is damaged or in an unsupported format'}.\n"
            "You can still score from the transcript."
        )

    def _fail(self, message: str) -> None:
        self._failed = True
        self.player.stop()
        self._set_controls_enabled(False)
        self.message_label.setText(message)
        self.message_label.show()
        self.mediaFailed.emit(message)
