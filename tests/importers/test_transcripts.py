"""``import_transcripts``: formats, matching by file name, speaker roles, recordings, reference files."""

from __future__ import annotations

import shutil
import wave

import pytest

from qa_studio.domain.models import Interaction, Transcript, Turn
from qa_studio.importers.api import import_transcripts
from qa_studio.importers.speakers import RawTurn, assign_roles
from qa_studio.importers.transcripts import candidate_ids
from qa_studio.storage.repository.interactions import (
    get_transcript,
    interaction_id,
    upsert_interactions,
)
from tests.importers.helpers import DATA, count, stored


def _interactions(ws, *specs: tuple[str, str | None]) -> None:
    """Create voice interactions ``(external id, agent name or None)``."""
    with ws.db.atomic():
        upsert_interactions(
            ws,
            [
                Interaction(
                    external_id=ext,
                    channel="voice",
                    started_at="2026-10-01T09:00:00Z",
                    agent_external_id=name.split()[0].lower() if name else None,
                    agent_name=name,
                )
                for ext, name in specs
            ],
        )


def _turns(ws, ext):
    transcript = get_transcript(ws, interaction_id(ws, ext))
    assert transcript is not None, ext
    return transcript


def _tone(path, seconds=0.2):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * int(8000 * seconds))
    return path


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "transcripts"
    shutil.copytree(DATA / "transcripts", target)
    return target


def test_our_formats_are_matched_and_roles_assigned(ws, folder):
    _interactions(
        ws,
        ("T-1001", "Priya Shah"),
        ("T-1002", "Priya Shah"),
        ("T-1003", "Priya Shah"),
        ("T-1004", "Sam Hill"),
    )
    report = import_transcripts(ws, folder)
    assert report.ok, report.summary()
    assert sorted(m.external_id for m in report.matched) == ["T-1001", "T-1002", "T-1003", "T-1004"]
    assert {m.status for m in report.matched} == {"inserted"}

    json_t = _turns(ws, "T-1001")
    assert json_t.format == "json" and json_t.turns[1] == Turn(
        "Mrs Okafor",
        "customer",
        "Morning. It's 40021987. I'm ringing because my direct debit went up again.",
        4.8,
        9.1,
    )

    text = _turns(ws, "T-1002").turns  # matched because the name contains T-1002
    assert [(t.speaker, t.role, t.start_s) for t in text] == [
        ("Priya", "agent", 1.0),
        ("Caller", "customer", 5.0),
        ("Priya", "agent", 12.0),
    ]
    assert text[1].text.endswith(
        "every evening since Tuesday. It's worse after about seven o'clock."
    )

    vtt = _turns(ws, "T-1003").turns
    assert [(t.speaker, t.role) for t in vtt] == [
        ("Priya Shah", "agent"),
        ("Mr Jones", "customer"),
        ("Priya Shah", "agent"),
    ]
    assert vtt[1].text == "Hello, I want to make a formal complaint & speak to a manager."
    assert (vtt[1].start_s, vtt[1].end_s, vtt[2].start_s) == (4.0, 7.25, 7.5)

    srt = _turns(ws, "T-1004").turns
    assert [(t.speaker, t.role) for t in srt] == [
        ("Agent", "agent"),
        ("Customer", "customer"),
        ("Agent", "agent"),
    ]
    assert (
        srt[2].text == "For security I will transfer you to our secure payment line. (hold music)"
    )
    assert (srt[0].start_s, srt[0].end_s) == (0.4, 3.1)


def test_importing_the_folder_again_changes_nothing(ws, folder):
    _interactions(ws, ("T-1001", "Priya Shah"), ("T-1003", "Priya Shah"))
    first = import_transcripts(ws, folder)
    audit_rows = count(ws, "audit_log")
    again = import_transcripts(ws, folder)
    assert {m.status for m in again.matched} == {"unchanged"}
    assert count(ws, "audit_log") == audit_rows and len(first.matched) == 2
    assert {u.file.name for u in again.unmatched} == {"call_T-1002_2026-10-01.txt", "T-1004.srt"}
    assert not again.ok  # unmatched files are reported (exit code 1 on the command line)


