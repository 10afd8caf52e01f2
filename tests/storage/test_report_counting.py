"""Agent reports (coaching packs, coaching screen) count evaluations by the one counting rule in
``repository.counting``: a calibration session that counts toward scores counts only once it is
closed — while it is open (and blind) its scores would leak through the agent's report."""

from __future__ import annotations

import pytest

from qa_studio.storage.repository import calibration, chart_data, reporting
from tests.export.chart_fixtures import score_all
from tests.storage.eval_helpers import seed

GOOD = {"greet": "yes", "empathy": 5, "idv": "yes", "cvv": "yes"}


def _report(ws, agent: str = "A1"):
    info = reporting.resolve_agents(ws, agent=agent)
    period = chart_data.chart_period(ws, chart_data.find_agent(ws, agent), months=1).months()[-1]
    [report] = reporting.agent_reports(ws, info, period, trend_months=1)
    return report


def test_an_open_counting_session_is_left_out_of_the_agent_report_until_closed(ws):
    made = seed(ws, n_interactions=2)
    ids = [made["interactions"][0]]  # INT-1, handled by A1
    counting = calibration.create_session(
        ws, "Counts", made["v1"].id, ids, ["Ann", "Bo"], counts_toward_scores=True
    )
    quiet = calibration.create_session(ws, "Does not count", made["v1"].id, ids, ["Ann", "Bo"])
    for session in (counting, quiet):
        score_all(ws, session.id, {"Ann": GOOD, "Bo": GOOD})

    report = _report(ws)
    assert (report.summary.n, report.team.n) == (0, 0)  # open: nothing counts yet
    assert report.evidence == () and report.scorecards == ()

    calibration.close_session(ws, quiet.id)
    assert _report(ws).summary.n == 0  # closed, but this session does not count

    calibration.close_session(ws, counting.id)
    report = _report(ws)
    assert (report.summary.n, report.team.n) == (2, 2)  # Ann's and Bo's scores of INT-1
    assert report.summary.mean == pytest.approx(100.0)
    assert [n for *_, n in report.scorecards] == [2]
