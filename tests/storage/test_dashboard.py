"""Dashboard figures on constructed data; every expected number is worked by hand in
``tests/storage/dashboard_data.py``."""

from __future__ import annotations

import json

import pytest

from qa_studio.domain import dashboard as d
from qa_studio.domain.periods import parse_period
from qa_studio.errors import DataRefused
from qa_studio.storage.repository import targets as t
from qa_studio.storage.repository.dashboard import DashboardQuery, dashboard
from qa_studio.storage.repository.reporting import kpi_targets
from qa_studio.storage.repository.training_needs import training_matrix
from tests.storage import dashboard_data

OCT = parse_period("2026-10")


@pytest.fixture
def data(ws):
    return dashboard_data.build(ws)


def test_quality_figures_count_only_counted_evaluations(ws, data):
    dash = dashboard(ws, DashboardQuery(OCT))
    # 8 counted (the draft E9 and September's E0 are out); Σ 630 → 78.75; 4 of 8 reach 85.
    assert dash.qa.n == 8
    assert dash.qa.mean == pytest.approx(78.75)
    assert dash.qa.n_pass == 4 and dash.qa.pass_rate == pytest.approx(50.0)
    blue = dashboard(ws, DashboardQuery(OCT, team="Blue"))
    assert (blue.qa.n, blue.qa.mean, blue.qa.pass_rate) == (5, pytest.approx(80.0), 40.0)
    voice = {c.channel: c for c in dash.channels}
    assert voice["voice"].qa.n == 7 and voice["voice"].qa.mean == pytest.approx(580 / 7)
    assert voice["chat"].qa.mean == pytest.approx(50.0)


def test_contact_kpis(ws, data):
    k = dashboard(ws, DashboardQuery(OCT)).kpi
    assert (k.aht_s, k.aht_n) == (pytest.approx(380.0), 7)
    assert (k.fcr_pct, k.fcr_n) == (pytest.approx(500 / 7), 7)
    assert (k.csat, k.csat_n) == (pytest.approx(4.0), 7)
    # Answered within 20 s (inclusive): I1, I3, I5, I6, I7 of nine with a wait (I9 abandoned).
    assert (k.service_level_pct, k.sl_n) == (pytest.approx(500 / 9), 9)
    blue = dashboard(ws, DashboardQuery(OCT, team="Blue")).kpi
    assert blue.aht_s == pytest.approx(400.0)
    assert blue.fcr_pct == pytest.approx(60.0)
    assert blue.csat == pytest.approx(3.5)
    assert blue.service_level_pct == pytest.approx(60.0)


def test_service_level_threshold_follows_the_target(ws, data):
    t.set_target(ws, d.SERVICE_LEVEL, 80, threshold_s=30)
    # Within 30 s: I1, I2, I3, I4, I5, I6, I7 → 7 of 9.
    assert dashboard(ws, DashboardQuery(OCT)).kpi.service_level_pct == pytest.approx(700 / 9)


def test_pareto_and_regulations(ws, data):
    dash = dashboard(ws, DashboardQuery(OCT))
    bars = [(b.label, b.count, round(b.share, 6), round(b.cumulative, 6)) for b in dash.pareto]
    assert bars == [
        ("voice_example.greet", 5, 50.0, 50.0),
        ("voice_example.idv", 3, 30.0, 80.0),
        ("voice_example.cvv", 1, 10.0, 90.0),
        ("voice_example.empathy", 1, 10.0, 100.0),
    ]
    empathy = next(x for x in dash.questions if x.key == "empathy")
    assert (empathy.assessed, empathy.failed) == (7, 1)  # E8's N/A is not assessed
    regs = [(r.regulation, r.failed, r.assessed) for r in dash.regulations]
    assert regs == [("UK GDPR Art. 5(1)(f)", 3, 8), ("PCI DSS 3.3.1", 1, 8)]


