"""PyInstaller runtime hook: stand in for ``PySide6.QtOpenGL``, which the bundle leaves out.

Why: pyqtgraph 0.14 imports ``PySide6.QtOpenGL`` at module level (``PlotCurveItem``,
``PColorMeshItem``, ``OpenGLHelpers``) although it touches it only when drawing through an OpenGL
viewport (``useOpenGL`` / ``enableExperimental``), which QA Studio never enables. The binding is
8.5 MB of the bundle. This placeholder satisfies those imports; any real use names the cause
instead of failing obscurely. ``PySide6.QtOpenGLWidgets`` (0.1 MB) stays bundled: pyqtgraph
subclasses its ``QOpenGLWidget`` at import time.
"""

import sys
import types


def _install() -> None:
    module = types.ModuleType("PySide6.QtOpenGL")

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImportError(
            f"PySide6.QtOpenGL.{name} is not in the QA Studio bundle (OpenGL chart drawing is "
            "not used); see packaging/rthook_qtopengl_stub.py"
        )

    module.__getattr__ = __getattr__
    sys.modules["PySide6.QtOpenGL"] = module


_install()
