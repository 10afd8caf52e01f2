"""Names, addresses and the other details that fill a script's slots.

Pools are tuples (never sets), so drawing from them with a seeded generator gives the same people
and places on every run. The names mix the backgrounds a UK contact centre actually serves.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

COMPANY = "Brightline"

FEMALE = (
    "Aisha",
    "Amelia",
    "Amy",
    "Bethan",
    "Chloe",
    "Deborah",
    "Emily",
    "Fatima",
    "Grace",
    "Hannah",
    "Harpreet",
    "Isla",
    "Jade",
    "Joanne",
    "Karen",
    "Laura",
    "Leanne",
    "Lucy",
    "Maria",
    "Megan",
    "Niamh",
    "Olivia",
    "Patricia",
    "Priya",
    "Rachel",
    "Rebecca",
    "Rhiannon",
    "Sadia",
    "Samantha",
    "Sarah",
    "Shauna",
    "Sophie",
    "Zainab",
    "Zoe",
    "Agnieszka",
    "Funmi",
)
MALE = (
    "Adam",
    "Ahmed",
    "Andrew",
    "Ben",
    "Callum",
    "Connor",
    "Craig",
    "Daniel",
    "Darren",
    "David",
    "Dylan",
    "Gareth",
    "Imran",
    "Jack",
    "James",
    "Jamal",
    "Kieran",
    "Liam",
    "Lewis",
    "Mark",
    "Matthew",
    "Mohammed",
    "Nathan",
    "Owen",
    "Paul",
    "Rhys",
    "Ryan",
    "Sanjay",
    "Scott",
    "Simon",
    "Stephen",
    "Thomas",
    "Tom",
    "Tomasz",
    "Wayne",
    "Kwame",
)
SURNAMES = (
    "Ahmed",
    "Ali",
    "Bailey",
    "Begum",
    "Bennett",
    "Brown",
    "Campbell",
    "Chapman",
    "Clarke",
    "Collins",
    "Davies",
    "Edwards",
    "Evans",
    "Fletcher",
    "Green",
    "Griffiths",
    "Hall",
    "Harris",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "Kowalski",
    "Lewis",
    "MacDonald",
    "Mensah",
    "Mitchell",
    "Morgan",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Okafor",
    "Owen",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Shah",
    "Shaw",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Walsh",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
)
STREETS = (
    "Elm Grove",
    "Victoria Road",
    "Station Road",
    "Church Lane",
    "Mill Street",
    "Park Avenue",
    "Queen Street",
    "Windsor Close",
    "Oakfield Drive",
    "The Crescent",
    "Beech Road",
    "Albert Terrace",
    "Meadow Way",
    "High Street",
    "Kingsway",
    "Springfield Road",
)
TOWNS = (
    ("Leeds", "LS"),
    ("Manchester", "M"),
    ("Birmingham", "B"),
    ("Cardiff", "CF"),
    ("Bristol", "BS"),
    ("Glasgow", "G"),
    ("Newcastle", "NE"),
    ("Liverpool", "L"),
    ("Sheffield", "S"),
    ("Nottingham", "NG"),
    ("Leicester", "LE"),
    ("Southampton", "SO"),
    ("Plymouth", "PL"),
    ("Exeter", "EX"),
    ("Coventry", "CV"),
    ("Brighton", "BN"),
    ("Reading", "RG"),
    ("Swansea", "SA"),
    ("Belfast", "BT"),
    ("Norwich", "NR"),
)
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
RELATIONS = (("husband", "m"), ("wife", "f"), ("mum", "f"), ("dad", "m"), ("partner", "m"))
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = ("two", "three", "four", "six")


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def spoken_day(d: date) -> str:
    """``Thursday the 14th``: how an agent says an appointment date."""
    return f"{WEEKDAYS[d.weekday()]} the {ordinal(d.day)}"


def written_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def person(rng: random.Random) -> tuple[str, str, str]:
    """A (first, last, title) triple for a customer."""
    if rng.random() < 0.5:
        return rng.choice(FEMALE), rng.choice(SURNAMES), rng.choice(("Mrs", "Ms", "Miss", "Mrs"))
    return rng.choice(MALE), rng.choice(SURNAMES), "Mr"


def postcode(rng: random.Random, area: str) -> str:
    return (
        f"{area}{rng.randint(1, 19)} {rng.randint(1, 9)}"
        f"{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
    )


def money(value: float) -> str:
    return f"£{value:,.2f}"


def working_day_after(d: date, days: int) -> date:
    while days > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days -= 1
    return d


def make_slots(rng: random.Random, *, agent_first: str, local_start: datetime) -> dict[str, str]:
    """Every slot any script uses, drawn in a fixed order so each contact costs the same draws."""
    first, last, title = person(rng)
    town, area = rng.choice(TOWNS)
    new_town, new_area = rng.choice(TOWNS)
    today = local_start.date()
    old = rng.uniform(26.0, 52.0)
    amount = old + rng.uniform(8.0, 24.0)
    relation, rel_sex = rng.choice(RELATIONS)
    deceased_first = rng.choice(MALE if rel_sex == "m" else FEMALE)
    hour = local_start.hour
    engineer = working_day_after(today, rng.randint(2, 5))
    move = today + timedelta(days=rng.randint(9, 32))
    previous_month = (today.replace(day=1) - timedelta(days=1)).month
    expiry_year = (today.year + rng.randint(1, 4)) % 100
    card_last4 = f"{rng.randint(0, 9999):04d}"
    return {
        "company": COMPANY,
        "agent": agent_first,
        "greeting": "Good morning"
        if hour < 12
        else ("Good afternoon" if hour < 18 else "Good evening"),
        "first": first,
        "last": last,
        "title": title,
        "account": f"BL{rng.randint(1000000, 9999999)}",
        "addr1": f"{rng.randint(1, 140)} {rng.choice(STREETS)}",
        "postcode": postcode(rng, area),
        "town": town,
        "new_addr": f"{rng.randint(1, 90)} {rng.choice(STREETS)}, {new_town}, "
        f"{postcode(rng, new_area)}",
        "dob": f"the {ordinal(rng.randint(1, 28))} of {rng.choice(MONTHS)} "
        f"{rng.randint(1942, 2004)}",
        "old_amount": money(old),
        "amount": money(amount),
        "new_amount": money(amount - rng.uniform(6.0, 14.0)),
        "credit": money(rng.choice((5, 10, 15, 20, 25))),
        "plan_amount": money(rng.choice((10, 15, 20, 25))),
        "plan_months": rng.choice(NUMBER_WORDS),
        "card_last4": card_last4,
        "card_number": f"4{rng.randint(100, 999)} {rng.randint(0, 9999):04d} "
        f"{rng.randint(0, 9999):04d} {card_last4}",
        "expiry": f"{rng.randint(1, 12):02d}/{expiry_year:02d}",
        "cvv": f"{rng.randint(0, 999):03d}",
        "ref": f"CMP-{rng.randint(100000, 999999)}",
        "eng_day": spoken_day(engineer),
        "slot_window": rng.choice(("between 8 and 1", "between 1 and 6")),
        "move_date": spoken_day(move),
        "past_day": spoken_day(today - timedelta(days=rng.randint(2, 10))),
        "relation": relation,
        "deceased": f"{deceased_first} {last}",
        "death_date": written_date(today - timedelta(days=rng.randint(5, 40))),
        "speed": str(rng.choice((36, 67, 150, 500, 900))),
        "due_day": ordinal(rng.choice((1, 8, 15, 20, 28))),
        "bill_month": MONTHS[previous_month - 1],
        "router": rng.choice(("Brightline Hub 3", "Brightline Hub 4", "router")),
    }
