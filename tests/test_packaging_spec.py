"""Static checks of ``qa_studio.spec`` and the bundle smoke script (the bundle is not built here).

The spec is read as Python source (it only runs inside PyInstaller); the checks are what a bad
edit would break silently: data files the app loads at run time, the excludes that keep the
bundle small, and no exclude that removes a module the application imports.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "qa_studio.spec"
SCRIPT = ROOT / "packaging" / "build_bundle.sh"


@pytest.fixture(scope="module")
def spec() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _constant(tree: ast.Module, name: str):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in the spec")


def _call(tree: ast.Module, func: str) -> ast.Call:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == func:
            return node
    raise AssertionError(f"{func}(...) is not called in the spec")


def _keyword(call: ast.Call, name: str) -> ast.expr:
    return next(k.value for k in call.keywords if k.arg == name)


def test_data_files_include_builtin_scorecards_and_resources(spec):
    source = SPEC.read_text(encoding="utf-8")
    datas = next(
        n
        for n in spec.body
        if isinstance(n, ast.Assign)
        and isinstance(n.targets[0], ast.Name)
        and n.targets[0].id == "datas"
    )
    text = ast.unparse(datas.value)
    assert "'scorecards'" in text and "'builtin'" in text and "'*.yaml'" in text
    assert "'qa_studio/scorecards/builtin'" in text
    assert "'resources'" in text and "'qa_studio/resources'" in text
    assert list((ROOT / "qa_studio" / "scorecards" / "builtin").glob("*.yaml"))
    assert (ROOT / "resources" / "demo" / "calls.json").is_file()
    assert 'collect_submodules("qa_studio")' in source  # commands are imported by name


def test_entry_point_and_name(spec):
    analysis = _call(spec, "Analysis")
    assert "'__main__.py'" in ast.unparse(analysis.args[0])
    assert (ROOT / "qa_studio" / "__main__.py").is_file()
    for func in ("EXE", "COLLECT"):
        assert ast.literal_eval(_keyword(_call(spec, func), "name")) == "qa-studio"
    assert ast.literal_eval(_keyword(_call(spec, "EXE"), "exclude_binaries")) is True  # one-folder


def test_unused_qt_and_python_modules_are_excluded(spec):
    qt = _constant(spec, "QT_EXCLUDES")
    python = _constant(spec, "PYTHON_EXCLUDES")
    for module in ("PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.Qt3DCore",
                   "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtCharts",
                   "PySide6.QtDataVisualization", "PySide6.QtPdf", "PySide6.QtDesigner"):  # fmt: skip
        assert module in qt, module
    for module in ("tkinter", "pytest", "hypothesis"):
        assert module in python, module
    analysis_excludes = ast.unparse(_keyword(_call(spec, "Analysis"), "excludes"))
    assert "QT_EXCLUDES" in analysis_excludes and "PYTHON_EXCLUDES" in analysis_excludes
    drops = _constant(spec, "DROP_PATTERNS")
    assert "Qt6WebEngine" in drops and "/qml/" in drops


def _imported_modules() -> set[str]:
    """Every module the application's source imports (top level and inside functions)."""
    found: set[str] = set()
    for path in (ROOT / "qa_studio").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
    return found


def test_no_exclude_removes_a_module_the_application_imports(spec):
    excluded = _constant(spec, "QT_EXCLUDES") + _constant(spec, "PYTHON_EXCLUDES")
    # pyqtgraph's hard imports; its QtTest import is optional and QtOpenGL is stubbed (below).
    used = _imported_modules() | {"PySide6.QtMultimedia", "PySide6.QtSvg",
                                  "PySide6.QtOpenGLWidgets"}  # fmt: skip
    clashes = sorted(
        f"{module} (excluded as {ex})"
        for module in used
        for ex in excluded
        if module == ex or module.startswith(ex + ".")
    )
    assert clashes == []
    assert "PySide6.QtMultimedia" in _imported_modules()


def test_icons_exist_for_every_name_the_ui_uses():
    from qa_studio.ui.icons import ICON_NAMES

    for name in ICON_NAMES:
        svg = ROOT / "resources" / "icons" / f"{name}.svg"
        assert svg.is_file(), svg
        assert "<svg" in svg.read_text(encoding="utf-8")


def test_smoke_script_builds_and_launches_the_bundle():
    text = SCRIPT.read_text(encoding="utf-8")
    assert os.access(SCRIPT, os.X_OK)
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text
    assert re.search(r"pip install .*pyinstaller", text)
    assert "qa_studio.spec" in text
    assert '"$EXE" --version' in text
    assert re.search(r'"\$EXE" --db \S+ --screenshot', text)
    assert re.search(r'"\$EXE" --db \S+ demo', text)
    assert "du -sh" in text and "cold start" in text


def test_build_outputs_are_not_tracked():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored


def test_dropped_libraries_spare_what_the_multimedia_plugin_links(spec):
    """The FFmpeg backend links Qt Quick/QML: dropping those silently disables audio playback."""
    import shutil
    import subprocess

    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "multimedia"
    plugins = list(plugin.glob("libffmpegmediaplugin*.so"))
    if not plugins or shutil.which("readelf") is None:
        pytest.skip("no Linux FFmpeg multimedia plugin or readelf here")
    dynamic = subprocess.run(
        ["readelf", "-d", str(plugins[0])], capture_output=True, text=True, check=True
    ).stdout
    needed = re.findall(r"\(NEEDED\).*\[(.+?)\]", dynamic)
    assert "libQt6Multimedia.so.6" in needed
    drops = _constant(spec, "DROP_PATTERNS")
    assert [(lib, p) for lib in needed for p in drops if p in "/" + lib] == []


def test_excluded_qtopengl_is_stood_in_for_and_scipy_stays_out(spec):
    """pyqtgraph imports PySide6.QtOpenGL at module level: excluding it needs the runtime hook."""
    assert "PySide6.QtOpenGL" in _constant(spec, "QT_EXCLUDES")
    hooks = ast.unparse(_keyword(_call(spec, "Analysis"), "runtime_hooks"))
    assert "rthook_qtopengl_stub.py" in hooks
    hook = ROOT / "packaging" / "rthook_qtopengl_stub.py"
    namespace: dict = {}
    saved = sys.modules.get("PySide6.QtOpenGL")
    try:
        exec(compile(hook.read_text(encoding="utf-8"), str(hook), "exec"), namespace)
        stub = sys.modules["PySide6.QtOpenGL"]
        with pytest.raises(ImportError, match="not in the QA Studio bundle"):
            stub.QOpenGLBuffer  # noqa: B018 - attribute access is the behaviour under test
    finally:
        if saved is None:
            sys.modules.pop("PySide6.QtOpenGL", None)
        else:
            sys.modules["PySide6.QtOpenGL"] = saved
    assert "scipy" in _constant(spec, "PYTHON_EXCLUDES")
    assert "scipy" not in _imported_modules() and "mpmath" in _imported_modules()
