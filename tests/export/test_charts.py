"""Charts: the data they draw, the plots the screens share, and the PNGs written headless.

The PNG tests run on the demo workspace (8 agents, 400 contacts, seed 3, with closed calibration
sessions). Set ``QA_STUDIO_CHART_DIR`` to a folder to keep a copy of every PNG for a person to
look at (axes labelled, month names, legends readable, nothing clipped).
"""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from qa_studio.domain.planner import mean_interval
from qa_studio.errors import DataRefused, UsageError
from qa_studio.export import chart_plots, chart_style, charts
from qa_studio.scorecards.loader import load_text
from qa_studio.services.qt_compat import keep_none_alive
from qa_studio.storage.db import open_workspace
from qa_studio.storage.repository import calibration, chart_data
from qa_studio.storage.repository.chart_data_calibration import (
    calibration_charts,
    deviation_chart,
    disagreement_grid,
    question_agreement,
)
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL
from tests.export.chart_fixtures import build_chart_demo, busiest_agent, closed_session_ids
from tests.ui.scoring_fixtures import CARD

keep_none_alive()  # PySide6 6.12 on Python 3.11: see qa_studio.services.qt_compat
ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
MONTH = re.compile(r"^(?P<month>[A-Z][a-z]{2}) \d{4}\nn = \d+ · \d+$")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("charts") / "demo.qaw"
    build_chart_demo(path)
    return path


@pytest.fixture
def dws(demo_db):
    ws = open_workspace(demo_db)
    yield ws
    ws.close()


