"""Defence against one known defect of the Qt bindings, kept narrow on purpose.

PySide6 6.12.0 (shiboken6 ``cp310-abi3`` wheel) running on Python 3.11 hands ``None`` back from
every C++ method returning ``void`` — and from every empty ``QVariant`` — without taking a
reference to it; ``True``/``False`` lose references the same way while pyqtgraph items paint. On
3.11 each such call lowers the singleton's reference count by one, and once it reaches zero the
interpreter aborts ("Fatal Python error: none_dealloc") — within minutes of ordinary clicking.

pyproject.toml therefore excludes 6.12.0 (``PySide6>=6.6,!=6.12.0``; 6.11.3 was measured not to
leak). Should a user's environment still end up with that exact release, ``keep_none_alive`` gives
the singletons what Python 3.12 gives them: a reference count that cannot run out. On every other
version it does nothing, so no process patches interpreter internals without need.
"""

from __future__ import annotations

import ctypes
import sys

#: Added to the singletons' reference counts: more void calls than any session can make.
NONE_REFERENCE_RESERVE = 1 << 48
#: Releases known to drop references to None/True/False on Python < 3.12.
LEAKING_RELEASES = frozenset({"6.12.0"})


def bindings_leak_singletons() -> bool:
    """True when the installed PySide6 is a release known to leak and Python is older than 3.12."""
    if sys.version_info >= (3, 12):
        return False
    import PySide6

    return PySide6.__version__ in LEAKING_RELEASES


def keep_none_alive() -> bool:
    """Make ``None``, ``True`` and ``False`` effectively immortal where the bindings leak them;
    returns True when something was done."""
    if not bindings_leak_singletons():
        return False
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt: PyObject's 1st field
        if refcount.value < NONE_REFERENCE_RESERVE:
            refcount.value += NONE_REFERENCE_RESERVE
    return True
