"""``qa-studio --db FILE bundle …``: send work to evaluators and take their results back.

* ``bundle export --evaluator NAME [--sample ID | --calibration ID] --out FILE.qab
  [--passphrase-file F]`` — the evaluator's open sample items (or their part in a calibration
  session), with recordings and scorecards, as an assignment bundle;
* ``bundle export-results [--include-drafts] [--evaluator NAME] --out FILE.qab`` — this
  workspace's evaluations and all its audit rows, as a results bundle;
* ``bundle import FILE.qab [--dry-run] [--kind KIND] [--no-drafts] [--max-size SIZE]`` — check and
  merge a bundle (``--db`` is created when missing: an evaluator's new workspace); prints
  ``{"inserted", "updated", "skipped", "conflicts", …}``;
* ``bundle inspect FILE.qab`` — check a bundle and show its manifest (no workspace needed);
* ``bundle conflicts [--all] [--id N]`` and ``bundle resolve ID --keep mine|theirs [--by NAME]``.

Exit codes: 0 done (conflicts are listed, not failures), 1 refused (nothing was written),
2 wrong usage.
"""

from __future__ import annotations

import re
from pathlib import Path

from qa_studio.errors import QAStudioError, UsageError

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def register(sub, common) -> None:
    group = sub.add_parser(
        "bundle",
        help="offline bundles: send work to evaluators, take results back",
        description="Exchange work with evaluators who score offline, as .qab files.",
    )
    actions = group.add_subparsers(dest="bundle_command", metavar="SUBCOMMAND", required=True)
    secret = {"metavar": "FILE", "help": "encrypt/decrypt with the passphrase in FILE"}

    e = actions.add_parser("export", parents=[common], help="an evaluator's assignment bundle")
    e.add_argument("--evaluator", required=True, metavar="NAME")
    e.add_argument("--sample", type=int, metavar="ID", help="only this sample's items")
    e.add_argument(
        "--calibration", type=int, metavar="ID", help="the evaluator's part in calibration ID"
    )
    e.add_argument("--out", required=True, metavar="FILE.qab")
    e.add_argument("--passphrase-file", **secret)
    e.set_defaults(func=run_export)

    r = actions.add_parser("export-results", parents=[common], help="a results bundle")
    r.add_argument("--include-drafts", action="store_true", help="send unfinished drafts too")
    r.add_argument("--evaluator", metavar="NAME", help="only this evaluator's evaluations")
    r.add_argument("--out", required=True, metavar="FILE.qab")
    r.add_argument("--passphrase-file", **secret)
    r.set_defaults(func=run_export_results)

    i = actions.add_parser("import", parents=[common], help="check and merge a bundle")
    i.add_argument("bundle", metavar="FILE.qab")
    i.add_argument("--dry-run", action="store_true", help="check and compare, write nothing")
    i.add_argument("--kind", choices=("assignment", "results"), help="refuse the other kind")
    i.add_argument(
        "--no-drafts", action="store_true", help="do not start drafts for an assignment's items"
    )
    i.add_argument("--max-size", metavar="SIZE", help="unpacked size limit (default 2G)")
    i.add_argument("--passphrase-file", **secret)
    i.set_defaults(func=run_import)

    n = actions.add_parser("inspect", parents=[common], help="check a bundle, show its manifest")
    n.add_argument("bundle", metavar="FILE.qab")
    n.add_argument("--max-size", metavar="SIZE", help="unpacked size limit (default 2G)")
    n.add_argument("--passphrase-file", **secret)
    n.set_defaults(func=run_inspect)

    c = actions.add_parser("conflicts", parents=[common], help="list or show merge conflicts")
    c.add_argument("--all", action="store_true", help="resolved conflicts too")
    c.add_argument("--id", type=int, metavar="N", help="show conflict N side by side")
    c.set_defaults(func=run_conflicts)

    s = actions.add_parser("resolve", parents=[common], help="keep mine or take theirs")
    s.add_argument("id", type=int, metavar="ID")
    s.add_argument("--keep", required=True, choices=("mine", "theirs"))
    s.add_argument("--by", metavar="NAME", help="the QA lead resolving it")
    s.set_defaults(func=run_resolve)


def parse_size(text: str | None) -> int | None:
    """``2G``, ``500M``, ``1.5GiB`` or plain bytes."""
    if text is None:
        return None
    m = _SIZE.match(text)
    if not m:
        raise UsageError(f"--max-size '{text}' is not a size (e.g. 2G, 500M, 1048576).")
    unit = m.group(2).lower()
    factor = 1024 ** ("kmgt".index(unit) + 1) if unit else 1
    return int(float(m.group(1)) * factor)


def _limits(ctx):
    from qa_studio.bundles.format import BundleLimits

    size = parse_size(getattr(ctx.args, "max_size", None))
    return BundleLimits() if size is None else BundleLimits(max_total_bytes=size)


def _passphrase(ctx) -> str | None:
    from qa_studio.bundles.api import read_passphrase

    source = getattr(ctx.args, "passphrase_file", None)
    return read_passphrase(source) if source else None


def _reporter(ctx, what: str):
    shown = [-1]

    def report(done: int, total: int) -> None:
        tenth = (10 * done) // max(total, 1)
        if tenth != shown[0]:
            shown[0] = tenth
            ctx.progress(f"{what}: {10 * tenth}%")

    return report


