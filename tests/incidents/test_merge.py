"""One record per incident, however many sources tell it; where they disagree, each value with its source."""

from __future__ import annotations

from dataclasses import replace

from briefgen.facts import Document, DocumentFacts, Incident
from briefgen.incidents import IncidentTable, as_csv, dates_agree, merge_incidents

IED = Incident(
    id="inc-a-1", doc="a", start=0, end=10, event="ev-a-1", event_type="Explosions/Remote violence",
    sub_event_type="Remote explosive/landmine/IED", event_date="2025-10-13", time_precision="day",
    location="kirkuk", location_name="Kirkuk", latitude=35.47, longitude=44.39, geo_precision=2,
    fatalities_low=3, fatalities_high=3,
)


def test_dates_agree_when_one_holds_the_other_or_a_day_apart() -> None:
    assert dates_agree("2025-10-13", "2025-10") and dates_agree("2025-10-13", "2025-10-14")
    assert not dates_agree("2025-10-13", "2025-10-16") and not dates_agree("2025-10", "2025-11")
    assert not dates_agree(None, "2025-10-13") and not dates_agree("2025", "2025-10-13")


def test_two_sources_with_different_tolls_are_one_record_keeping_both() -> None:
    other = replace(IED, id="inc-b-1", doc="b", fatalities_low=5, fatalities_high=5, geo_precision=1)
    (record,) = merge_incidents([IED, other])
    assert record.sources == ["a", "b"]
    assert record.fatalities_by_source == {"a": (3, 3), "b": (5, 5)}
    assert record.toll("fatalities_low", "fatalities_high") == (3, 5)
    assert record.placed.geo_precision == 1 and not record.dates_by_source


def test_a_month_and_a_day_merge_and_the_day_is_kept() -> None:
    vaguer = replace(IED, id="inc-b-1", doc="b", event_date="2025-10", time_precision="month")
    (record,) = merge_incidents([vaguer, IED])
    assert (record.dated.event_date, record.dated.time_precision) == ("2025-10-13", "day")
    assert record.dates_by_source == {}  # the month holds the day: no disagreement
    next_day = replace(IED, id="inc-c-1", doc="c", event_date="2025-10-14")
    (record,) = merge_incidents([vaguer, IED, next_day])
    assert record.dates_by_source == {"a": "2025-10-13", "b": "2025-10", "c": "2025-10-14"}


def test_different_types_places_or_dates_stay_apart() -> None:
    clash = replace(IED, id="inc-b-1", doc="b", event_type="Battles", sub_event_type="Armed clash")
    far = replace(IED, id="inc-c-1", doc="c", location="mosul", location_name="Mosul", latitude=36.34,
                  longitude=43.13)
    later = replace(IED, id="inc-d-1", doc="d", event_date="2025-10-20")
    assert len(merge_incidents([IED, clash, far, later])) == 4


def test_a_place_inside_another_name_or_close_by_overlaps() -> None:
    province = replace(IED, id="inc-b-1", doc="b", location="kirkuk-governorate", location_name="Kirkuk Governorate",
                       latitude=35.3, longitude=44.3, geo_precision=3)
    (record,) = merge_incidents([IED, province])
    assert record.places_by_source == {"a": "Kirkuk", "b": "Kirkuk Governorate"}


def test_the_csv_row_names_sources_and_says_where_they_differ() -> None:
    other = replace(IED, id="inc-b-1", doc="b", fatalities_low=5, fatalities_high=5)
    documents = [Document(id="a", path="a.md", text="A roadside bomb.", outlet="Desk Wire"),
                 Document(id="b", path="b.md", text="A roadside bomb.", outlet="Kirkuk Daily")]
    table = IncidentTable.of(documents, [DocumentFacts(doc="a", incidents=[IED]),
                                         DocumentFacts(doc="b", incidents=[other])])
    row = table.row(table.records[0])
    assert row["source"] == "Desk Wire; Kirkuk Daily" and row["sources"] == 2
    assert (row["fatalities"], row["fatalities_high"]) == (3, 5)
    assert "Sources differ on fatalities: 3 (Desk Wire), 5 (Kirkuk Daily)." in row["notes"]
    assert as_csv(table).splitlines()[0].startswith("event_date,time_precision,event_type,sub_event_type,actor1")


def test_an_account_without_a_place_joins_the_same_agent_doing_the_same() -> None:
    handover = replace(IED, event_type="Strategic developments", sub_event_type="Non-violent transfer of territory",
                       actor1="coalition", event_date="2025-09", time_precision="month", fatalities_low=None,
                       fatalities_high=None)
    unplaced = replace(handover, id="inc-b-1", doc="b", event_date="2025-09-27", time_precision="day",
                       location=None, location_name=None, latitude=None, longitude=None, geo_precision=None)
    (record,) = merge_incidents([handover, unplaced])
    assert (record.dated.event_date, record.placed.location) == ("2025-09-27", "kirkuk")
    assert len(merge_incidents([handover, replace(unplaced, actor1="army")])) == 2
