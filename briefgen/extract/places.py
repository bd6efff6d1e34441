"""Locations: gazetteer places, GPE/LOC/FAC entities, and names followed by a place head word; towns the
gazetteer lacks get coordinates from GeoNames."""

from __future__ import annotations

import bisect
import re
from typing import cast

from spacy.tokens import Span

from briefgen.extract.index import EntityIndex
from briefgen.extract.lexicon import PLACE_HEADS
from briefgen.extract.pipeline import Known, name_key, slugify
from briefgen.extract.world import find_town, world
from briefgen.facts import Location, LocationKind, Mention

LABEL_KINDS: dict[str, LocationKind] = {"LOC": "region", "FAC": "facility"}


def place_head(span: Span) -> tuple[int, str] | None:
    """If the words after `span` are a place head ("camp", "Air Base" ...): (end token, kind)."""
    doc = span.doc
    for words, kind in PLACE_HEADS.items():
        end = span.end + len(words)
        if end <= len(doc) and tuple(token.lower_ for token in doc[span.end : end]) == words:
            return end, kind
    return None


def ends_with_place_head(span: Span) -> str | None:
    """The kind of place a name ending in a place head is ("Ain al-Asad Airbase", "Sambisa Forest"), if any."""
    for words, kind in PLACE_HEADS.items():
        if len(span) > len(words) and tuple(token.lower_ for token in span[-len(words):]) == words:
            return kind
    return None


def add_place(
    index: EntityIndex, known: Known, name: Span, mention: Span, doc_id: str, kind_hint: str | None = None
) -> None:
    """Record a place mention (`mention` span) named by `name`, linked to the gazetteer when it matches."""
    country = world().country(name.text)
    slug = name.ent_id_ if name.ent_id_ in known.places else None
    for text in (mention.text, name.text, country.name if country else ""):
        slug = slug or known.place_keys.get(name_key(text))
    location = index.places.get(slug) if slug else None
    if location is None:
        location = _location(known, slug, mention if kind_hint else name, kind_hint, index.countries)
        location = index.places.setdefault(location.id, location)
    location.mentions.append(Mention(doc_id, mention.start_char, mention.end_char))
    index.place_spans.append((mention.start_char, mention.end_char, location.id, mention.text))


def _location(known: Known, slug: str | None, span: Span, kind_hint: str | None,
              countries: set[str]) -> Location:
    if slug is not None:
        place = known.places[slug]
        return Location(
            id=slug, name=place.name, kind=place.kind, lat=place.lat, lon=place.lon, country=place.country
        )
    country = world().country(span.text) if kind_hint is None else None
    if country is not None:
        return Location(id=slugify(country.name), name=country.name, kind="country", lat=country.lat,
                        lon=country.lon, country=country.name)
    kind: LocationKind = cast(LocationKind, kind_hint) if kind_hint else LABEL_KINDS.get(span.label_, "city")
    # the model often labels a town it does not know as FAC or LOC; a place head word ("camp") is surer
    town = find_town(span.text, countries) if kind_hint in (None, "city") else None
    if town is not None:
        return Location(id=slugify(span.text), name=span.text, kind="city", lat=town.lat, lon=town.lon,
                        country=town.country)
    region_of = world().country(span.kb_id_) if span.kb_id_ else None
    return Location(id=slugify(span.text), name=span.text, kind=kind,
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