def run_export(ctx) -> int:
    from qa_studio.bundles import api

    scope = None
    if ctx.args.calibration is not None:
        from qa_studio.bundles.calibration_scope import calibration_scope

        if ctx.args.sample is not None:
            raise UsageError("give --sample or --calibration, not both")
        scope = calibration_scope(
            ctx.workspace(create=False), ctx.args.evaluator, ctx.args.calibration
        )
    result = api.export_assignment(
        ctx.workspace(create=False),
        Path(ctx.args.out),
        ctx.args.evaluator,
        sample_id=ctx.args.sample,
        scope=scope,
        passphrase=_passphrase(ctx),
        progress=_reporter(ctx, "writing bundle"),
    )
    ctx.emit(result.as_dict(), result.summary())
    return 0


def run_export_results(ctx) -> int:
    from qa_studio.bundles import api

    result = api.export_results(
        ctx.workspace(create=False),
        Path(ctx.args.out),
        include_drafts=ctx.args.include_drafts,
        evaluator=ctx.args.evaluator,
        passphrase=_passphrase(ctx),
        progress=_reporter(ctx, "writing bundle"),
    )
    ctx.emit(result.as_dict(), result.summary())
    return 0


def _remove_new_workspace(path: Path) -> None:
    """Undo creating ``--db`` when the import into it wrote nothing."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    media = path.with_name(path.stem + ".media")
    if media.is_dir() and not any(media.iterdir()):
        media.rmdir()


def run_import(ctx) -> int:
    from qa_studio.bundles.format import open_bundle
    from qa_studio.bundles.merge import import_opened

    db_path = ctx.db_path()
    created = not db_path.exists() or db_path.stat().st_size == 0
    with open_bundle(
        Path(ctx.args.bundle),
        passphrase=_passphrase(ctx),
        limits=_limits(ctx),
        expect_kind=ctx.args.kind,
        work_dir=db_path.parent.resolve() if db_path.parent.is_dir() else None,
        progress=_reporter(ctx, "checking bundle"),
    ) as bundle:
        try:
            result = import_opened(
                ctx.workspace(),
                bundle,
                dry_run=ctx.args.dry_run,
                start_drafts=not ctx.args.no_drafts,
                progress=_reporter(ctx, "merging"),
            )
        except QAStudioError:
            if created:
                ctx.close()
                _remove_new_workspace(db_path)
            raise
    if created and result.dry_run:
        ctx.close()
        _remove_new_workspace(db_path)
    ctx.emit(result.as_dict(), result.summary())
    return 0


def run_inspect(ctx) -> int:
    from qa_studio.bundles import api

    info = api.inspect(Path(ctx.args.bundle), passphrase=_passphrase(ctx), limits=_limits(ctx))
    doc = info.as_dict()
    text = (
        f"{info.path.name}: {doc['kind']} bundle, {info.size_bytes:,} bytes"
        f"{', encrypted' if info.encrypted else ''}; all {doc['members']} members verified\n"
        f"  from {doc['origin']['workspace_name']} ({doc['origin']['workspace_uuid']}) by "
        f"{doc['created_by']['actor']} at {doc['created_at']}\n"
        f"  records: {', '.join(f'{n:,} {t}' for t, n in doc['counts'].items())}\n"
        f"  audit head: seq {doc['audit_head'].get('seq')} {doc['audit_head'].get('hash')}"
    )
    ctx.emit(doc, text)
    return 0


def run_conflicts(ctx) -> int:
    from qa_studio.bundles import api

    ws = ctx.workspace(create=False)
    if ctx.args.id is not None:
        found = api.conflict_detail(ws, ctx.args.id)
        c = found.conflict
        lines = [
            f"conflict {c.id} ({c.kind.replace('_', ' ')}, {c.status}): evaluation of "
            f"{c.interaction} by {c.mine.evaluator}, from {c.origin_name}",
            f"  {'':24} {'here':>18} {'theirs':>18}",
            *(f"  {f:24} {m!s:>18} {t!s:>18}" for f, m, t in found.fields),
            *(
                f"{'*' if q.differs else ' '} {q.key:24} {q.mine!s:>18} {q.theirs!s:>18}"
                for q in found.questions
            ),
        ]
        ctx.emit(found.as_dict(), "\n".join(lines))
        return 0
    items = api.list_conflicts(ws, status=None if ctx.args.all else "open")
    text = "\n".join(
        f"{c.id}: {c.interaction} by {c.mine.evaluator} — {c.kind.replace('_', ' ')}, "
        f"{c.status.replace('_', ' ')} (here {c.mine.status} {c.mine.percent}, theirs "
        f"{c.theirs.status} {c.theirs.percent})"
        for c in items
    )
    ctx.emit({"conflicts": [c.as_dict() for c in items]}, text or "no conflicts")
    return 0


def run_resolve(ctx) -> int:
    from qa_studio.bundles import api

    done = api.resolve_conflict(
        ctx.workspace(create=False), ctx.args.id, ctx.args.keep, by=ctx.args.by
    )
    ctx.emit(
        done.as_dict(),
        f"conflict {done.id}: {done.status.replace('_', ' ')} by {done.resolved_by}",
    )
    return 0
