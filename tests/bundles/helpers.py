"""Workspaces for the bundle tests: a lead with allocated sample items, evaluators' laptops."""

from __future__ import annotations

import json
from pathlib import Path

from qa_studio.bundles import api
from qa_studio.bundles.records import export_rows, shapes
from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import Evaluator, Interaction, Transcript, Turn
from qa_studio.storage.db import Workspace, open_workspace
from qa_studio.storage.repository import evaluations, people, scorecards
from qa_studio.storage.repository.interactions import (
    interaction_id,
    set_transcript,
    upsert_interactions,
)
from tests.storage.eval_helpers import WORKED_EXAMPLE

GOOD = {"greet": "yes", "empathy": 4, "idv": "yes", "cvv": "yes"}
#: Every table a bundle can change, for "nothing was written" checks.
WATCHED = (
    "evaluators", "teams", "agents", "interactions", "transcripts", "scorecards",
    "scorecard_versions", "samples", "sample_items", "evaluations", "answers", "answer_notes",
    "audit_log", "bundle_imports", "bundle_bases", "bundle_conflicts",
)  # fmt: skip


def open_ws(path: Path, actor: str) -> Workspace:
    ws = open_workspace(path)
    ws.actor = actor
    return ws


def build_lead(path: Path, *, interactions: int = 4, recordings: bool = True) -> Workspace:
    """Lee (QA lead) with evaluators Ann and Bo; voice interactions INT-1…, agents A1/A2 in
    teams Blue/Red, a recording for the odd ones and a transcript for INT-1; the SCORECARDS.md
    worked example published; an open sample giving Ann the odd interactions and Bo the even."""
    ws = open_ws(path, "Lee")
    media = ws.media_dir
    media.mkdir(parents=True, exist_ok=True)
    items = []
    for i in range(1, interactions + 1):
        path_text = None
        if recordings and i % 2:
            (media / f"call {i}.wav").write_bytes(bytes([i]) * (2000 + i))
            path_text = f"{media.name}/call {i}.wav"
        items.append(
            Interaction(
                external_id=f"INT-{i}", channel="voice", started_at=f"2026-10-{i:02d}T10:00:00Z",
                agent_external_id="A1" if i % 2 else "A2",
                agent_name="Alex Agent" if i % 2 else "Sam Agent",
                team="Blue" if i % 2 else "Red", queue="Billing", recording_path=path_text,
                csat=4, tags=("vip",),
            )
        )  # fmt: skip
    with ws.db.atomic():
        for name, role in (("Ann", "evaluator"), ("Bo", "evaluator"), ("Lee", "qa_lead")):
            people.ensure_evaluator(ws, Evaluator(None, name, role))
        upsert_interactions(ws, items)
        set_transcript(
            ws,
            interaction_id(ws, "INT-1"),
            Transcript(
                "json", (Turn("Alex", "agent", "Hello, you're through to Alex.", 0.0, 2.5),)
            ),
        )
    scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    add_sample(ws, "October voice", {"Ann": [i for i in range(1, interactions + 1, 2)],
                                     "Bo": [i for i in range(2, interactions + 1, 2)]})  # fmt: skip
    return ws


def add_sample(
    ws: Workspace, name: str, allocation: dict[str, list[int]], spec: dict | None = None
) -> int:
    """A sample allocating ``INT-n`` interactions to evaluators (SQL, as a draw would store it)."""
    with ws.db.atomic():
        cur = ws.db.execute(
            "INSERT INTO samples (uuid, name, objective, spec, seed, status, due_on, created_by, "
            "created_at) VALUES (?, ?, 'monthly QA', ?, 7, 'open', '2026-11-30', 'Lee', "
            "'2026-11-01T09:00:00Z')",
            [
                new_uuid(),
                name,
                json.dumps({"scorecard": "voice_example"} if spec is None else spec),
            ],
        )
        sample_id = int(cur.lastrowid)
        for evaluator, numbers in allocation.items():
            who = evaluations.evaluator(ws, evaluator)
            for n in numbers:
                ws.db.execute(
                    "INSERT INTO sample_items (uuid, sample_id, interaction_id, evaluator_id, "
                    "stratum, weight, reason) VALUES (?, ?, ?, ?, 'voice', 1.0, 'drawn')",
                    [new_uuid(), sample_id, interaction_id(ws, f"INT-{n}"), who.id],
                )
    return sample_id


def score_all(ws: Workspace, evaluator: str, *, sign: bool = False) -> list[int]:
    """Answer, note, comment and submit every draft of the evaluator (and sign off if asked)."""
    done = []
    for draft in evaluations.drafts(ws, evaluator):
        evaluations.save_answers(ws, draft.id, GOOD)
        evaluations.add_note(ws, draft.id, "Good opening", question_key="greet", at_s=1.5)
        evaluations.set_comment(ws, draft.id, f"Solid call {draft.interaction_external_id}")
        evaluations.submit(ws, draft.id)
        if sign:
            evaluations.sign_off(ws, draft.id, evaluator)
        done.append(draft.id)
    return done


def rows_by_uuid(ws: Workspace, table: str, where: str = "1 = 1", params=()) -> dict[str, dict]:
    """Every column of the rows, local integer keys replaced by the uuids they point to."""
    ids = [r[0] for r in ws.db.execute(f"SELECT id FROM {table} WHERE {where}", list(params))]
    return {r["uuid"]: r for r in export_rows(ws.db, shapes(ws.db)[table], ids)}


def audit_rows(ws: Workspace, origin: str) -> dict[str, dict]:
    cur = ws.db.execute("SELECT * FROM audit_log WHERE origin_uuid = ?", [origin])
    cols = [c[0] for c in cur.description]
    return {
        r["uuid"]: {k: v for k, v in r.items() if k != "id"}
        for r in (dict(zip(cols, row, strict=True)) for row in cur)
    }


def snapshot(ws: Workspace) -> dict[str, list[tuple]]:
    """Every row of every watched table: to prove nothing was written."""
    return {t: ws.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in WATCHED}


def send_and_score(tmp_path: Path, lead: Workspace, evaluator: str = "Ann", **score) -> Workspace:
    """Lead → assignment bundle → the evaluator's new workspace, every draft scored."""
    bundle = tmp_path / f"{evaluator}-assignment.qab"
    api.export_assignment(lead, bundle, evaluator)
    laptop = open_ws(tmp_path / evaluator / f"{evaluator.lower()}.qaw", evaluator)
    api.import_bundle(laptop, bundle)
    score_all(laptop, evaluator, **score)
    return laptop


def read_members(path: Path) -> dict[str, bytes]:
    """Every member of an unencrypted bundle, by name."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_members(path: Path, members: dict[str, bytes], *, resign: bool = True) -> Path:
    """A bundle holding ``members``; with ``resign`` the manifest's digests are recomputed (so
    only the content, not the digests, is wrong), as a forger with the format in hand would."""
    import hashlib
    import zipfile

    members = dict(members)
    if resign:
        manifest = json.loads(members["manifest.json"])
        manifest["members"] = {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in members.items()
            if name != "manifest.json"
        }
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def edit_records(members: dict[str, bytes], table: str, edit) -> None:
    """Apply ``edit(rows)`` to ``records/TABLE.json`` in place."""
    name = f"records/{table}.json"
    rows = json.loads(members[name])
    edit(rows)
    members[name] = json.dumps(rows).encode()


def edit_manifest(members: dict[str, bytes], **changes) -> None:
    manifest = json.loads(members["manifest.json"])
    manifest.update(changes)
    members["manifest.json"] = json.dumps(manifest).encode()
