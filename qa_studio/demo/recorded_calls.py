"""The fixed library of recorded demo calls: the words ``resources/demo/make_demo_audio.py`` speaks.

These calls are the only demo contacts with real audio, so they are written once, here, and turned
into WAV files and a timing manifest (``resources/demo/calls.json``) by that script. The builder
reads the manifest, not this module, so users need no espeak-ng; a test checks that the manifest
still matches these scripts. ``say`` holds the spoken form where a transcript would write figures
("£62.50") that a speech synthesiser would misread.

The metadata (queue, outcome, flags) is the ground truth later demo steps rely on: ``pci_breach``
marks calls where the card security code is taken and read back (a fatal PCI DSS fail).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One spoken turn; ``say`` is what the synthesiser speaks when it differs from ``text``."""

    role: str
    text: str
    say: str | None = None


@dataclass(frozen=True)
class Pause:
    """Silence in the recording: a hold (counts as hold time) or a masked keypad payment."""

    seconds: float
    text: str
    hold: bool = True


@dataclass(frozen=True)
class RecordedCall:
    key: str
    queue: str
    topic: str
    direction: str
    outcome: str
    agent_name: str
    agent_voice: str
    customer: str
    customer_voice: str
    fcr: bool
    csat: int | None
    turns: tuple[Line | Pause, ...]
    complaint: str = "none"
    vulnerable: bool = False
    pci_breach: bool = False
    skips_id_check: bool = False


def A(text: str, say: str | None = None) -> Line:
    return Line("agent", text, say)


def C(text: str, say: str | None = None) -> Line:
    return Line("customer", text, say)