def test_recordings_beside_the_transcript_are_linked(ws, folder):
    _interactions(ws, ("T-1001", "Priya Shah"), ("T-1004", "Sam Hill"))
    audio = _tone(folder / "T-1001.wav")
    (folder / "T-1001.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    _tone(folder / "T-1004.mp3")  # the name is all that matters for linking
    report = import_transcripts(ws, folder)
    assert report.recordings == 2
    rows = stored(ws)
    assert rows["T-1001"]["recording_path"] == str(audio.resolve())
    assert rows["T-1001"]["screen_recording_path"] == str((folder / "T-1001.mp4").resolve())
    assert rows["T-1004"]["recording_path"].endswith("T-1004.mp3")
    assert import_transcripts(ws, folder).recordings == 0  # already linked


def test_matching_rules(ws, write, tmp_path):
    _interactions(ws, ("A-1", None), ("A-2", None), ("CASE7", None))
    d = tmp_path
    write("A-1.txt", "Agent: hi\nCustomer: hello\n")
    write("both_A-1_A-2.txt", "Agent: hi\n")
    write("nothing_here.txt", "Agent: hi\n")
    write("export CASE7 final.txt", "Agent: hi\nCustomer: thanks\n")
    report = import_transcripts(ws, d)
    assert sorted(m.external_id for m in report.matched) == ["A-1", "CASE7"]
    reasons = {u.file.name: u.reason for u in report.unmatched}
    assert reasons["both_A-1_A-2.txt"] == "the file name contains several external ids: A-1, A-2"
    assert "no interaction's external id" in reasons["nothing_here.txt"]


def test_candidate_ids_are_runs_between_separators():
    assert candidate_ids("call_T-1_x") == ["call", "call_T-1", "call_T-1_x", "T-1", "T-1_x", "x"]


def test_two_files_for_one_interaction_keep_the_first_and_report_the_other(ws, write, tmp_path):
    _interactions(ws, ("Z9", None))
    write("Z9.txt", "Agent: one\n")
    write("Z9_copy.txt", "Agent: two\n")
    report = import_transcripts(ws, tmp_path)
    assert [m.file.name for m in report.matched] == ["Z9.txt"]
    assert report.unmatched[0].file.name == "Z9_copy.txt"
    assert "already gives Z9 its transcript" in report.unmatched[0].reason


def test_bad_files_are_reported_with_their_line_and_the_rest_imported(ws, write, tmp_path):
    _interactions(ws, ("G1", None), ("B1", None), ("B2", None), ("B3", None), ("B4", None))
    write("G1.txt", "Agent: fine\n")
    write("B1.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>ok\n\n00:0x:03.000 --> 1\nbad\n")
    write("B2.vtt", "00:00:01.000 --> 00:00:02.000\nno header\n")
    write("B3.json", '{"turns": [{"speaker": "A", "text": "hi", "start_s": -1}]}')
    write("B4.txt", "no speaker on the first line\nAgent: hi\n")
    report = import_transcripts(ws, tmp_path)
    assert [m.external_id for m in report.matched] == ["G1"]
    errors = {e.file.name: e for e in report.errors}
    assert (errors["B1.vtt"].line, errors["B2.vtt"].line, errors["B4.txt"].line) == (6, 1, 1)
    assert "malformed cue timing" in errors["B1.vtt"].message
    assert str(errors["B1.vtt"]).endswith(
        "B1.vtt:6: malformed cue timing '00:0x:03.000 --> 1' "
        "(expected e.g. 00:01:02.500 --> 00:01:04.000)"
    )
    assert errors["B3.json"].where == "turns[0].start_s"
    assert get_transcript(ws, interaction_id(ws, "B1")) is None


def test_progress_counts_files_and_cancel_writes_nothing(ws, folder):
    _interactions(ws, ("T-1001", "Priya Shah"), ("T-1003", "Priya Shah"))
    calls = []
    report = import_transcripts(
        ws, folder, progress=lambda d, t: calls.append((d, t)), is_cancelled=lambda: len(calls) >= 2
    )
    assert report.cancelled and not report.matched
    assert count(ws, "transcripts") == 0 and calls == [(1, 4), (2, 4)]
    calls.clear()
    done = import_transcripts(ws, folder, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)] and len(done.matched) == 2


