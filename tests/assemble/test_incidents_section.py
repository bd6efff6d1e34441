"""The significant incidents section and active zones ranked by incidents: real assembly, rendered HTML."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import html

from briefgen.assemble import assemble_brief, theatre_countries
from briefgen.assemble.views import BriefView, IncidentsSection, ThreatSummarySection
from briefgen.build import SourcePool, brief_input
from briefgen.config import IncidentsSection as IncidentsConfig
from briefgen.errors import ConfigError
from briefgen.facts import Actor, Document, DocumentFacts, Incident, Location, Mention
from briefgen.project import Project, load_project
from briefgen.render import Renderer
from tests.assemble.conftest import BRIEF, BUILD_DATE, section

# Each sentence is one incident: (sentence, event type, sub-event type, date, place id, killed low, killed high).
SENTENCES = [
    ("Protesters marched in Alpha on 20 November 2025.", "Protests", "Peaceful protest",
     "2025-11-20", "alpha", None, None),
    ("A roadside bomb killed 3 soldiers near Beta on 10 November 2025.", "Explosions/Remote violence",
     "Remote explosive/landmine/IED", "2025-11-10", "beta", 3, 3),
    ("Gunmen killed at least 100 villagers in Gamma on 2 October 2025.", "Violence against civilians",
     "Attack", "2025-10-02", "gamma", 100, None),
    ("The army took over the Alpha base on 25 November 2025.", "Strategic developments",
     "Non-violent transfer of territory", "2025-11-25", "alpha", None, None),
    ("Fighters clashed with the army in Alpha on 5 November 2025.", "Battles", "Armed clash",
     "2025-11-05", "alpha", None, None),
    ("Rebels attacked Alpha in March 2023, killing 50.", "Battles", "Armed clash",
     "2023-03", "alpha", 50, 50),
    ("Rebels stepped up attacks around Delta in 2025, killing 40.", "Battles", "Armed clash",
     "2025", "delta", 40, 40),
]
SECOND = ("Gunmen killed 5 villagers in Gamma on 2 October 2025.", "Violence against civilians", "Attack",
          "2025-10-02", "gamma", 5, 5)
PLACES = {"alpha": "Alpha", "beta": "Beta", "gamma": "Gamma", "delta": "Delta"}


def document(doc_id: str, sentences: list[tuple[object, ...]], outlet: str) -> tuple[Document, DocumentFacts]:
    """A source holding these sentences, with an incident, its place and actors for each."""
    text = " ".join(str(item[0]) for item in sentences) + " Delta Delta Delta Delta Delta Delta was quiet."
    facts = DocumentFacts(doc=doc_id, actors=[
        Actor(id="the-army", name="The Army", kind="organization", mentions=[Mention(doc_id, 0, 1)]),
        Actor(id="rebel-front", name="Rebel Front", kind="organization", aliases=["Gunmen"])])
    start = 0
    for number, (sentence, kind, sub, date, place, low, high) in enumerate(sentences):
        end = start + len(str(sentence))
        facts.sentences.append((start, end))
        facts.incidents.append(Incident(
            id=f"{doc_id}-i{number}", doc=doc_id, start=start, end=end, event=f"{doc_id}-e{number}",
            event_type=str(kind), sub_event_type=str(sub), event_date=str(date),
            time_precision="month" if len(str(date)) == 7 else "day", actor1="gunmen", actor2="the-army",
            location=str(place), location_name=PLACES[str(place)], geo_precision=1,
            fatalities_low=low, fatalities_high=high, what=str(sentence)))  # type: ignore[arg-type]
        start = end + 1
    for place, name in PLACES.items():
        found = [index for index in range(len(text)) if text.startswith(name, index)]
        facts.locations.append(Location(id=place, name=name, kind="city", mentions=[
            Mention(doc_id, index, index + len(name)) for index in found]))
    published = "2025-11-28" if doc_id == "one" else "2025-11-29"
    return Document(id=doc_id, path=f"sources/{doc_id}.md", text=text, title=doc_id, published=published,
                    outlet=outlet), facts


@pytest.fixture
def project(example_project: Path) -> Project:
    """The example project (its brief has an incidents section)."""
    return load_project(example_project)


def view(project: Project, audience: str = "analyst", with_second: bool = True, **options: object) -> BriefView:
    """The example brief assembled from the constructed sources, its incidents section's options changed."""
    pairs = [document("one", SENTENCES, "Outlet One")] + ([document("two", [SECOND], "Outlet Two")]
                                                            if with_second else [])
    pool = SourcePool([pair[0] for pair in pairs], [pair[1] for pair in pairs])
    given = brief_input(project, BRIEF, audience, pool, BUILD_DATE, 1, None)
    sections = [item.model_copy(update=options) if item.kind == "incidents" else item
                for item in given.brief.sections]
    return assemble_brief(dataclasses.replace(given, brief=given.brief.model_copy(update={"sections": sections})))


