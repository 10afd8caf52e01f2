"""The shapes every agreement statistic shares: the result (``Stat``), the ratings (``RatingTable``)
and the bootstrap over units.

Why a result type rather than a float: a team leader reads these numbers to decide whether a
score means the same whoever gives it, so a statistic that does not apply must say *why* instead
of printing 0, NaN or a misleading number. A ``Stat`` therefore holds either a finite value (with
an optional 95 % interval) or a reason — never both, never neither — and always the ``n`` it rests on.

Ratings arrive as a long table of ``(unit, rater, value)`` rows, the shape of a CSV export and of
calibration answers; ``RatingTable`` pivots them into a units × raters matrix (NaN = missing) and
codes the values once for the level of measurement, so that every statistic sees the same units,
raters and categories. Pure Python + numpy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from qa_studio.errors import DataRefused

LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")
#: Spellings of a missing rating (besides None and NaN), as written in CSV exports.
MISSING_SPELLINGS = frozenset({"", "na", "n/a"})
#: Fixed so that the same data always gives the same interval (reports must be reproducible).
BOOTSTRAP_SEED = 20_260_607
BOOTSTRAP_RESAMPLES = 1_000

Row = tuple[Hashable, Hashable, object]


@dataclass(frozen=True)
class Stat:
    """One statistic: a finite ``value`` with an optional ``ci95``, or no value and a ``reason``.

    ``n`` is what the value rests on (units, or rated pairs for Cohen's κ). ``note`` says how
    the interval was obtained or why there is none, e.g. how many bootstrap resamples were usable.
    """

    value: float | None
    ci95: tuple[float, float] | None = None
    reason: str | None = None
    n: int = 0
    note: str | None = None

    def __post_init__(self) -> None:
        if self.value is None:
            if not self.reason:
                raise ValueError("a statistic without a value must say why (reason)")
            if self.ci95 is not None:
                raise ValueError("a statistic without a value cannot have an interval")
            return
        if self.reason is not None:
            raise ValueError("a statistic with a value must not carry a reason")
        if not math.isfinite(self.value):
            raise ValueError(f"statistic value must be finite, got {self.value!r}")
        object.__setattr__(self, "value", float(self.value))
        if self.ci95 is not None:
            lo, hi = (float(self.ci95[0]), float(self.ci95[1]))
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi + 1e-12:
                raise ValueError(f"bad 95 % interval {self.ci95!r}")
            object.__setattr__(self, "ci95", (lo, hi))

    @classmethod
    def not_applicable(cls, reason: str, n: int = 0) -> Stat:
        return cls(value=None, reason=reason, n=n)

    @classmethod
    def from_dict(cls, doc: dict) -> Stat:
        """The inverse of ``as_dict`` (for screens and commands that receive a report)."""
        ci = doc.get("ci95")
        return cls(
            value=doc.get("value"),
            ci95=tuple(ci) if ci is not None else None,
            reason=doc.get("reason"),
            n=int(doc.get("n") or 0),
            note=doc.get("note"),
        )

    @property
    def applies(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
            "reason": self.reason,
            "n": self.n,
            "note": self.note,
        }


def is_missing(value: object) -> bool:
    """None, NaN, an empty string or ``NA``/``N/A`` (any case) count as no rating."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_SPELLINGS


def as_number(value: object) -> float | None:
    """The value as a finite float, or None when it is not a number (text, NaN, inf, bool)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _normalise(value: object) -> float | str:
    number = as_number(value)
    return number if number is not None else str(value).strip()


def _label(value: float | str) -> str:
    """Text form of a category when some categories are text: ``4.0`` reads ``4``."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise DataRefused(
            f"unknown level of measurement {level!r}", [f"use one of {', '.join(LEVELS)}"]
        )
    return level


