"""Passphrase encryption of a whole bundle: scrypt-derived key, AES-GCM in chunks.

Why: bundles carry customers' recordings and leave the building on laptops and e-mail. The whole
zip is encrypted, so not even member names or sizes show.

Layout: a 44-byte header, then the ciphertext in chunks::

    b"QAB1" | n u32 | r u32 | p u32 | chunk u32 | salt 16 bytes | nonce prefix 8 bytes
    chunk_0 … chunk_k      each = AESGCM(plaintext piece of ``chunk`` bytes (the last shorter)) + tag

The key is scrypt(passphrase, salt, n, r, p). Chunk ``i`` is sealed with nonce
``prefix | i (u24) | last-flag`` and the header as associated data, so a changed header, a
reordered, dropped or appended chunk, and a file cut short at a chunk boundary all fail to open
(the STREAM construction): a multi-gigabyte bundle never has to fit in memory, yet any damage or
a wrong passphrase is refused as one clear error — AES-GCM cannot tell those two apart, and says so.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from qa_studio.errors import DataRefused

MAGIC = b"QAB1"
_HEADER = struct.Struct(">4sIIII16s8s")
HEADER_SIZE = _HEADER.size
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
CHUNK = 1 << 20
TAG = 16
#: Header values accepted on reading: enough room for stronger settings later, never a DoS.
_N_RANGE, _R_RANGE, _P_RANGE = (2**14, 2**20), (1, 32), (1, 16)
_CHUNK_RANGE = (1 << 12, 1 << 26)
_MAX_CHUNKS = 1 << 24
WRONG = "wrong passphrase or damaged bundle"


def derive_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= _MAX_CHUNKS:
        raise DataRefused("the bundle is too large to encrypt in one file.")
    return prefix + index.to_bytes(3, "big") + (b"\x01" if last else b"\x00")


def is_encrypted(head: bytes) -> bool:
    return head[: len(MAGIC)] == MAGIC


class EncryptingWriter:
    """A write-only file object: bytes written are sealed chunk by chunk into ``raw``.

    ``zipfile`` writes into it as into an unseekable stream, so the plaintext zip never touches
    the disk. ``close()`` seals the last (possibly empty) chunk; it does not close ``raw``.
    """

    def __init__(self, raw: BinaryIO, passphrase: str, *, chunk: int = CHUNK) -> None:
        salt, prefix = os.urandom(16), os.urandom(8)
        self.header = _HEADER.pack(MAGIC, SCRYPT_N, SCRYPT_R, SCRYPT_P, chunk, salt, prefix)
        self._aead = AESGCM(derive_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P))
        self._raw, self._prefix, self._chunk = raw, prefix, chunk
        self._buffer = bytearray()
        self._index = 0
        self.closed = False
        raw.write(self.header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > self._chunk:
            self._seal(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(data)

    def flush(self) -> None:
        self._raw.flush()

    def _seal(self, piece: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._index, last)
        self._raw.write(self._aead.encrypt(nonce, piece, self.header))
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True
            self._raw.flush()


def _read_header(raw: BinaryIO) -> tuple[bytes, int, int, int, int, bytes, bytes]:
    header = raw.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        raise DataRefused(f"{WRONG}: the encryption header is cut short.")
    magic, n, r, p, chunk, salt, prefix = _HEADER.unpack(header)
    if magic != MAGIC:
        raise DataRefused("this is not an encrypted QA Studio bundle.")
    sane = (
        _N_RANGE[0] <= n <= _N_RANGE[1]
        and n & (n - 1) == 0
        and _R_RANGE[0] <= r <= _R_RANGE[1]
        and _P_RANGE[0] <= p <= _P_RANGE[1]
        and _CHUNK_RANGE[0] <= chunk <= _CHUNK_RANGE[1]
    )
    if not sane:
        raise DataRefused(f"{WRONG}: the encryption header holds impossible settings.")
    return header, n, r, p, chunk, salt, prefix


def decrypt_stream(
    raw: BinaryIO,
    out: BinaryIO,
    passphrase: str,
    *,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Decrypt ``raw`` (positioned at the header) into ``out``; return the plaintext size.

    Raises ``DataRefused("wrong passphrase or damaged bundle …")`` on any authentication failure.
    ``on_chunk(bytes_read)`` is called after each chunk (progress and cancellation).
    """
    header, n, r, p, chunk, salt, prefix = _read_header(raw)
    aead = AESGCM(derive_key(passphrase, salt, n, r, p))
    size = chunk + TAG
    index, total = 0, 0
    current = raw.read(size)
    while True:
        following = raw.read(size) if len(current) == size else b""
        last = not following
        if len(current) < TAG:
            raise DataRefused(f"{WRONG}: the encrypted data is cut short.")
        try:
            plain = aead.decrypt(_nonce(prefix, index, last), current, header)
        except InvalidTag:
            raise DataRefused(
                f"{WRONG}.",
                ["Check the passphrase file; if it is right, ask for the bundle to be sent again."],
            ) from None
        out.write(plain)
        total += len(plain)
        index += 1
        if on_chunk is not None:
            on_chunk(HEADER_SIZE + index * size)
        if last:
            return total
        current = following
