"""LibreOffice opens a pack as a spreadsheet application would: it converts to PDF, and the
Evidence sheet shows a comment starting with "=" exactly as typed (not its value).

Skipped where ``soffice`` is not installed; ``.ci/run`` installs libreoffice-calc so CI runs it.
"""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from tests.export import pack_data as data

SOFFICE = shutil.which("soffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]
TIMEOUT_S = 180


def _soffice(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = (tmp_path / "lo-profile").as_uri()
    return subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", *args],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip


def test_pack_converts_to_pdf(october_packs, tmp_path):
    pack = next(f for f in october_packs[1] if "_A1_" in f.name)
    done = _soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(pack))
    pdf = tmp_path / pack.with_suffix(".pdf").name
    assert done.returncode == 0, done.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    # one page or more per sheet: seven sheets, none dropped
    assert pdf.read_bytes().count(b"/Type /Page\n") + pdf.read_bytes().count(b"/Type/Page") >= 7


def test_libreoffice_shows_formula_like_text_as_typed(october_packs, tmp_path):
    pack = next(f for f in october_packs[1] if "_A1_" in f.name)
    # CSV of every sheet (token 12 = -1: one file per sheet, named FILE-SHEET.csv)
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    done = _soffice(tmp_path, "--convert-to", fmt, "--outdir", str(tmp_path), str(pack))
    assert done.returncode == 0, done.stderr
    evidence = tmp_path / f"{pack.stem}-Evidence.csv"
    with evidence.open(encoding="utf-8", newline="") as fh:
        comments = [row[6] for row in csv.reader(fh)]
    assert data.FORMULA_COMMENT in comments
    assert "-nice-" in comments
    assert not any("4111" in c or "07700" in c for c in comments)