@dataclass(frozen=True, eq=False)
class RatingTable:
    """Ratings pivoted to units × raters and coded for one level of measurement.

    ``codes[u, r]`` is NaN when rater r did not rate unit u. At interval and ratio level it holds
    the number itself; at nominal and ordinal level the index of the value in ``categories``
    (numeric order when every value is a number, else sorted text), so that ordinal statistics,
    which depend only on order, are exact. Only units and raters with at least one rating appear.
    """

    units: tuple[Hashable, ...]
    raters: tuple[Hashable, ...]
    codes: np.ndarray
    categories: tuple[float | str, ...]
    level: str

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def n_raters(self) -> int:
        return len(self.raters)

    @property
    def ratings_per_unit(self) -> np.ndarray:
        return (~np.isnan(self.codes)).sum(axis=1)

    @property
    def complete(self) -> bool:
        return not np.isnan(self.codes).any()

    def pairable(self) -> np.ndarray:
        """Rows of ``codes`` for the units rated by at least two raters (pairwise statistics)."""
        return self.codes[self.ratings_per_unit >= 2]

    @classmethod
    def from_rows(cls, rows: Iterable[Row], level: str = "interval") -> RatingTable:
        """Pivot ``(unit, rater, value)`` rows; a repeated (unit, rater) must repeat its value."""
        check_level(level)
        cells, units, raters = pivot(rows)
        values = list(cells.values())
        numeric = bool(values) and all(isinstance(v, float) for v in values)
        if level in ("interval", "ratio"):
            for (unit, rater), v in cells.items():
                if not isinstance(v, float):
                    raise DataRefused(
                        f"unit {unit!r}, rater {rater!r}: {v!r} is not a number",
                        [
                            f"{level} level needs numbers; use nominal or ordinal for text categories"
                        ],
                    )
                if level == "ratio" and v < 0:
                    raise DataRefused(
                        f"unit {unit!r}, rater {rater!r}: {v!r} is negative",
                        ["ratio level needs values of 0 or more"],
                    )
            categories: tuple = tuple(sorted(set(values)))
        elif numeric:
            categories = tuple(sorted(set(values)))
        else:
            categories = tuple(sorted({_label(v) for v in values}))
        index = {c: i for i, c in enumerate(categories)}
        used_units = [u for u in units if any((u, r) in cells for r in raters)]
        used_raters = [r for r in raters if any((u, r) in cells for u in units)]
        codes = np.full((len(used_units), len(used_raters)), np.nan)
        row_of = {u: i for i, u in enumerate(used_units)}
        col_of = {r: j for j, r in enumerate(used_raters)}
        for (unit, rater), v in cells.items():
            if level in ("interval", "ratio"):
                code = float(v)
            else:
                code = float(index[v if numeric else _label(v)])
            codes[row_of[unit], col_of[rater]] = code
        codes.setflags(write=False)
        return cls(tuple(used_units), tuple(used_raters), codes, categories, level)

    @classmethod
    def from_matrix(
        cls,
        matrix: Sequence[Sequence[object]] | np.ndarray,
        level: str = "interval",
        units: Sequence[Hashable] | None = None,
        raters: Sequence[Hashable] | None = None,
    ) -> RatingTable:
        """A units × raters matrix (None or NaN = missing) — the shape published examples use."""
        rows_in = [list(r) for r in matrix]
        width = max((len(r) for r in rows_in), default=0)
        unit_names = list(units) if units is not None else list(range(1, len(rows_in) + 1))
        rater_names = list(raters) if raters is not None else list(range(1, width + 1))
        rows = [
            (unit_names[i], rater_names[j], v)
            for i, r in enumerate(rows_in)
            for j, v in enumerate(r)
        ]
        return cls.from_rows(rows, level)


def pivot(
    rows: Iterable[Row],
) -> tuple[dict[tuple[Hashable, Hashable], float | str], list[Hashable], list[Hashable]]:
    """``{(unit, rater): value}`` without missing values, plus units and raters in first-seen order.

    Numbers (also numeric text such as ``"4"``) become floats, other values stripped text. A
    (unit, rater) given twice must carry the same value; a value and a missing one conflict.
    """
    cells: dict[tuple[Hashable, Hashable], float | str | None] = {}
    units: dict[Hashable, None] = {}
    raters: dict[Hashable, None] = {}
    for unit, rater, value in rows:
        units.setdefault(unit, None)
        raters.setdefault(rater, None)
        v = None if is_missing(value) else _normalise(value)
        key = (unit, rater)
        if key in cells and cells[key] != v:
            raise DataRefused(
                f"unit {unit!r}, rater {rater!r} is rated twice with different values "
                f"({cells[key]!r} and {v!r})",
                ["a rater gives one value per unit"],
            )
        cells[key] = v
    present = {k: v for k, v in cells.items() if v is not None}
    return present, list(units), list(raters)


def bootstrap_ci(
    n_units: int,
    replicate: Callable[[np.ndarray], np.ndarray],
    *,
    what: str,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[tuple[float, float] | None, str]:
    """Percentile 95 % interval from resampling units with replacement.

    ``replicate`` gets a (resamples × n_units) array of unit indices and returns one value per
    resample, NaN where the statistic is undefined for that resample; those are skipped and the
    note says how many were used. No interval when fewer than half the resamples were usable.
    """
    if n_units < 2 or resamples < 1:
        return None, "no interval: fewer than two units to resample"
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, n_units, size=(resamples, n_units))
    values = np.asarray(replicate(indices), dtype=float)
    usable = values[np.isfinite(values)]
    used = int(usable.size)
    head = f"bootstrap percentile interval, {resamples} resamples of {n_units} units"
    if used * 2 < resamples:
        return None, f"no interval: only {used} of {resamples} resamples had a defined {what}"
    lo, hi = np.percentile(usable, [2.5, 97.5])
    skipped = resamples - used
    tail = f", {skipped} skipped (undefined {what})" if skipped else ""
    return (float(lo), float(hi)), f"{head}, {used} used{tail}"


def resample_weights(indices: np.ndarray, n_units: int) -> np.ndarray:
    """How often each unit occurs in each resample: statistics that are sums over units become
    one matrix product instead of a Python loop."""
    weights = np.zeros((indices.shape[0], n_units))
    rows = np.repeat(np.arange(indices.shape[0]), indices.shape[1])
    np.add.at(weights, (rows, indices.ravel()), 1.0)
    return weights


def category_counts(codes: np.ndarray) -> np.ndarray:
    """Units × categories: how many raters put each unit in each category (NaN ignored)."""
    present = codes[~np.isnan(codes)]
    categories = np.unique(present)
    return (codes[..., None] == categories[None, None, :]).sum(axis=1).astype(float)


def basic_reason(table: RatingTable) -> str | None:
    """The reason shared by every statistic when the ratings cannot measure agreement at all."""
    if table.n_units == 0:
        return "no ratings: every value is missing"
    if table.n_raters < 2:
        return f"needs at least two raters; found {table.n_raters}"
    return None


def too_few_units(found: int, what: str = "units rated by two or more raters") -> str | None:
    """One unit says nothing about reliability: every statistic needs at least two."""
    if found >= 2:
        return None
    return f"needs at least 2 {what}; found {found}"
