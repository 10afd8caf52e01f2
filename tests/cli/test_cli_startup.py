"""The command line stays cheap to parse (issue 10: cold start to the main window < 2 s).

Every start — the window's too — parses the command line first, so parsing must not import the
command modules (and through them sqlite-utils, numpy, openpyxl, PyYAML…). ``COMMAND_INDEX``
lists the commands instead; these tests keep it equal to what the modules register, and check
in a fresh interpreter which modules a parse leaves loaded. No timings here: those are in
``benchmarks/run_all.py --only startup``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

from qa_studio import __version__
from qa_studio.cli import COMMAND_INDEX, COMMAND_MODULES, _Parser, build_parser, main

HEAVY = ("sqlite_utils", "numpy", "openpyxl", "scipy", "pyqtgraph", "yaml", "PySide6")


def _registered(module: str) -> dict[str, str]:
    parser = _Parser(prog="qa-studio")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    importlib.import_module(module).register(sub, _Parser(add_help=False))
    return {action.dest: action.help for action in sub._choices_actions}


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_the_index_names_what_each_module_registers(module):
    assert module in COMMAND_INDEX, (
        f"add {module!r} to COMMAND_INDEX in qa_studio/cli.py with the commands it registers"
    )
    assert COMMAND_INDEX[module] == _registered(module)


def test_the_index_lists_only_known_modules():
    assert set(COMMAND_INDEX) == set(COMMAND_MODULES)


def test_help_lists_every_command_once(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for commands in COMMAND_INDEX.values():
        for name, text in commands.items():
            assert name in out.split(), name
            assert " ".join(text.split()) in " ".join(out.split()), text


def test_stand_in_and_full_parsers_offer_the_same_commands():
    def names(parser: argparse.ArgumentParser) -> list[str]:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return list(sub.choices)

    assert names(build_parser()) == names(build_parser(every=True))


def test_a_command_gets_its_full_parser():
    parser = build_parser("plan")
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sub.choices["plan"].format_help() != sub.choices["info"].format_help()
    assert "--json" in sub.choices["plan"].format_help()
    assert "--json" not in sub.choices["info"].format_help()  # a stand-in, never imported


PROBE = r"""
import contextlib, io, json, sys
from qa_studio.cli import main, parse_args
what = sys.argv[1]
out = io.StringIO()
if what == "parse-gui":
    args = parse_args(["--db", "x.qaw", "--screenshot", "x.png"])
    assert args.command is None and args.db == "x.qaw"
elif what == "parse-info":
    args = parse_args(["--db", "x.qaw", "info"])
    assert args.command == "info" and callable(args.func)
else:
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main([what])
print(json.dumps({"out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _fresh(what: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, what], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("what", ["--version", "--help", "parse-gui"])
def test_parsing_imports_no_command_module_and_nothing_heavy(what):
    doc = _fresh(what)
    loaded = set(doc["modules"])
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert not {m for m in loaded if m.startswith("qa_studio.commands.")}
    if what == "--version":
        assert doc["out"].strip() == f"qa-studio {__version__}"
    if what == "--help":
        assert all(name in doc["out"] for c in COMMAND_INDEX.values() for name in c)


def test_running_a_command_imports_only_its_own_module():
    loaded = set(_fresh("parse-info")["modules"])
    assert "qa_studio.commands.info" in loaded
    assert not {
        m for m in loaded if m.startswith("qa_studio.commands.") and m != "qa_studio.commands.info"
    }
