"""Incidents: events of a violent or strategic kind coded like ACLED records.

An event (briefgen_events) of one of the kinds data/incidents.yaml lists, and not planned, becomes an
incident when a rule of that file (or its kind's default) gives it an ACLED event type and sub-event
type, decided by cue words in its clause. Its parts are read from what the earlier components wrote:
- actor1 is the actor named in the clause's subject (or in the "by" agent of a passive clause), actor2
  the first other actor the clause names;
- the place is the most specific one named in the clause (else in the sentence), with its coordinates;
  geo precision 1 for the place itself, 2 when the words before it put the incident near it ("near X",
  "outside X"), 3 when it is a region or a country;
- the date and its precision are the event's;
- fatalities and injured are the figures of the sentence whose outcome is death or wounds
  (data/quantities.yaml), summed when there are several, as reported bounds (never averaged): "at
  least 3" gives low 3 and no high. A figure inside another incident's clause is that incident's.
One sentence gives at most one incident of each sub-event type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field
from spacy.tokens import Doc, Span, Token

from briefgen.extract.index import EntityIndex
from briefgen.extract.paragraphs import sentence_of
from briefgen.extract.quantities import outcome
from briefgen.extract.wordlists import WordLists, Words, load_words
from briefgen.facts import Event, Incident, Quantity

_NAME_TYPES = frozenset({"ORG", "PERSON", "FAC", "GPE", "LOC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
_SUBJECTS = frozenset({"nsubj", "csubj"})
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
_LOOKBACK_CHARS = 40  # how far before a place's name its "near" words are looked for


class Rule(BaseModel):
    """One typing rule of data/incidents.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    event_type: str
    sub_event_type: str
    words: Words
    with_words: Words = Field(default=frozenset(), alias="with")
    without: Words = frozenset()
    kinds: Words = frozenset()


class _Data(WordLists):
    """data/incidents.yaml."""

    kinds: Words
    reporting_kinds: Words
    rules: tuple[Rule, ...]
    defaults: dict[str, tuple[str, str]]
    near_words: Words
    filler_words: Words
    specificity: tuple[str, ...]
    region_kinds: Words
    fatality_outcomes: Words
    injury_outcomes: Words


@cache
def incident_data() -> _Data:
    """The incident rules and word lists of data/incidents.yaml, loaded once."""
    return load_words("incidents", _Data)


@dataclass(frozen=True)
class _Typed:
    event_type: str
    sub_event_type: str
    cue: str | None


def extract_incidents(doc: Doc, doc_id: str, events: Sequence[Event], quantities: Sequence[Quantity],
                      index: EntityIndex) -> list[Incident]:
    """The incidents of a Doc, from the events and figures earlier components found on it."""
    found: list[tuple[Event, Span, _Typed]] = []
    for event in events:
        clause = doc.char_span(event.start, event.end, alignment_mode="expand")
        if event.planned or clause is None or not len(clause):
            continue
        told = _told(event, clause)
        typed = type_of(told[1], told[0]) if told is not None else None
        if told is not None and typed is not None:
            found.append((event, told[1], typed))
    incidents: list[Incident] = []
    seen: set[tuple[int, str]] = set()
    for event, clause, typed in found:
        sentence = sentence_of(clause)
        if (sentence.start_char, typed.sub_event_type) in seen:
            continue
        seen.add((sentence.start_char, typed.sub_event_type))
        others = [other for other_event, other, _ in found if other_event is not event]
        incidents.append(_incident(doc_id, event, clause, sentence, typed, index,
                                   _figures(doc, quantities, clause, sentence, others)))
    return incidents


def _told(event: Event, clause: Span) -> tuple[str, Span] | None:
    """The kind and clause of the incident an event tells: its own, or for a report ("officials said
    that ...") those of the first incident cue in what it reports; None when it tells no incident."""
    data = incident_data()
    if event.kind in data.kinds:
        return event.kind, clause
    if event.kind not in data.reporting_kinds:
        return None
    for token in clause:
        kind = token._.event_cue
        if kind in data.kinds and token.ent_type_ not in _NAME_TYPES:
            verb = token if token.pos_ in ("VERB", "AUX") else token.head
            told = _subtree(verb)
            if clause.start <= told.start and told.end <= clause.end:
                return kind, told
    return None


