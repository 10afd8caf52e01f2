"""The survey-theme lexicon: whole-word matching, negative responses only, hand-counted tallies."""

from __future__ import annotations

import pytest

from qa_studio.domain import survey_themes as st

KEYS = [t.key for t in st.THEMES]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Kept on hold for AGES", {"waiting": ("on hold", "ages")}),
        ("The agent was rude.", {"attitude": ("rude",)}),
        # whole words: "crude", "awaiting", "messages" and "applied" mention nothing
        ("crude oil awaiting messages applied", {}),
        ("I had to call back twice", {"unresolved": ("had to call back",)}),
        ("they promised a call-back", {"callback": ("promised a call",)}),
        ("Never rang me back", {"callback": ("never rang me back",)}),
        ("no callback at all", {"callback": ("no callback",)}),
        ("Didn’t listen", {"listening": ("didn't listen",)}),  # typographic apostrophe
        ("didnt listen", {"listening": ("didnt listen",)}),
        ("he did not  listen", {"listening": ("did not  listen",)}),
        ("passed from pillar to post", {"transferred": ("passed from", "pillar to post")}),
        ("", {}),
        (None, {}),
    ],
)
def test_find_themes(comment, expected):
    assert st.find_themes(comment) == expected


def test_a_comment_can_mention_several_themes_in_lexicon_order():
    found = st.find_themes("Transferred twice, then the agent was rude and I waited ages")
    assert list(found) == ["waiting", "attitude", "transferred"]
    assert found["waiting"] == ("waited", "ages")


def test_every_phrase_is_found_by_its_own_theme():
    for theme in st.THEMES:
        for phrase in theme.phrases:
            assert theme.key in st.find_themes(f"x {phrase} x"), (theme.key, phrase)


def test_repeated_theme_keys_are_refused():
    with pytest.raises(ValueError, match="repeat"):
        st.Lexicon((st.Theme("a", "A", ("x",)), st.Theme("a", "B", ("y",))))


@pytest.mark.parametrize(
    ("score", "scale", "negative"),
    [
        (2, 5, True),
        (2.5, 5, False),
        (3, 5, False),
        (0, 5, True),
        (4, 10, True),
        (5, 10, False),
        (2, None, True),
        (3, None, False),
        (None, 5, False),
    ],
)
def test_negative_is_at_or_below_forty_percent_of_the_scale(score, scale, negative):
    assert st.is_negative(score, scale) is negative


def test_tally_counts_each_negative_response_once_per_theme():
    responses = [
        # agent, score, scale, comment
        ("A", 1, 5, "On hold forever, on hold again, and rude"),  # waiting 1, attitude 1
        ("A", 5, 5, "rude? not at all, very quick"),  # positive: ignored
        ("A", 2, None, "Rude and unhelpful, call me on 07700 900123"),  # attitude 1 (once)
        ("A", 1, 5, None),  # negative, no comment: counts as negative only
        ("B", 4, 10, "still not sorted, second time calling"),  # unresolved 1
        ("B", 6, 10, "transferred"),  # 6 > 4 of 10: ignored
        ("C", 5, 5, "waiting"),  # only positive responses: C left out
    ]
    out = st.tally(responses)
    assert set(out) == {"A", "B"}
    a = out["A"]
    assert a.negative == 3
    assert dict(zip(KEYS, a.counts, strict=True)) == {
        **dict.fromkeys(KEYS, 0),
        "waiting": 1,
        "attitude": 2,
    }
    attitude = a.examples[KEYS.index("attitude")]
    assert attitude == (
        "On hold forever, on hold again, and rude",
        "Rude and unhelpful, call me on [phone number removed]",
    )
    assert out["B"].negative == 1 and out["B"].counts[KEYS.index("unresolved")] == 1


def test_examples_are_capped_and_shortened():
    long = "rude " + "x" * 400
    out = st.tally([("A", 1, 5, long)] * 5)
    kept = out["A"].examples[KEYS.index("attitude")]
    assert out["A"].counts[KEYS.index("attitude")] == 5
    assert len(kept) == st.MAX_EXAMPLES
    assert len(kept[0]) == st.EXAMPLE_CHARS and kept[0].endswith("…")


def test_phrase_pattern_is_explainable():
    assert st.phrase_pattern("call back") == r"call[\s\-]*back"
    assert st.phrase_pattern("didn't") == r"(?:didn'?t|did\s+not)"
