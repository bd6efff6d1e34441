"""Citations: numbering sources and pointing every fact at its sentence."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from briefgen.assemble.views import Citation, SourceEntry
from briefgen.facts import Document, DocumentFacts, Mention
from briefgen.store import sentence_span


class Citer:
    """Numbers the brief's sources and turns (doc, offset) pairs into citations."""

    def __init__(self, documents: list[Document], facts: list[DocumentFacts]) -> None:
        ordered = sorted(documents, key=lambda doc: (doc.published or "", doc.title or doc.path))
        self._numbers = {doc.id: number for number, doc in enumerate(ordered, start=1)}
        self._documents = {doc.id: doc for doc in documents}
        self._sentences = {item.doc: item.sentences for item in facts}
        self.sources = [_source_entry(number, doc) for number, doc in enumerate(ordered, start=1)]

    def cite(self, doc: str, start: int, end: int | None = None) -> Citation | None:
        """The citation for a span of a document, quoting the sentence it sits in."""
        number = self._numbers.get(doc)
        if number is None:
            return None
        return Citation(number=number, sentence=self.sentence(doc, start, end), page=self.page(doc, start))

    def cite_exact(self, doc: str, start: int, end: int) -> Citation | None:
        """The citation for a span of a document quoting exactly that span (a sentence found otherwise)."""
        number = self._numbers.get(doc)
        if number is None:
            return None
        return Citation(number=number, sentence=self._documents[doc].text[start:end], page=self.page(doc, start))

    def page(self, doc: str, offset: int) -> int | None:
        """The page (from 1) of a paged document that `offset` falls on; None for a document without pages."""
        starts = self._documents[doc].pages
        return max(bisect_right(starts, offset), 1) if starts else None

    def sentence(self, doc: str, start: int, end: int | None = None) -> str:
        """The whole sentence around a span, or the sentences it runs over (the span itself when sentences are
        unknown)."""
        text = self._documents[doc].text
        sentences = self._sentences.get(doc, [])
        first = sentence_span(sentences, start)
        if first is None:
            return text[start:end if end is not None else start]
        last = sentence_span(sentences, end - 1) if end is not None and end > start else None
        return " ".join(text[first[0]:max(first[1], last[1] if last else 0)].split())

    def sentence_bounds(self, doc: str, offset: int) -> tuple[int, int] | None:
        """The (start, end) of the stored sentence holding `offset`, None when sentences are unknown."""
        return sentence_span(self._sentences.get(doc, []), offset)

    def sentence_before(self, doc: str, start: int) -> str:
        """The part of the sentence around `start` that comes before it."""
        text = self._documents[doc].text
        span = sentence_span(self._sentences.get(doc, []), start)
        return text[span[0] if span else max(0, start - 200):start]

    def text(self, doc: str) -> str:
        """The plain text of a document (what fact offsets point into)."""
        return self._documents[doc].text

    def source_name(self, doc: str) -> str:
        """How a source is named beside a fact: its outlet, else its title."""
        document = self._documents[doc]
        return document.outlet or document.title or document.path

    def cite_mentions(self, mentions: Iterable[Mention]) -> list[Citation]:
        """One citation per source among the mentions (the first mention in each)."""
        return unique([self.cite(m.doc, m.start, m.end) for m in mentions])

    def published(self, doc: str) -> str:
        """The publication date of a document, '' when unknown (sorts first)."""
        document = self._documents.get(doc)
        return document.published or "" if document else ""


def unique(citations: Iterable[Citation | None]) -> list[Citation]:
    """Citations sorted by source number, one per source."""
    by_number: dict[int, Citation] = {}
    for citation in citations:
        if citation is not None and citation.number not in by_number:
            by_number[citation.number] = citation
    return [by_number[number] for number in sorted(by_number)]


def _source_entry(number: int, doc: Document) -> SourceEntry:
    url = doc.url if doc.url and doc.url.startswith(("http://", "https://")) else None
    return SourceEntry(
        number=number, doc_id=doc.id, title=doc.title or doc.path, outlet=doc.outlet,
        published=doc.published, url=url, path=doc.path, page_count=len(doc.pages) or None,
    )
