"""Passphrase encryption: round trips, and every kind of damage refused as one clear error."""

from __future__ import annotations

import io
import os

import pytest

from qa_studio.bundles import api, crypto
from qa_studio.errors import DataRefused, UsageError
from tests.bundles.helpers import build_lead, open_ws, snapshot


def _seal(data: bytes, passphrase: str = "correct horse", chunk: int = 4096) -> bytes:
    raw = io.BytesIO()
    writer = crypto.EncryptingWriter(raw, passphrase, chunk=chunk)
    for start in range(0, len(data), 1000):
        writer.write(data[start : start + 1000])
    writer.close()
    return raw.getvalue()


def _open(blob: bytes, passphrase: str = "correct horse") -> bytes:
    out = io.BytesIO()
    crypto.decrypt_stream(io.BytesIO(blob), out, passphrase)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 * 4096, 20_000])
def test_round_trip_at_chunk_boundaries(size):
    data = os.urandom(size)
    blob = _seal(data)
    assert blob.startswith(b"QAB1") and crypto.is_encrypted(blob)
    assert size < 32 or data not in blob
    assert _open(blob) == data


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1],  # last byte cut
        lambda b: b[: crypto.HEADER_SIZE + 4096 + crypto.TAG],  # cut at a chunk boundary
        lambda b: b + b"\x00" * 40,  # appended
        lambda b: b[:20] + bytes([b[20] ^ 1]) + b[21:],  # header (the salt) changed
        lambda b: b[:60] + bytes([b[60] ^ 1]) + b[61:],  # ciphertext changed
        lambda b: b[:10],  # header cut short
    ],
)
def test_damage_is_refused(damage):
    blob = _seal(os.urandom(10_000))
    with pytest.raises(DataRefused, match="wrong passphrase or damaged bundle"):
        _open(damage(blob))


def test_wrong_passphrase_is_refused():
    with pytest.raises(DataRefused, match="wrong passphrase or damaged bundle"):
        _open(_seal(b"recordings"), "Correct horse")


def test_encrypted_bundle_round_trip_and_refusals(tmp_path):
    lead = build_lead(tmp_path / "lead.qaw")
    secret = tmp_path / "pass.txt"
    secret.write_text("battery staple\n", encoding="utf-8")
    passphrase = api.read_passphrase(secret)
    assert passphrase == "battery staple"
    out = api.export_assignment(lead, tmp_path / "a.qab", "Ann", passphrase=passphrase)
    assert out.encrypted
    data = (tmp_path / "a.qab").read_bytes()
    assert data.startswith(b"QAB1") and b"records/" not in data and b"INT-1" not in data
    assert not list(tmp_path.glob(".a.qab.*"))

    laptop = open_ws(tmp_path / "l" / "ann.qaw", "Ann")
    before = snapshot(laptop)
    with pytest.raises(DataRefused, match=r"a\.qab: is encrypted: give its passphrase"):
        api.import_bundle(laptop, tmp_path / "a.qab")
    with pytest.raises(DataRefused, match=r"a\.qab: wrong passphrase or damaged bundle"):
        api.import_bundle(laptop, tmp_path / "a.qab", passphrase="battery stapler")
    assert snapshot(laptop) == before
    info = api.inspect(tmp_path / "a.qab", passphrase=passphrase)
    assert info.encrypted and info.manifest["kind"] == "assignment"
    result = api.import_bundle(laptop, tmp_path / "a.qab", passphrase=passphrase)
    assert result.encrypted and result.inserted["interactions"] == 2 and result.media_files == 2
    laptop.close()
    lead.close()


def test_passphrase_files_that_cannot_be_used(tmp_path):
    with pytest.raises(UsageError, match="cannot be read"):
        api.read_passphrase(tmp_path / "missing.txt")
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    with pytest.raises(UsageError, match="is empty"):
        api.read_passphrase(tmp_path / "empty.txt")


def test_a_large_encrypted_bundle_is_decrypted_to_a_private_file_then_removed(
    tmp_path, monkeypatch
):
    from qa_studio.bundles import format as bundle_format

    monkeypatch.setattr(bundle_format, "IN_MEMORY_BYTES", 0)
    lead = build_lead(tmp_path / "lead.qaw")
    api.export_assignment(lead, tmp_path / "a.qab", "Ann", passphrase="pw")
    laptop = open_ws(tmp_path / "l" / "ann.qaw", "Ann")
    seen = []
    real = bundle_format.tempfile.mkstemp

    def spy(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        seen.append(name)
        return fd, name

    monkeypatch.setattr(bundle_format.tempfile, "mkstemp", spy)
    result = api.import_bundle(laptop, tmp_path / "a.qab", passphrase="pw")
    assert result.inserted["interactions"] == 2
    assert len(seen) == 1 and seen[0].startswith(str(tmp_path / "l"))
    assert not any(os.path.exists(n) for n in seen)
    laptop.close()
    lead.close()
