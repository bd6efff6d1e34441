"""Applying an analyst's decisions to the facts of a build.

Decisions are applied in the order they were taken, each to the fact its key finds now (see
`identity`): an edit to a fact edited before sees the earlier edit; an accept after a reject takes
the fact back. Facts are copied before they change, so the store's facts and the other audiences
of a build never see another's edits. A decision whose fact is not found is returned, with why,
for the build to report; it is never dropped from the file.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from briefgen.extract.known import name_key, slugify
from briefgen.extract.merge import other_forms
from briefgen.facts import Actor, Event, FactSet, Location, Mention, Quantity, Quote
from briefgen.review.corrections import Decision, FactRef, NewFact
from briefgen.review.fields import parse_fields, precision_of
from briefgen.review.identity import FACT_KINDS, NAMED_KINDS, FactKey, Texts, facts_of, key_of, names_of, plain

LIST_FIELDS = tuple(item.name for item in fields(FactSet))
SOURCE_MISSING = "its source"


@dataclass
class Unmatched:
    """A decision that found no fact, and why."""

    decision: Decision
    index: int  # its place in the corrections file, from 1
    reason: str
    source_missing: bool = False  # its document is not among the build's: gone, or another brief's

    def line(self) -> str:
        """One line for a build report."""
        what = self.decision.fact or self.decision.new
        label = _label(what) if what is not None else "?"
        return f"correction {self.index} ({self.decision.action} {label}, by {self.decision.by}): {self.reason}"


@dataclass
class Applied:
    """Facts with the decisions applied, and what the review needs to know of each fact."""

    facts: FactSet
    rejected: list[Any] = field(default_factory=list)  # facts taken out, kept for the review page
    status: dict[int, str] = field(default_factory=dict)  # id() of a fact -> accepted, rejected, edited, added
    pinned: set[int] = field(default_factory=set)  # id() of each pinned fact
    unmatched: list[Unmatched] = field(default_factory=list)

    def pinned_ids(self) -> frozenset[str]:
        """The extraction ids of the pinned facts still in the brief, for the sections to keep."""
        if not self.pinned:
            return frozenset()  # most briefs: no walk through a year of facts for nothing
        kept = [fact for name in LIST_FIELDS for fact in getattr(self.facts, name)]
        return frozenset(fact.id for fact in kept if id(fact) in self.pinned)

    def status_of(self, fact: Any) -> str:
        """'not reviewed', or the latest decision's outcome for a fact."""
        return self.status.get(id(fact), "not reviewed")


def apply_corrections(decisions: list[Decision], facts: FactSet, texts: Texts) -> Applied:
    """The facts with every decision applied in order (facts are copied, never changed in place)."""
    if not decisions:
        return Applied(facts)  # nothing to change: no copy
    applied = Applied(_copied(facts))
    finder = Finder(applied.facts, texts)
    for index, item in enumerate(decisions, start=1):
        reason = _apply_one(item, finder, applied)
        if reason:
            applied.unmatched.append(Unmatched(item, index, reason, reason.startswith(SOURCE_MISSING)))
    _drop_rejected(applied)
    return applied


