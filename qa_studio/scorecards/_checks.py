"""Field-level checks shared by scorecard validation.

The checker never stops at the first problem: each helper records an issue and returns ``None`` so
validation carries on and the author sees every mistake in one run. Each issue gets the line of the
closest field path the loader recorded, so a missing field points at its parent's line.
"""

from __future__ import annotations

import difflib
import math
import re

KEY_RE = re.compile(r"[a-z0-9_]+")


def join_path(parent: str, key: object) -> str:
    """``sections[0]`` + ``key`` → ``sections[0].key``; the root's children have no dot."""
    return f"{parent}.{key}" if parent else str(key)


def index_path(parent: str, index: int) -> str:
    return f"{parent}[{index}]"


def parent_path(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def kind(value: object) -> str:
    """How a value reads to a YAML author, for "must be X, not Y" messages."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def num(value: float) -> int | float:
    """Whole floats as ints, so exported YAML reads ``weight: 2`` rather than ``2.0``."""
    return int(value) if float(value).is_integer() else value


class Checker:
    """Collects ``(line, path, message)`` issues while reading plain data."""

    def __init__(self, filename: str, lines: dict[str, int] | None) -> None:
        self.filename = filename
        self.lines = lines or {}
        self.issues: list[tuple[int | None, str, str]] = []

    def line(self, path: str) -> int | None:
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = parent_path(path)

    def err(self, path: str, message: str) -> None:
        self.issues.append((self.line(path), path, message))

    def fields(
        self,
        value: object,
        path: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
        not_mapping: str,
    ) -> dict | None:
        """``value`` as a mapping, reporting unknown (mistyped) and missing fields."""
        if not isinstance(value, dict):
            self.err(path, f"{not_mapping}, not {kind(value)}")
            return None
        for name in value:
            if name in allowed:
                continue
            guess = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"expected {', '.join(allowed)}"
            self.err(join_path(path, name), f"unknown field; {hint}")
        for name in required:
            if name not in value:
                self.err(join_path(path, name), "required field is missing")
        return value

    def text(self, m: dict, name: str, path: str, *, required: bool = True) -> str | None:
        """Non-empty text; optional fields may also be left empty (``None`` → ``""``)."""
        if name not in m:
            return None if required else ""
        value = m[name]
        if value is None:
            if required:
                self.err(join_path(path, name), "must not be empty")
                return None
            return ""
        if not isinstance(value, str):
            self.err(join_path(path, name), f"must be text, not {kind(value)}")
            return None
        if required and not value.strip():
            self.err(join_path(path, name), "must not be empty")
            return None
        return value

    def key(self, m: dict, name: str, path: str) -> str | None:
        value = self.text(m, name, path)
        if value is not None and not KEY_RE.fullmatch(value):
            self.err(
                join_path(path, name),
                f"'{value}' is not a valid key: use lower-case letters, digits and _ only",
            )
            return None
        return value

    def choice(
        self, m: dict, name: str, path: str, choices: tuple[str, ...], what: str
    ) -> str | None:
        value = self.text(m, name, path)
        if value is not None and value not in choices:
            self.err(
                join_path(path, name),
                f"unknown {what} '{value}'; expected one of {', '.join(choices)}",
            )
            return None
        return value

    def number(self, m: dict, name: str, path: str, default: float | None) -> float | None:
        if name not in m:
            return default
        value = m[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.err(join_path(path, name), f"must be a number, not {kind(value)}")
            return None
        if not math.isfinite(value):
            self.err(join_path(path, name), "must be a finite number")
            return None
        return float(value)

    def integer(self, m: dict, name: str, path: str) -> int | None:
        if name not in m:
            return None
        value = m[name]
        if not is_int(value):
            self.err(join_path(path, name), f"must be a whole number, not {kind(value)}")
            return None
        return value

    def boolean(self, m: dict, name: str, path: str) -> bool | None:
        value = m.get(name, False)
        if not isinstance(value, bool):
            self.err(join_path(path, name), f"must be true or false, not {kind(value)}")
            return None
        return value

    def items(self, m: dict, name: str, path: str, what: str) -> list[tuple[int, object]]:
        """The entries of a required, non-empty list field."""
        if name not in m:
            return []
        value = m[name]
        if not isinstance(value, list):
            self.err(join_path(path, name), f"must be a list of {what}s, not {kind(value)}")
            return []
        if not value:
            self.err(join_path(path, name), f"must contain at least one {what}")
        return list(enumerate(value))
