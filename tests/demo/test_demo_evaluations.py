"""What the demo's evaluations promise a QA lead (issue 4 § Demo data grows with the feature):
published built-in scorecards, six months of evaluations with realistic shapes, and the planted
patterns — weak agents, an improving agent, a lenient and a harsh evaluator, fatal PCI fails that
match their transcripts."""

from __future__ import annotations

import itertools
import json
import re
import statistics
from collections import Counter, defaultdict
from datetime import timedelta

import pytest

from qa_studio.demo.evaluations import load_patterns
from qa_studio.domain.models import COUNTED_STATUSES
from qa_studio.domain.scoring import score
from qa_studio.domain.timeutil import LONDON, london_month, parse_iso
from qa_studio.scorecards.loader import builtin_keys
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.evaluation_records import stored_answers
from qa_studio.storage.repository.scorecards import BUILTIN_NOTE
from tests.demo.conftest import END

COUNTED = COUNTED_STATUSES  # disputes (coaching step) move some to disputed/final
SERVICE = {"voice": "voice_service", "chat": "chat_service", "email": "email_service"}
PCI_QUESTIONS = ("no_cvv", "no_card_details_in_chat")


def rows(ws, sql, params=()):
    return ws.db.execute(sql, params).fetchall()


def evaluations(ws, statuses=COUNTED):
    """Counted evaluations of the evaluations step with what the pattern tests need, as dicts
    (the feedback step's mystery shops, dated at the shop, are tested in test_demo_feedback)."""
    marks = ", ".join("?" * len(statuses))
    cur = ws.db.execute(
        "SELECT e.id, e.status, e.percent, e.fatal, e.comment, e.started_at, e.submitted_at, "
        "e.signed_at, e.signed_by, e.source, ev.name AS evaluator, ev.role, s.key AS card, "
        "i.id AS interaction_id, i.external_id AS interaction, i.channel, i.complaint, "
        "i.started_at AS contact_at, i.duration_s, i.recording_path, a.external_id AS agent, "
        "t.name AS team FROM evaluations e JOIN evaluators ev ON ev.id = e.evaluator_id "
        "JOIN scorecard_versions v ON v.id = e.scorecard_version_id "
        "JOIN scorecards s ON s.id = v.scorecard_id "
        "JOIN interactions i ON i.id = e.interaction_id "
        "LEFT JOIN agents a ON a.id = i.agent_id LEFT JOIN teams t ON t.id = a.team_id "
        f"WHERE e.status IN ({marks}) AND e.calibration_session_id IS NULL "
        "AND e.source <> 'mystery_shop' ORDER BY e.id",
        list(statuses),
    )
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur]


def turns(ws, interaction_id) -> list[dict]:
    row = ws.db.execute(
        "SELECT turns FROM transcripts WHERE interaction_id = ?", [interaction_id]
    ).fetchone()
    return json.loads(row[0]) if row else []


def reads_back_security_code(conversation: list[dict]) -> bool:
    """The agent asks for the card security code and then says back the digits the customer
    gave — what PCI DSS 3.3.1 forbids — judged from the words alone."""
    for i, ask in enumerate(conversation):
        text = ask["text"].lower()
        if ask["role"] != "agent" or not ("security code" in text or "digits on the back" in text):
            continue
        for j in range(i + 1, len(conversation)):
            if conversation[j]["role"] != "customer":
                continue
            codes = re.findall(r"(?<![\d/])\d{3}(?![\d/])", conversation[j]["text"])
            later = [t["text"] for t in conversation[j + 1 :] if t["role"] == "agent"]
            if any(code in text for code in codes for text in later):
                return True
            break
    return False


def verifies_identity(conversation: list[dict]) -> bool:
    words = ("date of birth", "first line", "postcode", "verif", "for security", "passcode")
    return any(
        t["role"] == "agent" and any(w in t["text"].lower() for w in words) for t in conversation
    )


@pytest.fixture(scope="module")
def patterns(demo_path):
    from qa_studio.storage.db import open_workspace

    ws = open_workspace(demo_path)
    try:
        found = load_patterns(ws)
    finally:
        ws.close()
    assert found is not None
    return found


