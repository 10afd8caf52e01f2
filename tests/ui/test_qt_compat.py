"""The bindings in use do not drop references to None (PySide6 6.12.0 on Python 3.11 did)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox
from qa_studio.services.qt_compat import keep_none_alive
app = QApplication([])
{guard}
before = sys.getrefcount(None)
timer = QTimer()
combo = QComboBox()
combo.addItem("x")
for _ in range(20000):
    timer.setInterval(5)  # returns void
    combo.currentData()   # empty QVariant -> None
print(sys.getrefcount(None) - before)
"""


def _run(guard: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(guard=guard)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_installed_bindings_do_not_leak_none_references():
    """Fails (or aborts) on a release that pyproject.toml should have excluded."""
    result = _run("")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 0


def test_guard_is_a_no_op_on_good_releases(monkeypatch):
    from qa_studio.services import qt_compat

    monkeypatch.setattr(qt_compat, "LEAKING_RELEASES", frozenset())
    assert qt_compat.keep_none_alive() is False
    monkeypatch.setattr(qt_compat.sys, "version_info", (3, 12, 0))
    assert qt_compat.bindings_leak_singletons() is False