def test_trend_and_agent_table(ws, data):
    dash = dashboard(ws, DashboardQuery(OCT))
    months = {m.month: m for m in dash.trend}
    assert len(dash.trend) == 6 and dash.trend[-1].month == "2026-10"
    assert (months["2026-09"].qa.n, months["2026-09"].qa.mean) == (1, 70.0)
    assert months["2026-10"].qa.mean == pytest.approx(78.75)
    assert months["2026-10"].kpi.aht_s == pytest.approx(380.0)
    assert months["2026-08"].qa.n == 0 and months["2026-08"].qa.mean is None
    a1 = next(a for a in dash.agents if a.external_id == "A1")
    # 90, 80, 100: sd 10, t(0.975, 2) = 4.3027 → ±24.84; three evaluations: not enough.
    assert a1.qa.mean == pytest.approx(90.0)
    assert a1.qa.half_width == pytest.approx(4.302653 * 10 / 3**0.5, rel=1e-5)
    assert a1.qa.low == pytest.approx(90 - 24.8414, abs=1e-3)
    assert a1.qa.enough is False
    assert a1.kpi.csat == pytest.approx(4.5) and a1.kpi.aht_s == pytest.approx(1000 / 3)
    # Three agents: r is shown but no claim is made.
    assert dash.qa_vs_csat.n == 3 and dash.qa_vs_csat.claim is False
    assert dash.qa_vs_csat.low is None


def test_turnaround(ws, data):
    dash = dashboard(ws, DashboardQuery(OCT))
    assert dash.median_days_to_evaluation == pytest.approx(3.0)
    assert dash.median_days_to_coaching == pytest.approx(1.0)
    rows = {r.evaluator: r for r in dash.evaluators}
    assert (rows["Ann"].evaluations, rows["Ann"].median_days_to_evaluation) == (4, 2.0)
    assert (rows["Ann"].coached, rows["Ann"].median_days_to_coaching) == (2, 0.5)
    assert (rows["Bo"].evaluations, rows["Bo"].median_days_to_coaching) == (4, 3.0)


def test_targets_and_misses(ws, data):
    t.set_target(ws, d.QA_SCORE, 80)
    t.set_target(ws, d.QA_SCORE, 75, team="Blue")
    t.set_target(ws, d.QA_SCORE, 60, channel="chat")
    t.set_target(ws, d.CSAT, 3.9)
    dash = dashboard(ws, DashboardQuery(OCT))
    missed = {(m.metric, m.channel) for m in dash.misses}
    # All: QA 78.75 < 80; AHT 380 > 360 (pack default); FCR 71.4 < 75; SL 55.6 < 80.
    # CSAT 4.0 ≥ 3.9 is met. Voice QA 82.9 ≥ 80 is met; chat 50 < 60 is missed.
    assert (d.QA_SCORE, None) in missed and (d.QA_SCORE, "chat") in missed
    assert (d.QA_SCORE, "voice") not in missed
    assert (d.CSAT, None) not in missed
    assert {(d.AHT, None), (d.FCR, None), (d.SERVICE_LEVEL, None)} <= missed
    chat = next(m for m in dash.misses if m.channel == "chat" and m.metric == d.QA_SCORE)
    assert (chat.actual, chat.target, chat.n) == (50.0, 60.0, 1)
    assert "50.0 against a target of 60" in chat.problem()
    blue = dashboard(ws, DashboardQuery(OCT, team="Blue"))
    assert blue.targets[d.QA_SCORE] == 75.0  # the team's own target, most specific first
    assert all(m.metric != d.QA_SCORE or m.channel == "chat" for m in blue.misses)


