"""Plain-English bands for agreement statistics, always said together with n.

A team leader should not need to know that κ = 0.43 is "moderate"; but a band without its n
invites over-reading a handful of calls, so every sentence carries the number of units (and the
interval when there is one — Koo & Li advise reading the band off the whole interval).

Bands, each as (lower bound inclusive, label):

* Cohen's and Fleiss' κ — Landis & Koch (1977): < 0 poor, 0–0.20 slight, 0.21–0.40 fair,
  0.41–0.60 moderate, 0.61–0.80 substantial, 0.81–1 almost perfect.
* ICC — Koo & Li (2016): < 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, > 0.9 excellent.
* Krippendorff's α — Krippendorff (2004): ≥ 0.8 reliable, 0.667–0.8 tentative conclusions only,
  < 0.667 unreliable.
"""

from __future__ import annotations

from typing import Literal

from qa_studio.domain.agreement_data import Stat

Kind = Literal["kappa", "icc", "alpha", "percent"]

#: Upper bounds (value ≤ bound) and labels, lowest band first; the last band has no bound.
KAPPA_BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "poor"),  # strictly below 0
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (float("inf"), "almost perfect"),
)
#: Lower bounds (value ≥ bound) for ICC and α, highest band first.
ICC_BANDS: tuple[tuple[float, str], ...] = (
    (0.9, "excellent"),  # strictly above 0.9
    (0.75, "good"),
    (0.5, "moderate"),
    (float("-inf"), "poor"),
)
ALPHA_BANDS: tuple[tuple[float, str], ...] = (
    (0.8, "reliable"),
    (0.667, "tentative conclusions only"),
    (float("-inf"), "unreliable"),
)
SOURCES = {
    "kappa": "Landis & Koch 1977",
    "icc": "Koo & Li 2016",
    "alpha": "Krippendorff 2004",
}


def kappa_band(value: float) -> str:
    """Landis & Koch's label for κ; values are rounded to 2 decimals as the bands are written."""
    v = round(value, 2)
    if v < 0:
        return "poor"
    for bound, label in KAPPA_BANDS[1:]:
        if v <= bound:
            return label
    return KAPPA_BANDS[-1][1]


def icc_band(value: float) -> str:
    """Koo & Li's label: > 0.9 excellent, 0.75–0.9 good, 0.5–0.75 moderate, < 0.5 poor."""
    if value > 0.9:
        return "excellent"
    for bound, label in ICC_BANDS[1:]:
        if value >= bound:
            return label
    return "poor"


def alpha_band(value: float) -> str:
    """Krippendorff's label: ≥ 0.8 reliable, ≥ 0.667 tentative conclusions only, else unreliable."""
    for bound, label in ALPHA_BANDS:
        if value >= bound:
            return label
    return ALPHA_BANDS[-1][1]


def band(kind: Kind, value: float) -> str:
    if kind == "kappa":
        return f"{kappa_band(value)} agreement"
    if kind == "icc":
        return f"{icc_band(value)} reliability"
    if kind == "alpha":
        return alpha_band(value)
    return f"{value:.0%} of rater pairs give the same value (not corrected for chance)"


def _band_only(kind: Kind, value: float) -> str:
    return {"kappa": kappa_band, "icc": icc_band, "alpha": alpha_band}[kind](value)


def verdict(stat: Stat, kind: Kind) -> str:
    """The band with its source (and the bands the interval spans), or why there is no value."""
    if stat.value is None:
        return f"not available: {stat.reason}"
    text = band(kind, stat.value)
    if kind != "percent":
        text += f" ({SOURCES[kind]})"
        if stat.ci95 is not None:
            low, high = (_band_only(kind, stat.ci95[0]), _band_only(kind, stat.ci95[1]))
            if low != high:
                text += f"; the interval spans {low} to {high}"
    return text


def interpret(stat: Stat, kind: Kind, unit_word: str = "units") -> str:
    """One sentence: value, interval, band with its source, and n — or why there is no value."""
    n_text = f"n = {stat.n} {unit_word}"
    if stat.value is None:
        return f"{verdict(stat, kind)} ({n_text})"
    text = f"{stat.value:.2f}"
    if stat.ci95 is not None:
        text += f" (95 % CI {stat.ci95[0]:.2f} to {stat.ci95[1]:.2f})"
    return f"{text}: {verdict(stat, kind)}; {n_text}"
