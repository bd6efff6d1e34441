"""A generated corpus of wire reporting on a security theatre, for benchmarks at scale.

    python benchmarks/corpus.py FOLDER --count N [--seed S] [--end YYYY-MM-DD] [--start-index I]

Writes N briefgen sources (Markdown with front matter: title, published, url, outlet, and
`releasable: false` on field notes) of about 500 words each into FOLDER. The texts read like wire
reports on the insurgency in Iraq and Syria (the example project's theatre, so that its gazetteer and
brief apply): named officials with ranks, roles and affiliations, attributed quotes, dated attacks,
strikes, arrests, deployments and withdrawals, tolls and troop figures, real towns and provinces, and
planned events. Some stories are told by several outlets as near-copies (a new headline and lede, a
paragraph dropped, an outlet's sign-off). Publication dates spread over the year before --end.

Everything follows from the seed: file `i` is the same whatever else is generated, so
`generate(folder, 10, seed, end, start_index=n)` adds ten new files beside the first n without
touching them. The officials, outlets and sentences are invented; the places and organisations are real.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WORDS_PER_SOURCE = 500
YEAR_DAYS = 365


@dataclass(frozen=True)
class Town:
    """A real town, the province it lies in and its country."""

    name: str
    province: str
    country: str


TOWNS = (
    *(Town(name, "Diyala", "Iraq") for name in ("Baqubah", "Muqdadiyah", "Khanaqin", "Jalawla", "Balad Ruz",
                                                   "Khalis", "Saadiya")),
    *(Town(name, "Kirkuk", "Iraq") for name in ("Kirkuk", "Hawija", "Daquq", "Dibis", "Riyadh", "Abbasi")),
    *(Town(name, "Salahuddin", "Iraq") for name in ("Tikrit", "Samarra", "Baiji", "Tuz Khurmatu", "Shirqat",
                                                      "Balad", "Dujail", "Tarmiyah")),
    *(Town(name, "Al-Anbar", "Iraq") for name in ("Ramadi", "Fallujah", "Haditha", "Al-Qaim", "Rutba", "Hit",
                                                    "Anah", "Rawa", "Heet")),
    *(Town(name, "Nineveh", "Iraq") for name in ("Mosul", "Tal Afar", "Sinjar", "Qayyarah", "Baaj", "Hamdaniya",
                                                   "Makhmour")),
    *(Town(name, "Baghdad", "Iraq") for name in ("Baghdad", "Abu Ghraib", "Taji", "Mahmudiyah")),
    *(Town(name, "Erbil", "Iraq") for name in ("Erbil", "Soran", "Koya")),
    *(Town(name, "Sulaymaniyah", "Iraq") for name in ("Sulaymaniyah", "Kalar", "Chamchamal")),
    *(Town(name, "Deir ez-Zor", "Syria") for name in ("Deir ez-Zor", "Mayadin", "Albu Kamal", "Hajin", "Busayrah",
                                                        "Shuhayl", "Diban")),
    *(Town(name, "Raqqa", "Syria") for name in ("Raqqa", "Tabqa", "Maadan", "Karama")),
    *(Town(name, "Hasakah", "Syria") for name in ("Hasakah", "Qamishli", "Shaddadi", "Al-Hol", "Tal Tamr")),
    *(Town(name, "Homs", "Syria") for name in ("Palmyra", "Sukhnah", "Qaryatayn")),
    *(Town(name, "Aleppo", "Syria") for name in ("Manbij", "Kobani", "Maskanah")),
)
TERRAIN = {"Iraq": ("the Hamrin Mountains", "Wadi Hauran", "Wadi al-Shay", "the Makhoul Mountains",
                    "the Jazira desert", "the Mutaibijah basin", "the Tharthar valley", "the Qarachogh range"),
           "Syria": ("the Syrian Badia", "the desert east of Sukhnah", "the Bishri mountains",
                     "the Jabal Abu Rujmayn area", "the desert south of Mayadin")}
SYRIAN_TOWNS = tuple(town for town in TOWNS if town.country == "Syria")
IRAQI_TOWNS = tuple(town for town in TOWNS if town.country == "Iraq")

FIRST_NAMES = ("Ahmed", "Ali", "Hussein", "Karim", "Mahmoud", "Omar", "Saad", "Haider", "Mustafa", "Yasser",
               "Abbas", "Hamid", "Khalid", "Jassim", "Nabil", "Tariq", "Walid", "Zaid", "Falah", "Raad", "Sabah",
               "Muhannad", "Qais", "Adel", "Faisal", "Ibrahim", "Rashid", "Salim", "Bakr", "Ghassan", "Hiwa",
               "Shirwan", "Dilshad", "Aras", "Kamaran", "Farhad", "Nawzad", "Layla", "Suha", "Nadia", "Huda",
               "Rana", "Zeinab", "Shirin", "Avin", "Hevi", "Ilham", "Mariam")
FAMILY_NAMES = ("al-Obeidi", "al-Dulaimi", "al-Jabouri", "al-Zubaidi", "al-Tamimi", "al-Shammari", "al-Rubaie",
                "al-Khafaji", "al-Saadi", "al-Hashimi", "al-Janabi", "al-Karbouli", "al-Azzawi", "al-Mashhadani",
                "al-Fahdawi", "al-Issawi", "al-Lami", "al-Maliki", "al-Musawi", "al-Hakim", "al-Asadi",
                "al-Qaisi", "Hussein", "Khalil", "Rashid", "Saleh", "Mahmoud", "Barzani", "Talabani", "Karim",
                "Mustafa", "Hassan", "Othman", "Bakir", "Rasul", "Abdullah", "Darwish", "al-Hamad", "al-Khalaf",
                "al-Ahmad", "Sheikhmous", "Issa", "Omar", "Haji", "al-Bouchamel", "al-Akidi", "al-Bayati")
OUTLETS = ("Tigris Wire", "Levant Dispatch", "Euphrates News Agency", "Mesopotamia Report", "Desert Line Monitor",
           "Baghdad Morning Post", "Crescent Press Service", "Northern Iraq Bulletin", "Frontline Syria Review",
           "Regional Security Digest", "Two Rivers Times", "Jazira Press")
FIELD_OUTLET = "Field Team Notes"  # its sources are not releasable: the public audience leaves them out
INSTITUTES = ("the Baghdad Centre for Security Studies", "the Mesopotamia Policy Institute",
              "the Erbil Forum for Strategic Research", "the Levant Conflict Observatory",
              "the Nahrain Research Centre", "the Euphrates Institute for Security Studies")


@dataclass(frozen=True)
class Person:
    """An invented official: how the first mention names them, the role phrase after the name, and the
    body they belong to (None for independent experts)."""

    name: str
    title: str  # a rank or office before the name, or ""
    role: str  # the appositive after the name: "a spokesman for the Joint Operations Command"; "" after an office
    body: str | None
    country: str
    kind: str  # "security", "civil", "expert", "syria", "coalition", "politics"

    @property
    def surname(self) -> str:
        """The name used on later mentions ("al-Obeidi" becomes "Al-Obeidi" at a sentence's start)."""
        return self.name.split(" ", 1)[1]

    def first(self) -> str:
        """The first mention: title, name and role."""
        named = f"{self.title} {self.name}" if self.title else self.name
        return f"{named}, {self.role}," if self.role else named


_ROLE_SHAPES: tuple[tuple[str, str, str | None, str, str], ...] = (
    # title, role (with {province}/{town}/{institute}), body, country, kind
    ("Brigadier General", "a spokesman for the Joint Operations Command", "Joint Operations Command", "Iraq",
     "security"),
    ("Major General", "the commander of military operations in {province}", "Iraqi Army", "Iraq", "security"),
    ("Lieutenant General", "the deputy commander of joint operations", "Joint Operations Command", "Iraq",
     "security"),
    ("Colonel", "a spokesman for the Counter-Terrorism Service", "Counter-Terrorism Service", "Iraq", "security"),
    ("Major General", "the police chief of {province}", "Iraqi Federal Police", "Iraq", "security"),
    ("", "a commander of the Popular Mobilization Forces in {province}", "Popular Mobilization Forces", "Iraq",
     "security"),
    ("Brigadier General", "a spokesman for the Iraqi Air Force", "Iraqi Air Force", "Iraq", "security"),
    ("", "a spokesman for the Peshmerga ministry", "Peshmerga", "Iraq", "security"),
    ("", "the governor of {province}", None, "Iraq", "civil"),
    ("", "the mayor of {town}", None, "Iraq", "civil"),
    ("", "the district commissioner of {town}", None, "Iraq", "civil"),
    ("", "a member of the parliament's Security and Defense Committee from {province}",
     "Parliamentary Security and Defense Committee", "Iraq", "politics"),
    ("", "a security analyst at {institute}", None, "Iraq", "expert"),
    ("", "a researcher at {institute}", None, "Iraq", "expert"),
    ("", "a military expert and retired army officer", None, "Iraq", "expert"),
    ("", "a spokesman for the Syrian Democratic Forces", "Syrian Democratic Forces", "Syria", "syria"),
    ("", "an SDF commander in {province}", "Syrian Democratic Forces", "Syria", "syria"),
    ("", "the co-chair of the civil council of {town}", None, "Syria", "syria-civil"),
    ("", "the camp administrator at al-Hol", None, "Syria", "syria-civil"),
    ("Colonel", "a spokesman for the US-led coalition", "Global Coalition to Defeat ISIS", "Iraq", "coalition"),
    ("Major General", "the coalition's deputy commander for operations", "Global Coalition to Defeat ISIS", "Iraq",
     "coalition"),
)
_OFFICES = (("Defence Minister", "Iraqi Ministry of Defence"), ("Interior Minister", "Iraqi Ministry of Interior"),
            ("National Security Adviser", "Iraqi National Security Council"))


@dataclass(frozen=True)
class Story:
    """One happening, before any outlet writes it up."""

    number: int
    kind: str
    day: dt.date
    town: Town
    terrain: str
    killed: int
    wounded: int
    count: int  # suspects, militants, families, troops: what the kind counts
    tactic: str
    target: str
    victim: str  # who the target's dead are, in the singular: "soldier", "policeman"
    speaker: Person
    voice: Person
    expert: Person
    base: str  # the base a withdrawal hands over
    camp: str  # the camp families return from
    force: str  # the state force that struck or arrested


@dataclass(frozen=True)
class Source:
    """One generated source file: its name and text."""

    name: str
    text: str


# --- the roster of people, fixed by the seed ------------------------------------------------------


@cache
def roster(seed: int) -> tuple[Person, ...]:
    """The invented officials and experts of a corpus: the same for every file of one seed."""
    rng = random.Random(f"{seed}:roster")
    used: set[str] = set()
    people: list[Person] = []

    def new_name() -> str:
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
            if name not in used:
                used.add(name)
                return name

    for office, body in _OFFICES:
        people.append(Person(new_name(), office, "", body, "Iraq", "politics"))
    for title, role, member_of, country, kind in _ROLE_SHAPES:
        for _ in range(4):
            town = rng.choice(SYRIAN_TOWNS if country == "Syria" else IRAQI_TOWNS)
            filled = role.format(province=town.province, town=town.name, institute=rng.choice(INSTITUTES))
            name = new_name()
            if name.split()[0] in _WOMEN:
                filled = filled.replace("spokesman", "spokeswoman")
            people.append(Person(name, title, filled, member_of, country, kind))
    return tuple(people)


def _person(rng: random.Random, seed: int, kinds: Sequence[str], country: str | None) -> Person:
    """One of the roster's people of these kinds, in `country` (None: any)."""
    candidates = [person for person in roster(seed) if person.kind in kinds and country in (None, person.country)]
    return rng.choice(candidates or list(roster(seed)))


# --- stories ---------------------------------------------------------------------------------------

_KINDS = (("attack", 34), ("strike", 14), ("arrest", 14), ("withdrawal", 8), ("deployment", 8), ("camp", 7),
          ("kidnapping", 5), ("politics", 10))
_TACTICS = ("roadside bomb", "ambush", "hit-and-run attack", "sniper attack", "mortar attack", "suicide bombing",
            "rocket-propelled grenade attack", "night raid", "car bomb", "drone attack")
_TARGETS = {"Iraq": (("an army patrol", "soldier"), ("a police checkpoint", "policeman"),
                     ("a PMF position", "fighter"), ("an army outpost", "soldier"),
                     ("a convoy of the Federal Police", "policeman"), ("a Peshmerga position", "fighter"),
                     ("a village guard post", "villager"), ("a military supply convoy", "soldier"),
                     ("a wedding party in a village", "civilian"), ("a group of truffle hunters", "civilian")),
            "Syria": (("an SDF checkpoint", "fighter"), ("an SDF patrol", "fighter"),
                      ("a convoy of oil tankers", "driver"), ("an Asayish post", "security officer"),
                      ("a checkpoint of the Syrian Democratic Forces", "fighter"),
                      ("a village council building", "civilian"))}
_PLURALS = {"policeman": "policemen"}


def story(seed: int, number: int, end: dt.date) -> Story:
    """Story `number` of the corpus: everything that every outlet's account of it shares."""
    rng = random.Random(f"{seed}:story:{number}")
    kind = rng.choices([name for name, _ in _KINDS], [weight for _, weight in _KINDS])[0]
    in_syria = kind in ("attack", "strike", "arrest", "kidnapping") and rng.random() < 0.3
    town = rng.choice(SYRIAN_TOWNS if in_syria else IRAQI_TOWNS)
    country = town.country
    day = end - dt.timedelta(days=rng.randrange(3, YEAR_DAYS))
    killed = rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 7, 9, 11, 14, 17, 23))
    count = {"strike": rng.randint(3, 40), "arrest": rng.randint(2, 15), "withdrawal": rng.choice(
        (150, 200, 300, 450, 500, 800, 1200)), "deployment": rng.choice((300, 500, 800, 1000, 1500, 2000, 2500)),
        "camp": rng.choice((120, 150, 180, 240, 300, 350, 400, 600)), "kidnapping": rng.randint(2, 9)}.get(kind, 0)
    speaker = _person(rng, seed, *_SPEAKERS.get(kind, (("syria",), "Syria") if in_syria else (("security",), "Iraq")))
    voice = _person(rng, seed, ("syria-civil",) if in_syria else ("civil", "politics"), country)
    return Story(number, kind, day, town, rng.choice(TERRAIN[country]), killed, rng.choice((1, 1, 2, 3, 4, 6, 8, 12)),
                 count, rng.choice(_TACTICS), *rng.choice(_TARGETS[country]), speaker, voice,
                 _person(rng, seed, ("expert",), "Iraq"), rng.choice(_BASES), rng.choice(_CAMPS),
                 rng.choice(_FORCES[country]))


