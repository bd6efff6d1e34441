"""The world-knowledge component: countries, capitals, demonyms, national institutions, compass regions
and coalitions, found from data (world.json, entities.yaml) and written onto the Doc.

Registered as the spaCy factory `briefgen_world` and placed after "ner". It writes:

- `doc.spans["briefgen_world"]`: every span it found, labelled COUNTRY, CAPITAL, DEMONYM, INSTITUTION,
  REGION or COALITION, with `Span._.country` the name of the country it belongs to (if any);
- `doc.ents`: countries and capitals as GPE, national institutions ("the Iraqi army", "Niger's defense
  and security forces") and coalitions ("the US-led coalition") as ORG, compass regions ("northeast
  Syria") as LOC, each with the country's name as its `kb_id_`. An entity the gazetteer ruler set (it has
  an `ent_id_`) is never replaced, nor a longer entity that holds a new one ("Niger Delta").
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BeforeValidator
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from briefgen.extract.wordlists import WordLists, Words, load_words
from briefgen.extract.world import Country, World, world

SPANS_KEY = "briefgen_world"
PLACE_LABELS = ("COUNTRY", "CAPITAL")
if not Span.has_extension("country"):
    Span.set_extension("country", default=None)


def _longest_first(value: Any) -> Any:
    """Phrases as token tuples (see `_words`), longest first."""
    if not isinstance(value, list):
        return value
    return sorted({tuple(_words(str(phrase))) for phrase in value}, key=len, reverse=True)


class Vocabulary(WordLists):
    """The word lists of data/entities.yaml, in lower case; institution heads as token tuples."""

    institution_heads: Annotated[tuple[tuple[str, ...], ...], BeforeValidator(_longest_first)]
    institution_modifiers: Words
    compass_words: Words
    coalition_heads: Words
    coalition_modifiers: Words
    state_bodies: Words
    state_action_nouns: Words


@cache
def vocabulary() -> Vocabulary:
    """The vocabularies, loaded once per process."""
    return load_words("entities", Vocabulary)


def _words(phrase: str) -> list[str]:
    """A phrase as spaCy's tokenizer splits it ("counter-terrorism" is three tokens)."""
    return phrase.lower().replace("-", " - ").split()


@Language.factory("briefgen_world")
def make_world_component(nlp: Language, name: str) -> WorldSpans:
    """The world-knowledge component (see the module docstring)."""
    return WorldSpans(nlp)


class WorldSpans:
    """Finds world-knowledge spans in a Doc and writes them onto it."""

    def __init__(self, nlp: Language) -> None:
        self.world: World = world()
        self.words = vocabulary()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for label in ("COUNTRY", "CAPITAL", "DEMONYM"):
            spellings = {spelling for country in self.world.countries for spelling in _spellings(country, label)}
            self.matcher.add(label, [nlp.make_doc(spelling) for spelling in sorted(spellings)])
        self.nlp = nlp
        self.heads_by_first: dict[str, list[tuple[str, ...]]] = {}
        for head in self.words.institution_heads:
            self.heads_by_first.setdefault(head[0], []).append(head)

    def __call__(self, doc: Doc) -> Doc:
        """Annotate one document."""
        named = self._named(doc)
        found = list(named)
        found += [span for span in (self._institution(doc, span) for span in named) if span is not None]
        found += self._regions(doc, named)
        found += self._coalitions(doc)
        doc.spans[SPANS_KEY] = sorted(found, key=lambda span: (span.start, -span.end))
        doc.ents = _merged(doc, [span for span in found if span.label_ != "DEMONYM"])
        return doc

    def _named(self, doc: Doc) -> list[Span]:
        """Country names, capitals and demonyms: the longest at each place, one per token."""
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)]
        chosen: list[Span] = []
        taken: set[int] = set()
        priority = {"COUNTRY": 0, "CAPITAL": 1, "DEMONYM": 2}  # "US": the country before the adjective
        for span in sorted(spans, key=lambda span: (-(span.end - span.start), span.start, priority[span.label_])):
            if taken.isdisjoint(range(span.start, span.end)):
                chosen.append(span)
                taken.update(range(span.start, span.end))
        for span in chosen:
            span._.country = self._country_of(span).name
        return sorted(chosen, key=lambda span: span.start)

    def _country_of(self, span: Span) -> Country:
        lookup = {"COUNTRY": self.world.country, "CAPITAL": self.world.of_capital,
                  "DEMONYM": self.world.of_demonym}[span.label_]
        country = lookup(span.text)
        assert country is not None  # the matcher's phrases are the lookup's keys
        return country

    def _institution(self, doc: Doc, name: Span) -> Span | None:
        """A national institution after a country name, demonym or possessive: "Iraqi army", "Iraq's
        security forces", "US military", "Somali National Army"."""
        position = name.end
        if position < len(doc) and doc[position].tag_ == "POS":
            position += 1
        starts = [position]  # where the head may begin: after any run of modifiers ("military" is both)
        while position < len(doc) and doc[position].lower_ in self.words.institution_modifiers:
            position += 1
            starts.append(position)
        ends = [start + len(head) for start in starts if start < len(doc)
                for head in self.heads_by_first.get(doc[start].lower_, ())
                if start + len(head) <= len(doc)
                and tuple(token.lower_ for token in doc[start:start + len(head)]) == head]
        if not ends:
            return None
        span = Span(doc, name.start, max(ends), label="INSTITUTION")
        span._.country = name._.country
        return span

    def _regions(self, doc: Doc, named: list[Span]) -> list[Span]:
        """Compass regions before countries and before the model's places, once each."""
        regions: dict[tuple[int, int], Span] = {}
        for place in [*named, *doc.ents]:
            region = self._region(doc, place)
            if region is not None:
                regions.setdefault((region.start, region.end), region)
        return list(regions.values())

    def _region(self, doc: Doc, place: Span) -> Span | None:
        """A compass word in lower case before a country or place: "northeast Syria", "north-eastern Nigeria"."""
        if place.label_ not in (*PLACE_LABELS, "GPE", "LOC") or place.start == 0:
            return None
        for width in (3, 2, 1):
            start = place.start - width
            if start < 0:
                continue
            words = "".join(token.text for token in doc[start:place.start])
            if doc[start].is_lower and words.lower() in self.words.compass_words:
                span = Span(doc, start, place.end, label="REGION")
                if place.label_ in PLACE_LABELS:  # extension values belong to the offsets: never unset one
                    span._.country = place._.country
                return span
        return None

    def _coalitions(self, doc: Doc) -> list[Span]:
        """Coalitions named by what leads or joins them: "the US-led coalition", "the global coalition"."""
        found = []
        for token in doc:
            if token.lower_ not in self.words.coalition_heads or token.i == 0:
                continue
            start = self._coalition_start(doc, token.i)
            modifier = token.dep_ in ("compound", "amod", "nmod") and token.head.i > token.i
            # A bare "the coalition" is one too, unless it only modifies a noun ("coalition forces").
            if start < token.i or (doc[token.i - 1].lower_ == "the" and not modifier):
                found.append(Span(doc, start, token.i + 1, label="COALITION"))
        return found

    def _coalition_start(self, doc: Doc, head: int) -> int:
        start = head
        while start > 0:
            previous = doc[start - 1]
            if previous.lower_ in self.words.coalition_modifiers:
                start -= 1
            elif previous.lower_ == "led" and start >= 3 and doc[start - 2].text == "-":
                start -= 3  # "US-led", "Saudi-led": the leader, the hyphen and "led"
            elif start >= 3 and doc[start - 2].text == "-" and doc[start - 3].lower_ == "anti":
                start -= 3  # "anti-jihadist": "anti", the hyphen and what the coalition is against
            else:
                break
        return start


