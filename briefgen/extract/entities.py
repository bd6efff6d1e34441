"""One pass over a parsed document's entities: actor candidates and place mentions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from spacy.tokens import Doc, Span, Token

from briefgen.extract import worldspans
from briefgen.extract.actors import (
    Candidate,
    RoleLexicon,
    abbreviations,
    after_article,
    build_actors,
    core_span,
    is_bad_person,
    is_hyphen_modifier,
    is_title_fragment,
    link,
    name_words,
)
from briefgen.extract.index import EntityIndex
from briefgen.extract.known import Known, name_key
from briefgen.extract.lexicon import LOCATIVE_PREPOSITIONS, PLACE_NOUNS, RANKS
from briefgen.extract.nonactors import drop_non_actors, is_media_name
from briefgen.extract.offsets import Intervals, doc_text, find_each, merged
from briefgen.extract.paragraphs import Paragraphs
from briefgen.extract.places import (
    add_dateline_places,
    add_place,
    add_place_mention,
    ends_with_place_head,
    place_head,
    without_place_head,
)
from briefgen.extract.roles import follows_role, title_before
from briefgen.extract.world import find_town, world
from briefgen.facts import Actor, Location, Mention

ACTOR_LABELS = {"PERSON", "ORG"}
SURNAME_MIN = 4
MAX_GIVEN_NAMES = 2  # words a title and a name may have between them that belong to the name
PLACE_LABELS = {"GPE", "LOC", "FAC"}
LIST_PASSES = 4  # a list of places resolves in one or two passes; a bound keeps a hostile list linear
REGION_TITLES = {"region", "province", "state", "governorate", "district", "territory"}


def index_entities(
    doc: Doc, doc_id: str, known: Known, paragraphs: Paragraphs, lexicon: RoleLexicon, outlet: str | None = None,
    url: str | None = None, theatre: frozenset[str] = frozenset(),
) -> EntityIndex:
    """Collect the actors and places of one document (never its outlet, bylines or labels). Towns are
    looked up in the countries it names and in the `theatre`'s (ISO codes)."""
    index = EntityIndex(countries=document_countries(doc) | theatre)
    expansions = abbreviations(doc)
    candidates: list[Candidate] = []
    covered: set[int] = set()
    taken_until = 0  # a name carried on over particles takes the entities after it
    for ent in _entities(doc, lexicon):
        if (ent.label_ == "WORK_OF_ART" and is_media_name(ent)) or (ent.label_ in PLACE_LABELS and _has_digits(ent)):
            ent = Span(doc, ent.start, ent.end, label="ORG")  # "The Riverside Courier", "Channel4": no places
        if ent.label_ not in ACTOR_LABELS | PLACE_LABELS or "\n" in ent.text or ent.start < taken_until:
            continue
        if is_hyphen_modifier(ent):
            continue
        span = core_span(ent)
        taken_until = span.end
        span = _with_country_named(span)
        if not span.ent_id_ and paragraphs.is_heading(span.start_char):
            continue
        candidate = _classify(span, index, known, doc_id, lexicon)
        if candidate is not None:
            candidates.append(candidate)
            covered.add(span.start_char)
    add_dateline_places(doc, index, known, doc_id)
    candidates = _places_taken_for_actors(doc, candidates, index, known, doc_id)
    candidates = [candidate for candidate in candidates if not _article_person(candidate)]
    candidates += _abbreviation_mentions(doc, expansions, covered, known)
    candidates += _outlet_mentions(doc, outlet, covered)
    candidates.sort(key=lambda candidate: candidate.span.start)
    _link_abbreviations(candidates, expansions)
    link(candidates, known)
    candidates = drop_non_actors(candidates, paragraphs, outlet, url)
    text_expansions = {abbr: span.text for abbr, span in expansions.items()}
    for actor, members in build_actors(candidates, known, doc_id, lexicon, text_expansions):
        actor = index.actors.setdefault(actor.id, actor)
        index.actor_spans += [(m.span.start_char, m.span.end_char, actor.id, m.span.text) for m in members]
    _surname_mentions(doc, doc_id, index)
    index.sort()
    return index