class Finder:
    """Finds the fact a reference names in the current facts.

    Keys and names are indexed once and indexed again only after a decision changed facts (an edit,
    merge, split or add), so accepting, rejecting and pinning many facts stays linear.
    """

    def __init__(self, facts: FactSet, texts: Texts) -> None:
        self.facts, self.texts = facts, texts
        self._keyed: dict[tuple[str, str], list[tuple[Any, FactKey]]] = {}
        self._named: dict[str, dict[str, Any]] = {}

    def changed(self, kind: str, fact: Any = None) -> None:
        """A fact of `kind` was edited or added, or actors or places merged or split: index it again."""
        if kind in NAMED_KINDS:
            self._named.pop(kind, None)
        elif self._keyed and fact is not None:
            entries = self._keyed.setdefault((kind, fact.doc), [])
            entries[:] = [entry for entry in entries if entry[0] is not fact]
            entries.append((fact, key_of(kind, fact, self.texts)))

    def document(self, doc: str | None, source: str | None) -> str | None:
        """The id of the document a reference names: by id, else by path (the file was edited)."""
        if doc and doc in self.texts.documents:
            return doc
        return next((item.id for item in self.texts.documents.values() if source and item.path == source), None)

    def named(self, kind: str, name: str) -> Any:
        """The actor or place going by a name, under any of its forms (the first one listed, if several)."""
        if kind not in self._named:
            index: dict[str, Any] = {}
            for fact in facts_of(kind, self.facts):
                for form in names_of(fact):
                    index.setdefault(name_key(form), fact)
            self._named[kind] = index
        return self._named[kind].get(name_key(name))

    def find(self, ref: FactRef | FactKey) -> tuple[Any, str | None]:
        """(the fact, None), or (None, why it was not found)."""
        if ref.kind in NAMED_KINDS:
            found = self.named(ref.kind, ref.name or "")
            return (found, None) if found is not None else (None, f"no {ref.kind} named '{ref.name}' any more")
        doc = self.document(ref.doc, ref.source)
        if doc is None:
            return None, f"{SOURCE_MISSING} {ref.source or ref.doc} is not among this build's sources"
        found = self._span_fact(ref.kind, doc, plain(ref.words), plain(ref.sentence))
        if found is None:
            return None, f"no {ref.kind} in {ref.source or doc} rests on \"{_short(ref.words)}\" any more"
        return found, None

    def _span_fact(self, kind: str, doc: str, words: str, sentence: str) -> Any:
        if not self._keyed:
            for every in FACT_KINDS:
                if every not in NAMED_KINDS:
                    for fact in facts_of(every, self.facts):
                        self._keyed.setdefault((every, fact.doc), []).append((fact, key_of(every, fact, self.texts)))
        keyed = self._keyed.get((kind, doc), [])
        tests: list[Callable[[FactKey], bool]] = [
            lambda key: key.words == words and (not sentence or key.sentence == sentence),
            lambda key: key.words == words,
            lambda key: bool(sentence) and key.sentence == sentence and _overlap(key.words or "", words),
        ]
        for test in tests:
            matches = [fact for fact, key in keyed if test(key)]
            if len(matches) == 1 or (matches and test is tests[0]):
                return matches[0]
        return None


def _apply_one(item: Decision, finder: Finder, applied: Applied) -> str | None:
    if item.action == "add":
        assert item.new is not None
        return _add(item.new, finder, applied)
    assert item.fact is not None
    fact, reason = finder.find(item.fact)
    if fact is None:
        return reason
    outcome = ACTIONS[item.action](item, fact, finder, applied)
    if item.action in ("edit", "merge", "split"):
        finder.changed(item.fact.kind, fact)
    return outcome


def _status(outcome: str) -> Callable[[Decision, Any, Finder, Applied], str | None]:
    def decide(item: Decision, fact: Any, finder: Finder, applied: Applied) -> str | None:
        applied.status[id(fact)] = outcome
        if outcome == "pinned":
            applied.pinned.add(id(fact))
        if outcome == "rejected":
            applied.pinned.discard(id(fact))
        return None
    return decide


def _unpin(item: Decision, fact: Any, finder: Finder, applied: Applied) -> str | None:
    applied.pinned.discard(id(fact))
    applied.status[id(fact)] = "accepted"
    return None


def _edit(item: Decision, fact: Any, finder: Finder, applied: Applied) -> str | None:
    assert item.fact is not None and item.set is not None
    values = parse_fields(item.fact.kind, item.set)
    reason = EDITS[item.fact.kind](fact, values, finder)
    if reason is None and applied.status.get(id(fact)) != "added":
        applied.status[id(fact)] = "edited"
    return reason


def _merge(item: Decision, fact: Any, finder: Finder, applied: Applied) -> str | None:
    assert item.into is not None
    target, reason = finder.find(item.into)
    if target is None:
        return reason
    if target is fact:
        return None  # merged already (the two names found one fact)
    _absorb(target, fact)
    facts = facts_of(item.into.kind, finder.facts)
    facts.remove(fact)
    _repoint(finder.facts, item.into.kind, {fact.id: target.id})
    applied.status[id(target)] = "edited"
    return None


