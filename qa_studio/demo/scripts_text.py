"""Chat and email templates.

Chats read like web chat (short messages, customers typing casually, agents handling several
at once); emails like a customer-care mailbox (a subject line, a signed reply, a complaint
reference). ``chat_card_details_in_chat`` is the chat version of a PCI DSS fail: the agent asks
for the card security code in the chat and repeats it back.
"""

from __future__ import annotations

from qa_studio.demo.conversations import A, C, Maybe, S, Script

CHAT_HELLO = A(
    "Hi {first}, thanks for contacting {company}. You're chatting with {agent}. "
    "I'll just read through your message.",
    "Hello {first}, my name's {agent} and I'll be helping you today. Give me a moment "
    "to look at your message.",
)
CHAT_IDV = (
    A(
        "Before I look at the account, can you confirm the first line of your address and "
        "your date of birth, please?"
    ),
    C("{addr1}, {dob}", "{addr1} and {dob}"),
)
CHAT_THANKS = A("Thanks {first}, that's all confirmed.", "Thank you, that's you verified.")
CHAT_END = (
    A(
        "Is there anything else I can help with today?",
        "Anything else I can do for you while you're here?",
    ),
    C("no that's all thanks", "No, that's great. Thank you!", "nope, all sorted cheers"),
    A(
        "Thanks for chatting with us, {first}. Have a lovely day!",
        "You're welcome. Take care, {first}.",
    ),
    S("Chat ended by agent."),
)
EMAIL_SIGN = "\n\nKind regards,\n{agent}\n{company} Customer Care"


