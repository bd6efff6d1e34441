"""The development set's format: `briefgen eval DIR` on a folder holding texts/ and gold/.

    report, facts, documents = evaluate_devset(load_devset(Path("../shared/devset")), Extractor(Gazetteer()))
    report.metric("actors")     # F1, micro-averaged over the documents

texts/NAME.txt holds three header lines (url:, published:, title:), a blank line, then the text;
gold/NAME.yaml the facts an analyst takes from it. Each text is read as the dev set's own scorer
(score.py) presents it to briefgen: Markdown with that header as front matter. All texts are
extracted once and their facts merged, as `briefgen extract` does, and each gold file is scored
with score.py's matching rules, restated here (see matching below): its numbers are score.py's.
"""

from __future__ import annotations

import difflib
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ConfigDict, Field, field_validator

from briefgen.config import StrictModel, load_yaml, validate
from briefgen.errors import BriefgenError, ConfigError
from briefgen.evaluate import ISO_DATE, Accuracy, GoldActor, Target, iso_text
from briefgen.extract import Extractor, merge_facts
from briefgen.facts import Actor, Document, Event, FactSet, Location, Quantity, Quote
from briefgen.ingest import read_sources

__all__ = ["DEVSET_CATEGORIES", "DEVSET_TARGETS", "DevReport", "DevSet", "evaluate_devset", "is_devset",
           "load_devset", "score_devset"]

DEVSET_CATEGORIES = ("actors", "locations", "quantities", "events", "quotes")
DEVSET_ACCURACIES = ("roles", "attribution", "offsets")
# The extraction issue's targets for the dev set (F1 per category, role accuracy, quote attribution).
DEVSET_TARGETS: tuple[Target, ...] = (
    Target("actors", "actors F1", 0.90),
    Target("locations", "locations F1", 0.90),
    Target("quantities", "quantities F1", 0.92),
    Target("events", "events F1", 0.82),
    Target("quotes", "quotes F1", 0.96),
    Target("roles", "role accuracy", 0.88),
    Target("attribution", "quote attribution", 0.90),
)
HEADER_KEYS = ("url", "published", "title")
_PUBLISHED = re.compile(r"\d{4}-\d{2}(-\d{2})?|unknown")


# --- files --------------------------------------------------------------------


DevActor = GoldActor  # the dev set writes actors as the team's gold does


class DevEvent(StrictModel):
    """A dated occurrence: its date as precise as the text allows and one clause of key words."""

    date: str = Field(pattern=ISO_DATE)
    resolved: bool = False
    kind: Literal["attack", "killing", "strike", "arrest", "withdrawal", "deployment", "agreement", "statement",
                  "other"]
    what: str = Field(min_length=1)

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        return iso_text(value)


class DevQuantity(StrictModel):
    """A figure as written ("at least seven", "400-500") and what it counts."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)
    value: str = Field(min_length=1)
    subject: str | None = None
    vague: bool = False


class DevLocation(StrictModel):
    """A named place."""

    name: str = Field(min_length=1)
    kind: Literal["country", "region", "city", "facility", "camp", "base", "other"]
    aliases: list[str] = Field(default_factory=list)


class DevQuote(StrictModel):
    """A quoted span (its first words) and its speaker's bare name."""

    speaker: str | None = None
    text: str = Field(min_length=1)


class DevGold(StrictModel):
    """One gold file of the dev set."""

    actors: list[DevActor] = Field(default_factory=list)
    events: list[DevEvent] = Field(default_factory=list)
    quantities: list[DevQuantity] = Field(default_factory=list)
    locations: list[DevLocation] = Field(default_factory=list)
    quotes: list[DevQuote] = Field(default_factory=list)

    @field_validator("actors", "events", "quantities", "locations", "quotes", mode="before")
    @classmethod
    def _empty_list(cls, value: Any) -> Any:
        return [] if value is None else value


@dataclass
class DevSet:
    """The texts as briefgen reads them (by name), the gold files that have a text, and lines for the rest."""

    folder: Path
    documents: dict[str, Document] = field(default_factory=dict)
    gold: dict[str, DevGold] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def is_devset(folder: Path) -> bool:
    """Whether `folder` is in the dev set's format: a texts/ and a gold/ folder."""
    return (folder / "texts").is_dir() and (folder / "gold").is_dir()


