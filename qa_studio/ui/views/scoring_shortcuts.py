"""The scoring screen's keyboard shortcuts, written once for the bindings, the help and the docs.

An evaluator scores for hours a day; every action of the screen has a key. The shortcuts are
``QAction``\\ s on the scoring view with ``WidgetWithChildrenShortcut`` context, so they work
wherever focus is inside the screen — except that text boxes (the comment boxes) keep their own
keys: Qt gives a focused line edit first claim on printable keys and arrows through
``ShortcutOverride``, so typing "Yes" in a comment never answers a question. Up/Down, Tab and
Delete are handled by the question cards themselves, so lists elsewhere keep their arrows.
``docs/keyboard.md`` documents the same table (a test keeps them in step).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Shortcut:
    name: str
    #: Key sequences bound as QAction shortcuts on the view (empty: handled by the cards).
    keys: tuple[str, ...]
    #: How the keys are written in the help and in docs/keyboard.md.
    label: str
    description: str


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("next", ("J",), "J / Down / Tab", "Next question"),
    Shortcut("previous", ("K",), "K / Up / Shift+Tab", "Previous question"),
    Shortcut("next_unanswered", ("U",), "U", "Jump to the next unanswered question"),
    Shortcut("yes", ("Y",), "Y", "Answer Yes"),
    Shortcut("no", ("N",), "N", "Answer No"),
    Shortcut("na", ("A",), "A", "Answer N/A (only where the question allows it)"),
    Shortcut(
        "digit",
        tuple(str(d) for d in range(10)),
        "1–9",
        "Scale value, or option number on a points question (0 picks 10 on a 1–10 scale)",
    ),
    Shortcut("clear", (), "Delete / Backspace", "Clear the focused question's answer"),
    Shortcut(
        "comment",
        ("C",),
        "C",
        "Comment on the focused question, stamped with the current playback time "
        "(Enter saves, Esc cancels)",
    ),
    Shortcut("play", ("Space",), "Space", "Play / pause the recording"),
    Shortcut("back", ("Left",), "Left", "Back 5 seconds"),
    Shortcut("forward", ("Right",), "Right", "Forward 5 seconds"),
    Shortcut("slower", ("[",), "[", "Slower playback (down to 0.5×)"),
    Shortcut("faster", ("]",), "]", "Faster playback (up to 2×)"),
    Shortcut(
        "submit",
        ("Ctrl+Return", "Ctrl+Enter"),
        "Ctrl+Enter",
        "Submit (every question must be answered)",
    ),
    Shortcut(
        "sign_off",
        ("Ctrl+Shift+S",),
        "Ctrl+Shift+S",
        "Sign off a submitted evaluation (it becomes read-only)",
    ),
)

#: The one-line reminder shown under the form.
HELP_LINE = ("Keys: J/K next/prev · Y/N/A answer · 1–9 value · C comment · Space play · "
             "←/→ ±5 s · Ctrl+Enter submit · Ctrl+Shift+S sign off")  # fmt: skip


def help_html() -> str:
    """The full table, for the help label's tooltip."""
    rows = "".join(
        f"<tr><td><b>{html.escape(s.label)}</b>&nbsp;&nbsp;</td>"
        f"<td>{html.escape(s.description)}</td></tr>"
        for s in SHORTCUTS
    )
    return f"<table>{rows}</table>"


def install(view: QWidget, handlers: Mapping[str, Callable[[str], None]]) -> dict[str, QAction]:
    """Bind every shortcut with keys to ``handlers[name](key_text)`` on ``view``.

    The handler receives the key that fired (the digit shortcuts share one handler).
    """
    actions: dict[str, QAction] = {}
    for shortcut in SHORTCUTS:
        if not shortcut.keys:
            continue
        handler = handlers[shortcut.name]
        for key in shortcut.keys:
            action = QAction(shortcut.description, view)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setAutoRepeat(shortcut.name in ("next", "previous", "back", "forward"))
            action.triggered.connect(lambda _=False, h=handler, k=key: h(k))
            view.addAction(action)
            actions[f"{shortcut.name}:{key}"] = action
    return actions