def test_set_target_is_audited_and_feeds_packs(ws, data):
    before = ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    t.set_target(ws, d.AHT, 300)
    t.set_target(ws, d.AHT, 320)
    assert len(t.list_targets(ws)) == 1
    rows = ws.db.execute(
        "SELECT action, payload FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert rows[0] == "target.set" and json.loads(rows[1])["previous"] == 300
    assert ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before + 2
    packs = kpi_targets(ws)
    assert packs.aht_s == 320.0 and "aht_s" in packs.from_settings
    t.delete_target(ws, t.list_targets(ws)[0].uuid)
    assert kpi_targets(ws).aht_s == 360.0


def test_bad_targets_are_refused(ws, data):
    with pytest.raises(DataRefused, match="unknown team 'Green'"):
        t.set_target(ws, d.QA_SCORE, 80, team="Green")
    with pytest.raises(DataRefused, match="at most 100"):
        t.set_target(ws, d.FCR, 120)
    with pytest.raises(DataRefused, match="1 to 5"):
        t.set_target(ws, d.CSAT, 7)
    with pytest.raises(DataRefused, match="unknown metric"):
        t.set_target(ws, "speed", 1)
    assert t.list_targets(ws) == []


def test_filters_refuse_unknown_names(ws, data):
    with pytest.raises(DataRefused, match="unknown team"):
        dashboard(ws, DashboardQuery(OCT, team="Nope"))
    with pytest.raises(DataRefused, match="unknown scorecard"):
        dashboard(ws, DashboardQuery(OCT, scorecard="nope"))


def test_agent_and_channel_filters(ws, data):
    a3 = dashboard(ws, DashboardQuery(OCT, agent="A3"))
    assert a3.qa.n == 3 and a3.qa.mean == pytest.approx(230 / 3)
    chat = dashboard(ws, DashboardQuery(OCT, channel="chat"))
    # One channel chosen: its own handle time counts (900 s).
    assert chat.qa.n == 1 and chat.kpi.aht_s == pytest.approx(900.0)


def test_training_matrix(ws, data):
    m = training_matrix(ws, DashboardQuery(OCT))
    assert m.agents == ("Alex", "Sam", "Kim")
    greet = m.questions.index("voice_example.greet")
    # greet: Alex 2/3 = 66.7 %, Sam 2/2 = 100 %, Kim 1/3 = 33.3 % (E8 mystery shop included).
    assert [round(r[greet], 1) for r in m.rates] == [66.7, 100.0, 33.3]
    flagged = {(n.team, n.question) for n in m.needs}
    # Blue greet: 2 of 2 agents over 30 % → need; Red greet: Kim 33.3 % → 1 of 1 → need.
    # idv: Alex 1/3 = 33.3 %, Sam 1/2 = 50 % → Blue need; Kim 1/3 → Red need.
    # cvv: Sam 1/2 → 1 of 2 Blue agents = 50 % ≥ 40 % → need. empathy: Sam 1/2 → need.
    assert ("Blue", "voice_example.greet") in flagged
    assert ("Red", "voice_example.greet") in flagged
    assert ("Blue", "voice_example.cvv") in flagged
    strict = training_matrix(ws, DashboardQuery(OCT), agent_share_pct=60)
    # At 60 %, cvv (1 of 2 Blue agents = 50 %) is individual coaching, not a team need.
    assert ("Blue", "voice_example.cvv") not in {(n.team, n.question) for n in strict.needs}


def test_training_matrix_lists_complaint_categories(ws, data):
    from qa_studio.domain.ids import new_uuid

    for k, category in ((4, "billing"), (8, "billing"), (6, "rudeness")):
        ws.db.execute(
            "INSERT INTO complaints (uuid, interaction_id, opened_at, classification, category, "
            "regime, final_due, created_at, updated_at) VALUES (?, (SELECT id FROM interactions "
            "WHERE external_id = ?), '2026-10-20T10:00:00Z', 'formal', ?, 'fca_disp', "
            "'2026-12-15', '2026-10-20T10:00:00Z', '2026-10-20T10:00:00Z')",
            [new_uuid(), f"I{k}", category],
        )
    m = training_matrix(ws, DashboardQuery(OCT))
    assert m.complaint_categories == ("billing", "rudeness")
    # Alex none; Sam billing 1 (I4); Kim billing 1 (I8), rudeness 1 (I6).
    assert m.complaints == ((0, 0), (1, 0), (1, 1))
    blue = training_matrix(ws, DashboardQuery(OCT, team="Blue"))
    assert blue.complaint_categories == ("billing",) and blue.complaints == ((0,), (1,))


def test_email_service_level_is_judged_in_hours_unless_an_email_target_says():
    """An e-mail answered in three hours is in time by the one-working-day default; a target for
    all channels states a call/chat answer time and does not apply to e-mail; one for e-mail does."""
    from qa_studio.storage.repository.targets import Target, TargetBook

    def sl(channel, seconds):
        return Target(1, "u", None, channel, "service_level_pct", 80.0, seconds, "", None)

    assert TargetBook([]).sl_threshold(None, "email") == 24 * 3600
    assert TargetBook([]).sl_threshold(None, "voice") == 20
    everyone = TargetBook([sl(None, 30.0)])
    assert everyone.sl_threshold(None, "voice") == 30
    assert everyone.sl_threshold(None, "chat") == 30
    assert everyone.sl_threshold(None, "email") == 24 * 3600
    assert (
        TargetBook([sl(None, 30.0), sl("email", 4 * 3600.0)]).sl_threshold(None, "email") == 14400
    )