def test_the_builtin_scorecards_are_published_as_version_1(demo):
    versions = scorecards.list_versions(demo)
    assert sorted(v.key for v in versions) == sorted(builtin_keys())
    assert {v.version for v in versions} == {1}
    assert {v.change_note for v in versions} == {BUILTIN_NOTE}
    first = min(r[0] for r in rows(demo, "SELECT started_at FROM evaluations"))
    assert all(v.published_at < first for v in versions)


def test_the_patterns_are_recorded_in_the_workspace(demo, patterns):
    agents = {r[0] for r in rows(demo, "SELECT external_id FROM agents")}
    evaluators = {r[0] for r in rows(demo, "SELECT name FROM evaluators")}
    assert len(patterns.weak) == 3
    assert all(2 <= len(keys) <= 3 for keys in patterns.weak.values())
    assert set(patterns.weak) <= agents and patterns.improving in agents
    assert patterns.improving not in patterns.weak
    assert {patterns.lenient, patterns.harsh} <= evaluators
    assert patterns.lenient != patterns.harsh


def test_every_agent_is_evaluated_several_times_a_month_by_several_people(demo):
    evs = evaluations(demo)
    per_month = Counter((e["agent"], london_month(e["contact_at"])) for e in evs)
    handled = rows(
        demo,
        "SELECT DISTINCT a.external_id, i.started_at FROM interactions i "
        "JOIN agents a ON a.id = i.agent_id",
    )
    worked = {(agent, london_month(at)) for agent, at in handled}
    assert set(per_month) == worked  # every agent, every month they took contacts
    assert statistics.median(per_month.values()) >= 4
    by_role = Counter(e["role"] for e in evs)
    assert len({e["evaluator"] for e in evs}) >= 6
    assert by_role["evaluator"] > by_role["qa_lead"] > 0
    assert 0 < by_role["team_leader"] < 0.15 * len(evs)  # now and then, their own team
    for e in evs:
        if e["role"] == "team_leader":
            leader = rows(
                demo,
                "SELECT ev.name FROM teams t JOIN evaluators ev ON ev.id = t.leader_id "
                "WHERE t.name = ?",
                [e["team"]],
            )
            assert leader == [(e["evaluator"],)]


def test_forms_match_the_channel(demo):
    evs = evaluations(demo, ("draft", *COUNTED))
    for e in evs:
        assert e["card"] in (SERVICE[e["channel"]], "complaint_handling", "compliance"), e
        if e["card"] == "complaint_handling":
            assert e["complaint"] != "none"
    cards = Counter(e["card"] for e in evs)
    assert set(cards) == set(builtin_keys())
    assert any(e["card"] == "compliance" and e["channel"] == "voice" for e in evs)


def test_only_contacts_an_agent_handled_are_evaluated(demo):
    assert rows(
        demo,
        "SELECT count(*) FROM evaluations e JOIN interactions i ON i.id = e.interaction_id "
        "WHERE i.agent_id IS NULL",
    ) == [(0,)]


def test_statuses_follow_the_calendar(demo):
    statuses = Counter(
        r[0]
        for r in rows(demo, "SELECT status FROM evaluations WHERE calibration_session_id IS NULL")
    )
    assert statuses["signed_off"] > 0.75 * sum(statuses.values())
    assert statuses["submitted"] > 0 and statuses["draft"] >= 3
    recent = END - timedelta(days=10)
    for e in evaluations(demo, ("draft", *COUNTED)):
        started = parse_iso(e["started_at"])
        assert started > parse_iso(e["contact_at"])
        assert started.astimezone(LONDON).date() <= END
        day = started.astimezone(LONDON).date()
        if e["status"] in ("signed_off", "disputed", "final"):
            assert day < recent + timedelta(days=1)
            assert e["submitted_at"] >= e["started_at"] and e["signed_at"] >= e["submitted_at"]
            assert e["signed_by"] in (e["evaluator"], "Joanne Birch")
        elif e["status"] == "submitted":
            assert day >= recent and e["signed_at"] is None
        else:
            assert e["status"] == "draft"
            assert e["submitted_at"] is None and day == END
    drafts = evaluations(demo, ("draft",))
    assert len({d["evaluator"] for d in drafts}) >= 3
    assert any(d["recording_path"] for d in drafts), "a draft with audio for the scoring screen"


