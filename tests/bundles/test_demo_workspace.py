"""A bundle round trip on a realistic workspace: the demo, sampled and allocated by the sampler."""

from __future__ import annotations

from datetime import date

import pytest

from qa_studio.bundles import api
from qa_studio.demo.builder import DemoSpec, build_demo
from qa_studio.domain.sampling import SampleSpec
from qa_studio.storage.repository import audit, evaluations, samples, scorecards
from tests.bundles.helpers import open_ws, rows_by_uuid


def _full_marks(card) -> dict:
    answers = {}
    for q in card.questions():
        if q.type == "yes_no":
            answers[q.key] = "yes"
        elif q.type == "scale":
            answers[q.key] = q.scale.max
        else:
            answers[q.key] = max(q.options, key=lambda o: o.points).label
    return answers


@pytest.mark.slow
def test_demo_sample_goes_out_encrypted_and_comes_back(tmp_path):
    lead = open_ws(tmp_path / "demo.qaw", "Lee")
    build_demo(lead, DemoSpec(agents=6, interactions=200, end=date(2026, 10, 31)))
    samples.create_sample(
        lead, SampleSpec(period="2026-10", per_agent=3, seed=5), today=date(2026, 11, 2)
    )
    name, count = max(api.evaluators_with_work(lead), key=lambda w: (w[1], w[0]))
    out = api.export_assignment(lead, tmp_path / "work.qab", name, passphrase="pw")
    assert out.counts["sample_items"] == count

    laptop = open_ws(tmp_path / "laptop" / "me.qaw", name)
    got = api.import_bundle(laptop, tmp_path / "work.qab", passphrase="pw")
    assert got.drafts_started + len(got.needs_scorecard) == count
    for item in api.queue_for(laptop, name):
        if item.external_id in got.needs_scorecard:  # several cards fit: the evaluator picks
            key = next(k for k, _n, ch, _v in scorecards.list_cards(laptop) if ch == item.channel)
            version = scorecards.latest(laptop, key)
            assert api.start_assigned(laptop, item.item_id, version_id=version.id).status == "draft"
    assert len(evaluations.drafts(laptop, name)) == count
    for draft in evaluations.drafts(laptop, name):
        card = scorecards.get_version(laptop, draft.scorecard_version_id).card
        evaluations.save_answers(laptop, draft.id, _full_marks(card))
        evaluations.submit(laptop, draft.id)
    api.export_results(laptop, tmp_path / "back.qab", passphrase="pw")

    merged = api.import_bundle(lead, tmp_path / "back.qab", passphrase="pw")
    assert merged.inserted["evaluations"] == count and merged.conflicts == []
    theirs = rows_by_uuid(laptop, "evaluations")
    assert {u: rows_by_uuid(lead, "evaluations")[u] for u in theirs} == theirs
    assert audit.verify(lead.db).ok
    assert api.queue_for(lead, name) == []
    laptop.close()
    lead.close()