def load_devset(folder: Path) -> DevSet:
    """Read every texts/*.txt and validate every gold/*.yaml.

    Raises ConfigError with one line per problem (file:line:col: field: message) when a text's
    header or a gold file is invalid.
    """
    texts, golds = sorted((folder / "texts").glob("*.txt")), sorted((folder / "gold").glob("*.yaml"))
    if not golds:
        raise BriefgenError(f"{folder / 'gold'}: no gold files (*.yaml)")
    problems: list[str] = []
    headers = {path.stem: _header_or_problems(path, problems) for path in texts}
    loaded = DevSet(folder, gold={path.stem: gold for path in golds if (gold := _gold_or_problems(path, problems))})
    if problems:
        raise ConfigError(*problems)
    loaded.documents, loaded.skipped = _read_texts(texts, headers)
    for name in sorted(set(loaded.gold) - set(headers)):
        loaded.skipped.append(f"{folder / 'gold' / name}.yaml: no texts/{name}.txt; skipped")
        del loaded.gold[name]
    loaded.skipped += [f"{folder / 'texts' / name}.txt: no gold/{name}.yaml; extracted, not scored"
                       for name in sorted(set(headers) - set(loaded.gold))]
    return loaded


def _gold_or_problems(path: Path, problems: list[str]) -> DevGold | None:
    try:
        data, node = load_yaml(path, str(path))
        return validate(DevGold, data, node, str(path))
    except ConfigError as error:
        problems += error.lines
        return None


def _header_or_problems(path: Path, problems: list[str]) -> tuple[dict[str, str], str]:
    """The header's fields and the text after it; a problem line for a header that is not as it should be."""
    try:
        raw = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except OSError as error:
        problems.append(f"{path}:1:1: cannot read: {error.strerror or error}")
        return {}, ""
    except UnicodeDecodeError as error:
        problems.append(f"{path}:1:1: not UTF-8 text (byte {error.start})")
        return {}, ""
    head, _, body = raw.partition("\n\n")
    fields: dict[str, str] = {}
    for number, line in enumerate(head.splitlines(), 1):
        key, colon, value = (part.strip() for part in line.partition(":"))
        problem = _header_problem(key, colon, value, fields)
        if problem:
            problems.append(f"{path}:{number}:1: {problem}")
            return {}, ""
        fields[key] = value
    missing = [key + ":" for key in HEADER_KEYS if key not in fields]
    if missing:
        problems.append(f"{path}:1:1: header: {', '.join(missing)} missing; a text starts with url:, published: "
                        "and title: lines, then a blank line")
    return fields, body


def _header_problem(key: str, colon: str, value: str, seen: dict[str, str]) -> str | None:
    if not colon or key not in HEADER_KEYS:
        return (f"header: '{key[:40]}' is not a header line; a text starts with url:, published: and title: "
                "lines, then a blank line")
    if key in seen:
        return f"{key}: given twice"
    if key == "published" and not _PUBLISHED.fullmatch(value):
        return f"published: '{value[:40]}' is not YYYY-MM-DD, YYYY-MM or unknown"
    return None


def _read_texts(paths: list[Path], headers: dict[str, tuple[dict[str, str], str]]) -> tuple[dict[str, Document],
                                                                                          list[str]]:
    """Each text as briefgen reads the Markdown score.py makes of it; a line for each briefgen skips."""
    with tempfile.TemporaryDirectory(prefix="briefgen-devset-") as folder:
        markdown = {Path(folder) / f"{path.stem}.md": path for path in paths}
        for target, path in markdown.items():
            target.write_text(_as_markdown(*headers[path.stem]), encoding="utf-8")
        read = read_sources(markdown, None)
    documents = {}
    for document in read.documents:
        text = markdown[Path(document.path)]
        document.path = str(text)
        documents[text.stem] = document
    skipped = [line.replace(str(md), str(text), 1) for line in read.skipped for md, text in markdown.items()
               if line.startswith(f"{md}:")]
    return documents, [f"{line}; its gold counts as all missed" for line in skipped]


