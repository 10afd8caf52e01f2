"""Shared by the importer tests: fixture locations, a small valid CSV, reading back rows."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"

HEADER = (
    "Contact ID,Channel,Start Time,Agent,Queue,Duration,Hold,Wrap,CSAT,FCR,Complaint,Vulnerable"
)
GOOD_ROWS = [
    "C1,voice,2026-10-01T09:00:00Z,Amy Khan,Billing,300,10,30,5,yes,no,no",
    "C2,chat,2026-10-01T10:00:00Z,Ben Ode,Broadband,120,0,15,3,no,informal,yes",
    "C3,email,2026-10-01T11:00:00Z,,Billing,,,,,,,",
]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def stored(ws, columns: str = "i.*") -> dict[str, dict]:
    """Interactions by external id, with the agent's external id and name joined in."""
    cur = ws.db.execute(
        f"SELECT i.external_id AS ext, a.external_id AS agent, a.name AS agent_name, {columns} "
        "FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id ORDER BY i.id"
    )
    names = [c[0] for c in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


def count(ws, table: str = "interactions") -> int:
    return ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
