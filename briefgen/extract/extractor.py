"""The Extractor: spaCy's statistical components, then the fact rules, over documents (see the package
docstring); in this process or over worker processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc

from briefgen.config import Gazetteer
from briefgen.extract.components import RULE_COMPONENTS, facts_of
from briefgen.extract.known import Known
from briefgen.extract.pieces import PIECE_CHARS, parse_long
from briefgen.extract.pipeline import build_nlp
from briefgen.extract.workers import MULTIPROCESS_MIN_DOCUMENTS, extract_in_workers
from briefgen.facts import Document, DocumentFacts

BATCH_SIZE = 32
# Texts parsed together hold at most this many characters: the parser's temporary memory grows with
# the text parsed at once, and batching saves no time (measured: the example sources, 30 documents,
# parse in the same time with nlp.pipe batches of 1, 8 or 32).
BATCH_CHARS = PIECE_CHARS


class Extractor:
    """Loads spaCy once (with the gazetteer's names, roles, tactics and cues) and extracts facts from
    documents."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.nlp = build_nlp(gazetteer)
        self.known: Known = self.nlp.get_pipe("briefgen_entities").known  # type: ignore[attr-defined]
        self.roles = self.nlp.get_pipe("briefgen_entities").roles  # type: ignore[attr-defined]

    def extract(
        self,
        documents: Iterable[Document],
        processes: int | None = None,
        *,
        on_failure: Callable[[Document, str], None] | None = None,
    ) -> Iterator[DocumentFacts]:
        """One DocumentFacts per document, in order. Over worker processes when there are enough
        documents to repay starting them (or `processes` when given), else in this process.

        With `on_failure`, a document whose extraction raises an exception is reported through it,
        with a one-line reason, and skipped; without it, the exception propagates.
        """
        documents = list(documents)
        if processes is None:
            processes = process_count(len(documents))
        if processes > 1:
            yield from extract_in_workers(self.gazetteer, documents, processes, on_failure)
            return
        for batch in parse_batches(documents):
            for document, parsed in self._parse(batch, isolate=on_failure is not None):
                facts = self._facts_or_failure(document, parsed, on_failure)
                if facts is not None:
                    yield facts

    def _parse(self, batch: list[Document], isolate: bool) -> list[tuple[Document, Doc | Exception]]:
        """Each document parsed; when `isolate`, a failed batch is parsed again document by document, so
        that the error stays with the document that raised it."""
        if not isolate:
            return list(zip(batch, self._parse_batch(batch), strict=True))
        try:
            return list(zip(batch, self._parse_batch(batch), strict=True))
        except Exception as error:
            if len(batch) == 1:
                return [(batch[0], error)]
        return [(document, self._parse_alone(document)) for document in batch]

    def _parse_alone(self, document: Document) -> Doc | Exception:
        try:
            return self._parse_batch([document])[0]
        except Exception as error:
            return error

    def parse(self, text: str) -> Doc:
        """A text of any length parsed by the statistical components (in pieces when long), not yet
        annotated by the fact rules (see `annotate`)."""
        return parse_long(self.nlp, text, disable=RULE_COMPONENTS)

    def _parse_batch(self, batch: list[Document]) -> list[Doc]:
        """Parsed by the statistical components: a long document alone in pieces; short ones together,
        each whole."""
        if len(batch) == 1:
            return [self.parse(batch[0].text)]
        texts = [document.text for document in batch]
        return list(self.nlp.pipe(texts, batch_size=len(batch), disable=RULE_COMPONENTS))

    def _facts_or_failure(
        self, document: Document, parsed: Doc | Exception, on_failure: Callable[[Document, str], None] | None
    ) -> DocumentFacts | None:
        """The document's facts, or None after reporting why they could not be had."""
        try:
            if isinstance(parsed, Exception):
                raise parsed
            return self.facts(parsed, document)
        except Exception as error:
            if on_failure is None:
                raise
            on_failure(document, failure_reason(error))
            return None

    def facts(self, doc: Doc, document: Document) -> DocumentFacts:
        """The facts of one parsed document: the fact rules annotate its Doc, the facts are read off it."""
        return facts_of(self.annotate(doc, document))

    def annotate(self, doc: Doc, document: Document) -> Doc:
        """Run the fact rules on a Doc parsed from `document` (they read its id, date, outlet and URL)."""
        doc._.document = document
        for name in RULE_COMPONENTS:
            doc = self.nlp.get_pipe(name)(doc)
        return doc


def process_count(documents: int) -> int:
    """How many processes extract this many documents: two (on two or more cores) when there are enough to
    repay starting them, else one."""
    return min(2, os.cpu_count() or 1) if documents >= MULTIPROCESS_MIN_DOCUMENTS else 1


def extract_documents(gazetteer: Gazetteer, documents: list[Document], *,
                      on_failure: Callable[[Document, str], None] | None = None) -> Iterator[DocumentFacts]:
    """The facts of each document in order, as `Extractor.extract` gives them; when worker processes do the
    work, this process loads no pipeline of its own."""
    processes = process_count(len(documents))
    if processes > 1:
        yield from extract_in_workers(gazetteer, documents, processes, on_failure)
    else:
        yield from Extractor(gazetteer).extract(documents, processes=1, on_failure=on_failure)


def parse_batches(documents: list[Document]) -> Iterator[list[Document]]:
    """Consecutive documents parsed together: at most BATCH_SIZE of them and BATCH_CHARS characters, and
    a document longer than that alone."""
    batch: list[Document] = []
    size = 0
    for document in documents:
        if batch and (len(batch) == BATCH_SIZE or size + len(document.text) > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(document)
        size += len(document.text)
    if batch:
        yield batch


def failure_reason(error: BaseException, limit: int = 300) -> str:
    """One line saying why a document's extraction failed."""
    message = " ".join(str(error).split())
    reason = f"extraction failed: {type(error).__name__}" + (f": {message}" if message else "")
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"