def _as_markdown(header: dict[str, str], body: str) -> str:
    """What score.py hands to `briefgen extract`: known title and date, and the url, as front matter."""
    front = {key: header[key] for key in ("title", "published") if header.get(key) not in (None, "", "unknown")}
    if header.get("url"):
        front["url"] = header["url"]
    return "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body.strip() + "\n"


# --- scores -------------------------------------------------------------------


@dataclass
class Counts:
    """Matched, predicted and gold facts of one category."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        """tp / predicted; 1 when nothing was predicted and nothing was to be found, else 0."""
        if self.predicted:
            return self.tp / self.predicted
        return 1.0 if self.gold == 0 else 0.0

    @property
    def recall(self) -> float:
        """tp / gold; 1 when the gold has none."""
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.predicted + other.predicted, self.gold + other.gold)


@dataclass
class DevDocument:
    """One gold file's counts, accuracies and one line per miss, false positive or wrong attribute."""

    name: str
    counts: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in DEVSET_CATEGORIES})
    roles: Accuracy = field(default_factory=Accuracy)
    attribution: Accuracy = field(default_factory=Accuracy)
    offsets: Accuracy = field(default_factory=Accuracy)
    detail: list[str] = field(default_factory=list)


@dataclass
class DevReport:
    """Counts summed over the gold files (micro-averaged), the files themselves and lines for skipped ones."""

    folder: Path
    documents: list[DevDocument] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    words: int = 0

    @property
    def counts(self) -> dict[str, Counts]:
        """Each category's counts over all gold files."""
        return {name: sum((d.counts[name] for d in self.documents), Counts()) for name in DEVSET_CATEGORIES}

    def accuracies(self) -> dict[str, Accuracy]:
        """Role accuracy, quote attribution and mention offsets over all gold files."""
        return {name: sum((getattr(document, name) for document in self.documents), Accuracy())
                for name in DEVSET_ACCURACIES}

    def metric(self, name: str) -> float | None:
        """A category's F1 or an accuracy's ratio (None when nothing was checked)."""
        if name in DEVSET_CATEGORIES:
            return self.counts[name].f1
        return self.accuracies()[name].ratio

    def failures(self) -> list[Target]:
        """The targets not met."""
        return [target for target in DEVSET_TARGETS if not target.met(self.metric(target.metric))]

    @property
    def passed(self) -> bool:
        """Every target met."""
        return not self.failures()

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        targets = {target.metric: target.value for target in DEVSET_TARGETS}
        categories = {name: {"tp": c.tp, "predicted": c.predicted, "gold": c.gold, "precision": c.precision,
                             "recall": c.recall, "f1": c.f1, "target": targets.get(name)}
                      for name, c in self.counts.items()}
        accuracies = {name: {"right": a.right, "total": a.total, "ratio": a.ratio, "target": targets.get(name)}
                      for name, a in self.accuracies().items()}
        return {"format": "devset", "folder": str(self.folder), "passed": self.passed, "categories": categories,
                "accuracies": accuracies, "words": self.words, "skipped": self.skipped,
                "documents": [{"name": d.name, "detail": d.detail} for d in self.documents]}


def evaluate_devset(loaded: DevSet, extractor: Extractor) -> tuple[DevReport, FactSet, list[Document]]:
    """Extract every text of a loaded dev set once, merge the facts, and score each gold file.

    Returns the report, the merged facts and the documents they index (for saving as facts JSON).
    """
    documents = list(loaded.documents.values())
    facts = merge_facts(extractor.extract(documents))
    return score_devset(loaded, facts), facts, documents


def score_devset(loaded: DevSet, facts: FactSet) -> DevReport:
    """Score each gold file against the merged facts of the texts."""
    report = DevReport(loaded.folder, skipped=list(loaded.skipped))
    for name, gold in sorted(loaded.gold.items()):
        document = loaded.documents.get(name)
        scorer = _Scorer(name, gold, document, facts)
        scorer.run()
        report.documents.append(scorer.result)
        report.words += len(document.text.split()) if document else 0
    return report


# --- matching (score.py's rules) ----------------------------------------------------

