"""Evaluation: extraction scored against hand-written gold annotations (`briefgen eval GOLD_DIR`).

A gold file names one document and lists the facts a careful analyst takes from it;
the format and the matching rules are in benchmarks/gold/README.md.

    report = evaluate(Path("benchmarks/gold"), Extractor(gazetteer))
    report.passed          # every target in TARGETS met

Every document is extracted once; extracted and gold facts are paired one to one
(greedily, best overlap first) and the counts are summed over documents
(micro-averaged). An unpaired extracted fact is a false positive, an unpaired
gold fact a miss.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import ConfigDict, Field, field_validator, model_validator

from briefgen.config import StrictModel, load_yaml, locate, validate
from briefgen.errors import BriefgenError, ConfigError
from briefgen.extract import Extractor
from briefgen.extract.known import Known, name_key
from briefgen.extract.world import world
from briefgen.facts import Actor, Document, DocumentFacts, Event, Location, Quantity, Quote
from briefgen.ingest import SkippedSourceError, read_document

__all__ = [
    "CATEGORIES", "TARGETS", "Accuracy", "DocumentResult", "EvalReport", "GoldDocument", "GoldFile", "GoldSet",
    "Score", "Target", "evaluate", "load_gold", "score_document",
]

CATEGORIES = ("actors", "roles", "affiliations", "places", "quotes", "events", "quantities")
ACCURACIES = ("speaker", "date", "planned", "subject", "offsets")
ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PUBLISHED = r"^\d{4}-\d{2}(-\d{2})?$"
MIN_WORD_F1 = 0.5
SNIPPET = 70
G = TypeVar("G")
F = TypeVar("F")


# --- gold files --------------------------------------------------------------


def iso_text(value: Any) -> Any:
    """YAML reads 2025-09-29 as a date and 2025 as a number; the gold means the ISO string."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class GoldActor(StrictModel):
    """A named person or organisation, with every form the text uses for it."""

    name: str = Field(min_length=1)
    kind: Literal["person", "organization"]
    aliases: list[str] = Field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None


class GoldPlace(StrictModel):
    """A named place."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class GoldQuote(StrictModel):
    """A direct quotation or reported claim; `speaker` is a gold actor's name or alias, or null."""

    text: str = Field(min_length=1)
    speaker: str | None = None
    direct: bool = True


class GoldEvent(StrictModel):
    """A dated event: a phrase of its clause, its ISO date and whether it is planned."""

    text: str = Field(min_length=1)
    date: str = Field(pattern=ISO_DATE)
    planned: bool = False

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        return iso_text(value)