# who speaks first in each kind of story, and from which country (None: any)
_SPEAKERS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "withdrawal": (("security", "coalition"), "Iraq"), "deployment": (("security",), "Iraq"),
    "camp": (("syria-civil", "politics"), None), "politics": (("politics",), "Iraq"),
}
_FORCES = {"Syria": ("the Syrian Democratic Forces", "SDF fighters", "the SDF, backed by coalition aircraft,",
                     "Asayish units"),
           "Iraq": ("the Counter-Terrorism Service", "Iraqi Army units", "the Iraqi Air Force", "the Federal Police",
                    "army intelligence", "a joint force of the army and the PMF")}
_BASES = ("Ain al-Asad Air Base", "Harir Air Base", "Erbil Air Base", "Camp Victory", "the K1 air base near Kirkuk",
          "the Qayyarah West air base", "Camp Taji", "the Al-Tanf garrison")
_CAMPS = ("al-Hol camp", "Roj camp")


def copies_of(seed: int, number: int) -> int:
    """How many outlets tell story `number`: mostly one, sometimes two or three."""
    return random.Random(f"{seed}:copies:{number}").choices((1, 2, 3), (72, 20, 8))[0]


def placed(seed: int, last_index: int) -> list[tuple[int, int]]:
    """(story, copy) of each file index from 0 to `last_index`: files hold story 0's copies, then story 1's..."""
    placement: list[tuple[int, int]] = []
    number = 0
    while len(placement) <= last_index:
        placement.extend((number, copy) for copy in range(copies_of(seed, number)))
        number += 1
    return placement[: last_index + 1]


