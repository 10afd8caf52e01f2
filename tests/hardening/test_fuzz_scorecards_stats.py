"""Fuzz the scorecard loader and the ``stats agreement`` CSV reader.

The loader gets mutated built-in scorecards, deep YAML, alias bombs, duplicate keys, junk and
huge text; it returns a scorecard or raises ``ScorecardInvalid`` naming the file (and a line).
The statistics reader gets ``unit,rater,value`` tables with adversarial cells and encodings; it
returns rows or raises ``DataRefused`` naming the file and row. Nothing else may escape.
"""

from __future__ import annotations

import itertools

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from qa_studio.commands.stats import read_long_csv
from qa_studio.errors import DataRefused
from qa_studio.scorecards.loader import builtin_files, load_text
from qa_studio.scorecards.schema import Scorecard, ScorecardInvalid
from tests.hardening.fuzz_support import CASES, ENCODINGS, adversarial_text, encode

NAME = "fuzz.yaml"
BUILTIN = [p.read_text(encoding="utf-8") for p in builtin_files()]


def _load(text: str) -> None:
    try:
        card = load_text(text, NAME)
    except ScorecardInvalid as exc:
        assert exc.issues, "refused without saying why"
        assert NAME in exc.message
        assert all(i.message.strip() for i in exc.issues)
        return
    assert isinstance(card, Scorecard)


def _bomb(levels: int) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


yaml_adversarial = st.one_of(
    st.integers(1, 10_000).map(lambda d: "key:\n" + "".join(" " * i + "- \n" for i in range(0)) + "[" * d + "]" * d),
    st.integers(1, 400).map(lambda d: "".join(f"{' ' * i}k{i}:\n" for i in range(d)) + " " * d + "v\n"),
    st.integers(2, 9).map(_bomb),
    st.sampled_from(["key: 1\nkey: 2\n", "name: a\nname: b\nquestions: []\n", "!!python/object:os.system ls",
                     "%YAML 9.9\n---\na", "a: !!binary AAAA", "? [a, b]\n: c\n", "---\na: 1\n---\nb: 2\n"]),
    st.text(max_size=200),
    adversarial_text.map(lambda t: f"name: {t!r}\n"),
)  # fmt: skip


def test_fuzz_scorecard_loader_adversarial_yaml():
    start = CASES["scorecard-yaml"]

    @given(text=yaml_adversarial)
    def case(text):
        CASES["scorecard-yaml"] += 1
        _load(text)

    case()
    assert CASES["scorecard-yaml"] > start


def test_fuzz_scorecard_loader_mutated_builtins():
    start = CASES["scorecard-mutated"]

    @given(
        which=st.integers(0, len(BUILTIN) - 1),
        at=st.floats(0, 1),
        insert=st.one_of(adversarial_text, st.sampled_from(["\n  - ", ": ", "&x ", "*x", "\t", "]"])),
        drop=st.integers(0, 40),
    )  # fmt: skip
    def case(which, at, insert, drop):
        CASES["scorecard-mutated"] += 1
        text = BUILTIN[which]
        pos = int(at * len(text))
        _load(text[:pos] + insert + text[pos + drop :])

    case()
    assert CASES["scorecard-mutated"] > start


def test_alias_bomb_and_deep_yaml_are_refused_quickly_with_a_line():
    with pytest.raises(ScorecardInvalid, match="aliases"):
        load_text(_bomb(9), NAME)
    with pytest.raises(ScorecardInvalid, match="nested more than"):
        load_text("a: " + "[" * 10_000 + "]" * 10_000, NAME)
    deep = "a: " + "{a: " * 10_000 + "1" + "}" * 10_000
    with pytest.raises(ScorecardInvalid) as info:
        load_text(deep, NAME)
    assert info.value.issues[0].line is not None
    # the built-ins still load: the fuzz baseline is valid
    for text in BUILTIN:
        assert isinstance(load_text(text, NAME), Scorecard)
    assert yaml.safe_load(BUILTIN[0])
    with pytest.raises(ScorecardInvalid) as info:
        load_text("name: ok\nkey: \x00\n", NAME)  # found by fuzzing: ReaderError escaped
    assert info.value.issues[0].line == 2 and "#x0000" in info.value.issues[0].message


STATS_LEVELS = st.sampled_from(["nominal", "ordinal", "interval", "ratio"])


def test_fuzz_stats_long_csv(tmp_path):
    numbers = itertools.count()
    start = CASES["stats-csv"]

    cell = st.one_of(st.sampled_from(["1", "2", "3.5", "", "NA", "n/a", "-0", "1e308", "inf", "nan"]),
                     adversarial_text)  # fmt: skip

    @given(
        rows=st.lists(st.tuples(cell, cell, cell), max_size=8),
        header=st.sampled_from(["unit,rater,value", "Unit, Rater ,VALUE", "unit,rater", "", "value,unit,rater,extra"]),
        level=STATS_LEVELS,
        encoding=ENCODINGS,
    )  # fmt: skip
    def case(rows, header, level, encoding):
        CASES["stats-csv"] += 1
        path = tmp_path / f"ratings{next(numbers)}.csv"
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for r in rows:
            writer.writerow(r)
        path.write_bytes(encode(header + "\n" + buffer.getvalue(), encoding))
        try:
            parsed = read_long_csv(path, level)
        except DataRefused as exc:
            assert str(path) in exc.message, exc.message[:300]
            return
        assert isinstance(parsed, list) and parsed
        for unit, rater, _value in parsed:
            assert unit and rater

    case()
    assert CASES["stats-csv"] > start


def test_fuzz_stats_raw_bytes(tmp_path):
    numbers = itertools.count()
    start = CASES["stats-bytes"]

    @given(body=st.binary(max_size=300), level=STATS_LEVELS)
    def case(body, level):
        CASES["stats-bytes"] += 1
        path = tmp_path / f"raw{next(numbers)}.csv"
        path.write_bytes(b"unit,rater,value\n" + body)
        try:
            read_long_csv(path, level)
        except DataRefused as exc:
            assert str(path) in exc.message

    case()
    assert CASES["stats-bytes"] > start


def test_stats_cell_over_the_csv_field_limit_is_refused_with_its_row(tmp_path):
    """Found by fuzzing: a 1 MB cell raised _csv.Error out of the statistics reader."""
    path = tmp_path / "big.csv"
    path.write_text("unit,rater,value\nu1,ann,1\nu1," + "X" * 1_000_000 + ",2\n")
    with pytest.raises(DataRefused, match=r"big\.csv: row 3: cannot be read as CSV"):
        read_long_csv(path, "nominal")
