"""Incidents: events of a violent or strategic kind coded like ACLED records.

An event (briefgen_events) of one of the kinds data/incidents.yaml lists, and not planned, becomes an
incident when a rule of that file (or its kind's default) gives it an ACLED event type and sub-event
type, decided by cue words in its clause. Its parts are read from what the earlier components wrote:
- actor1 is the actor named in the clause's subject (or in the "by" agent of a passive clause), actor2
  the first other actor the clause names;
- the place is the most specific one named in the clause (else in the sentence), with its coordinates;
  geo precision 1 for the place itself, 2 when the words before it put the incident near it ("near X",
  "outside X"), 3 when it is a region or a country;
- the date and its precision are the event's. A sentence that names no date but tells, in the simple past
  and as news ("Iraqi aircraft hit eight hideouts", "the security service detained a commander"), an
  incident of a kind data/incidents.yaml lists in `undated_kinds` is dated as its source was published,
  to the month: what a report tells without a date happened shortly before it;
- fatalities and injured are the figures of the sentence whose outcome is death or wounds
  (data/quantities.yaml), summed when there are several, as reported bounds (never averaged): "at
  least 3" gives low 3 and no high. A figure inside another incident's clause is that incident's.
One sentence gives at most one incident of each sub-event type.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field
from spacy.tokens import Doc, Span, Token

from briefgen.extract.datelines import is_dateline
from briefgen.extract.index import EntityIndex
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import sentence_of
from briefgen.extract.quantities import outcome
from briefgen.extract.wordlists import WordLists, Words, load_words
from briefgen.facts import Event, Incident, Quantity

_NAME_TYPES = frozenset({"ORG", "PERSON", "FAC", "GPE", "LOC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
_SUBJECTS = frozenset({"nsubj", "csubj"})
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
_TARGET_PREPOSITIONS = frozenset({"of", "on", "against"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_QUOTE_MARKS = frozenset({'"', "“", "”"})
_LOOKBACK_CHARS = 40  # how far before a place's name its "near" words are looked for
_REGION_WORDS = r"(?:region|province|governorate|state|district|area)"
_REGION_AFTER = re.compile(rf"\s+{_REGION_WORDS}\b", re.IGNORECASE)  # "the Kirkuk region" is no city
_REGION_WORD = re.compile(rf"\s{_REGION_WORDS}$", re.IGNORECASE)
MAX_TOLD_TOKENS = 60  # a sentence telling one incident, up to this long, is read whole (else its clause)


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
    undated_kinds: Words
    action_verbs: dict[str, str]
    background_auxiliaries: Words
    retelling_nouns: Words
    killing_verbs: Words
    history_months: int
    violent_types: Words
    person_nouns: Words


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
                      index: EntityIndex, published: str | None = None) -> list[Incident]:
    """The incidents of a Doc, from the events and figures earlier components found on it, and from
    undated sentences that tell one as news (dated by `published`, the source's publication date)."""
    found: list[tuple[Event, Span, _Typed]] = []
    for event in events:
        clause = doc.char_span(event.start, event.end, alignment_mode="expand")
        if event.planned or clause is None or not len(clause):
            continue
        told = _told(event, clause)
        typed = type_of(told[1], told[0]) if told is not None else None
        if told is not None and typed is not None:
            found.append((event, told[1], typed))
    if published:  # an undated sentence of a type the story dates elsewhere retells that incident
        found = [item for item in found if not _history(item[0].date, published)]
        told_types = {typed.event_type for _, _, typed in found}
        found.extend(item for item in _undated(doc, events, published[:7]) if item[2].event_type not in told_types)
    incidents: list[Incident] = []
    seen: set[tuple[int, str]] = set()
    places = PlaceMentions(doc, index)
    for event, clause, typed in found:
        sentence = sentence_of(clause)
        if (sentence.start_char, typed.sub_event_type) in seen:
            continue
        seen.add((sentence.start_char, typed.sub_event_type))
        others = [other for other_event, other, _ in found if other_event is not event]
        alone = not any(sentence_of(other).start_char == sentence.start_char for other in others)
        words = _told_words(clause, sentence) if alone and len(sentence) <= MAX_TOLD_TOKENS else clause
        incidents.append(_incident(doc_id, event, (clause, sentence, words), typed, index,
                                   _figures(doc, quantities, clause, sentence, others, words), places))
    _retold_tolls(doc, incidents, quantities)
    return incidents


def _told_words(clause: Span, sentence: Span) -> Span:
    """The words that tell a sentence's one incident: from the clause to the end of the sentence, and from
    the sentence's start when what comes before the clause tells of it too ("Three soldiers were killed
    when ...": a cue or a figure), not when it tells something else ("Forces widened their campaign, even
    as the fall of ...")."""
    before = sentence.doc[sentence.start : clause.start]
    tells = any(token._.event_cue in incident_data().kinds or token.like_num for token in before)
    return sentence.doc[sentence.start if tells else clause.start : sentence.end]


def _retold_tolls(doc: Doc, incidents: list[Incident], quantities: Sequence[Quantity]) -> None:
    """Give a violent incident told with no toll the toll of the nearest undated sentence that retells it:
    one pointing back at it ("Two soldiers were killed in the attack"), or telling as news an incident
    of its type ("An officer and four soldiers were killed in an attack"), that holds no incident itself."""
    data = incident_data()
    held = [(incident.start, incident.end) for incident in incidents]
    uncovered = [sentence for sentence in doc.sents
                 if not any(start < sentence.end_char and sentence.start_char < end for start, end in held)]
    retells: dict[tuple[int, str], bool] = {}  # by (sentence start, event type): read once per Doc
    for incident in incidents:
        if incident.fatalities_low is not None or incident.fatalities_high is not None:
            continue
        if incident.event_type.lower() not in data.violent_types:
            continue
        for sentence in sorted(uncovered, key=lambda item: abs(item.start_char - incident.start)):
            key = (sentence.start_char, incident.event_type)
            if key not in retells:
                retells[key] = _retells_type(sentence, key[1]) or _tells_type(sentence, key[1])
            if not retells[key]:
                continue
            dead = _figures(doc, quantities, sentence, sentence, []).get("dead")
            if dead is not None:
                incident.fatalities_low, incident.fatalities_high = dead
                break


def _retells_type(sentence: Span, event_type: str) -> bool:
    """Whether the sentence points back at an incident that may be of this type: "the operation" at any,
    "the attack" at one its words type so ("lost six soldiers in the attack after a gun battle": a battle)."""
    data = incident_data()
    for token in _pointers(sentence):
        kind = token._.event_cue
        typed = type_of(sentence, kind) if kind in data.kinds else None
        if kind not in data.kinds or (typed is not None and typed.event_type == event_type):
            return True
    return False


def _tells_type(sentence: Span, event_type: str) -> bool:
    """Whether the sentence tells as news an incident of this event type."""
    told = _news_verb(sentence)
    typed = type_of(sentence, told[1]) if told is not None else None
    return typed is not None and typed.event_type == event_type


def _history(date: str | None, published: str) -> bool:
    """Whether an event dated `date` ended more than `history_months` before its source was published:
    background ("ISIS overran much of Iraq in 2014"), not an incident the source reports."""
    if date is None:
        return False
    year, month = (int(part) for part in (date + "-12")[:7].split("-"))
    published_year, published_month = (int(part) for part in published[:7].split("-"))
    return (published_year - year) * 12 + published_month - month > incident_data().history_months


def _undated(doc: Doc, events: Sequence[Event], month: str) -> list[tuple[Event, Span, _Typed]]:
    """Incidents told in the simple past by sentences no event covers, each as an event of the month
    its source was published."""
    covered = [(event.start, event.end) for event in events]
    found: list[tuple[Event, Span, _Typed]] = []
    for sentence in doc.sents:
        if any(start < sentence.end_char and sentence.start_char < end for start, end in covered):
            continue
        if any(token.text in _QUOTE_MARKS for token in sentence):
            continue  # what someone says happened is their claim, told by the quotes
        told = _news_verb(sentence)
        if told is None or _retells(sentence):
            continue
        verb, kind = told
        clause = sentence if verb.dep_ == "ROOT" else _subtree(verb)
        typed = type_of(clause, kind)
        if typed is None:
            continue
        event = Event(id=f"ev-u{sentence.start_char}", date=month, date_text=None, kind=kind,
                      what=clause.text, doc="", start=clause.start_char, end=clause.end_char,
                      precision="month", resolved=True)
        found.append((event, clause, typed))
    return found


def _retells(sentence: Span) -> bool:
    """Whether the sentence points back at an incident already told: "killed in the attack", "during
    the operation"."""
    return bool(_pointers(sentence))


def _pointers(sentence: Span) -> list[Token]:
    """The nouns by which a sentence points back at an incident: "the attack", "this operation"."""
    words = incident_data().retelling_nouns
    return [token for token in sentence
            if token.pos_ == "NOUN" and (token._.event_cue or token.lemma_.lower() in words)
            and any(child.dep_ == "det" and child.lower_ in _DEFINITE for child in token.children)]


def _news_verb(sentence: Span) -> tuple[Token, str] | None:
    """The first verb of the sentence that tells an incident as news, and its kind: a main or reported
    verb ("said that ...") in the simple past, active or passive, not negated, not under a modal."""
    data = incident_data()
    for token in sentence:
        kind = (token._.event_cue or data.action_verbs.get(token.lemma_.lower())) if token.pos_ == "VERB" else None
        if kind in data.undated_kinds and token.dep_ in ("ROOT", "ccomp", "conj") and _simple_past(token) \
                and not _outcome_only(token, sentence):
            return token, kind
    return None


def _outcome_only(verb: Token, sentence: Span) -> bool:
    """A passive verb with no agent in a sentence naming no incident ("several militants were killed"):
    the outcome of an incident told before it, not a new one."""
    deps = {child.dep_ for child in verb.children}
    if "auxpass" not in deps or "agent" in deps:
        return False
    return not any(token._.event_cue in incident_data().kinds for token in sentence if token.i != verb.i)


def _simple_past(verb: Token) -> bool:
    """"hit", "were killed": past, told as done then, not "had executed" (background), "have been"
    (a tally), "could strike" or "did not attack"."""
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass", "neg")]
    if any(child.dep_ == "neg" or child.lower_ in incident_data().background_auxiliaries for child in auxiliaries):
        return False
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and not auxiliaries:
        # "had overrun ten posts and captured the town" (the parser may make "had" the head)
        return verb.head.lower_ not in incident_data().background_auxiliaries and _simple_past(verb.head)
    if verb.tag_ == "VBD":
        return not auxiliaries
    return verb.tag_ == "VBN" and any(child.dep_ == "auxpass" and child.tag_ == "VBD" for child in auxiliaries)


def _told(event: Event, clause: Span) -> tuple[str, Span] | None:
    """The kind and clause of the incident an event tells: its own, or for a report ("officials said
    that ...") those of the first incident cue in what it reports; None when it tells no incident."""
    data = incident_data()
    if event.kind in data.kinds:
        return event.kind, clause
    if event.kind not in data.reporting_kinds:
        verb = clause.root  # "Iraqi aircraft hit eight hideouts": an action verb no event cue knows
        kind = data.action_verbs.get(verb.lemma_.lower()) if verb.pos_ == "VERB" else None
        return (kind, clause) if kind in data.kinds else None
    for token in clause:
        kind = token._.event_cue or (data.action_verbs.get(token.lemma_.lower()) if token.pos_ == "VERB" else None)
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


def _incident(doc_id: str, event: Event, spans: tuple[Span, Span, Span], typed: _Typed, index: EntityIndex,
              figures: dict[str, tuple[int | None, int | None]], places: PlaceMentions) -> Incident:
    """The incident an event tells; `spans`: its clause, its sentence and the words that tell it."""
    clause, sentence, words = spans
    actor1, actor2 = actors_of(clause, index)
    dead = figures.get("dead", (None, None))
    wounded = figures.get("wounded", (None, None))
    incident = Incident(
        id=f"inc-{event.id.removeprefix('ev-')}", doc=doc_id, start=sentence.start_char, end=sentence.end_char,
        event=event.id, event_type=typed.event_type, sub_event_type=typed.sub_event_type,
        event_date=event.date, time_precision=event.precision, actor1=actor1, actor2=actor2,
        fatalities_low=dead[0], fatalities_high=dead[1], injured_low=wounded[0], injured_high=wounded[1],
        cue=typed.cue, what=" ".join(words.text.split()),
    )
    _place(incident, doc_text(clause.doc), index, places.within(clause) or places.within(sentence))
    if incident.actor2 is not None and incident.actor2 == incident.location:
        incident.actor2 = None  # "left Niger": where it happened is no party to it
    return incident


def actors_of(clause: Span, index: EntityIndex) -> tuple[str | None, str | None]:
    """The agent (named in the clause's subject or passive agent) and the first other actor named; who
    reports it ("..., the army said") is neither."""
    named = index.actors_in(clause.start_char, clause.end_char)
    verb = _action_verb(clause)
    agent = _agent(clause, verb)
    actor1 = None
    if agent is not None:
        suffered = {actor for span in _targets_in(agent) for actor in index.actors_in(span.start_char, span.end_char)}
        inside = [actor for actor in index.actors_in(agent.start_char, agent.end_char) if actor not in suffered]
        actor1 = inside[0] if inside else None
    reporters: set[str] = set()
    if verb is not clause.root:
        for child in clause.root.children:
            if child.dep_ in _SUBJECTS:
                told_by = _subtree(child)
                reporters.update(index.actors_in(told_by.start_char, told_by.end_char))
    others = [actor for actor in named if actor != actor1 and actor not in reporters]
    return actor1, (others[0] if others else None)


def _targets_in(subject: Span) -> list[Span]:
    """Where a subject names an incident ("the fall of Assad's government", "the attack on the base"), the
    words after its "of", "on" or "against": who suffered it, not who acted."""
    head = subject.root
    if not head._.event_cue or head.pos_ != "NOUN":
        return []
    return [_subtree(child) for child in head.children
            if child.dep_ == "prep" and child.lower_ in _TARGET_PREPOSITIONS]


def _action_verb(clause: Span) -> Token:
    """The verb that tells what happened: the clause's own, or under a reporting verb heading it ("the
    last soldiers left Niger, the army said") the verb of what it reports."""
    root = clause.root
    if root._.event_cue not in incident_data().reporting_kinds:
        return root
    return next((child for child in root.children if child.dep_ in ("ccomp", "parataxis")
                 and child.pos_ in ("VERB", "AUX") and clause.start <= child.i < clause.end), root)


def _agent(clause: Span, verb: Token) -> Span | None:
    """The words naming who acts: the verb's subject, or the "by" phrase of a passive verb."""
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


class PlaceMentions:
    """A Doc's place mentions (start, end, place id, text) in text order, less the datelines' (where a
    report was filed, not where what it tells happened); read once per Doc."""

    def __init__(self, doc: Doc, index: EntityIndex) -> None:
        text = doc_text(doc)
        self.mentions = sorted(mention for mention in index.place_spans if mention[2] in index.places
                               and not is_dateline(text, mention[0], mention[1]))
        self.starts = [mention[0] for mention in self.mentions]

    def within(self, span: Span) -> list[tuple[int, int, str, str]]:
        """The mentions inside the span."""
        first = bisect.bisect_left(self.starts, span.start_char)
        last = bisect.bisect_left(self.starts, span.end_char)
        return [mention for mention in self.mentions[first:last] if mention[1] <= span.end_char]


def _place(incident: Incident, text: str, index: EntityIndex, mentions: list[tuple[int, int, str, str]]) -> None:
    """Set the incident's place: the first named that is neither a region nor a country ("the Kirkuk region"
    is a region whatever kind the gazetteer gives Kirkuk), else the most specific named."""
    if not mentions:
        return
    data = incident_data()
    rank = {kind: position for position, kind in enumerate(data.specificity)}
    kinds = [_named_kind(text, index, mention) for mention in mentions]
    local = [mention for mention, kind in zip(mentions, kinds, strict=True) if kind not in data.region_kinds]
    start, _, place_id, _ = local[0] if local else min(
        zip(mentions, kinds, strict=True), key=lambda pair: rank.get(pair[1], len(rank)))[0]
    place = index.places[place_id]
    incident.location, incident.location_name = place.id, place.name
    incident.latitude, incident.longitude = place.lat, place.lon
    if place.kind in data.region_kinds:
        incident.geo_precision = 3
    else:
        incident.geo_precision = 2 if _near(text, start) else 1


def _named_kind(text: str, index: EntityIndex, mention: tuple[int, int, str, str]) -> str:
    """The kind of place a mention names: a region when the words call it one ("the Kirkuk region")."""
    named_region = _REGION_WORD.search(text, mention[0], mention[1]) or _REGION_AFTER.match(text, mention[1])
    return "region" if named_region else index.places[mention[2]].kind


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
             other_clauses: Sequence[Span], told: Span | None = None) -> dict[str, tuple[int | None, int | None]]:
    """Dead and wounded of the sentence (figures in another incident's clause excepted), as bounds; with
    no figure for the dead, those named one by one in `told` (the clause, or the sentence telling only this
    incident)."""
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
    tolls = {name: toll(figures) for name, figures in by_outcome.items()}
    if "dead" not in tolls and (named := _named_dead(told or clause)):
        tolls["dead"] = (named, named)
    return tolls