def _entities(doc: Doc, lexicon: RoleLexicon) -> Iterator[Span]:
    """The model's entities, with a name it split in two joined again ("Sayyid Badr" + "bin Hamad X")
    and a name it took for an organization right after a person's title read as a person's
    ("UN envoy Jean-Marc Dupont", "MINUSMA head El-Ghassim Wane")."""
    ents = list(doc.ents)
    position = 0
    while position < len(ents):
        ent = ents[position]
        while position + 1 < len(ents) and ent.label_ == ents[position + 1].label_ == "PERSON" \
                and ents[position + 1].start == ent.end and not ent.ent_id_ and not ents[position + 1].ent_id_:
            position += 1
            ent = Span(doc, ent.start, ents[position].end, label="PERSON")
        if ent.label_ == "ORG" and _titled_name(ent, lexicon):
            ent = Span(doc, ent.start, ent.end, label="PERSON")
        if ent.label_ == "PERSON" and not ent.ent_id_:
            ent = _with_given_name(ent, lexicon)
        yield ent
        position += 1


def _with_given_name(span: Span, lexicon: RoleLexicon) -> Span:
    """A person's name with the given name the model left out between a title and the rest
    ("President Mahamat [Idriss Deby]"): one or two capitalised words of no entity, after a title."""
    doc, start = span.doc, span.start
    while start > max(span.start - MAX_GIVEN_NAMES, 0) and _bare_name_word(doc[start - 1], lexicon):
        start -= 1
    if start == span.start:
        return span
    wider = Span(doc, start, span.end, label="PERSON")
    return wider if title_before(wider, lexicon.phrases, lexicon.longest)[0] is not None else span


def _bare_name_word(token: Token, lexicon: RoleLexicon) -> bool:
    return (
        token.pos_ == "PROPN" and token.is_title and not token.ent_type_
        and token.lower_ not in RANKS and (token.lower_,) not in lexicon.phrases
    )


def _titled_name(span: Span, lexicon: RoleLexicon) -> bool:
    """An ORG that is a person's name: two or more capitalised words, no abbreviation, nothing the
    gazetteer or world data knows, right after a person's title."""
    if span.ent_id_ or span.kb_id_ or len(span) < 2:
        return False
    if not all((token.pos_ == "PROPN" and not token.is_upper) or token.tag_ == "HYPH" for token in span):
        return False
    return title_before(span, lexicon.phrases, lexicon.longest)[0] is not None


def document_countries(doc: Doc) -> set[str]:
    """ISO codes of the countries a document names (by name, capital or demonym)."""
    countries = (world().country(span._.country) for span in doc.spans.get(worldspans.SPANS_KEY, [])
                 if span._.country)
    return {country.iso2 for country in countries if country is not None}


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
    if span.label_ == "GPE" and span.kb_id_ and not span.ent_id_:
        return _country_or_capital(span, index, known, doc_id)
    if span.label_ in PLACE_LABELS or span.ent_id_ in known.places:
        if world().of_demonym(span.text) and not world().country(span.text):
            return None  # "Emirati", "Somali": an adjective names no place
        head = place_head(span)
        if head is None:
            add_place(index, known, span, span, doc_id)
        else:  # "Anbar province": the head word belongs to the mention
            add_place(index, known, span, Span(span.doc, span.start, head[0]), doc_id, head[1])
        inner = _country_inside(span)
        if inner is not None:  # "northeast Syria" names Syria too
            add_place(index, known, inner, inner, doc_id)
        return None
    named_kind = ends_with_place_head(span)
    if named_kind is not None and not span.kb_id_:  # "Ain al-Asad Airbase", "Sambisa Forest"
        add_place(index, known, without_place_head(span), span, doc_id, named_kind)
        return None
    head = place_head(span)
    if head is not None:
        add_place(index, known, span, Span(span.doc, span.start, head[0]), doc_id, head[1])
        return None
    if span.label_ == "ORG" and span.kb_id_:  # a national institution: "the Iraqi army"
        if modifies_noun(span):
            return None  # "Iraqi military officials", "US military presence": a description, not an actor
        return Candidate(span, "organization", None, name_words(span.text), group=_institution_group(span),
                         affiliation=span.kb_id_)
    if span.label_ == "ORG" and worldspans.world_label(span) == "COALITION":  # the gazetteer's, if it names one
        return Candidate(span, "organization", known.actor_keys.get(name_key(span.text)), name_words(span.text))
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
    if slug is None and _is_town(span, index):
        add_place(index, known, span, span, doc_id)
        return None
    kind = "person" if span.label_ == "PERSON" else "organization"
    return Candidate(span, known.actors[slug].kind if slug else kind, slug, name_words(span.text))


