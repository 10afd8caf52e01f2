"""Subject-access exports: the customer's or agent's records, nothing of anybody else, redacted
free text, a readable workbook, and an audit row."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook

from qa_studio.domain.models import Evaluator, Interaction, Transcript, Turn
from qa_studio.errors import DataRefused
from qa_studio.export import subject_access as sar_export
from qa_studio.storage.repository import (
    audit,
    coaching,
    complaints,
    disputes,
    evaluations,
    people,
    scorecards,
    subject_access,
)
from qa_studio.storage.repository.coaching_goals import GoalSpec
from qa_studio.storage.repository.interactions import (
    interaction_id,
    set_transcript,
    upsert_interactions,
)
from tests.storage.eval_helpers import GOOD, WORKED_EXAMPLE

CARD = "4111 1111 1111 1111"
# (external id, agent, customer)
CONTACTS = [
    ("X-1", "A1", "CUST-1"),
    ("X-2", "A2", "CUST-1"),  # CUST-1 again, handled by A2
    ("X-3", "A2", "CUST-2"),
    ("X-4", "A1", "CUST-2"),
]


def _signed_off(ws, ext: str, version_id: int, comment: str) -> int:
    e = evaluations.start(ws, interaction_id(ws, ext), version_id, "Ann")
    evaluations.save_answers(ws, e.id, GOOD)
    evaluations.set_comment(ws, e.id, comment)
    evaluations.submit(ws, e.id)
    evaluations.sign_off(ws, e.id, "Ann")
    return e.id


@pytest.fixture
def data(ws):
    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Ann"))
        people.ensure_evaluator(ws, Evaluator(None, "Lee", role="qa_lead"))
        upsert_interactions(
            ws,
            [
                Interaction(
                    external_id=ext,
                    channel="voice",
                    started_at=f"2026-10-0{n}T10:00:00Z",
                    agent_external_id=agent,
                    agent_name={"A1": "Alex Agent", "A2": "Sam Agent"}[agent],
                    customer_ref=cust,
                    recording_path=f"test.media/{ext}.wav",
                )
                for n, (ext, agent, cust) in enumerate(CONTACTS, start=1)
            ],
        )
        for ext, _, cust in CONTACTS:
            set_transcript(
                ws,
                interaction_id(ws, ext),
                Transcript("plain", (Turn("C", "customer", f"{cust} here, card {CARD}"),)),
            )
    v1 = scorecards.publish(ws, WORKED_EXAMPLE, "First version")
    evals = {ext: _signed_off(ws, ext, v1.id, f"Comment on {ext}") for ext, _, _ in CONTACTS}
    disputes.raise_dispute(ws, evals["X-1"], "greet", "I greeted", agent="A1")
    coaching.record_one_to_one(
        ws,
        agent="A1",
        leader="Lee",
        held_at="2026-10-10",
        notes="Talked about X-1",
        evaluation_ids=[evals["X-1"]],
        goals=[GoalSpec("Greet every caller", 90, "2026-11-10", ("greet",))],
    )
    complaints.create_from_interaction(ws, interaction_id(ws, "X-2"), "Service")
    return evals


def test_customer_collection_holds_only_that_customer(ws, data):
    doc = subject_access.customer(ws, "CUST-1")
    assert [i["external_id"] for i in doc["interactions"]] == ["X-1", "X-2"]
    assert [t["interaction"] for t in doc["transcripts"]] == ["X-1", "X-2"]
    assert [r["path"] for r in doc["recordings"]] == ["test.media/X-1.wav", "test.media/X-2.wav"]
    assert [e["interaction"] for e in doc["evaluations"]] == ["X-1", "X-2"]
    assert len(doc["evaluations"][0]["answers"]) == 4
    assert [c["interaction"] for c in doc["complaints"]] == ["X-2"]
    assert doc["complaints"][0]["timeline"]
    assert "CUST-2" not in json.dumps(doc)


def test_agent_collection_holds_only_that_agent_and_no_customer_data(ws, data):
    doc = subject_access.agent(ws, "A1")
    assert doc["agent"]["name"] == "Alex Agent"
    assert [i["external_id"] for i in doc["interactions"]] == ["X-1", "X-4"]
    assert [e["interaction"] for e in doc["evaluations"]] == ["X-1", "X-4"]
    assert [d["reason"] for d in doc["evaluations"][0]["disputes"]] == ["I greeted"]
    assert len(doc["coaching_sessions"]) == 1
    assert doc["coaching_sessions"][0]["goals"][0]["text"] == "Greet every caller"
    text = json.dumps(doc)
    assert "CUST-" not in text and CARD not in text  # customers' data is theirs, not the agent's
    assert "X-2" not in text and "X-3" not in text and "Sam Agent" not in text


def test_customer_zip_has_json_xlsx_redaction_and_audit(ws, data, tmp_path):
    out = tmp_path / "sar.zip"
    counts = sar_export.export_customer(ws, "CUST-1", out)
    assert counts["interactions"] == 2 and counts["complaints"] == 1
    with zipfile.ZipFile(out) as zf:
        assert set(zf.namelist()) == {"README.txt", "subject_access.json", "summary.xlsx"}
        doc = json.loads(zf.read("subject_access.json"))
        book = load_workbook(BytesIO(zf.read("summary.xlsx")))
    assert CARD not in json.dumps(doc)
    assert "[card number removed]" in doc["transcripts"][0]["turns"][0]["text"]
    assert {"Summary", "interactions", "transcripts", "evaluations", "complaints"} <= set(
        book.sheetnames
    )
    sheet = book["interactions"]
    header = [c.value for c in sheet[1]]
    refs = {
        row[header.index("external_id")] for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert refs == {"X-1", "X-2"}
    book.close()
    row = ws.db.execute(
        "SELECT entity, os_user, payload FROM audit_log WHERE action = 'subject_access.export'"
    ).fetchone()
    assert row[0] == "customer" and row[1]
    assert json.loads(row[2])["counts"]["interactions"] == 2
    assert audit.verify(ws.db).ok
    assert not (tmp_path / "sar.zip.part").exists()


def test_agent_zip(ws, data, tmp_path):
    out = tmp_path / "agent.zip"
    counts = sar_export.export_agent(ws, "A1", out)
    assert counts == {
        "interactions": 2,
        "evaluations": 2,
        "coaching_sessions": 1,
    }
    with zipfile.ZipFile(out) as zf:
        book = load_workbook(BytesIO(zf.read("summary.xlsx")))
    assert book["agent"]["B2"].value is not None
    book.close()


def test_formula_text_stays_text_in_the_workbook():
    doc = {
        "subject": {"kind": "customer", "customer_ref": '=HYPERLINK("x")'},
        "generated_at": "2026-11-01T00:00:00Z",
        "interactions": [{"external_id": "=1+1", "csat": 3}],
    }
    book = load_workbook(BytesIO(sar_export.workbook_bytes(doc)))
    assert book["interactions"]["A2"].value == "=1+1"
    assert book["interactions"]["A2"].data_type == "s"
    book.close()


def test_unknown_subjects_are_refused(ws, data):
    with pytest.raises(DataRefused, match="no agent with the id 'NOPE'"):
        subject_access.agent(ws, "NOPE")
    with pytest.raises(DataRefused, match="customer reference is required"):
        subject_access.customer(ws, " ")
    assert subject_access.customer(ws, "NOBODY")["interactions"] == []
