"""Broken scorecards: every problem reported with file, line and field path."""

from __future__ import annotations

import textwrap

import pytest

from qa_studio.errors import DataRefused
from qa_studio.scorecards.loader import load_text
from qa_studio.scorecards.schema import Issue, ScorecardInvalid, validate

# Lines 1–14; the questions of section "main" (sections[1]) start on line 15.
HEAD = """\
key: voice
name: Voice
channel: voice
target: 85
na_policy: exclude
fatal_policy: zero_form
sections:
  - key: opening
    name: Opening
    questions:
      - {key: greet, text: Greeted the customer, type: yes_no}
  - key: main
    name: Main
    questions:
"""


def card(questions: str, head: str = HEAD) -> str:
    return head + textwrap.indent(textwrap.dedent(questions), "      ")


def problems(text: str) -> list[str]:
    with pytest.raises(ScorecardInvalid) as info:
        load_text(text, "voice.yaml")
    return [str(i) for i in info.value.issues]


def test_head_and_a_valid_question_load():
    c = load_text(card("- {key: ok, text: Fine, type: yes_no, weight: 2}\n"), "voice.yaml")
    assert [q.key for q in c.questions()] == ["greet", "ok"]


BROKEN = {
    "non-positive weight": (
        """\
        - key: empathy
          text: Acknowledged feelings
          type: yes_no
          weight: 0
        """,
        ["voice.yaml:18 sections[1].questions[0].weight: must be > 0"],
    ),
    "weight of the wrong type": (
        """\
        - key: empathy
          text: Acknowledged feelings
          type: yes_no
          weight: heavy
        """,
        ["voice.yaml:18 sections[1].questions[0].weight: must be a number, not the text 'heavy'"],
    ),
    "typo in a field name": (
        """\
        - key: empathy
          text: Acknowledged feelings
          type: yes_no
          wieght: 2
        """,
        ["voice.yaml:18 sections[1].questions[0].wieght: unknown field; did you mean 'weight'?"],
    ),
    "question key used twice across sections": (
        """\
        - {key: tone, text: Tone, type: yes_no}
        - {key: greet, text: Greeted again, type: yes_no}
        """,
        [
            "voice.yaml:16 sections[1].questions[1].key: duplicate question key 'greet' "
            "(first used at sections[0].questions[0])"
        ],
    ),
    "unknown question type": (
        """\
        - key: stars
          text: Rate the call
          type: stars
        """,
        [
            "voice.yaml:17 sections[1].questions[0].type: unknown type 'stars'; "
            "expected one of yes_no, scale, points"
        ],
    ),
    "scale missing anchors and pass_at outside the range": (
        """\
        - key: empathy
          text: Acknowledged feelings
          type: scale
          scale:
            min: 1
            max: 5
            pass_at: 6
            anchors: {1: None at all, 3: Some}
        """,
        [
            "voice.yaml:21 sections[1].questions[0].scale.pass_at: must be within the scale (1 to 5)",
            "voice.yaml:22 sections[1].questions[0].scale.anchors: needs a label for 5 (max)",
        ],
    ),
    "scale with min above max and no scale at all": (
        """\
        - key: empathy
          text: Acknowledged feelings
          type: scale
          scale: {min: 5, max: 1, pass_at: 3, anchors: {1: a, 5: b}}
        - key: tone
          text: Tone
          type: scale
        """,
        [
            "voice.yaml:18 sections[1].questions[0].scale.max: must be greater than min (5)",
            "voice.yaml:19 sections[1].questions[1].scale: "
            "required for scale questions: {min, max, pass_at, anchors}",
        ],
    ),
    "anchor outside the scale and not a number": (
        """\
        - key: empathy
          text: Acknowledged feelings
          type: scale
          scale:
            min: 1
            max: 5
            pass_at: 3
            anchors:
              1: Poor
              5: Excellent
              7: Beyond
              "3": Quoted
        """,
        [
            "voice.yaml:25 sections[1].questions[0].scale.anchors.7: outside the scale (1 to 5)",
            "voice.yaml:26 sections[1].questions[0].scale.anchors.3: "
            "anchor keys must be whole numbers on the scale",
        ],
    ),
    "points question without options or pass_at": (
        """\
        - key: accuracy
          text: Accurate information
          type: points
          weight: 3
        """,
        [
            "voice.yaml:15 sections[1].questions[0].options: "
            "required for points questions: a list of {label, points}",
            "voice.yaml:15 sections[1].questions[0].pass_at: "
            "required for points questions (fewer points is a fail)",
        ],
    ),
    "points pass_at above the best option and a duplicate label": (
        """\
        - key: accuracy
          text: Accurate information
          type: points
          options:
            - {label: Full, points: 2}
            - {label: full, points: 1}
          pass_at: 3
        """,
        [
            "voice.yaml:20 sections[1].questions[0].options[1].label: "
            "duplicate option label 'full' (first at sections[1].questions[0].options[0])",
            "voice.yaml:21 sections[1].questions[0].pass_at: "
            "must be between 0 and the best option's points (2)",
        ],
    ),
    "critical and fatal together, and a flag that is not a boolean": (
        """\
        - key: idv
          text: Verified identity
          type: yes_no
          critical: true
          fatal: true
          allow_na: sometimes
        """,
        [
            "voice.yaml:19 sections[1].questions[0].fatal: "
            "a question cannot be both critical and fatal; choose one",
            "voice.yaml:20 sections[1].questions[0].allow_na: must be true or false, "
            "not the text 'sometimes'",
        ],
    ),
    "a yes/no question with a scale and options": (
        """\
        - key: idv
          text: Verified identity
          type: yes_no
          scale: {min: 1, max: 5, pass_at: 3, anchors: {1: a, 5: b}}
          pass_at: 1
        """,
        [
            "voice.yaml:18 sections[1].questions[0].scale: "
            "only scale questions have a scale (this one is yes_no)",
            "voice.yaml:19 sections[1].questions[0].pass_at: only points questions have pass_at "
            "(this one is yes_no) (a scale's pass_at goes inside scale)",
        ],
    ),
    "bad question key and missing text": (
        """\
        - key: Greet Again
          type: yes_no
        """,
        [  # same line: missing fields are listed before bad values
            "voice.yaml:15 sections[1].questions[0].text: required field is missing",
            "voice.yaml:15 sections[1].questions[0].key: 'Greet Again' is not a valid key: "
            "use lower-case letters, digits and _ only",
        ],
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_question(name):
    questions, expected = BROKEN[name]
    assert problems(card(questions)) == expected


def test_broken_form_fields_are_all_reported():
    text = """\
key: Voice Card
name: ""
channel: radio
target: 150
na_policy: skip
fatal_policy: zero
sections: []
"""
    assert problems(text) == [
        "voice.yaml:1 key: 'Voice Card' is not a valid key: use lower-case letters, digits and _ only",
        "voice.yaml:2 name: must not be empty",
        "voice.yaml:3 channel: unknown channel 'radio'; "
        "expected one of voice, chat, email, social, task, any",
        "voice.yaml:4 target: must be between 0 and 100",
        "voice.yaml:5 na_policy: unknown na_policy 'skip'; expected one of exclude, count_as_pass",
        "voice.yaml:6 fatal_policy: unknown fatal_policy 'zero'; "
        "expected one of zero_form, report_separately",
        "voice.yaml:7 sections: must contain at least one section",
    ]


def test_duplicate_section_keys_and_empty_questions():
    text = HEAD.replace("  - key: main\n", "  - key: opening\n") + "      []\n"
    text = text.replace("    questions:\n      []\n", "    questions: []\n")
    assert problems(text) == [
        "voice.yaml:12 sections[1].key: duplicate section key 'opening' (first used at sections[0])",
        "voice.yaml:14 sections[1].questions: must contain at least one question",
    ]


def test_missing_required_fields_point_at_their_parent():
    text = "key: voice\nname: Voice\nsections:\n  - name: Opening\n    questions:\n      - {key: a, text: A}\n"
    assert problems(text) == [
        "voice.yaml:1 channel: required field is missing",
        "voice.yaml:1 target: required field is missing",
        "voice.yaml:1 na_policy: required field is missing",
        "voice.yaml:1 fatal_policy: required field is missing",
        "voice.yaml:4 sections[0].key: required field is missing",
        "voice.yaml:6 sections[0].questions[0].type: required field is missing",
    ]


def test_duplicate_yaml_key_is_reported_with_validation_problems():
    # the first value is kept (weight 2), so only the duplicate and the other problem are reported
    text = card(
        "- key: tone\n  text: Tone\n  type: yes_no\n  weight: 2\n  weight: -1\n  fatal: 1\n"
    )
    assert problems(text) == [
        "voice.yaml:19 sections[1].questions[0].weight: duplicate key (first given on line 18)",
        "voice.yaml:20 sections[1].questions[0].fatal: must be true or false, not the number 1",
    ]


def test_duplicate_yaml_key_alone_still_refuses():
    text = card("- {key: tone, text: Tone, type: yes_no}\n").replace(
        "target: 85\n", "target: 85\ntarget: 85\n"
    )
    assert problems(text) == ["voice.yaml:5 target: duplicate key (first given on line 4)"]


def test_validate_without_lines_and_issue_formatting():
    with pytest.raises(ScorecardInvalid) as info:
        validate({"key": "x"}, filename="editor")
    exc = info.value
    assert isinstance(exc, DataRefused) and exc.exit_code == 1
    assert str(exc.issues[0]) == "editor name: required field is missing"
    assert exc.message.startswith("editor is not a valid scorecard (6 problems)\n  editor name: ")
    assert exc.details[0] == {
        "file": "editor",
        "line": None,
        "path": "name",
        "message": "required field is missing",
    }
    assert str(Issue("a.yaml", 3, "", "bad")) == "a.yaml:3: bad"


def test_non_mapping_values_in_structure():
    text = HEAD.replace(
        "    questions:\n      - {key: greet",
        "    questions:\n      - just text\n      - {key: greet",
    )
    text += "      - {key: x, text: X, type: yes_no, options: oops}\n"
    assert problems(text) == [
        "voice.yaml:11 sections[0].questions[0]: "
        "a question must be a mapping with key, text and type, not the text 'just text'",
        "voice.yaml:16 sections[1].questions[0].options: "
        "only points questions have options (this one is yes_no)",
    ]
