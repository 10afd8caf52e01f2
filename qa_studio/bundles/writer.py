"""Writing a ``.qab``: members streamed through sha256 into a zip, the manifest last.

The zip goes to a hidden temporary file beside the destination and is renamed into place only
when complete, so a cancelled or failed export never leaves a half-written bundle under the real
name. With a passphrase the zip is written straight into ``crypto.EncryptingWriter``: the
plaintext never reaches the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
import zipfile
from pathlib import Path
from typing import IO

from qa_studio.bundles import crypto
from qa_studio.bundles.format import (
    MANIFEST,
    IsCancelled,
    Progress,
    check_cancel,
    name_problem,
    stored_compression,
)
from qa_studio.bundles.manifest import Member
from qa_studio.errors import DataRefused

_CHUNK = 1 << 20
#: Members larger than this are written as ZIP64 entries (the size is known before writing).
_ZIP64_FROM = 1 << 30


class BundleWriter:
    """``add_json``/``add_file`` members, then ``finish(manifest_fields)``; use as a context
    manager so any error (or Cancel) removes the temporary file."""

    def __init__(
        self,
        out: Path,
        *,
        passphrase: str | None = None,
        progress: Progress | None = None,
        is_cancelled: IsCancelled | None = None,
        total_bytes: int = 0,
    ) -> None:
        self.out = Path(out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{self.out.name}.", suffix=".part", dir=self.out.parent
        )
        self._temp = Path(name)
        self._raw: IO[bytes] = os.fdopen(fd, "wb")
        self._encryptor = crypto.EncryptingWriter(self._raw, passphrase) if passphrase else None
        target = self._encryptor if self._encryptor is not None else self._raw
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)  # type: ignore[arg-type]
        self.members: dict[str, Member] = {}
        self.encrypted = passphrase is not None
        self._progress, self._cancelled = progress, is_cancelled
        self._total, self._done = max(total_bytes, 1), 0
        self._stamp = time.localtime()[:6]

    def _open(self, name: str, size: int):
        """A write handle for one member: recordings stored, records deflated (level 1: JSON
        shrinks almost as much as at level 9, several times faster)."""
        problem = name_problem(name)
        if problem or name in self.members:
            raise DataRefused(f"cannot write bundle member '{name}': {problem or 'duplicate'}.")
        zip64 = size > _ZIP64_FROM
        if stored_compression(name) == zipfile.ZIP_DEFLATED:
            return self._zip.open(name, "w", force_zip64=zip64)
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = size
        return self._zip.open(info, "w", force_zip64=zip64)

    def _advance(self, n: int) -> None:
        self._done += n
        if self._progress is not None:
            self._progress(min(self._done, self._total), self._total)

    def add_bytes(self, name: str, data: bytes) -> Member:
        check_cancel(self._cancelled)
        with self._open(name, len(data)) as fh:
            fh.write(data)
        member = self.members[name] = Member(hashlib.sha256(data).hexdigest(), len(data))
        self._advance(len(data))
        return member

    def add_json(self, name: str, obj: object) -> Member:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return self.add_bytes(name, text.encode("utf-8"))

    def add_file(self, name: str, src: Path) -> Member:
        size = src.stat().st_size
        digest, written = hashlib.sha256(), 0
        with src.open("rb") as fh, self._open(name, size) as out:
            while chunk := fh.read(_CHUNK):
                check_cancel(self._cancelled)
                digest.update(chunk)
                out.write(chunk)
                written += len(chunk)
                self._advance(len(chunk))
        if written != size:
            raise DataRefused(f"{src} changed size while it was being written to the bundle.")
        member = self.members[name] = Member(digest.hexdigest(), size)
        return member

    def finish(self, manifest: bytes) -> str:
        """Write ``manifest.json``, close, and move the bundle into place; return its sha256."""
        check_cancel(self._cancelled)
        info = zipfile.ZipInfo(MANIFEST, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o100644 << 16
        self._zip.writestr(info, manifest)
        self._zip.close()
        if self._encryptor is not None:
            self._encryptor.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._temp, self.out)
        return hashlib.sha256(manifest).hexdigest()

    def abort(self) -> None:
        for closer in (self._zip.close, getattr(self._encryptor, "close", None), self._raw.close):
            if closer is None:
                continue
            with contextlib.suppress(OSError, ValueError, zipfile.BadZipFile):
                closer()
        self._temp.unlink(missing_ok=True)

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