def test_stored_scores_are_what_the_scoring_engine_says(demo):
    cards = {}
    for e in evaluations(demo, ("draft", *COUNTED)):
        version = rows(demo, "SELECT scorecard_version_id FROM evaluations WHERE id = ?", [e["id"]])
        vid = version[0][0]
        cards.setdefault(vid, scorecards.get_version(demo, vid).card)
        card = cards[vid]
        answers = stored_answers(demo, e["id"], card)
        result = score(card, answers, partial=e["status"] == "draft")
        stored = rows(
            demo, "SELECT score, max_score, percent, fatal FROM evaluations WHERE id = ?", [e["id"]]
        )[0]
        assert stored == (result.score, result.max_score, result.percent, int(result.fatal))
        points = rows(
            demo,
            "SELECT question_key, points, max_points, failed FROM answers WHERE evaluation_id = ?",
            [e["id"]],
        )
        for key, got, most, failed in points:
            want = result.answers[key]
            assert (got, most, bool(failed)) == (want.points, want.max_points, want.failed)
        if e["status"] != "draft":
            assert set(answers) == {q.key for q in card.questions()}


def test_every_evaluation_is_audited(demo):
    recorded = rows(demo, "SELECT count(*) FROM audit_log WHERE action = 'evaluation.record'")
    assert recorded == rows(demo, "SELECT count(*) FROM evaluations")
    assert audit.verify(demo.db).ok


def test_the_lenient_evaluator_scores_shared_agents_higher_than_the_harsh_one(demo, patterns):
    means: dict[tuple, list[float]] = defaultdict(list)
    for e in evaluations(demo):
        means[(e["evaluator"], e["agent"], e["card"])].append(e["percent"])
    gaps = [
        statistics.mean(v) - statistics.mean(means[(patterns.harsh, agent, card)])
        for (who, agent, card), v in means.items()
        if who == patterns.lenient and (patterns.harsh, agent, card) in means
    ]
    assert len(gaps) >= 5, "they score the same agents on the same forms"
    assert statistics.mean(gaps) >= 8


def test_the_improving_agent_rises_month_on_month(demo, patterns):
    by_month: dict[str, list[float]] = defaultdict(list)
    for e in evaluations(demo):
        if e["agent"] == patterns.improving:
            by_month[london_month(e["contact_at"])].append(e["percent"])
    months = sorted(by_month)
    assert len(months) == 6
    means = [statistics.mean(by_month[m]) for m in months]
    assert means[-1] > means[0] + 10
    slope = statistics.linear_regression(range(len(means)), means).slope
    assert slope > 3  # points a month
    assert sum(b > a for a, b in itertools.pairwise(means)) >= 4


def test_weak_agents_fail_their_weak_questions_while_their_team_passes(demo, patterns):
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    teams = dict(
        rows(demo, "SELECT a.external_id, t.name FROM agents a JOIN teams t ON t.id = a.team_id")
    )
    for agent, key, failed in rows(
        demo,
        "SELECT a.external_id, an.question_key, an.failed FROM answers an "
        "JOIN evaluations e ON e.id = an.evaluation_id "
        "JOIN interactions i ON i.id = e.interaction_id JOIN agents a ON a.id = i.agent_id "
        "WHERE an.na = 0 AND e.status IN ('submitted', 'signed_off')",
    ):
        tally[(agent, key)][0] += 1
        tally[(agent, key)][1] += 0 if failed else 1
    for agent, keys in patterns.weak.items():
        mates = [a for a, t in teams.items() if t == teams[agent] and a != agent]
        assert mates
        for key in keys:
            n, passed = tally[(agent, key)]
            team_n = sum(tally[(m, key)][0] for m in mates)
            team_passed = sum(tally[(m, key)][1] for m in mates)
            assert n >= 8 and team_n >= 8, (agent, key)
            assert passed / n < 0.5, (agent, key, passed, n)
            assert team_passed / team_n > 0.8, (agent, key, team_passed, team_n)


