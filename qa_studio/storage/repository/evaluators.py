"""Adding and listing evaluators as a user action (audited), for ``evaluators add|list``.

``people.ensure_evaluator`` is the quiet, idempotent path importers and the demo builder use; this
is the deliberate one: a person typed a name and a role, so a clash is an error and the addition
is recorded in the audit trail.
"""

from __future__ import annotations

import json
import random

from qa_studio.domain.models import EVALUATOR_ROLES, Evaluator
from qa_studio.errors import DataRefused
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, people


def add_evaluator(
    ws: Workspace,
    name: str,
    role: str = "evaluator",
    capacity_per_week: int = 20,
    *,
    rng: random.Random | None = None,
) -> Evaluator:
    clean = (name or "").strip()
    if not clean:
        raise DataRefused("an evaluator needs a name.")
    if role not in EVALUATOR_ROLES:
        raise DataRefused(f"unknown role '{role}' (one of: {', '.join(EVALUATOR_ROLES)}).")
    if capacity_per_week < 0:
        raise DataRefused(f"capacity {capacity_per_week} must be 0 or more evaluations a week.")
    existing = ws.db.execute("SELECT role FROM evaluators WHERE name = ?", [clean]).fetchone()
    if existing is not None:
        raise DataRefused(f"evaluator '{clean}' already exists (role {existing[0]}).")
    evaluator = Evaluator(None, clean, role, capacity_per_week)
    with ws.db.atomic():
        new_id = people.ensure_evaluator(ws, evaluator, rng)
        uuid = ws.db.execute("SELECT uuid FROM evaluators WHERE id = ?", [new_id]).fetchone()[0]
        audit.append(
            ws,
            "evaluator.create",
            "evaluator",
            uuid,
            {"name": clean, "role": role, "capacity_per_week": capacity_per_week},
        )
    return Evaluator(new_id, clean, role, capacity_per_week)


def list_evaluators(ws: Workspace) -> list[Evaluator]:
    rows = ws.db.execute(
        "SELECT id, name, role, capacity_per_week, skills, absent, active "
        "FROM evaluators ORDER BY name"
    ).fetchall()
    return [
        Evaluator(
            int(r[0]),
            r[1],
            r[2],
            int(r[3]),
            json.loads(r[4]),
            tuple(tuple(a) for a in json.loads(r[5])),
            bool(r[6]),
        )
        for r in rows
    ]
