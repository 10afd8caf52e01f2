"""The ``.qab`` file: a zip of JSON records and recordings, described by ``manifest.json``.

Writing streams every member through sha256 and records the digest and size in the manifest.
Opening is defensive, because a bundle arrives from another machine by e-mail or USB stick: it is
refused — with a message naming the file and the member — when it is truncated, when a member's
name is absolute, has ``..``, a backslash or a drive letter, when it would unpack to more than the
size limit or a member is compressed suspiciously well (a zip bomb; both checked from the zip's
directory before anything is read), when a member's bytes do not match the manifest's sha256,
when it was made by a newer QA Studio (format or schema), when its kind is not the one expected,
and when it is encrypted and the passphrase is missing or wrong. Nothing is extracted to disk
here; ``extract`` writes one member where the caller asks, checking its digest again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from qa_studio import __version__
from qa_studio.bundles import crypto
from qa_studio.bundles.manifest import Manifest, parse_manifest
from qa_studio.errors import DataRefused

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
RECORDS = "records/"
MEDIA = "media/"
_READ = 1 << 20
#: A decrypted bundle up to this size stays in memory; a larger one goes to a private temp file.
IN_MEMORY_BYTES = 256 << 20
_TABLE = re.compile(r"^records/([a-z][a-z0-9_]{0,62})\.json$")
_MEDIA = re.compile(
    r"^media/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/(recording|screen)/"
    r"([A-Za-z0-9_][A-Za-z0-9._-]{0,119})$"
)
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


class BundleCancelled(DataRefused):
    """The user pressed Cancel: nothing was written."""

    def __init__(self) -> None:
        super().__init__("cancelled: nothing was written.")


def check_cancel(is_cancelled: IsCancelled | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise BundleCancelled()


@dataclass(frozen=True)
class BundleLimits:
    """What a bundle may unpack to; checked from the zip directory before anything is read."""

    max_total_bytes: int = 2 * 1024**3
    max_members: int = 100_000
    #: Uncompressed ÷ compressed size allowed for members bigger than ``ratio_floor`` bytes.
    max_ratio: int = 200
    ratio_floor: int = 1 << 20
    max_manifest_bytes: int = 32 << 20


def safe_media_name(name: str) -> str:
    """A recording's file name reduced to characters every file system accepts."""
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name.replace("\\", "/")).name).lstrip("._-")
    clean = clean[:120] or "recording"
    return f"_{clean}" if _WINDOWS_DEVICES.match(clean) else clean


def name_problem(name: str) -> str | None:
    """Why a member name is unsafe or not part of the layout, or None when it is fine."""
    if not name or len(name) > 512:
        return "empty or overlong name"
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if any(ord(c) < 32 for c in name):
        return "contains control characters"
    parts = name.split("/")
    if any(p in ("..", ".") for p in parts):
        return "contains '..' or '.'"
    if any(p == "" for p in parts):
        return "has an empty path component"
    if name == MANIFEST or _TABLE.match(name):
        return None
    m = _MEDIA.match(name)
    if m and not _WINDOWS_DEVICES.match(m.group(2)):
        return None
    return "is not part of the bundle layout (manifest.json, records/TABLE.json, media/…)"


def _refuse(source: str, message: str, details: list | None = None) -> DataRefused:
    return DataRefused(f"{source}: {message}", details or [])


