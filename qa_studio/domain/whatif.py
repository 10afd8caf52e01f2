"""What-if re-scoring: how would stored answers score against another scorecard version?

SCORECARDS.md § What-if: questions are matched by key. A question new in the target version, or
whose type changed, is left out of **both** the old and the new score and listed as "not
assessed"; a question the target no longer has drops out (also listed). Comparing on the common
ground only means a delta measures the change of *rules* (weights, critical/fatal flags, policies,
scale ranges) rather than the accident of which questions happen to exist in both versions.

An answer that the target version cannot take (a points label that is no longer an option, a scale
value outside the new range, N/A where N/A is no longer allowed) is also "not assessed", with the
reason. Pure Python: cards and answers in, numbers out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from qa_studio.domain.scoring import ScoreResult, normalise_answer, score
from qa_studio.scorecards.schema import Scorecard

NEW_IN_TARGET = "new in the target version"


@dataclass(frozen=True)
class CardDiff:
    """How two versions line up, question by question (keys in the target's form order)."""

    comparable: tuple[str, ...]
    not_assessed: dict[str, str]
    removed: tuple[str, ...]


def diff_cards(old: Scorecard, new: Scorecard) -> CardDiff:
    old_q = {q.key: q for q in old.questions()}
    new_keys = {q.key for q in new.questions()}
    comparable: list[str] = []
    not_assessed: dict[str, str] = {}
    for q in new.questions():
        before = old_q.get(q.key)
        if before is None:
            not_assessed[q.key] = NEW_IN_TARGET
        elif before.type != q.type:
            not_assessed[q.key] = f"type changed ({before.type} → {q.type})"
        else:
            comparable.append(q.key)
    removed = tuple(q.key for q in old.questions() if q.key not in new_keys)
    return CardDiff(tuple(comparable), not_assessed, removed)


def restrict(card: Scorecard, keys: Iterable[str]) -> Scorecard:
    """The card with only ``keys`` left; sections left empty are dropped with their questions."""
    keep = set(keys)
    sections = []
    for s in card.sections:
        questions = tuple(q for q in s.questions if q.key in keep)
        if questions:
            sections.append(dataclasses.replace(s, questions=questions))
    return dataclasses.replace(card, sections=tuple(sections))


@dataclass(frozen=True)
class WhatIf:
    """One evaluation re-scored: stored percent, both percents on the common ground, the delta
    (full floats; ``as_dict`` rounds)."""

    stored_percent: float | None
    old_percent: float | None
    new_percent: float | None
    delta: float | None
    not_assessed: dict[str, str]
    removed: tuple[str, ...]
    old: ScoreResult | None = field(default=None, repr=False)
    new: ScoreResult | None = field(default=None, repr=False)
    carried: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def migratable(self) -> bool:
        """Moving the evaluation to the target keeps it complete: nothing is left unassessed."""
        return not self.not_assessed

    def as_dict(self) -> dict:
        """JSON shape; percents and the delta rounded to 2 dp as everywhere else."""
        return {
            "old_percent_stored": _round(self.stored_percent),
            "old_percent": _round(self.old_percent),
            "new_percent": _round(self.new_percent),
            "delta": _round(self.delta),
            "not_assessed": list(self.not_assessed),
            "not_assessed_reasons": dict(self.not_assessed),
            "removed": list(self.removed),
            "old_fatal": None if self.old is None else self.old.fatal,
            "new_fatal": None if self.new is None else self.new.fatal,
        }


def rescore(
    old_card: Scorecard,
    new_card: Scorecard,
    answers: Mapping[str, object],
    *,
    stored_percent: float | None = None,
) -> WhatIf:
    """Score ``answers`` (given under ``old_card``) against both versions on their common ground."""
    diff = diff_cards(old_card, new_card)
    not_assessed = dict(diff.not_assessed)
    carried: dict[str, object] = {}
    for key in diff.comparable:
        if key not in answers or answers[key] is None:
            not_assessed[key] = "not answered in the evaluation"
            continue
        try:
            carried[key] = normalise_answer(new_card.question(key), answers[key])
        except ValueError as exc:
            not_assessed[key] = f"answer {answers[key]!r} does not fit the target version: {exc}"
    order = [q.key for q in new_card.questions()]
    not_assessed = {k: not_assessed[k] for k in order if k in not_assessed}
    if not carried:
        return WhatIf(stored_percent, None, None, None, not_assessed, diff.removed)
    old = score(restrict(old_card, carried), {k: answers[k] for k in carried})
    new = score(restrict(new_card, carried), carried)
    delta = None
    if old.percent is not None and new.percent is not None:
        delta = new.percent - old.percent
    return WhatIf(
        stored_percent,
        old.percent,
        new.percent,
        delta,
        not_assessed,
        diff.removed,
        old,
        new,
        carried,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _mean(values: list[float]) -> float | None:
    return _round(sum(values) / len(values)) if values else None


def aggregate(results: Iterable[WhatIf]) -> dict:
    """Means over the evaluations that have a percent (all-N/A forms have none and are skipped)."""
    items = list(results)
    pairs = [r for r in items if r.old_percent is not None and r.new_percent is not None]
    stored = [r.stored_percent for r in items if r.stored_percent is not None]
    return {
        "n": len(items),
        "n_compared": len(pairs),
        "mean_old_stored": _mean(stored),
        "mean_old": _mean([r.old_percent for r in pairs]),
        "mean_new": _mean([r.new_percent for r in pairs]),
        "mean_delta": _mean([r.delta for r in pairs if r.delta is not None]),
        "not_migratable": sum(1 for r in items if not r.migratable),
    }
