"""Extraction: facts (actors, places, events, quantities, quotes, tactics) from documents.

    extractor = Extractor(gazetteer)
    facts = list(extractor.extract(documents))
    merged = merge_facts(facts)

Every fact carries its document id and character offsets into `Document.text`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from briefgen.config import Gazetteer
from briefgen.extract.actors import RoleLexicon
from briefgen.extract.dates import Published
from briefgen.extract.entities import index_entities
from briefgen.extract.events import extract_events
from briefgen.extract.merge import merge_facts
from briefgen.extract.paragraphs import Paragraphs
from briefgen.extract.pipeline import Known, build_nlp
from briefgen.extract.places import add_relations
from briefgen.extract.quantities import extract_quantities
from briefgen.extract.quotes import QuoteFinder
from briefgen.extract.tactics import TacticMatcher
from briefgen.facts import Document, DocumentFacts

__all__ = ["EXTRACTOR_VERSION", "Extractor", "merge_facts"]

EXTRACTOR_VERSION = "6"
BATCH_SIZE = 32
# Measured with benchmarks/extract_speed.py on 2 cores: two processes parse 10 documents 1.07x, 25 documents
# 1.4x and 50 documents 1.65x as fast as one.
MULTIPROCESS_MIN_DOCUMENTS = 12
MULTIPROCESS_BATCH_SIZE = 8


class Extractor:
    """Loads spaCy once (with a gazetteer entity ruler) and extracts facts from documents."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.nlp = build_nlp(gazetteer)
        self.known = Known.from_gazetteer(gazetteer)
        self.roles = RoleLexicon(self.nlp.make_doc, gazetteer)
        self.tactics = TacticMatcher(self.nlp, gazetteer)

    def extract(self, documents: Iterable[Document], processes: int | None = None) -> Iterator[DocumentFacts]:
        """One DocumentFacts per document, in order; parsing is batched with nlp.pipe, over two processes
        when there are enough documents to repay starting them (or `processes` when given)."""
        documents = list(documents)
        if processes is None:
            processes = min(2, os.cpu_count() or 1) if len(documents) >= MULTIPROCESS_MIN_DOCUMENTS else 1
        pairs = ((document.text, document) for document in documents)
        batch_size = BATCH_SIZE if processes == 1 else MULTIPROCESS_BATCH_SIZE
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=processes):
            yield self.facts(doc, document)

    def facts(self, doc: Doc, document: Document) -> DocumentFacts:
        """The facts of one parsed document."""
        paragraphs = Paragraphs(document.text)
        index = index_entities(doc, document.id, self.known, paragraphs, self.roles, document.outlet)
        add_relations(document.text, index)
        published = Published.parse(document.published)
        return DocumentFacts(
            doc=document.id,
            actors=list(index.actors.values()),
            events=extract_events(doc, document.id, published, index, paragraphs),
            quantities=extract_quantities(doc, document.id),
            locations=list(index.places.values()),
            quotes=QuoteFinder(doc, document.id, index, paragraphs).find(),
            tactics=[t for t in self.tactics.find(doc, document.id) if not paragraphs.is_heading(t.start)],
        )