def keep_copy(path: Path) -> None:
    folder = os.environ.get("QA_STUDIO_CHART_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def check_png(path: Path, size: tuple[int, int]) -> QImage:
    """The file exists, is a real picture of ``size`` pixels with a drawing on white."""
    assert path.is_file()
    assert path.stat().st_size > 15_000
    image = QImage(str(path))
    assert (image.width(), image.height()) == size
    samples = [image.pixelColor(x, y) for x in range(0, size[0], 10) for y in range(0, size[1], 10)]
    inked = sum(1 for c in samples if (c.red(), c.green(), c.blue()) != (255, 255, 255))
    assert 0.03 < inked / len(samples) < 0.7  # something drawn, background still white
    assert image.pixelColor(2, 2).name() == "#ffffff"
    keep_copy(path)
    return image


def legend_labels(item: pg.PlotItem) -> list[str]:
    return [label.text for _sample, label in item.legend.items]


def ticks(item: pg.PlotItem, name: str) -> list[str]:
    levels = item.getAxis(name)._tickLevels
    return [text for _value, text in levels[0]] if levels else []


# -- data ------------------------------------------------------------------------------------


def test_trend_reads_the_counted_evaluations_month_by_month(dws):
    agent = chart_data.find_agent(dws, busiest_agent(dws))
    period = chart_data.chart_period(dws, agent)
    trend = chart_data.agent_trend(dws, agent, period)
    assert len(trend.months) == chart_data.DEFAULT_MONTHS
    assert [m.label[:3] for m in trend.months] == [
        ENGLISH_MONTHS[int(m.month[5:]) - 1] for m in trend.months
    ]
    for m in trend.months:
        lo, hi = next(p.bounds for p in period.months() if p.key == m.month)
        values = [
            r[0]
            for r in dws.db.execute(
                "SELECT e.percent FROM evaluations e JOIN interactions i ON i.id = e.interaction_id "
                f"WHERE i.agent_id = ? AND i.started_at >= ? AND i.started_at < ? "
                f"AND {COUNTED_EVALUATION_SQL} AND e.percent IS NOT NULL",
                [agent.id, lo, hi],
            )
        ]
        expected = mean_interval(values)
        assert m.n == len(values)
        assert m.mean == pytest.approx(expected.estimate) if values else m.mean is None
        if len(values) >= 2:
            assert (m.ci_low, m.ci_high) == pytest.approx((expected.low, expected.high))
        assert m.team_n >= m.n
    assert trend.n > 10
    assert 0 < trend.target <= 100


def test_a_shorter_window_ends_with_the_agents_latest_month(dws):
    agent = chart_data.find_agent(dws, busiest_agent(dws))
    six = chart_data.chart_period(dws, agent)
    two = chart_data.chart_period(dws, agent, months=2)
    assert two.last == six.last
    assert len(two.months()) == 2
    with pytest.raises(UsageError, match="--months"):
        chart_data.chart_period(dws, agent, months=0)


def test_unknown_agent_is_refused_by_name(dws):
    with pytest.raises(DataRefused, match="unknown agent 'nobody'"):
        chart_data.find_agent(dws, "nobody")


def test_calibration_scores_count_for_the_agent_only_when_the_closed_session_says_so(ws):
    from tests.export.chart_fixtures import score_all
    from tests.storage.eval_helpers import seed

    made = seed(ws, n_interactions=2)
    a1 = chart_data.find_agent(ws, "A1")
    period = chart_data.chart_period(ws, a1, months=1)
    ids = [made["interactions"][0]]
    good = {"greet": "yes", "empathy": 5, "idv": "yes", "cvv": "yes"}
    counting = calibration.create_session(ws, "Counts", made["v1"].id, ids, ["Ann", "Bo"],
                                          counts_toward_scores=True)  # fmt: skip
    other = calibration.create_session(ws, "Does not count", made["v1"].id, ids, ["Ann", "Bo"])
    for session in (counting, other):
        score_all(ws, session.id, {"Ann": good, "Bo": good})
    assert chart_data.agent_trend(ws, a1, period).n == 0  # open sessions never count
    calibration.close_session(ws, other.id)
    assert chart_data.agent_trend(ws, a1, period).n == 0
    calibration.close_session(ws, counting.id)
    trend = chart_data.agent_trend(ws, a1, period)
    assert trend.n == 2
    assert trend.months[-1].mean == pytest.approx(100.0)
    view = chart_data.agent_calibration(ws, a1, period)
    assert [e.evaluator for e in view.evaluators] == ["Ann", "Bo"]
    offsets = calibration.leniency_offsets(ws)
    assert view.evaluators[0].offset == pytest.approx(offsets["Ann"])


def test_deviation_from_the_expert_and_from_the_consensus():
    scores = {("U1", "A"): 80.0, ("U1", "B"): 90.0, ("U1", "C"): 70.0,
              ("U2", "A"): 60.0, ("U2", "B"): 65.0, ("U2", "C"): None}  # fmt: skip
    expert = deviation_chart(scores, ("A", "B", "C"), "A", 5.0)
    assert expert.reference == "expert"
    assert {e.evaluator: e.deviations for e in expert.evaluators} == {"B": (10.0, 5.0),
                                                                       "C": (-10.0,)}  # fmt: skip
    consensus = deviation_chart(scores, ("A", "B", "C"), None, 5.0)
    assert consensus.reference == "consensus"
    assert {e.evaluator: e.deviations for e in consensus.evaluators} == {
        "A": (0.0, -5.0), "B": (15.0, 5.0), "C": (-15.0,)}  # fmt: skip
    silent = deviation_chart(scores, ("A", "B", "C", "D"), "D", 5.0)
    assert silent.reference == "consensus"  # the expert scored nothing to compare with


def test_disagreement_grid_uses_fractions_and_the_median_of_the_others():
    card = load_text(CARD)
    answers = {
        ("U1", "greet", "A"): "yes", ("U1", "greet", "B"): "yes", ("U1", "greet", "C"): "no",
        ("U2", "greet", "A"): "yes", ("U2", "greet", "B"): "yes", ("U2", "greet", "C"): "yes",
        ("U1", "empathy", "A"): 5, ("U1", "empathy", "B"): 4, ("U1", "empathy", "C"): 5,
        ("U1", "hold", "A"): "na", ("U1", "hold", "B"): "yes", ("U1", "hold", "C"): "no",
    }  # fmt: skip
    grid = disagreement_grid(card, answers, ("A", "B", "C"))
    row = dict(zip(grid.questions, grid.values, strict=True))
    count = dict(zip(grid.questions, grid.counts, strict=True))
    assert row["greet"] == pytest.approx((25.0, 25.0, 50.0))
    assert row["empathy"] == pytest.approx((12.5, 25.0, 12.5))
    assert row["hold"] == (None, 100.0, 100.0)  # N/A is no answer to compare
    assert count["hold"] == (0, 1, 1)
    assert row["ownership"] == (None, None, None)
    assert grid.maximum == 100.0


def test_question_agreement_reads_alpha_percent_and_reasons():
    card = load_text(CARD)
    reports = {
        "greet": {"n_units": 4, "krippendorff_alpha": {"value": 0.5, "ci95": [0.1, 0.9], "n": 4},
                  "percent_agreement": {"value": 0.75}},
        "empathy": {"n_units": 4, "krippendorff_alpha": {"value": None, "reason": "no variation",
                                                         "n": 4},
                    "percent_agreement": {"value": 1.0}},
    }  # fmt: skip
    rows = {r.key: r for r in question_agreement(card, reports)}
    assert list(rows) == [q.key for q in card.questions()]
    assert (rows["greet"].alpha, rows["greet"].alpha_ci, rows["greet"].n) == (0.5, (0.1, 0.9), 4)
    assert (rows["empathy"].alpha, rows["empathy"].reason) == (None, "no variation")
    assert rows["idv"].reason == "no answers"


def test_nice_ticks_and_title_wrapping():
    assert [v for v, _t in chart_style.nice_ticks(-12, 12, 8)] == [-10, -5, 0, 5, 10]
    assert [t for _v, t in chart_style.nice_ticks(0, 1, 5)] == ["0", "0.2", "0.4", "0.6", "0.8",
                                                                "1"]  # fmt: skip
    long = "A very long calibration session name (session 12, voice_service@3): agreement"
    assert chart_style.wrap_title("Short") == ["Short"]
    assert chart_style.wrap_title(long + " by question") == [long.rsplit(": ", 1)[0] + ":",
                                                             "agreement by question"]  # fmt: skip


# -- plots and PNGs ---------------------------------------------------------------------------


def test_agent_trend_png_and_plot(dws, qapp, tmp_path):
    agent = chart_data.find_agent(dws, busiest_agent(dws))
    trend = chart_data.agent_trend(dws, agent, chart_data.chart_period(dws, agent))
    check_png(charts.export_agent_trend_png(trend, tmp_path / "agent-trend.png"), (1000, 600))

    widget = pg.PlotWidget()
    item = chart_plots.build_agent_trend_plot(widget, trend)
    assert item.getAxis("left").labelText == "Mean score (%)"
    assert item.getAxis("bottom").labelText.startswith("Month of contact")
    assert agent.name in item.titleLabel.text
    labels = legend_labels(item)
    assert labels[:3] == ["95 % CI of agent mean", "Agent mean", f"Team mean ({agent.team})"]
    assert labels[3] == f"Target {chart_style.fmt_number(trend.target)} %"
    months = ticks(item, "bottom")
    assert len(months) == len(trend.months)
    for text, m in zip(months, trend.months, strict=True):
        assert MONTH.match(text), text
        assert text == f"{m.label}\nn = {m.n} · {m.team_n}"
    assert any(isinstance(i, pg.FillBetweenItem) for i in item.items)  # the 95 % band
    widget.close()


def test_agent_calibration_png_and_plot(dws, qapp, tmp_path):
    agent = chart_data.find_agent(dws, busiest_agent(dws))
    view = chart_data.agent_calibration(dws, agent, chart_data.chart_period(dws, agent))
    assert view.has_calibration  # the demo's evaluators were measured in closed sessions
    check_png(charts.export_agent_calibration_png(view, tmp_path / "agent-calibration.png"),
              (1000, 600))  # fmt: skip

    widget = pg.PlotWidget()
    item = chart_plots.build_agent_calibration_plot(widget, view)
    assert item.getAxis("left").labelText == "Score (%)"
    labels = legend_labels(item)
    assert "One evaluation" in labels
    assert f"Agent mean, raw: {view.raw_mean:.1f} (n = {view.n})" in labels
    assert any(t.startswith("Agent mean adjusted for leniency") for t in labels)
    names = ticks(item, "bottom")
    assert [t.split("\n")[0] for t in names] == [e.evaluator for e in view.evaluators]
    calibrated = [e for e in view.evaluators if e.offset is not None]
    assert any(f"offset {e.offset:+.1f}" in "".join(names) for e in calibrated)
    assert view.adjusted_mean == pytest.approx(
        sum(s - (e.offset or 0) for e in view.evaluators for s in e.scores) / view.n
    )
    widget.close()


@pytest.mark.parametrize("kind", ["deviation", "questions", "heatmap", "all"])
def test_calibration_pngs(dws, qapp, tmp_path, kind):
    session_id = closed_session_ids(dws)[0]
    data = calibration_charts(calibration.session_results(dws, session_id))
    path = charts.export_calibration_png(data, tmp_path / f"calibration-{kind}.png", kind)
    check_png(path, charts.calibration_size(data, kind))
    n = len(data.questions)
    expected = {"deviation": 600, "questions": charts.question_height(n),
                "heatmap": charts.question_height(n)}  # fmt: skip
    height = sum(expected.values()) if kind == "all" else expected[kind]
    assert QImage(str(path)).height() == height


def test_session_plots_are_labelled(dws, qapp):
    session_id = closed_session_ids(dws)[0]
    results = calibration.session_results(dws, session_id)
    data = calibration_charts(results)
    widget = pg.PlotWidget()
    item = chart_plots.build_deviation_plot(widget, data.deviation)
    assert item.getAxis("left").labelText.startswith("Form score minus the")
    assert legend_labels(item)[0] == f"Tolerance ±{results.tolerance:g} points"
    assert [t.split("\n")[0] for t in ticks(item, "bottom")] == [
        e.evaluator for e in data.deviation.evaluators
    ]
    item = chart_plots.build_question_agreement_plot(widget, data.questions)
    assert legend_labels(item) == ["Krippendorff's α (interval)",
                                   "Percent agreement (not chance-corrected)",
                                   "α ≥ 0.667: tentative", "α ≥ 0.8: reliable"]  # fmt: skip
    assert ticks(item, "left") == [f"{q.key} (n = {q.n})" for q in data.questions]
    item = chart_plots.build_heatmap_plot(widget, data.grid)
    assert item.legend is None  # the colour bar is the key
    bars = [b for b in item._qa_extras if isinstance(b, pg.ColorBarItem)]
    assert len(bars) == 1 and bars[0].axis.labelText == "Mean |difference| (points)"
    assert ticks(item, "left") == list(data.grid.questions)
    assert ticks(item, "bottom") == list(data.grid.evaluators)
    assert any(isinstance(i, pg.ImageItem) for i in item.items)
    widget.close()


def test_rebuilding_a_plot_replaces_what_was_drawn(dws, qapp):
    data = calibration_charts(calibration.session_results(dws, closed_session_ids(dws)[0]))
    widget = pg.PlotWidget()
    item = widget.getPlotItem()
    for _ in range(2):
        chart_plots.build_heatmap_plot(widget, data.grid)
    layout_items = [item.layout.itemAt(i) for i in range(item.layout.count())]
    assert sum(isinstance(i, pg.ColorBarItem) for i in layout_items) == 1
    chart_plots.build_deviation_plot(widget, data.deviation)
    chart_plots.build_deviation_plot(widget, data.deviation)
    layout_items = [item.layout.itemAt(i) for i in range(item.layout.count())]
    assert not any(isinstance(i, pg.ColorBarItem) for i in layout_items)
    assert len(legend_labels(item)) == 3
    assert not any(isinstance(i, pg.ImageItem) for i in item.items)
    widget.close()


def test_export_refuses_a_missing_folder_and_an_unknown_kind(dws, qapp, tmp_path):
    data = calibration_charts(calibration.session_results(dws, closed_session_ids(dws)[0]))
    with pytest.raises(DataRefused, match="does not exist"):
        charts.export_calibration_png(data, tmp_path / "missing" / "x.png", "deviation")
    with pytest.raises(UsageError, match="unknown chart kind 'pie'"):
        charts.export_calibration_png(data, tmp_path / "x.png", "pie")
    assert not math.isnan(data.deviation.tolerance)


def test_trend_plot_leaves_out_empty_series_without_warnings(tmp_path):
    """An agent with no team and no scores yet: no all-NaN curve is drawn (pyqtgraph would warn
    while painting, an error under this suite's settings), and the PNG is still written."""
    from qa_studio.domain.periods import parse_period
    from qa_studio.storage.repository.reporting_types import AgentInfo

    months = tuple(
        chart_data.MonthStat(f"2026-0{m}", f"{name} 2026", 0, None, None, None, 0, None)
        for m, name in ((5, "May"), (6, "Jun"))
    )
    trend = chart_data.AgentTrend(
        AgentInfo(1, "new.starter", "New Starter", None, None, None),
        parse_period("2026-Q2"),
        months,
        85.0,
    )
    item = chart_plots.build_agent_trend_plot(pg.PlotWidget(), trend)
    names = [c.name() for c in item.listDataItems()]
    assert names == ["Target 85 %"]
    out = tmp_path / "empty.png"
    charts.export_agent_trend_png(trend, out)
    assert out.stat().st_size > 1000
