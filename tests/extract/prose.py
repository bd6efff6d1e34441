"""Generated news-like prose for robustness tests and benchmarks: templated sentences with varied
names, places, dates and figures, in paragraphs separated by blank lines (as ingest joins them)."""

from __future__ import annotations

import random

FIRST = ["Amira", "Dawit", "Lena", "Rashid", "Tomas", "Nadia", "Karim", "Ines", "Yusuf", "Marta", "Omid", "Selin"]
LAST = ["Varga", "Okonkwo", "Haddad", "Lindqvist", "Serrano", "Petrov", "Qasimi", "Bauer", "Mensah", "Tanaka"]
PLACES = ["Kirkuk", "Mosul", "Erbil", "Raqqa", "Tikrit", "Basra", "Fallujah", "Sulaymaniyah", "Hasakah"]
ORGS = ["Joint Operations Command", "Northern Relief Agency", "Provincial Council", "Border Guard Directorate",
        "Regional Health Office", "Water Authority"]
ROLES = ["spokesperson", "commander", "governor", "director", "security analyst", "deputy minister"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
TEMPLATES = [
    "{person}, the {role} of the {org}, said on {day} {month} {year} that {count} families had returned to {place}.",
    "Officials in {place} reported that about {count} people were displaced after clashes in {month} {year}.",
    "\u201cWe expect the situation to improve by {month} {year},\u201d {person} told reporters in {place}.",
    "The {org} said it had delivered {count} tonnes of aid to {place} and {place2} since {day} {month}.",
    "According to {person}, between {low} and {high} fighters remain active in the hills east of {place}.",
    "Forces withdrew from a base near {place} last week, the {org} confirmed in a statement.",
    "{person} warned that more than {count} residents of {place} still lack clean water.",
    "A convoy of {small} trucks reached {place} on {weekday}, {person} of the {org} said.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def sentence(rng: random.Random) -> str:
    """One templated sentence with randomly chosen names, places, dates and figures."""
    low = rng.randint(20, 900)
    return rng.choice(TEMPLATES).format(
        person=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        role=rng.choice(ROLES),
        org=rng.choice(ORGS),
        place=rng.choice(PLACES),
        place2=rng.choice(PLACES),
        day=rng.randint(1, 28),
        month=rng.choice(MONTHS),
        year=rng.randint(2019, 2026),
        count=f"{rng.randint(2, 9000):,}",
        low=low,
        high=low + rng.randint(10, 500),
        small=rng.randint(3, 40),
        weekday=rng.choice(WEEKDAYS),
    )


def paragraph(rng: random.Random) -> str:
    """Three to six sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def prose(chars: int, seed: int = 7) -> str:
    """Paragraphs joined by blank lines, about `chars` characters long (never shorter)."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        paragraphs.append(paragraph(rng))
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)
