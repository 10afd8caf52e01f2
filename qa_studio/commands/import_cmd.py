"""``qa-studio --db FILE import PATH …`` and ``qa-studio --db FILE import-transcripts DIR``.

Thin: parse the arguments, call ``qa_studio.importers.api``, print the report (one JSON document
under ``--json``). Exit code 0 when every row was imported, 1 when anything was rejected or the
file was refused (the report says which rows and why).
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.errors import DataRefused


def register(sub, common) -> None:
    from qa_studio.importers.api import FORMATS

    p = sub.add_parser(
        "import",
        parents=[common],
        help="import interactions from a file",
        description="Import interactions from CSV, XLSX, our JSON, Amazon Connect "
        "contact records, Genesys Cloud conversation details or a "
        "Zendesk ticket export. One transaction: by default a file "
        "with any invalid row writes nothing.",
    )
    p.add_argument("path", metavar="PATH", help="the file to import")
    p.add_argument("--format", choices=FORMATS, help="the file's format (default: guessed)")
    p.add_argument(
        "--mapping",
        metavar="MAP.yaml",
        help="column mapping and value conversions (CSV/XLSX; values for all)",
    )
    p.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="store the valid rows; write the others to NAME.rejects.csv",
    )
    p.set_defaults(func=run_import)

    t = sub.add_parser(
        "import-transcripts",
        parents=[common],
        help="attach transcript files (and recordings beside them)",
        description="Attach transcripts (our JSON turns, Contact Lens, text, "
        "WebVTT, SRT, ABCD) to interactions by file name or the id "
        "the file names; link .wav/.mp3/.mp4 files with the same name.",
    )
    t.add_argument("folder", metavar="DIR", help="folder holding the transcript files")
    t.set_defaults(func=run_transcripts)


def run_import(ctx) -> int:
    from qa_studio.importers.api import run_import as do_import
    from qa_studio.importers.mapping import Mapping

    path = Path(ctx.args.path)
    if not path.is_file():
        raise DataRefused(f"{path} does not exist or is not a file")
    mapping = Mapping.load(Path(ctx.args.mapping)) if ctx.args.mapping else None
    ws = ctx.workspace()
    last = [0]

    def progress(done: int, total: int) -> None:
        if done - last[0] >= 100_000:
            last[0] = done
            ctx.progress(f"{done:,} / {total:,} rows")

    report = do_import(
        ws,
        path,
        fmt=ctx.args.format,
        mapping=mapping,
        dry_run=ctx.args.dry_run,
        skip_invalid=ctx.args.skip_invalid,
        progress=progress,
    )
    ctx.emit(report.as_dict(), report.summary())
    return 0 if report.ok else 1


def run_transcripts(ctx) -> int:
    from qa_studio.importers.api import import_transcripts

    report = import_transcripts(ctx.workspace(), Path(ctx.args.folder))
    ctx.emit(report.as_dict(), report.summary())
    return 0 if report.ok else 1
