"""The stable identity of a fact: what an analyst's decision about it is keyed by.

A row id or an extraction id changes whenever a source is extracted again; the words a fact rests
on do not. A span fact (quote, event, figure, incident) is its kind, its document and the words it
was read from, with the sentence around them; an actor or a place is its kind and its name, under
any of the forms it was seen in. The document is named by id and by path, so a decision still
finds its fact after the source file is edited (the id is a hash of the file's bytes).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from briefgen.extract.known import name_key
from briefgen.facts import Actor, Document, Event, FactSet, Incident, Location, Quantity, Quote

FACT_KINDS = ("actor", "place", "quote", "event", "figure", "incident")
NAMED_KINDS = ("actor", "place")


def plain(text: str | None) -> str:
    """Words with their spacing made uniform, for comparing what was read at two times."""
    return " ".join((text or "").split())


@dataclass(frozen=True)
class FactKey:
    """What a fact rests on: for actors and places a name, for the others a document's words."""

    kind: str
    name: str | None = None
    doc: str | None = None
    source: str | None = None  # the document's path in the project
    words: str | None = None
    sentence: str | None = None

    @property
    def id(self) -> str:
        """A short id for commands and pages: the kind and a hash of what the fact rests on."""
        if self.kind in NAMED_KINDS:
            basis = f"{self.kind}|{name_key(self.name or '')}"
        else:
            basis = f"{self.kind}|{self.doc}|{plain(self.words)}|{plain(self.sentence)}"
        return f"{self.kind}-{hashlib.sha1(basis.encode()).hexdigest()[:10]}"

    def as_entry(self) -> dict[str, str]:
        """The key as the corrections file writes it."""
        fields = {"kind": self.kind, "name": self.name, "doc": self.doc, "source": self.source,
                  "words": self.words, "sentence": self.sentence}
        return {name: value for name, value in fields.items() if value is not None}


@dataclass
class Texts:
    """Documents by id and their sentence spans, to read the words a fact rests on."""

    documents: dict[str, Document]
    sentences: dict[str, list[tuple[int, int]]]
    _starts: dict[str, list[int]] = field(default_factory=dict, repr=False)  # sentence starts, for bisect

    def words(self, doc: str, start: int, end: int) -> str:
        """The plain words of a span."""
        document = self.documents.get(doc)
        return plain(document.text[start:end]) if document else ""

    def sentence_bounds(self, doc: str, start: int, end: int) -> tuple[int, int]:
        """The sentence (or sentences) a span sits in; the span itself when sentences are unknown."""
        first = self._sentence_at(doc, start) or (start, end)
        last = self._sentence_at(doc, max(start, end - 1)) or first
        return first[0], max(first[1], last[1])

    def _sentence_at(self, doc: str, offset: int) -> tuple[int, int] | None:
        spans = self.sentences.get(doc, [])
        if doc not in self._starts:
            self._starts[doc] = [start for start, _ in spans]
        index = bisect_right(self._starts[doc], offset) - 1
        return spans[index] if index >= 0 and spans[index][0] <= offset < spans[index][1] else None

    def sentence(self, doc: str, start: int, end: int) -> str:
        """The plain words of the sentence a span sits in."""
        return self.words(doc, *self.sentence_bounds(doc, start, end))

    def page(self, doc: str, offset: int) -> int | None:
        """The page (from 1) `offset` falls on in a paged document; None for a document without pages."""
        document = self.documents.get(doc)
        return document.page_at(offset) if document else None

    def source(self, doc: str) -> str | None:
        """The path of a document in the project."""
        document = self.documents.get(doc)
        return document.path if document else None


def key_of(kind: str, fact: Any, texts: Texts) -> FactKey:
    """The stable key of one fact of a kind (see FACT_KINDS)."""
    if kind in NAMED_KINDS:
        return FactKey(kind, name=fact.name)
    words = fact.text if isinstance(fact, Quote | Quantity) else texts.words(fact.doc, fact.start, fact.end)
    sentence = texts.sentence(fact.doc, fact.start, fact.end)
    return FactKey(kind, doc=fact.doc, source=texts.source(fact.doc), words=plain(words), sentence=sentence)


def facts_of(kind: str, facts: FactSet) -> list[Any]:
    """The facts of one kind in a fact set."""
    lists: dict[str, list[Any]] = {"actor": facts.actors, "place": facts.locations, "quote": facts.quotes,
                                   "event": facts.events, "figure": facts.quantities, "incident": facts.incidents}
    return lists[kind]


def kind_of(fact: Any) -> str:
    """The review kind of a fact object."""
    kinds = {Actor: "actor", Location: "place", Quote: "quote", Event: "event", Quantity: "figure",
             Incident: "incident"}
    return kinds[type(fact)]


def names_of(fact: Actor | Location) -> list[str]:
    """Every form an actor or place goes by."""
    return [fact.name, *fact.aliases]
