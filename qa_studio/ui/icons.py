"""The application's SVG icons, loaded through ``importlib.resources``.

Why SVG: Qt renders them at whatever device-pixel ratio the screen has, so one file per icon is
sharp on a 100 % laptop and a 200 % monitor alike. The files live in ``resources/icons`` (the
package ``qa_studio.resources``), which a wheel and the PyInstaller bundle both ship as real
files, so ``as_file`` returns a path without copying.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from PySide6.QtGui import QIcon

RESOURCE_PACKAGE = "qa_studio.resources"
ICON_NAMES = ("app", "open", "new", "demo", "settings", "about")


def icon(name: str) -> QIcon:
    """The icon ``name`` (one of ``ICON_NAMES``); a null icon when the file is missing."""
    resource = files(RESOURCE_PACKAGE).joinpath("icons", f"{name}.svg")
    if not resource.is_file():
        return QIcon()
    with as_file(resource) as path:
        return QIcon(str(path))


def app_icon() -> QIcon:
    return icon("app")