def check_directory(infos: list[zipfile.ZipInfo], limits: BundleLimits, source: str) -> None:
    """Names, duplicates, sizes and compression ratios, from the zip directory alone."""
    if len(infos) > limits.max_members:
        raise _refuse(source, f"holds {len(infos):,} members; at most {limits.max_members:,}.")
    seen: set[str] = set()
    total = 0
    for info in infos:
        problem = name_problem(info.filename)
        if problem:
            raise _refuse(source, f"member '{info.filename}' {problem}; the bundle was refused.")
        if info.filename in seen:
            raise _refuse(source, f"member '{info.filename}' appears twice.")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise _refuse(source, f"member '{info.filename}' uses zip encryption (unsupported).")
        mode = (info.external_attr >> 16) & 0o170000
        if mode not in (0, 0o100000):
            raise _refuse(source, f"member '{info.filename}' is not a regular file.")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _refuse(
                source,
                f"unpacks to more than the limit of {limits.max_total_bytes:,} bytes.",
                ["Ask for a smaller bundle (one sample at a time), or raise the limit."],
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise _refuse(
                source,
                f"member '{info.filename}' expands {ratio:,.0f} times "
                f"(at most {limits.max_ratio}): refused as a possible zip bomb.",
            )
    if MANIFEST not in seen:
        raise _refuse(source, "has no manifest.json: it is not a QA Studio bundle.")


@dataclass
class OpenedBundle:
    """A bundle whose directory, manifest and member digests have all been checked."""

    path: Path
    manifest: Manifest
    manifest_sha256: str
    encrypted: bool
    _zip: zipfile.ZipFile
    _container: IO[bytes]
    _temp: Path | None = None
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.path.name

    def member_names(self) -> list[str]:
        return sorted(self.manifest.members)

    def tables(self) -> list[str]:
        return [m.group(1) for n in self.member_names() if (m := _TABLE.match(n))]

    def media_bytes(self) -> int:
        return sum(m.size for n, m in self.manifest.members.items() if n.startswith(MEDIA))

    def _open(self, name: str):
        try:
            return self._zip.open(name)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise _refuse(self.source, f"member '{name}' cannot be read ({exc}).") from exc

    def read_bytes(self, name: str) -> bytes:
        expected = self.manifest.members[name]
        try:
            with self._open(name) as fh:
                data = fh.read(expected.size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise _refuse(self.source, f"member '{name}' is damaged ({exc}).") from exc
        if len(data) != expected.size or hashlib.sha256(data).hexdigest() != expected.sha256:
            raise _refuse(self.source, f"member '{name}' does not match its sha256: tampered.")
        return data

    def records(self, table: str) -> list[dict]:
        """The rows of ``records/TABLE.json`` (empty when the bundle has none)."""
        name = f"{RECORDS}{table}.json"
        if name not in self.manifest.members:
            return []
        if name not in self._cache:
            try:
                rows = json.loads(self.read_bytes(name).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise _refuse(self.source, f"{name} is not valid JSON ({exc}).") from exc
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise _refuse(self.source, f"{name} must hold a list of records.")
            self._cache[name] = rows
        return self._cache[name]

    def extract(self, name: str, dest: Path, is_cancelled: IsCancelled | None = None) -> None:
        """Write one member to ``dest``, checking its digest again; ``dest`` is removed on error."""
        expected = self.manifest.members[name]
        digest, size = hashlib.sha256(), 0
        try:
            with self._open(name) as src, dest.open("wb") as out:
                while chunk := src.read(_READ):
                    check_cancel(is_cancelled)
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            if size != expected.size or digest.hexdigest() != expected.sha256:
                raise _refuse(self.source, f"member '{name}' does not match its sha256: tampered.")
        except BaseException as exc:
            dest.unlink(missing_ok=True)
            if isinstance(exc, zipfile.BadZipFile | EOFError | zlib.error):
                raise _refuse(self.source, f"member '{name}' is damaged ({exc}).") from exc
            raise

    def close(self) -> None:
        self._zip.close()
        self._container.close()
        if self._temp is not None:
            self._temp.unlink(missing_ok=True)
            self._temp = None

    def __enter__(self) -> OpenedBundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _decrypt(
    path: Path,
    passphrase: str,
    size: int,
    work_dir: Path | None,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> tuple[IO[bytes], Path | None]:
    def on_chunk(done: int) -> None:
        check_cancel(is_cancelled)
        if progress is not None:
            progress(min(done, size), size)

    temp: Path | None = None
    if size <= IN_MEMORY_BYTES:
        out: IO[bytes] = io.BytesIO()
    else:
        fd, name = tempfile.mkstemp(prefix=".qab-", suffix=".zip", dir=work_dir)
        temp = Path(name)
        out = os.fdopen(fd, "w+b")
    try:
        with path.open("rb") as raw:
            crypto.decrypt_stream(raw, out, passphrase, on_chunk=on_chunk)
        out.seek(0)
    except BaseException:
        out.close()
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    return out, temp


def open_bundle(
    path: str | Path,
    *,
    passphrase: str | None = None,
    limits: BundleLimits | None = None,
    expect_kind: str | None = None,
    work_dir: Path | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> OpenedBundle:
    """Open and check a bundle completely (every member's digest); ``DataRefused`` on any fault."""
    path, limits = Path(path), limits or BundleLimits()
    source = path.name
    if not path.is_file():
        raise DataRefused(f"{path} does not exist or is not a file.")
    size = path.stat().st_size
    with path.open("rb") as fh:
        encrypted = crypto.is_encrypted(fh.read(len(crypto.MAGIC)))
    temp: Path | None = None
    if encrypted:
        if passphrase is None:
            raise _refuse(source, "is encrypted: give its passphrase (--passphrase-file FILE).")
        if size > limits.max_total_bytes * 1.05 + (64 << 20):
            raise _refuse(source, f"is larger than the limit of {limits.max_total_bytes:,} bytes.")
        try:
            container, temp = _decrypt(path, passphrase, size, work_dir, progress, is_cancelled)
        except BundleCancelled:
            raise
        except DataRefused as exc:
            raise _refuse(source, exc.message, exc.details) from exc
    else:
        container = path.open("rb")
    try:
        try:
            archive = zipfile.ZipFile(container)
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            raise _refuse(
                source,
                "is truncated or damaged: it is not a complete bundle file.",
                ["Copy or download the bundle again; it may have been cut short."],
            ) from exc
        check_directory(archive.infolist(), limits, source)
        info = archive.getinfo(MANIFEST)
        if info.file_size > limits.max_manifest_bytes:
            raise _refuse(source, "manifest.json is too large.")
        try:
            manifest_bytes = archive.read(MANIFEST)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise _refuse(source, f"manifest.json is damaged ({exc}).") from exc
        manifest = parse_manifest(manifest_bytes, source, FORMAT_VERSION)
        if expect_kind is not None and manifest.kind != expect_kind:
            raise _refuse(
                source,
                f"is {'an' if manifest.kind == 'assignment' else 'a'} {manifest.kind} bundle, "
                f"but {'an' if expect_kind == 'assignment' else 'a'} {expect_kind} bundle "
                "was expected.",
            )
        bundle = OpenedBundle(
            path,
            manifest,
            hashlib.sha256(manifest_bytes).hexdigest(),
            encrypted,
            archive,
            container,
            temp,
        )
    except BaseException:
        container.close()
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    try:
        _check_members(bundle, archive, progress, is_cancelled)
    except BaseException:
        bundle.close()
        raise
    return bundle


def _check_members(
    bundle: OpenedBundle,
    archive: zipfile.ZipFile,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> None:
    """The zip holds exactly the manifest's members, each with its recorded size and sha256."""
    source, members = bundle.source, bundle.manifest.members
    present = {i.filename: i for i in archive.infolist() if i.filename != MANIFEST}
    missing = sorted(set(members) - set(present))
    extra = sorted(set(present) - set(members))
    if missing or extra:
        raise _refuse(
            source,
            "its members do not match the manifest: tampered or damaged.",
            [f"missing: {n}" for n in missing] + [f"not in the manifest: {n}" for n in extra],
        )
    total = sum(m.size for m in members.values()) or 1
    done = 0
    for name in sorted(members):
        expected = members[name]
        if present[name].file_size != expected.size:
            raise _refuse(source, f"member '{name}' has the wrong size: tampered or damaged.")
        digest = hashlib.sha256()
        try:
            with archive.open(name) as fh:
                while chunk := fh.read(_READ):
                    check_cancel(is_cancelled)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise _refuse(source, f"member '{name}' is damaged ({exc}).") from exc
        if digest.hexdigest() != expected.sha256:
            raise _refuse(
                source,
                f"member '{name}' does not match its sha256 in the manifest: the bundle was "
                "tampered with or damaged, and was refused.",
            )


def app_version() -> str:
    return __version__


def stored_compression(name: str) -> int:
    """Recordings are stored as they are: audio barely deflates (PCM by 10–15 %, MP3 not at all)
    and deflating it would make exports several times slower; JSON records are deflated."""
    return zipfile.ZIP_STORED if name.startswith(MEDIA) else zipfile.ZIP_DEFLATED