def rows(project: Project, **options: object) -> list[tuple[str, str, str]]:
    """(date label, type, fatalities) of each row of the incidents section."""
    found = section(view(project, **options), "incidents")
    assert isinstance(found, IncidentsSection)
    return [(row.date_label, row.event_type, row.fatalities) for row in found.incidents]


def test_rows_are_ordered_by_fatalities_then_violence_then_recency(project: Project) -> None:
    assert rows(project) == [
        ("2 October 2025", "Violence against civilians", "at least 5 (sources differ)"),
        ("10 November 2025", "Explosions/Remote violence", "3"),
        ("5 November 2025", "Battles", ""),
        ("20 November 2025", "Protests", ""),
        ("25 November 2025", "Strategic developments", ""),
    ]


def test_a_year_alone_dates_a_trend_not_an_incident(project: Project) -> None:
    assert "2025" not in [label for label, _, _ in rows(project)]


def test_an_incident_before_the_window_is_left_out(project: Project) -> None:
    assert "March 2023" not in [label for label, _, _ in rows(project)]


def test_one_incident_told_by_two_sources_is_one_row_citing_both(project: Project) -> None:
    found = section(view(project), "incidents")
    assert isinstance(found, IncidentsSection)
    first = found.incidents[0]
    assert first.sources == ["Outlet One", "Outlet Two"] and first.sources_differ
    assert [cite.sentence for cite in first.cites] == [SENTENCES[2][0], SECOND[0]]
    assert first.actors == ["Rebel Front", "The Army"] and first.place == "Gamma"


def test_a_single_open_toll_reads_at_least(project: Project) -> None:
    found = section(view(project, with_second=False), "incidents")
    assert isinstance(found, IncidentsSection)
    assert found.incidents[0].fatalities == "at least 100"


def test_max_incidents_and_the_audience_limit_cap_the_rows(project: Project) -> None:
    assert len(rows(project, max_incidents=2)) == 2
    limited = dataclasses.replace(project, audiences={**project.audiences, "analyst": project.audiences[
        "analyst"].model_copy(update={"limits": {"incidents": 1}})})
    found = section(view(limited), "incidents")
    assert isinstance(found, IncidentsSection) and len(found.incidents) == 1


def test_event_types_keep_only_those_types(project: Project) -> None:
    assert [kind for _, kind, _ in rows(project, event_types=["Battles", "Protests"])] == ["Battles", "Protests"]


def test_a_wrong_event_type_is_a_config_error_naming_file_line_and_key(example_project: Path) -> None:
    path = example_project / "config/briefs/iraq-security.yaml"
    text = path.read_text()
    assert "    max_incidents: 12\n" in text
    path.write_text(text.replace("    max_incidents: 12\n", "    event_types: [Battles, Shelling]\n", 1))
    number = 1 + path.read_text().splitlines().index("    event_types: [Battles, Shelling]")
    with pytest.raises(ConfigError) as caught:
        load_project(example_project)
    (line,) = caught.value.lines
    assert line.startswith(f"config/briefs/iraq-security.yaml:{number}:")
    assert "event_types.1: unknown event type 'Shelling'; valid types: Battles," in line


def test_config_validates_acled_types() -> None:
    assert IncidentsConfig(kind="incidents", event_types=["Riots"]).event_types == ["Riots"]


