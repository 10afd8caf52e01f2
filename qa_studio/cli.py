"""Command-line entry point: parse, call a service, print text or one JSON document.

Conventions (ARCHITECTURE.md § Command-line conventions): ``qa-studio [--db FILE] COMMAND``;
without a command the main window opens. With ``--json`` stdout holds exactly one JSON document,
errors included, and progress goes to stderr. Exit codes: 0 ok, 1 data refused or check failed,
2 wrong usage, 3 workspace cannot be opened.

Each command lives in its own module under ``qa_studio.commands`` with a ``register(sub, common)``
function; this file only lists them, so adding a command never touches another's code.

Parsing is kept cheap because every start goes through it — the window too (issue 10: cold start
to the main window < 2 s). The command modules pull in sqlite-utils (and with it numpy), openpyxl,
PyYAML and the statistics stack, about a second on a loaded machine, so only the module that owns
the command being run is imported. ``COMMAND_INDEX`` names the commands each module registers
with the one line ``--help`` shows for them (the way pip's command table works); the others are
listed from it by stand-in sub-parsers. A test checks the index against what the modules
register; a module missing from it is simply imported every time (correct, only slower).
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

#: For each module of ``COMMAND_MODULES``: the commands its ``register`` adds, in order, with
#: their ``help`` text — exactly as registered (``tests/cli/test_cli_startup.py`` compares them).
COMMAND_INDEX: dict[str, dict[str, str]] = {
    "qa_studio.commands.info": {"info": "schema version and row counts"},
    "qa_studio.commands.scorecard": {"scorecard": "validate scorecards and score answers"},
    "qa_studio.commands.evaluate": {
        "evaluate": "score an interaction from an answers file",
        "evaluators": "add or list evaluators",
    },
    "qa_studio.commands.audit": {"audit": "verify the audit trail or show its head"},
    "qa_studio.commands.demo": {"demo": "build a realistic demo workspace"},
    "qa_studio.commands.import_cmd": {
        "import": "import interactions from a file",
        "import-transcripts": "attach transcript files (and recordings beside them)",
    },
    "qa_studio.commands.sample": {
        "sample": "draw a reproducible sample and allocate it",
        "plan": "how many evaluations are enough (Cochran)",
        "samples": "list, show, close and reassign samples",
        "targeted": "the targeted-review queue",
    },
    "qa_studio.commands.stats": {"stats": "agreement statistics"},
    "qa_studio.commands.calibration": {
        "calibration": "calibration sessions: create, list, progress, close"
    },
    "qa_studio.commands.pack": {
        "pack": "write coaching packs (Excel) for an agent, a team or everyone"
    },
    "qa_studio.commands.bundle": {
        "bundle": "offline bundles: send work to evaluators, take results back"
    },
    "qa_studio.commands.chart": {
        "chart": "write a chart as PNG: an agent's trend, or a calibration session"
    },
    "qa_studio.commands.coaching": {
        "coaching": "coaching sessions, goals, follow-ups, recognition",
        "dispute": "raise, resolve and report disputes",
        "evaluation": "print or acknowledge one evaluation",
    },
    "qa_studio.commands.recover": {
        "recover": "check a workspace file and restore its latest backup"
    },
    "qa_studio.commands.report": {"report": "dashboard figures and KPI targets"},
    "qa_studio.commands.complaints": {
        "complaints": "the complaints and escalations log",
        "rca": "root-cause analyses",
        "breaches": "the data-protection and PCI breach log",
        "import-feedback": "import survey responses or mystery-shop results (CSV/XLSX)",
    },
    "qa_studio.commands.privacy": {
        "retention": "preview or run the retention purge",
        "sar": "subject-access export for a customer or an agent",
        "regulations": "the register of regulation references",
    },
}


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


def build_parser(command: str | None = None, *, every: bool = False) -> argparse.ArgumentParser:
    """The parser, with the module owning ``command`` (or, with ``every``, all) registered for
    real; every other command is a stand-in that only names it for ``--help`` and usage errors."""
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
        listed = COMMAND_INDEX.get(name)
        if every or listed is None or command in listed:
            importlib.import_module(name).register(sub, common)
        else:
            for listed_name, text in listed.items():
                sub.add_parser(listed_name, help=text, add_help=False)
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv``, importing no command module but the one whose command is given.

    A first pass with stand-ins answers ``--version`` and ``--help``, reports usage errors and
    finds the command; the second parses for real with that command's module registered."""
    first, _rest = build_parser().parse_known_args(argv)
    return build_parser(first.command).parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    ctx: CliContext | None = None
    try:
        args = parse_args(argv)
        ctx = CliContext(args)
        if args.command is None:
            from qa_studio.services.media_logging import quiet_media_probing

            quiet_media_probing()  # before qa_studio.app imports QtMultimedia, which logs at once
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
