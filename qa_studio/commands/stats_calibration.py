"""``qa-studio --db FILE stats calibration SESSION_ID [--tolerance P] [--json]``.

The session's agreement statistics — on the form, overall and per question — each evaluator's
deviation from the expert and from the consensus, and N/A rates compared with colleagues
(``calibration.session_results``). Refused (exit 1) while the session is blind and open: the
results would reveal the answers the session hides.
"""

from __future__ import annotations

from qa_studio.domain.agreement import Stat
from qa_studio.domain.agreement_evaluators import DEFAULT_TOLERANCE
from qa_studio.domain.interpretation import verdict
from qa_studio.errors import UsageError


def register_calibration(stats_sub, common) -> None:
    c = stats_sub.add_parser(
        "calibration",
        parents=[common],
        help="agreement statistics of a calibration session",
        description="Agreement on the form, overall and per question (percent agreement, "
        "Krippendorff's alpha, Fleiss' and Cohen's kappa, ICC), each evaluator's deviation "
        "from the expert and the consensus, and N/A rates. Refused while the session is blind "
        "and open.",
    )
    c.add_argument("session", type=int, metavar="SESSION_ID")
    c.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        metavar="POINTS",
        help=f"tolerance band in percentage points (default ±{DEFAULT_TOLERANCE:g})",
    )
    c.set_defaults(func=run_calibration)


def run_calibration(ctx) -> int:
    from qa_studio.storage.repository.calibration import session_results

    if not 0 <= ctx.args.tolerance <= 100:
        raise UsageError(f"--tolerance must be between 0 and 100 (got {ctx.args.tolerance:g})")
    results = session_results(ctx.workspace(), ctx.args.session, tolerance=ctx.args.tolerance)
    doc = results.as_dict()
    ctx.emit(doc, format_results(doc))
    return 0


def _cell(doc: dict) -> str:
    stat = Stat.from_dict(doc)
    return f"{stat.value:6.2f}" if stat.value is not None else f"{'—':>6}"


def _headline(label: str, report: dict) -> list[str]:
    alpha = Stat.from_dict(report["krippendorff_alpha"])
    percent = Stat.from_dict(report["percent_agreement"])
    return (
        [
            f"{label}: {report['n_units']} units, {report['n_raters']} evaluators",
            f"  Krippendorff's alpha: {report['interpretation']['krippendorff_alpha']}",
            f"  percent agreement:    {report['interpretation']['percent_agreement']}",
            f"  ICC2 (two-way random): {report['interpretation']['icc']['ICC2']}",
        ]
        if alpha.value is not None or percent.value is not None
        else [f"{label}: {verdict(alpha, 'alpha')} (n = {alpha.n} units)"]
    )


def format_results(doc: dict) -> str:
    """A readable summary: headline statistics, a per-question table, evaluators, N/A flags."""
    s = doc["session"]
    lines = [
        f"Calibration session {s['id']}: {s['name']} ({s['scorecard']}, {s['status']})",
        f"Evaluators: {', '.join(s['evaluators'])}"
        + (f"; expert {s['expert']}" if s["expert"] else ""),
        f"Interactions: {', '.join(s['interactions'])}",
        "",
    ]
    lines += _headline("Form percent scores", doc["form"])
    lines += _headline("All answers", doc["overall"])
    lines += ["", "Per question (units = interactions):"]
    width = max((len(k) for k in doc["questions"]), default=8)
    lines.append(f"  {'question':<{width}}  {'n':>3}  {'agree':>6}  {'alpha':>6}  {'kappa':>6}")
    for key, report in doc["questions"].items():
        lines.append(
            f"  {key:<{width}}  {report['n_units']:>3}  {_cell(report['percent_agreement'])}  "
            f"{_cell(report['krippendorff_alpha'])}  {_cell(report['fleiss_kappa'])}"
        )
    lines += ["", f"Evaluators (form percent; tolerance ±{doc['tolerance']:g} points):"]
    lines += [f"  {e['interpretation']}" for e in doc["evaluators"].values()]
    flagged = [
        f"  {rate['rater']} marks '{q}' N/A in {rate['n_na']} of {rate['n']} "
        f"({rate['rate']:.0%}; colleagues {rate['colleagues_rate']:.0%})"
        for q, per in doc["na_rates"].items()
        for rate in per.values()
        if rate["flagged"]
    ]
    if flagged:
        lines += ["", "N/A at least twice as often as colleagues:", *flagged]
    return "\n".join(lines)
