"""Locations: gazetteer places, GPE/LOC/FAC entities, and names followed by a place head word; towns the
gazetteer lacks get coordinates from GeoNames."""

from __future__ import annotations

import bisect
import re
from typing import cast

from spacy.tokens import Doc, Span

from briefgen.extract.index import EntityIndex
from briefgen.extract.known import Known, name_key, slugify
from briefgen.extract.lexicon import PLACE_HEADS
from briefgen.extract.merge import other_forms
from briefgen.extract.offsets import doc_text
from briefgen.extract.world import find_town, world
from briefgen.facts import Location, LocationKind, Mention

LABEL_KINDS: dict[str, LocationKind] = {"LOC": "region", "FAC": "facility"}


def place_head(span: Span) -> tuple[int, str] | None:
    """If the words after `span` are a place head ("camp", "Air Base" ...): (end token, kind)."""
    doc = span.doc
    if span.end >= len(doc):
        return None
    for words, kind in _HEADS_BY_FIRST.get(doc[span.end].lower_, ()):
        end = span.end + len(words)
        if end <= len(doc) and tuple(token.lower_ for token in doc[span.end : end]) == words:
            return end, kind
    return None


def ends_with_place_head(span: Span) -> str | None:
    """The kind of place a name ending in a place head is ("Ain al-Asad Airbase", "Sambisa Forest"), if any."""
    ending = _ending_head(span)
    return ending[1] if ending else None


def _ending_head(span: Span) -> tuple[tuple[str, ...], str] | None:
    """The place head a name ends with, after at least one word of its own, and its kind."""
    if len(span) < 2:
        return None
    return next(((words, kind) for words, kind in _HEADS_BY_LAST.get(span[-1].lower_, ())
                 if len(span) > len(words) and tuple(token.lower_ for token in span[-len(words):]) == words), None)


