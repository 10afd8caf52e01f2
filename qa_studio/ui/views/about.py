"""Help ▸ About: what this build is, with the versions a bug report needs.

The versions come from the running modules, not from packaging metadata alone, so the box tells
the truth inside the PyInstaller bundle too (where ``.dist-info`` folders may be missing).
"""

from __future__ import annotations

import platform
from importlib import metadata

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from qa_studio import __version__
from qa_studio.ui.icons import app_icon


def versions() -> dict[str, str]:
    """Every component worth naming, in the order the About box lists them.

    pyqtgraph and the storage libraries are imported here, not at module level: the About box
    is rare, and importing them eagerly would add a few hundred ms to every start-up.
    """
    import pyqtgraph

    from qa_studio.storage.versions import library_versions

    out = {
        "QA Studio": __version__,
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "Python": platform.python_version(),
    }
    out.update(library_versions())
    out["pyqtgraph"] = getattr(pyqtgraph, "__version__", "") or _distribution("pyqtgraph")
    return out


def _distribution(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def about_html() -> str:
    """Rich text: a heading, one line, then the versions as "Name version" joined by dots."""
    found = versions()
    runtime = " · ".join(f"{name} {found[name]}" for name in ("Qt", "PySide6", "Python"))
    libraries = " · ".join(
        f"{name} {value}"
        for name, value in found.items()
        if name not in ("QA Studio", "Qt", "PySide6", "Python")
    )
    return (
        f"<h3>QA Studio {found['QA Studio']}</h3>"
        "<p>Offline quality assurance for contact centres: sampling, scoring, calibration and "
        "coaching on a local workspace file.</p>"
        f"<p>{runtime}<br>{libraries}</p>"
        f"<p>{platform.system()} {platform.release()} · {platform.machine()}</p>"
    )


def about_box(parent: QWidget | None) -> QMessageBox:
    """The About box, not yet shown (tests and screenshots inspect it before ``exec``)."""
    box = QMessageBox(parent)
    box.setWindowTitle("About QA Studio")
    box.setIconPixmap(app_icon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_about(parent: QWidget | None) -> None:
    """``QMessageBox.about`` with the versioned text; it shows the parent window's (app) icon."""
    QMessageBox.about(parent, "About QA Studio", about_html())
