"""What the demo's evaluators write: notes on the questions an agent missed, stamped with the moment
in the contact where it happened, and an overall comment.

Notes read the way a UK QA lead writes them — short, specific, saying what to do instead. Each
question's feedback names the kind of moment it is about; ``evaluation_moments`` turns that into
the turn a listener wants to jump to, so clicking a note in the scoring screen lands on the
evidence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Feedback:
    label: str  # how a comment names the skill ("Work on summarising next steps")
    moment: str | None  # where in the contact a note points (``evaluation_moments.moment``)
    fail: tuple[str, ...]
    praise: tuple[str, ...] = ()


F = Feedback
# fmt: off
FEEDBACK: dict[str, Feedback] = {
    # voice (and chat, where the key is shared)
    "greeting": F("the opening", "open", (
        "Greeting rushed — company name and own name hard to make out.",
        "Opened by asking for the account number before greeting the customer properly.",
    ), ("Warm, clear opening — company, name and an offer of help.",)),
    "establish_reason": F("establishing the full reason for the call", "reason", (
        "Started on the first issue without checking for others — the second question only came "
        "up at the end.",
        "Assumed it was a billing query and had to backtrack when the customer corrected them.",
    ), ("Good probing questions — got the whole picture before acting.",)),
    "use_name": F("using the customer's name", "middle", (
        "Customer's name not used once after ID&V.",
        "Switched to the customer's first name after they introduced themselves formally.",
    ), ("Used the customer's name naturally throughout.",)),
    "idv": F("completing ID&V", "idv", (
        "Account discussed before ID&V was completed — only the account number was taken. "
        "Data-protection section zeroed.",
        "Account details given out before the security questions. Full ID&V every time, please.",
    ), ("Full ID&V before any account details — textbook.",)),
    "recording_disclosure": F("the call-recording notice", "open", (
        "Outbound call: no mention that the call is recorded before taking personal data.",
    )),
    "no_cvv": F("card security (PCI DSS)", "cvv", (
        "Asked for the card security code and read it back on a recorded line — PCI DSS breach, "
        "the form fails. Use the secure payment line.",
        "Security code taken verbally and repeated back to the customer. Automatic fail, and the "
        "recording needs redacting.",
    ), ("Used the secure payment line rather than taking card details — spot on.",)),
    "empathy": F("empathy", "feeling", (
        "Customer sounded stressed here and it wasn't acknowledged — straight into process.",
        "Scripted 'I understand' with nothing behind it; the customer had been chasing this "
        "for a week.",
    ), ("Lovely empathy — picked up on how the customer felt and slowed down.",)),
    "active_listening": F("active listening", "middle", (
        "Asked for the account number again after the customer had already given it.",
        "Talked over the customer twice while they were explaining the problem.",
    ), ("Listened properly — the customer never had to repeat themselves.",)),
    "accuracy": F("accuracy", "middle", (
        "Right outcome, but didn't mention the refund takes 3–5 working days — that's why "
        "customers ring back.",
        "Quoted the wrong date for the next bill; check the billing cycle before confirming.",
    ), ("Accurate and complete — charges, dates and policy all correct.",)),
    "ownership": F("ownership", "middle", (
        "Told the customer to contact another team rather than sorting it here.",
        "'That's not my department' — could have warm-transferred with a summary instead.",
    ), ("Great ownership — 'I'll do that now', and did it.",)),
    "hold_etiquette": F("hold etiquette", "hold", (
        "Customer put on hold without being asked or told how long.",
        "Hold ran well over two minutes without checking back.",
    ), ("Asked before holding, said why and thanked the customer — perfect.",)),
    "first_contact_resolution": F("first-contact resolution", "summary", (
        "This could have been fixed on the call — the customer will have to come back.",
        "Booked a callback for something the agent could have done there and then.",
    )),
    "tone": F("tone", "middle", (
        "Tone went flat and rushed in the second half of the call.",
        "Came across impatient when the customer asked a second time.",
    ), ("Warm, confident tone throughout.",)),
    "clear_language": F("plain English", "middle", (
        "Used 'provisioning' and 'DD reversal' without explaining them.",
        "No check that the customer understood the new payment dates.",
    ), ("Explained everything in plain English and checked understanding.",)),
    "call_control": F("call control", "middle", (
        "Long silence while looking things up — talk the customer through what you're doing.",
        "Call drifted for a couple of minutes; bring it back to the customer's question.",
    )),
    "summarise_next_steps": F("summarising next steps", "summary", (
        "Didn't summarise next steps before closing — customer had to ask twice.",
        "No recap of what happens next or by when; the customer was left unsure when it would "
        "be sorted.",
    ), ("Clear recap with timescales before closing.",)),
    "further_help": F("checking for anything else", "close", (
        "Asked 'anything else?' and closed before the customer could answer.",
        "Went straight into the close without checking whether there was anything else.",
    )),
    "account_notes": F("account notes", None, (
        "Account notes just say 'cust called re bill' — not enough for the next adviser.",
        "Notes miss the promise made on the call; log callbacks with a date.",
    )),
    # chat
    "timely_greeting": F("the chat greeting", "open", (
        "First reply took over a minute after accepting the chat.",
        "Generic greeting — the name from the pre-chat form wasn't used.",
    ), ("Quick, personal greeting.",)),
    "establish_need": F("establishing the need", "reason", (
        "Asked for details the customer had already typed in the pre-chat form.",
    ), ("Used the pre-chat details and went straight to the point.",)),
    "no_card_details_in_chat": F("card security in chat (PCI DSS)", "cvv", (
        "Asked for the card number and security code in the chat and typed the code back — PCI "
        "breach, the form fails. Send the secure payment link and redact the messages.",
    ), ("Sent the secure payment link instead of taking card details — spot on.",)),
    "response_times": F("response times", "gap", (
        "Over two minutes here with no holding message — the customer had to type 'hello?'.",
        "Replies slowed right down mid-chat; send a holding message when juggling chats.",
    )),
    "waiting_announced": F("announcing waits", "gap", (
        "Went quiet to check the account without saying how long it would take.",
    )),
    "canned_responses": F("personalising templates", "middle", (
        "Same template pasted twice — reads robotic.",
        "Template answer didn't fit the question the customer actually asked.",
    ), ("Templates adapted nicely to the customer's own words.",)),
    "readability": F("readability", "middle", (
        "Wall of text here — break it into short steps.",
        "Two typos in one message, one of them in the amount.",
    )),
    "links_explained": F("explaining links", "middle", (
        "Bare link pasted with no word on what the customer should do there.",
    )),
    "closed_properly": F("closing the chat", "close", (
        "Chat closed while the customer was still typing.",
        "No thank-you or transcript offer at the end.",
    )),
    # email
    "subject_line": F("subject lines", None, (
        "Subject left as 'RE: RE: enquiry' — say what the email is about.",
    )),
    "layout": F("layout", None, (
        "One long paragraph — break it up with short paragraphs or numbered steps.",
    )),
    "signature": F("the sign-off", None, ("No name or direct contact details in the sign-off.",)),
    "answers_all_questions": F("answering every question", None, (
        "The customer asked two questions; only the first was answered.",
    ), ("Every question answered, in the customer's order.",)),
    "clear_next_steps": F("next steps", None, (
        "No timescale given — the customer will write back to ask.",
    )),
    "personalisation": F("personalisation", None, (
        "Reads like a straight template — nothing specific to this customer.",
    )),
    "spelling_grammar": F("spelling and grammar", None, (
        "Three typos, including the customer's surname.",
    )),
    "plain_english": F("plain English", None, (
        "Internal jargon ('BAU', 're-triaged') the customer won't follow.",
    )),
    "correct_recipient": F("the recipient check", None, ("Sent to an address not on the account.",)),
    "minimum_data": F("data minimisation", None, (
        "Full account number in the email — mask it to the last four digits.",
    )),
    "response_time": F("response time", None, (
        "Reply went out after the service standard with no holding reply.",
    )),
    "case_updated": F("case records", None, ("Case left open with no note of the action taken.",)),
    # complaints
    "recognised_dissatisfaction": F("recognising the complaint", "complaint", (
        "Customer clearly unhappy here but it was treated as a routine query — this is a "
        "complaint and must be logged.",
    )),
    "did_not_obstruct": F("not obstructing complaints", "complaint", (
        "Told the customer a complaint 'won't change anything'.",
    )),
    "classified_correctly": F("classifying the complaint", None, (
        "Logged as informal although the customer asked for a formal complaint.",
        "Closed as resolved informally, but it wasn't resolved — should be a formal complaint.",
    )),
    "apology_empathy": F("apology and empathy", "complaint", (
        "Scripted apology only — no acknowledgement of weeks without a working service.",
    ), ("Sincere, specific apology — the customer calmed down straight away.",)),
    "understood_complaint": F("understanding every point", "complaint", (
        "Missed the second point — the customer also wanted compensation looked at.",
    )),
    "investigated_fairly": F("investigation", "middle", (
        "Took the system notes at face value; didn't check the previous contacts.",
    ), ("Checked the history and previous contacts before giving a view.",)),
    "vulnerability_considered": F("vulnerability", "vulnerable", (
        "Customer mentioned their circumstances here; no support offered or recorded.",
    )),
    "fair_outcome": F("a fair outcome", "summary", (
        "The goodwill credit doesn't reflect how long the service was down.",
    )),
    "explained_outcome": F("explaining the outcome", "summary", (
        "Outcome given without explaining why.",
    )),
    "next_steps_timescales": F("complaint timescales", "summary", (
        "No mention of who will be in touch or the 8-week final response timescale.",
    ), ("Next steps and timescales explained clearly.",)),
    "referral_rights": F("referral rights", "summary", (
        "Ombudsman / ADR referral rights not explained.",
    )),
    "summary_resolution_communication": F("the summary resolution communication", None, (
        "Resolved on the contact but no summary resolution communication was sent.",
    )),
    "complaint_logged": F("logging the complaint", None, (
        "No complaint record for this contact — the audit trail breaks.",
    )),
    "root_cause_recorded": F("recording the root cause", None, (
        "Root cause left as 'customer unhappy' — record what actually went wrong.",
    )),
    "follow_up": F("follow-up", None, ("Promised callback not set up as a task with a date.",)),
    # compliance
    "no_third_party_disclosure": F("third-party disclosure", "idv", (
        "Account details shared with someone with no authority on the account.",
    )),
    "sar_recognised": F("subject access requests", None, (
        "Customer asked for copies of their call recordings — a SAR — and it wasn't logged.",
    )),
    "secure_payment_method": F("the secure payment line", "cvv", (
        "Card details taken verbally on a recorded line instead of the secure payment line.",
    )),
    "no_card_data_in_notes": F("card data in records", "cvv", (
        "Full card number and security code are in the chat transcript — redact them.",
    )),
    "vulnerability_recognised": F("recognising vulnerability", "vulnerable", (
        "Customer described their circumstances here — no support or breathing space offered.",
    ), ("Picked up the vulnerability straight away and offered the right support.",)),
    "vulnerability_recorded": F("recording needs with consent", "vulnerable", (
        "Need not recorded, so the customer will have to explain it all again next time.",
    )),
    "reasonable_adjustments": F("reasonable adjustments", "vulnerable", (
        "Customer said phone calls make them anxious; no other channel was offered.",
    )),
    "consumer_understanding": F("checking understanding", "summary", (
        "Key dates rattled off with no check that the customer understood.",
    )),
    "no_unreasonable_barriers": F("removing barriers", "middle", (
        "Customer told to write in for something that could be done on this contact.",
    )),
    "fair_sales_conduct": F("fair sales conduct", "middle", (
        "Pushed an upgrade after the customer had said no twice.",
    )),
    "accurate_rights": F("statutory rights", "middle", (
        "Said refunds aren't possible after 14 days — the customer has a 30-day right to reject.",
    )),
    "complaint_recognised": F("recognising complaints", "complaint", (
        "Dissatisfaction not picked up as a complaint.",
    )),
}
#: Questions whose key another card uses with a different meaning.
EMAIL = {
    "greeting": F("the greeting", None, ("Opened with 'Dear Customer' — use their name.",)),
    "accuracy": F("accuracy", None, ("The refund amount in the reply doesn't match the account.",)),
    "tone": F("tone", None, (
        "Defensive tone — the customer was inconvenienced and there's no apology.",
    ), ("Warm, apologetic where we got it wrong, and reassuring.",)),
}
# fmt: on


# fmt: off
#: Payment-security notes when the card details were typed into a chat, not said on a call.
CHAT = {
    "no_cvv": F("card security (PCI DSS)", "cvv", (
        "Took the card number and security code in the chat and typed the code back — PCI DSS "
        "breach, the form fails. Send the secure payment link instead.",
    )),
    "secure_payment_method": F("the secure payment link", "cvv", (
        "Card details taken in the chat instead of through the secure payment link.",
    )),
}
# fmt: on


def feedback(card_key: str, key: str, channel: str = "voice") -> Feedback:
    """The feedback for a question as the card and channel mean it."""
    if card_key == "email_service" and key in EMAIL:
        return EMAIL[key]
    if channel == "chat" and key in CHAT:
        return CHAT[key]
    return FEEDBACK[key]


def comment(
    card_key: str,
    channel: str,
    percent: float | None,
    failed: list[str],
    fatal: list[str],
    critical: list[str],
    praised: str | None,
    rng: random.Random,
) -> str:
    """The evaluator's overall comment: the headline, then what to work on or keep doing."""

    def label(key: str) -> str:
        return feedback(card_key, key, channel).label

    labels = [label(k) for k in failed]
    if fatal:
        evidence = {"voice": "recording", "chat": "chat transcript"}.get(channel, "email")
        return (
            f"Automatic fail on {label(fatal[0])}. The {evidence} has been flagged and the team "
            "leader asked to pick this up the same day."
        )
    if critical:
        rest = [x for x in labels if x != label(critical[0])]
        also = f" Also work on {_join(rest[:2])}." if rest else ""
        return f"Critical fail on {label(critical[0])}, so that section scores 0.{also}"
    pct = percent if percent is not None else 0.0
    keep = f" Keep doing: {label(praised)}." if praised else ""
    if pct >= 90 and not labels:
        headline = rng.choice(
            (
                "Excellent contact.",
                "Really strong contact, well done.",
                "Textbook handling from start to finish.",
            )
        )
        return headline + keep
    if pct >= 85:
        tighten = f" One thing to tighten up: {labels[0]}." if labels else ""
        return "Good contact overall." + tighten + keep
    if pct >= 70:
        focus = _join(labels[:2]) or "the quality of the resolution"
        return f"Below target at {pct:.0f}%. Focus on {focus}." + keep
    return (
        f"Well below target at {pct:.0f}%: {_join(labels[:3]) or 'most of the form'} need work. "
        "Let's go through this one at your next one-to-one."
    )


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