def _places_taken_for_actors(
    doc: Doc, candidates: list[Candidate], index: EntityIndex, known: Known, doc_id: str
) -> list[Candidate]:
    """Names the model took for persons or organizations, or left unlabelled, that the document shows to be
    places: the name of a place found elsewhere in it ("Ain al-Assad" beside "Ain al-Assad military base"),
    or a town of a country it names that is listed with places ("Kidal and Menaka", "Diyala and Salahuddin
    provinces") or stands alone where no person of that name was introduced. Lists are followed again
    while that finds more (one place found can show its neighbour to be one), a few passes at most."""
    surnames = {ent[-1].lower_ for ent in _person_spans(candidates) if len(ent) > 1}
    for _ in range(LIST_PASSES):
        place_names = {key for place in index.places.values() for key in _place_keys(place)}
        covered = merged((start, end) for start, end, *_ in index.place_spans)
        place_ends: dict[int, str] = {}
        for _, end, place_id, _ in index.place_spans:  # "northeast Syria", not the "Syria" inside it
            place_ends.setdefault(end, place_id)
        kept = []
        for candidate in candidates:
            other_name_of = _place_before_parenthesis(candidate.span, place_ends)
            if other_name_of is not None:  # "northeast Syria (Rojava)"
                add_place_mention(index, other_name_of, candidate.span, doc_id)
            elif _is_place_name(candidate, index, place_names, covered, surnames):
                add_place(index, known, candidate.span, candidate.span, doc_id)
            else:
                kept.append(candidate)
        changed = len(kept) < len(candidates) or _unlabelled_towns(doc, index, known, doc_id, covered, kept)
        candidates = kept
        if not changed:
            break
    return candidates


def _article_person(candidate: Candidate) -> bool:
    """A "person" of one word after "the" that no place took ("in the Sahel"): no person's name takes an
    article ("the UK" tagged PERSON is still the country)."""
    span = candidate.span
    return (candidate.kind == "person" and candidate.known is None and span.label_ == "PERSON"
            and after_article(span) and world().country(span.text) is None)


def _person_spans(candidates: list[Candidate]) -> list[Span]:
    """The spans of the person candidates."""
    return [candidate.span for candidate in candidates if candidate.kind == "person"]


def _is_place_name(candidate: Candidate, index: EntityIndex, place_names: set[str], covered: Intervals,
                   surnames: set[str]) -> bool:
    span = candidate.span
    if candidate.known or candidate.group or span.label_ not in ("PERSON", "ORG"):
        return False
    if name_key(span.text) in place_names:
        return True
    if not _town_of_document(span, index):
        return False
    if len(span) > 1 and span[-1].lower_ in REGION_TITLES and span[-1].is_title:
        return True  # "Borno State", "Cabo Delgado Province": a region by its own title
    return _listed_with_place(span, covered) or (
        len(span) == 1 and span.label_ == "PERSON" and span[0].lower_ not in surnames
        and span.root.dep_ in ("pobj", "conj", "appos"))


