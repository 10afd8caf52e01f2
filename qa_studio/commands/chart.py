"""``qa-studio --db FILE chart agent|calibration …``: charts as PNG files, without a display.

* ``chart agent AGENT --out FILE.png [--months N | --from DATE --to DATE]`` writes the agent's
  score trend by month (mean, 95 % interval, team mean, target). When an evaluator who scored the
  agent in the period has a leniency offset from closed calibration sessions, it also writes the
  calibration view — scores by evaluator, raw and less each evaluator's offset — beside it as
  ``FILE-calibration.png``. Default period: the six whole months ending with the month of the
  agent's latest contact.
* ``chart calibration SESSION_ID --out FILE.png [--kind deviation|questions|heatmap|all]``
  writes a closed (or non-blind) session's charts: deviation from the expert or consensus with
  the tolerance band, agreement by question, the evaluator × question heat map; ``all`` (the
  default) stacks the three in one image.

Prints the files written (``{"files": [...]}`` with ``--json``). An unknown agent or session, an
agent without counted evaluations in the period, a blind session still open, or a folder that
does not exist exits 1 with a message; bad options exit 2. The application is started with the
``offscreen`` platform when there is no display (``export.charts.ensure_app``).
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.domain.agreement_evaluators import DEFAULT_TOLERANCE
from qa_studio.errors import DataRefused, UsageError

KINDS = ("deviation", "questions", "heatmap", "all")


def register(sub, common) -> None:
    chart = sub.add_parser(
        "chart",
        help="write a chart as PNG: an agent's trend, or a calibration session",
        description="Write charts as PNG files (1000 pixels wide, white background). Works "
        "without a display.",
    )
    kinds = chart.add_subparsers(dest="chart_kind", metavar="WHAT", required=True)
    agent = kinds.add_parser(
        "agent",
        parents=[common],
        help="an agent's score by month (and scores by evaluator when calibrated)",
        description="The agent's monthly mean score with a 95 % interval, the team's mean and "
        "the target. When evaluators of this agent have leniency offsets from closed calibration "
        "sessions, also OUT-calibration.png: the agent's scores by evaluator, raw and adjusted.",
    )
    agent.add_argument("agent", metavar="AGENT", help="the agent's external id")
    agent.add_argument("--out", required=True, metavar="FILE.png", help="PNG file to write")
    agent.add_argument("--months", type=int, metavar="N",
                       help="whole months ending with the agent's latest contact (default 6)")  # fmt: skip
    agent.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
    agent.add_argument("--to", dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD)")
    agent.set_defaults(func=run_agent)
    session = kinds.add_parser(
        "calibration",
        parents=[common],
        help="a calibration session's deviation, agreement and disagreement charts",
        description="Deviation from the expert (or consensus) with the tolerance band, "
        "agreement by question (Krippendorff's alpha, percent agreement) and the evaluator x "
        "question heat map. Refused while the session is blind and open.",
    )
    session.add_argument("session", type=int, metavar="SESSION_ID")
    session.add_argument("--out", required=True, metavar="FILE.png", help="PNG file to write")
    session.add_argument("--kind", choices=KINDS, default="all",
                         help="which chart; 'all' stacks the three in one image (default)")  # fmt: skip
    session.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, metavar="POINTS",
                         help=f"tolerance band in points (default ±{DEFAULT_TOLERANCE:g})")  # fmt: skip
    session.set_defaults(func=run_calibration)


def _out(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() != ".png":
        raise UsageError(f"--out {text}: the file name must end in .png")
    return path


def calibration_path(out: Path) -> Path:
    """Where ``chart agent`` writes the calibration view beside the trend chart."""
    return out.with_name(f"{out.stem}-calibration{out.suffix}")


def _period(ctx, ws, agent):
    from qa_studio.domain.periods import period_between
    from qa_studio.storage.repository.chart_data import DEFAULT_MONTHS, chart_period

    args = ctx.args
    ranged = args.date_from is not None or args.date_to is not None
    if ranged and args.months is not None:
        raise UsageError("give either --months or --from/--to, not both.")
    if ranged:
        if args.date_from is None or args.date_to is None:
            raise UsageError("give both --from DATE and --to DATE.")
        return period_between(args.date_from, args.date_to)
    return chart_period(ws, agent, months=args.months or DEFAULT_MONTHS)


def run_agent(ctx) -> int:
    from qa_studio.export.charts import export_agent_calibration_png, export_agent_trend_png
    from qa_studio.storage.repository.chart_data import agent_calibration, agent_trend, find_agent

    out = _out(ctx.args.out)
    ws = ctx.workspace(create=False)
    agent = find_agent(ws, ctx.args.agent)
    period = _period(ctx, ws, agent)
    trend = agent_trend(ws, agent, period)
    if trend.n == 0:
        raise DataRefused(
            f"agent {agent.external_id} ({agent.name}) has no counted evaluations of contacts "
            f"from {period.first} to {period.last}: there is nothing to chart.",
            ["Choose another period with --months N or --from DATE --to DATE."],
        )
    files = [export_agent_trend_png(trend, out)]
    calibration = agent_calibration(ws, agent, period)
    if calibration.has_calibration:
        files.append(export_agent_calibration_png(calibration, calibration_path(out)))
    doc = {
        "files": [str(f) for f in files],
        "agent": agent.external_id,
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "months": [
            {
                "month": m.month,
                "n": m.n,
                "mean": m.mean,
                "ci95": [m.ci_low, m.ci_high],
                "team_n": m.team_n,
                "team_mean": m.team_mean,
            }
            for m in trend.months
        ],
        "target": trend.target,
        "calibrated": calibration.has_calibration,
    }
    ctx.emit(doc, "\n".join(doc["files"]))
    return 0


def run_calibration(ctx) -> int:
    from qa_studio.export.charts import export_calibration_png
    from qa_studio.storage.repository.calibration import session_results
    from qa_studio.storage.repository.chart_data_calibration import calibration_charts

    out = _out(ctx.args.out)
    if not 0 <= ctx.args.tolerance <= 100:
        raise UsageError(f"--tolerance must be between 0 and 100 (got {ctx.args.tolerance:g})")
    ws = ctx.workspace(create=False)
    results = session_results(ws, ctx.args.session, tolerance=ctx.args.tolerance)
    if not any(v is not None for v in results.scores.values()):
        raise DataRefused(
            f"calibration session {results.session.id} ({results.session.name}) has no "
            "submitted evaluations: there is nothing to chart."
        )
    path = export_calibration_png(calibration_charts(results), out, ctx.args.kind)
    doc = {"files": [str(path)], "session": results.session.id, "kind": ctx.args.kind}
    ctx.emit(doc, str(path))
    return 0
