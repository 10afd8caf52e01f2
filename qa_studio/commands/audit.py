"""``qa-studio --db FILE audit verify|head``: check the tamper-evident audit trail.

* ``audit verify [--expect-head HASH]`` — recompute every chain; exit 0 when intact, 1 naming the
  first bad row when a row was edited or deleted, or when the expected head (taken from a bundle,
  an export or a note) is no longer there because the log was truncated.
* ``audit head`` — this workspace's chain head (origin, seq, hash), to note down or compare later.
"""

from __future__ import annotations

from qa_studio.storage.repository import audit


def register(sub, common) -> None:
    group = sub.add_parser(
        "audit",
        help="verify the audit trail or show its head",
        description="Check the workspace's tamper-evident audit trail.",
    )
    actions = group.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    p = actions.add_parser(
        "verify",
        parents=[common],
        help="detect edited, deleted or truncated audit rows",
        description="Recompute every audit chain. Exits 0 when intact, 1 naming the first bad "
        "row. Give --expect-head with a head hash noted earlier to detect truncation.",
    )
    p.add_argument(
        "--expect-head",
        metavar="HASH",
        help="a head hash recorded earlier (from `audit head` or a bundle)",
    )
    p.set_defaults(func=run_verify)
    h = actions.add_parser("head", parents=[common], help="this workspace's audit chain head")
    h.set_defaults(func=run_head)


def _head(ws) -> dict:
    head = audit.head(ws.db, ws.uuid)
    return {"origin_uuid": head.origin_uuid, "seq": head.seq, "hash": head.hash}


def run_verify(ctx) -> int:
    ws = ctx.workspace(create=False)
    expect = (ctx.args.expect_head or "").strip().lower() or None
    result = audit.verify(ws.db, expect_head=expect)
    doc = {
        "ok": result.ok,
        "rows": result.rows,
        "chains": result.chains,
        "head": _head(ws),
        "first_bad": result.first_bad,
        "message": result.message,
    }
    if result.ok:
        text = f"OK: {result.message}"
    else:
        text = f"TAMPERED: {result.message}"
        if result.first_bad and result.first_bad.get("id") is not None:
            text += f" (audit_log id {result.first_bad['id']})"
    ctx.emit(doc, text)
    return 0 if result.ok else 1


def run_head(ctx) -> int:
    ws = ctx.workspace(create=False)
    doc = _head(ws)
    ctx.emit(doc, f"chain {doc['origin_uuid']} seq {doc['seq']} hash {doc['hash']}")
    return 0
