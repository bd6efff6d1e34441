"""The facts of a brief as an analyst reviews them: a stable id, what the fact says, the sentence it
was read from with its words marked, its citations, its editable fields and its review status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from briefgen.facts import Actor, Event, Incident, Location, Quantity, Quote
from briefgen.review.apply import Applied
from briefgen.review.identity import FACT_KINDS, NAMED_KINDS, FactKey, Texts, facts_of, key_of, plain

MAX_CITATIONS = 5


@dataclass
class Citation:
    """Where a fact was read: the source's path and the sentence, with the fact's words at [start:end]."""

    source: str
    sentence: str
    start: int = 0
    end: int = 0
    page: int | None = None  # in a paged source (PDF), the page the fact starts on

    @property
    def where(self) -> str:
        """The source's path, with the page in a paged source: 'sources/report.pdf, p. 4'."""
        return f"{self.source}, p. {self.page}" if self.page else self.source


@dataclass
class ReviewItem:
    """One fact for review."""

    id: str  # stable: survives re-extraction (see review.identity)
    kind: str
    text: str  # what the fact says, in one line
    status: str  # not reviewed, accepted, rejected, edited, pinned, added
    pinned: bool
    key: FactKey
    fields: dict[str, str] = field(default_factory=dict)  # its editable fields, as text
    citations: list[Citation] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # titles of the brief's sections citing its sentence

    def as_json(self) -> dict[str, Any]:
        """The item for `briefgen review list --format json`."""
        first = self.citations[0] if self.citations else None
        return {"id": self.id, "kind": self.kind, "text": self.text, "status": self.status, "pinned": self.pinned,
                "source": self.key.source or (first.source if first else None), "doc": self.key.doc,
                "sentence": first.sentence if first else None, "fields": self.fields, "sections": self.sections,
                "citations": [{"source": item.source, "page": item.page, "sentence": item.sentence}
                              for item in self.citations]}


def review_items(applied: Applied, texts: Texts) -> list[ReviewItem]:
    """Every fact of the corrected set and every rejected one, by kind, in the order extraction found them."""
    items = []
    for kind in FACT_KINDS:
        kept = facts_of(kind, applied.facts)
        rejected = [fact for fact in applied.rejected if fact.__class__ is _CLASSES[kind]]
        for fact in [*kept, *rejected]:
            items.append(_item(kind, fact, applied, texts))
    return items


def _item(kind: str, fact: Any, applied: Applied, texts: Texts) -> ReviewItem:
    key = key_of(kind, fact, texts)
    return ReviewItem(id=key.id, kind=kind, text=SUMMARIES[kind](fact), status=applied.status_of(fact),
                      pinned=id(fact) in applied.pinned, key=key, fields=_fields(kind, fact),
                      citations=_citations(kind, fact, texts))


def _citations(kind: str, fact: Any, texts: Texts) -> list[Citation]:
    if kind in NAMED_KINDS:
        spans = [(mention.doc, mention.start, mention.end) for mention in fact.mentions[:MAX_CITATIONS]]
    else:
        spans = [(fact.doc, fact.start, fact.end)]
    return [_citation(texts, doc, start, end, _marked_words(fact)) for doc, start, end in spans
            if doc in texts.documents]


def _citation(texts: Texts, doc: str, start: int, end: int, words: str | None) -> Citation:
    sentence = texts.sentence(doc, start, end)
    marked = plain(words) if words else texts.words(doc, start, end)
    at = sentence.find(marked) if marked else -1
    return Citation(texts.source(doc) or doc, sentence, max(at, 0), at + len(marked) if at >= 0 else 0,
                    texts.page(doc, start))


def _marked_words(fact: Any) -> str | None:
    """The words to mark in the sentence: a quote's or figure's own words; else the span itself."""
    return fact.text if isinstance(fact, Quote | Quantity) else None


def _actor(fact: Actor) -> str:
    about = ", ".join(part for part in (fact.role, fact.affiliation) if part)
    also = f"; also {', '.join(fact.aliases)}" if fact.aliases else ""
    return f"{fact.name} ({fact.kind}{': ' + about if about else ''}){also}"


def _place(fact: Location) -> str:
    return f"{fact.name} ({fact.kind}{', ' + fact.country if fact.country else ''})"


def _quote(fact: Quote) -> str:
    return f"{fact.speaker_name or 'unattributed'}: “{plain(fact.text)}”"


def _event(fact: Event) -> str:
    return f"{fact.date or 'undated'} · {fact.kind}{' (planned)' if fact.planned else ''} · {plain(fact.what)}"


def _figure(fact: Quantity) -> str:
    unit = f" {fact.unit}" if fact.unit else ""
    return f"{plain(fact.text)}{unit} — {fact.subject or 'what it counts is not known'}"


def _incident(fact: Any) -> str:
    toll = f" · {fact.fatalities_low} killed" if fact.fatalities_low else ""
    return (f"{fact.event_date or 'undated'} · {fact.event_type} / {fact.sub_event_type} · "
            f"{fact.location_name or 'place not known'}{toll}")


SUMMARIES: dict[str, Callable[[Any], str]] = {
    "actor": _actor, "place": _place, "quote": _quote, "event": _event, "figure": _figure, "incident": _incident}


def _fields(kind: str, fact: Any) -> dict[str, str]:
    """The fact's editable fields as text (see review.fields.EDITABLE)."""
    values: dict[str, Callable[[], dict[str, Any]]] = {
        "actor": lambda: {"name": fact.name, "kind": fact.kind, "role": fact.role, "affiliation": fact.affiliation},
        "place": lambda: {"name": fact.name, "kind": fact.kind, "country": fact.country},
        "quote": lambda: {"speaker": fact.speaker_name, "text": fact.text, "direct": fact.direct,
                          "disputed": fact.disputed},
        "event": lambda: {"date": fact.date, "precision": fact.precision, "kind": fact.kind, "what": fact.what,
                          "planned": fact.planned},
        "figure": lambda: {"value": _range(fact.low, fact.high), "unit": fact.unit, "subject": fact.subject,
                           "text": fact.text},
        "incident": lambda: {"date": fact.event_date, "precision": fact.time_precision, "event_type": fact.event_type,
                             "sub_event_type": fact.sub_event_type, "place": fact.location_name,
                             "fatalities": _toll(fact.fatalities_low, fact.fatalities_high), "what": fact.what},
    }[kind]()
    return {name: _as_text(value) for name, value in values.items()}


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _range(low: float, high: float) -> str:
    def number(value: float) -> str:
        return f"{value:,.0f}" if value == int(value) else f"{value:,}"
    return number(low) if low == high else f"{number(low)}-{number(high)}"


def _toll(low: int | None, high: int | None) -> str | None:
    if low is None:
        return None
    return _range(low, high if high is not None else low)


_CLASSES: dict[str, type] = {"actor": Actor, "place": Location, "quote": Quote, "event": Event, "figure": Quantity,
                             "incident": Incident}
