"""The audit chain detects edited, deleted and truncated rows (ARCHITECTURE.md § Audit trail)."""

from __future__ import annotations

from qa_studio.storage.repository import audit


def _fill(ws, n=5):
    heads = []
    for i in range(n):
        with ws.db.atomic():
            heads.append(audit.append(ws, "test.action", "thing", f"uuid-{i}", {"i": i}))
    return heads


def test_intact_chain_verifies(ws):
    heads = _fill(ws)
    result = audit.verify(ws.db, expect_head=heads[-1].hash)
    assert result.ok and result.rows == 5
    assert heads[-1].seq == 5


def test_edited_field_is_detected(ws):
    _fill(ws)
    ws.db.execute("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 3")
    result = audit.verify(ws.db)
    assert not result.ok and result.first_bad["seq"] == 3


def test_edited_payload_is_detected(ws):
    _fill(ws)
    ws.db.execute("UPDATE audit_log SET payload = '{\"i\":99}' WHERE seq = 2")
    result = audit.verify(ws.db)
    assert not result.ok and result.first_bad["seq"] == 2


def test_blanked_payload_still_verifies(ws):
    """A retention purge blanks payloads; only their digest is chained."""
    _fill(ws)
    ws.db.execute("UPDATE audit_log SET payload = NULL WHERE seq = 2")
    assert audit.verify(ws.db).ok


def test_deleted_row_is_detected(ws):
    _fill(ws)
    ws.db.execute("DELETE FROM audit_log WHERE seq = 3")
    result = audit.verify(ws.db)
    assert not result.ok and result.first_bad["seq"] == 4


def test_truncation_is_detected_with_expected_head(ws):
    heads = _fill(ws)
    ws.db.execute("DELETE FROM audit_log WHERE seq >= 4")
    assert audit.verify(ws.db).ok  # the remaining prefix is consistent on its own
    result = audit.verify(ws.db, expect_head=heads[-1].hash)
    assert not result.ok and "truncated" in result.message


def test_hash_is_canonical_and_covers_the_documented_fields(ws):
    _fill(ws, 1)
    row = next(ws.db.query("SELECT * FROM audit_log"))
    expected = audit.sha256_text(
        audit.GENESIS
        + audit.canonical(
            {
                k: row[k]
                for k in (
                    "origin_uuid",
                    "seq",
                    "at",
                    "actor",
                    "action",
                    "entity",
                    "entity_uuid",
                    "payload_sha256",
                )
            }
        )
    )
    assert row["hash"] == expected
    assert row["origin_uuid"] == ws.uuid and row["os_user"]
