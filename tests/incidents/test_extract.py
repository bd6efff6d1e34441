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


def test_an_undated_strike_told_as_news_is_dated_to_the_month_of_publication(run: Run) -> None:
    incident = only(run, "The command said Iraqi aircraft hit eight ISIS hideouts in the Hamrin Mountains "
                         "in the Kirkuk region.")
    assert (incident.event_type, incident.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert (incident.event_date, incident.time_precision) == ("2025-11", "month")
    assert incident.location_name == "Hamrin Mountains"  # the first named: "the Kirkuk region" is no city


@pytest.mark.parametrize("text", [
    "ISIS had executed 54 soldiers who had deserted during the war.",  # background
    "The militants could attack the camp.",
    "Officials said the army did not arrest anyone.",
    "Several militants were killed and a hideout was destroyed.",  # the outcome of an incident told before
])
def test_undated_background_conditions_and_outcomes_are_no_incidents(run: Run, text: str) -> None:
    _, facts = run("Parliament met in Baghdad on 9 November 2025 to debate the budget. " + text)
    assert facts.incidents == []


def test_an_intercepted_bomber_is_disrupted_weapons_use(run: Run) -> None:
    incident = only(run, "In Kirkuk, security forces intercepted a would-be suicide bomber before he could "
                         "set off his belt.")
    assert (incident.event_type, incident.sub_event_type) == ("Strategic developments", "Disrupted weapons use")
    assert incident.location_name == "Kirkuk"


def test_an_undated_retelling_adds_no_incident_but_gives_its_toll(run: Run) -> None:
    _, facts = run("Gunmen attacked a checkpoint near Tikrit on 2 November 2025. "
                   "Two soldiers were killed in the attack.")
    assert len(facts.incidents) == 1
    assert (facts.incidents[0].fatalities_low, facts.incidents[0].fatalities_high) == (2, 2)


def test_a_toll_in_the_headline_is_read_again_in_the_story(run: Run) -> None:
    text = ("Attack kills three soldiers in Kirkuk\n\n"
            "Three soldiers were killed and four others were wounded on 9 November 2025 in an attack on "
            "their post near Kirkuk, officials said.")
    _, facts = run(text)
    told = [item for item in facts.incidents if item.start > text.index("\n\n")]
    assert [(item.fatalities_low, item.injured_low) for item in told] == [(3, 4)]


def test_one_person_named_as_killed_is_a_toll_of_one(run: Run) -> None:
    incident = only(run, "A raid in late October bore that out: senior ISIS figure Salim Hassan al-Obeidi, reportedly "
                         "ranked fifth in the group, was killed in Mosul.")
    assert (incident.fatalities_low, incident.fatalities_high) == (1, 1)
    assert "al-Obeidi" in incident.what  # the sentence tells one incident: its words are all of it


def test_history_recalled_by_a_source_is_no_incident(run: Run) -> None:
    _, facts = run("ISIS overran Mosul in June 2014. Gunmen attacked a patrol near Tikrit on 2 November 2025.")
    assert [item.event_date for item in facts.incidents] == ["2025-11-02"]


def test_an_aircraft_set_on_fire_is_property_destruction_not_an_air_strike(run: Run) -> None:
    incident = only(run, "Fighters set fire to a presidential aircraft at the airport in Mosul on 2 November 2025.")
    assert (incident.event_type, incident.sub_event_type) == ("Strategic developments", "Looting/property destruction")


def test_troops_leaving_a_country_are_a_change_to_group_activity(run: Run) -> None:
    incident = only(run, "The last French soldiers left Niger on 22 October 2025, ending a decade of deployment.")
    assert (incident.event_type, incident.sub_event_type) == ("Strategic developments", "Change to group/activity")


def test_the_dateline_is_where_the_report_was_filed_not_where_it_happened(run: Run) -> None:
    incident = only(run, "BAGHDAD — A roadside bomb struck an army patrol in Anbar province on 2 November 2025.")
    assert incident.location_name == "Al-Anbar"


def test_who_reports_an_incident_is_no_party_to_it(run: Run) -> None:
    incident = only(run, "The last French soldiers left Niger on Friday, 22 October 2025, the Iraqi Army said, "
                         "closing the withdrawal of the troops France kept in the country.")
    assert incident.sub_event_type == "Change to group/activity"
    assert incident.actor1 != "iraqi-army" and incident.actor2 != "iraqi-army"
    assert incident.actor2 != "niger"  # where it happened is no party to it


def test_a_government_brought_down_is_territory_taken_and_its_leader_no_attacker(run: Run) -> None:
    _, facts = run("Officials said this week that the fall of President Omar Haddad's government in Damascus on "
                   "8 November 2025 has renewed fears of a resurgence.")
    (incident,) = [item for item in facts.incidents if item.event_type == "Battles"]
    assert incident.sub_event_type == "Non-state actor overtakes territory"
    assert incident.event_date == "2025-11-08" and incident.location_name == "Damascus"
    assert "omar-haddad" in {actor.id for actor in facts.actors} and incident.actor1 != "omar-haddad"
    assert incident.what.startswith("the fall of")  # what comes before tells of nothing that happened
