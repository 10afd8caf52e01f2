"""Change a foreign key's ``ON DELETE`` rule by rebuilding the table, inside a migration.

Why a rebuild: SQLite cannot alter a constraint in place; the documented way is a new table with
the new definition, the rows copied, the old table dropped, and its indexes and triggers made
again. Migrations run inside one transaction with foreign keys on (``PRAGMA foreign_keys``
cannot change inside a transaction), so this works only for a table that no other table
references: dropping a referenced table would run the other tables' ``ON DELETE`` actions.
That is checked first, and ``PRAGMA foreign_key_check`` runs on the rebuilt table at the end.

The old table is renamed out of the way with ``legacy_alter_table`` on, so that triggers of
*other* tables that mention it by name (e.g. a trigger on ``answers`` reading ``disputes``) keep
pointing at the name, which the new table then takes; the flag is restored afterwards.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

_RULES = ("CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT", "NO ACTION")


def _sql_objects(db: Database, table: str) -> tuple[str, list[str]]:
    """The table's ``CREATE TABLE`` text and its explicit indexes' and triggers' texts."""
    row = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone()
    if row is None:
        raise ValueError(f"no table {table}")
    others = [
        r[0]
        for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, name",
            [table],
        )
    ]
    return row[0], others


def with_delete_rule(create_sql: str, column: str, rule: str) -> str:
    """``create_sql`` with ``ON DELETE rule`` on the column's ``REFERENCES parent(key)``."""
    if rule not in _RULES:
        raise ValueError(f"not an ON DELETE rule: {rule!r}")
    pattern = re.compile(
        rf"(\b{re.escape(column)}\s+INTEGER\b[^,]*?\bREFERENCES\s+\w+\s*\(\s*\w+\s*\))"
        r"(\s+ON\s+DELETE\s+(?:SET\s+NULL|SET\s+DEFAULT|NO\s+ACTION|CASCADE|RESTRICT))?",
        re.IGNORECASE,
    )
    changed, count = pattern.subn(rf"\1 ON DELETE {rule}", create_sql)
    if count != 1:
        raise ValueError(f"column {column} has no single REFERENCES clause to change")
    return changed


def rebuild_with_delete_rules(db: Database, table: str, rules: dict[str, str]) -> None:
    """Rebuild ``table`` so that each ``column: rule`` foreign key has that ``ON DELETE`` rule,
    keeping every row (same ids), index and trigger. The caller holds the transaction."""
    referenced_by = [
        r[0]
        for r in db.execute(
            "SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
            "WHERE m.type = 'table' AND f.\"table\" = ?",
            [table],
        )
    ]
    if referenced_by:
        raise ValueError(
            f"{table} is referenced by {', '.join(sorted(set(referenced_by)))}; "
            "rebuilding it inside a transaction would run their ON DELETE actions"
        )
    create_sql, others = _sql_objects(db, table)
    for column, rule in rules.items():
        create_sql = with_delete_rule(create_sql, column, rule)
    before = db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    old = f"{table}_before_rebuild"
    legacy = db.execute("PRAGMA legacy_alter_table").fetchone()[0]
    db.execute("PRAGMA legacy_alter_table = ON")
    try:
        db.execute(f"ALTER TABLE [{table}] RENAME TO [{old}]")
    finally:
        db.execute(f"PRAGMA legacy_alter_table = {int(legacy)}")
    db.execute(create_sql)
    db.execute(f"INSERT INTO [{table}] SELECT * FROM [{old}]")
    db.execute(f"DROP TABLE [{old}]")
    for sql in others:
        db.execute(sql)
    after = db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    problems = db.execute(f"PRAGMA foreign_key_check([{table}])").fetchall()
    if after != before or problems:
        raise ValueError(
            f"rebuilding {table} kept {after} of {before} rows"
            + (f"; {len(problems)} rows break a foreign key" if problems else "")
        )
