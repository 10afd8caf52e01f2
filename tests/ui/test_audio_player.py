"""The recording player: real decoding through QtMultimedia, and failures shown, never raised.

The LoadedMedia test must fail (not skip) when the multimedia backend is missing: CI installs
the libraries it needs, and a player that silently cannot play is exactly what it must catch.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QMediaPlayer

from qa_studio.ui.widgets.audio_player import AudioPlayer, format_time


def write_tone(path: Path, seconds: float = 2.5, rate: int = 8000) -> Path:
    """A mono 16-bit sine tone: small, valid and decodable by every backend."""
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(9000 * math.sin(2 * math.pi * 440 * i / rate)))
                for i in range(frames)
            )
        )
    return path


@pytest.fixture
def player(qtbot):
    widget = AudioPlayer()
    qtbot.addWidget(widget)
    return widget


def test_format_time():
    assert format_time(0) == "00:00"
    assert format_time(65.9) == "01:05"
    assert format_time(3725) == "1:02:05"
    assert format_time(None) == "--:--"


def test_wav_reaches_loaded_media_with_its_duration(qtbot, player, tmp_path):
    path = write_tone(tmp_path / "tone.wav", seconds=2.5)
    with qtbot.waitSignal(player.mediaLoaded, timeout=15000) as blocker:
        assert player.load(path) is True
    assert player.player.mediaStatus() == QMediaPlayer.MediaStatus.LoadedMedia
    assert abs(blocker.args[0] - 2.5) <= 0.1
    assert abs(player.player.duration() - 2500) <= 100
    assert player.duration_label.text() == "00:02"
    assert player.message() == ""
    assert player.play_button.isEnabled() and player.slider.isEnabled()
    assert player.slider.maximum() == player.player.duration()


def test_seek_skip_and_speed(qtbot, player, tmp_path):
    path = write_tone(tmp_path / "tone.wav", seconds=12)
    with qtbot.waitSignal(player.mediaLoaded, timeout=15000):
        player.load(path)
    with qtbot.waitSignal(player.positionChanged, timeout=5000):
        player.seek_s(6.0)
    qtbot.waitUntil(lambda: abs(player.position_s() - 6.0) < 0.2, timeout=5000)
    assert player.time_label.text() == "00:06"
    player.skip(-5)
    qtbot.waitUntil(lambda: abs(player.position_s() - 1.0) < 0.2, timeout=5000)
    player.skip(-5)  # clamps at the start
    qtbot.waitUntil(lambda: player.position_s() < 0.2, timeout=5000)
    player.change_speed(+1)
    assert player.speed() == 1.25
    assert player.player.playbackRate() == pytest.approx(1.25)
    player.set_speed(0.4)
    assert player.speed() == 0.5
    player.change_speed(+10)
    assert player.speed() == 2.0


def test_missing_recording_shows_a_message(qtbot, player, tmp_path):
    failures = []
    player.mediaFailed.connect(failures.append)
    assert player.load(tmp_path / "nowhere.wav") is False
    assert "Recording not found" in player.message()
    assert "nowhere.wav" in player.message()
    assert failures and "transcript" in failures[0]
    assert not player.play_button.isEnabled()
    player.toggle_play()  # harmless when nothing is loaded
    player.skip(5)
    assert player.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState


def test_no_recording_at_all(player):
    assert player.load(None) is False
    assert "no recording" in player.message()


def test_undecodable_file_shows_a_message(qtbot, player, tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" * 20)
    with qtbot.waitSignal(player.mediaFailed, timeout=15000):
        assert player.load(bad) is True  # the file exists; decoding fails asynchronously
    assert "Cannot play broken.wav" in player.message()
    assert not player.slider.isEnabled()
    player.clear()
    assert player.message() == ""