def _split(item: Decision, fact: Any, finder: Finder, applied: Applied) -> str | None:
    assert item.names is not None and item.fact is not None
    keys = {name_key(name) for name in item.names}
    if name_key(fact.name) in keys:
        return f"'{fact.name}' is the {item.fact.kind}'s own name; split off the other forms"
    moved = [mention for mention in fact.mentions
             if name_key(finder.texts.words(mention.doc, mention.start, mention.end)) in keys]
    part = replace(fact, id=slugify(item.names[0]), name=item.names[0], aliases=list(item.names[1:]),
                   mentions=moved)
    if isinstance(part, Actor):
        part.role = part.affiliation = None
    fact.mentions = [mention for mention in fact.mentions if mention not in moved]
    fact.aliases = [alias for alias in fact.aliases if name_key(alias) not in keys]
    facts_of(item.fact.kind, finder.facts).append(part)
    _repoint_split(finder, item.fact.kind, fact, part, keys)
    applied.status[id(part)] = applied.status[id(fact)] = "edited"
    return None


def _drop_rejected(applied: Applied) -> None:
    for name in LIST_FIELDS:
        every = getattr(applied.facts, name)
        setattr(applied.facts, name, [fact for fact in every if applied.status.get(id(fact)) != "rejected"])
        applied.rejected += [fact for fact in every if applied.status.get(id(fact)) == "rejected"]


ACTIONS: dict[str, Callable[[Decision, Any, Finder, Applied], str | None]] = {
    "accept": _status("accepted"), "reject": _status("rejected"), "pin": _status("pinned"), "unpin": _unpin,
    "edit": _edit, "merge": _merge, "split": _split,
}


# --- edits, one function per kind -------------------------------------------------------


def _edit_named(fact: Actor | Location, values: dict[str, Any], finder: Finder) -> str | None:
    if "name" in values and values["name"] != fact.name:
        fact.aliases = other_forms(values["name"], [fact.name, *fact.aliases])
        fact.name = values["name"]
    _set(fact, values, ("kind", "role", "affiliation", "country"))
    return None


def _edit_quote(fact: Quote, values: dict[str, Any], finder: Finder) -> str | None:
    if "speaker" in values:
        speaker = finder.named("actor", values["speaker"])
        fact.speaker_name = values["speaker"]
        fact.speaker = speaker.id if speaker is not None else None
    _set(fact, values, ("text", "direct", "disputed"))
    return None


def _edit_event(fact: Event, values: dict[str, Any], finder: Finder) -> str | None:
    if "place" in values:
        place = finder.named("place", values["place"])
        if place is None:
            return f"no place named '{values['place']}' among this build's places"
        fact.locations = [place.id]
    if "date" in values:
        fact.date, fact.resolved = values["date"], False
        fact.precision = values.get("precision") or precision_of(values["date"])  # type: ignore[assignment]
    elif "precision" in values:
        fact.precision = values["precision"]
    _set(fact, values, ("kind", "what", "planned"))
    return None


def _edit_figure(fact: Quantity, values: dict[str, Any], finder: Finder) -> str | None:
    if "value" in values:
        fact.low, fact.high = values["value"]
        fact.bound = None
    _set(fact, values, ("unit", "subject", "text"))
    return None


def _edit_incident(fact: Any, values: dict[str, Any], finder: Finder) -> str | None:
    if "place" in values:
        place = finder.named("place", values["place"])
        fact.location_name = place.name if place else values["place"]
        fact.location = place.id if place else None
        fact.latitude, fact.longitude = (place.lat, place.lon) if place else (None, None)
        fact.geo_precision = 1 if place and place.lat is not None else None
    if "date" in values:
        fact.event_date = values["date"]
        fact.time_precision = values.get("precision") or precision_of(values["date"])
    elif "precision" in values:
        fact.time_precision = values["precision"]
    if "fatalities" in values:
        fact.fatalities_low, fact.fatalities_high = (int(value) for value in values["fatalities"])
    for name, attribute in (("agent", "actor1"), ("target", "actor2")):
        if name in values:
            setattr(fact, attribute, _actor_id(finder, values[name]))
    _set(fact, values, ("event_type", "sub_event_type", "what"))
    return None


def _set(fact: Any, values: dict[str, Any], names: tuple[str, ...]) -> None:
    """Set each of the fact's fields `names` that `values` gives."""
    for name in names:
        if name in values:
            setattr(fact, name, values[name])


