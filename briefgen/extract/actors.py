"""Actors: PERSON/ORG entities filtered, linked within a document, with role and affiliation.

Short forms ("al-Hassan", "Kellerman") join the nearest preceding fuller name whose
words end the same way; abbreviations in parentheses after an organization
("... Command (JOC)") become aliases of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from briefgen.config import Gazetteer
from briefgen.extract.known import Known, name_key, slugify
from briefgen.extract.lexicon import RANKS, ROLE_HEADS, TITLE_OF_HEADS, TITLE_WORDS
from briefgen.extract.merge import other_forms
from briefgen.extract.offsets import doc_text
from briefgen.extract.roles import apposition_after, duty_after, role_as, title_across_comma, title_before
from briefgen.extract.rolewords import role_words
from briefgen.extract.wordlists import word_lists
from briefgen.facts import Actor, Mention

TITLE_OF_REACH = 5  # words of a portfolio between "Minister of" and a name the model cut out of it
_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z]{1,7})\)")


@dataclass
class Candidate:
    """One PERSON or ORG mention before linking."""

    span: Span
    kind: str
    known: str | None  # gazetteer slug
    words: list[str] = field(default_factory=list)
    cluster: int = -1
    group: str | None = None  # mentions of one thing named differently: "US military", "American military"
    canonical: str | None = None  # the name to report: "United States" for "Washington"
    affiliation: str | None = None  # a national institution's country


class RoleLexicon:
    """Role phrases as lower-case token tuples: the built-in heads plus the gazetteer's roles."""

    def __init__(self, nlp_tokenizer: Callable[[str], Doc], gazetteer: Gazetteer) -> None:
        phrases = set(ROLE_HEADS) | role_words().more_heads | {role.lower() for role in gazetteer.roles}
        self.phrases = {tuple(token.lower_ for token in nlp_tokenizer(phrase)) for phrase in phrases}
        self.longest = max((len(phrase) for phrase in self.phrases), default=1)


def core_span(span: Span) -> Span:
    """The span without a leading "the", rank words, or a trailing possessive, and carried on over name
    particles the model stopped at ("Badr [bin Hamad bin Hamood Albusaidi]")."""
    start, end = span.start, _past_particles(span)
    while start < end - 1 and (span.doc[start].lower_ == "the" or span.doc[start].lower_ in RANKS):
        start += 1
    while end > start + 1 and span.doc[end - 1].tag_ == "POS":
        end -= 1
    return Span(span.doc, start, end, label=span.label, kb_id=span.kb_id, span_id=span.id)


def _past_particles(span: Span) -> int:
    """The end of a name that goes on after `span` with a particle and a capitalised word: "bin Hamad",
    "wal-Muslimin", "ag Ghaly". A particle ends no name, so one left dangling is not taken."""
    doc, end = span.doc, span.end
    while end + 1 < len(doc) and doc[end].lower_ in name_particles() and "\n" not in doc[end - 1].whitespace_:
        after = end + 1
        if doc[after].text == "-" and after + 1 < len(doc):
            after += 1
        if not _name_word(doc[after]):
            break
        end = after + 1
        while end < len(doc) and _name_word(doc[end]) and "\n" not in doc[end - 1].whitespace_:
            end += 1  # "bin Hamood Albusaidi"
    return end


def _name_word(token: Token) -> bool:
    return token.is_title and token.is_alpha and token.ent_type_ not in ("GPE", "DATE")


@cache
def name_particles() -> frozenset[str]:
    """Particles inside names (data/names.yaml)."""
    return frozenset(str(word) for word in _names_data()["name_particles"])


@cache
def _names_data() -> dict[str, list[str]]:
    return word_lists("names")


def is_hyphen_modifier(span: Span) -> bool:
    """The name is joined by a hyphen to a lower-case word, so it modifies the noun after it rather than
    naming a place or actor of the story: "Israel-linked shipping", "al Qaeda-linked group"."""
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].text not in ("-", "‑", "–") or span[-1].whitespace_:
        return False
    word = doc[span.end + 1]
    return not doc[span.end].whitespace_ and word.is_lower and word.is_alpha


