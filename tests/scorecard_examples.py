"""The worked example of SCORECARDS.md, shared by the tests that need a small real scorecard."""

WORKED_EXAMPLE = """\
key: voice_example
name: Voice example
channel: voice
target: 85
na_policy: exclude
fatal_policy: zero_form
sections:
  - key: opening
    name: Opening
    questions:
      - {key: greet, text: Greeted the customer and gave their name, type: yes_no}
      - key: empathy
        text: Acknowledged the customer's situation
        type: scale
        weight: 2
        scale: {min: 1, max: 5, pass_at: 3, anchors: {1: "No acknowledgement", 5: "Personal, specific, sincere"}}
  - key: compliance
    name: Compliance
    questions:
      - {key: idv, text: Verified identity before discussing the account, type: yes_no, weight: 3, critical: true, regulation: "UK GDPR Art. 5(1)(f)"}
      - {key: cvv, text: Did not take or repeat the card security code, type: yes_no, fatal: true, regulation: "PCI DSS 3.3.1"}
"""