EDITS: dict[str, Callable[[Any, dict[str, Any], Finder], str | None]] = {
    "actor": _edit_named, "place": _edit_named, "quote": _edit_quote, "event": _edit_event,
    "figure": _edit_figure, "incident": _edit_incident,
}


def _actor_id(finder: Finder, name: str | None) -> str | None:
    """The id of the actor a name names, adding the actor when the build has none by that name."""
    if name is None:
        return None
    found = finder.named("actor", name)
    if found is None:
        found = Actor(id=slugify(name), name=name, kind="organization")
        finder.facts.actors.append(found)
        finder.changed("actor")
    return found.id


# --- adding a fact by hand ---------------------------------------------------------------


def _add(new: NewFact, finder: Finder, applied: Applied) -> str | None:
    doc = finder.document(new.doc, new.source)
    if doc is None:
        return f"{SOURCE_MISSING} {new.source or new.doc} is not among this build's sources"
    span = find_words(finder.texts.documents[doc].text, new.sentence)
    if span is None:
        return f"the sentence \"{_short(new.sentence)}\" is not in {new.source or doc} any more"
    values = parse_fields(new.kind, new.fields)
    fact = ADDERS[new.kind](doc, span, values, finder)
    if not any(known is fact for known in facts_of(new.kind, finder.facts)):
        facts_of(new.kind, finder.facts).append(fact)
    finder.changed(new.kind, fact)
    applied.status[id(fact)] = "added"
    applied.pinned.add(id(fact))  # added by hand to be shown: no section's cap or filter drops it
    return None


# Characters a source and a copy of it write differently: straight or curly quotes, hyphen or dash.
_ALIKE = [set('"“”„«»'), set("'‘’`"), set("-‐‑–—")]


def _char_pattern(char: str) -> str:
    alike = next((group for group in _ALIKE if char in group), None)
    return "[" + re.escape("".join(sorted(alike))) + "]" if alike else re.escape(char)


