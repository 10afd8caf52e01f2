"""``qa-studio --db FILE report dashboard|targets …``: the figures behind the KPI dashboard.

* ``report dashboard --period 2026-10 [--team NAME] [--agent EXT] [--channel C]
  [--scorecard KEY] [--json]`` prints every figure the Dashboard screen shows for that filter:
  QA score (n, mean, 95 % interval, pass rate), AHT, FCR, CSAT and service level, the targets that
  apply, target misses, the monthly trend, per-channel results, the Pareto of failed questions,
  compliance failures by regulation, the agent table with intervals and evidence flags, the
  QA-vs-CSAT and AHT-vs-QA correlations (no claim below n = 10) and evaluator turnaround.
* ``report targets list`` and ``report targets set METRIC VALUE [--team NAME] [--channel C]
  [--threshold-s S]`` read and edit the stored targets (each change audited).

Unknown teams, agents, scorecards or channels exit 1 with a message; a bad period exits 2.
"""

from __future__ import annotations

from qa_studio.domain.dashboard import METRICS
from qa_studio.domain.models import CHANNELS


def register(sub, common) -> None:
    report = sub.add_parser(
        "report",
        help="dashboard figures and KPI targets",
        description="The figures behind the KPI dashboard, and the targets they are judged by.",
    )
    kinds = report.add_subparsers(dest="report_kind", metavar="WHAT", required=True)
    dash = kinds.add_parser(
        "dashboard",
        parents=[common],
        help="every dashboard figure for a period and filter",
        description="QA score, AHT, FCR, CSAT, service level, targets and misses, trends, "
        "per-channel results, failed questions, regulations, agents with 95 % intervals, "
        "correlations and evaluator turnaround. Contacts belong to the period they were handled in.",
    )
    dash.add_argument("--period", required=True, metavar="YYYY-MM",
                      help="a month (2026-10), quarter (2026-Q3) or year (2026)")  # fmt: skip
    dash.add_argument("--team", metavar="NAME", help="one team")
    dash.add_argument("--agent", metavar="EXTERNAL_ID", help="one agent")
    dash.add_argument("--channel", choices=CHANNELS, help="one channel")
    dash.add_argument("--scorecard", metavar="KEY", help="one scorecard (every version)")
    dash.set_defaults(func=run_dashboard)

    targets = kinds.add_parser("targets", help="list or set KPI targets")
    actions = targets.add_subparsers(dest="targets_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="every stored target")
    listing.set_defaults(func=run_targets_list)
    setter = actions.add_parser(
        "set",
        parents=[common],
        help="set one target (audited)",
        description="Set a target for the workspace, a team, a channel, or a team on a channel. "
        "The most specific target applies. Service level is the share of contacts answered "
        "within --threshold-s seconds of queue wait (default 20).",
    )
    setter.add_argument("metric", choices=METRICS)
    setter.add_argument("value", type=float)
    setter.add_argument("--team", metavar="NAME")
    setter.add_argument("--channel", choices=CHANNELS)
    setter.add_argument("--threshold-s", dest="threshold_s", type=float, metavar="SECONDS",
                        help="service level only: seconds of queue wait counted as in time")  # fmt: skip
    setter.set_defaults(func=run_targets_set)


def _fmt(value: float | None, places: int = 1, unit: str = "") -> str:
    return "–" if value is None else f"{value:.{places}f}{unit}"


def _text(dash) -> str:
    q, k, t = dash.qa, dash.kpi, dash.targets
    p = dash.query.period
    lines = [
        f"Dashboard {p.label} ({p.first} – {p.last})",
        f"QA score   {_fmt(q.mean)} % (n {q.n}, 95 % CI {_fmt(q.low)}–{_fmt(q.high)}, "
        f"pass {_fmt(q.pass_rate)} %) target {_fmt(t['qa_score'])}",
        f"AHT        {_fmt(k.aht_s, 0)} s (n {k.aht_n}) target {_fmt(t['aht_s'], 0)}",
        f"FCR        {_fmt(k.fcr_pct)} % (n {k.fcr_n}) target {_fmt(t['fcr_pct'])}",
        f"CSAT       {_fmt(k.csat, 2)} (n {k.csat_n}) target {_fmt(t['csat'], 2)}",
        f"Service    {_fmt(k.service_level_pct)} % within {dash.sl_threshold_s:g} s "
        f"(n {k.sl_n}) target {_fmt(t['service_level_pct'])}",
        f"QA vs CSAT {dash.qa_vs_csat.note}",
        f"AHT vs QA  {dash.aht_vs_qa.note}",
        f"Turnaround contact → evaluation {_fmt(dash.median_days_to_evaluation)} days, "
        f"evaluation → coaching {_fmt(dash.median_days_to_coaching)} days (medians)",
        f"Target misses: {len(dash.misses)}",
    ]
    lines += [f"  {m.problem()}" for m in dash.misses]
    return "\n".join(lines)


def run_dashboard(ctx) -> int:
    from qa_studio.domain.periods import parse_period
    from qa_studio.storage.repository.dashboard import DashboardQuery, dashboard

    args = ctx.args
    period = parse_period(args.period)
    ws = ctx.workspace(create=False)
    query = DashboardQuery(period, args.team, args.agent, args.channel, args.scorecard)
    dash = dashboard(ws, query)
    ctx.emit(dash.as_dict(), _text(dash))
    return 0


def _target_doc(t) -> dict:
    return {
        "uuid": t.uuid, "team": t.team, "channel": t.channel, "metric": t.metric,
        "value": t.value, "threshold_s": t.threshold_s, "updated_at": t.updated_at,
        "updated_by": t.updated_by,
    }  # fmt: skip


def _target_line(t) -> str:
    return f"{t.team or 'all teams'} · {t.channel or 'all channels'}: {t.label}"


def run_targets_list(ctx) -> int:
    from qa_studio.storage.repository.targets import list_targets

    rows = list_targets(ctx.workspace(create=False))
    ctx.emit({"targets": [_target_doc(t) for t in rows]},
             "\n".join(_target_line(t) for t in rows) or "No targets stored (defaults apply).")  # fmt: skip
    return 0


def run_targets_set(ctx) -> int:
    from qa_studio.storage.repository.targets import set_target

    a = ctx.args
    t = set_target(ctx.workspace(create=False), a.metric, a.value, team=a.team,
                   channel=a.channel, threshold_s=a.threshold_s)  # fmt: skip
    ctx.emit({"target": _target_doc(t)}, f"Set {_target_line(t)}")
    return 0