def test_active_zones_rank_places_with_incidents_first(project: Project) -> None:
    summary = section(view(project), "threat_summary")
    assert isinstance(summary, ThreatSummarySection)
    # Delta is mentioned most but has no incident; Alpha has three in the window, Gamma one with 5 killed.
    assert [(zone.name, zone.incidents, zone.fatalities) for zone in summary.zones] == [
        ("Alpha", 3, 0), ("Gamma", 1, 5), ("Beta", 1, 3), ("Delta", 0, 0)]


def test_without_incidents_zones_rank_by_mentions(project: Project) -> None:
    pairs = [document("one", SENTENCES, "Outlet One")]
    pairs[0][1].incidents.clear()
    pool = SourcePool([pairs[0][0]], [pairs[0][1]])
    summary = section(assemble_brief(brief_input(project, BRIEF, "analyst", pool, BUILD_DATE, 1, None)),
                      "threat_summary")
    assert isinstance(summary, ThreatSummarySection)
    assert summary.zones[0].name == "Delta" and all(zone.incidents == 0 for zone in summary.zones)


def test_html_shows_the_table_and_incident_counts(project: Project) -> None:
    page = html.fromstring(Renderer(project).html(view(project)))
    first = page.xpath('//table[@class="incidents"]//tbody/tr[1]/td')
    cells = [" ".join(cell.text_content().split()) for cell in first]
    assert cells[:5] == ["2 October 2025", "Gamma",
                         f"{SENTENCES[2][0].rstrip('.')} Violence against civilians Attack",
                         "Rebel Front against The Army",
                         "at least 5 (sources differ) at least 100 (Outlet One) · 5 (Outlet Two)"]
    assert cells[5].startswith("Outlet One, Outlet Two")
    counts = [" ".join(item.text_content().split()) for item in page.xpath('//li[@class="zone"]//span[@class="count"]')]
    assert counts[0].startswith("3 incidents") and counts[1].startswith("1 incident, 5 killed")


def test_an_incident_placed_outside_the_theatre_is_left_out(project: Project) -> None:
    source, facts = document("one", SENTENCES, "Outlet One")
    facts.locations.append(Location(id="abroad", name="Abroad", kind="city", country="France"))
    facts.incidents.append(dataclasses.replace(facts.incidents[1], id="one-abroad", location="abroad",
                                               location_name="Abroad", fatalities_low=9, fatalities_high=9))
    given = brief_input(project, BRIEF, "analyst", SourcePool([source], [facts]), BUILD_DATE, 1, None)
    found = section(assemble_brief(given), "incidents")
    assert isinstance(found, IncidentsSection)
    assert found.incidents and "Abroad" not in [row.place for row in found.incidents]


def test_a_strategic_development_names_its_parties_with_each_other(project: Project) -> None:
    found = section(view(project), "incidents")
    assert isinstance(found, IncidentsSection)
    handover = next(row for row in found.incidents if row.event_type == "Strategic developments")
    assert (handover.agent, handover.other, handover.violent) == ("Rebel Front", "The Army", False)
    page = html.fromstring(Renderer(project).html(dataclasses.replace(view(project))))
    actors = [" ".join(cell.text_content().split()) for cell in page.xpath('//td[@class="inc-actors"]')]
    assert "Rebel Front with The Army" in actors


def test_the_bottom_line_cites_the_most_significant_incidents(project: Project) -> None:
    pairs = [document("one", SENTENCES, "Outlet One"), document("two", [SECOND], "Outlet Two")]
    pool = SourcePool([pair[0] for pair in pairs], [pair[1] for pair in pairs])
    given = brief_input(project, BRIEF, "analyst", pool, BUILD_DATE, 1, None)
    sections = [item.model_copy(update={"incidents": 2}) if item.kind == "key_judgments" else item
                for item in given.brief.sections]
    brief = assemble_brief(dataclasses.replace(given, brief=given.brief.model_copy(update={"sections": sections})))
    judgments, table = section(brief, "key_judgments"), section(brief, "incidents")
    assert isinstance(table, IncidentsSection)
    assert [row.what for row in judgments.incidents] == [row.what for row in table.incidents[:2]]  # type: ignore[attr-defined]
    page = html.fromstring(Renderer(project).html(brief))
    items = page.xpath('//div[@class="bluf-incidents"]//li')
    assert len(items) == 2 and "2 October 2025, Gamma:" in items[0].text_content()
    assert items[0].xpath('.//sup[@class="cite"]/a')  # each cited