def find_words(text: str, words: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """Where `words` stand in `text` (between start and end), however they are spaced and broken, and whichever
    quotes, apostrophes and dashes they are written with."""
    pieces = ["".join(_char_pattern(char) for char in piece) for piece in words.split()]
    if not pieces:
        return None
    found = re.compile(r"\s+".join(pieces)).search(text, start, len(text) if end is None else end)
    return (found.start(), found.end()) if found else None


def _added_id(kind: str, doc: str, span: tuple[int, int]) -> str:
    return f"{kind}-{doc}-added-{hashlib.sha1(f'{span}'.encode()).hexdigest()[:8]}"


def _inner(finder: Finder, doc: str, span: tuple[int, int], words: str | None) -> tuple[int, int]:
    """The span of `words` inside the sentence, else the whole sentence."""
    found = find_words(finder.texts.documents[doc].text, words, *span) if words else None
    return found or span


def _add_quote(doc: str, span: tuple[int, int], values: dict[str, Any], finder: Finder) -> Quote:
    start, end = _inner(finder, doc, span, values.get("text"))
    speaker = finder.named("actor", values["speaker"])
    return Quote(id=_added_id("quote", doc, (start, end)), speaker=speaker.id if speaker else None,
                 speaker_name=values["speaker"], text=values.get("text") or finder.texts.words(doc, start, end),
                 doc=doc, start=start, end=end, cue="said", direct=values.get("direct", "text" in values),
                 disputed=values.get("disputed", False))


def _add_event(doc: str, span: tuple[int, int], values: dict[str, Any], finder: Finder) -> Event:
    event = Event(id=_added_id("event", doc, span), date=values["date"], date_text=None, kind=values["kind"],
                  what=values.get("what") or finder.texts.words(doc, *span), doc=doc, start=span[0], end=span[1],
                  precision=values.get("precision") or precision_of(values["date"]),  # type: ignore[arg-type]
                  planned=values.get("planned", False))
    if "place" in values:
        place = finder.named("place", values["place"])
        event.locations = [place.id] if place else []
    return event


def _add_figure(doc: str, span: tuple[int, int], values: dict[str, Any], finder: Finder) -> Quantity:
    low, high = values["value"]
    words = values.get("text") or (f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}")
    return Quantity(id=_added_id("figure", doc, span), text=words, low=low, high=high, doc=doc, start=span[0],
                    end=span[1], unit=values.get("unit"), subject=values.get("subject"))


def _add_actor(doc: str, span: tuple[int, int], values: dict[str, Any], finder: Finder) -> Actor:
    start, end = _inner(finder, doc, span, values["name"])
    actor = finder.named("actor", values["name"]) or Actor(id=slugify(values["name"]), name=values["name"],
                                                          kind=values["kind"])
    _edit_named(actor, values, finder)
    actor.mentions = [*actor.mentions, Mention(doc, start, end)]
    return actor


ADDERS: dict[str, Callable[[str, tuple[int, int], dict[str, Any], Finder], Any]] = {
    "quote": _add_quote, "event": _add_event, "figure": _add_figure, "actor": _add_actor,
}


# --- merging and splitting actors and places ---------------------------------------------


def _absorb(target: Any, other: Any) -> None:
    """Make `other` part of `target`: its names become aliases, its mentions target's."""
    target.aliases = other_forms(target.name, [*target.aliases, *names_of(other)])
    target.mentions = [*target.mentions, *other.mentions]
    if isinstance(target, Actor):
        target.role = target.role or other.role
        target.affiliation = target.affiliation or other.affiliation
    else:
        target.lat = target.lat if target.lat is not None else other.lat
        target.lon = target.lon if target.lon is not None else other.lon
        target.country = target.country or other.country


def _repoint(facts: FactSet, kind: str, ids: dict[str, str]) -> None:
    """Point every reference to an old id at its new one."""
    if kind == "actor":
        for quote in facts.quotes:
            quote.speaker = ids.get(quote.speaker or "", quote.speaker)
        for event in facts.events:
            event.actors = list(dict.fromkeys(ids.get(actor, actor) for actor in event.actors))
        for incident in facts.incidents:
            incident.actor1 = ids.get(incident.actor1 or "", incident.actor1)
            incident.actor2 = ids.get(incident.actor2 or "", incident.actor2)
        return
    for event in facts.events:
        event.locations = list(dict.fromkeys(ids.get(place, place) for place in event.locations))
    for incident in facts.incidents:
        incident.location = ids.get(incident.location or "", incident.location)


def _repoint_split(finder: Finder, kind: str, whole: Any, part: Any, keys: set[str]) -> None:
    """References to the split fact that the text ties to the split-off names point at the new fact."""
    if kind == "actor":
        for quote in finder.facts.quotes:
            if quote.speaker == whole.id and name_key(quote.speaker_name or "") in keys:
                quote.speaker = part.id
    moved = {(mention.doc, mention.start) for mention in part.mentions}
    for event in finder.facts.events:
        listed = event.actors if kind == "actor" else event.locations
        inside = any(doc == event.doc and event.start <= start < event.end for doc, start in moved)
        if whole.id in listed and inside:
            listed[listed.index(whole.id)] = part.id


# --- helpers ----------------------------------------------------------------------------


def _copied(facts: FactSet) -> FactSet:
    """A fact set whose facts (and their lists) may be changed without touching the original's."""
    copied = FactSet()
    for name in LIST_FIELDS:
        setattr(copied, name, [_copy_fact(fact) for fact in getattr(facts, name)])
    return copied


def _copy_fact(fact: Any) -> Any:
    duplicate = copy.copy(fact)
    for item in fields(duplicate):
        value = getattr(duplicate, item.name)
        if isinstance(value, list):
            setattr(duplicate, item.name, list(value))
    return duplicate


def _overlap(first: str, second: str) -> bool:
    return bool(first and second) and (first in second or second in first)


def _short(words: str | None, limit: int = 60) -> str:
    words = plain(words)
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _label(ref: FactRef | NewFact) -> str:
    if isinstance(ref, FactRef) and ref.kind in NAMED_KINDS:
        return f"{ref.kind} '{ref.name}'"
    words = ref.words if isinstance(ref, FactRef) else ref.sentence
    return f"{ref.kind} \"{_short(words, 40)}\" in {ref.source or ref.doc}"