# --- writing ---------------------------------------------------------------------------------------

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_words(number: int) -> str:
    """A count as wire style writes it: words below ten, digits with commas above."""
    return _NUMBERS[number] if number < 10 else f"{number:,}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B}"


def _plural(number: int, noun: str) -> str:
    return f"{count_words(number)} {noun if number == 1 else _PLURALS.get(noun, noun + 's')}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Writer:
    """Writes one account of a story: the random choices are the outlet's, the facts the story's."""

    def __init__(self, story: Story, rng: random.Random, seed: int, end: dt.date) -> None:
        self.story, self.rng, self.seed, self.end = story, rng, seed, end

    def pick(self, options: Sequence[str]) -> str:
        """One of the options, filled with the story's facts."""
        return self.fill(self.rng.choice(options))

    def fill(self, template: str, capital: bool = True) -> str:
        """A template with the story's facts in place of {fields}, starting with a capital when `capital`."""
        story = self.story
        values = {
            "town": story.town.name, "province": story.town.province, "country": story.town.country,
            "terrain": story.terrain, "date": _day(story.day), "weekday": f"{story.day:%A}",
            "month": f"{story.day:%B}", "killed": _plural(story.killed, story.victim),
            "were": "was" if story.killed == 1 else "were", "killed_n": count_words(story.killed),
            "wounded": count_words(story.wounded), "count": count_words(story.count), "tactic": story.tactic,
            "target": story.target, "km": str(self.rng.choice((5, 8, 10, 12, 15, 20, 25, 30, 40, 60))),
            "direction": self.rng.choice(("north", "south", "east", "west", "north-east", "south-west")),
            "group": self.rng.choice(("Islamic State", "ISIS", "Daesh")),
            "the_group": self.rng.choice(("the Islamic State group", "ISIS", "Daesh", "the Islamic State")),
            "a_tactic": ("an " if story.tactic[0] in "aeiou" else "a ") + story.tactic,
            "force": story.force, "hour": self.rng.choice(("dawn", "dusk", "around midnight", "early morning",
                                                            "late evening", "about three in the morning")),
            "speaker": story.speaker.first(), "speaker_short": _cap(story.speaker.surname),
            "voice": story.voice.first(), "voice_short": _cap(story.voice.surname),
            "expert": story.expert.first(), "expert_short": _cap(story.expert.surname),
            "fighters": f"{self.rng.choice((300, 400, 500, 700, 1000, 1500, 2000, 2500, 3000)):,}",
            "troops": f"{self.rng.choice((1500, 2000, 2500, 3000)):,}",
            "later": _day(story.day + dt.timedelta(days=self.rng.randrange(20, 200))),
            "later_month": f"{story.day + dt.timedelta(days=self.rng.randrange(40, 300)):%B %Y}",
            "base": story.base, "camp": story.camp,
        }
        text = template.format(**values)
        return _cap(text) if capital else text

    # each method returns paragraphs; the lede names the happening with its date and place

    def headline(self) -> str:
        """A headline for this account."""
        return self.pick(_HEADLINES[self.story.kind])

    def lede(self) -> str:
        """The first paragraph."""
        return self.pick(_LEDES[self.story.kind])

    def body(self) -> list[str]:
        """The paragraphs after the lede, about 500 words in all with it."""
        rng, kind = self.rng, self.story.kind
        details = rng.sample(_DETAILS[kind], 2)
        paragraphs = [self.fill(details[0]), self.quote(self.story.speaker, _QUOTES[kind]), self.fill(details[1])]
        if kind in ("attack", "kidnapping"):
            paragraphs.append(self.pick(_TOLL_DETAILS))
        paragraphs.append(self.background())
        paragraphs.append(self.quote(self.story.voice, _REACTIONS))
        extras = [self.quote(self.story.expert, _ANALYSIS), self.pick(_OUTLOOK),
                  *(self.fill(text) for text in rng.sample(_FIGURES, 2)),
                  *(self.fill(text) for text in rng.sample(_CONTEXT, 2)),
                  *(self.fill(text) for text in rng.sample(_CONTEXT_MORE, 2)),
                  *(self.fill(text) for text in rng.sample(_LOCAL, 3)),
                  self.quote(_person(rng, self.seed, ("politics",), "Iraq"), _QUOTES["politics"]),
                  self.quote(_person(rng, self.seed, ("expert",), "Iraq"), _ANALYSIS)]
        rng.shuffle(extras)
        while extras and sum(len(paragraph.split()) for paragraph in paragraphs) < WORDS_PER_SOURCE:
            extra = extras.pop()
            if extra not in paragraphs:
                paragraphs.append(extra)
        return paragraphs

    def quote(self, person: Person, lines: Sequence[str]) -> str:
        """A quote attributed to `person` in one of the wire's attribution shapes."""
        first, second = self.rng.sample(list(lines), 2)
        first, second = self.fill(first), self.fill(second)
        indirect = self.fill(self.rng.choice(_INDIRECT), capital=False)
        named = person.first()
        short = _cap(person.surname)
        pronoun = "she" if person.name.split()[0] in _WOMEN else "he"
        shapes = (
            f'"{first}," said {named.rstrip(",")}. {_cap(pronoun)} added: "{second}."',
            f'{named} told reporters that {indirect} "{first}," {pronoun} said.',
            f'"{first}," {named} said in a statement. "{second}."',
            f'Speaking in {self.story.town.name}, {named} said: "{first}." {short} said later that {indirect}',
            f'{named} said {indirect} "{second}," {short} said.',
            f'"{first}," {named} told this agency by telephone.',
        )
        return self.rng.choice(shapes)

    def background(self) -> str:
        """An earlier story of the same country, told with its own date and toll."""
        for _ in range(40):
            number = self.story.number - self.rng.randint(1, 60)
            if number < 0:
                continue
            earlier = story(self.seed, number, self.end)
            if earlier.kind == "attack" and earlier.town.country == self.story.town.country \
                    and earlier.day < self.story.day and earlier.killed:
                earlier_text = (f"{_plural(earlier.killed, earlier.victim)} {'was' if earlier.killed == 1 else 'were'}"
                                f" killed near {earlier.town.name} on {_day(earlier.day)}")
                return self.fill(self.rng.choice(_BACKGROUND).replace("{earlier}", earlier_text))
        return self.pick(_CONTEXT)


