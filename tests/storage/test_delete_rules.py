"""m012: disputes and breaches refuse the deletion of their evaluation (ON DELETE RESTRICT).

A workspace at schema version 11 holding disputes and a breach is migrated: every row, index and
trigger is kept, the foreign keys are sound, deleting a disputed evaluation is refused, and the
schema equals a new workspace's.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from qa_studio.storage.db import open_workspace
from qa_studio.storage.migrations import migrations
from qa_studio.storage.table_rebuild import rebuild_with_delete_rules, with_delete_rule

NOW = "2026-10-02T09:00:00Z"


def _v11_workspace(path) -> None:
    """A version-11 workspace with two evaluations, three disputes and a breach (plain SQL, as
    an older QA Studio would have left it)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    migrations.apply(db, stop_before="m012_evidence_delete_rules")
    with db.atomic():
        db.execute(
            "INSERT INTO evaluators (id, uuid, name) VALUES (1, 'ev-1', 'Ann'), (2, 'ev-2', 'Bo')"
        )
        db.execute("INSERT INTO agents (id, uuid, external_id, name) VALUES (1, 'ag', 'A1', 'Al')")
        db.execute(
            "INSERT INTO interactions (id, uuid, external_id, channel, agent_id, started_at, "
            "imported_at) VALUES (1, 'i-1', 'INT-1', 'voice', 1, ?, ?), "
            "(2, 'i-2', 'INT-2', 'voice', 1, ?, ?)",
            [NOW, NOW, NOW, NOW],
        )
        db.execute(
            "INSERT INTO scorecards (id, uuid, key, name, channel) "
            "VALUES (1, 'sc', 'card', 'Card', 'voice')"
        )
        db.execute(
            "INSERT INTO scorecard_versions (id, uuid, scorecard_id, version, yaml, sha256, "
            "change_note, published_at) VALUES (1, 'v1', 1, 1, 'key: card', 'x', 'first', ?)",
            [NOW],
        )
        db.execute(
            "INSERT INTO evaluations (id, uuid, interaction_id, scorecard_version_id, "
            "evaluator_id, status, started_at, updated_at) VALUES "
            "(1, 'e-1', 1, 1, 1, 'submitted', ?, ?), (2, 'e-2', 2, 1, 2, 'submitted', ?, ?)",
            [NOW, NOW, NOW, NOW],
        )
        db.execute(
            "INSERT INTO disputes (id, uuid, evaluation_id, question_key, raised_by, raised_at, "
            "reason, status, resolution, resolved_by, resolved_at) VALUES "
            "(1, 'd-1', 1, 'greet', 'Al', ?, 'I did greet', 'open', NULL, NULL, NULL), "
            "(2, 'd-2', 1, 'idv', 'Al', ?, 'Checked ID', 'rejected', 'No ID check', 'Lee', ?), "
            "(7, 'd-7', 2, 'greet', 'Al', ?, 'Greeted', 'upheld', 'Agreed', 'Lee', ?)",
            [NOW] * 5,
        )
        db.execute(
            "INSERT INTO breaches (id, uuid, evaluation_id, question_key, kind, opened_at, "
            "ico_due) VALUES (1, 'b-1', 2, 'cvv', 'pci', ?, '2026-10-05T09:00:00Z')",
            [NOW],
        )
    conn.close()


def _schema(db) -> list[tuple]:
    return db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name"
    ).fetchall()


def _rows(db, table: str) -> list[tuple]:
    return db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def test_migrating_keeps_disputes_and_breaches_and_equals_a_new_schema(tmp_path):
    path = tmp_path / "old.qaw"
    _v11_workspace(path)
    conn = sqlite3.connect(path)
    before = {t: _rows(conn, t) for t in ("disputes", "breaches")}
    conn.close()
    ws = open_workspace(path)
    fresh = open_workspace(tmp_path / "new.qaw")
    try:
        assert ws.db.execute("PRAGMA user_version").fetchone()[0] == 12
        assert {t: _rows(ws.db, t) for t in before} == before
        assert ws.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert _schema(ws.db) == _schema(fresh.db)
        rules = {
            t: [(f[3], f[6]) for f in ws.db.execute(f"PRAGMA foreign_key_list({t})")]
            for t in before
        }
        assert rules == {
            "disputes": [("evaluation_id", "RESTRICT")],
            "breaches": [("evaluation_id", "RESTRICT")],
        }
        # The trigger kept on disputes still guards a resolved dispute …
        with pytest.raises(sqlite3.IntegrityError, match="resolved dispute cannot change"):
            ws.db.execute("UPDATE disputes SET reason = 'x' WHERE id = 2")
        # … and the partial unique index still allows one open dispute per question.
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            ws.db.execute(
                "INSERT INTO disputes (uuid, evaluation_id, question_key, raised_by, raised_at, "
                "reason) VALUES ('d-9', 1, 'greet', 'Al', ?, 'again')",
                [NOW],
            )
    finally:
        ws.close()
        fresh.close()


def test_an_evaluation_with_a_dispute_or_breach_cannot_be_deleted(tmp_path):
    path = tmp_path / "old.qaw"
    _v11_workspace(path)
    ws = open_workspace(path)
    try:
        for evaluation in (1, 2):  # 1 has disputes, 2 a dispute and a breach
            with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
                ws.db.execute("DELETE FROM evaluations WHERE id = ?", [evaluation])
        # Deferred checks move the refusal to the commit; nothing is lost either way.
        conn = ws.db.conn
        conn.execute("BEGIN")
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("DELETE FROM evaluations WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            conn.execute("COMMIT")
        conn.execute("ROLLBACK")
        assert ws.db.execute("SELECT count(*) FROM disputes").fetchone()[0] == 3
        assert ws.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 2
        # A dispute itself can still be removed on purpose (nothing references it).
        ws.db.execute("DELETE FROM disputes WHERE id = 7")
        assert ws.db.execute("SELECT count(*) FROM disputes").fetchone()[0] == 2
    finally:
        ws.close()


def test_rebuild_refuses_a_referenced_table_and_rewrites_one_clause_only():
    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id))")
    db.execute("CREATE TABLE g (id INTEGER PRIMARY KEY, c_id INTEGER REFERENCES c(id))")
    with pytest.raises(ValueError, match="referenced by g"):
        rebuild_with_delete_rules(db, "c", {"p_id": "CASCADE"})
    sql = "CREATE TABLE t (a INTEGER REFERENCES p(id) ON DELETE SET NULL, b INTEGER)"
    assert with_delete_rule(sql, "a", "CASCADE") == (
        "CREATE TABLE t (a INTEGER REFERENCES p(id) ON DELETE CASCADE, b INTEGER)"
    )
    with pytest.raises(ValueError, match="no single REFERENCES"):
        with_delete_rule(sql, "b", "CASCADE")
    with pytest.raises(ValueError, match="not an ON DELETE rule"):
        with_delete_rule(sql, "a", "DROP")
