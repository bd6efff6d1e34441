"""The fact rules as spaCy components: each reads the parsed Doc and writes what it found onto it.

Registered as factories and added to the pipeline by `build_nlp`, after the statistical components:

    briefgen_event_cues  -> Token._.event_cue, doc.spans["briefgen_event_cues"]   (patterns from data)
    briefgen_entities    -> doc.spans["briefgen_actors"], doc.spans["briefgen_places"], Doc._.entity_index
    briefgen_quantities  -> doc.spans["briefgen_quantities"], Doc._.stated_figures (each time stated)
    briefgen_events      -> doc.spans["briefgen_events"]
    briefgen_quotes      -> doc.spans["briefgen_quotes"]
    briefgen_tactics     -> doc.spans["briefgen_tactics"]
    briefgen_incidents   -> doc.spans["briefgen_incidents"]   (from the events and quantities written)

Every span of a fact group carries its fact object as `Span._.fact` (an actor or place has one span per
mention, all carrying the same object). `Doc._.facts` holds each group's facts in order, and a span's
`kb_id_` ("briefgen_events#3") says which is its own: a span's own extension values are keyed by its
offsets, which two facts may share. `facts_of(doc)` reads a document's facts back off the Doc.
What the rules need to know of the source (its id, publication date, outlet, URL) is `Doc._.document`,
set before they run; without it the Doc counts as an undated document with the id "".
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from spacy.language import Language
from spacy.tokens import Doc, Span

from briefgen.config import Gazetteer
from briefgen.extract.actors import RoleLexicon
from briefgen.extract.cues import EventCues
from briefgen.extract.dates import Published
from briefgen.extract.entities import index_entities
from briefgen.extract.events import extract_events
from briefgen.extract.incidents import extract_incidents
from briefgen.extract.index import EntityIndex
from briefgen.extract.known import Known
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import Paragraphs
from briefgen.extract.places import add_relations
from briefgen.extract.quantities import extract_quantities
from briefgen.extract.quotes import QuoteFinder
from briefgen.extract.tactics import TacticMatcher
from briefgen.extract.world import world
from briefgen.facts import Actor, Document, DocumentFacts, Event, Incident, Location, Quantity, Quote, Tactic

__all__ = ["RULE_COMPONENTS", "facts_of", "source_of"]

# In the order they run: each may read what the ones before it wrote.
RULE_COMPONENTS = (
    "briefgen_event_cues",
    "briefgen_entities",
    "briefgen_quantities",
    "briefgen_events",
    "briefgen_quotes",
    "briefgen_tactics",
    "briefgen_incidents",
)
ACTORS, PLACES = "briefgen_actors", "briefgen_places"
QUANTITIES, EVENTS, QUOTES, TACTICS = "briefgen_quantities", "briefgen_events", "briefgen_quotes", "briefgen_tactics"
INCIDENTS = "briefgen_incidents"

for _name in ("document", "entity_index", "paragraphs", "facts", "stated_figures"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def fact_of(span: Span) -> Any:
    """The fact a span of a fact group stands for (None for any other span)."""
    facts: dict[str, list[Any]] | None = span.doc._.facts
    group, _, number = span.kb_id_.rpartition("#")
    if not facts or group not in facts or not number.isdigit():
        return None
    return facts[group][int(number)]


if not Span.has_extension("fact"):
    Span.set_extension("fact", getter=fact_of)


class _Ranged(Protocol):
    """Anything with character offsets: a fact or a mention."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


Fact = TypeVar("Fact")


def source_of(doc: Doc) -> Document:
    """The document a Doc was parsed from (`Doc._.document`), or an undated one with the id ""."""
    document: Document | None = doc._.document
    return document if document is not None else Document(id="", path="", text=doc.text)


def paragraphs_of(doc: Doc) -> Paragraphs:
    """The paragraphs of the Doc's text, found once and kept on the Doc."""
    if doc._.paragraphs is None:
        doc._.paragraphs = Paragraphs(doc_text(doc))
    paragraphs: Paragraphs = doc._.paragraphs
    return paragraphs


