"""What a key-actor card says: the actor's own statements, each dated and whole, and what it did.

A card carries only quotes and claims whose speaker is its actor: a quote that merely names the actor
is on its speaker's card. A statement is on one card only (the first card that claims it). It is dated
with its sentence's own date when the sentence writes one outside the quoted words ("said in November
2024 that ..."), else with the source's publication date, labelled as such. A reported claim cut from
its sentence (starting inside a phrase, or stopping before its sentence goes on with words that belong to
it: "several militants were killed and a hideout ..., was destroyed") is shown as its whole sentence.
An event the actor takes part in is one of its actions unless it is told inside a quote or claim: then
it is what someone said, not what the actor did.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Generic, Protocol, TypeVar

from briefgen.assemble.citations import Citer, unique
from briefgen.assemble.dates import date_label, precision_of
from briefgen.assemble.index import CitationSet, FactIndex
from briefgen.assemble.views import Citation, StatementItem
from briefgen.facts import Actor, Event, FactSet, Quote

# What may follow a claim in its sentence and leave it whole: the sentence's end, or another clause.
_CLAUSE_GOES_ON = re.compile(r"^(?:[.!?\"”’)\]]|[;:—–]|\s[-–—]\s|,?\s*(?:and|but|while|whereas|although|though)\b)")
# A claim or an action's clause starting with one of these words starts inside a phrase (or has no
# subject of its own: "to leave the base by ..."; "under the timetable agreed in ...").
_MID_PHRASE = re.compile(r"^(?:and|or|but|nor|of|to|for|with|by|at|in|from|into|under|than|as|which|who|whom|whose)\b",
                         re.IGNORECASE)
# Reported claims that are demands, pledges or objects of a phrasal cue read only with their verb.
CLAIM_LEADS = {
    "urge": "urged", "call on": "called on", "call for": "called for", "ask": "asked", "press": "pressed",
    "encourage": "encouraged", "pledge": "pledged", "vow": "vowed", "promise": "promised", "demand": "demanded",
    "warn of": "warned of", "warn against": "warned against", "argue for": "argued for", "point to": "pointed to",
    "outline": "outlined", "voice": "voiced", "express": "expressed",
}


class _Cited(Protocol):
    cites: list[Citation]


Told = TypeVar("Told", bound=_Cited)


class Statements:
    """Hands out statements to key-actor cards, each statement to one card only."""

    def __init__(self, quotes: list[Quote], events: list[Event], citer: Citer, index: FactIndex | None = None) -> None:
        """`index` looks the quotes and events up by document (built here when None)."""
        self.quotes = quotes
        self.events = events
        self.citer = citer
        self.index = index if index is not None else FactIndex(FactSet(quotes=quotes, events=events))
        self._given: set[tuple[str, int, int]] = set()
        self._by_speaker: dict[str | None, list[Quote]] = {}
        for quote in quotes:
            self._by_speaker.setdefault(quote.speaker, []).append(quote)
        self._mentions: dict[str, dict[str, list[int]]] = {}  # actor id -> document -> where it is named, in order
        self._said: dict[str, list[tuple[int, int]]] = {}  # document -> what its quotes say (`_said_spans`)

    def of(self, actor: str, speaker: str | None, role: str | None, most: int) -> list[StatementItem]:
        """The first `most` statements, said differently, that `actor` made and no card has yet, each dated and
        whole and citing every source that says it (those after them are given to no other card either)."""
        own = [quote for quote in self._by_speaker.get(actor, [])
               if (quote.doc, quote.start, quote.end) not in self._given]
        self._given.update((quote.doc, quote.start, quote.end) for quote in own)
        told = FirstTold[StatementItem](most)
        for quote in own:
            text, whole = self._words(quote)
            if told.wants(text):
                told.add(text, self._item(quote, speaker, role, text, whole))
        return told.items()

    def _words(self, quote: Quote) -> tuple[str, bool]:
        """A card line's words, and whether they are the quote's whole sentence (`is_fragment`)."""
        if self.is_fragment(quote):
            return self.citer.sentence(quote.doc, quote.start, quote.end), True
        return " ".join(quote.text.split()), False

    def _item(self, quote: Quote, speaker: str | None, role: str | None, text: str, whole: bool) -> StatementItem:
        """A quote or claim as a card line in its words (`_words`): dated and cited."""
        date_label, published = self.date_of(quote)
        return StatementItem(
            speaker=speaker, role=role, text=text, cue=quote.cue,
            direct=quote.direct and not whole, disputed=quote.disputed,
            cites=unique([self.citer.cite(quote.doc, quote.start, quote.end)]),
            lead=None if quote.direct or whole else CLAIM_LEADS.get(quote.cue or ""),
            date_label=date_label, date_published=published,
        )

    def is_fragment(self, quote: Quote) -> bool:
        """Whether a reported claim is cut from its sentence: it starts inside a phrase, or its sentence
        goes on after it with words that are not a clause of their own."""
        bounds = self.citer.sentence_bounds(quote.doc, quote.start)
        if quote.direct or bounds is None:
            return False
        if _MID_PHRASE.match(quote.text.strip()) and (quote.cue or "") not in CLAIM_LEADS:
            return True
        after = self.citer.text(quote.doc)[quote.end:bounds[1]]
        return bool(after.strip()) and not _CLAUSE_GOES_ON.match(after)

    def date_of(self, quote: Quote) -> tuple[str | None, bool]:
        """The statement's date label, and whether it is the publication date: the date its sentence
        writes outside the quoted words, else the source's publication date (None when undated)."""
        event = self.dating_event(quote)
        if event is not None and event.date is not None:
            return _label(event.date, event.precision), False
        published = self.citer.published(quote.doc)
        return (_label(published, None), True) if published else (None, False)

    def dating_event(self, quote: Quote) -> Event | None:
        """The dated, unplanned event of the quote's sentence whose date words are outside what is said:
        outside the quote, or before a reported claim (what follows a claim in its sentence is its own)."""
        bounds = self.citer.sentence_bounds(quote.doc, quote.start)
        if bounds is None:
            return None
        text = self.citer.text(quote.doc)
        outside = text[bounds[0]:quote.start] + (text[quote.end:bounds[1]] if quote.direct else "")
        candidates = [event for event in self.index.events_in(quote.doc)
                      if event.date and event.date_text and not event.planned
                      and bounds[0] <= event.start < bounds[1] and event.date_text in outside]
        candidates.sort(key=lambda event: event.kind != "statement")
        return candidates[0] if candidates else None

    def told_in_a_quote(self, event: Event) -> bool:
        """Whether an event is told inside a quote or claim, or after it in its sentence ("said the dates
        have not moved: the coalition is due to leave ..."): what someone said, not what was done."""
        return any(start < event.end and event.start < end for start, end in self._said_spans(event.doc))

    def _said_spans(self, doc: str) -> list[tuple[int, int]]:
        """Where each quote or claim of a document starts, and where what it says ends: the end of its sentence
        (of the quote when unknown); worked out once a document, whose every action asks."""
        if doc not in self._said:
            self._said[doc] = [(quote.start, self._said_until(quote)) for quote in self.index.quotes_in(doc)]
        return self._said[doc]

    def _said_until(self, quote: Quote) -> int:
        bounds = self.citer.sentence_bounds(quote.doc, max(quote.end - 1, quote.start))
        return max(quote.end, bounds[1]) if bounds else quote.end

    def action_words(self, event: Event, clause: str, actor: Actor, others: list[Event]) -> str | None:
        """An action's words: its clause, or its whole sentence when the clause starts inside a phrase or
        does not name the actor ("A raid appeared to bear that out: ..."); None when another of the card's
        actions is told in that sentence (it is shown there)."""
        bounds = self.citer.sentence_bounds(event.doc, event.start)
        if bounds is None or (not _MID_PHRASE.match(clause) and self._names(event, actor)):
            return clause
        if any(other is not event and other.doc == event.doc and bounds[0] <= other.start < bounds[1]
               for other in others):
            return None
        return self.citer.sentence(event.doc, event.start, event.end)

    def _names(self, event: Event, actor: Actor) -> bool:
        """Whether the actor is named in the words of the event's clause."""
        start = self.citer.text(event.doc).find(event.what, event.start)
        start = event.start if start < 0 else start
        end = start + len(event.what)
        if actor.id not in self._mentions:
            named: dict[str, list[int]] = {}
            for mention in actor.mentions:
                named.setdefault(mention.doc, []).append(mention.start)
            for starts in named.values():
                starts.sort()
            self._mentions[actor.id] = named
        starts = self._mentions[actor.id].get(event.doc, [])
        first = bisect_left(starts, start)
        return first < len(starts) and starts[first] < end