def test_cancel_while_storing_rolls_back(ws, folder):
    _interactions(ws, ("T-1001", "Priya Shah"), ("T-1003", "Priya Shah"))
    checks = iter([False] * 4 + [False, True])  # four files parsed; cancel while storing
    report = import_transcripts(ws, folder, is_cancelled=lambda: next(checks, True))
    assert report.cancelled and not report.matched
    assert count(ws, "transcripts") == 0 and count(ws, "audit_log") == 0


# --- speaker roles ----------------------------------------------------------------------------


def test_roles_from_the_agents_name_when_labels_are_names():
    turns = [RawTurn("Mr Jones", "hello"), RawTurn("Priya", "hi, Priya here")]
    settled, note = assign_roles(turns, "Priya Shah")
    assert [t.role for t in settled] == ["customer", "agent"] and note is None


def test_roles_guessed_from_order_only_with_a_note():
    settled, note = assign_roles([RawTurn("Ann", "a"), RawTurn("Bob", "b")], None)
    assert [t.role for t in settled] == ["agent", "customer"]
    assert note and "guessed from speaking order" in note


def test_unlabelled_turns_alternate_with_a_note_and_continuations_inherit():
    settled, note = assign_roles([RawTurn("", "a"), RawTurn("", "b"), RawTurn("", "c")], None)
    assert [t.role for t in settled] == ["agent", "customer", "agent"] and "alternate" in note
    mixed, note = assign_roles(
        [RawTurn("Customer", "a"), RawTurn("", "b"), RawTurn("Advisor", "c")], None
    )
    assert [(t.speaker, t.role) for t in mixed] == [
        ("Customer", "customer"),
        ("Customer", "customer"),
        ("Advisor", "agent"),
    ]
    assert note is None


def test_a_known_customer_makes_the_other_speaker_the_agent():
    settled, note = assign_roles([RawTurn("Caller", "hi"), RawTurn("Dee", "hello")], None)
    assert [t.role for t in settled] == ["customer", "agent"] and note is None


# --- published reference files (../shared/reference-data; skipped when absent) ----------------

CL_VOICE = "2c1a9f3e-5b7d-4e21-8f6a-0d3c9b7e1a42"
CL_REAL = "7c77422d-f9ba-4111-ad48-b2f5dadf854a"
CL_CHAT = "b49644f6-672f-445c-b209-f76b36482830"


@pytest.fixture
def reference_folder(reference_data, tmp_path):
    """The reference transcripts copied into the test's own folder (never into the project)."""
    target = tmp_path / "reference"
    target.mkdir()
    for path in reference_data.iterdir():
        if path.suffix in (".json", ".vtt", ".srt") and not path.name.startswith("genesys"):
            shutil.copy(path, target / path.name)
    return target