def index_of(doc: Doc) -> EntityIndex:
    """The actors and places `briefgen_entities` wrote onto the Doc."""
    index: EntityIndex | None = doc._.entity_index
    if index is None:
        raise ValueError("briefgen_entities has not run on this Doc")
    return index


def facts_of(doc: Doc) -> DocumentFacts:
    """The facts the rule components wrote onto an annotated Doc."""
    return DocumentFacts(
        doc=source_of(doc).id,
        actors=_facts(doc, ACTORS, Actor),
        events=_facts(doc, EVENTS, Event),
        quantities=_facts(doc, QUANTITIES, Quantity),
        locations=_facts(doc, PLACES, Location),
        quotes=_facts(doc, QUOTES, Quote),
        tactics=_facts(doc, TACTICS, Tactic),
        incidents=_facts(doc, INCIDENTS, Incident),
        sentences=sentences_of(doc),
    )


def sentences_of(doc: Doc) -> list[tuple[int, int]]:
    """The (start, end) character offsets of each sentence of a parsed Doc, without the whitespace around
    it; offsets are the document's even when it was parsed in pieces (the joined Doc keeps its text)."""
    if not doc.has_annotation("SENT_START"):
        return []
    spans = []
    for sentence in doc.sents:
        text = sentence.text
        start = sentence.start_char + len(text) - len(text.lstrip())
        end = sentence.start_char + len(text.rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def _facts(doc: Doc, key: str, kind: type[Fact]) -> list[Fact]:
    """The facts of one group, in order."""
    facts: dict[str, list[Any]] = doc._.facts or {}
    return [fact for fact in facts.get(key, []) if isinstance(fact, kind)]


def write_spans(doc: Doc, key: str, facts: Iterable[tuple[Any, Iterable[_Ranged]]], label: str) -> None:
    """Write a span group: a span per range of each fact, labelled with the fact's attribute `label` (or
    `label` itself when the fact has none), carrying the fact as `Span._.fact`."""
    if doc._.facts is None:
        doc._.facts = {}
    group: list[Any] = []
    doc._.facts[key] = group
    starts = token_starts(doc)
    spans = []
    for fact, ranges in facts:
        fact_key = f"{key}#{len(group)}"
        group.append(fact)
        for mention in ranges:
            spans.append(covering_span(doc, starts, mention.start, mention.end, getattr(fact, label, label), fact_key))
    doc.spans[key] = spans


def token_starts(doc: Doc) -> list[int]:
    """Each token's character offset, worked out once per Doc (every fact group needs them)."""
    starts: list[int] | None = doc.user_data.get(_STARTS_KEY)
    if starts is None or len(starts) != len(doc):
        starts = doc.user_data[_STARTS_KEY] = [token.idx for token in doc]
    return starts


_STARTS_KEY = "briefgen.token_starts"


def covering_span(doc: Doc, starts: Sequence[int], start: int, end: int, label: str, kb_id: str) -> Span:
    """The tokens that [start, end) touches (at least one: the token at or before `start`)."""
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    last = max(bisect.bisect_left(starts, end), first + 1)
    return Span(doc, first, min(last, len(doc)), label=label, kb_id=kb_id)


@Language.factory("briefgen_event_cues")
def make_event_cues(nlp: Language, name: str) -> EventCues:
    """Marks the words that say what kind of event a clause tells (patterns: data/patterns/event_cues.yaml)."""
    return EventCues(nlp)


@Language.factory("briefgen_entities")
def make_entities(nlp: Language, name: str) -> EntityFacts:
    """Finds actors and places; `use_gazetteer` adds a project's known names and role titles."""
    return EntityFacts(nlp)


class EntityFacts:
    """Actors (with roles and affiliations) and places of a Doc, as span groups and `Doc._.entity_index`."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.use_gazetteer(Gazetteer())

    def use_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Know the gazetteer's actors and places, and its role titles."""
        self.known = Known.from_gazetteer(gazetteer)
        self.roles = RoleLexicon(self.nlp.make_doc, gazetteer)
        countries = (world().country(name) for name in gazetteer.countries)
        self.theatre = frozenset(country.iso2 for country in countries if country is not None)

    def __call__(self, doc: Doc) -> Doc:
        document = source_of(doc)
        paragraphs = paragraphs_of(doc)
        index = index_entities(doc, document.id, self.known, paragraphs, self.roles, document.outlet, document.url,
                               self.theatre)
        add_relations(doc_text(doc), index)
        doc._.entity_index = index
        write_spans(doc, ACTORS, ((actor, actor.mentions) for actor in index.actors.values()), "kind")
        write_spans(doc, PLACES, ((place, place.mentions) for place in index.places.values()), "kind")
        return doc


@Language.factory("briefgen_quantities")
def make_quantities(nlp: Language, name: str) -> QuantityFacts:
    """Finds figures: counts, ranges, bounds and percentages, with what they count."""
    return QuantityFacts()


class QuantityFacts:
    """Figures of a Doc, as the span group "briefgen_quantities"."""

    def __call__(self, doc: Doc) -> Doc:
        quantities, stated = extract_quantities(doc, source_of(doc).id)
        write_spans(doc, QUANTITIES, ((quantity, [quantity]) for quantity in quantities), "QUANTITY")
        doc._.stated_figures = stated  # an incident's toll is read in its own sentence, headline or not
        return doc


@Language.factory("briefgen_events")
def make_events(nlp: Language, name: str) -> EventFacts:
    """Finds dated events, their kind, actors and places (after briefgen_entities)."""
    return EventFacts()


class EventFacts:
    """Dated events of a Doc, as the span group "briefgen_events", each labelled with its kind."""

    def __call__(self, doc: Doc) -> Doc:
        document = source_of(doc)
        published = Published.parse(document.published)
        events = extract_events(doc, document.id, published, index_of(doc), paragraphs_of(doc))
        write_spans(doc, EVENTS, ((event, [event]) for event in events), "kind")
        return doc


@Language.factory("briefgen_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteFacts:
    """Finds direct quotes and reported claims with their speakers (after briefgen_entities)."""
    return QuoteFacts()


class QuoteFacts:
    """Quotes and claims of a Doc, as the span group "briefgen_quotes"."""

    def __call__(self, doc: Doc) -> Doc:
        quotes = QuoteFinder(doc, source_of(doc).id, index_of(doc), paragraphs_of(doc)).find()
        write_spans(doc, QUOTES, ((quote, [quote]) for quote in quotes), "QUOTE")
        return doc


@Language.factory("briefgen_tactics")
def make_tactics(nlp: Language, name: str) -> TacticFacts:
    """Finds the gazetteer's tactics; `use_gazetteer` adds them."""
    return TacticFacts(nlp)


class TacticFacts:
    """Tactics named in a Doc (outside headings), as the span group "briefgen_tactics"."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.use_gazetteer(Gazetteer())

    def use_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Match the gazetteer's tactics."""
        self.matcher = TacticMatcher(self.nlp, gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        paragraphs = paragraphs_of(doc)
        found = self.matcher.find(doc, source_of(doc).id)
        tactics = [tactic for tactic in found if not paragraphs.is_heading(tactic.start)]
        write_spans(doc, TACTICS, ((tactic, [tactic]) for tactic in tactics), "TACTIC")
        return doc


@Language.factory("briefgen_incidents")
def make_incidents(nlp: Language, name: str) -> IncidentFacts:
    """Codes violent and strategic events as ACLED-like incidents (after briefgen_events and
    briefgen_quantities; rules: data/incidents.yaml)."""
    return IncidentFacts()


class IncidentFacts:
    """Incidents of a Doc, as the span group "briefgen_incidents" (a span per sentence), each labelled
    with its ACLED sub-event type."""

    def __call__(self, doc: Doc) -> Doc:
        events = _facts(doc, EVENTS, Event)
        source = source_of(doc)
        quantities = doc._.stated_figures or []
        incidents = extract_incidents(doc, source.id, events, quantities, index_of(doc), source.published)
        write_spans(doc, INCIDENTS, ((incident, [incident]) for incident in incidents), "sub_event_type")
        return doc
