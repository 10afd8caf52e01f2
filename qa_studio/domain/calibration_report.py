"""Agreement reports for a calibration session, from its ratings (pure Python).

The units and levels (issue 7 § 2), decided once here so the command, the screen and the charts
agree:

* a **rating** is one evaluator's answer to one question on one interaction, as the question's
  fraction from SCORECARDS.md (yes 1 / no 0, scale position, points share); N/A is a missing
  rating;
* ICC and Krippendorff's α read the fractions at **interval** level, so "4 against 5" on a scale
  is a smaller disagreement than "1 against 5"; percent agreement counts identical answers;
* Cohen's and Fleiss' κ read the **raw answer values** as nominal categories ("yes", 4, "Full"),
  as κ was made for — a yes and a 5-out-of-5 are different categories even though both are
  worth a fraction of 1;
* per question, the units are the session's interactions; overall, every (interaction,
  question) pair is a unit;
* on the form, the rating is the evaluation's percent score and the units are the interactions,
  so it needs at least two interactions. κ does not apply to percent scores (they are
  measurements, not categories): the reason says so instead of a number that means nothing.

Rows are ``(unit, rater, value)`` as ``agreement.agreement_report`` takes them; the bootstrap
resamples units in the order they first appear, so callers give them in session order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from qa_studio.domain.agreement import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    ICC_FORMS,
    WEIGHTS,
    EvaluatorDeviation,
    RatingTable,
    Row,
    Stat,
    cohen_kappas,
    fleiss_kappa,
    icc,
    krippendorff_alpha,
    percent_agreement,
    statistics_doc,
)
from qa_studio.domain.interpretation import interpret

#: Levels of measurement used for a session's answers.
FRACTION_LEVEL = "interval"
KAPPA_LEVEL = "nominal"
FORM_NEEDS_INTERACTIONS = 2
KAPPA_ON_PERCENT = (
    "κ is for categories; form percent scores are measurements, so read ICC and "
    "Krippendorff's α for the form"
)


def _report(
    scale_table: RatingTable,
    fleiss: Stat,
    cohen: dict[str, Stat],
    *,
    kappa_level: str | None,
    resamples: int,
    seed: int,
) -> dict:
    percent = percent_agreement(scale_table, resamples=resamples, seed=seed)
    alpha = krippendorff_alpha(scale_table, resamples=resamples, seed=seed)
    return statistics_doc(
        scale_table, percent, alpha, fleiss, cohen, icc(scale_table), kappa_level=kappa_level
    )


def answers_report(
    fraction_rows: Iterable[Row],
    raw_rows: Iterable[Row],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict:
    """The report for answers: percent agreement, α and ICC on the fractions (interval), Fleiss'
    and Cohen's κ on the raw values (nominal); the same keys as ``agreement_report``."""
    fractions = RatingTable.from_rows(fraction_rows, FRACTION_LEVEL)
    raw = RatingTable.from_rows(raw_rows, KAPPA_LEVEL)
    return _report(
        fractions,
        fleiss_kappa(raw, resamples=resamples, seed=seed),
        cohen_kappas(raw),
        kappa_level=KAPPA_LEVEL,
        resamples=resamples,
        seed=seed,
    )


def not_applicable_report(reason: str, level: str, n_units: int, n_raters: int) -> dict:
    """A report of the usual shape in which every statistic is null with ``reason``."""
    stat = Stat.not_applicable(reason, n_units)
    sentence = interpret(stat, "percent")
    return {
        "level": level,
        "kappa_level": None,
        "n_units": n_units,
        "n_raters": n_raters,
        "reason": reason,
        "percent_agreement": stat.as_dict(),
        "krippendorff_alpha": stat.as_dict(),
        "fleiss_kappa": stat.as_dict(),
        "cohen_kappa": {w: stat.as_dict() for w in WEIGHTS},
        "icc": {f: stat.as_dict() for f in ICC_FORMS},
        "interpretation": {
            "percent_agreement": sentence,
            "krippendorff_alpha": sentence,
            "fleiss_kappa": sentence,
            "cohen_kappa": dict.fromkeys(WEIGHTS, sentence),
            "icc": dict.fromkeys(ICC_FORMS, sentence),
        },
    }


def form_report(
    percent_rows: list[Row],
    n_interactions: int,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict:
    """Agreement on form percent scores, units = interactions (interval level); null with the
    reason when the session has fewer than two interactions."""
    raters = len({r for _u, r, v in percent_rows if v is not None})
    if n_interactions < FORM_NEEDS_INTERACTIONS:
        return not_applicable_report(
            "form-level agreement needs at least two interactions: each evaluator gives one "
            f"percent score per interaction, and this session has {n_interactions}",
            FRACTION_LEVEL,
            n_interactions,
            raters,
        )
    table = RatingTable.from_rows(percent_rows, FRACTION_LEVEL)
    kappa = Stat.not_applicable(KAPPA_ON_PERCENT, table.n_units)
    report = _report(
        table,
        kappa,
        dict.fromkeys(WEIGHTS, kappa),
        kappa_level=None,
        resamples=resamples,
        seed=seed,
    )
    report["reason"] = None
    return report


def _points(value: float) -> str:
    return f"{value:+.1f} points"


def deviation_sentence(dev: EvaluatorDeviation, tolerance: float, has_expert: bool) -> str:
    """Plain English for one evaluator, always with n: direction, size and the tolerance band."""
    parts = []
    pairs = [("the consensus (median of the others)", dev.vs_consensus)]
    if dev.vs_expert is not None:
        pairs.insert(0, ("the expert", dev.vs_expert))
    for who, d in pairs:
        if d.n == 0 or d.mean_signed is None or d.mean_absolute is None:
            parts.append(f"no interaction to compare with {who} (n = 0)")
            continue
        lean = (
            "more lenient"
            if d.mean_signed > 0.5
            else "harsher"
            if d.mean_signed < -0.5
            else "in line"
        )
        within = round((d.within_tolerance or 0.0) * d.n)
        parts.append(
            f"{_points(d.mean_signed)} against {who} on average ({lean}), "
            f"{d.mean_absolute:.1f} apart, within ±{tolerance:g} on {within} of {d.n} "
            f"(n = {d.n} interactions)"
        )
    role = " (the expert)" if has_expert and dev.vs_expert is None else ""
    return f"{dev.rater}{role}: " + "; ".join(parts)


def rows_in_order(
    cells: Mapping[tuple[Hashable, Hashable], object],
    units: Iterable[Hashable],
    raters: Iterable[Hashable],
) -> list[Row]:
    """``(unit, rater, value)`` rows in unit-then-rater order for the cells present."""
    rater_list = list(raters)
    return [(u, r, cells[(u, r)]) for u in units for r in rater_list if (u, r) in cells]
