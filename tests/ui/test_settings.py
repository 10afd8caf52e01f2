"""Settings: typed values survive a round trip through an INI file."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from qa_studio.services.settings import MAX_RECENT, Settings


def _settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "qa.ini"), QSettings.Format.IniFormat))


def test_recent_files_most_recent_first_without_duplicates(tmp_path):
    s = _settings(tmp_path)
    assert s.recent_files() == []
    a, b = tmp_path / "a.qaw", tmp_path / "b.qaw"
    s.add_recent(a)
    s.sync()
    assert _settings(tmp_path).recent_files() == [a]  # a one-item list survives the INI file
    s.add_recent(b)
    s.add_recent(a)
    assert s.recent_files() == [a, b]
    for n in range(MAX_RECENT + 3):
        s.add_recent(tmp_path / f"{n}.qaw")
    assert len(s.recent_files()) == MAX_RECENT
    assert s.recent_files()[0] == tmp_path / f"{MAX_RECENT + 2}.qaw"
    s.remove_recent(tmp_path / f"{MAX_RECENT + 2}.qaw")
    assert tmp_path / f"{MAX_RECENT + 2}.qaw" not in s.recent_files()
    s.clear_recent()
    assert s.recent_files() == []


def test_evaluator_geometry_and_folder(tmp_path):
    s = _settings(tmp_path)
    assert s.evaluator_name() is None and s.window_geometry() is None
    s.set_evaluator_name("Priya Shah")
    s.set_window_geometry(QByteArray(b"\x01\x02geometry"))
    s.set_last_folder(tmp_path)
    s.sync()
    again = _settings(tmp_path)
    assert again.evaluator_name() == "Priya Shah"
    assert bytes(again.window_geometry().data()) == b"\x01\x02geometry"
    assert again.last_folder() == tmp_path
    again.set_evaluator_name(None)
    assert again.evaluator_name() is None
