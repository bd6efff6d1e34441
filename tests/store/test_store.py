"""Store: round trip, caching by content hash and extractor version, all-or-nothing writes.

Each test that takes `store_backend` runs on a SQLite file and on a real PostgreSQL server.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from briefgen.database import StoreLocation
from briefgen.errors import BriefgenError
from briefgen.facts import Actor, Document, DocumentFacts, Event, Mention
from briefgen.store import SCHEMA_VERSION, ExtractionKey, FactStore, StoredExtraction, sentence_span
from tests.postgres import StoreBackend

KEY = ExtractionKey(content="c1", extractor="v1", model="m1", gazetteer="g1")


def sample(doc_id: str = "d1") -> tuple[Document, DocumentFacts]:
    text = "Security analyst Sarah Kent spoke. Troops left in September 2025."
    document = Document(id=doc_id, path=f"{doc_id}.md", text=text, published="2025-10")
    facts = DocumentFacts(
        doc=doc_id,
        actors=[Actor(id="sarah-kent", name="Sarah Kent", kind="person", role="security analyst",
                      mentions=[Mention(doc_id, 17, 27)])],
        events=[Event(id=f"ev-{doc_id}-35", date="2025-09", date_text="September 2025", kind="withdrawal",
                      what="Troops left in September 2025.", doc=doc_id, start=35, end=65, precision="month")],
        sentences=[(0, 34), (35, 65)],
    )
    return document, facts


@pytest.fixture
def location(store_backend: StoreBackend, tmp_path: Path) -> StoreLocation:
    return store_backend.location(tmp_path)


def test_round_trip_keeps_every_field(location: StoreLocation) -> None:
    document, facts = sample()
    with FactStore(location) as store:
        store.save([(document, facts)], KEY)
    with FactStore(location) as store:
        assert store.documents() == [document]
        assert store.facts(["d1"]) == [facts]
        assert store.extracted_ids("v1") == {"d1"} and store.extracted_ids("v2") == set()
        assert store.extractions() == {"d1": StoredExtraction("d1.md", KEY)}


def test_page_offsets_of_a_paged_source_are_kept(location: StoreLocation) -> None:
    document, facts = sample()
    document.pages = [0, 35]
    with FactStore(location) as store:
        store.save([(document, facts)], KEY)
    with FactStore(location) as store:
        assert store.documents()[0].pages == [0, 35]


def test_a_version_5_store_gains_page_offsets_and_keeps_its_documents(location: StoreLocation) -> None:
    document, facts = sample()
    with FactStore(location) as store:
        store.save([(document, facts)], KEY)
        with store.transaction() as db:  # as schema version 5 left it
            db.execute("ALTER TABLE documents DROP COLUMN pages")
            db.execute("ALTER TABLE editions DROP COLUMN inputs")
            db.execute("ALTER TABLE editions DROP COLUMN fitted")
            db.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    with FactStore(location) as store:
        assert store.documents() == [document] and document.pages == []
        assert store.extractions() == {"d1": StoredExtraction("d1.md", KEY)}
        db = store.connection
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert tuple(version) == (str(SCHEMA_VERSION),)
        assert [tuple(row) for row in db.execute("SELECT pages FROM documents")] == [("[]",)]


def test_provenance_rows_point_at_the_words(location: StoreLocation) -> None:
    document, facts = sample()
    with FactStore(location) as store:
        store.save([(document, facts)], KEY)
        rows = store.connection.execute('SELECT kind, start, "end" FROM provenance ORDER BY kind').fetchall()
    assert [(kind, document.text[start:end]) for kind, start, end in rows] == [
        ("actor", "Sarah Kent"), ("event", "Troops left in September 2025.")]


def test_a_failed_write_leaves_the_store_as_it_was(location: StoreLocation) -> None:
    with FactStore(location) as store:
        store.save([sample("d1")], KEY)

        def pairs():
            yield sample("d2")
            raise RuntimeError("extraction crashed mid-build")

        with pytest.raises(RuntimeError):
            store.save(pairs(), KEY)
        assert store.extracted_ids("v1") == {"d1"}


def test_a_newer_schema_is_refused(location: StoreLocation) -> None:
    with FactStore(location) as store, store.transaction() as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(BriefgenError, match="newer than this briefgen"):
        FactStore(location)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.db").write_text("not a database " * 100)
    with pytest.raises(BriefgenError, match="the fact store is damaged"):
        FactStore(tmp_path / "s.db")


def test_a_store_whose_tables_are_not_briefgens_is_refused_in_one_line(location: StoreLocation) -> None:
    with FactStore(location) as store, store.transaction() as db:
        db.execute("DELETE FROM meta")
    with pytest.raises(BriefgenError, match="no schema version recorded") as refused:
        FactStore(location)
    assert "\n" not in str(refused.value) and "build again" in str(refused.value)


@pytest.mark.parametrize(("data", "says"), [
    ('{"id": "ev-d1-35", "date": "2025-09"', "Input data was truncated"),
    ('{"id": "ev-d1-35", "kind": "withdrawal", "what": "Troops left.", "doc": "d1", "start": "35", "end": 65}',
     "Expected `int`, got `str` - at `$.start`"),
    ('{"id": "ev-d1-35", "doc": "d1", "start": 35, "end": 65}', "missing required field"),
])
def test_a_stored_fact_that_cannot_be_read_is_refused_in_one_line(location: StoreLocation, data: str,
                                                                   says: str) -> None:
    document, facts = sample()
    with FactStore(location) as store:
        store.save([(document, facts)], KEY)
        with store.transaction() as db:
            db.execute("UPDATE facts SET data = ? WHERE kind = 'event'", (data,))
    with pytest.raises(BriefgenError, match="a stored event cannot be read") as refused, FactStore(location) as store:
        store.facts(["d1"])
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_the_collector_runs_again_after_a_read(location: StoreLocation) -> None:
    with FactStore(location) as store:
        store.save([sample()], KEY)
        assert store.facts(["d1"]) == [sample()[1]]
    assert gc.isenabled()


def test_sentence_span_finds_the_sentence_holding_an_offset() -> None:
    spans = [(0, 34), (35, 65)]
    assert sentence_span(spans, 40) == (35, 65)
    assert sentence_span(spans, 34) is None