def is_title_fragment(span: Span) -> bool:
    """An ORG the model cut out of a title: "State" in "Secretary of State", "Interior Minister"."""
    doc = span.doc
    if is_rank_only(span):
        return True
    if any(token.is_upper for token in span):
        return False
    if span.end < len(doc) and doc[span.end].lower_ in ROLE_HEADS:
        # "Interior Minister": a portfolio; "Cabinet Secretary": a title; "Pentagon chief", "United Nations
        # envoy": an organization
        if f"{span.text.lower()} {doc[span.end].lower_}" in role_words().more_heads | ROLE_HEADS:
            return True
        return all(token.lower_ in TITLE_WORDS or not token.is_alpha or token.lower_ in ("affairs", "and")
                   for token in span)
    if _after_title_of(span):
        return True
    if len(span) == 1:
        return span[0].lower_ in TITLE_WORDS or span[0].pos_ != "PROPN"
    return False


def _after_title_of(span: Span) -> bool:
    """The name ends a title with "of": "Secretary of [State]", "Minister of Foreign Affairs and
    [International Cooperation]"."""
    doc, position = span.doc, span.start - 1
    while position > 0 and span.start - position <= TITLE_OF_REACH and doc[position].lower_ != "of":
        if not (doc[position].is_title or doc[position].lower_ in ("and", "&")):
            return False
        position -= 1
    return position >= 1 and doc[position].lower_ == "of" and doc[position - 1].lower_ in TITLE_OF_HEADS


def is_bad_person(span: Span) -> bool:
    """A PERSON that is a title word, lower-case text or has digits."""
    text = span.text
    if not any(char.isupper() for char in text) or any(char.isdigit() for char in text):
        return True
    return is_rank_only(span) or (len(span) == 1 and span[0].lower_ in ROLE_HEADS)


def after_article(span: Span) -> bool:
    """One word right after "the" ("in the Sahel", "the Houthis"): no person's name takes an article."""
    return len(span) == 1 and span.start > 0 and span.doc[span.start - 1].lower_ == "the"


def is_rank_only(span: Span) -> bool:
    """A name of rank abbreviations and courtesy titles alone ("Maj.", "Lt. Col."): no name at all."""
    return all(token.lower_ in RANKS or token.is_punct for token in span)


def abbreviations(doc: Doc) -> dict[str, Span]:
    """Abbreviation -> the ORG entity it follows in parentheses: "Syrian Democratic Forces (SDF)"."""
    found: dict[str, Span] = {}
    text = doc_text(doc)
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        match = _ABBREVIATION.match(text, ent.end_char)
        if match and match.group(1).isupper() and match.group(1) != ent.text:
            found.setdefault(match.group(1), core_span(ent))
    return found


def name_words(text: str) -> list[str]:
    """The comparable words of a name: "Omar al-Hassan" -> ["omar", "hassan"]."""
    return [word for word in name_key(text).split("-") if word]


def _is_subsequence(short: list[str], full: list[str]) -> bool:
    iterator = iter(full)
    return all(word in iterator for word in short)


def link(candidates: list[Candidate], known: Known) -> None:
    """Give each candidate a cluster number; short forms join the nearest fuller preceding name."""
    clusters: list[list[str]] = []  # fullest words per cluster
    by_known: dict[str, int] = {}
    earlier = _EarlierNames()
    for candidate in candidates:
        key = candidate.known or (f"group:{candidate.group}" if candidate.group else None)
        same = by_known.get(key) if key else None
        if same is not None:
            candidate.cluster = same
            earlier.add(candidate)
            continue
        candidate.cluster = _match(candidate, earlier.holding(candidate.words))
        if candidate.cluster < 0:
            clusters.append(candidate.words)
            candidate.cluster = len(clusters) - 1
        elif len(candidate.words) > len(clusters[candidate.cluster]):
            clusters[candidate.cluster] = candidate.words
        if key:
            by_known[key] = candidate.cluster
        earlier.add(candidate)


