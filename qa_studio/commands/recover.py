"""``qa-studio --db FILE recover [--restore [BACKUP]] [--json]``: check a workspace, restore a backup.

Without ``--restore`` it only reports: the file's integrity check and the backups beside it
(exit 1 when the file is damaged). ``--restore`` replaces the file with the latest sound backup
(or the one named), keeping the damaged file as ``NAME.damaged-STAMP``. The workspace is never
opened through ``open_workspace`` here: that would refuse the very file we are repairing.
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.errors import DataRefused, UsageError


def register(sub, common) -> None:
    p = sub.add_parser(
        "recover",
        parents=[common],
        help="check a workspace file and restore its latest backup",
        description="Check the workspace (PRAGMA integrity_check) and list its backups; with "
        "--restore, replace it with the latest sound backup (the damaged file is kept).",
    )
    p.add_argument("--restore", nargs="?", const="", metavar="BACKUP",
                   help="restore BACKUP (default: the latest sound backup)")  # fmt: skip
    p.set_defaults(func=run)


def run(ctx) -> int:
    from qa_studio.storage import recovery

    if not getattr(ctx.args, "db", None):
        raise UsageError("recover needs the workspace file: give --db FILE")
    path = Path(ctx.args.db)
    if not path.is_file():
        raise DataRefused(f"{path} does not exist")
    if ctx.args.restore is not None:
        chosen = Path(ctx.args.restore) if ctx.args.restore else None
        done = recovery.restore(path, chosen)
        doc = {
            "restored": str(done.workspace),
            "from": str(done.backup),
            "damaged_copy": str(done.damaged_copy) if done.damaged_copy else None,
        }
        ctx.emit(doc, f"restored {done.workspace.name} from {done.backup.name}; "
                      f"the damaged file is kept as {doc['damaged_copy']}")  # fmt: skip
        return 0
    problems = recovery.check_integrity(path, full=True)
    backups = recovery.find_backups(path)
    doc = {
        "ok": not problems,
        "problems": problems,
        "backups": [{"path": str(b.path), "version": b.version} for b in backups],
    }
    lines = [f"{path}: " + ("integrity check ok" if not problems else "DAMAGED")]
    lines += [f"  {p}" for p in problems]
    lines += recovery.restore_advice(path, backups) if problems else []
    ctx.emit(doc, "\n".join(lines))
    return 0 if not problems else 1