class GoldQuantity(StrictModel):
    """A figure as written, with its bounds and what it counts."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)  # text: 12
    text: str = Field(min_length=1)
    low: float
    high: float
    subject: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> GoldQuantity:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is greater than high ({self.high:g})")
        return self


class GoldFile(StrictModel):
    """One gold file: the document (relative to the file) and its facts."""

    document: str = Field(min_length=1)
    published: str | None = Field(None, pattern=PUBLISHED)
    actors: list[GoldActor] = Field(default_factory=list)
    places: list[GoldPlace] = Field(default_factory=list)
    quotes: list[GoldQuote] = Field(default_factory=list)
    events: list[GoldEvent] = Field(default_factory=list)
    quantities: list[GoldQuantity] = Field(default_factory=list)

    @field_validator("published", mode="before")
    @classmethod
    def _published_as_text(cls, value: Any) -> Any:
        return iso_text(value)

    @field_validator("actors", "places", "quotes", "events", "quantities", mode="before")
    @classmethod
    def _empty_list(cls, value: Any) -> Any:
        return [] if value is None else value


@dataclass
class GoldDocument:
    """A gold file with its document read and the span of each quote, event and quantity text."""

    label: str
    gold: GoldFile
    document: Document
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class GoldSet:
    """The gold files that can be evaluated, plus a warning line per gold file skipped."""

    documents: list[GoldDocument] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_gold(gold_dir: Path) -> GoldSet:
    """Load every *.yaml in `gold_dir` (sorted); skip those whose document is missing.

    Raises ConfigError with one line per problem (file:line:col: field: message)
    when a gold file is invalid or one of its texts is not found once in its document.
    """
    if not gold_dir.is_dir():
        raise BriefgenError(f"{gold_dir}: no such folder")
    paths = sorted(gold_dir.glob("*.yaml"))
    if not paths:
        raise BriefgenError(f"{gold_dir}: no gold files (*.yaml)")
    found, problems = GoldSet(), []
    for path in paths:
        try:
            _load_one(path, found)
        except ConfigError as error:
            problems += error.lines
    if problems:
        raise ConfigError(*problems)
    return found


def _load_one(path: Path, found: GoldSet) -> None:
    label = str(path)
    data, node = load_yaml(path, label)
    gold = validate(GoldFile, data, node, label)
    source = Path(os.path.normpath(path.parent / gold.document))
    if not source.is_file():
        found.skipped.append(f"{label}: document {source} not found; skipped")
        return
    try:
        document = read_document(source)
    except SkippedSourceError as problem:
        found.skipped.append(f"{label}: document {source}: {problem}; skipped")
        return
    document.published = document.published or gold.published
    problems = _speaker_problems(gold, node, label)
    spans: dict[str, list[tuple[int, int]]] = {}
    for key in ("quotes", "events", "quantities"):
        spans[key], lines = _spans(gold, key, document.text, node, label)
        problems += lines
    if problems:
        raise ConfigError(*problems)
    found.documents.append(GoldDocument(label, gold, document, spans))


def _speaker_problems(gold: GoldFile, node: yaml.Node | None, label: str) -> list[str]:
    names = {_norm(form) for actor in gold.actors for form in (actor.name, *actor.aliases)}
    return [
        f"{locate(node, ('quotes', i, 'speaker'), label)}: quotes[{i}].speaker: '{quote.speaker}' is not "
        "the name or an alias of an actor in this file"
        for i, quote in enumerate(gold.quotes)
        if quote.speaker is not None and _norm(quote.speaker) not in names
    ]


def _spans(
    gold: GoldFile, key: str, text: str, node: yaml.Node | None, label: str
) -> tuple[list[tuple[int, int]], list[str]]:
    """Where each text of a section occurs, and a problem line for each not found exactly once."""
    spans, problems = [], []
    for i, item in enumerate(getattr(gold, key)):
        matches = [match.span() for match in re.finditer(_loose_pattern(item.text), text)]
        if len(matches) != 1:
            how = "not found in" if not matches else f"found {len(matches)} times in"
            hint = "" if not matches else "; make it longer until it is unique"
            where = locate(node, (key, i, "text"), label)
            problems.append(f"{where}: {key}[{i}].text: '{_snip(item.text)}' {how} the document's text{hint}")
        spans += matches[:1]
    return spans, problems


_LOOSE = {"'": "['’‘ʼ]", "’": "['’‘ʼ]", "‘": "['’‘ʼ]", '"': '["“”]', "“": '["“”]', "”": '["“”]',
          "-": "[-–—]", "–": "[-–—]", "—": "[-–—]"}


def _loose_pattern(phrase: str) -> str:
    """A regex for `phrase` as whole words; whitespace runs, quote marks and dashes may differ in kind."""
    words = ("".join(_LOOSE.get(char, re.escape(char)) for char in word) for word in phrase.split())
    before = r"(?<!\w)" if re.match(r"\w", phrase.strip()) else ""
    after = r"(?!\w)" if re.search(r"\w$", phrase.strip()) else ""
    return before + r"\s+".join(words) + after


# --- scores ----------------------------------------------------------------


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Score:
    """Counts of one category: gold facts, extracted facts, and pairs matched."""

    gold: int = 0
    found: int = 0
    matched: int = 0

    @property
    def precision(self) -> float | None:
        """Matched / found; None when nothing was found."""
        return _ratio(self.matched, self.found)

    @property
    def recall(self) -> float | None:
        """Matched / gold; None when the gold has none."""
        return _ratio(self.matched, self.gold)

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall (2·matched / (gold + found)); None when both are 0."""
        return _ratio(2 * self.matched, self.gold + self.found)

    def __add__(self, other: Score) -> Score:
        return Score(self.gold + other.gold, self.found + other.found, self.matched + other.matched)