_STOP_WORDS = """a an the of in on at to for from by with and or but as is are was were be been being
that this these those it its their his her they he she we our will would could should may might
has have had not no than then there here into over under about after before during between
said says say also more most some any all each other such only own same so very can just"""
_STOP = set(_STOP_WORDS.split())
# standard short forms of the same name ("U.S." and "United States" are one country)
_SAME_AS = {"u s": "united states", "us": "united states", "usa": "united states", "u s a": "united states",
            "america": "united states", "uk": "united kingdom", "u k": "united kingdom",
            "britain": "united kingdom", "great britain": "united kingdom", "un": "united nations",
            "u n": "united nations"}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "m": 1e6, "bn": 1e9}
_UP_TO_TWENTY = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty")
_NUMBER_WORDS: dict[str, float] = {word: number for number, word in enumerate(_UP_TO_TWENTY.split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                      "ninety": 90, "a dozen": 12, "dozen": 12, "a hundred": 100, "hundred": 100})
_APPROX = re.compile(r"^((at least|at most|more than|less than|fewer than|up to|over|under|around|about|nearly|"
                     r"almost|roughly|some|approximately|an estimated|estimated|as many as|close to)\s+)+")
MIN_EVENT_OVERLAP = 0.4
MIN_ROLE_OVERLAP = 0.5
QUOTE_WORDS = 5  # a gold quote matches an extracted one holding its first five words


def norm(text: str | None) -> str:
    """A name for comparison: accents, case, possessive 's, punctuation, "the", "al"/"el" and short forms gone."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"'s\b", "", text.lower().replace("’", "'").replace("‘", "'"))
    text = re.sub(r"[^a-z0-9 ]+", " ", text.replace("-", " "))
    joined = " ".join(word for word in text.split() if word not in ("the", "al", "el"))
    return _SAME_AS.get(joined, joined)


def names_match(these: Iterable[str], those: Iterable[str]) -> bool:
    """Some name of one set is some name of the other, or a spelling variant or one-word extension of it."""
    left = {form for form in map(norm, these) if form}
    right = {form for form in map(norm, those) if form}
    return bool(left & right) or any(_close(x, y) for x in left for y in right)


def _close(x: str, y: str) -> bool:
    """Spelling variants match; a one-word name does not match a longer name that merely contains it
    ("Iraq" is not "western Iraq"), but a multi-word name may gain one word ("Islamic State group")."""
    if min(len(x), len(y)) < 4:
        return False
    if _sorted_ratio(x, y) >= 90:
        return True
    short, long_ = sorted((x.split(), y.split()), key=len)
    return len(short) >= 2 and len(long_) - len(short) <= 1 and set(short) <= set(long_)


def _sorted_ratio(x: str, y: str) -> float:
    """Similarity (0-100) of the two names' words in sorted order (score.py without rapidfuzz)."""
    return 100 * difflib.SequenceMatcher(None, " ".join(sorted(x.split())), " ".join(sorted(y.split()))).ratio()


def content_words(text: str) -> set[str]:
    """The words that carry meaning: no stop words, none under three letters, a plural's s dropped."""
    words = (word for word in norm(text).split() if word not in _STOP and len(word) >= 3)
    return {word[:-1] if word.endswith("s") and len(word) > 4 else word for word in words}


def parse_number(text: str) -> float | None:
    """'7,000', '2.5 million', 'two million', '12m' -> a number; None when there is none."""
    found = re.match(r"^(-?\d+(?:\.\d+)?|[a-z]+)\s*(thousand|million|billion|m|bn)?\b", text.replace(",", "").strip())
    if not found:
        return None
    head = found.group(1)
    number = float(head) if head[0].isdigit() or head[0] == "-" else _NUMBER_WORDS.get(head)
    if number is None:
        return None
    return number * _SCALE[found.group(2)] if found.group(2) else number


def gold_range(value: str) -> tuple[float, float] | None:
    """Numeric low and high of a gold value; None for vague amounts (thousands, dozens) and ordinals."""
    text = str(value).lower().replace("–", "-").replace("—", "-").strip()
    text = _APPROX.sub("", re.sub(r"\bto to\b", "to", text))
    text = re.sub(r"^between\s+(.+?)\s+and\s+(.+)$", r"\1-\2", text)
    numbers = []
    for part in (part.strip() for part in re.split(r"\s*-\s*|\s+to\s+", text) if part.strip()):
        number = _NUMBER_WORDS.get(part)
        if number is None:
            number = parse_number(part)
        if number is None:
            return None
        numbers.append(float(number))
    return (min(numbers), max(numbers)) if numbers else None


