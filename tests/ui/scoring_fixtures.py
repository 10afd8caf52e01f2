"""A small workspace to score: evaluators, a voice call with a recording and transcript, a chat,
and a scorecard using every question type with a critical and a fatal item.

Shared by the scoring-screen tests and by the child process of the SIGKILL test.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

from qa_studio.domain.models import Evaluator, Interaction, Transcript, Turn
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import interactions, people, scorecards

CARD = """\
key: test_voice
name: Test voice card
channel: voice
target: 80
na_policy: exclude
fatal_policy: zero_form
sections:
  - key: opening
    name: Opening
    questions:
      - {key: greet, text: Greeted the customer and gave their name, type: yes_no,
         guidance: "Listen for a greeting and the agent's own name in the first 15 seconds."}
      - key: empathy
        text: Acknowledged the customer's situation
        type: scale
        weight: 2
        guidance: Rate how personal and sincere the acknowledgement was.
        scale: {min: 1, max: 5, pass_at: 3, anchors: {1: "No acknowledgement", 3: "Generic",
                5: "Personal, specific, sincere"}}
      - {key: hold, text: Explained why the customer was put on hold, type: yes_no,
         allow_na: true, guidance: N/A when there was no hold.}
  - key: resolution
    name: Resolution
    questions:
      - key: ownership
        text: Took ownership of the problem
        type: points
        options: [{label: Full, points: 2}, {label: Partial, points: 1}, {label: None, points: 0}]
        pass_at: 1
  - key: compliance
    name: Compliance
    questions:
      - {key: idv, text: Verified identity before discussing the account, type: yes_no,
         weight: 3, critical: true, regulation: "UK GDPR Art. 5(1)(f)"}
      - {key: cvv, text: Did not take or repeat the card security code, type: yes_no,
         fatal: true, regulation: "PCI DSS 3.3.1"}
"""

CHAT_CARD = """\
key: test_chat
name: Test chat card
channel: chat
target: 80
na_policy: count_as_pass
fatal_policy: report_separately
sections:
  - key: service
    name: Service
    questions:
      - {key: greet, text: Greeted the customer by name, type: yes_no}
      - {key: spelling, text: Wrote clearly with correct spelling, type: yes_no}
"""

TURNS = (
    Turn(
        "Priya",
        "agent",
        "Good morning, you're speaking with Priya. Can I take your name?",
        0.5,
        4.0,
    ),
    Turn("David", "customer", "It's David Clarke, my bill has gone up a lot.", 4.5, 8.0),
    Turn(
        "Priya", "agent", "I'm sorry to hear that. Can you confirm your date of birth?", 8.5, 13.0
    ),
    Turn("David", "customer", "Twelfth of March, nineteen eighty.", 13.5, 16.0),
    Turn(
        "Priya",
        "agent",
        "Thank you. The increase is the end of your discount; I can fix that.",
        16.5,
        24.0,
    ),
)

CHAT_TURNS = (
    Turn("Sam", "agent", "Hi Jo, thanks for getting in touch — how can I help?", 0.0, None),
    Turn("Jo", "customer", "My parcel has not arrived.", 20.0, None),
    Turn("Sam", "agent", "Sorry about that, I've arranged a redelivery for tomorrow.", 65.0, None),
)


def write_tone(path: Path, seconds: float = 30.0, rate: int = 8000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(6000 * math.sin(2 * math.pi * 330 * i / rate)))
                for i in range(int(seconds * rate))
            )
        )
    return path


def seed(
    ws: Workspace, *, recording: str | None = "test.media/call.wav", make_recording: bool = True
) -> dict:
    """Ann (evaluator), Lee (QA lead); CALL-1 (voice) and CHAT-1; both cards published."""
    if recording and make_recording:
        write_tone(ws.resolve_media(recording))
    with ws.db.atomic():
        people.ensure_evaluator(ws, Evaluator(None, "Ann"))
        people.ensure_evaluator(ws, Evaluator(None, "Lee", role="qa_lead"))
        interactions.upsert_interactions(
            ws,
            [
                Interaction(
                    external_id="CALL-1",
                    channel="voice",
                    started_at="2026-10-05T09:30:00Z",
                    agent_external_id="A1",
                    agent_name="Priya Patel",
                    team="Blue",
                    queue="Billing",
                    duration_s=30.0,
                    recording_path=recording,
                ),
                Interaction(
                    external_id="CHAT-1",
                    channel="chat",
                    started_at="2026-10-06T11:00:00Z",
                    agent_external_id="A2",
                    agent_name="Sam Jones",
                    team="Blue",
                    queue="Deliveries",
                    duration_s=70.0,
                ),
            ],
        )
        call = interactions.interaction_id(ws, "CALL-1")
        chat = interactions.interaction_id(ws, "CHAT-1")
        interactions.set_transcript(ws, call, Transcript("json", TURNS))
        interactions.set_transcript(ws, chat, Transcript("json", CHAT_TURNS))
    voice = scorecards.publish(ws, CARD, "Test card")
    chat_card = scorecards.publish(ws, CHAT_CARD, "Test chat card")
    return {"call": call, "chat": chat, "voice": voice, "chat_card": chat_card}
