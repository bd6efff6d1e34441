"""Incident tolls across copies of one wire story: an update of one report, not sources that differ."""

from __future__ import annotations

from dataclasses import replace

from briefgen.facts import Document, DocumentFacts, Incident
from briefgen.incidents import IncidentTable
from briefgen.stories import Story

TEXT = "A roadside bomb killed 3 people near Kirkuk on 13 October 2025."
BOMB = Incident(
    id="inc-wire-1", doc="wire", start=0, end=len(TEXT), event="ev-wire-1", event_type="Explosions/Remote violence",
    sub_event_type="Remote explosive/landmine/IED", event_date="2025-10-13", time_precision="day",
    location="kirkuk", location_name="Kirkuk", latitude=35.47, longitude=44.39, geo_precision=2,
    fatalities_low=3, fatalities_high=3,
)
DOCUMENTS = {doc_id: Document(id=doc_id, path=f"{doc_id}.md", text=TEXT, outlet=outlet, published="2025-10-13")
             for doc_id, outlet in (("wire", "Wire One"), ("copy", "Daily Post"), ("other", "Kirkuk Now"))}
WIRE_STORY = Story(id="wire", documents=[DOCUMENTS["wire"], DOCUMENTS["copy"]])


def table(tolls: dict[str, int]) -> IncidentTable:
    """The incident table of documents each telling the bomb with its toll; wire and copy one story."""
    incidents = [replace(BOMB, id=f"inc-{doc}-1", doc=doc, fatalities_low=toll, fatalities_high=toll)
                 for doc, toll in tolls.items()]
    facts = [DocumentFacts(doc=incident.doc, incidents=[incident]) for incident in incidents]
    return IncidentTable.of([DOCUMENTS[doc] for doc in tolls], facts, [WIRE_STORY])


def test_two_copies_of_one_story_with_different_tolls_keep_both_but_do_not_differ() -> None:
    updated = table({"wire": 3, "copy": 5})
    (record,) = updated.records
    assert "Sources differ" not in updated.notes(record)
    detail = updated.detail(record)
    assert [(item["source"], item["low"]) for item in detail["fatalities_by_source"]] == [("copy", 5), ("wire", 3)]
    assert [source["story"] for source in detail["sources"]] == ["wire", "wire"]


def test_an_independent_report_with_another_toll_differs() -> None:
    told = table({"wire": 3, "copy": 3, "other": 5})
    (record,) = told.records
    assert "Sources differ on fatalities:" in told.notes(record) and "5 (Kirkuk Now)" in told.notes(record)
