"""``qa-studio --db FILE --screenshot OUT.png`` renders the main window without a display."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from qa_studio.app import no_display
from tests.ui.browser_data import fill


def _run(args: list[str], tmp_path, **env_changes) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = f"from qa_studio.cli import main; raise SystemExit(main({args!r}))"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["offscreen", None], ids=["offscreen", "no-display"])
def test_screenshot_writes_a_png_of_the_window(ws, tmp_path, platform):
    fill(ws)
    ws.close()
    out = tmp_path / "window.png"
    result = _run(
        ["--db", str(ws.path), "--screenshot", str(out)],
        tmp_path,
        QT_QPA_PLATFORM=platform,
        DISPLAY=None,
        WAYLAND_DISPLAY=None,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
    assert out.stat().st_size > 20_000  # a real rendering, not a blank canvas
    colours = {image.pixelColor(x, y).name() for x in range(0, 1400, 40) for y in range(0, 900, 40)}
    assert len(colours) > 8
    assert not (tmp_path / "config").exists() or not any((tmp_path / "config").rglob("*.conf"))


@pytest.mark.slow
def test_screenshot_of_a_non_sqlite_file_exits_3(tmp_path):
    bogus = tmp_path / "bogus.qaw"
    bogus.write_text("not a database")
    result = _run(
        ["--db", str(bogus), "--screenshot", str(tmp_path / "x.png")],
        tmp_path,
        QT_QPA_PLATFORM="offscreen",
    )
    assert result.returncode == 3
    assert "not a QA Studio workspace" in result.stderr
    assert not (tmp_path / "x.png").exists()
    assert bogus.read_text() == "not a database"


def test_no_display_detection(monkeypatch):
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert no_display()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not no_display()
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not no_display()
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not no_display()