class FirstTold(Generic[Told]):
    """The first `most` items, in order, that say different things: items in the same words (whatever their spacing
    and case) are one, the first of them kept, citing every source that says it (copies of one wire story, one
    citation number; independent reports repeating a statement alike). Fed items in order (`add`); a caller that
    shows only these asks `wants` or `may_say` before making an item, and makes only those that can be kept or
    cited."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._kept: dict[str, Told] = {}
        self._cited: dict[str, CitationSet] = {}  # gathered apart: merging into a sorted list each time is quadratic

    def wants(self, words: str) -> bool:
        """Whether an item in these words would be kept or cited."""
        return len(self._kept) < self.most or _told_key(words) in self._kept

    def may_say(self, opening: str) -> bool:
        """Whether an item whose words begin with this word (and a space, or end there) could be kept or cited."""
        if len(self._kept) < self.most:
            return True
        start = _told_key(opening)
        return any(key == start or key.startswith(start + " ") for key in self._kept)

    def add(self, words: str, item: Told) -> None:
        """Keep the item (while fewer than `most` are kept) or add its citations to the kept one in the same words."""
        key = _told_key(words)
        if key not in self._kept:
            if len(self._kept) >= self.most:
                return
            self._kept[key] = item
        self._cited.setdefault(key, CitationSet()).add(item.cites)

    def items(self) -> list[Told]:
        """The kept items in order, each citing every source that says it."""
        for key, first in self._kept.items():
            first.cites = self._cited[key].ordered()
        return list(self._kept.values())


def _told_key(words: str) -> str:
    return " ".join(words.split()).casefold()


def _label(iso: str, precision: str | None) -> str:
    """A date label at the precision given, else the precision the date is written at."""
    return date_label(iso, precision or precision_of(iso))