# fmt: off
CHAT_SCRIPTS: tuple[Script, ...] = (
    Script("chat_bill_query", "chat", "Billing", "bill_increase", "resolved", 9.0, fcr=0.85,
        csat=4.0, lines=(
            C("hi why has my bill gone up to {amount}?? it was {old_amount} last month",
              "Hello, my latest bill is {amount} and I don't understand why it's higher"),
            CHAT_HELLO,
            *CHAT_IDV,
            CHAT_THANKS,
            A("I can see your introductory discount ended in {bill_month}, which is why the price "
              "went up."),
            C("oh right. is there anything cheaper", "That's annoying. Can you do anything?"),
            A("I can move you onto our current offer at {new_amount} a month for 18 months. Your "
              "speed stays the same. Would you like me to do that?"),
            C("yes please", "Go on then, thanks"),
            A("Done! You'll get a confirmation email in the next few minutes."),
            *CHAT_END,
        ),
    ),
    Script("chat_router_restart", "chat", "Broadband Faults", "no_connection", "resolved", 7.0,
        fcr=0.6, csat=3.8, lines=(
            C("internet not working since this morning", "My broadband keeps dropping out"),
            CHAT_HELLO,
            *CHAT_IDV,
            CHAT_THANKS,
            A("I'm sorry about that. What colour is the light on the front of your {router}?"),
            C("its flashing orange", "Red, and it's flashing"),
            A("Could you turn the router off at the wall for 30 seconds and then back on? It takes "
              "about three minutes to start up."),
            C("ok doing it now"),
            C("its white now and the internet is back!", "ok it's working again, thank you"),
            Maybe(
                0.5,
                A("Great! I've also run a line test and your line is healthy, so if it happens "
                  "again just let us know and quote this chat."),
            ),
            *CHAT_END,
        ),
    ),
    Script("chat_fault_engineer", "chat", "Broadband Faults", "no_connection", "engineer_booked",
        4.0, fcr=0.3, csat=3.3, lines=(
            C("no internet again, third time this month", "My broadband has stopped working"),
            CHAT_HELLO,
            *CHAT_IDV,
            CHAT_THANKS,
            A(
                "I'm sorry about that. Could you switch the router off at the wall for 30 seconds "
                "and "
                "then back on for me?"
            ),
            C("already tried that, twice", "done it, still no internet"),
            A(
                "Thanks for trying. I've run a line test and there's a fault on the line outside "
                "your "
                "home, so I've booked an engineer for {eng_day}, {slot_window}."
            ),
            C("is there nothing sooner?", "ok"),
            Maybe(
                0.7,
                A("That's the earliest slot, but you'll get automatic compensation for each "
                  "full day the service is down."),
            ),
            *CHAT_END,
        ),
    ),
    Script("chat_moving_home", "chat", "Moving Home", "home_move", "move_booked", 5.0, fcr=0.9,
        csat=4.4, lines=(
            C("Hi, I'm moving on {move_date}, can I take my broadband with me?"),
            CHAT_HELLO,
            *CHAT_IDV,
            CHAT_THANKS,
            A("Of course. What's the new address, including the postcode?"),
            C("{new_addr}"),
            A("Thanks. I've checked and we can have you connected there on {move_date} at no "
              "extra cost. Shall I book that?"),
            C("yes please!"),
            A("All booked. Just take your {router} with you and plug it in on the day."),
            *CHAT_END,
        ),
    ),
    Script("chat_missed_engineer", "chat", "Complaints", "missed_appointment", "credit_applied",
        3.0, fcr=0.7, csat=2.9, complaint="informal", lines=(
            C(
                "I took a day off work for an engineer and nobody turned up. Not impressed.",
                "engineer was meant to come today between 8 and 1 and never showed up. absolute "
                "joke",
            ),
            CHAT_HELLO,
            *CHAT_IDV,
            CHAT_THANKS,
            A("I'm really sorry, {first}. I can see the engineer was delayed on an earlier job and "
              "you should have been told. That isn't the service we want to give."),
            C("no one called me", "I want to know it won't happen again"),
            A("I've rebooked the engineer for {eng_day}, {slot_window}, as the first job of the "
              "day, and added a {credit} credit for the missed appointment."),
            C("ok fine", "Right. Thanks I suppose."),
            *CHAT_END,
        ),
    ),
    Script("chat_card_details_in_chat", "chat", "Payments", "card_payment", "payment_taken", 1.2,
        fcr=0.95, csat=4.2, pci_breach=True, lines=(
            C("can I pay my bill on here?", "Hi, I want to pay the {amount} I owe"),
            CHAT_HELLO,
            *CHAT_IDV,
            CHAT_THANKS,
            A("Yes, I can take that for you now. Please type the card number, expiry date and the "
              "3-digit security code."),
            C("{card_number} exp {expiry} code {cvv}"),
            A("Thanks, that's the card ending {card_last4}, expiry {expiry}, security code {cvv}. "
              "Processing {amount} now."),
            A("Payment taken, thank you!"),
            *CHAT_END,
        ),
    ),
    Script("chat_payment_link", "chat", "Payments", "card_payment", "payment_taken", 4.0, fcr=0.95,
        csat=4.5, lines=(
            C("I need to make a payment", "Hi can I pay my overdue bill please"),
            CHAT_HELLO,
            *CHAT_IDV,
            CHAT_THANKS,
            A("The balance is {amount}. For your security please don't type card details into the "
              "chat. I'm sending you a secure payment link now."),
            S("Secure payment link sent."),
            C("done, it says successful"),
            A("Perfect, I can see the payment of {amount} has gone through."),
            *CHAT_END,
        ),
    ),
)
# fmt: on

