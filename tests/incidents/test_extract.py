"""Incidents coded from events by the briefgen_incidents component, with the real spaCy pipeline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from briefgen.extract import Extractor
from briefgen.extract.components import RULE_COMPONENTS
from briefgen.facts import Document, DocumentFacts, Incident

Run = Callable[..., tuple[Document, DocumentFacts]]


def only(run: Run, text: str) -> Incident:
    """The one incident extracted from `text`."""
    _, facts = run(text)
    assert len(facts.incidents) == 1, facts.incidents
    return facts.incidents[0]


def test_the_component_runs_after_events_and_quantities() -> None:
    names = list(RULE_COMPONENTS)
    assert names.index("briefgen_incidents") > max(names.index("briefgen_events"), names.index("briefgen_quantities"))


def test_a_roadside_bomb_near_a_town(run: Run) -> None:
    text = "A roadside bomb killed three soldiers near Kirkuk on 13 October 2025."
    incident = only(run, text)
    assert (incident.event_type, incident.sub_event_type) == (
        "Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert (incident.fatalities_low, incident.fatalities_high) == (3, 3)
    assert (incident.location_name, incident.geo_precision) == ("Kirkuk", 2)
    assert incident.latitude is not None and incident.longitude is not None
    assert (incident.event_date, incident.time_precision) == ("2025-10-13", "day")
    assert (incident.doc, text[incident.start : incident.end]) == ("t1", text)


def test_a_drone_strike_in_a_town(run: Run) -> None:
    incident = only(run, "A Turkish drone strike killed two PKK fighters in Sinjar on 4 September 2025.")
    assert incident.sub_event_type == "Air/drone strike" and incident.event_type == "Explosions/Remote violence"
    assert (incident.location, incident.geo_precision) == ("sinjar", 1)
    assert incident.actor2 == "pkk" and (incident.fatalities_low, incident.fatalities_high) == (2, 2)


def test_an_ambush_with_a_lower_bound_and_wounded(run: Run) -> None:
    incident = only(run, "ISIS militants ambushed an army patrol outside Tuz Khurmatu on 2 November 2025, "
                         "killing at least 4 soldiers and wounding 6 others.")
    assert (incident.event_type, incident.sub_event_type) == ("Battles", "Armed clash")
    assert incident.actor1 == "islamic-state"
    assert (incident.fatalities_low, incident.fatalities_high) == (4, None)  # "at least": never a high
    assert (incident.injured_low, incident.injured_high) == (6, 6)
    assert incident.geo_precision == 2 and incident.event_date == "2025-11-02"


def test_an_arrest_names_who_arrested_whom(run: Run) -> None:
    incident = only(run, "Iraqi security forces arrested five ISIS suspects in Mosul on 20 October 2025.")
    assert (incident.event_type, incident.sub_event_type) == ("Strategic developments", "Arrests")
    assert (incident.actor1, incident.actor2) == ("iraqi-security-forces", "islamic-state")
    assert incident.fatalities_low is None and (incident.location, incident.geo_precision) == ("mosul", 1)


def test_a_base_handover_is_a_transfer_of_territory(run: Run) -> None:
    incident = only(run, "The coalition handed over Ain al-Asad Air Base to the Iraqi army on 30 September 2025.")
    assert (incident.event_type, incident.sub_event_type) == (
        "Strategic developments", "Non-violent transfer of territory")
    assert (incident.actor1, incident.actor2) == ("global-coalition-to-defeat-isis", "iraqi-army")
    assert (incident.location, incident.geo_precision) == ("ain-al-asad-air-base", 1)


@pytest.mark.parametrize(("text", "sub_event_type"), [
    ("Gunmen kidnapped two aid workers near Baqubah in October 2025.", "Abduction/forced disappearance"),
    ("ISIS gunmen attacked villagers in Diyala on 3 October 2025, killing five civilians.", "Attack"),
])
def test_violence_against_civilians(run: Run, text: str, sub_event_type: str) -> None:
    incident = only(run, text)
    assert (incident.event_type, incident.sub_event_type) == ("Violence against civilians", sub_event_type)


def test_a_region_is_precision_three_and_a_month_keeps_its_precision(run: Run) -> None:
    incident = only(run, "ISIS gunmen attacked villagers in Diyala on 3 October 2025, killing five civilians.")
    assert (incident.location, incident.geo_precision) == ("diyala", 3)
    incident = only(run, "Gunmen kidnapped two aid workers near Baqubah in October 2025.")
    assert (incident.event_date, incident.time_precision) == ("2025-10", "month")


def test_statements_and_plans_are_no_incidents(run: Run) -> None:
    _, facts = run("The minister said on 3 October 2025 that talks would continue. "
                   "Officials expect further attacks before the elections on 11 November 2025.")
    assert facts.incidents == []


def test_incidents_are_written_onto_the_doc(extractor: Extractor) -> None:
    text = "A roadside bomb killed three soldiers near Kirkuk on 13 October 2025."
    doc = extractor.annotate(extractor.parse(text), Document(id="d1", path="d1.txt", text=text))
    (span,) = doc.spans["briefgen_incidents"]
    assert isinstance(span._.fact, Incident) and span.label_ == "Remote explosive/landmine/IED"


def test_a_reported_handover_is_an_incident_of_who_left(run: Run) -> None:
    incident = only(run, "The Joint Operations Command announced on 27 September 2025 that the last coalition "
                         "personnel had left Ain al-Asad Air Base.")
    assert incident.sub_event_type == "Non-violent transfer of territory"
    assert incident.actor1 == "global-coalition-to-defeat-isis" and incident.event_date == "2025-09-27"


def test_families_leaving_a_camp_hand_over_no_territory(run: Run) -> None:
    _, facts = run("A convoy carrying about 180 Iraqi families left al-Hol camp on 16 November 2025.")
    assert facts.incidents == []


def test_east_of_the_city_of_a_town_is_near_it(run: Run) -> None:
    incident = only(run, "On 9 November 2025 gunmen attacked an army checkpoint east of the city of Kirkuk, "
                         "killing four soldiers.")
    assert (incident.location, incident.geo_precision) == ("kirkuk", 2)
    assert (incident.event_type, incident.fatalities_low) == ("Battles", 4)
