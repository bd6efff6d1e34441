"""One pass over a parsed document's entities: actor candidates and place mentions."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from briefgen.extract.actors import (
    Candidate,
    RoleLexicon,
    abbreviations,
    build_actors,
    core_span,
    is_bad_person,
    is_title_fragment,
    link,
    name_words,
)
from briefgen.extract.index import EntityIndex
from briefgen.extract.nonactors import drop_non_actors
from briefgen.extract.offsets import doc_text, find_each, merged
from briefgen.extract.paragraphs import Paragraphs
from briefgen.extract.pipeline import Known, name_key
from briefgen.extract.places import add_place, place_head
from briefgen.extract.roles import follows_role
from briefgen.facts import Actor, Mention

ACTOR_LABELS = {"PERSON", "ORG"}
SURNAME_MIN = 4
PLACE_LABELS = {"GPE", "LOC", "FAC"}


def index_entities(
    doc: Doc, doc_id: str, known: Known, paragraphs: Paragraphs, lexicon: RoleLexicon, outlet: str | None = None
) -> EntityIndex:
    """Collect the actors and places of one document (never its outlet, bylines or labels)."""
    index = EntityIndex()
    expansions = abbreviations(doc)
    candidates: list[Candidate] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS | PLACE_LABELS or "\n" in ent.text:
            continue
        span = core_span(ent)
        if not span.ent_id_ and paragraphs.is_heading(span.start_char):
            continue
        candidate = _classify(span, index, known, doc_id, lexicon)
        if candidate is not None:
            candidates.append(candidate)
            covered.add(span.start_char)
    candidates += _abbreviation_mentions(doc, expansions, covered, known)
    candidates.sort(key=lambda candidate: candidate.span.start)
    _link_abbreviations(candidates, expansions)
    link(candidates, known)
    candidates = drop_non_actors(candidates, paragraphs, outlet)
    text_expansions = {abbr: span.text for abbr, span in expansions.items()}
    for actor, members in build_actors(candidates, known, doc_id, lexicon, text_expansions):
        actor = index.actors.setdefault(actor.id, actor)
        index.actor_spans += [(m.span.start_char, m.span.end_char, actor.id, m.span.text) for m in members]
    _surname_mentions(doc, doc_id, index)
    index.sort()
    return index


def _surname_mentions(doc: Doc, doc_id: str, index: EntityIndex) -> None:
    """Bare surnames ("Abdi warned") of persons named in full, where the model labelled nothing."""
    taken = {start for start, *_ in index.actor_spans} | {start for start, *_ in index.place_spans}
    covered = merged((start, end) for start, end, *_ in index.actor_spans + index.place_spans)
    persons = [(actor, _surnames(actor)) for actor in list(index.actors.values()) if actor.kind == "person"]
    # "al-Hassan" and "Al-Hassan" are the same surname.
    patterns = {
        surname: (first, re.compile(rf"\b[{first}]{re.escape(surname[1:])}\b"))
        for _, surnames in persons
        for surname in surnames
        if len(surname) >= SURNAME_MIN and surname[0].isalpha()
        for first in [surname[0].upper() + surname[0].lower()]
    }
    found = find_each(doc_text(doc), patterns)
    for actor, surnames in persons:
        for surname in surnames:
            for start, end in found.get(surname, []):
                if start in taken or covered.holds(start):
                    continue
                actor.mentions.append(Mention(doc_id, start, end))
                index.actor_spans.append((start, end, actor.id, surname))
                taken.add(start)


def _surnames(actor: Actor) -> set[str]:
    """The last words of a person's names of more than one word."""
    return {text.split()[-1] for text in (actor.name, *actor.aliases) if len(text.split()) > 1}


def _classify(span: Span, index: EntityIndex, known: Known, doc_id: str, lexicon: RoleLexicon) -> Candidate | None:
    """Add a place to the index, or return an actor candidate, or drop a bad entity (None)."""
    if span.ent_id_ in known.actors:
        kind = known.actors[span.ent_id_].kind
        return Candidate(span, kind, span.ent_id_, name_words(span.text))
    if span.label_ in PLACE_LABELS or span.ent_id_ in known.places:
        add_place(index, known, span, span, doc_id)
        return None
    head = place_head(span)
    if head is not None:
        add_place(index, known, span, Span(span.doc, span.start, head[0]), doc_id, head[1])
        return None
    if span.label_ == "ORG" and is_title_fragment(span):
        return None
    if span.label_ == "PERSON" and is_bad_person(span):
        return None
    if span.label_ == "PERSON" and follows_role(span, lexicon.phrases, lexicon.longest):
        add_place(index, known, span, span, doc_id, "other")  # "the mayor of X"
        return None
    slug = known.actor_keys.get(name_key(span.text))
    if slug is None and name_key(span.text) in known.place_keys:
        add_place(index, known, span, span, doc_id)
        return None
    kind = "person" if span.label_ == "PERSON" else "organization"
    return Candidate(span, known.actors[slug].kind if slug else kind, slug, name_words(span.text))


def _abbreviation_mentions(
    doc: Doc, expansions: dict[str, Span], covered: set[int], known: Known
) -> list[Candidate]:
    """Mentions of a defined abbreviation that the model did not label."""
    patterns = {abbreviation: (abbreviation[0], re.compile(rf"\b{re.escape(abbreviation)}\b"))
                for abbreviation in expansions}
    found_spans = find_each(doc_text(doc), patterns)
    found = []
    for abbreviation in expansions:
        for start, end in found_spans[abbreviation]:
            if start in covered:
                continue
            span = doc.char_span(start, end)
            if span is not None:
                found.append(
                    Candidate(
                        span,
                        "organization",
                        known.actor_keys.get(name_key(abbreviation)),
                        [abbreviation.lower()],
                    )
                )
    return found


def _link_abbreviations(candidates: list[Candidate], expansions: dict[str, Span]) -> None:
    """Give an abbreviation the words (and gazetteer slug) of the name it abbreviates."""
    by_start = {candidate.span.start: candidate for candidate in candidates}
    by_text: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_text.setdefault(candidate.span.text, []).append(candidate)
    for abbreviation, expansion in expansions.items():
        full = by_start.get(expansion.start)
        if full is None:
            continue
        for candidate in by_text.get(abbreviation, []):
            candidate.words = full.words
            candidate.known = candidate.known or full.known