def type_of(clause: Span, kind: str) -> _Typed | None:
    """The ACLED type the clause's cue words give an event of this kind (None: not an incident)."""
    data = incident_data()
    everything = _forms(list(clause))
    words = _forms([token for token in clause if token.ent_type_ not in _NAME_TYPES])  # "Joint Strike Force"
    for rule in data.rules:
        if rule.kinds and kind not in rule.kinds:
            continue
        cue = _first_match(words, rule.words)
        if cue is not None and _holds(everything, rule):
            return _Typed(rule.event_type, rule.sub_event_type, cue)
    if kind in data.defaults:
        event_type, sub_event_type = data.defaults[kind]
        return _Typed(event_type, sub_event_type, None)
    return None


# Each token as (lower case, lemma in lower case, text): read once per clause, not once per rule and phrase.
_Form = tuple[str, str, str]


def _forms(tokens: list[Token]) -> list[_Form]:
    return [(token.lower_, token.lemma_.lower(), token.text) for token in tokens]


def _holds(forms: list[_Form], rule: Rule) -> bool:
    """Whether the clause has one of the rule's `with` words (when it has any) and none of its `without`."""
    if rule.with_words and _first_match(forms, rule.with_words) is None:
        return False
    return not rule.without or _first_match(forms, rule.without) is None


def _first_match(forms: list[_Form], phrases: frozenset[str]) -> str | None:
    """The earliest of the phrases found among consecutive tokens (by lemma or as written), as written; the
    longest where several start at the same token."""
    by_first = _by_first_word(phrases)
    for position, (lower, lemma, _text) in enumerate(forms):
        candidates = by_first.get(lower, ()) + (by_first.get(lemma, ()) if lemma != lower else ())
        for parts in sorted(candidates, key=len, reverse=True):
            window = forms[position : position + len(parts)]
            if len(window) == len(parts) and all(part in form[:2] for form, part in zip(window, parts, strict=True)):
                return " ".join(form[2] for form in window)
    return None


