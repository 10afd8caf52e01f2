"""The committed demo recordings: read their manifest and copy the audio into a workspace.

Resources are found through ``importlib.resources`` (package ``qa_studio.resources``), the same
way in a source checkout, an installed wheel and the PyInstaller bundle. Media paths are stored
relative to the workspace's folder (``NAME.media/call_03.wav``) so a workspace and its media folder
can be moved together.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path, PurePosixPath

from qa_studio.domain.models import Transcript, Turn
from qa_studio.storage.db import Workspace

RESOURCE_PACKAGE = "qa_studio.resources"
MANIFEST = "calls.json"


@dataclass(frozen=True)
class RecordedCallInfo:
    """One recorded call as the manifest describes it (times in seconds of its audio file)."""

    key: str
    file: str
    duration_s: float
    hold_s: float
    queue: str
    topic: str
    direction: str
    outcome: str
    agent_name: str
    customer: str
    fcr: bool
    csat: int | None
    complaint: str
    vulnerable: bool
    pci_breach: bool
    skips_id_check: bool
    turns: tuple[dict, ...]

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.file).name

    def transcript(self, agent_name: str) -> Transcript:
        """The call's turns with exact audio timings, spoken by the agent it is assigned to."""
        return Transcript(
            "demo-voice",
            tuple(
                Turn(
                    agent_name if t["role"] == "agent" else t["speaker"],
                    t["role"],
                    t["text"],
                    t["start_s"],
                    t["end_s"],
                )
                for t in self.turns
            ),
        )


def demo_resources():
    """The ``demo`` folder of the package resources (a Traversable)."""
    return files(RESOURCE_PACKAGE).joinpath("demo")


def load_manifest() -> dict:
    return json.loads(demo_resources().joinpath(MANIFEST).read_text(encoding="utf-8"))


def recorded_calls() -> tuple[RecordedCallInfo, ...]:
    """Every recorded call in manifest order (which is the order of ``RECORDED_CALLS``)."""
    fields = RecordedCallInfo.__dataclass_fields__
    return tuple(
        RecordedCallInfo(
            **{k: (tuple(v) if k == "turns" else v) for k, v in call.items() if k in fields}
        )
        for call in load_manifest()["calls"]
    )


def stored_path(ws: Workspace, call: RecordedCallInfo) -> str:
    """The path stored on the interaction: relative to the workspace folder, with ``/``."""
    return f"{ws.media_dir.name}/{call.file_name}"


def copy_recordings(ws: Workspace, calls: list[RecordedCallInfo]) -> list[Path]:
    """Copy the given calls' audio into ``ws.media_dir``; return the files written."""
    ws.media_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for call in calls:
        target = ws.media_dir / call.file_name
        with as_file(demo_resources().joinpath(*PurePosixPath(call.file).parts)) as source:
            shutil.copyfile(source, target)
        written.append(target)
    return written