def _unlabelled_towns(doc: Doc, index: EntityIndex, known: Known, doc_id: str, covered: Intervals,
                      candidates: list[Candidate]) -> bool:
    """Add towns of the document's countries that the model left unlabelled (or took for a nationality)
    where they are listed with places: "the cities of Timbuktu, Gao and Bamako"."""
    taken = merged([(c.span.start_char, c.span.end_char) for c in candidates]
                   + [(start, end) for start, end, *_ in index.place_spans])
    added = False
    for token in doc:
        if token.dep_ != "conj" or (token.pos_ != "PROPN" and token.head.pos_ != "PROPN"):
            continue
        for this, other in ((token, token.head), (token.head, token)):
            if this.pos_ != "PROPN" or taken.holds(this.idx) or not covered.holds(other.idx):
                continue
            name = _name_ending_at(this)
            if name.label_ in ("", "NORP") and _town_of_document(name, index) and not world().of_demonym(name.text):
                add_place(index, known, name, name, doc_id)
                added = True
    return added


def _name_ending_at(token: Token) -> Span:
    """The proper name a token ends: its entity when one ends there, else the token with the compound
    proper nouns before it."""
    doc = token.doc
    start = token.i
    if token.ent_type_:
        while doc[start].ent_iob_ == "I":
            start -= 1
        if token.i + 1 == len(doc) or doc[token.i + 1].ent_iob_ != "I":
            return Span(doc, start, token.i + 1, label=token.ent_type_)
        start = token.i
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
        start -= 1
    return doc[start : token.i + 1]


def _place_before_parenthesis(span: Span, place_ends: dict[int, str]) -> str | None:
    """The id of the place a name in parentheses right after it names again: "northeast Syria (Rojava)"."""
    doc = span.doc
    if span.start < 2 or span.end >= len(doc) or doc[span.start - 1].text != "(" or doc[span.end].text != ")":
        return None
    credit = span.end + 1 < len(doc) and _dash_after(doc[span.end + 1])
    if span.label_ == "ORG" and (span.text.isupper() or is_media_name(span) or credit):
        return None  # "(AMISOM)" abbreviates an organization, "MOGADISHU (Reuters) -" credits an outlet
    before = doc[span.start - 2]
    return place_ends.get(before.idx + len(before.text))


def _dash_after(token: Token) -> bool:
    return token.text in ("-", "–", "—", "--")


def _place_keys(place: Location) -> set[str]:
    return {place.id, name_key(place.name)} | {name_key(alias) for alias in place.aliases}


def _listed_with_place(span: Span, places: Intervals) -> bool:
    """The name is a conjunct of a place ("Ber, Goundam and Menaka")."""
    root = span.root
    neighbours = [child for child in root.children if child.dep_ == "conj"]
    if root.dep_ == "conj":
        neighbours.append(root.head)
    return any(places.holds(token.idx) for token in neighbours)


def _town_of_document(span: Span, index: EntityIndex) -> bool:
    """A town or first-level region of a country the document names ("Borno State" as Borno)."""
    town = find_town(span.text, index.countries)
    if town is not None and town.iso2 in index.countries:
        return True
    country = world().of_region(span.text)
    return country is not None and country.iso2 in index.countries


def _with_country_named(span: Span) -> Span:
    """A region named with its country: "the Kurdistan Region [of Iraq]", "the Somali Region [of Ethiopia]"."""
    doc = span.doc
    if (span.label_ not in ("GPE", "LOC") or not span[-1].is_title or span[-1].lower_ not in REGION_TITLES
            or span.end + 1 >= len(doc) or doc[span.end].lower_ != "of"):
        return span
    country = next((inner for inner in worldspans.world_spans_at(doc, span.end + 1) if inner.label_ == "COUNTRY"),
                   None)
    if country is None:
        return span
    return Span(doc, span.start, country.end, label=span.label_)


def _has_digits(span: Span) -> bool:
    """A name with a digit fused into a word ("Kurdistan24", "Channel4") names an organization, never a place."""
    return any(token.is_alpha is False and any(char.isdigit() for char in token.text)
               and any(char.isalpha() for char in token.text) for token in span)


def _country_inside(span: Span) -> Span | None:
    """The country at the end of a compass region the world component found ("northeast [Syria]")."""
    if span.label_ != "LOC" or not span.kb_id_:
        return None
    return next((inner for start in range(span.start + 1, span.end)
                 for inner in worldspans.world_spans_at(span.doc, start)
                 if inner.label_ == "COUNTRY" and inner.end == span.end), None)


