"""Incidents kept in the fact store with the other facts of their document (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from briefgen.facts import Document, DocumentFacts, Incident
from briefgen.store import ExtractionKey, FactStore
from tests.postgres import StoreBackend

KEY = ExtractionKey(content="c", extractor="x", model="m", gazetteer="g")
INCIDENT = Incident(
    id="inc-d1-5", doc="d1", start=0, end=20, event="ev-d1-5", event_type="Battles",
    sub_event_type="Armed clash", event_date="2025-10-13", time_precision="day", actor1="a",
    location="kirkuk", location_name="Kirkuk", latitude=35.47, longitude=44.39, geo_precision=2,
    fatalities_low=3, fatalities_high=None, cue="ambushed",
)


def test_incidents_round_trip(tmp_path: Path, store_backend: StoreBackend) -> None:
    document = Document(id="d1", path="d1.txt", text="Gunmen ambushed a patrol.")
    with FactStore(store_backend.location(tmp_path)) as store:
        store.save([(document, DocumentFacts(doc="d1", incidents=[INCIDENT]))], KEY)
    with FactStore(store_backend.location(tmp_path)) as store:
        (facts,) = store.facts(["d1"])
    assert facts.incidents == [INCIDENT]


def test_a_store_saved_without_incidents_reads_none(tmp_path: Path, store_backend: StoreBackend) -> None:
    document = Document(id="d1", path="d1.txt", text="Gunmen ambushed a patrol.")
    with FactStore(store_backend.location(tmp_path)) as store:
        store.save([(document, DocumentFacts(doc="d1"))], KEY)
        (facts,) = store.facts(["d1"])
    assert facts.incidents == []
