"""The sampling wizard driven through its widgets: spec → preview (a job) → create.

The preview runs through ``SyncJobRunner`` so each step is deterministic; cancelling uses its
``before_run`` hook, as a user pressing Cancel before the draw gets going.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from qa_studio.services.jobs import SyncJobRunner
from qa_studio.storage.repository import samples
from qa_studio.ui.models.sampling_models import FLAG_COLOUR
from qa_studio.ui.views.sampling_wizard import SamplingWizard
from tests.ui import sampling_data
from tests.ui.sampling_data import CHOSEN, MONTH, TODAY

demo_template = sampling_data.demo_template
demo_ws = sampling_data.demo_ws


@pytest.fixture
def runner():
    return SyncJobRunner()


@pytest.fixture
def wizard(qtbot, demo_ws, runner):
    w = SamplingWizard(demo_ws, runner, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def fill(wizard: SamplingWizard, *, per_agent: int = 2, evaluators=CHOSEN) -> None:
    """What a user does: pick the month, 2 per agent, weight complaints, choose evaluators."""
    form = wizard.form
    form.month_combo.setCurrentIndex(form.month_combo.findText(MONTH))
    form.per_agent_radio.click()
    form.per_agent.setValue(per_agent)
    form.set_risk("complaint", 3.0)
    form.seed.setValue(42)
    form.objective.setText("October routine QA")
    for i in range(form.evaluators.count()):
        item = form.evaluators.item(i)
        wanted = item.data(Qt.ItemDataRole.UserRole) in evaluators
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def next_page(qtbot, wizard: SamplingWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def create(qtbot, wizard: SamplingWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)


def test_form_offers_the_workspace(wizard):
    form = wizard.form
    assert form.month_combo.itemText(0) == MONTH  # newest month first
    assert form.month_combo.findText("2026-05") >= 0
    assert form.agents.count() == 8
    assert form.teams.count() == 3
    names = {form.evaluators.item(i).data(Qt.ItemDataRole.UserRole): form.evaluators.item(i)
             for i in range(form.evaluators.count())}  # fmt: skip
    # default: every active evaluator and QA lead, team leaders not
    assert names["Joanne Birch"].checkState() == Qt.CheckState.Checked
    assert names["Fiona McLeod"].checkState() == Qt.CheckState.Unchecked
    assert form.risk_table.rowCount() == 8


def test_spec_to_preview_to_created_sample(qtbot, wizard, demo_ws):
    fill(wizard)
    spec = wizard.form.spec()
    assert spec.period == MONTH and spec.per_agent == 2 and dict(spec.risk) == {"complaint": 3.0}
    assert spec.evaluators == CHOSEN
    next_page(qtbot, wizard)
    page = wizard.preview_page
    assert wizard.currentPage() is page
    plan = page.plan
    assert plan is not None and plan.items
    # the tables show the plan's counts
    agents = page.agents_model
    assert agents.rowCount() == len(plan.agents)
    for row, count in enumerate(plan.agents):
        assert agents.index(row, 4).data() == str(count.selected)
        assert agents.index(row, 3).data() == str(count.wanted)
        flagged = agents.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
        assert (flagged is not None) == (count.selected < count.wanted)
    assert any(c.selected < c.wanted for c in plan.agents)  # the demo month runs short
    strata = {page.strata_model.index(r, 0).data(): page.strata_model.index(r, 1).data()
              for r in range(page.strata_model.rowCount())}  # fmt: skip
    assert strata == {"all": str(len(plan.items))}
    allocated = {page.evaluators_model.index(r, 0).data(): int(page.evaluators_model.index(r, 1)
                 .data()) for r in range(page.evaluators_model.rowCount())}  # fmt: skip
    assert set(allocated) <= set(CHOSEN) and sum(allocated.values()) == len(plan.items)
    assert page.precision.text() == plan.precision.text
    assert page.precision.text().startswith("2 per agent gives ±")
    assert "eligible" in page.frame_line.text()
    assert page.progress.value() == page.progress.maximum()
    assert samples.list_samples(demo_ws) == []  # a preview writes nothing

    with qtbot.waitSignal(wizard.sampleCreated) as created:
        create(qtbot, wizard)
    sample_id = created.args[0]
    assert wizard.currentPage() is wizard.done_page
    assert f"sample #{sample_id}" in wizard.done_page.summary.text()
    detail = samples.get_sample(demo_ws, sample_id)
    assert detail.summary.objective == "October routine QA"
    assert sorted(i.interaction_id for i in detail.items) == sorted(
        i.interaction_id for i in plan.items
    )
    assert {i.evaluator for i in detail.items} <= set(CHOSEN)


def test_no_channel_ticked_is_explained_and_creates_nothing(qtbot, wizard, demo_ws):
    fill(wizard)
    for box in wizard.form.channel_boxes.values():
        box.setChecked(False)
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.spec_page
    assert wizard.spec_page.message.isVisible()
    assert "tick at least one channel" in wizard.spec_page.message.text()
    assert samples.list_samples(demo_ws) == []


def test_no_evaluator_ticked_is_explained(qtbot, wizard):
    fill(wizard, evaluators=())
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.spec_page
    assert "tick at least one evaluator" in wizard.spec_page.message.text()


def test_bad_quota_is_explained(qtbot, wizard):
    fill(wizard)
    wizard.form.quota_radio.click()
    wizard.form.quotas.setText("voice=3, chat")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.spec_page
    assert "quota 'chat' is not STRATUM=COUNT" in wizard.spec_page.message.text()


def test_period_with_no_data_shows_the_message_and_creates_nothing(qtbot, wizard, demo_ws):
    fill(wizard)
    form = wizard.form
    form.range_radio.click()
    form.from_date.setDate(form.from_date.date().fromString("2020-01-01", "yyyy-MM-dd"))
    form.to_date.setDate(form.to_date.date().fromString("2020-01-31", "yyyy-MM-dd"))
    next_page(qtbot, wizard)
    page = wizard.preview_page
    assert wizard.currentPage() is page
    assert page.plan is None
    assert page.message.isVisible()
    assert "no interactions in" in page.message.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert samples.list_samples(demo_ws) == []


def test_cancel_during_preview_then_preview_again(qtbot, wizard, runner, demo_ws):
    fill(wizard)
    runner.before_run = lambda handle: handle.cancel()
    next_page(qtbot, wizard)
    page = wizard.preview_page
    assert page.plan is None
    assert "Preview cancelled" in page.message.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert page.retry_button.isEnabled() and not page.cancel_button.isEnabled()
    runner.before_run = None
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    assert page.plan is not None and page.agents_model.rowCount() > 0
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert samples.list_samples(demo_ws) == []


def test_back_and_again_with_the_same_seed_draws_the_same_sample(qtbot, wizard):
    fill(wizard)
    next_page(qtbot, wizard)
    first = [i.interaction_id for i in wizard.preview_page.plan.items]
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.spec_page
    next_page(qtbot, wizard)
    assert [i.interaction_id for i in wizard.preview_page.plan.items] == first


def test_reroll_changes_the_seed(qtbot, wizard):
    wizard.form.seed.setValue(7)
    qtbot.mouseClick(wizard.form.reroll, Qt.MouseButton.LeftButton)
    assert wizard.form.seed.value() != 7


def test_preview_models_pass_the_model_tester(qtbot, qtmodeltester, wizard):
    fill(wizard)
    next_page(qtbot, wizard)
    page = wizard.preview_page
    for model in (page.agents_model, page.strata_model, page.evaluators_model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    assert FLAG_COLOUR.isValid()
