"""Fuzz the JSON and Amazon Connect importers and the transcript importer.

Records are real ones (``tests/data/importers``) with fields replaced by adversarial values,
plus raw junk, deeply nested arrays and broken encodings. Each file imports or is refused with
row-numbered problems; a refusal leaves the workspace as it was.
"""

from __future__ import annotations

import itertools
import json

from hypothesis import given
from hypothesis import strategies as st

from qa_studio.errors import QAStudioError
from qa_studio.importers.api import import_transcripts, run_import
from tests.hardening.fuzz_support import (
    CASES,
    ENCODINGS,
    adversarial_text,
    assert_chain_ok,
    assert_clear_refusal,
    counts,
    encode,
)
from tests.importers.helpers import DATA

CONNECT = [json.loads(line) for line in (DATA / "connect_ctr.jsonl").read_text().splitlines()]
FIELD_PATHS = [
    ("ContactId",),
    ("Channel",),
    ("InitiationTimestamp",),
    ("DisconnectTimestamp",),
    ("Agent", "Username"),
    ("Agent", "AgentInteractionDuration"),
    ("Queue", "Name"),
    ("Attributes",),
    ("Recording",),
]
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), adversarial_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _set(record: dict, path: tuple[str, ...], value) -> None:
    target = record
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[path[-1]] = value


def _check(ws, path) -> None:
    before = counts(ws)
    try:
        report = run_import(ws, path)
    except QAStudioError as exc:
        assert_clear_refusal(exc, path.name)
        assert counts(ws) == before
        return
    if report.errors:
        assert all(e.message.strip() and e.row >= 0 for e in report.errors)
        assert not report.written
        assert counts(ws) == before
    else:
        assert counts(ws)[0] == before[0] + report.inserted
    assert_chain_ok(ws)


def test_fuzz_connect_records(ws, tmp_path):
    numbers = itertools.count()
    start = CASES["connect"]

    @given(
        picks=st.lists(st.tuples(st.sampled_from(FIELD_PATHS), json_value), min_size=1, max_size=4),
        which=st.integers(0, len(CONNECT) - 1),
        encoding=ENCODINGS,
    )
    def case(picks, which, encoding):
        CASES["connect"] += 1
        n = next(numbers)
        records = json.loads(json.dumps(CONNECT))
        for record in records:
            record["ContactId"] = f"{record['ContactId']}-{n}"
        for path, value in picks:
            _set(records[which], path, value)
        text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
        file = tmp_path / f"ctr{n}.jsonl"
        file.write_bytes(encode(text, encoding))
        _check(ws, file)

    case()
    assert CASES["connect"] > start


def test_fuzz_our_json(ws, tmp_path):
    numbers = itertools.count()
    start = CASES["json"]

    @given(records=st.lists(st.dictionaries(
        st.sampled_from(["external_id", "channel", "started_at", "agent", "queue", "duration_s",
                         "csat", "tags", "transcript"]),
        json_value, min_size=1, max_size=6), min_size=1, max_size=4))  # fmt: skip
    def case(records):
        CASES["json"] += 1
        n = next(numbers)
        for i, record in enumerate(records):
            record.setdefault("external_id", f"J{n}-{i}")
            record.setdefault("channel", "chat")
            record.setdefault("started_at", "2026-10-01T09:00:00Z")
        file = tmp_path / f"ours{n}.json"
        file.write_text(json.dumps({"interactions": records}), encoding="utf-8")
        _check(ws, file)

    case()
    assert CASES["json"] > start


def test_fuzz_json_junk_and_deep_nesting(ws, tmp_path):
    numbers = itertools.count()
    start = CASES["json-junk"]

    @given(
        body=st.one_of(
            st.binary(max_size=300).map(lambda b: b'{"ContactId": ' + b),
            st.integers(1, 200_000).map(lambda d: b'{"ContactId": "x", "Agent": ' + b"[" * d),
            st.integers(1, 200_000).map(lambda d: b"[" * d + b"]" * d),
            st.integers(1, 50_000).map(
                lambda d: b'{"external_id": ' + b'{"a":' * d + b"1" + b"}" * d + b"}"
            ),
        )
    )
    def case(body):
        CASES["json-junk"] += 1
        file = tmp_path / f"junk{next(numbers)}.json"
        file.write_bytes(body)
        _check(ws, file)

    case()
    assert CASES["json-junk"] > start


def test_fuzz_transcript_files(ws, tmp_path):
    """Transcript files with adversarial content: reported per file, never an exception."""
    seed = tmp_path / "seed.csv"
    seed.write_text("Contact ID,Channel,Start Time\nT1,voice,2026-10-01T09:00:00Z\n")
    assert run_import(ws, seed).ok
    numbers = itertools.count()
    start = CASES["transcripts"]
    ids = [r[0] for r in ws.db.execute("SELECT external_id FROM interactions LIMIT 3")]

    @given(
        suffix=st.sampled_from([".json", ".txt", ".vtt", ".srt"]),
        lines=st.lists(adversarial_text, min_size=0, max_size=6),
        deep=st.integers(0, 100_000),
        encoding=ENCODINGS,
    )
    def case(suffix, lines, deep, encoding):
        CASES["transcripts"] += 1
        folder = tmp_path / f"t{next(numbers)}"
        folder.mkdir()
        if suffix == ".json":
            text = json.dumps({"turns": [{"speaker": "Agent", "text": t} for t in lines]})
            if deep % 3 == 0:
                text = "[" * deep + "]" * deep
        elif suffix == ".vtt":
            text = "WEBVTT\n\n" + "".join(f"00:00:0{i % 10}.000 --> 00:00:0{i % 10}.500\n{t}\n\n"
                                          for i, t in enumerate(lines))  # fmt: skip
        else:
            text = "\n".join(f"Agent: {t}" for t in lines)
        (folder / f"{ids[0]}{suffix}").write_bytes(encode(text, encoding))
        before = counts(ws)
        try:
            report = import_transcripts(ws, folder)
        except QAStudioError as exc:
            assert_clear_refusal(exc)
            assert counts(ws) == before
            return
        for err in report.errors:
            assert str(err).strip()
        if report.errors:
            assert counts(ws)[2] == before[2]
        assert_chain_ok(ws)

    case()
    assert CASES["transcripts"] > start


def test_deep_json_is_refused_not_a_recursion_error(ws, tmp_path):
    """Found by fuzzing: 2,000 nested '[' raised RecursionError out of json.loads."""
    path = tmp_path / "deep.jsonl"
    path.write_text('{"ContactId": "x", "Agent": ' + "[" * 5000)
    before = counts(ws)
    report = run_import(ws, path, fmt="connect")
    assert report.errors and "nested too deeply" in report.errors[0].message
    assert counts(ws) == before
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "X1.json").write_text("[" * 5000 + "]" * 5000)
    result = import_transcripts(ws, folder)
    assert result.errors and "nested too deeply" in str(result.errors[0])