def _country_or_capital(span: Span, index: EntityIndex, known: Known, doc_id: str) -> Candidate | None:
    """A country or capital is a place where it is named as a noun, and also an actor where it acts:
    "Niger ordered ...", "Washington and Baghdad agreed ..." (as the country, the capital an alias)."""
    if is_adjectival(span):
        return None  # "U.S. troops": an adjective names no place
    add_place(index, known, span, span, doc_id)
    if not acts(span):
        return None
    country = world().country(span.text) or world().of_capital(span.text)
    name = country.name if country else span.text
    return Candidate(span, "organization", None, name_words(name), group=f"country:{name}", canonical=name)


def is_adjectival(span: Span) -> bool:
    """An abbreviated name used as a modifier of the noun after it: "U.S. troops", "UK strikes"."""
    return not any(char.islower() for char in span.text) and modifies_noun(span)


def modifies_noun(span: Span) -> bool:
    """The name modifies a noun after it: "[US military] presence", "[Syrian Military] Expert", "the
    French and [UN] missions"."""
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head
    return root.dep_ in ("compound", "amod", "nmod") and root.head.i >= span.end and root.head.pos_ in (
        "NOUN", "PROPN")


def acts(span: Span) -> bool:
    """A state takes part in what the sentence says unless it is only where something is: the object of a
    place preposition ("in Iraq", "from Niger") unless it gives what the noun before names ("support from
    Chad"), of "of" unless after a body it acts through ("the army of Chad"), a place's possessor ("Iraq's
    Anbar province"), the subject of "be", or a heading word."""
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ == "pobj":
        preposition, words = token.head, worldspans.vocabulary()
        if preposition.head.lower_ in words.state_action_nouns:  # "with support from Australia"
            return True
        if preposition.lower_ == "of":  # "the governments of the United States and Iraq"
            return preposition.head.lower_ in words.state_bodies
        return preposition.lower_ not in LOCATIVE_PREPOSITIONS
    if token.dep_ in ("poss", "compound", "nmod"):
        return token.head.lower_ not in PLACE_NOUNS
    if token.dep_ in ("nsubj", "nsubjpass"):
        return token.head.lemma_ != "be"
    return token.dep_ in ("dobj", "dative", "agent", "appos", "ROOT") and token.pos_ == "PROPN"


def _institution_group(span: Span) -> str:
    """Mentions of one national institution share a group: "US military", "U.S. military", "American military"."""
    words = [token.lower_ for token in span if token.lower_ in _institution_words()]
    return f"institution:{span.kb_id_}:{' '.join(words) or span[-1].lower_}"


@cache
def _institution_words() -> frozenset[str]:
    vocabulary = worldspans.vocabulary()
    return frozenset(word for head in vocabulary.institution_heads for word in head) | vocabulary.institution_modifiers


def _is_town(span: Span, index: EntityIndex) -> bool:
    """A name the model took for a person or organization that is a town of a country the document
    names, standing where places stand ("bases near Goundam and Menaka")."""
    if span.label_ not in ("ORG", "PERSON") or len(span) > 4:
        return False
    return _town_of_document(span, index) and is_locative(span)


def is_locative(span: Span) -> bool:
    """The name is the object of a place preposition ("in", "near", "from" ...), or a conjunct of one."""
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ != "pobj":
        return False
    preposition = token.head
    return preposition.lower_ in LOCATIVE_PREPOSITIONS or (
        preposition.lower_ == "of" and preposition.head.lower_ in PLACE_NOUNS | {"base", "bases"})


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


def _outlet_mentions(doc: Doc, outlet: str | None, covered: set[int]) -> list[Candidate]:
    """Mentions of the source's own outlet that the model did not label ("spoke to the Harbor Ledger"):
    kept as actors only where the story cites it (see nonactors)."""
    if not outlet or not outlet.strip():
        return []
    name = outlet.strip()
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    found = find_each(doc_text(doc), {name: (name[0], pattern)})[name]
    spans = (doc.char_span(start, end) for start, end in found if start not in covered)
    return [Candidate(span, "organization", None, name_words(span.text)) for span in spans if span is not None]


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
