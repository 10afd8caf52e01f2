"""Switching off every control that would write, while the open workspace is read-only.

Why one mechanism rather than a check in every screen: the screens enable their buttons from
their own state (a row selected, a draft open), at any time and often; a check repeated at each
of those places is one forgotten ``and not ws.read_only`` away from a button that ends in
"attempt to write a readonly database". Instead a screen *marks* its writing controls once
(``mark_writes``), and the main window says whether writes are allowed (``set_writes_allowed``).
A marked control asks its window whenever it is enabled or shown, so a screen may keep enabling
its buttons as it likes: while writes are not allowed they stay disabled, and once they are
allowed again each returns to the state its screen last asked for.

The state lives on the top-level window as a dynamic property, so two main windows (a lead and
an evaluator in one test) do not affect each other, and no module holds global state; a dialog
follows the window it was opened over (its parent), and ``set_writes_allowed`` reaches marked
controls in dialogs that are children of the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

__all__ = ["mark_writes", "set_writes_allowed", "writes_allowed"]

#: Property on the top-level window: False while its workspace may not be written.
ALLOWED = "qaWritesAllowed"
#: Property on a marked control: it writes.
MARK = "qaWrites"
#: Property on a marked control: the enabled state its screen last asked for.
WANTED = "qaWantedEnabled"
#: Tooltip suffix shown on a control disabled because of the workspace.
REASON = "The workspace is open read-only."
#: Property on a marked control: disabled by this module (not by its screen).
FORCED = "qaForcedOff"
#: Property on a marked control: re-entry guard (setEnabled sends the events we listen to).
BUSY = "qaEnforcing"


def writes_allowed(obj: QWidget | QAction) -> bool:
    """Whether the nearest window holding ``obj`` that carries the state allows writes.

    The walk goes past a dialog's own window to its parent's, so a dialog opened over a
    read-only main window is read-only too (True when no window carries the state yet).
    """
    widget = _widget_of(obj)
    while widget is not None:
        window = widget.window()
        value = window.property(ALLOWED)
        if value is not None:
            return bool(value)
        widget = window.parentWidget()
    return True


def mark_writes(*objects: QWidget | QAction) -> None:
    """Mark controls that change the workspace, so that they are off while it is read-only."""
    for obj in objects:
        if obj.property(MARK):
            continue
        obj.setProperty(MARK, True)
        obj.setProperty(WANTED, obj.isEnabled())
        if isinstance(obj, QAction):
            obj.changed.connect(lambda a=obj: _enforce(a))
        else:
            obj.installEventFilter(_Filter(obj))
        _enforce(obj)


def set_writes_allowed(window: QWidget, allowed: bool) -> None:
    """Allow or forbid writes for every marked control in ``window`` (and any marked later)."""
    window.setProperty(ALLOWED, allowed)
    for obj in [*window.findChildren(QWidget), *window.findChildren(QAction)]:
        if obj.property(MARK):
            _enforce(obj)


class _Filter(QObject):
    """Re-applies the window's state whenever its widget is enabled, shown or moved into a window."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.EnabledChange, QEvent.Type.Show, QEvent.Type.ParentChange):
            _enforce(watched)  # type: ignore[arg-type]
        return False


def _widget_of(obj: QWidget | QAction) -> QWidget | None:
    if isinstance(obj, QWidget):
        return obj
    parent = obj.parent()
    while parent is not None and not isinstance(parent, QWidget):
        parent = parent.parent()
    return parent if isinstance(parent, QWidget) else None


def _enforce(obj: QWidget | QAction) -> None:
    """Disable ``obj`` while writes are forbidden; restore what its screen asked for after.

    A screen that disables a control while it is forced off sends no event (nothing changes), so
    the remembered wish may be stale; the main window therefore allows writes *before* telling
    the screens about a new workspace, and they set their controls again from their own state.
    """
    if obj.property(BUSY):
        return
    obj.setProperty(BUSY, True)
    try:
        forced = bool(obj.property(FORCED))
        if not writes_allowed(obj):
            if obj.isEnabled():
                obj.setProperty(WANTED, True)
                obj.setProperty(FORCED, True)
                obj.setEnabled(False)
                _note_reason(obj, True)
        elif forced:
            obj.setProperty(FORCED, False)
            _note_reason(obj, False)
            obj.setEnabled(bool(obj.property(WANTED)))
    finally:
        obj.setProperty(BUSY, False)


def _note_reason(obj: QWidget | QAction, add: bool) -> None:
    tip = obj.toolTip() or ""
    if add and REASON not in tip:
        obj.setToolTip(f"{tip}\n{REASON}".strip())
    elif not add and REASON in tip:
        obj.setToolTip(tip.replace(REASON, "").strip())