def _heads_by(word: int) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The place heads (in the lexicon's order) by their first (0) or last (-1) word: a name is checked
    only against the heads that can follow or end it."""
    heads: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, kind in PLACE_HEADS.items():
        heads.setdefault(words[word], []).append((words, kind))
    return heads


_HEADS_BY_FIRST = _heads_by(0)
_HEADS_BY_LAST = _heads_by(-1)


_CAPS_WORD = r"[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+"
# "NIAMEY, Aug. 5 (Xinhua) --", "ERBIL, Kurdistan Region -", "MUSCAT/SANAA/WASHINGTON -", "PARIS" on its own
# line; a dateline may follow page furniture on the same line ("FOR IMMEDIATE RELEASE TAMPA, Fla. –").
DATELINE = re.compile(rf"(?<![\w'’])((?:{_CAPS_WORD}[ /]){{0,6}}{_CAPS_WORD})(?=\s*(?:,|\(|[-–—]\s|$))", re.MULTILINE)
DATELINE_WORDS = 3  # a city in a dateline has at most three words ("SAN JUAN", "PORT AU PRINCE")
CITY_OF_NOTE = 100_000  # people: a town outside the countries a text names must be this big to be meant
ABBREVIATION_MAX = 4  # letters: a longer word in capitals is a name written in capitals ("KHARTOUM")


def add_dateline_places(doc: Doc, index: EntityIndex, known: Known, doc_id: str) -> None:
    """The cities of datelines ("TAMPA, Fla. –", "MUSCAT/SANAA -"), when the world knows them."""
    text = doc_text(doc)
    taken = {start for start, *_ in index.place_spans}
    for match in DATELINE.finditer(text):
        for part in re.finditer(r"[^/]+", match.group(1)):
            city = _dateline_city(part.group().strip(), index.countries)
            if city is None:
                continue
            end = match.start(1) + part.start() + len(part.group().rstrip())
            span = doc.char_span(end - len(city), end, alignment_mode="expand")
            if span is not None and span.start_char not in taken:
                add_place(index, known, span, span, doc_id, "city", city.title())


def _dateline_city(words: str, countries: set[str]) -> str | None:
    """The longest ending of a run of capitals that is a capital or a known town ("TAMPA" of "FOR IMMEDIATE
    RELEASE TAMPA"): of a country the text names, or a city of note."""
    split = words.rstrip(".").split()
    for size in range(min(DATELINE_WORDS, len(split)), 0, -1):
        name = " ".join(split[-size:])
        if len(name) < 4:
            continue
        if world().of_capital(name.title()) is not None:
            return name
        town = find_town(name.title(), countries)
        if town is not None and (town.iso2 in countries or town.population >= CITY_OF_NOTE):
            return name
    return None


def without_place_head(span: Span) -> Span:
    """The name without the place head it ends with ("Ain al-Asad" of "Ain al-Asad Air Base")."""
    ending = _ending_head(span)
    return span[: len(span) - len(ending[0])] if ending else span


def add_place(
    index: EntityIndex, known: Known, name: Span, mention: Span, doc_id: str, kind_hint: str | None = None,
    written: str | None = None,
) -> None:
    """Record a place mention (`mention` span) named by `name`, linked to the gazetteer when it matches."""
    country = world().country(name.text)
    slug = name.ent_id_ if name.ent_id_ in known.places else None
    for text in (mention.text, name.text, country.name if country else ""):
        slug = slug or known.place_keys.get(name_key(text))
    location = index.places.get(slug) if slug else None
    if location is None:
        location = _location(known, slug, mention if kind_hint else name, name, kind_hint, index.countries,
                             written)
        location = index.places.setdefault(location.id, location)
    location.mentions.append(Mention(doc_id, mention.start_char, mention.end_char))
    _add_alias(location, mention.text)
    _add_alias(location, name.text)
    index.place_spans.append((mention.start_char, mention.end_char, location.id, mention.text))


def add_place_mention(index: EntityIndex, place_id: str, mention: Span, doc_id: str) -> None:
    """Record another name of a place already found as a mention of it."""
    location = index.places[place_id]
    location.mentions.append(Mention(doc_id, mention.start_char, mention.end_char))
    _add_alias(location, mention.text)
    index.place_spans.append((mention.start_char, mention.end_char, location.id, mention.text))


def _add_alias(location: Location, text: str) -> None:
    """Keep a form of the name other than the one reported ("Anbar province" for Anbar)."""
    location.aliases = other_forms(location.name, [*location.aliases, " ".join(text.split())])


def _location(known: Known, slug: str | None, display: Span, core: Span, kind_hint: str | None,
              countries: set[str], written: str | None = None) -> Location:
    """A new place named as `display` ("Anbar province"), its id taken from the name without its head word
    (`core`, "Anbar") so that every form of one place is one place; `written` replaces a name written in
    capitals ("Tampa" for "TAMPA")."""
    # "Diyala and Salahuddin provinces": a plural head word is no part of either name
    name = written or (core.text if display[-1].tag_ == "NNS" and len(display) > len(core) else display.text)
    if name.isupper() and len(name) > ABBREVIATION_MAX:  # "KHARTOUM" in a dateline
        name = name.title()
    if slug is not None:
        place = known.places[slug]
        return Location(
            id=slug, name=place.name, kind=place.kind, lat=place.lat, lon=place.lon, country=place.country
        )
    country = world().country(core.text) if kind_hint is None else None
    if country is not None:
        return Location(id=slugify(country.name), name=country.name, kind="country", lat=country.lat,
                        lon=country.lon, country=country.name)
    kind: LocationKind = cast(LocationKind, kind_hint) if kind_hint else LABEL_KINDS.get(display.label_, "city")
    # the model often labels a town it does not know as FAC or LOC; a place head word ("camp") is surer
    town = find_town(core.text, countries) if kind_hint in (None, "city") else None
    if town is not None and town.iso2 not in countries and town.population < CITY_OF_NOTE:
        town = None  # a village abroad of the same name is a worse guess than no coordinates
    if town is None:
        region_country = world().of_region(core.text)
        if region_country is not None and region_country.iso2 in countries:
            return Location(id=slugify(core.text), name=name, kind="region", country=region_country.name)
    if town is not None:
        return Location(id=slugify(core.text), name=name, kind="city", lat=town.lat, lon=town.lon,
                        country=town.country)
    region_of = world().country(core.kb_id_) if core.kb_id_ else None
    return Location(id=slugify(core.text), name=name, kind=kind,
                    country=region_of.name if region_of else None)


_DIRECTION = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
# A figure is at most 31 digits and separators long: a longer run of digits is no distance, and an
# unbounded run would make the search quadratic in its length.
DISTANCE = re.compile(
    r"(?:(?:some|about|around|roughly|nearly|almost|just)\s+)?\d[\d,.]{0,30}\s*"
    r"(?:kilomet(?:er|re)s?|km|miles?|met(?:er|re)s?)\s+(?:" + _DIRECTION + r"\s+of|from|outside)\s+(?:the\s+)?",
    re.IGNORECASE,
)
RELATION_REACH = 60  # characters between a place and the distance phrase that locates it


def add_relations(text: str, index: EntityIndex) -> None:
    """Keep "some 45 kilometres from Kirkuk city" as text on the place it locates: the place named just
    before it ("al-Fashka village, some 45 ..."), else the place it is measured from."""
    spans = index.place_spans  # sorted by start
    longest = max((end - start for start, end, *_ in spans), default=0)
    for match in DISTANCE.finditer(text):
        position = bisect.bisect_left(spans, (match.end(),))
        if position == len(spans) or spans[position][0] != match.end():
            continue
        reference = spans[position]
        # Only spans starting within reach (plus the longest span) can end within reach.
        first = bisect.bisect_left(spans, (match.start() - RELATION_REACH - longest,))
        last = bisect.bisect_right(spans, (match.start(), float("inf")))
        before = [span for span in spans[first:last] if match.start() - RELATION_REACH <= span[1] <= match.start()
                  and "." not in text[span[1] : match.start()]]
        located = before[-1] if before else reference
        relation = text[match.start() : reference[1]]
        place = index.places[located[2]]
        if relation not in place.relations:
            place.relations.append(relation)
