"""Voice call templates (transcripts only; the recorded calls are in ``recorded_calls``).

Written the way UK agents and customers speak on a telecoms helpline: greet, verify identity, deal
with the reason for the call, check for anything else, close. Some templates carry the faults a
QA lead looks for — ``payments_cvv_read_back`` takes and repeats the card security code (a fatal
PCI DSS fail), ``billing_dd_date_no_idv`` changes account details without verifying identity.
"""

from __future__ import annotations

from qa_studio.demo.conversations import A, C, Hold, Maybe, Script

GREET = A(
    "{greeting}, thank you for calling {company}, you're speaking with {agent}. How can I help?",
    "{greeting}, {company}, {agent} speaking. How can I help today?",
    "{greeting}, you're through to {agent} at {company}. What can I do for you?",
)
ASK_IDV = A("Can I take your account number, please?", "Could I start with your account number?")
GIVE_ACCOUNT = C("Yes, it's {account}.", "It's {account}.", "Erm, hang on... {account}.")
ASK_SECURITY = A(
    "Thank you. And for security, can you confirm the first line of your address "
    "and your date of birth?",
    "Thanks. Just to confirm I'm speaking to the account holder, what's the first "
    "line of your address and your date of birth?",
)
GIVE_SECURITY = C("{addr1}, and {dob}.", "It's {addr1}. Date of birth {dob}.")
VERIFIED = A("Thank you, {title} {last}, that's all verified.", "Lovely, thank you {title} {last}.")
ANYTHING_ELSE = A(
    "Is there anything else I can help with today?",
    "Is there anything else you need while I've got you?",
)
NO_THANKS = C(
    "No, that's everything, thanks.",
    "No, that's it. Thanks for your help.",
    "No, you've sorted it, thank you.",
)
CLOSE = A(
    "Thanks for calling {company}, {title} {last}. Have a lovely day.",
    "Thanks for your call, take care. Bye now.",
    "You're welcome. Have a good rest of your day.",
)
STANDARD_IDV = (ASK_IDV, GIVE_ACCOUNT, ASK_SECURITY, GIVE_SECURITY, VERIFIED)
WRAP_UP = (ANYTHING_ELSE, NO_THANKS, CLOSE)


def _hold(reason: str) -> Hold:
    return Hold(
        A(
            f"Bear with me while I {reason}. I'll just pop you on hold for a moment.",
            f"Let me {reason}. Is it okay if I put you on a brief hold?",
        ),
        A(
            "Thanks for holding.",
            "Thank you for holding, sorry about the wait.",
            "Thanks for bearing with me.",
        ),
    )