@dataclass
class Accuracy:
    """Right answers among those checked (speakers of matched quotes, offsets of extracted facts ...)."""

    right: int = 0
    total: int = 0

    @property
    def ratio(self) -> float | None:
        """Right / total; None when nothing was checked."""
        return _ratio(self.right, self.total)

    def add(self, right: bool) -> None:
        """Count one answer."""
        self.right += bool(right)
        self.total += 1

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.right + other.right, self.total + other.total)


@dataclass(frozen=True)
class Target:
    """A quality target: a category's F1, an accuracy, or ("years") a count not to exceed."""

    metric: str
    label: str
    value: float
    at_most: bool = False

    def met(self, actual: float | None) -> bool:
        """Whether `actual` meets the target; nothing to measure (None) counts as met."""
        if actual is None:
            return True
        return actual <= self.value if self.at_most else actual >= self.value


TARGETS: tuple[Target, ...] = (
    Target("actors", "actors F1", 0.92),
    Target("places", "places F1", 0.92),
    Target("roles", "roles F1", 0.85),
    Target("quotes", "quotes F1", 0.90),
    Target("speaker", "speaker accuracy", 0.90),
    Target("events", "events F1", 0.85),
    Target("date", "date accuracy", 0.90),
    Target("quantities", "quantities F1", 0.90),
    Target("years", "years counted", 0, at_most=True),
    Target("offsets", "offsets exact", 1.0),
)


