#!/usr/bin/env python3
"""Make the demo recordings and their timing manifest from ``qa_studio.demo.recorded_calls``.

Run from the repository root with the project's virtual environment:

    .venv/bin/python resources/demo/make_demo_audio.py

Needs ``espeak-ng`` and ``sox`` (Debian: ``apt-get install espeak-ng sox``); users of QA Studio do
not, because the output is committed: ``resources/demo/audio/call_NN.wav`` (8 kHz, mono, 16-bit
PCM, telephone band) and ``resources/demo/calls.json``.

Each turn is synthesised on its own with the speaker's voice, trimmed of espeak's own leading and
trailing silence, padded to a whole millisecond, and joined with fixed pauses. Every start and end
time in the manifest is computed from sample counts, so a transcript built from it lines up with
the audio to the millisecond, and the file ends exactly where the last turn ends. sox runs without
dither and with repeatable random numbers (``-D``, ``-R``), so running the script again with the
same espeak-ng and sox versions reproduces the same bytes.
"""

from __future__ import annotations

import array
import json
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from qa_studio.demo.recorded_calls import RECORDED_CALLS, Line, Pause, RecordedCall  # noqa: E402

RATE = 8000
SAMPLES_PER_MS = RATE // 1000
LEAD_IN_S = 0.5
GAP_SAME_SPEAKER_S = 0.35
GAP_NEW_SPEAKER_S = 0.55
SPEED = {"agent": 180, "customer": 172}
SILENCE_THRESHOLD = 64


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        sys.exit(f"make_demo_audio: {name} is not installed (Debian: apt-get install {name})")
    return path


def _version(cmd: list[str]) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).strip().splitlines()[0]


def synthesise(text: str, voice: str, speed: int, tmp: Path) -> array.array:
    """Speak ``text`` and return 8 kHz 16-bit samples with silence trimmed at both ends."""
    raw, narrow = tmp / "raw.wav", tmp / "narrow.wav"
    subprocess.run([_tool("espeak-ng"), "-v", voice, "-s", str(speed), "-w", str(raw), text],
                   check=True)
    subprocess.run([_tool("sox"), "-R", str(raw), "-D", "-r", str(RATE), "-c", "1", "-b", "16",
                    "-e", "signed-integer", str(narrow), "gain", "-6", "highpass", "300", "lowpass", "3400",
                    "norm", "-3"], check=True)
    with wave.open(str(narrow), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        samples = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i, s in enumerate(samples) if abs(s) > SILENCE_THRESHOLD]
    samples = samples[loud[0]:loud[-1] + 1] if loud else array.array("h")
    pad = (-len(samples)) % SAMPLES_PER_MS
    samples.extend([0] * pad)
    return samples


def silence(seconds: float) -> array.array:
    return array.array("h", [0] * (round(seconds * 1000) * SAMPLES_PER_MS))


def seconds(n_samples: int) -> float:
    return round(n_samples / RATE, 3)


def build_call(call: RecordedCall, tmp: Path) -> tuple[array.array, list[dict], float]:
    audio = silence(LEAD_IN_S)
    turns: list[dict] = []
    hold = 0.0
    previous: str | None = None
    for item in call.turns:
        if isinstance(item, Pause):
            start = len(audio)
            audio.extend(silence(item.seconds))
            turns.append({"role": "system", "speaker": "System", "text": item.text,
                          "start_s": seconds(start), "end_s": seconds(len(audio))})
            hold += item.seconds if item.hold else 0.0
            previous = "system"
            continue
        assert isinstance(item, Line)
        if previous is not None and previous != "system":
            audio.extend(silence(GAP_SAME_SPEAKER_S if previous == item.role
                                 else GAP_NEW_SPEAKER_S))
        voice = call.agent_voice if item.role == "agent" else call.customer_voice
        spoken = synthesise(item.say or item.text, voice, SPEED[item.role], tmp)
        start = len(audio)
        audio.extend(spoken)
        speaker = call.agent_name if item.role == "agent" else call.customer
        turns.append({"role": item.role, "speaker": speaker, "text": item.text,
                      "start_s": seconds(start), "end_s": seconds(len(audio))})
        previous = item.role
    return audio, turns, hold


def write_wav(path: Path, samples: array.array) -> None:
    data = array.array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())


def main() -> int:
    out_dir = HERE / "audio"
    out_dir.mkdir(exist_ok=True)
    calls = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for call in RECORDED_CALLS:
            audio, turns, hold = build_call(call, tmp)
            target = out_dir / f"{call.key}.wav"
            write_wav(target, audio)
            meta = {k: v for k, v in asdict(call).items() if k != "turns"}
            calls.append({**meta, "file": f"audio/{target.name}", "duration_s": seconds(len(audio)),
                          "hold_s": round(hold, 3), "turns": turns})
            print(f"{target.name}: {seconds(len(audio)):6.1f} s, {target.stat().st_size:,} bytes")
    manifest = {
        "format": 1,
        "sample_rate": RATE,
        "channels": 1,
        "sample_width_bytes": 2,
        "made_by": "resources/demo/make_demo_audio.py",
        "tools": [_version([_tool("espeak-ng"), "--version"]), _version([_tool("sox"), "--version"])],
        "calls": calls,
    }
    (HERE / "calls.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    total = sum(p.stat().st_size for p in out_dir.glob("*.wav"))
    print(f"{len(calls)} calls, {total:,} bytes of audio")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
