"""Evaluations: the one import for screens, commands and services (EVAL_API.md).

The work is split by job — reading records (``evaluation_records``), writing a draft's content
(``evaluation_answers``), the lifecycle moves (``evaluation_lifecycle``) and what-if re-scoring with
migration (``evaluation_rescore``) — and re-exported here so callers never need to know the split.
"""

from __future__ import annotations

from qa_studio.storage.repository.evaluation_answers import (
    add_note,
    save_answer,
    save_answers,
    set_comment,
    start,
)
from qa_studio.storage.repository.evaluation_lifecycle import (
    acknowledge,
    reopen,
    sign_off,
    submit,
)
from qa_studio.storage.repository.evaluation_records import (
    EvaluationRecord,
    EvaluatorRef,
    Note,
    drafts,
    evaluator,
    find_draft,
    get,
    list_for_interaction,
)
from qa_studio.storage.repository.evaluation_rescore import RescoreItem, RescoreReport, rescore

__all__ = [
    "EvaluationRecord",
    "EvaluatorRef",
    "Note",
    "RescoreItem",
    "RescoreReport",
    "acknowledge",
    "add_note",
    "drafts",
    "evaluator",
    "find_draft",
    "get",
    "list_for_interaction",
    "reopen",
    "rescore",
    "save_answer",
    "save_answers",
    "set_comment",
    "sign_off",
    "start",
    "submit",
]
