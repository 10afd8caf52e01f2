"""Which evaluations count toward agents' scores: one definition for every query.

ARCHITECTURE.md: scores, packs, dashboards and statistics count submitted, signed-off, disputed
and final evaluations; drafts never count; calibration evaluations count only when their session
says so. Calibration evaluations are scored to measure the *evaluators*: the same call scored by
five people would otherwise count five times toward one agent, lenient and harsh scores alike.

A session that counts toward scores does so only once it is **closed**: while it is open and
blind, an agent report listing those scores by evaluator would reveal the answers the session
hides, and the scores are not settled until the session has been discussed.

Use ``COUNTED_EVALUATION_SQL`` (alias ``e`` for ``evaluations``) in a ``WHERE`` clause, or
``counted_evaluation_sql(alias)`` for another alias. The fragment has no parameters, so it never
shifts the positions of a query's own ``?`` placeholders.
"""

from __future__ import annotations

import re

from qa_studio.domain.models import COUNTED_STATUSES

#: The statuses as SQL literals (fixed constants, never user input).
COUNTED_STATUSES_SQL = ", ".join(f"'{s}'" for s in COUNTED_STATUSES)

_ALIAS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def counted_evaluation_sql(alias: str = "e") -> str:
    """``WHERE`` fragment: the evaluation ``alias`` counts toward agents' scores."""
    if not _ALIAS.match(alias):
        raise ValueError(f"not an SQL alias: {alias!r}")
    return (
        f"({alias}.status IN ({COUNTED_STATUSES_SQL}) AND ({alias}.calibration_session_id IS NULL "
        "OR EXISTS (SELECT 1 FROM calibration_sessions cs_counted "
        f"WHERE cs_counted.id = {alias}.calibration_session_id "
        "AND cs_counted.counts_toward_scores = 1 AND cs_counted.closed_at IS NOT NULL)))"
    )


#: ``WHERE`` fragment for ``evaluations e``: counted status, and not calibration unless the
#: (closed) session counts toward scores.
COUNTED_EVALUATION_SQL = counted_evaluation_sql("e")


def counts_toward_scores(status: str, session_counts: bool | None, session_closed: bool) -> bool:
    """The same rule in Python, for code that already holds the row (``session_counts`` None =
    not a calibration evaluation)."""
    if status not in COUNTED_STATUSES:
        return False
    return session_counts is None or (session_counts and session_closed)


def blind_hidden_sql(alias: str = "e") -> str:
    """``WHERE`` fragment: the evaluation ``alias`` is part of an open, blind calibration session,
    so nobody but its own evaluator may see it (screens listing an interaction's evaluations
    add ``AND NOT (fragment AND alias.evaluator_id != :viewer)``)."""
    if not _ALIAS.match(alias):
        raise ValueError(f"not an SQL alias: {alias!r}")
    return (
        f"({alias}.calibration_session_id IS NOT NULL AND EXISTS (SELECT 1 FROM "
        "calibration_sessions cs_blind WHERE cs_blind.id = "
        f"{alias}.calibration_session_id AND cs_blind.blind = 1 AND cs_blind.closed_at IS NULL))"
    )
