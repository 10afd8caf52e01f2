"""A scoring session killed with SIGKILL loses no answer it had saved.

The child process is the real scoring screen (offscreen) on a real workspace file: it answers
questions by clicking the answer buttons, adds a stamped comment through the comment box, prints
"ready" and waits. The parent kills it without warning — no atexit, no Qt teardown, no
connection close — then opens the file again as the next launch would.
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

from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import evaluations
from tests.ui import scoring_fixtures

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys, time
    from PySide6.QtWidgets import QApplication
    from qa_studio.storage.db import open_workspace
    from qa_studio.ui.views.scoring import ScoringView

    path, interaction, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = QApplication([])
    ws = open_workspace(path)
    view = ScoringView(ws, "Ann")
    view.resize(1400, 900)
    view.show()
    session = view.open_interaction(interaction, version)
    answers = {"greet": "yes", "empathy": 4, "hold": "na", "ownership": "Partial", "idv": "no"}
    for key, value in answers.items():
        view.form.cards[key].buttons[value].click()
        app.processEvents()
    card = view.form.cards["idv"]
    card.open_comment(12.5)
    card.comment_edit.setText("Address read out before any security question")
    card.comment_edit.returnPressed.emit()
    view.form.comment_box.setPlainText("typed but not yet saved")
    print("ready", session.evaluation_id, flush=True)
    time.sleep(120)
""")

EXPECTED = {"greet": "yes", "empathy": 4, "hold": "na", "ownership": "Partial", "idv": "no"}


def _wait_for_line(proc: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            if line:
                return line
        if proc.poll() is not None:
            break
    proc.kill()
    _out, err = proc.communicate()
    raise AssertionError(f"the scoring process never became ready; stderr:\n{err}")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_evaluation_loses_no_saved_answer(tmp_path):
    path = tmp_path / "crash.qaw"
    ws = open_workspace(path)
    try:
        data = scoring_fixtures.seed(ws)
    finally:
        ws.close()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QT_LOGGING_RULES": "qt.multimedia.*=false",
        "PYTHONPATH": str(REPO),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(data["call"]), str(data["voice"].id)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    try:
        line = _wait_for_line(proc, timeout=90)
        assert line.startswith("ready")
        evaluation_id = int(line.split()[1])
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    reopened = open_workspace(path)
    try:
        assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        record = evaluations.get(reopened, evaluation_id)
        assert record.status == "draft"
        assert record.answers == EXPECTED
        (note,) = record.notes
        assert note.question_key == "idv" and note.at_s == pytest.approx(12.5)
        assert record.comment is None  # only what was being typed is lost
        # the running score was stored with the last answer: idv (critical) zeroes compliance
        assert record.percent == pytest.approx(100 * 3.0 / 7.0)
        assert evaluations.drafts(reopened, "Ann")[0].id == evaluation_id
    finally:
        reopened.close()
