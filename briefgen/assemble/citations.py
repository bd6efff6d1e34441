"""Citations: numbering sources and pointing every fact at its sentence.

A source is a story (`briefgen.stories`): copies of one report published by several outlets share one
number, and its Sources entry names the original with every copy. Corroboration counts stories
(`story_of`), never outlets or documents: five outlets running one wire story are one source.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.assemble.readings import Readings, read_once
from briefgen.assemble.views import Citation, GradedSource, SourceCopy, SourceEntry
from briefgen.facts import Document, DocumentFacts, Mention
from briefgen.grading import best_rank, grade_meaning
from briefgen.store import sentence_span
from briefgen.stories import Story


class Citer:
    """Numbers the brief's sources (one number per story) and turns (doc, offset) pairs into citations."""

    def __init__(self, documents: list[Document], facts: list[DocumentFacts],
                 stories: list[Story] | None = None, read: Readings | None = None) -> None:
        """`stories` group the documents (each document is a story of its own when None or not in one); `read`
        holds the build's readings (`assemble.readings`): here, the sentences quoted."""
        ordered = sorted(_stories_of(documents, stories or []), key=lambda story: _number_order(story.original))
        self._numbers = {doc.id: number for number, story in enumerate(ordered, start=1) for doc in story.documents}
        self._stories = {doc.id: story.id for story in ordered for doc in story.documents}
        self._documents = {doc.id: doc for doc in documents}
        self._sentences = {item.doc: item.sentences for item in facts}
        self.sources = [_source_entry(number, story) for number, story in enumerate(ordered, start=1)]
        self._read = {} if read is None else read

    def cite(self, doc: str, start: int, end: int | None = None) -> Citation | None:
        """The citation for a span of a document, quoting the sentence it sits in."""
        number = self._numbers.get(doc)
        if number is None:
            return None
        return Citation(number=number, sentence=self.sentence(doc, start, end), grade=self._documents[doc].grade,
                        page=self.page(doc, start))

    def cite_exact(self, doc: str, start: int, end: int) -> Citation | None:
        """The citation for a span of a document quoting exactly that span (a sentence found otherwise)."""
        number = self._numbers.get(doc)
        if number is None:
            return None
        document = self._documents[doc]
        return Citation(number=number, sentence=document.text[start:end], grade=document.grade,
                        page=self.page(doc, start))

    def page(self, doc: str, offset: int) -> int | None:
        """The page (from 1) of a paged document that `offset` falls on; None for a document without pages."""
        return self._documents[doc].page_at(offset)

    def sentence(self, doc: str, start: int, end: int | None = None) -> str:
        """The whole sentence around a span, or the sentences it runs over (the span itself when sentences are
        unknown)."""
        return read_once(self._read, ("sentence", doc, start, end), lambda: self._sentence(doc, start, end))

    def _sentence(self, doc: str, start: int, end: int | None) -> str:
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

    def grade(self, doc: str) -> str | None:
        """A source's Admiralty grade ('B2'), None when ungraded or unknown."""
        document = self._documents.get(doc)
        return document.grade if document else None

    def graded(self) -> bool:
        """Whether any source of the brief has a grade."""
        return any(document.grade for document in self._documents.values())

    def best_rank(self, docs: Iterable[str]) -> tuple[int, int]:
        """The sort key of the best grade among these sources (`briefgen.grading.best_rank`): lower is better."""
        return best_rank(self.grade(doc) for doc in docs)

    def graded_sources(self, docs: Iterable[str]) -> list[GradedSource]:
        """Each source named once (outlet, else title), with its grade, in the order given."""
        named: dict[str, GradedSource] = {}
        for doc in docs:
            grade = self.grade(doc)
            named.setdefault(self.source_name(doc), GradedSource(self.source_name(doc), grade, grade_meaning(grade)))
        return list(named.values())

    def story_of(self, doc: str) -> str:
        """The id of the story a document tells: what corroboration counts (copies of one report are one)."""
        return self._stories.get(doc, doc)

    def cite_mentions(self, mentions: Iterable[Mention]) -> list[Citation]:
        """One citation per source among the mentions (the first mention in each), by source number."""
        first: dict[int, Mention] = {}  # only these are cited: an actor named 5,000 times has a few sources
        for mention in mentions:
            number = self._numbers.get(mention.doc)
            if number is not None:
                first.setdefault(number, mention)
        return [citation for _, mention in sorted(first.items())
                if (citation := self.cite(mention.doc, mention.start, mention.end)) is not None]

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


def _stories_of(documents: list[Document], stories: list[Story]) -> list[Story]:
    """The stories restricted to the documents given (an audience may see only some copies), with a story
    of its own for each document no story holds; the earliest given document of a story is its original."""
    given = {doc.id for doc in documents}
    kept = [Story(id=story.id, documents=[doc for doc in story.documents if doc.id in given]) for story in stories]
    kept = [story for story in kept if story.documents]
    held = {doc.id for story in kept for doc in story.documents}
    return kept + [Story(id=doc.id, documents=[doc]) for doc in documents if doc.id not in held]


def _number_order(original: Document) -> tuple[str, str]:
    return original.published or "", original.title or original.path


def _source_entry(number: int, story: Story) -> SourceEntry:
    original = story.original
    return SourceEntry(
        number=number, doc_id=original.id, title=original.title or original.path, outlet=original.outlet,
        published=original.published, url=_web_address(original), path=original.path, grade=original.grade,
        grade_meaning=grade_meaning(original.grade), page_count=len(original.pages) or None,
        fetched=original.fetched,
        copies=[_copy(doc) for doc in story.documents[1:]],
    )


def _copy(doc: Document) -> SourceCopy:
    return SourceCopy(doc_id=doc.id, title=doc.title or doc.path, outlet=doc.outlet, published=doc.published,
                      url=_web_address(doc), path=doc.path, grade=doc.grade, grade_meaning=grade_meaning(doc.grade))


def _web_address(doc: Document) -> str | None:
    return doc.url if doc.url and doc.url.startswith(("http://", "https://")) else None