def _names(item: DevActor | DevLocation | Actor) -> list[str]:
    return [item.name, *item.aliases]


class _Scorer:
    """Scores one gold file against the merged facts: one method per category, each filling `result`."""

    def __init__(self, name: str, gold: DevGold, document: Document | None, facts: FactSet) -> None:
        self.name, self.gold, self.facts = name, gold, facts
        self.doc_id = document.id if document else None
        self.text = document.text if document else ""
        self.actors_by_id = {actor.id: actor for actor in facts.actors}
        self.result = DevDocument(name)

    def run(self) -> None:
        """Score the offsets, then every category."""
        self.offsets()
        self.actors()
        self.locations()
        self.quantities()
        self.events()
        self.quotes()

    def note(self, line: str) -> None:
        """One detail line, prefixed with the gold file's name."""
        self.result.detail.append(f"{self.name} {line}")

    def mentioned(self, items: list[Any]) -> list[Any]:
        """Actors or places with a mention in this document."""
        return [item for item in items if any(mention.doc == self.doc_id for mention in item.mentions)]

    def here(self, items: list[Any]) -> list[Any]:
        """Events, quantities or quotes of this document."""
        return [item for item in items if item.doc == self.doc_id]

    def offsets(self) -> None:
        """Each actor mention must read like the actor's name or an alias."""
        for actor in self.mentioned(self.facts.actors):
            for mention in actor.mentions:
                if mention.doc == self.doc_id and self.text:
                    span = norm(self.text[mention.start : mention.end])
                    self.result.offsets.add(names_match([self.text[mention.start : mention.end]], _names(actor))
                                            or any(span in norm(name) for name in _names(actor)))

    def actors(self) -> None:
        """Actors matched by name; a place reported as an organisation and a repeat are neither right nor wrong."""
        gold, used, ignored = self.gold.actors, set[int](), 0
        found = self.mentioned(self.facts.actors)
        for actor in found:
            hit = next((i for i, g in enumerate(gold) if i not in used and names_match(_names(actor), _names(g))),
                       None)
            if hit is None:
                if self.actor_ignored(actor):
                    ignored += 1
                else:
                    self.note(f"actor FP: {actor.name}")
                continue
            used.add(hit)
            self.check_role(gold[hit], actor)
        for i, g in enumerate(gold):
            if i not in used:
                self.note(f"actor FN: {g.name}")
                if g.kind == "person" and g.role:
                    self.result.roles.total += 1
        self.result.counts["actors"] = Counts(len(used), len(found) - ignored, len(gold))

    def actor_ignored(self, actor: Actor) -> bool:
        """A country or city standing for its government, or a second actor for a gold actor already matched."""
        place = actor.kind != "person" and any(
            g.kind in ("country", "city") and names_match(_names(actor), _names(g)) for g in self.gold.locations)
        return place or any(names_match(_names(actor), _names(g)) for g in self.gold.actors)

    def check_role(self, gold: DevActor, actor: Actor) -> None:
        """Half of the gold role's content words must be in the extracted role and affiliation."""
        if gold.kind != "person" or not gold.role:
            return
        stated = " ".join(part for part in (actor.role, actor.affiliation) if part)
        wanted = content_words(gold.role)
        right = bool(wanted) and len(wanted & content_words(stated)) / len(wanted) >= MIN_ROLE_OVERLAP
        self.result.roles.add(right)
        if not right:
            self.note(f"role miss: {gold.name}: gold={gold.role!r} got={stated!r}")

    def locations(self) -> None:
        """Places matched by name; a place the gold lists as an actor is neither right nor wrong."""
        gold, used, ignored = self.gold.locations, set[int](), 0
        found: list[Location] = self.mentioned(self.facts.locations)
        for place in found:
            hit = next((i for i, g in enumerate(gold) if i not in used and names_match([place.name], _names(g))),
                       None)
            if hit is not None:
                used.add(hit)
            elif any(names_match([place.name], _names(g)) for g in self.gold.actors):
                ignored += 1
            else:
                self.note(f"location FP: {place.name}")
        self.result.detail += [f"{self.name} location FN: {g.name}" for i, g in enumerate(gold) if i not in used]
        self.result.counts["locations"] = Counts(len(used), len(found) - ignored, len(gold))

    def quantities(self) -> None:
        """Figures matched on low and high; a vague amount the gold lists as vague is neither right nor wrong."""
        gold = [(bounds, g) for g in self.gold.quantities if (bounds := gold_range(g.value))]
        vague = [norm(g.value) for g in self.gold.quantities if g.vague]
        found: list[Quantity] = self.here(self.facts.quantities)
        used, ignored = set[int](), 0
        for quantity in found:
            hit = next((i for i, (bounds, _) in enumerate(gold) if i not in used
                        and abs(quantity.low - bounds[0]) < 1e-6 and abs(quantity.high - bounds[1]) < 1e-6), None)
            if hit is not None:
                used.add(hit)
            elif (text := norm(quantity.text)) and any(v and (v in text or text in v) for v in vague):
                ignored += 1
            else:
                self.note(f"quantity FP: {quantity.text} ({quantity.low}-{quantity.high})")
        self.result.detail += [f"{self.name} quantity FN: {g.value} {g.subject}"
                               for i, (_, g) in enumerate(gold) if i not in used]
        self.result.counts["quantities"] = Counts(len(used), len(found) - ignored, len(gold))

    def events(self) -> None:
        """Dated events matched on a compatible date and at least 40% of the gold's content words."""
        gold = self.gold.events
        found: list[Event] = [event for event in self.here(self.facts.events) if event.date]
        used = set[int]()
        for event in found:
            hit = self.event_match(event, used)
            if hit is None:
                self.note(f"event FP: {event.date} {event.what[:70]}")
            else:
                used.add(hit)
        self.result.detail += [f"{self.name} event FN: {g.date} {g.what}" for i, g in enumerate(gold) if i not in used]
        self.result.counts["events"] = Counts(len(used), len(found), len(gold))

    def event_match(self, event: Event, used: set[int]) -> int | None:
        """The unused gold event of a compatible date sharing most of its content words, if enough."""
        date = str(event.date)
        words = content_words(event.what + " " + self.text[event.start : event.end])
        best, best_overlap = None, 0.0
        for i, gold in enumerate(self.gold.events):
            if i in used or not (date == gold.date or date.startswith(gold.date + "-")
                                 or gold.date.startswith(date + "-")):
                continue
            wanted = content_words(gold.what)
            overlap = len(wanted & words) / len(wanted) if wanted else 0.0
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        return best if best_overlap >= MIN_EVENT_OVERLAP else None

    def quotes(self) -> None:
        """Direct quotes matched on the gold's first words; reported claims are neither right nor wrong."""
        gold = self.gold.quotes
        found: list[Quote] = [quote for quote in self.here(self.facts.quotes) if quote.direct is not False]
        used = set[int]()
        for quote in found:
            text = norm(quote.text)
            hit = next((i for i, g in enumerate(gold) if i not in used and (start := _opening(g.text))
                        and start in text), None)
            if hit is None:
                self.note(f"quote FP: {quote.text[:60]}")
                continue
            used.add(hit)
            self.check_speaker(gold[hit], quote)
        for i, g in enumerate(gold):
            if i not in used:
                self.note(f"quote FN: {g.speaker}: {g.text}")
                self.result.attribution.total += 1
        self.result.counts["quotes"] = Counts(len(used), len(found), len(gold))

    def check_speaker(self, gold: DevQuote, quote: Quote) -> None:
        """The quote's speaker (name as written, or the actor and its aliases) must match the gold speaker."""
        names = [quote.speaker_name or ""]
        speaker = self.actors_by_id.get(quote.speaker or "")
        if speaker:
            names += _names(speaker)
        wanted = gold.speaker or ""
        aliases = {norm(actor.name): _names(actor) for actor in self.gold.actors}
        right = names_match(names, aliases.get(norm(wanted), [wanted]))
        self.result.attribution.add(right)
        if not right:
            self.note(f"quote speaker miss: gold={gold.speaker!r} got={names!r}")


def _opening(text: str) -> str:
    return " ".join(norm(text).replace("...", "").split()[:QUOTE_WORDS])
