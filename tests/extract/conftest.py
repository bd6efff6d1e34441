"""Shared fixtures: one Extractor per test session (loading spaCy is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config import Gazetteer, KnownActor, KnownPlace, KnownTactic, load_model
from briefgen.extract import Extractor
from briefgen.facts import Document, DocumentFacts

REPO = Path(__file__).resolve().parents[2]
GAZETTEER = REPO / "config" / "gazetteer.yaml"
CORPUS = REPO.parent / "shared" / "corpus"

SMALL_GAZETTEER = Gazetteer(
    actors=[
        KnownActor(name="Islamic State", kind="organization", aliases=["ISIS", "IS", "Daesh"]),
        KnownActor(name="Syrian Democratic Forces", kind="organization", aliases=["SDF"]),
    ],
    places=[
        KnownPlace(
            name="Ain al-Asad Air Base",
            kind="base",
            country="Iraq",
            lat=33.8,
            lon=42.44,
            aliases=["Ain al-Asad", "Ain al-Assad", "Ain al-Assad Air Base"],
        ),
        KnownPlace(name="al-Hol camp", kind="camp", country="Syria", aliases=["al-Hol"]),
        KnownPlace(name="Iraq", kind="country", country="Iraq"),
        KnownPlace(name="Hamrin Mountains", kind="region", country="Iraq", aliases=["Hamrin"]),
    ],
    roles=["security analyst", "national security advisor"],
    tactics=[KnownTactic(name="IED", aliases=["IEDs", "roadside bomb"])],
)


def gazetteer() -> Gazetteer:
    """The project gazetteer when present, else a small one for these tests."""
    if GAZETTEER.exists():
        return load_model(Gazetteer, GAZETTEER, "config/gazetteer.yaml")
    return SMALL_GAZETTEER


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The Extractor, loaded once."""
    return Extractor(gazetteer())


@pytest.fixture(scope="session")
def run(extractor: Extractor):
    """Extract from one text: run(text, published=None, outlet=None) -> (Document, DocumentFacts)."""

    def _run(
        text: str, published: str | None = None, outlet: str | None = None
    ) -> tuple[Document, DocumentFacts]:
        document = Document(id="t1", path="t.txt", text=text, published=published, outlet=outlet)
        return document, next(extractor.extract([document]))

    return _run


@pytest.fixture(scope="session")
def bare_run():
    """Extract from one text with no gazetteer at all, as a desk on a new theatre starts:
    bare_run(text, published=None, url=None) -> (Document, DocumentFacts)."""
    extractor = Extractor(Gazetteer())

    def _run(text: str, published: str | None = None, url: str | None = None) -> tuple[Document, DocumentFacts]:
        document = Document(id="t1", path="t.txt", text=text, published=published, url=url)
        return document, next(extractor.extract([document]))

    return _run


@pytest.fixture(scope="session")
def check_offsets():
    """The offset checker, as a fixture."""
    return assert_offsets


def assert_offsets(document: Document, facts: DocumentFacts) -> None:
    """Every fact's offsets read back the words it records."""
    text = document.text
    for actor in facts.actors:
        for mention in actor.mentions:
            assert mention.doc == document.id and 0 <= mention.start < mention.end <= len(text)
    for location in facts.locations:
        for mention in location.mentions:
            assert 0 <= mention.start < mention.end <= len(text)
    for event in facts.events:
        assert text[event.start : event.end] == event.what
        assert event.date_text is None or event.date_text in text
    for quantity in facts.quantities:
        assert text[quantity.start : quantity.end] == quantity.text
    for quote in facts.quotes:
        assert text[quote.start : quote.end] == quote.text
    for tactic in facts.tactics:
        assert text[tactic.start : tactic.end]
