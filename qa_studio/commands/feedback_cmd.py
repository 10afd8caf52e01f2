"""``qa-studio --db FILE import-feedback FILE --kind survey|mystery_shop [--skip-invalid]
[--dry-run]`` — customer surveys and mystery-shop results (registered by ``commands.complaints``).

Exit code 1 when any row was refused (with ``--skip-invalid`` the good rows are stored and the
bad ones written to ``<name>.rejects.csv``).
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.errors import DataRefused
from qa_studio.importers.feedback import KINDS, import_feedback


def register(sub, common) -> None:
    p = sub.add_parser(
        "import-feedback",
        parents=[common],
        help="import survey responses or mystery-shop results (CSV/XLSX)",
        description="Survey rows: interaction, score, comment. Mystery-shop rows: interaction "
        "or mystery_id (+ channel, agent, started_at), scorecard, evaluator and one column per "
        "question key.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--skip-invalid", dest="skip_invalid", action="store_true",
                   help="store the good rows; write the bad ones to NAME.rejects.csv")  # fmt: skip
    p.add_argument("--dry-run", dest="dry_run", action="store_true", help="check only")
    p.set_defaults(func=run)


def run(ctx) -> int:
    path = Path(ctx.args.file)
    if not path.is_file():
        raise DataRefused(f"{path} does not exist or is not a file")
    report = import_feedback(ctx.workspace(create=False), path, ctx.args.kind,
                             skip_invalid=ctx.args.skip_invalid, dry_run=ctx.args.dry_run)  # fmt: skip
    doc = report.as_dict()
    if report.rejects_path is not None:
        doc["rejects_path"] = str(report.rejects_path)
    ctx.emit(doc, report.summary())
    return 0 if report.ok else 1