_WOMEN = {"Layla", "Suha", "Nadia", "Huda", "Rana", "Zeinab", "Shirin", "Avin", "Hevi", "Ilham", "Mariam"}


def account(seed: int, number: int, copy: int, end: dt.date) -> tuple[str, str, str, dt.date]:
    """Outlet, headline, Markdown body and publication date of one outlet's account of a story.

    Copy 0 is the original; later copies reuse its paragraphs (the same random choices) with their own
    headline and lede, one paragraph dropped and the outlet's sign-off: what a rewritten wire story looks like.
    """
    happening = story(seed, number, end)
    writer = Writer(happening, random.Random(f"{seed}:text:{number}"), seed, end)
    headline, lede, body = writer.headline(), writer.lede(), writer.body()
    rng = random.Random(f"{seed}:copy:{number}:{copy}")
    outlets = rng.sample(OUTLETS, 3)
    outlet = FIELD_OUTLET if copy == 0 and rng.random() < 0.04 else outlets[copy % 3]
    if copy:
        rewriter = Writer(happening, rng, seed, end)
        headline, lede = rewriter.headline(), rewriter.lede()
        if len(body) > 4:
            body.pop(rng.randrange(2, len(body)))
        body.append(rng.choice(_SIGN_OFFS).format(outlet=outlet, town=happening.town.name))
    published = min(end, happening.day + dt.timedelta(days=rng.choice((0, 1, 1, 2)) + copy))
    return outlet, headline, "\n\n".join([lede, *body]), published