# fmt: off
VOICE_SCRIPTS: tuple[Script, ...] = (
    Script("billing_bill_increase", "voice", "Billing", "bill_increase", "resolved", 10.0,
        fcr=0.85, csat=3.9, lines=(
            GREET,
            C("Hi, I've just had my bill and it's gone up to {amount}. It's usually {old_amount}.",
              "Hello, I'm calling because my bill's jumped to {amount} and I don't know why."),
            *STANDARD_IDV,
            _hold("pull up your last few bills"),
            A("So your 12-month discount ended in {bill_month}, which is why it's gone up to "
              "{amount}."),
            C("Nobody told me that.",
              "Right. I didn't realise it was ending.",
              "That's a big jump."),
            Maybe(0.5, A("We did email a reminder, but I appreciate it's easy to miss.")),
            A("What I can do is move you onto our current deal at {new_amount} a month on an "
              "18-month contract, with no change to your speed."),
            C("Yes, let's do that.",
              "Okay, go on then.",
              "Fine, that's better than what I'm paying now."),
            A("That's done, and it'll show on your next bill. I'll email you the new contract "
              "summary now."),
            *WRAP_UP,
        ),
    ),
    Script("billing_late_fee_refund", "voice", "Billing", "late_fee", "refund_given", 5.0, fcr=0.9,
        csat=3.4, complaint="informal", lines=(
            GREET,
            C("I've been charged a £5 late payment fee, but my direct debit went out on time. I'm "
              "not happy about it.",
              "Yeah, there's a late payment charge on my bill and I've never missed a payment. "
              "It's really annoyed me."),
            *STANDARD_IDV,
            _hold("check the payment history"),
            A("You're right, the direct debit was collected on the {due_day}, so the fee was added "
              "in error. I'm sorry about that."),
            C("This is the second time this has happened.",
              "I shouldn't have to ring up to sort this out."),
            A(
                "I completely understand your frustration. I've refunded the £5 and added a "
                "{credit} "
                "credit as an apology, and I've put a note on the account so it doesn't happen "
                "again."
            ),
            C("Okay. Thank you.", "Right, well, thanks for sorting it."),
            *WRAP_UP,
        ),
    ),
    Script("billing_dd_date_no_idv", "voice", "Billing", "direct_debit_date", "resolved", 2.5,
        fcr=0.95, csat=4.3, skips_id_check=True, lines=(
            GREET,
            C("Hi, I'd like to change the date my direct debit comes out, please. I get paid on "
              "the {due_day} now."),
            A("No problem. What's the account number?"),
            GIVE_ACCOUNT,
            A(
                "Thanks. I've moved your payment date to the {due_day}. Your next bill might be a "
                "bit "
                "different because of the part month."
            ),
            C("That's fine, thanks."),
            *WRAP_UP,
        ),
    ),
    Script("broadband_no_connection", "voice", "Broadband Faults", "no_connection",
        "engineer_booked", 9.0, fcr=0.3, csat=3.2, lines=(
            A("{greeting}, {company} broadband support, you're speaking with {agent}. Can I take "
              "your account number?"),
            C("Yes, it's {account}. My internet's stopped working completely.",
              "{account}. I've had no broadband since last night."),
            A("Sorry to hear that. Can you confirm your postcode and date of birth?"),
            C("{postcode}, and {dob}."),
            A("Thanks, {title} {last}. What lights can you see on the router?"),
            C("The internet light is flashing red.",
              "There's an orange light that keeps blinking."),
            A(
                "Could you switch the router off at the wall, wait thirty seconds, and switch it "
                "back "
                "on for me?"
            ),
            C("Okay, hang on... right, it's back on. Still flashing.",
              "I've done that twice already this morning."),
            A("Thanks for trying that. I'll run a line test."),
            _hold("run the test, it takes a minute or two"),
            A("The test shows a fault on the line, so I'm booking an engineer. The first "
              "appointment is {eng_day}, {slot_window}."),
            C("Is there nothing sooner? I work from home.",
              "That's fine.",
              "Okay, I'll make sure someone's in."),
            Maybe(
                0.6,
                A("That's the earliest we have, but you'll get automatic compensation for "
                  "each full day it's down, and I've added you to the cancellation list."),
            ),
            A("You'll get a text to confirm the appointment."),
            *WRAP_UP,
        ),
    ),
    Script("broadband_slow_wifi", "voice", "Broadband Faults", "slow_speeds", "resolved", 6.0,
        fcr=0.75, csat=4.0, lines=(
            GREET,
            C("My broadband's really slow in the evenings. I'm paying for {speed} meg and getting "
              "about ten.",
              "Hi, the internet keeps buffering when we watch anything at night."),
            *STANDARD_IDV,
            A("Are you mostly on wifi, or plugged in with a cable?"),
            C("Wifi. The router's in the hallway and we're mostly upstairs."),
            _hold("check your line"),
            A("The line's healthy and you're getting the full {speed} meg to the router, so it's "
              "the wifi signal upstairs. I can send you a free wifi booster; it'll arrive in two "
              "to three working days."),
            C("Oh, that'd be great.", "Brilliant, thank you."),
            Maybe(
                0.5,
                A("In the meantime, it helps to keep the router off the floor and away from "
                  "the TV."),
            ),
            *WRAP_UP,
        ),
    ),
    Script("payments_secure_line", "voice", "Payments", "card_payment", "payment_taken", 6.0,
        fcr=0.95, csat=4.4, lines=(
            GREET,
            C("I've had a letter saying I'm behind, and I want to pay what I owe.",
              "Hi, I'd like to make a payment on my account, please."),
            *STANDARD_IDV,
            A("The balance is {amount}. To keep your card details safe, I'm going to transfer you "
              "to our secure payment line. You'll key your card details in on the phone, and I "
              "won't hear them."),
            C("Okay.", "Right, that's fine."),
            Maybe(0.8, A("You should hear a short message now. Just follow the prompts.")),
            A("That's gone through, {title} {last}. The payment of {amount} is approved and your "
              "account is up to date."),
            C("Great, thank you."),
            *WRAP_UP,
        ),
    ),
    Script("payments_cvv_read_back", "voice", "Payments", "card_payment", "payment_taken", 1.8,
        fcr=0.95, csat=4.3, pci_breach=True, lines=(
            GREET,
            C("Hi, I need to pay my bill, it's overdue.", "I want to pay my bill by card."),
            *STANDARD_IDV,
            A("So the amount due is {amount}. Can I take the long number on the card?"),
            C("It's {card_number}."),
            A("And the expiry date?"),
            C("{expiry}."),
            A("And the three-digit security code on the back?",
              "And the last three digits on the back of the card, the security code?"),
            C("{cvv}.", "It's {cvv}."),
            A("{cvv}, lovely, thank you. I'll just put that through.",
              "That's {cvv}. Thank you, just processing that now."),
            A("That's all gone through, {amount} paid."),
            *WRAP_UP,
        ),
    ),
    Script("payments_financial_difficulty", "voice", "Payments", "financial_difficulty",
        "payment_plan", 3.0, fcr=0.9, csat=4.5, vulnerable=True, lines=(
            GREET,
            C("I'm struggling to pay this month. I've had my hours cut at work.",
              "Hi. I've lost my job and I can't pay the full bill this month."),
            A("Thank you for telling me, that must be really worrying. Let's see what we can do."),
            *STANDARD_IDV,
            A("Is there anything else going on that makes things harder to manage at the moment, "
              "so we can support you properly?"),
            C("I've got depression, and letters from companies really stress me out.",
              "Not really, it's just money's tight."),
            Maybe(
                0.7,
                A("Thanks for sharing that. With your permission, I'll note it on the account "
                  "so we handle things in a way that works for you. Is that okay?"),
                C("Yes, that's fine."),
            ),
            A("I've set up a payment plan of {plan_amount} a month for {plan_months} months, and "
              "there'll be no late fees while you're on it."),
            A("I'll also email you details of free debt advice from organisations like StepChange "
              "and Citizens Advice."),
            C("Thank you, that's a weight off.", "Thank you so much."),
            *WRAP_UP,
        ),
    ),
    Script("complaint_formal_outages", "voice", "Complaints", "repeated_outages",
        "complaint_logged", 4.0, fcr=0.2, csat=2.6, complaint="formal", lines=(
            A("{greeting}, {company} customer relations, {agent} speaking."),
            C("I want to make a formal complaint. My broadband has dropped out every evening for "
              "weeks and nobody has fixed it.",
              "I've called four times about my internet and I'm sick of it. I want to complain."),
            A("I'm really sorry to hear that. I'll make sure it's logged properly."),
            *STANDARD_IDV,
            _hold("read through the notes on your account"),
            A("I can see the previous calls. I've logged a formal complaint and your reference is "
              "{ref}."),
            C("So what happens now?"),
            A("A complaints handler will contact you within five working days. If we haven't "
              "resolved it within eight weeks, or you're unhappy with our final response, you can "
              "take it to the ombudsman free of charge."),
            Maybe(
                0.6,
                C("And I want some money back for the time it hasn't worked."),
                A("That's noted on the complaint, and I've applied a {credit} goodwill credit "
                  "today."),
            ),
            C("Fine.", "Okay. I'll wait to hear then."),
            *WRAP_UP,
        ),
    ),
    Script("bereavement_account_holder", "voice", "Bereavement", "account_holder_died",
        "account_transferred", 3.0, fcr=0.85, csat=4.7, vulnerable=True, lines=(
            GREET,
            C("Hello. My {relation} passed away recently, and the account's in their name. I don't "
              "really know what I need to do.",
              "Hi, I'm calling because my {relation} died last month. The broadband's in their "
              "name."),
            A("I'm so sorry for your loss. Please take your time. Can I take your name, and the "
              "account holder's name?"),
            C("I'm {first} {last}. It was {deceased}."),
            A("Thank you, {first}. We can either move the account into your name or close it, and "
              "there's no charge for either, even if there's time left on the contract."),
            C("I'd like to keep it in my name, please.", "I think we'll close it, to be honest."),
            A("Of course. We'll need a copy of the death certificate, but there's no rush at all. "
              "You can post it or upload it within the next month."),
            Maybe(
                0.6,
                A("Would you like me to make a note so that you don't have to explain this "
                  "again if you call us?"),
                C("Yes please, that would help."),
            ),
            C("Thank you, you've been very kind."),
            A("Take care, {first}. We'll write to confirm everything."),
        ),
    ),
    Script("moving_home", "voice", "Moving Home", "home_move", "move_booked", 5.0, fcr=0.9,
        csat=4.4, lines=(
            GREET,
            C("Hi, I'm moving house on {move_date} and I want to take my broadband with me."),
            *STANDARD_IDV,
            A("Congratulations on the move. What's the new address?"),
            C("It's {new_addr}."),
            _hold("check what's available at the new address"),
            A(
                "Good news, we can have you live there on {move_date}, and there's no charge to "
                "move. "
                "Your contract and price stay the same."
            ),
            C("Will I need a new router?"),
            A("No, just take your {router} with you and plug it in on the day."),
            *WRAP_UP,
        ),
    ),
)
# fmt: on
