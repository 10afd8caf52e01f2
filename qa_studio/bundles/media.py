"""Recordings from a bundle: staged beside the media folder, put in place after the commit.

The database and the file system cannot share one transaction, so the files are extracted (and
their digests checked again) into a hidden staging folder *before* the database commits, and are
renamed into place — a cheap, atomic step on the same disk — only *after* it has. If anything fails
before the commit, the staging folder is removed and the database rolls back: neither the
database nor the media folder has changed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from qa_studio.bundles.format import IsCancelled, OpenedBundle
from qa_studio.bundles.merge_rows import MediaCopy
from qa_studio.storage.db import Workspace


@dataclass
class Staged:
    """Files extracted and checked, waiting for the database to commit."""

    folder: Path | None
    moves: list[tuple[Path, Path]] = field(default_factory=list)
    created_media_dir: bool = False
    bytes: int = 0

    def place(self) -> int:
        """Move every staged file to its target (after the commit); return how many."""
        for staged, target in self.moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        self.discard(keep_media_dir=True)
        return len(self.moves)

    def discard(self, *, keep_media_dir: bool = False) -> None:
        """Remove the staging folder (and a media folder this import created, if empty)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            if self.created_media_dir and not keep_media_dir:
                with contextlib.suppress(OSError):
                    self.folder.parent.rmdir()
            self.folder = None


def stage(
    ws: Workspace,
    bundle: OpenedBundle,
    copies: list[MediaCopy],
    is_cancelled: IsCancelled | None = None,
) -> Staged:
    """Extract the planned recordings into ``NAME.media/.incoming-…``; removed on any error."""
    if not copies:
        return Staged(None)
    created = not ws.media_dir.exists()
    ws.media_dir.mkdir(parents=True, exist_ok=True)
    staged = Staged(Path(tempfile.mkdtemp(prefix=".incoming-", dir=ws.media_dir)), [], created)
    try:
        seen: dict[Path, Path] = {}
        for n, copy in enumerate(copies):
            if copy.target in seen:
                continue
            part = staged.folder / f"{n:06d}.part"  # type: ignore[operator]
            bundle.extract(copy.member, part, is_cancelled)
            staged.bytes += part.stat().st_size
            staged.moves.append((part, copy.target))
            seen[copy.target] = part
    except BaseException:
        staged.discard()
        raise
    return staged