def source(seed: int, index: int, number: int, copy: int, end: dt.date) -> Source:
    """File `index` of the corpus: copy `copy` of story `number`."""
    outlet, headline, body, published = account(seed, number, copy, end)
    slug = "-".join(re.findall(r"[a-z0-9]+", headline.lower())[:8])
    outlet_slug = "-".join(re.findall(r"[a-z0-9]+", outlet.lower()))
    lines = ["---", f"title: {_yaml_string(headline)}", f"published: {published.isoformat()}",
             f"url: https://example.com/{outlet_slug}/{published:%Y/%m/%d}/{slug}-{index}",
             f"outlet: {outlet}"]
    if outlet == FIELD_OUTLET:
        lines.append("releasable: false")
    text = "\n".join([*lines, "---", "", f"# {headline}", "", body, ""])
    return Source(f"{published.isoformat()}-{slug[:60]}-{index:06d}.md", text)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(folder: Path, count: int, seed: int, end: dt.date, start_index: int = 0) -> list[Path]:
    """Write files start_index .. start_index+count-1 of the corpus of `seed` into `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    placement = placed(seed, start_index + count - 1) if count else []
    written = []
    for index in range(start_index, start_index + count):
        number, copy = placement[index]
        generated = source(seed, index, number, copy, end)
        path = folder / generated.name
        path.write_text(generated.text, encoding="utf-8")
        written.append(path)
    return written


# --- the sentences ---------------------------------------------------------------------------------
# {fields} are filled by Writer.fill; each list has several shapes so that no two accounts read alike.

_HEADLINES: dict[str, tuple[str, ...]] = {
    "attack": ("Militants kill {killed} in attack near {town}", "{tactic} hits {target} in {province}",
               "Attack on {target} near {town} leaves {killed_n} dead",
               "Suspected {group} fighters strike {target} in {province}",
               "{killed} killed as insurgents attack near {town}",
               "Deadly attack near {town} revives fears of insurgent comeback",
               "Insurgents target {target} outside {town}"),
    "strike": ("Air strikes kill {count} militants in {terrain}", "{force} strikes {group} hideouts near {town}",
               "Airstrike on militant hideouts in {province} kills {count}",
               "{count} insurgents killed in strikes on {terrain}",
               "Security forces pound {group} positions near {town}"),
    "arrest": ("Security forces arrest {count} suspects near {town}", "{group} cell of {count} detained in {province}",
               "Raids near {town} net {count} suspected militants",
               "{count} held in sweep against {the_group} in {province}",
               "Intelligence raid breaks up cell near {town}"),
    "withdrawal": ("Coalition hands over {base} to Iraqi forces", "{count} coalition troops leave Iraq as drawdown "
                   "continues", "Coalition withdrawal reaches {base}", "US-led forces pull out of {base}",
                   "Drawdown: coalition completes handover of {base}"),
    "deployment": ("{count} troops sent to {province} after attacks", "Army deploys reinforcements to {town}",
                   "Iraq sends {count} troops to secure {terrain}", "Reinforcements arrive in {province} as "
                   "attacks mount", "New brigade deployed near {town}"),
    "camp": ("{count} families repatriated from {camp}", "Returns from {camp} resume with {count} families",
             "Iraq brings home {count} families from Syrian camp", "Convoy carries {count} families from {camp}"),
    "kidnapping": ("Gunmen abduct {count} near {town}", "{count} shepherds kidnapped in {province}",
                   "Kidnapping near {town} blamed on {the_group}", "Militants seize {count} villagers near {town}"),
    "politics": ("Parliament debates security pact after attacks in {province}", "Lawmakers question troop "
                 "withdrawal timetable", "Baghdad and Erbil agree on joint security plan for {province}",
                 "Security committee calls for more troops in {province}", "Government defends exit "
                 "timetable for coalition forces"),
}

_LEDES: dict[str, tuple[str, ...]] = {
    "attack": (
        "{killed} {were} killed and {wounded} wounded when suspected {group} militants attacked {target} near "
        "{town} in {province} province on {date}, security officials said.",
        "Suspected {group} fighters attacked {target} about {km} km {direction} of {town} at {hour} on {date}, "
        "killing {killed} and wounding {wounded}, according to security sources.",
        "On {date}, militants attacked {target} near {town}, killing {killed}, officials in {province} said.",
        "Insurgents struck {target} on the outskirts of {town} on {weekday}, {date}, in an attack that killed "
        "{killed}, the latest in a string of assaults in {province}.",
        "{a_tactic} on {target} near {town} killed {killed} on {date}, local officials said, in one of the "
        "deadliest attacks in {province} this year.",
        "Gunmen believed to belong to {the_group} killed {killed} in an attack on {target} near {town} on {date}, "
        "security officials in {province} said.",
    ),
    "strike": (
        "{force} killed {count} militants in air strikes on hideouts in {terrain} on {date}, officials said.",
        "Air strikes on {group} hideouts in {terrain}, about {km} km {direction} of {town}, killed {count} "
        "militants on {date}, according to security officials.",
        "On {date}, warplanes struck caves and tunnels used by {the_group} in {terrain}, killing {count} fighters, "
        "the military said.",
        "{count} suspected {group} militants were killed on {date} when aircraft bombed a hideout near {town} in "
        "{province}, the security media cell said.",
    ),
    "arrest": (
        "{force} arrested {count} suspected {group} members in raids near {town} on {date}, officials said.",
        "Security forces detained {count} suspects accused of planning attacks in {province} during a raid "
        "near {town} on {date}.",
        "On {date}, {force} broke up a cell of {count} suspected militants in villages near {town}, seizing "
        "weapons and explosives, security officials said.",
        "A dawn raid near {town} on {date} led to the arrest of {count} men suspected of supplying {group} "
        "fighters in {terrain}, according to the authorities.",
    ),
    "withdrawal": (
        "The US-led coalition handed over {base} to Iraqi forces on {date}, and about {count} troops left the "
        "country, officials said.",
        "On {date}, the last coalition personnel left {base}, completing another stage of a withdrawal that is "
        "due to end in September 2026.",
        "Around {count} coalition troops withdrew from Iraq on {date} as the US-led mission handed {base} to the "
        "Iraqi Army, the Joint Operations Command said.",
        "Coalition forces pulled out of {base} on {date}, the Joint Operations Command announced, leaving Iraqi "
        "units in full control of the base.",
    ),
    "deployment": (
        "Iraq deployed about {count} troops to {province} on {date} after a series of attacks around {town}, "
        "military officials said.",
        "On {date}, the army sent a brigade of about {count} soldiers to {terrain} to hunt down insurgent cells, "
        "the Joint Operations Command said.",
        "About {count} reinforcements arrived in {town} on {date}, officials said, as the government moved to "
        "secure roads that militants have targeted for months.",
    ),
    "camp": (
        "Iraq repatriated {count} families from {camp} in northeast Syria on {date}, officials said.",
        "A convoy carrying {count} Iraqi families left {camp} on {date} for a rehabilitation centre in Nineveh, "
        "the camp administration said.",
        "On {date}, {count} families crossed from Syria into Iraq from {camp}, the latest group to return under "
        "a repatriation programme that began in 2021.",
    ),
    "kidnapping": (
        "Gunmen abducted {count} shepherds near {town} on {date}, local officials said, and demanded a ransom "
        "for their release.",
        "Suspected {group} militants kidnapped {count} villagers from farms outside {town} at {hour} on {date}, "
        "security sources in {province} said.",
        "On {date}, armed men seized {count} people at a makeshift checkpoint near {town}, the district "
        "administration said.",
    ),
    "politics": (
        "Iraqi lawmakers on {date} questioned the government's plan for the departure of coalition forces, after "
        "a series of attacks in {province}.",
        "The parliament's Security and Defense Committee met on {date} to review security in {province}, where "
        "insurgents have stepped up attacks around {town}.",
        "On {date}, Baghdad and the Kurdistan Regional Government agreed to form joint brigades to patrol the "
        "disputed areas around {town}, officials said.",
        "The government on {date} defended its timetable for the withdrawal of the US-led coalition, saying "
        "Iraqi forces could contain {the_group} on their own.",
    ),
}

_DETAILS: dict[str, tuple[str, ...]] = {
    "attack": (
        "The attackers used {a_tactic} against the lead vehicle and then opened fire on the soldiers who came "
        "to help, before withdrawing towards {terrain}, an officer in the area said.",
        "According to two officers in {province}, the assault began at {hour} and lasted about half an hour. "
        "The attackers fled on motorcycles towards {terrain}.",
        "Security sources said the militants had watched the position for days before the attack. A search "
        "of the area around {town} began at first light.",
        "The wounded were taken to the hospital in {town}. Officials said {the_group} was behind the attack, though "
        "no group had claimed it by the evening.",
        "{the_group} later claimed the attack in a statement on its Amaq news agency, saying its fighters had "
        "targeted {target} with {a_tactic}.",
    ),
    "strike": (
        "The strikes hit caves and a tunnel network used as a base by small cells, officials said, and a "
        "follow-up ground operation found weapons, food stores and motorcycles.",
        "Intelligence gathered over several weeks located the hideout, which the militants used to prepare "
        "attacks on villages around {town}, the statement said.",
        "Ground troops searched the area after the raid and found the bodies of {count} fighters, according to "
        "a security source who was not authorised to speak publicly.",
        "F-16 jets of the Iraqi Air Force carried out the strike, officials said, on intelligence shared by "
        "the coalition.",
    ),
    "arrest": (
        "The suspects were held in night raids on several houses. Officers seized prepared explosive devices, "
        "rifles, two motorcycles and a laptop, a security source said.",
        "Investigators believe the cell supplied fighters in {terrain} with food, fuel and explosives, and "
        "collected protection money from farmers around {town}.",
        "The arrests followed weeks of surveillance, officials said. Among those detained was a man described "
        "as the cell's leader, wanted for attacks on {target}.",
        "The detainees were transferred to Baghdad for questioning. A court in {province} will hear the case, "
        "the judiciary said.",
    ),
    "withdrawal": (
        "Iraqi units have trained for months on the base's radar and air-defence systems, officials said, and "
        "the handover ceremony was attended by senior commanders.",
        "The remaining advisers are being consolidated in Erbil, in the Kurdistan Region, where they are due "
        "to stay until the final withdrawal in September 2026.",
        "The withdrawal follows an agreement reached between Baghdad and Washington in 2024 to end the "
        "coalition's military mission in two phases.",
        "Equipment that Iraq did not take over was flown out in recent weeks, a coalition official said.",
    ),
    "deployment": (
        "The new units will hold positions on the roads between {town} and {terrain}, where militants have "
        "planted bombs and set up fake checkpoints in recent months.",
        "The reinforcements include armoured vehicles, drones and a battalion of special forces, the "
        "military said.",
        "Officials said the deployment would last at least until {later_month} and that more troops could "
        "follow if attacks continued.",
    ),
    "camp": (
        "The families, most of them women and children, will spend several months at the Jeddah 1 centre near "
        "Mosul before they are allowed to return to their home towns, officials said.",
        "About 30,000 people still live in {camp}, among them thousands of Iraqis, according to the camp "
        "administration.",
        "Local leaders in {province} have resisted the returns, saying some relatives of militants would not "
        "be safe in their villages.",
    ),
    "kidnapping": (
        "The men were grazing sheep in the hills outside {town} when armed men in two pickup trucks took them, "
        "relatives said.",
        "Families of the abducted said the kidnappers had called to demand money. Police said a search was "
        "under way in {terrain}.",
        "Kidnappings for ransom have become a main source of money for the cells in {province}, security "
        "officials say.",
    ),
    "politics": (
        "Several members of the committee called for more troops and surveillance drones to be sent to "
        "{province}, and for the timetable of the coalition's departure to be reviewed.",
        "The session was called after {killed} were killed in attacks around {town} in recent weeks, "
        "lawmakers said.",
        "Under the plan, joint units of the army and the Peshmerga will patrol the gap between the two "
        "forces' lines, which militants have used for years.",
    ),
}

_QUOTES: dict[str, tuple[str, ...]] = {
    "attack": ("The attackers came from the desert and went back into it before our reinforcements arrived",
               "We will find those responsible and we will not let them threaten the people of {town}",
               "These cells are small, but they know the terrain and they choose their moment",
               "Our forces responded within minutes and the area is now under control",
               "This was a cowardly attack on men who were protecting their own villages",
               "We have sent more troops to the area and the hunt is going on",
               "The road to {town} is open again and patrols have been doubled"),
    "strike": ("The hideout was used to plan attacks on our villages and it has been destroyed",
               "Our aircraft will keep striking them wherever they hide",
               "We had been following this group for weeks before the strike",
               "The remnants of Daesh have nowhere left to hide in {terrain}",
               "The operation shows that our forces can find and hit targets on their own"),
    "arrest": ("This cell was preparing attacks during the holidays and we stopped it in time",
               "Those arrested have confessed to supplying fighters in {terrain}",
               "Intelligence work is now our strongest weapon against these networks",
               "We will bring everyone involved in these crimes before the courts",
               "The network extended from {town} to the border, and we are following every lead"),
    "withdrawal": ("The handover was completed on the date both sides agreed",
                   "Iraqi forces are ready to take full responsibility for security",
                   "Our partnership with Iraq continues, but in a different form",
                   "Every stage of the withdrawal is going according to the timetable",
                   "The base is now under Iraqi command and Iraqi control"),
    "deployment": ("These troops will stay until the area is secure",
                   "We are not going to let the militants take advantage of the gaps",
                   "The people of {town} asked for protection and we have answered",
                   "More units are ready to move if the situation requires it"),
    "camp": ("These families have the right to come home, and we are preparing them for it",
             "Every family is screened before it leaves the camp",
             "The camp is a breeding ground for extremism and it must be emptied",
             "We cannot return everyone at once, but the returns will continue"),
    "kidnapping": ("The kidnappers want money to buy weapons and pay their fighters",
                   "We are in contact with the families and we will bring these men home",
                   "Nobody dares to take the sheep into the hills any more"),
    "politics": ("We cannot accept that our soldiers are killed while the government talks about timetables",
                 "The security forces need drones and intelligence, not only more men",
                 "The departure of foreign forces is a national demand and it will be met",
                 "The agreement between Baghdad and Erbil is the first step to closing the gaps"),
}

_INDIRECT = ("the militants had used the area as a route to and from {terrain} for months.",
             "security in {province} had improved despite the attack.",
             "the army needed more drones to watch the area at night.",
             "the cells in {province} numbered no more than a few dozen fighters.",
             "villagers had reported strangers in the area in the days before.",
             "the authorities would compensate the families of the victims.",
             "coordination between the army and the Peshmerga had to improve.",
             "an investigation had been opened.")

_REACTIONS = ("People here are afraid to go to their fields after dark",
              "We have asked Baghdad many times for more troops and nothing has changed",
              "The families of {town} have paid a heavy price and they want protection",
              "The security situation will not improve until the gaps between the forces are closed",
              "We need jobs and services as much as we need soldiers",
              "Farmers are paying money to armed men to be left alone",
              "Life in {town} has returned to normal, but people remember what happened",
              "The government must take this seriously before it is too late")

_ANALYSIS = ("The group is weak, but it has learned to survive in small cells that are hard to find",
             "Finding targets, not striking them, is now the weak point of the security forces",
             "The departure of the coalition leaves a gap in surveillance that Iraq has not yet filled",
             "Most of these attacks are meant to show that the group still exists",
             "The real danger lies across the border, in the camps and the desert of Syria",
             "Each attack is small, but together they show a steady pattern",
             "Without better intelligence, the army will keep reacting instead of preventing")

_TOLL_DETAILS = ("Among the {wounded} wounded were two officers, one of them in a serious condition, a medical "
                 "source at the hospital in {town} said.",
                 "Hospital officials said {wounded} people were being treated for gunshot and shrapnel wounds.",
                 "The toll could rise, a health official in {province} said, as several of the wounded were in "
                 "critical condition.")

_BACKGROUND = ("The attack follows an earlier one in which {earlier}.",
               "It was the second deadly incident in the area in recent weeks: {earlier}, officials said.",
               "Violence has risen across the region. Earlier, {earlier}.",
               "Security officials recalled that {earlier}, in an attack blamed on the same network.")

_FIGURES = ("Iraqi officials estimate that about {fighters} {group} fighters remain in Iraq and Syria, most of "
            "them in remote areas of Anbar, Salahuddin, Kirkuk and Diyala.",
            "About {troops} US troops remain in Iraq, most of them in the Kurdistan Region, according to "
            "coalition officials.",
            "The United Nations says that more than 1.1 million Iraqis remain displaced, and that about 30,000 "
            "people, most of them women and children, live in al-Hol camp.",
            "The group has an estimated {fighters} fighters in Iraq and Syria, according to a United Nations "
            "report, and it is believed to hold about 9,000 detainees in SDF-run prisons.",
            "More than 200 attacks were recorded in {province} last year, according to a tally kept by local "
            "officials.",
            "The army has about {troops} soldiers in {province}, according to a provincial official, fewer than "
            "were deployed there two years ago.",
            "At least 40 members of the security forces have been killed in {province} since January, "
            "according to figures compiled by this agency.",
            "The coalition says it has carried out more than 300 operations with Iraqi forces since the start "
            "of the year.")

_OUTLOOK = ("The army plans to open two new outposts near {town} by {later_month}.",
            "The coalition is due to complete its withdrawal from federal Iraq by September 2025 and from the "
            "Kurdistan Region by September 2026.",
            "A new round of talks on the security agreement is expected to begin on {later}, officials said.",
            "Officials said a census of the families in the villages around {town} would be carried out "
            "by {later_month}.",
            "The next group of families is due to leave the camp in {later_month}, the administration said.",
            "Parliament is expected to vote on the defence budget, which includes funds for surveillance "
            "drones, by {later_month}.")

_CONTEXT = ("The Islamic State group lost the last of its territory in Iraq in 2017 and in Syria in 2019, "
            "but its cells have kept up a low-level insurgency in rural areas.",
            "{province} lies on the routes that militants use between the desert and the cities, and its "
            "villages have been targeted repeatedly.",
            "The disputed territories between the federal government and the Kurdistan Region have long been "
            "a refuge for insurgents, who exploit the gaps between the forces of the two sides.",
            "Attacks in the region usually rise in the spring and early summer, when the cells move more freely.",
            "Analysts say the group avoids large operations and relies on roadside bombs, assassinations "
            "and extortion to show that it is still present.",
            "Since the start of the year, the security forces say they have carried out dozens of operations "
            "against the cells in {province}, with mixed results.",
            "Roads in the area are lined with abandoned villages, destroyed during the war against the group "
            "and never rebuilt.",
            "The region's rugged valleys and orchards offer cover to small groups of fighters, who move at night "
            "and rarely stay in one place for long.")

_LOCAL = ("In {town}, shops closed early on the day after the attack and the main market was half empty, "
          "residents said.",
          "Farmers in the villages around {town} say they no longer harvest fields close to {terrain}, where "
          "armed men are seen at night.",
          "Residents of {town} described hearing explosions and gunfire for about an hour before the area fell "
          "quiet again.",
          "Checkpoints on the main road out of {town} were reinforced, and drivers waited for hours to pass.",
          "Local elders in {province} have formed village guard units, paid by the provincial government, to "
          "watch the approaches to their villages at night.",
          "Families displaced from villages near {town} during the war have been slow to return, citing the "
          "lack of security and services.",
          "Mobile phone coverage in the area is patchy, which officials say makes it harder to call for help "
          "when an attack begins.")

_CONTEXT_MORE = ("The US-led coalition was formed in 2014 to fight the Islamic State group and helped Iraqi "
                 "forces retake Mosul in 2017.",
                 "The Syrian Democratic Forces guard dozens of prisons and camps holding suspected militants and "
                 "their families in northeast Syria.",
                 "Local officials have complained for years that villages in the area lack roads, water and "
                 "electricity, and that young men have few jobs.",
                 "Shepherds and truffle hunters in the desert are frequent victims of attacks and kidnappings.",
                 "The security forces have built watchtowers and trenches along the border with Syria, but long "
                 "stretches remain unguarded.",
                 "Iraq's parliament voted in 2020 to demand the departure of foreign troops, after a US drone "
                 "strike near Baghdad airport.",
                 "Thousands of Iraqis detained in Syria since the fall of Baghouz in 2019 are still awaiting "
                 "trial or transfer.",
                 "The Kurdistan Region has its own security forces, the Peshmerga and the Asayish, which answer "
                 "to the regional government in Erbil rather than to Baghdad.")

_SIGN_OFFS = ("(Reporting by the {outlet} desk in {town}; editing by the regional team.)",
              "This report was updated with comments from local officials.",
              "{outlet} could not independently verify the toll.",
              "Additional reporting from Baghdad and Erbil.")


def main() -> None:
    """Write a corpus from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--start-index", type=int, default=0)
    args = parser.parse_args()
    paths = generate(args.folder, args.count, args.seed, args.end, args.start_index)
    words = sum(len(path.read_text(encoding="utf-8").split()) for path in paths)
    print(f"{len(paths)} sources, {words:,} words, in {args.folder}")


if __name__ == "__main__":
    main()