@cache
def _by_first_word(phrases: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases as word tuples, by their first word."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        parts = _parts(phrase)
        if parts:
            found.setdefault(parts[0], []).append(parts)
    return {first: tuple(sorted(group)) for first, group in found.items()}


@cache
def _parts(phrase: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+|[^\w\s]", phrase.lower()))


def _incident(doc_id: str, event: Event, clause: Span, sentence: Span, typed: _Typed, index: EntityIndex,
              figures: dict[str, tuple[int | None, int | None]]) -> Incident:
    actor1, actor2 = actors_of(clause, index)
    dead = figures.get("dead", (None, None))
    wounded = figures.get("wounded", (None, None))
    incident = Incident(
        id=f"inc-{event.id.removeprefix('ev-')}", doc=doc_id, start=sentence.start_char, end=sentence.end_char,
        event=event.id, event_type=typed.event_type, sub_event_type=typed.sub_event_type,
        event_date=event.date, time_precision=event.precision, actor1=actor1, actor2=actor2,
        fatalities_low=dead[0], fatalities_high=dead[1], injured_low=wounded[0], injured_high=wounded[1],
        cue=typed.cue,
    )
    _place(incident, clause.doc.text, index, clause, sentence)
    return incident


def actors_of(clause: Span, index: EntityIndex) -> tuple[str | None, str | None]:
    """The agent (named in the clause's subject or passive agent) and the first other actor named."""
    named = index.actors_in(clause.start_char, clause.end_char)
    agent = _agent(clause)
    actor1 = None
    if agent is not None:
        inside = index.actors_in(agent.start_char, agent.end_char)
        actor1 = inside[0] if inside else None
    others = [actor for actor in named if actor != actor1]
    return actor1, (others[0] if others else None)


def _agent(clause: Span) -> Span | None:
    """The words naming who acts: the clause verb's subject, or the "by" phrase of a passive verb."""
    verb = clause.root
    if verb.pos_ in ("NOUN", "PROPN") and any(child.dep_ == "acl" and child.i > verb.i for child in verb.children):
        return clause.doc[verb.left_edge.i : verb.i + 1]  # "The coalition handed ..." parsed as a noun phrase
    for child in verb.children:
        if child.dep_ == "agent":
            return _subtree(child)
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return _subtree(child)
    if any(child.dep_ in _PASSIVE_SUBJECTS for child in verb.children):
        return None
    head = verb.head
    if head.i != verb.i and verb.dep_ in ("conj", "advcl", "xcomp") and clause.start <= head.i < clause.end:
        return next((_subtree(child) for child in head.children if child.dep_ in _SUBJECTS), None)
    return None


def _subtree(token: Token) -> Span:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def _place(incident: Incident, text: str, index: EntityIndex, clause: Span, sentence: Span) -> None:
    """Set the incident's place: the most specific named in the clause, else in the sentence."""
    mentions = _place_mentions(index, clause) or _place_mentions(index, sentence)
    if not mentions:
        return
    data = incident_data()
    rank = {kind: position for position, kind in enumerate(data.specificity)}
    start, _, place_id, _ = min(mentions, key=lambda mention: rank.get(index.places[mention[2]].kind, len(rank)))
    place = index.places[place_id]
    incident.location, incident.location_name = place.id, place.name
    incident.latitude, incident.longitude = place.lat, place.lon
    if place.kind in data.region_kinds:
        incident.geo_precision = 3
    else:
        incident.geo_precision = 2 if _near(text, start) else 1


def _place_mentions(index: EntityIndex, span: Span) -> list[tuple[int, int, str, str]]:
    return [mention for mention in index.place_spans
            if span.start_char <= mention[0] and mention[1] <= span.end_char and mention[2] in index.places]


def _near(text: str, start: int) -> bool:
    """Whether the words just before a place's name put the incident near it rather than in it ("near X",
    "east of the city of X")."""
    data = incident_data()
    words = re.findall(r"[\w-]+", text[max(start - _LOOKBACK_CHARS, 0) : start].lower())
    while words:
        before = " ".join(words)
        if any(before == phrase or before.endswith(" " + phrase) for phrase in data.near_words):
            return True
        if words[-1] not in data.filler_words:
            return False
        words.pop()
    return False


def _figures(doc: Doc, quantities: Sequence[Quantity], clause: Span, sentence: Span,
             other_clauses: Sequence[Span]) -> dict[str, tuple[int | None, int | None]]:
    """Dead and wounded of the sentence (figures in another incident's clause excepted), as bounds."""
    data = incident_data()
    by_outcome: dict[str, list[Quantity]] = {}
    for quantity in quantities:
        if not sentence.start_char <= quantity.start < sentence.end_char or quantity.unit is not None:
            continue
        if not clause.start_char <= quantity.start < clause.end_char and any(
                other.start_char <= quantity.start < other.end_char for other in other_clauses):
            continue
        span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
        said = outcome(span) if span is not None and len(span) else None
        name = "dead" if said in data.fatality_outcomes else "wounded" if said in data.injury_outcomes else None
        if name is not None:
            by_outcome.setdefault(name, []).append(quantity)
    return {name: toll(figures) for name, figures in by_outcome.items()}


def toll(figures: Sequence[Quantity]) -> tuple[int | None, int | None]:
    """The low and high bounds of figures added up: a lower bound ("at least 3") has no high, an upper
    bound ("up to 10") no low."""
    lows = [None if figure.bound == "upper" else int(figure.low) for figure in figures]
    highs = [None if figure.bound == "lower" else int(figure.high) for figure in figures]
    low = None if None in lows else sum(value for value in lows if value is not None)
    high = None if None in highs else sum(value for value in highs if value is not None)
    return low, high