class _EarlierNames:
    """The names linked so far, by each of their words, so that a name is compared only with those
    it can join (which hold all its words), not with every earlier one.

    Each word keeps one entry per distinct (words, kind): the latest candidate with them, in the
    order of their latest mentions. Read newest first, the first entry that matches is the nearest
    earlier candidate that matches, since whether one matches depends on its words and kind only.
    """

    def __init__(self) -> None:
        self.by_word: dict[str, dict[tuple[tuple[str, ...], str], Candidate]] = {}

    def add(self, candidate: Candidate) -> None:
        """Record a linked candidate as the latest with its words and kind."""
        key = (tuple(candidate.words), candidate.kind)
        for word in dict.fromkeys(candidate.words):
            entries = self.by_word.setdefault(word, {})
            entries.pop(key, None)
            entries[key] = candidate

    def holding(self, words: list[str]) -> list[Candidate]:
        """Earlier names that hold every one of `words` (and some that do not), oldest first."""
        if not words:
            return []
        return list(min((self.by_word.get(word, {}) for word in words), key=len).values())


def _match(candidate: Candidate, before: list[Candidate]) -> int:
    """The cluster of the nearest preceding same-kind name that this name equals or shortens (`before`:
    earlier names, oldest first)."""
    words = candidate.words
    if not words:
        return -1
    for other in reversed(before):
        full = other.words
        # The model often labels a bare surname ORG; it still shortens a person's name.
        mislabelled = candidate.known is None and other.kind == "person" and len(words) < len(full)
        if other.kind != candidate.kind and not mislabelled:
            continue
        if full == words or (
            len(full) > len(words) and full[-1] == words[-1] and _is_subsequence(words, full)
        ):
            return other.cluster
    return -1


def build_actors(
    candidates: list[Candidate], known: Known, doc_id: str, lexicon: RoleLexicon, expansions: dict[str, str]
) -> list[tuple[Actor, list[Candidate]]]:
    """Turn linked candidates into Actors (one per cluster) with role, affiliation and mentions."""
    groups: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.cluster, []).append(candidate)
    actors = []
    for members in groups.values():
        actors.append((_actor(members, known, doc_id, lexicon, expansions), members))
    return actors


def _actor(
    members: list[Candidate], known: Known, doc_id: str, lexicon: RoleLexicon, expansions: dict[str, str]
) -> Actor:
    slug = next((member.known for member in members if member.known), None)
    texts = list(dict.fromkeys(member.span.text for member in members))
    entry = known.actors.get(slug) if slug else None
    canonical = next((member.canonical for member in members if member.canonical), None)
    name = entry.name if entry else canonical or max(texts, key=lambda text: (len(text.split()), len(text)))
    kind = entry.kind if entry else members[0].kind
    actor = Actor(
        id=slug or slugify(name),
        name=name,
        kind=kind,  # type: ignore[arg-type]
        aliases=other_forms(name, texts),
        mentions=[Mention(doc_id, m.span.start_char, m.span.end_char) for m in members],
    )
    if kind == "person":
        for member in members:
            role, affiliation = None, None
            for reader in (apposition_after, title_before, title_across_comma, role_as, duty_after):
                role, affiliation = reader(member.span, lexicon.phrases, lexicon.longest)
                if role:
                    break
            if role:
                actor.role, actor.affiliation = role, _expand(affiliation, known, expansions)
                break
    if entry is not None:
        actor.role = actor.role or entry.role
        actor.affiliation = actor.affiliation or entry.affiliation
    actor.affiliation = actor.affiliation or next((m.affiliation for m in members if m.affiliation), None)
    return actor


def _expand(affiliation: str | None, known: Known, expansions: dict[str, str]) -> str | None:
    """An abbreviated or gazetteer-known affiliation in its full form."""
    if affiliation is None:
        return None
    affiliation = expansions.get(affiliation, affiliation)
    slug = known.actor_keys.get(name_key(affiliation))
    if slug and len(affiliation.split()) == 1:
        return known.actors[slug].name
    return affiliation