def _named_dead(clause: Span) -> int:
    """How many people the clause names one by one as killed, with no figure: "senior figure X was
    killed" 1, "killed the commander and his deputy" 2; 0 for "militants were killed"."""
    data = incident_data()
    for verb in clause:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in data.killing_verbs:
            continue
        if any(child.dep_ == "neg" for child in verb.children):
            return 0
        wanted = ("nsubj",) if verb.lemma_.lower() == "die" else ("nsubjpass", "dobj")
        victims = [child for child in verb.children if child.dep_ in wanted]
        if not victims and verb.dep_ == "conj":  # "X, ranked fifth in the group, was killed"
            victims = [child for child in verb.head.children if child.dep_ in ("nsubj", "nsubjpass")]
        people = [person for victim in victims for person in (victim, *victim.conjuncts)]
        if people and all(_one_person(person) for person in people):
            return len(people)
    return 0


def _one_person(token: Token) -> bool:
    """A singular noun or a person's name with no number: one person."""
    if any(child.dep_ == "nummod" for child in token.children) or token.tag_ not in ("NN", "NNP"):
        return False
    nouns = incident_data().person_nouns
    return token.ent_type_ == "PERSON" or token.lemma_.lower() in nouns or any(  # "senior figure Abu Khalid"
        child.dep_ in ("compound", "appos") and child.lemma_.lower() in nouns for child in token.children)


def toll(figures: Sequence[Quantity]) -> tuple[int | None, int | None]:
    """The low and high bounds of figures added up: a lower bound ("at least 3") has no high, an upper
    bound ("up to 10") no low."""
    lows = [None if figure.bound == "upper" else int(figure.low) for figure in figures]
    highs = [None if figure.bound == "lower" else int(figure.high) for figure in figures]
    low = None if None in lows else sum(value for value in lows if value is not None)
    high = None if None in highs else sum(value for value in highs if value is not None)
    return low, high
