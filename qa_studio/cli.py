"""Command-line entry point: parse, call a service, print text or one JSON document.

Conventions (ARCHITECTURE.md § Command-line conventions): ``qa-studio [--db FILE] COMMAND``;
without a command the main window opens. With ``--json`` stdout holds exactly one JSON document,
errors included, and progress goes to stderr. Exit codes: 0 ok, 1 data refused or check failed,
2 wrong usage, 3 workspace cannot be opened.

Each command lives in its own module under ``qa_studio.commands`` with a ``register(sub, common)``
function; this file only lists them, so adding a command never touches another's code.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_studio import __version__
from qa_studio.errors import QAStudioError, UsageError

COMMAND_MODULES: tuple[str, ...] = (
    "qa_studio.commands.info",
    "qa_studio.commands.scorecard",
    "qa_studio.commands.evaluate",
    "qa_studio.commands.audit",
    "qa_studio.commands.demo",
    "qa_studio.commands.import_cmd",
    "qa_studio.commands.sample",
    "qa_studio.commands.stats",
    "qa_studio.commands.calibration",
    "qa_studio.commands.pack",
    "qa_studio.commands.bundle",
    "qa_studio.commands.chart",
    "qa_studio.commands.coaching",
    "qa_studio.commands.recover",
    "qa_studio.commands.report",
    "qa_studio.commands.complaints",
    "qa_studio.commands.privacy",
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors become ``UsageError`` (so --json can report them)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", [self.format_usage().strip()])


@dataclass
class CliContext:
    """What a command needs: its arguments, the workspace (opened on demand) and output."""

    args: argparse.Namespace
    _workspace: Any = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def db_path(self) -> Path:
        if getattr(self.args, "db", None):
            return Path(self.args.db)
        if getattr(self.args, "demo", False):
            from qa_studio.services.paths import ensure_demo_workspace

            return ensure_demo_workspace(progress=self.progress)
        raise UsageError("this command needs a workspace: give --db FILE (or --demo)")

    def workspace(self, *, create: bool = True):
        """Open the workspace named by ``--db`` (created when it does not exist)."""
        if self._workspace is None:
            from qa_studio.storage.db import open_workspace

            self._workspace = open_workspace(self.db_path(), create=create)
        return self._workspace

    def emit(self, document: Any, text: str | None = None) -> None:
        """Print ``document`` as JSON under --json, else ``text`` (or the document, readably)."""
        if self.json:
            sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str) + "\n")
        elif text is not None:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        else:
            sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")

    def progress(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    parser = _Parser(prog="qa-studio", description="Offline quality assurance for contact centres.")
    parser.add_argument("--version", action="version", version=f"qa-studio {__version__}")
    parser.add_argument("--db", metavar="FILE", help="workspace file (.qaw); created if missing")
    parser.add_argument(
        "--demo", action="store_true", help="use the demo workspace (built on first run)"
    )
    parser.add_argument(
        "--screenshot", metavar="OUT.png", help="open the main window, save a PNG of it and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    ctx: CliContext | None = None
    try:
        args = build_parser().parse_args(argv)
        ctx = CliContext(args)
        if args.command is None:
            from qa_studio.app import run_gui

            return run_gui(ctx)
        return int(args.func(ctx) or 0)
    except QAStudioError as exc:
        _report(exc.message, exc.details, wants_json)
        return exc.exit_code
    except KeyboardInterrupt:
        _report("interrupted", [], wants_json)
        return 130
    finally:
        if ctx is not None:
            ctx.close()


def _report(message: str, details: list, as_json: bool) -> None:
    if as_json:
        doc = {"error": {"message": message, "details": details}}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stderr.write(f"qa-studio: {message}\n")
        for d in details:
            sys.stderr.write(f"  {d if isinstance(d, str) else json.dumps(d, default=str)}\n")


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