# fmt: off
EMAIL_SCRIPTS: tuple[Script, ...] = (
    Script("email_formal_complaint", "email", "Complaints", "repeated_outages", "complaint_logged",
        3.0, fcr=0.3, csat=2.5, complaint="formal", lines=(
            C(
                "Subject: Formal complaint - account {account}\n\nTo whom it may concern,\n\nI "
                "wish "
                "to make a formal complaint. My broadband has failed repeatedly over the last "
                "month and "
                "I have called your helpline four times without a fix. I work from home and this "
                "has "
                "cost me time and money.\n\nI expect a full explanation and compensation.\n\n"
                "{first} {last}\n{addr1}, {postcode}"
            ),
            A(
                "Dear {title} {last},\n\nThank you for your email, and I'm sorry for the "
                "disruption "
                "you've had. I've logged your formal complaint under reference {ref}.\n\nA "
                "complaints "
                "handler will review the faults on your line and contact you within five working "
                "days. We aim to resolve complaints quickly; if we haven't done so within eight "
                "weeks, or you're unhappy with our final response, you can refer your complaint "
                "to the "
                "ombudsman free of charge." + EMAIL_SIGN
            ),
            Maybe(
                0.6,
                C("Subject: RE: Formal complaint - {ref}\n\nThank you. I look forward to "
                  "hearing from you.\n\n{first} {last}"),
            ),
        ),
    ),
    Script("email_bereavement", "email", "Bereavement", "account_holder_died", "account_closed",
        2.0, fcr=0.8, csat=4.6, vulnerable=True, lines=(
            C(
                "Subject: Account of the late {deceased}\n\nHello,\n\nI'm writing to let you know "
                "that my {relation}, {deceased}, passed away on {death_date}. I am dealing with "
                "their "
                "affairs and would like to close the broadband account. I've attached a copy of "
                "the "
                "death certificate.\n\nMany thanks,\n{first} {last}"
            ),
            A(
                "Dear {first},\n\nI'm very sorry to hear about the loss of your {relation}, and "
                "thank "
                "you for letting us know.\n\nI've closed the account from {death_date}. There are "
                "no "
                "early termination charges, and any credit will be refunded to the estate. You "
                "don't "
                "need to do anything else, and you won't receive any further bills.\n\nIf you'd "
                "prefer to talk to us, our bereavement team is available on 0800 000 0000."
                + EMAIL_SIGN
            ),
        ),
    ),
    Script("email_refund_request", "email", "Billing", "overpayment_refund", "refund_given", 4.0,
        fcr=0.85, csat=4.1, lines=(
            C("Subject: Refund of credit balance\n\nHi,\n\nMy account {account} shows a credit "
              "balance of {credit} since I changed packages. Please can you refund it to my bank "
              "account?\n\nThanks,\n{first} {last}"),
            A("Dear {title} {last},\n\nThank you for getting in touch. I've checked your account "
              "and can confirm the credit of {credit}. I've arranged a refund to the bank account "
              "your direct debit is paid from; it should arrive within five working days."
              + EMAIL_SIGN),
        ),
    ),
    Script("email_moving_home", "email", "Moving Home", "home_move", "move_booked", 3.0, fcr=0.75,
        csat=4.2, lines=(
            C("Subject: Moving house\n\nHello,\n\nI'm moving to {new_addr} on {move_date}. Can my "
              "broadband be moved to the new address on that day?\n\nRegards,\n{first} {last}\n"
              "Account {account}"),
            A("Dear {title} {last},\n\nThank you for letting us know about your move. I've booked "
              "your broadband to go live at {new_addr} on {move_date}. There's no charge, and your "
              "contract and price stay the same.\n\nPlease take your {router} with you and connect "
              "it on the day." + EMAIL_SIGN),
            Maybe(
                0.4,
                C("Subject: RE: Moving house\n\nBrilliant, thanks for the quick reply.\n\n{first}"),
            ),
        ),
    ),
    Script("email_fault_follow_up", "email", "Broadband Faults", "slow_speeds",
        "information_given", 2.0, fcr=0.5, csat=3.6, lines=(
            C(
                "Subject: Still slow\n\nHi,\n\nThe engineer came on {past_day} but my speeds are "
                "still "
                "only about 10Mb in the evening. I pay for {speed}Mb.\n\n{first} {last}"
            ),
            A("Dear {title} {last},\n\nThank you for your email. I've run a test on your line and "
              "you're receiving the full {speed}Mb at the router, so the slowdown is likely to be "
              "the wifi signal in parts of your home. I've sent you a free wifi booster, which "
              "should arrive within three working days.\n\nIf things don't improve, just reply to "
              "this email and we'll look again." + EMAIL_SIGN),
        ),
    ),
)
# fmt: on

TEXT_SCRIPTS: tuple[Script, ...] = CHAT_SCRIPTS + EMAIL_SCRIPTS
