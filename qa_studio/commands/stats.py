"""``qa-studio stats …``: agreement statistics.

``stats agreement FILE.csv [--level nominal|ordinal|interval|ratio] [--json]`` reads a long table
with the header ``unit,rater,value`` (an empty value or ``NA`` is a missing rating; UTF-8 with or
without BOM) and prints ``qa_studio.domain.agreement.agreement_report`` — no workspace needed.
Bad input is refused as a whole (exit 1) with the file, row (the header is row 1) and column of
every problem, so a spreadsheet user can go straight to the cell.

Sub-commands are listed in ``SUBCOMMANDS``: each is a ``register(stats_sub, common)`` function,
so another module (e.g. ``stats calibration``) is added there without touching this one's code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from qa_studio.commands.stats_calibration import register_calibration
from qa_studio.domain.agreement_data import LEVELS, Row, Stat, as_number, is_missing
from qa_studio.errors import DataRefused

REQUIRED_COLUMNS: tuple[str, ...] = ("unit", "rater", "value")
#: Problems listed in one refusal; the message says how many more there were.
MAX_LISTED = 50

ICC_LABELS = {
    "ICC1": "ICC1  one-way, single rater",
    "ICC2": "ICC2  two-way random, single",
    "ICC3": "ICC3  two-way mixed, single",
    "ICC1k": "ICC1k one-way, mean of raters",
    "ICC2k": "ICC2k two-way random, mean",
    "ICC3k": "ICC3k two-way mixed, mean",
}


def register(sub, common) -> None:
    p = sub.add_parser(
        "stats",
        help="agreement statistics",
        description="Agreement statistics for ratings and calibration sessions.",
    )
    stats_sub = p.add_subparsers(
        dest="stats_command", metavar="STATS_COMMAND", required=True, parser_class=type(p)
    )
    for register_subcommand in SUBCOMMANDS:
        register_subcommand(stats_sub, common)


def register_agreement(stats_sub, common) -> None:
    a = stats_sub.add_parser(
        "agreement",
        parents=[common],
        help="agreement between raters in a CSV file",
        description="Percent agreement, Krippendorff's alpha (bootstrap CI), Fleiss' kappa, "
        "Cohen's kappa (two raters) and the six Shrout & Fleiss ICCs for a CSV "
        "with the header unit,rater,value (empty or NA = missing).",
    )
    a.add_argument("file", metavar="FILE.csv", help="long table: unit,rater,value")
    a.add_argument(
        "--level",
        choices=LEVELS,
        default="interval",
        help="level of measurement (default interval; text categories need nominal or ordinal)",
    )
    a.set_defaults(func=run_agreement)


SUBCOMMANDS: tuple[Callable, ...] = (register_agreement, register_calibration)


def run_agreement(ctx) -> int:
    from qa_studio.domain.agreement import agreement_report

    path = Path(ctx.args.file)
    rows = read_long_csv(path, ctx.args.level)
    report = agreement_report(rows, ctx.args.level)
    ctx.emit(report, format_report(report, path.name))
    return 0


def read_long_csv(path: Path, level: str) -> list[Row]:
    """``(unit, rater, value)`` rows from a long CSV, values parsed for ``level``.

    Refuses the whole file (``DataRefused``) listing every problem as ``FILE: row N, column C:``;
    a (unit, rater) repeated with the same value is kept once.
    """
    if not path.is_file():
        raise DataRefused(f"{path}: no such file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataRefused(
            f"{path}: row {line}: not UTF-8 text (byte {exc.start})", ["save the file as CSV UTF-8"]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_rows(path, level, reader)
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KB field limit
        raise DataRefused(
            f"{path}: row {reader.line_num}: cannot be read as CSV ({exc})",
            ["check the file is a plain unit,rater,value table saved as CSV UTF-8"],
        ) from None


def _read_rows(path: Path, level: str, reader) -> list[Row]:
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise DataRefused(
            f"{path}: the file is empty", ["the first row must be the header unit,rater,value"]
        )
    names = [cell.strip().lower() for cell in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise DataRefused(
            f"{path}: row 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            [f"the header must name unit, rater and value; found {', '.join(header)}"],
        )
    col = {c: names.index(c) for c in REQUIRED_COLUMNS}
    problems: list[str] = []
    rows: list[Row] = []
    seen: dict[tuple[str, str], tuple[int, object]] = {}

    def problem(row: int, column: str, message: str) -> None:
        problems.append(f"{path}: row {row}, column {column}: {message}")

    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        padded = [*cells, *[""] * (len(names) - len(cells))]
        unit, rater, raw = (padded[col[c]].strip() for c in REQUIRED_COLUMNS)
        if not unit:
            problem(number, "unit", "empty: every row needs the unit (e.g. interaction) it rates")
        if not rater:
            problem(number, "rater", "empty: every row needs the rater who gave the value")
        value = _parse_value(raw, level, number, problem)
        if not unit or not rater or value is _BAD:
            continue
        key = (unit, rater)
        if key in seen:
            first_row, first_value = seen[key]
            if first_value != value:
                problem(
                    number,
                    "value",
                    f"unit {unit!r}, rater {rater!r} already has {_show(first_value)} on row "
                    f"{first_row}; a rater gives one value per unit",
                )
            continue
        seen[key] = (number, value)
        rows.append((unit, rater, value))
    if not problems and not rows:
        raise DataRefused(
            f"{path}: no data rows below the header", ["add one row per rating: unit,rater,value"]
        )
    if problems:
        listed = problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            listed.append(f"… and {len(problems) - MAX_LISTED} more")
        first = problems[0]
        raise DataRefused(
            first if len(problems) == 1 else f"{len(problems)} problems in {path}; first: {first}",
            listed,
        )
    return rows


_BAD = object()


def _parse_value(raw: str, level: str, row: int, problem) -> object:
    """None for a missing rating, a float where one is needed or given, else the text."""
    if is_missing(raw):
        return None
    number = as_number(raw)
    if level in ("interval", "ratio"):
        if number is None:
            problem(
                row,
                "value",
                f"{raw!r} is not a number ({level} level needs numbers; use "
                "--level nominal or ordinal for text categories)",
            )
            return _BAD
        if level == "ratio" and number < 0:
            problem(row, "value", f"{raw!r} is negative (ratio level needs values of 0 or more)")
            return _BAD
    return number if number is not None else raw


def _show(value: object) -> str:
    if value is None:
        return "a missing value"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def format_report(report: dict, name: str) -> str:
    """The report as a readable table: value, interval, n and the plain-English band."""
    from qa_studio.domain.interpretation import verdict

    lines = [
        f"{name}: {report['n_units']} units, {report['n_raters']} raters, {report['level']} level",
        "",
    ]
    entries: list[tuple[str, dict, str]] = [
        ("percent agreement", report["percent_agreement"], "percent"),
        ("Krippendorff's alpha", report["krippendorff_alpha"], "alpha"),
        ("Fleiss' kappa", report["fleiss_kappa"], "kappa"),
    ]
    entries += [(f"Cohen's kappa, {w}", s, "kappa") for w, s in report["cohen_kappa"].items()]
    entries += [(ICC_LABELS.get(f, f), s, "icc") for f, s in report["icc"].items()]
    width = max(len(label) for label, _, _ in entries)
    lines.append(f"{'statistic':<{width}}  {'value':>6}  {'95 % CI':<16}  {'n':>5}  meaning")
    notes: list[str] = []
    for label, doc, kind in entries:
        stat = Stat.from_dict(doc)
        value = f"{stat.value:6.3f}" if stat.value is not None else f"{'—':>6}"
        ci = f"{stat.ci95[0]:.3f} to {stat.ci95[1]:.3f}" if stat.ci95 else "—"
        lines.append(f"{label:<{width}}  {value}  {ci:<16}  {stat.n:>5}  {verdict(stat, kind)}")
        if stat.value is not None and stat.note and stat.note.startswith("no interval"):
            notes.append(f"{label}: {stat.note}")
    lines += [
        "",
        "n = units the value rests on (for Cohen's kappa: units rated by both raters).",
        "Intervals: bootstrap over units (1,000 resamples, fixed seed) for percent "
        "agreement, alpha and Fleiss' kappa; Fleiss, Cohen & Everitt (1969) for Cohen's "
        "kappa; F distribution (Shrout & Fleiss 1979) for the ICCs.",
    ]
    lines += notes
    return "\n".join(lines)
