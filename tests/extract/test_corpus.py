"""The two reference articles of the shared corpus, through ingest and extraction."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefgen.extract import merge_facts
from briefgen.ingest import read_document

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not (CORPUS / "corpus.yaml").is_file(), reason="shared corpus absent")


@pytest.fixture(scope="module")
def corpus_facts(extractor):
    entries = yaml.safe_load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"))["documents"]
    documents = []
    for entry in entries:
        document = read_document(CORPUS / entry["file"], CORPUS)
        document.published = entry["published"]
        documents.append(document)
    return list(zip(documents, extractor.extract(documents), strict=True))


def test_offsets_read_back(corpus_facts, check_offsets) -> None:
    for document, facts in corpus_facts:
        check_offsets(document, facts)


def test_sarmad_al_bayati_role(corpus_facts) -> None:
    for _, facts in corpus_facts:
        actor = next(actor for actor in facts.actors if actor.name == "Sarmad al-Bayati")
        assert actor.kind == "person"
        assert "security analyst" in actor.role or "security expert" in actor.role


def test_al_araji_role(corpus_facts) -> None:
    actors = [actor for _, facts in corpus_facts for actor in facts.actors]
    assert (
        next(actor for actor in actors if actor.name == "Qasim al-Araji").role == "national security advisor"
    )


def test_places_are_not_persons(corpus_facts) -> None:
    persons = {actor.name.lower() for _, facts in corpus_facts for actor in facts.actors}
    places = {location.name: location for _, facts in corpus_facts for location in facts.locations}
    for name in ("Hamrin Mountains", "Wadi Hauran", "Ain al-Asad Air Base", "al-Hol camp"):
        assert name in places
        assert not any(word in person for person in persons for word in (name.lower(), "al-hol", "ain al-as"))
    assert places["al-Hol camp"].kind == "camp"


def test_deadline_events(corpus_facts) -> None:
    events = [(document, event) for document, facts in corpus_facts for event in facts.events]
    for words, date in (("September 2025", "2025-09"), ("September 2026", "2026-09")):
        matching = [(doc, event) for doc, event in events if event.date_text == words]
        assert matching
        for document, event in matching:
            assert event.date == date and event.planned
            assert words in document.text[event.start : event.end]


def test_quantities(corpus_facts) -> None:
    quantities = [quantity for _, facts in corpus_facts for quantity in facts.quantities]
    years = {2014, 2017, 2020, 2022, 2024, 2025, 2026}
    assert not any(quantity.low in years or quantity.high in years for quantity in quantities)
    ranged = next(quantity for quantity in quantities if quantity.text == "150–200")
    assert (ranged.low, ranged.high, ranged.subject) == (150, 200, "micro-cells")
    assert not any("16" in quantity.text for quantity in quantities)


def test_quotes_have_speakers(corpus_facts) -> None:
    quotes = [quote for _, facts in corpus_facts for quote in facts.quotes if quote.direct]
    unchanged = next(quote for quote in quotes if quote.text.startswith("These timelines"))
    assert unchanged.speaker == "sarmad-al-bayati"


def test_merge_joins_actors_across_documents(corpus_facts) -> None:
    merged = merge_facts(facts for _, facts in corpus_facts)
    bayati = [actor for actor in merged.actors if actor.id == "sarmad-al-bayati"]
    assert len(bayati) == 1 and {mention.doc for mention in bayati[0].mentions} == {
        document.id for document, _ in corpus_facts
    }
    assert len(merged.events) == sum(len(facts.events) for _, facts in corpus_facts)