@dataclass
class DocumentResult:
    """One document's counts, plus one line per miss, false positive and wrong attribute."""

    gold: str
    document: str
    words: int
    scores: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in CATEGORIES})
    accuracies: dict[str, Accuracy] = field(default_factory=lambda: {name: Accuracy() for name in ACCURACIES})
    years: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    """Counts summed over documents (micro-averaged), the documents themselves, and skipped gold files."""

    documents: list[DocumentResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def scores(self) -> dict[str, Score]:
        """Each category's counts over all documents."""
        return {name: sum((d.scores[name] for d in self.documents), Score()) for name in CATEGORIES}

    @property
    def accuracies(self) -> dict[str, Accuracy]:
        """Each accuracy over all documents."""
        return {name: sum((d.accuracies[name] for d in self.documents), Accuracy()) for name in ACCURACIES}

    @property
    def years(self) -> int:
        """Extracted quantities that are only a year (1800–2100)."""
        return sum(document.years for document in self.documents)

    @property
    def words(self) -> int:
        """Words in the documents evaluated."""
        return sum(document.words for document in self.documents)

    def metric(self, name: str) -> float | None:
        """A category's F1, an accuracy's ratio, or the years counted."""
        if name in CATEGORIES:
            return self.scores[name].f1
        return self.years if name == "years" else self.accuracies[name].ratio

    def target(self, name: str) -> Target | None:
        """The target for a metric, if it has one."""
        return next((target for target in TARGETS if target.metric == name), None)

    def failures(self) -> list[Target]:
        """The targets not met."""
        return [target for target in TARGETS if not target.met(self.metric(target.metric))]

    @property
    def passed(self) -> bool:
        """Every target met."""
        return not self.failures()

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        targets = {target.metric: target for target in TARGETS}
        categories = {
            name: {"gold": s.gold, "found": s.found, "matched": s.matched, "precision": s.precision,
                   "recall": s.recall, "f1": s.f1, **_target_dict(targets.get(name), s.f1)}
            for name, s in self.scores.items()
        }
        accuracies = {
            name: {"right": a.right, "total": a.total, "ratio": a.ratio, **_target_dict(targets.get(name), a.ratio)}
            for name, a in self.accuracies.items()
        }
        return {
            "passed": self.passed, "categories": categories, "accuracies": accuracies,
            "years_counted": {"count": self.years, **_target_dict(targets["years"], self.years)},
            "documents": [_document_dict(document) for document in self.documents],
            "words": self.words, "skipped": self.skipped,
        }


def _target_dict(target: Target | None, actual: float | None) -> dict[str, Any]:
    if target is None:
        return {"target": None, "met": None}
    return {"target": target.value, "met": target.met(actual)}


def _document_dict(result: DocumentResult) -> dict[str, Any]:
    return {"gold": result.gold, "document": result.document, "words": result.words, "misses": result.misses,
            "false_positives": result.false_positives, "wrong": result.wrong}


# --- running ----------------------------------------------------------------


def evaluate(gold_dir: Path, extractor: Extractor) -> EvalReport:
    """Extract every gold file's document once and score it against the gold."""
    gold_set = load_gold(gold_dir)
    documents = [item.document for item in gold_set.documents]
    facts = extractor.extract(documents)
    results = [
        score_document(item, extracted, extractor.known)
        for item, extracted in zip(gold_set.documents, facts, strict=True)
    ]
    return EvalReport(results, gold_set.skipped)


def score_document(item: GoldDocument, facts: DocumentFacts, known: Known | None = None) -> DocumentResult:
    """Score one document's extracted facts against its gold; `known` adds gazetteer aliases to offset checks."""
    scorer = _Scorer(item, facts, known or Known())
    scorer.run()
    return scorer.result


# --- matching -----------------------------------------------------------------

_VARIANTS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-", "‐": "-"})
_SINGULAR = {"actors": "actor", "roles": "role", "affiliations": "affiliation", "places": "place",
             "quotes": "quote", "events": "event", "quantities": "quantity"}
_MINOR_WORDS = {"of", "and", "the", "for", "in", "on", "to"}
_YEAR = re.compile(r"\d{4}")


def _norm(name: str) -> str:
    """A name for comparison: case, hyphens, apostrophes and a leading "the" ignored."""
    text = name.translate(_VARIANTS).lower().replace("'", "").replace("-", " ")
    text = " ".join(text.split())
    return text.removeprefix("the ")


def _forms(names: Iterable[str]) -> set[str]:
    return {form for form in map(_norm, names) if form}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", _norm(text)))


def _word_f1(gold: str, found: str) -> float:
    a, b = _words(gold), _words(found)
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _overlap(gold: tuple[int, int], found: tuple[int, int]) -> float | None:
    """None unless the spans share at least half of the shorter one; else shared / union."""
    shared = min(gold[1], found[1]) - max(gold[0], found[0])
    shorter = min(gold[1] - gold[0], found[1] - found[0])
    if shared <= 0 or 2 * shared < shorter:
        return None
    return shared / (max(gold[1], found[1]) - min(gold[0], found[0]))


def _pair(gold: Sequence[G], found: Sequence[F], score: Callable[[G, F], Any]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, found index), greedily by best score; `score` None: no match."""
    candidates = [
        (value, g, f)
        for g, gold_item in enumerate(gold)
        for f, found_item in enumerate(found)
        if (value := score(gold_item, found_item)) is not None
    ]
    candidates.sort(key=lambda candidate: candidate[0], reverse=True)
    used_gold: set[int] = set()
    used_found: set[int] = set()
    pairs = []
    for _, g, f in candidates:
        if g not in used_gold and f not in used_found:
            used_gold.add(g)
            used_found.add(f)
            pairs.append((g, f))
    return sorted(pairs)


def _snip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def _initials(form: str) -> str:
    return "".join(word[0] for word in form.split() if word not in _MINOR_WORDS)


def _contains(longer: list[str], shorter: list[str]) -> bool:
    size = len(shorter)
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def _consistent(surface: str, forms: set[str]) -> bool:
    """A mention's surface is the name, an alias, a run of its words, its initials or a country alias."""
    country = world().country(surface)
    key = _norm(country.name if country else surface)
    if not key:
        return False
    if key in forms or name_key(surface) in {name_key(form) for form in forms}:
        return True
    words = key.split()
    return any(
        _contains(form.split(), words) or _contains(words, form.split()) or key.replace(" ", "") == _initials(form)
        for form in forms
    )


@dataclass
class _Gold:
    """A gold fact with what matching needs: its forms or its span."""

    fact: Any
    forms: set[str] = field(default_factory=set)
    span: tuple[int, int] = (0, 0)
    value: str = ""


@dataclass
class _Found:
    """An extracted fact with its comparable forms."""

    fact: Any
    forms: set[str] = field(default_factory=set)
    value: str = ""


class _Scorer:
    """Scores one document: one method per category, each filling `result`."""

    def __init__(self, item: GoldDocument, facts: DocumentFacts, known: Known) -> None:
        self.text = item.document.text
        self.gold = item.gold
        self.spans = item.spans
        self.facts = facts
        self.known = known
        self.actors_by_id = {actor.id: actor for actor in facts.actors}
        self.result = DocumentResult(item.label, item.document.path, len(self.text.split()))
        self.gold_actors = [_Gold(actor, _forms((actor.name, *actor.aliases))) for actor in self.gold.actors]

    def run(self) -> None:
        """Score every category, the accuracies and the offsets."""
        self.actors()
        self.attribute("roles", "role")
        self.attribute("affiliations", "affiliation")
        self.places()
        self.quotes()
        self.events()
        self.quantities()
        self.offsets()

    # categories

    def match(
        self, category: str, gold: list[_Gold], found: list[_Found], score: Callable[[_Gold, _Found], Any],
        describe: Callable[[Any], str],
    ) -> list[tuple[_Gold, _Found]]:
        """Pair gold and found facts, count them, and note misses and false positives."""
        pairs = _pair(gold, found, score)
        self.result.scores[category] = Score(len(gold), len(found), len(pairs))
        paired_gold = {g for g, _ in pairs}
        paired_found = {f for _, f in pairs}
        label = _SINGULAR[category]
        self.result.misses += [f"{label}: {describe(g)}" for i, g in enumerate(gold) if i not in paired_gold]
        self.result.false_positives += [
            f"{label}: {describe(f)}" for i, f in enumerate(found) if i not in paired_found
        ]
        return [(gold[g], found[f]) for g, f in pairs]

    def actor_forms(self, actor: Actor) -> set[str]:
        """An extracted actor's name, aliases and the text of each mention."""
        mentions = (self.text[mention.start : mention.end] for mention in actor.mentions)
        return _forms((actor.name, *actor.aliases, *mentions))

    def actors(self) -> None:
        found = [_Found(actor, self.actor_forms(actor)) for actor in self.facts.actors]
        self.match("actors", self.gold_actors, found, _actor_score, _describe_actor)

    def attribute(self, category: str, key: str) -> None:
        """Roles or affiliations: the right actor, and the words overlapping (F1 ≥ 0.5).

        An affiliation that names an actor of the document may be written in any of its forms
        ("ISIS" for "Islamic State").
        """
        gold = [_Gold(g.fact, g.forms, value=value) for g in self.gold_actors if (value := getattr(g.fact, key))]
        found = [_Found(a, self.actor_forms(a), value) for a in self.facts.actors if (value := getattr(a, key))]
        gold_bodies = [g.forms for g in self.gold_actors]
        found_bodies = [self.actor_forms(actor) for actor in self.facts.actors]

        def score(g: _Gold, f: _Found) -> tuple[float, Any] | None:
            same_actor = _actor_score(g, f)
            if same_actor is None:
                return None
            if key == "affiliation":
                f1 = max(_word_f1(a, b) for a in _body(g.value, gold_bodies) for b in _body(f.value, found_bodies))
            else:
                f1 = _word_f1(g.value, f.value)
            return (f1, same_actor) if f1 >= MIN_WORD_F1 else None

        self.match(category, gold, found, score, lambda fact: f"{fact.value} ({fact.fact.name})")

    def places(self) -> None:
        gold = [_Gold(place, _forms((place.name, *place.aliases))) for place in self.gold.places]
        found = [_Found(place, self.place_forms(place)) for place in self.facts.locations]

        def score(g: _Gold, f: _Found) -> tuple[bool, int] | None:
            shared = g.forms & f.forms
            return (_norm(f.fact.name) in g.forms, len(shared)) if shared else None

        self.match("places", gold, found, score, lambda fact: fact.fact.name)

    def place_forms(self, place: Location) -> set[str]:
        """An extracted place's name and the text of each mention."""
        return _forms((place.name, *(self.text[m.start : m.end] for m in place.mentions)))

    def quotes(self) -> None:
        gold = [_Gold(quote, span=span) for quote, span in zip(self.gold.quotes, self.spans["quotes"], strict=True)]
        found = [_Found(quote) for quote in self.facts.quotes]
        pairs = self.match("quotes", gold, found, _span_score, lambda fact: f"“{_snip(fact.fact.text)}”")
        for g, f in pairs:
            right = self.speaker_right(g.fact.speaker, f.fact)
            self.result.accuracies["speaker"].add(right)
            if not right:
                self.result.wrong.append(
                    f"speaker of “{_snip(g.fact.text)}”: gold {g.fact.speaker or 'none named'}, "
                    f"found {f.fact.speaker_name or f.fact.speaker or 'none'}"
                )

    def speaker_right(self, gold_speaker: str | None, quote: Quote) -> bool:
        """Whether the extracted quote names the gold speaker (or, for none, names no actor)."""
        if gold_speaker is None:
            return quote.speaker is None
        gold_forms = next((g.forms for g in self.gold_actors if _norm(gold_speaker) in g.forms), _forms([gold_speaker]))
        actor = self.actors_by_id.get(quote.speaker or "")
        found_forms = (self.actor_forms(actor) if actor else set()) | _forms([quote.speaker_name or ""])
        return bool(gold_forms & found_forms)

    def events(self) -> None:
        gold = [_Gold(event, span=span) for event, span in zip(self.gold.events, self.spans["events"], strict=True)]
        found = [_Found(event) for event in self.facts.events if event.date is not None]

        def score(g: _Gold, f: _Found) -> tuple[bool, float] | None:
            overlap = _span_score(g, f)
            return (g.fact.date == f.fact.date, overlap) if overlap is not None else None

        for g, f in self.match("events", gold, found, score, _describe_event):
            self.check_event(g.fact, f.fact)

    def check_event(self, gold: GoldEvent, event: Event) -> None:
        """Date and planned flag of a matched event."""
        self.result.accuracies["date"].add(gold.date == event.date)
        self.result.accuracies["planned"].add(gold.planned == event.planned)
        if gold.date != event.date:
            self.result.wrong.append(f"date of “{_snip(gold.text)}”: gold {gold.date}, found {event.date} "
                                     f"(from “{event.date_text}”)")
        if gold.planned != event.planned:
            self.result.wrong.append(f"planned of “{_snip(gold.text)}”: gold {gold.planned}, found {event.planned}")

    def quantities(self) -> None:
        spans = self.spans["quantities"]
        gold = [_Gold(quantity, span=span) for quantity, span in zip(self.gold.quantities, spans, strict=True)]
        found = [_Found(quantity) for quantity in self.facts.quantities]

        def score(g: _Gold, f: _Found) -> float | None:
            same = math.isclose(g.fact.low, f.fact.low) and math.isclose(g.fact.high, f.fact.high)
            return _span_score(g, f) if same else None

        for g, f in self.match("quantities", gold, found, score, _describe_quantity):
            if g.fact.subject:
                self.check_subject(g.fact, f.fact)
        self.result.years = sum(1 for quantity in self.facts.quantities if _is_year(quantity.text))

    def check_subject(self, gold: GoldQuantity, quantity: Quantity) -> None:
        """The gold subject word must appear in what the quantity counts, or in its unit ("45 kilometres")."""
        counted = quantity.subject or quantity.unit
        right = bool(counted and re.search(rf"\b{re.escape(gold.subject or '')}\b", counted, re.IGNORECASE))
        self.result.accuracies["subject"].add(right)
        if not right:
            self.result.wrong.append(f"subject of “{gold.text}”: gold {gold.subject}, found {quantity.subject}")

    # offsets

    def offsets(self) -> None:
        """Every extracted fact's offsets must read back what it records."""
        named: list[tuple[Actor | Location, set[str]]] = [
            (actor, self.known_forms(actor.id, (actor.name, *actor.aliases))) for actor in self.facts.actors]
        named += [(place, self.known_forms(place.id, (place.name,))) for place in self.facts.locations]
        for fact, forms in named:
            for mention in fact.mentions:
                span = self.read(mention.start, mention.end)
                right = span is not None and _consistent(span, forms)
                self.count_offsets(right, (mention.start, mention.end), fact.name)
        spanned: list[Quote | Quantity] = [*self.facts.quotes, *self.facts.quantities]
        for item in spanned:
            self.count_offsets(self.read(item.start, item.end) == item.text, (item.start, item.end), item.text)
        for event in self.facts.events:
            span = self.read(event.start, event.end)
            right = span is not None and (event.date_text or "") in span
            self.count_offsets(right, (event.start, event.end), event.date_text or event.what)

    def known_forms(self, fact_id: str, names: Iterable[str]) -> set[str]:
        """A fact's names plus the gazetteer's aliases for its id."""
        entry = self.known.actors.get(fact_id) or self.known.places.get(fact_id)
        extra = (entry.name, *entry.aliases) if entry else ()
        return _forms((*names, *extra))

    def read(self, start: int, end: int) -> str | None:
        """text[start:end], or None when the offsets are out of bounds."""
        return self.text[start:end] if 0 <= start < end <= len(self.text) else None

    def count_offsets(self, right: bool, span: tuple[int, int], expected: str) -> None:
        """Count one fact's offsets; note them when they do not read back."""
        self.result.accuracies["offsets"].add(right)
        if not right:
            read = _snip(self.read(*span) or "")
            self.result.wrong.append(f"offsets {span[0]}–{span[1]} read “{read}”, expected “{_snip(expected)}”")


def _actor_score(g: _Gold, f: _Found) -> tuple[bool, int] | None:
    shared = g.forms & f.forms
    if not shared or g.fact.kind != f.fact.kind:
        return None
    return _norm(f.fact.name) in g.forms, len(shared)


def _body(name: str, actors: list[set[str]]) -> set[str]:
    """An affiliation's name plus, when it names one of `actors` (their forms), that actor's forms."""
    key = _norm(name)
    return {name, *(form for forms in actors if key in forms for form in forms)}


def _span_score(g: _Gold, f: _Found) -> float | None:
    return _overlap(g.span, (f.fact.start, f.fact.end))


def _is_year(text: str) -> bool:
    text = text.strip()
    return bool(_YEAR.fullmatch(text)) and 1800 <= int(text) <= 2100


def _describe_actor(fact: _Gold | _Found) -> str:
    return f"{fact.fact.name} ({fact.fact.kind})"


def _describe_event(fact: _Gold | _Found) -> str:
    event = fact.fact
    return f"{event.date} “{_snip(event.text if isinstance(event, GoldEvent) else event.what)}”"


def _describe_quantity(fact: _Gold | _Found) -> str:
    quantity = fact.fact
    bounds = f"{quantity.low:g}" if quantity.low == quantity.high else f"{quantity.low:g}–{quantity.high:g}"
    return f"“{quantity.text}” = {bounds} {quantity.subject or ''}".rstrip()
