"""Strict YAML loading (duplicates, aliases, bombs, tags) and the dump/load round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_studio.scorecards import loader
from qa_studio.scorecards.loader import dump_text, load_file, load_text, parse_yaml
from qa_studio.scorecards.schema import ScorecardInvalid, to_dict, validate

from .test_validation import HEAD, card


def problems(text: str) -> list[str]:
    with pytest.raises(ScorecardInvalid) as info:
        load_text(text, "t.yaml")
    return [str(i) for i in info.value.issues]


def test_non_mapping_documents_are_refused():
    expected = (
        "t.yaml:1: the scorecard must be a YAML mapping of fields (key, name, channel, …), not "
    )
    assert problems("- a\n- b\n") == [expected + "a list"]
    assert problems("just text\n") == [expected + "the text 'just text'"]
    assert problems("") == [expected + "empty"]
    assert problems("# only a comment\n") == [expected + "empty"]


def test_anchors_and_aliases_are_refused_everywhere():
    text = card("- &q {key: tone, text: Tone, type: yes_no}\n- *q\n")
    assert problems(text) == [
        "t.yaml:15: YAML anchors (&q) are not allowed; write the value out in full",
        "t.yaml:16: YAML aliases (*q) are not allowed; write the value out in full",
    ]


def test_billion_laughs_is_refused_without_expanding():
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        levels.append(f"a{i}: &a{i} [{refs}]")
    found = problems("\n".join(levels) + "\n")
    assert len(found) == 10 + 81  # 10 anchors, 9 × 9 aliases: all reported, none expanded
    assert found[0] == "t.yaml:1: YAML anchors (&a0) are not allowed; write the value out in full"


def test_merge_keys_and_unsafe_tags_are_refused():
    assert problems("<<: {key: x}\nname: X\n") == ["t.yaml:1: YAML merge keys (<<) are not allowed"]
    assert problems("key: !!python/object/apply:os.system ['echo hi']\n") == [
        "t.yaml:1 key: unsupported YAML tag !!python/object/apply:os.system"
    ]
    assert problems("key: !!binary aGk=\n") == ["t.yaml:1 key: unsupported YAML tag !!binary"]
    assert problems("key: !!set {a, b}\n") == ["t.yaml:1 key: unsupported YAML tag !!set"]
    assert problems("? [a, b]\n: c\n") == ["t.yaml:1: field names must be plain text"]


def test_deep_nesting_and_oversized_documents_are_refused():
    assert problems("a: " + "[" * 100 + "]" * 100 + "\n") == [
        "t.yaml:1: nested more than 32 levels deep"
    ]
    big = "description: " + "x" * (loader.MAX_BYTES + 1) + "\n"
    assert problems(big) == [
        f"t.yaml: the file is {len(big):,} bytes; a scorecard may be at most 1 MB"
    ]


def test_syntax_errors_and_multiple_documents_name_the_line():
    assert problems("key: x\nname: [unclosed\nchannel: voice\n") == [
        "t.yaml:3: not valid YAML: while parsing a flow sequence, expected ',' or ']', but got ':'"
    ]
    assert problems("key: a\n---\nkey: b\n") == [
        "t.yaml:2: not valid YAML: expected a single document in the stream, but found another document"
    ]


def test_parse_yaml_records_lines_of_every_path():
    data, lines, dups = parse_yaml(HEAD, "t.yaml")
    assert dups == []
    assert lines["key"] == 1
    assert lines["sections[0]"] == 8
    assert lines["sections[0].questions[0]"] == 11
    assert lines["sections[1].name"] == 13
    assert data["sections"][0]["questions"][0]["key"] == "greet"


def test_dates_stay_text_and_yaml_booleans_are_booleans():
    data, _, _ = parse_yaml("a: 2024-01-01\nb: yes\nc: '1'\n")
    assert data == {"a": "2024-01-01", "b": True, "c": "1"}


def test_load_file_names_the_file_as_given(tmp_path):
    good = tmp_path / "v.yaml"
    good.write_text(card("- {key: ok, text: Fine, type: yes_no}\n"), encoding="utf-8-sig")  # BOM ok
    assert load_file(good).key == "voice"
    broken = tmp_path / "b.yaml"
    broken.write_text(card("- {key: ok, text: Fine, type: yes_no, weight: -2}\n"))
    with pytest.raises(ScorecardInvalid) as info:
        load_file(broken)
    assert [str(i) for i in info.value.issues] == [
        f"{broken}:15 sections[1].questions[0].weight: must be > 0"
    ]
    latin = tmp_path / "l.yaml"
    latin.write_bytes(b"key: x\nname: caf\xe9\n")
    with pytest.raises(ScorecardInvalid, match=r"l\.yaml:2: not UTF-8 text"):
        load_file(latin)
    with pytest.raises(ScorecardInvalid, match="cannot read the file: No such file or directory"):
        load_file(tmp_path / "missing.yaml")


def test_to_dict_leaves_defaults_out():
    c = load_text(card("- {key: ok, text: Fine, type: yes_no, weight: 2.5, allow_na: true}\n"))
    d = to_dict(c)
    assert d["target"] == 85 and isinstance(d["target"], int)
    assert d["sections"][0]["questions"][0] == {
        "key": "greet",
        "text": "Greeted the customer",
        "type": "yes_no",
    }
    assert d["sections"][1]["questions"][0] == {
        "key": "ok",
        "text": "Fine",
        "type": "yes_no",
        "weight": 2.5,
        "allow_na": True,
    }
    assert validate(d) == c


def test_builtin_cards_round_trip():
    for key in loader.builtin_keys():
        c = loader.load_builtin(key)
        assert load_text(dump_text(c), f"{key}.yaml") == c


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip())
_KEY = st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True)
_WEIGHT = st.one_of(st.integers(1, 10), st.floats(0.01, 100, allow_nan=False))


@st.composite
def _question(draw, key: str) -> dict:
    q: dict = {
        "key": key,
        "text": draw(_TEXT),
        "type": draw(st.sampled_from(["yes_no", "scale", "points"])),
    }
    q["weight"] = draw(_WEIGHT)
    q["allow_na"] = draw(st.booleans())
    q[draw(st.sampled_from(["critical", "fatal", "allow_na"]))] = draw(st.booleans())
    if draw(st.booleans()):
        q["regulation"] = draw(_TEXT)
    if draw(st.booleans()):
        q["guidance"] = draw(_TEXT)
    if q["type"] == "scale":
        lo = draw(st.integers(-3, 3))
        hi = lo + draw(st.integers(1, 9))
        q["scale"] = {
            "min": lo,
            "max": hi,
            "pass_at": draw(st.integers(lo, hi)),
            "anchors": {lo: draw(_TEXT), hi: draw(_TEXT)},
        }
    elif q["type"] == "points":
        labels = draw(st.lists(_TEXT, min_size=2, max_size=4, unique_by=str.lower))
        pts = draw(st.lists(st.integers(0, 5), min_size=len(labels), max_size=len(labels)))
        pts[0] = max(pts[0], 1)
        q["options"] = [{"label": lab, "points": p} for lab, p in zip(labels, pts, strict=True)]
        q["pass_at"] = draw(st.integers(0, max(pts)))
    return q


@st.composite
def _card(draw) -> dict:
    keys = draw(st.lists(_KEY, min_size=1, max_size=8, unique=True))
    split = draw(st.integers(1, len(keys)))
    groups = [keys[:split], keys[split:]] if split < len(keys) else [keys]
    sections = [
        {"key": f"s{i}", "name": draw(_TEXT), "questions": [draw(_question(k)) for k in g]}
        for i, g in enumerate(groups)
    ]
    return {
        "key": draw(_KEY),
        "name": draw(_TEXT),
        "channel": "any",
        "target": draw(st.floats(0, 100)),
        "na_policy": draw(st.sampled_from(["exclude", "count_as_pass"])),
        "fatal_policy": draw(st.sampled_from(["zero_form", "report_separately"])),
        "description": draw(st.one_of(st.just(""), _TEXT)),
        "sections": sections,
    }


@given(_card())
def test_generated_cards_round_trip_through_yaml(data):
    for q in (q for s in data["sections"] for q in s["questions"]):
        if q.get("critical") and q.get("fatal"):
            q["fatal"] = False
    c = validate(data)
    assert load_text(dump_text(c)) == c
    assert validate(to_dict(c)) == c
