"""``qa-studio --db FILE info [--json]``: schema version and row counts."""

from __future__ import annotations

from qa_studio.storage.repository.workspace_info import counts, schema_version


def register(sub, common) -> None:
    p = sub.add_parser("info", parents=[common], help="schema version and row counts")
    p.set_defaults(func=run)


def run(ctx) -> int:
    ws = ctx.workspace()
    doc = {"schema_version": schema_version(ws.db), "counts": counts(ws.db)}
    lines = [f"{ws.path}", f"schema version {doc['schema_version']}"]
    lines += [f"{k:>14}: {v}" for k, v in doc["counts"].items()]
    ctx.emit(doc, "\n".join(lines))
    return 0
