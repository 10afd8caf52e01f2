"""The recorded calls: committed WAVs, their manifest, and how the demo attaches them."""

from __future__ import annotations

import json
import wave
from importlib.resources import as_file
from pathlib import Path

import pytest

from qa_studio.demo.recorded_calls import RECORDED_CALLS, Line, Pause
from qa_studio.demo.recordings import demo_resources, load_manifest, recorded_calls

MAX_AUDIO_BYTES = 20 * 1024 * 1024


def wav_facts(path: Path) -> tuple[int, int, int, float]:
    with wave.open(str(path), "rb") as w:
        return (
            w.getnchannels(),
            w.getframerate(),
            w.getsampwidth(),
            w.getnframes() / w.getframerate(),
        )


def test_resources_are_found_through_the_package():
    manifest = load_manifest()
    assert manifest["sample_rate"] == 8000 and manifest["channels"] == 1
    assert len(manifest["calls"]) == len(RECORDED_CALLS) >= 8


@pytest.mark.parametrize("call", recorded_calls(), ids=lambda c: c.key)
def test_committed_wav_matches_its_manifest(call):
    with as_file(demo_resources().joinpath(*call.file.split("/"))) as path:
        channels, rate, width, duration = wav_facts(path)
    assert (channels, rate, width) == (1, 8000, 2)
    assert 30.0 <= duration <= 90.0
    assert duration == pytest.approx(call.duration_s, abs=0.001)
    assert call.turns[-1]["end_s"] == pytest.approx(duration, abs=0.001)
    previous_end = 0.0
    for turn in call.turns:
        assert previous_end <= turn["start_s"] < turn["end_s"]
        previous_end = turn["end_s"]


def test_manifest_still_matches_the_scripts():
    """Editing ``recorded_calls.py`` without rerunning make_demo_audio.py is caught here."""
    for script, info in zip(RECORDED_CALLS, recorded_calls(), strict=True):
        assert info.key == script.key and info.queue == script.queue
        assert (info.pci_breach, info.vulnerable, info.complaint) == (
            script.pci_breach,
            script.vulnerable,
            script.complaint,
        )
        expected = [(t.role if isinstance(t, Line) else "system", t.text) for t in script.turns]
        assert [(t["role"], t["text"]) for t in info.turns] == expected
        hold = sum(t.seconds for t in script.turns if isinstance(t, Pause) and t.hold)
        assert info.hold_s == pytest.approx(hold)


def test_audio_stays_small():
    folder = demo_resources().joinpath("audio")
    total = sum(f.stat().st_size for f in Path(str(folder)).glob("*.wav"))
    assert 0 < total < MAX_AUDIO_BYTES


def test_pci_breach_calls_read_the_security_code_back():
    for call in recorded_calls():
        agent = [t["text"] for t in call.turns if t["role"] == "agent"]
        customer = [t["text"] for t in call.turns if t["role"] == "customer"]
        repeated = any(
            c.rstrip(".") and a.startswith(c.rstrip("."))
            for c in customer
            for a in agent
            if c.rstrip(".").isdigit() and len(c.rstrip(".")) == 3
        )
        assert repeated == call.pci_breach, call.key


def test_recordings_are_copied_and_attached_with_relative_paths(demo):
    found = demo.db.execute(
        "SELECT i.id, i.recording_path, i.duration_s, i.hold_s, i.channel, t.turns "
        "FROM interactions i JOIN transcripts t ON t.interaction_id = i.id "
        "WHERE i.recording_path IS NOT NULL"
    ).fetchall()
    calls = {c.file_name: c for c in recorded_calls()}
    assert len(found) == len(calls)
    for _, stored, duration, hold, channel, turns_json in found:
        assert channel == "voice"
        assert stored.startswith(f"{demo.media_dir.name}/") and not Path(stored).is_absolute()
        path = demo.resolve_media(stored)
        assert path is not None and path.is_file() and path.parent == demo.media_dir
        call = calls[path.name]
        channels, rate, _, seconds = wav_facts(path)
        assert (channels, rate) == (1, 8000)
        assert duration == pytest.approx(seconds, abs=0.001)
        assert hold == call.hold_s
        turns = json.loads(turns_json)
        assert [(t["start_s"], t["end_s"], t["text"]) for t in turns] == [
            (t["start_s"], t["end_s"], t["text"]) for t in call.turns
        ]
        assert turns[-1]["end_s"] == pytest.approx(seconds, abs=0.001)


def test_recorded_calls_go_to_the_agent_who_speaks_in_them(demo):
    found = demo.db.execute(
        "SELECT a.name, t.turns FROM interactions i JOIN agents a ON a.id = i.agent_id "
        "JOIN transcripts t ON t.interaction_id = i.id WHERE i.recording_path IS NOT NULL"
    ).fetchall()
    for agent_name, turns_json in found:
        turns = json.loads(turns_json)
        spoken_first_name = next(
            c.agent_name for c in recorded_calls() if c.turns[0]["text"] == turns[0]["text"]
        )
        assert agent_name.split()[0] == spoken_first_name
        assert {t["speaker"] for t in turns if t["role"] == "agent"} == {agent_name}