def test_reference_contact_lens_voice_and_chat(ws, reference_folder):
    _interactions(ws, (CL_VOICE, "Jane Doe"), (CL_REAL, None), (CL_CHAT, "Jane Doe"))
    report = import_transcripts(ws, reference_folder)
    matched = {m.external_id: m for m in report.matched}
    assert set(matched) == {CL_VOICE, CL_REAL, CL_CHAT}
    # both the raw and the redacted analysis name the same contact: the redacted one is kept
    assert matched[CL_VOICE].file.name.endswith("_redacted.json")
    assert any("not used; the redacted" in n for n in report.notes)
    voice = _turns(ws, CL_VOICE)
    assert voice.format == "contact_lens_voice" and len(voice.turns) == 10
    assert (voice.turns[0].role, voice.turns[0].speaker, voice.turns[0].end_s) == (
        "agent",
        "Jane Doe",
        0.09,
    )
    assert voice.turns[1].role == "customer" and "[PII]" in voice.turns[1].text
    real = _turns(ws, CL_REAL).turns
    assert real[0].start_s == 2.54 and real[1].start_s == 2.58  # overlapping turns kept
    assert {t.role for t in real} == {"agent", "customer"}
    chat = _turns(ws, CL_CHAT)
    assert chat.format == "contact_lens_chat"
    assert chat.turns[0].start_s == 0.0 and chat.turns[0].role == "system"
    jane = next(t for t in chat.turns if t.role == "agent")
    assert jane.speaker == "Jane" and jane.start_s == pytest.approx(10.072)
    assert all(t.end_s is None for t in chat.turns)
    assert {t.speaker for t in chat.turns if t.role == "customer"} == {"John"}


def test_reference_webvtt_files(ws, reference_folder):
    _interactions(
        ws, ("transcript_teams_meeting", "Yuri Bakulin"), ("transcript_w3c_spec_example", None)
    )
    report = import_transcripts(ws, reference_folder)
    teams = _turns(ws, "transcript_teams_meeting").turns
    assert [(t.speaker, t.role, t.start_s, t.end_s) for t in teams] == [
        ("Yuri Bakulin", "agent", 0.0, 0.57),
        ("Adrian Petrescu", "customer", 0.21, 1.13),
    ]
    w3c = _turns(ws, "transcript_w3c_spec_example").turns
    assert len(w3c) == 13 and w3c[0].start_s == 11.0
    assert w3c[11].text == "Laughs" and w3c[11].speaker == "Neil deGrasse Tyson"
    assert w3c[8].text == "When we e-mailed—"  # the file's mis-encoded dash is repaired
    assert any("repaired characters" in n for n in report.notes)
    assert any("transcript_w3c_spec_example.vtt: speaker roles guessed" in n for n in report.notes)


def test_reference_srt_files(ws, reference_folder):
    _interactions(
        ws, ("transcript_webvtt_py_sample", None), ("transcript_pysrt_overlapping_dialogues", None)
    )
    report = import_transcripts(ws, reference_folder)
    clean = _turns(ws, "transcript_webvtt_py_sample").turns
    assert [t.text for t in clean] == [f"Caption text #{i}" for i in range(1, 6)]
    assert (clean[4].start_s, clean[4].end_s) == (21.58, 23.88)
    err = next(
        e for e in report.errors if e.file.name == "transcript_pysrt_overlapping_dialogues.srt"
    )
    assert err.line == 2 and "malformed timestamp '00:00:0,000'" in err.message
    assert get_transcript(ws, interaction_id(ws, "transcript_pysrt_overlapping_dialogues")) is None


def test_reference_abcd_conversations(ws, reference_folder):
    _interactions(ws, ("3592", "Kim Lee"), ("9489", None), ("3695", None))
    report = import_transcripts(ws, reference_folder)
    matched = {m.external_id: m for m in report.matched}
    assert set(matched) >= {"3592", "9489", "3695"} and matched["3592"].part == "#3592"
    convo = _turns(ws, "3592")
    assert convo.format == "abcd" and len(convo.turns) == 29
    assert (convo.turns[0].speaker, convo.turns[0].role) == ("Kim Lee", "agent")
    assert {t.role for t in convo.turns} == {"agent", "customer", "system"}


def test_transcript_replaced_when_the_file_changes(ws, write, tmp_path):
    _interactions(ws, ("R1", None))
    write("R1.txt", "Agent: first\n")
    import_transcripts(ws, tmp_path)
    write("R1.txt", "Agent: second\nCustomer: ok\n")
    report = import_transcripts(ws, tmp_path)
    assert report.matched[0].status == "updated"
    assert _turns(ws, "R1") == Transcript(
        "text", (Turn("Agent", "agent", "second"), Turn("Customer", "customer", "ok"))
    )