def threat_summary_with_map(project: Project, max_incidents: int) -> ThreatSummarySection:
    """The threat summary of the constructed sources, its map drawing at most `max_incidents` incidents."""
    pairs = [document("one", SENTENCES, "Outlet One"), document("two", [SECOND], "Outlet Two")]
    where = {"alpha": (33.3, 44.4), "beta": (34.6, 43.7), "gamma": (36.3, 43.1), "delta": (32.5, 45.8)}
    for _, facts in pairs:
        facts.locations = [dataclasses.replace(place, lat=where[place.id][0], lon=where[place.id][1])
                           for place in facts.locations]
    pool = SourcePool([source for source, _ in pairs], [facts for _, facts in pairs])
    given = brief_input(project, BRIEF, "analyst", pool, BUILD_DATE, 1, None)
    sections = [item.model_copy(update={"map": item.map.model_copy(update={"max_incidents": max_incidents})})
                if item.kind == "threat_summary" else item for item in given.brief.sections]
    summary = section(assemble_brief(dataclasses.replace(given, brief=given.brief.model_copy(
        update={"sections": sections}))), "threat_summary")
    assert isinstance(summary, ThreatSummarySection) and summary.map is not None
    return summary


def test_the_map_draws_the_most_significant_incidents_and_counts_the_rest(project: Project) -> None:
    every = threat_summary_with_map(project, 40)
    assert every.map_incidents == every.map_incidents_located == 5
    two = threat_summary_with_map(project, 2)
    assert (two.map_incidents, two.map_incidents_located) == (2, 5)
    drawn = html.fromstring(str(two.map)).xpath('//*[@class="gfx-incident"]')
    # the two most significant: the most killed (Gamma, 5 at least), then the bomb near Beta (3)
    assert sorted(mark.get("data-type") for mark in drawn) == ["Explosions/Remote violence",
                                                              "Violence against civilians"]
    page = html.fromstring(Renderer(project).html(dataclasses.replace(view(project), sections=[two])))
    note = " ".join(page.xpath('string(//figcaption[contains(@class, "map-note")])').split())
    assert note.startswith("The map draws the 2 most significant of the brief's 5 incidents with a known place")
    full = html.fromstring(Renderer(project).html(dataclasses.replace(view(project), sections=[every])))
    assert not full.xpath('//figcaption[contains(@class, "map-note")]')


def test_an_account_placed_outside_the_theatre_moves_no_record_out_of_its_zone(project: Project) -> None:
    """Zones count the brief's incident records: a second account of Alpha's clash, placed more precisely at a
    place of a country outside the theatre whose name holds Alpha's, is not one of them and takes none away."""
    assert "Chile" not in theatre_countries(project.gazetteer)
    one = document("one", SENTENCES, "Outlet One")
    one[1].incidents[4] = dataclasses.replace(one[1].incidents[4], geo_precision=2)  # Alpha, 5 November
    two = document("two", [("Fighters clashed with the army in Alpha Heights on 5 November 2025.", "Battles",
                            "Armed clash", "2025-11-05", "alpha", None, None)], "Outlet Two")
    start = two[0].text.index("Alpha Heights")
    two[1].locations.append(Location(id="alpha-heights", name="Alpha Heights", kind="city", country="Chile",
                                     mentions=[Mention("two", start, start + len("Alpha Heights"))]))
    two[1].incidents[0] = dataclasses.replace(two[1].incidents[0], location="alpha-heights",
                                              location_name="Alpha Heights", geo_precision=1)
    pool = SourcePool([one[0], two[0]], [one[1], two[1]])
    summary = section(assemble_brief(brief_input(project, BRIEF, "analyst", pool, BUILD_DATE, 1, None)),
                      "threat_summary")
    assert isinstance(summary, ThreatSummarySection)
    assert [(zone.name, zone.incidents) for zone in summary.zones if zone.name.startswith("Alpha")] == [("Alpha", 3)]
