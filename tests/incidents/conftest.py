"""Shared fixtures: one Extractor per test session, with the project gazetteer (loading spaCy is slow)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from briefgen.extract import Extractor
from briefgen.facts import Document, DocumentFacts
from tests.extract.conftest import gazetteer


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The Extractor, loaded once."""
    return Extractor(gazetteer())


@pytest.fixture(scope="session")
def run(extractor: Extractor) -> Callable[..., tuple[Document, DocumentFacts]]:
    """Extract from one text: run(text, doc_id="t1", outlet=None) -> (Document, DocumentFacts)."""

    def _run(text: str, doc_id: str = "t1", outlet: str | None = None) -> tuple[Document, DocumentFacts]:
        document = Document(id=doc_id, path=f"{doc_id}.txt", text=text, published="2025-11-10", outlet=outlet)
        return document, next(extractor.extract([document]))

    return _run