_BY_START_KEY = "briefgen.world_by_start"


def world_label(span: Span) -> str | None:
    """The label the world component gave a span at the same place (COUNTRY, COALITION ...), if any."""
    return next((found.label_ for found in world_spans_at(span.doc, span.start) if found.end == span.end), None)


def world_spans_at(doc: Doc, start: int) -> list[Span]:
    """The world component's spans starting at token `start` (indexed once per document)."""
    by_start = doc.user_data.get(_BY_START_KEY)
    if by_start is None:
        by_start = doc.user_data[_BY_START_KEY] = {}
        for found in doc.spans.get(SPANS_KEY, []):
            by_start.setdefault(found.start, []).append(found)
    return by_start.get(start, [])


def _spellings(country: Country, label: str) -> tuple[str, ...]:
    """The spellings the matcher looks for under a label (a leading "the" is matched as a word)."""
    spellings = {"COUNTRY": country.names, "CAPITAL": country.capital_names, "DEMONYM": country.demonyms}[label]
    return tuple(spelling.removeprefix("the ") for spelling in spellings)


def _holds(entity: Span, span: Span) -> bool:
    """True when an entity holds the span and more than it (a leading "the" aside): "Niger Delta"."""
    start = entity.start + 1 if entity[0].lower_ == "the" else entity.start
    return entity.start <= span.start and span.end <= entity.end and entity.end - start > len(span)


def _merged(doc: Doc, found: list[Span]) -> list[Span]:
    """The Doc's entities with the world spans laid over them (see the module docstring)."""
    entities = list(doc.ents)
    for span in sorted(found, key=lambda span: -(span.end - span.start)):
        overlapping = [ent for ent in entities if ent.start < span.end and span.start < ent.end]
        if any(ent.ent_id_ or _holds(ent, span) for ent in overlapping):
            continue
        if span.label_ in PLACE_LABELS and any(ent.label_ in ("ORG", "PERSON", "FAC", "NORP") for ent in overlapping
                                              if ent.start < span.start or ent.end > span.end):
            continue
        entities = [ent for ent in entities if ent not in overlapping]
        label = {"COUNTRY": "GPE", "CAPITAL": "GPE", "INSTITUTION": "ORG", "COALITION": "ORG", "REGION": "LOC"}
        entities.append(Span(doc, span.start, span.end, label=label[span.label_], kb_id=span._.country or ""))
    return sorted(entities, key=lambda span: span.start)