def test_fatal_pci_fails_are_exactly_the_contacts_where_the_code_is_read_back(demo):
    fails = set()
    checked = 0
    for e in evaluations(demo):
        values = dict(
            rows(
                demo,
                "SELECT question_key, value FROM answers WHERE evaluation_id = ? "
                f"AND question_key IN ({', '.join('?' * len(PCI_QUESTIONS))})",
                [e["id"], *PCI_QUESTIONS],
            )
        )
        if not values:
            continue
        checked += 1
        read_back = reads_back_security_code(turns(demo, e["interaction_id"]))
        assert ("no" in values.values()) == read_back, (e["interaction"], values)
        if read_back:
            fails.add(e["interaction"])
            assert e["fatal"] == 1 and e["percent"] == 0
            assert "Automatic fail" in e["comment"]
    assert 3 <= len(fails) <= 12 and checked > 100
    recorded = {
        r[0].rsplit("/", 1)[-1]
        for r in rows(
            demo,
            "SELECT i.recording_path FROM evaluations e JOIN interactions i "
            "ON i.id = e.interaction_id WHERE e.fatal = 1 AND i.recording_path IS NOT NULL",
        )
    }
    assert recorded == {"call_04.wav", "call_09.wav"}


def test_fatal_notes_point_at_the_read_back(demo):
    found = rows(
        demo,
        "SELECT e.interaction_id, n.at_s, n.text FROM answer_notes n "
        "JOIN evaluations e ON e.id = n.evaluation_id JOIN answers an ON an.evaluation_id = e.id "
        "AND an.question_key = n.question_key WHERE an.failed = 1 AND n.question_key IN (?, ?)",
        list(PCI_QUESTIONS),
    )
    assert found
    for interaction_id, at_s, text in found:
        said = {t["start_s"]: t for t in turns(demo, interaction_id)}
        assert said[at_s]["role"] == "agent" and "security code" in text.lower()
        assert re.search(r"\d{3}", said[at_s]["text"]), "the turn where the code is said back"


def test_idv_fails_only_where_the_account_was_discussed_before_verification(demo):
    failed = rows(
        demo,
        "SELECT DISTINCT e.interaction_id FROM answers an "
        "JOIN evaluations e ON e.id = an.evaluation_id "
        "WHERE an.question_key = 'idv' AND an.value = 'no'",
    )
    assert failed
    for (interaction_id,) in failed:
        assert not verifies_identity(turns(demo, interaction_id)), interaction_id
    critical = rows(
        demo,
        "SELECT e.comment FROM evaluations e JOIN answers an ON an.evaluation_id = e.id "
        "WHERE an.question_key = 'idv' AND an.value = 'no' AND e.fatal = 0 "
        "AND e.status != 'draft'",
    )
    assert critical, "a critical ID&V fail that is not also a fatal PCI fail"
    assert all(c.startswith("Critical fail on completing ID&V") for (c,) in critical)


def test_notes_are_stamped_inside_the_contact_and_comments_are_written(demo):
    evs = {e["id"]: e for e in evaluations(demo, ("draft", *COUNTED))}
    notes = rows(
        demo,
        "SELECT n.evaluation_id, n.question_key, n.at_s, n.text FROM answer_notes n "
        "JOIN evaluations e ON e.id = n.evaluation_id "
        "WHERE e.calibration_session_id IS NULL ORDER BY n.id",
    )
    assert len(notes) > 0.8 * len(evs)
    stamped = 0
    for evaluation_id, key, at_s, text in notes:
        e = evs[evaluation_id]
        assert text.strip() and key is not None
        if e["channel"] == "email":
            assert at_s is None
        elif at_s is not None:
            stamped += 1
            assert 0 <= at_s <= e["duration_s"]
            starts = {t["start_s"] for t in turns(demo, e["interaction_id"])}
            assert at_s in starts, "a note points at a turn"
    assert stamped > 0.6 * len(notes)
    texts = Counter(n[3] for n in notes)
    assert len(texts) > 40, "feedback is specific, not one line pasted everywhere"
    for e in evs.values():
        if e["status"] == "draft":
            assert e["comment"] is None
        else:
            assert e["comment"] and len(e["comment"]) > 10
    failed_with_notes = rows(
        demo,
        "SELECT count(DISTINCT an.evaluation_id), count(DISTINCT n.evaluation_id) FROM answers an "
        "LEFT JOIN answer_notes n ON n.evaluation_id = an.evaluation_id "
        "AND n.question_key = an.question_key WHERE an.failed = 1",
    )[0]
    assert failed_with_notes[1] > 0.75 * failed_with_notes[0]
