"""SIGKILL the app while it writes, then reopen the workspace as the next launch would.

Three real processes are killed without warning (no atexit, no connection close): a large CSV
import (after it reported progress, i.e. mid-transaction), an evaluator saving answers in a loop
after submitting one evaluation, and coaching-pack generation once the second workbook is on
disk under its temporary name but not yet renamed (so a pack writer that wrote straight to the
final name would never reach that point, and fail the test). Afterwards: ``PRAGMA integrity_check`` is ok, the audit chain verifies, the import left
nothing (all or nothing), the submitted evaluation and the draft's answers are there, and no half
workbook carries a final ``.xlsx`` name.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import audit, evaluations
from tests.export import pack_data
from tests.ui import scoring_fixtures

REPO = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]


def _spawn(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


def _kill_when(proc: subprocess.Popen, stream, wanted: str, timeout: float = 60) -> str:
    """Read ``stream`` until a line containing ``wanted``, then SIGKILL; return that line."""
    deadline = time.monotonic() + timeout
    seen = []
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([stream], [], [], 0.2)
            if ready:
                line = stream.readline()
                seen.append(line)
                if wanted in line:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait(timeout=30)
                    assert proc.returncode == -signal.SIGKILL
                    return line
            if proc.poll() is not None:
                break
        raise AssertionError(
            f"never saw {wanted!r} (exit {proc.poll()}); output:\n{''.join(seen)[-2000:]}"
        )
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def _reopen_checked(path: Path):
    ws = open_workspace(path)
    assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = audit.verify(ws.db)
    assert result.ok, result.message
    return ws


def test_sigkill_during_a_large_import_leaves_nothing_half_imported(tmp_path):
    path = tmp_path / "import.qaw"
    small = tmp_path / "small.csv"
    small.write_text("Contact ID,Channel,Start Time\n" + "".join(
        f"S{n},voice,2026-10-01T09:00:00Z\n" for n in range(10)))  # fmt: skip
    ws = open_workspace(path)
    try:
        from qa_studio.importers.api import run_import

        assert run_import(ws, small).inserted == 10
        audit_rows = ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        ws.close()
    big = tmp_path / "big.csv"
    with big.open("w") as fh:
        fh.write("Contact ID,Channel,Start Time,Agent,Queue,Duration\n")
        for n in range(250_000):
            fh.write(f"B{n},chat,2026-10-02T10:{n % 60:02d}:00Z,Agent {n % 40},Billing,{n % 900}\n")
    proc = _spawn(["-m", "qa_studio", "--db", str(path), "import", str(big)])
    line = _kill_when(proc, proc.stderr, "100,000 /")
    assert "rows" in line
    ws = _reopen_checked(path)
    try:
        assert ws.db.execute("SELECT count(*) FROM interactions").fetchone()[0] == 10
        assert ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_rows
        assert ws.db.execute("SELECT count(*) FROM agents").fetchone()[0] == 0
    finally:
        ws.close()


SCORER = textwrap.dedent("""
    import itertools, sys
    from qa_studio.storage.db import open_workspace
    from qa_studio.storage.repository import evaluations

    path, call, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ws = open_workspace(path)
    done = evaluations.start(ws, call, version, "Ann")
    evaluations.save_answers(ws, done.id, {"greet": "yes", "empathy": 4, "hold": "na",
                                           "ownership": "Full", "idv": "yes", "cvv": "yes"})
    evaluations.submit(ws, done.id)
    draft = evaluations.start(ws, call, version, "Lee")
    evaluations.save_answers(ws, draft.id, {"empathy": 2, "ownership": "Partial"})
    print("ready", done.id, draft.id, flush=True)
    for n in itertools.count():  # keep writing until killed: the kill lands mid-transaction
        evaluations.save_answer(ws, draft.id, "greet", "yes" if n % 2 else "no")
""")


def test_sigkill_while_scoring_keeps_submitted_and_draft_answers(tmp_path):
    path = tmp_path / "scoring.qaw"
    ws = open_workspace(path)
    try:
        data = scoring_fixtures.seed(ws, recording=None)
    finally:
        ws.close()
    proc = _spawn(["-c", SCORER, str(path), str(data["call"]), str(data["voice"].id)])
    line = _kill_when(proc, proc.stdout, "ready")
    submitted_id, draft_id = map(int, line.split()[1:3])
    ws = _reopen_checked(path)
    try:
        submitted = evaluations.get(ws, submitted_id)
        assert submitted.status == "submitted"
        assert submitted.answers == {"greet": "yes", "empathy": 4, "hold": "na",
                                     "ownership": "Full", "idv": "yes", "cvv": "yes"}  # fmt: skip
        assert submitted.percent == pytest.approx(93.75)  # empathy 4 of 5 costs 1 of 16 points
        draft = evaluations.get(ws, draft_id)
        assert draft.status == "draft"
        assert draft.answers["empathy"] == 2 and draft.answers["ownership"] == "Partial"
        assert draft.answers.get("greet") in (None, "yes", "no")
    finally:
        ws.close()


PACKER = textwrap.dedent("""
    import os, sys, time

    real_replace = os.replace
    renames = []

    def replace(src, dst, *args, **kwargs):
        # the second workbook is fully written under its temporary name: hang before the rename
        renames.append(dst)
        if str(dst).endswith(".xlsx") and len(renames) == 2:
            print("writing", src, flush=True)
            time.sleep(120)
        return real_replace(src, dst, *args, **kwargs)

    os.replace = replace
    from qa_studio.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_sigkill_during_pack_generation_leaves_no_half_workbook(tmp_path):
    path = tmp_path / "packs.qaw"
    ws = open_workspace(path)
    try:
        pack_data.build(ws)
    finally:
        ws.close()
    out = tmp_path / "packs"
    proc = _spawn(["-c", PACKER, "--db", str(path), "pack", "--all", "--period", "2026-10",
                   "--out", str(out)])  # fmt: skip
    line = _kill_when(proc, proc.stdout, "writing")
    half = Path(line.split(maxsplit=1)[1].strip())
    assert half.exists() and half.parent == out
    assert not half.name.endswith(".xlsx"), "a workbook is written under its final name"
    finals = sorted(out.glob("*.xlsx"))
    assert len(finals) == 1  # the first pack, complete
    wb = load_workbook(finals[0], read_only=True)
    try:
        assert wb.sheetnames
    finally:
        wb.close()
    _reopen_checked(path).close()