# fmt: off
RECORDED_CALLS: tuple[RecordedCall, ...] = (
    RecordedCall("call_01", "Billing", "bill_increase", "inbound", "resolved", "Priya", "en-gb+f3",
        "David Clarke", "en-gb-x-gbcwmd", fcr=True, csat=4, turns=(
            A("Good morning, thank you for calling Brightline, you're speaking with Priya. "
              "Can I take your name, please?"),
            C("Hiya, it's David Clarke. I'm ringing about my bill, it's gone up a lot this month."),
            A("I can help with that, David. Before we go any further, can you confirm the first "
              "line of your address and your date of birth?"),
            C("12 Elm Grove, and the 3rd of June 1978.",
              "Twelve Elm Grove, and the third of June, nineteen seventy eight."),
            A("Thank you, that's all verified. Your bill is £62.50 this month, because your "
              "12-month discount ended on the 1st.",
              "Thank you, that's all verified. Your bill is sixty two pounds fifty this month, "
              "because your twelve month discount ended on the first."),
            C("Nobody told me that was ending."),
            A("I'm sorry about that. I can move you onto our current deal, which brings it down "
              "to £44 a month on an 18-month term.",
              "I'm sorry about that. I can move you onto our current deal, which brings it down "
              "to forty four pounds a month on an eighteen month term."),
            C("Go on then, that's better than what I'm paying now."),
            A("Lovely, that's done and it starts from your next bill. Is there anything else I "
              "can help with today?"),
            C("No, that's it, thanks."),
            A("Thanks for calling, David. Have a good day."),
        ),
    ),
    RecordedCall("call_02", "Broadband Faults", "no_connection", "inbound", "engineer_booked",
        "Tom", "en-gb-x-rp", "Sandra Okafor", "en-gb+f5", fcr=False, csat=3, turns=(
            A("Good afternoon, Brightline broadband support, Tom speaking. How can I help?"),
            C("Hello, my internet's been down since this morning. The light on the router is "
              "flashing red."),
            A("Sorry to hear that. Can I take your account number, please?"),
            C("It's BL4471902.", "It's B L, four four seven one, nine oh two."),
            A("Thanks, and the postcode on the account?"),
            C("LS6 2QP.", "L S six, two Q P."),
            A("Thank you, Mrs Okafor. I'm going to run a line test now, so I'll just pop you on "
              "hold for a moment."),
            Pause(6.0, "[on hold: line test running]"),
            A("Thanks for holding. The test shows a fault on the line outside your property, so "
              "I've booked an engineer for Thursday between 8 and 1.",
              "Thanks for holding. The test shows a fault on the line outside your property, so "
              "I've booked an engineer for Thursday between eight and one."),
            C("Thursday? I work from home, I really need it sooner."),
            A("I understand. That's the first slot we have, but I've added you to the "
              "cancellation list, and you'll get automatic compensation for every day it's down."),
            C("Okay. Thursday it is then."),
        ),
    ),
    RecordedCall("call_03", "Payments", "arrears_payment", "inbound", "payment_taken", "Aisha",
        "en-gb+f4", "James Whitfield", "en-gb-scotland", fcr=True, csat=5, turns=(
            A("Good morning, Brightline payments, you're through to Aisha. How can I help?"),
            C("Morning. I got a letter saying my account's in arrears and I want to pay it off."),
            A("No problem. Can I take your account number and date of birth, please?"),
            C("BL3308814, and the 21st of November 1985.",
              "B L, three three oh eight, eight one four, and the twenty first of November, "
              "nineteen eighty five."),
            A("Thank you, Mr Whitfield. The balance is £87.40. To keep your card details safe, "
              "I'm transferring you to our secure payment line. You'll key the card number in on "
              "your phone, and I won't hear it.",
              "Thank you, Mister Whitfield. The balance is eighty seven pounds forty. To keep your "
              "card details safe, I'm transferring you to our secure payment line. You'll key the "
              "card number in on your phone, and I won't hear it."),
            C("Right, okay."),
            Pause(
                5.0, "[secure payment line: card details entered on the keypad, masked]", hold=False
            ),
            A("That's gone through. The payment of £87.40 is approved, and your account is up "
              "to date.",
              "That's gone through. The payment of eighty seven pounds forty is approved, and "
              "your account is up to date."),
            C("Brilliant, thanks for your help."),
            A("You're welcome, Mr Whitfield. Bye now.",
              "You're welcome, Mister Whitfield. Bye now."),
        ),
    ),
    RecordedCall("call_04", "Payments", "overdue_payment", "inbound", "payment_taken", "Gareth",
        "en-gb", "Hannah Price", "en-gb+f1", fcr=True, csat=4, pci_breach=True,
        skips_id_check=True, turns=(
            A("Afternoon, Brightline payments, Gareth speaking."),
            C("Hi, I need to pay my bill. I think it's overdue."),
            A("Can I get your account number?"),
            C("BL5520147.", "B L, five five two oh, one four seven."),
            A("Thanks, Hannah. So it's £54.10. What's the long number on the card?",
              "Thanks, Hannah. So it's fifty four pounds ten. What's the long number on the card?"),
            C("4929 1234 5678 9012.",
              "Four nine two nine, one two three four, five six seven eight, nine oh one two."),
            A("And the expiry?"),
            C("09/27.", "Oh nine, twenty seven."),
            A("And the three digits on the back, the security code?"),
            C("381.", "Three eight one."),
            A("381, lovely. I'll just put that through for you.",
              "Three eight one, lovely. I'll just put that through for you."),
            Pause(3.0, "[agent keying the payment]", hold=False),
            A("That's all gone through, £54.10 paid.",
              "That's all gone through, fifty four pounds ten paid."),
            C("Thanks, bye."),
        ),
    ),
    RecordedCall("call_05", "Complaints", "repeated_dropouts", "inbound", "complaint_logged",
        "Chloe", "en-gb+f2", "Robert Evans", "en-gb-x-gbclan", fcr=False, csat=3,
        complaint="formal", turns=(
            A("Good morning, Brightline customer relations, Chloe speaking. Can I take your name "
              "and account number?"),
            C("Robert Evans, BL2290561. I want to make a formal complaint. My broadband has "
              "dropped out every evening for three weeks.",
              "Robert Evans, B L, two two nine oh, five six one. I want to make a formal "
              "complaint. My broadband has dropped out every evening for three weeks."),
            A("I'm sorry, Mr Evans, that's not acceptable. Can you confirm your postcode for me?",
              "I'm sorry, Mister Evans, that's not acceptable. Can you confirm your postcode for "
              "me?"),
            C("CF10 4AX.", "C F ten, four A X."),
            A("Thank you. I've logged a formal complaint, and your reference is CMP-204511.",
              "Thank you. I've logged a formal complaint, and your reference is C M P, two oh "
              "four, five one one."),
            C("And what happens now?"),
            A("A case handler will contact you within five working days. If it isn't resolved "
              "within eight weeks, you can take it to the ombudsman, free of charge."),
            C("I'd also like some money back for the weeks it hasn't worked."),
            A("That's noted on the complaint, and I've applied a £15 goodwill credit today while "
              "it's investigated.",
              "That's noted on the complaint, and I've applied a fifteen pound goodwill credit "
              "today while it's investigated."),
            C("Okay. Thanks."),
        ),
    ),
    RecordedCall("call_06", "Moving Home", "move_delay", "inbound", "credit_applied", "Tom",
        "en-gb-x-rp", "Linda Shaw", "en-gb+f4", fcr=True, csat=3, complaint="informal", turns=(
            A("Good afternoon, Brightline, Tom speaking. How can I help?"),
            C("I moved house a week ago and I still haven't got broadband. I was promised it "
              "would be live on the day."),
            A("I'm sorry to hear that. Can I take your name and date of birth, please?"),
            C("Linda Shaw, 14th of March 1962.", "Linda Shaw, fourteenth of March, sixty two."),
            A("Thank you, Mrs Shaw. The order was delayed because the old provider hadn't "
              "released the line. It's now due to go live tomorrow.",
              "Thank you, Missus Shaw. The order was delayed because the old provider hadn't "
              "released the line. It's now due to go live tomorrow."),
            C("It's been a nightmare. I've had to use my phone data all week."),
            A("I completely understand. I've added a £20 credit to your account for the "
              "inconvenience, and I'll call you tomorrow afternoon to check it's working.",
              "I completely understand. I've added a twenty pound credit to your account for the "
              "inconvenience, and I'll call you tomorrow afternoon to check it's working."),
            C("Okay, that's something at least."),
        ),
    ),
    RecordedCall("call_07", "Bereavement", "account_holder_died", "inbound", "account_transferred",
        "Priya", "en-gb+f3", "Margaret Hughes", "en-gb+f5", fcr=True, csat=5, vulnerable=True,
        turns=(
            A("Good afternoon, Brightline, you're speaking with Priya. How can I help?"),
            C("Hello. My husband passed away last month, and the account's in his name. I don't "
              "really know what I need to do."),
            A("I'm so sorry for your loss. Please take your time. Can I take your name, and your "
              "husband's name?"),
            C("I'm Margaret Hughes. He was Peter Hughes."),
            A("Thank you, Margaret. I can move the account into your name, and there's no charge "
              "for that, or for ending the contract if you'd rather."),
            C("I'd like to keep the phone line. It's how my daughter rings me."),
            A("Of course. We'll need a copy of the death certificate, but there's no rush. You "
              "can post it or upload it any time in the next month."),
            C("Thank you, love. You've been very kind."),
            A("Would you like me to note that we can speak to your daughter for you, if you ever "
              "need help with the account?"),
            C("Yes, that would be a help."),
            A("That's done. Take care, Margaret."),
        ),
    ),
    RecordedCall("call_08", "Moving Home", "home_move", "inbound", "move_booked", "Aisha",
        "en-gb+f4", "Daniel Murphy", "en-gb-x-gbclan", fcr=True, csat=5, turns=(
            A("Good morning, Brightline, you're through to Aisha. How can I help?"),
            C("I'm moving house on the 28th and I want to take my broadband with me.",
              "I'm moving house on the twenty eighth and I want to take my broadband with me."),
            A("Congratulations on the move. Can I take your name and date of birth?"),
            C("Daniel Murphy, 9th of July 1990.", "Daniel Murphy, ninth of July, nineteen ninety."),
            A("Thanks, Daniel. And the new address?"),
            C("42 Victoria Road, Bristol, BS3 1QT.",
              "Forty two Victoria Road, Bristol, B S three, one Q T."),
            A("Your broadband can be live there on the 28th. There's no charge to move, and your "
              "contract stays the same.",
              "Your broadband can be live there on the twenty eighth. There's no charge to move, "
              "and your contract stays the same."),
            C("Will I need a new router?"),
            A("No, just take your current one with you and plug it in on the day."),
            C("Perfect, thanks."),
        ),
    ),
    RecordedCall("call_09", "Payments", "collections_callback", "outbound", "payment_taken",
        "Gareth", "en-gb", "Kevin Walsh", "en-gb-scotland", fcr=True, csat=None, pci_breach=True,
        turns=(
            A("Hi, is that Kevin Walsh? It's Gareth from Brightline, calling about your account."),
            C("Yeah, that's me."),
            A("Can you confirm your date of birth for security?"),
            C("9th of February '91.", "Ninth of February, ninety one."),
            A("Thanks. There's an overdue balance of £32. Can we take that today by card?",
              "Thanks. There's an overdue balance of thirty two pounds. Can we take that today "
              "by card?"),
            C("Go on. Use the card on the account, the one ending 6610.",
              "Go on. Use the card on the account, the one ending six six one oh."),
            A("Lovely. I just need the security code off the back to take it."),
            C("772.", "Seven seven two."),
            A("772, thanks. That's the £32 paid.",
              "Seven seven two, thanks. That's the thirty two pounds paid."),
        ),
    ),
    RecordedCall("call_10", "Payments", "financial_difficulty", "inbound", "payment_plan", "Chloe",
        "en-gb+f2", "Jade Turner", "en-gb+f1", fcr=True, csat=5, vulnerable=True, turns=(
            A("Good afternoon, Brightline payments, Chloe speaking."),
            C("Hi. I've lost my job and I can't pay the full bill this month."),
            A("Thank you for telling me, that must be a worry. Can I take your name and date of "
              "birth first?"),
            C("Jade Turner, 2nd of May 1996.", "Jade Turner, second of May, ninety six."),
            A("Thanks, Jade. We can set up a payment plan. Is there anything else that makes it "
              "harder to manage, so we can support you properly?"),
            C("I get anxious on the phone, to be honest."),
            A("Thanks for sharing that. If you're happy for me to record it, we'll contact you by "
              "email instead."),
            C("Yes please."),
            A("I've set up a plan of £20 a month for three months, with no late fees, and I'll "
              "email you details of free debt advice.",
              "I've set up a plan of twenty pounds a month for three months, with no late fees, "
              "and I'll email you details of free debt advice."),
            C("Thank you so much."),
        ),
    ),
)
# fmt: on
