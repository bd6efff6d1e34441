"""Applying decisions to facts, without spaCy: which fact a decision finds, what each edit changes, and that
the facts a build was given are never changed in place."""

from __future__ import annotations

import pytest

from briefgen.facts import Actor, Document, Event, FactSet, Incident, Location, Mention, Quote
from briefgen.review import FactKey, Texts, apply_corrections, decision, find_words, key_of

TEXT = ("Gunmen attacked a checkpoint near Menaka on 1 March 2025. "
        "The governor said four soldiers were killed at Menaka. "
        "Officials in Minaka confirmed the toll.")
SENTENCES = [(0, 57), (58, 113), (114, len(TEXT))]


def document(doc_id: str = "a" * 16, text: str = TEXT) -> Document:
    return Document(id=doc_id, path="sources/menaka.md", text=text)


def facts() -> FactSet:
    first = TEXT.index("Menaka")
    return FactSet(
        actors=[Actor("the-governor", "the governor", "person", mentions=[Mention("a" * 16, 62, 74)])],
        locations=[Location("menaka", "Menaka", "city", 15.9, 2.4, "Mali",
                            mentions=[Mention("a" * 16, first, first + 6)]),
                   Location("menaka-2", "Minaka", "other", mentions=[Mention("a" * 16, 127, 133)])],
        events=[Event("e1", "2025-03-01", "1 March 2025", "attack", "Gunmen attacked a checkpoint", "a" * 16, 0, 56,
                      precision="day", locations=["menaka-2"])],
        quotes=[Quote("q1", "the-governor", "The governor", "four soldiers were killed at Menaka", "a" * 16, 77, 112,
                      cue="said", direct=False)],
        incidents=[Incident("i1", "a" * 16, 0, 57, "e1", "Battles", "Armed clash", "2025-03-01", "day",
                            location="menaka-2", location_name="Minaka", fatalities_low=4, fatalities_high=4)],
    )


def texts(doc: Document | None = None) -> Texts:
    doc = doc or document()
    return Texts({doc.id: doc}, {doc.id: SENTENCES})


def quote_key() -> FactKey:
    return key_of("quote", facts().quotes[0], texts())


def test_an_edit_changes_a_copy_never_the_facts_given() -> None:
    given = facts()
    edit = decision("edit", by="a", fact=quote_key(), set={"speaker": "Governor Ag Mohamed"})
    applied = apply_corrections([edit], given, texts())
    assert applied.facts.quotes[0].speaker_name == "Governor Ag Mohamed"
    assert given.quotes[0].speaker_name == "The governor"


def test_a_fact_is_found_by_its_source_path_when_the_file_changed() -> None:
    changed = document("b" * 16)
    moved = facts()
    moved.quotes[0].doc = "b" * 16
    applied = apply_corrections([decision("reject", by="a", fact=quote_key())], moved, texts(changed))
    assert applied.facts.quotes == [] and not applied.unmatched


def test_a_fact_whose_words_grew_in_the_same_sentence_is_still_found() -> None:
    grown = facts()
    grown.quotes[0].text = "four soldiers were killed at Menaka."
    applied = apply_corrections([decision("reject", by="a", fact=quote_key())], grown, texts())
    assert applied.facts.quotes == []


def test_a_fact_that_is_gone_is_reported_with_why() -> None:
    gone = facts()
    gone.quotes = []
    applied = apply_corrections([decision("pin", by="a", fact=quote_key())], gone, texts())
    assert len(applied.unmatched) == 1
    assert "no quote in sources/menaka.md rests on \"four soldiers" in applied.unmatched[0].line()


def test_merging_places_points_events_and_incidents_at_the_one_kept() -> None:
    merge = decision("merge", by="a", fact=FactKey("place", name="Minaka"), into={"kind": "place", "name": "Menaka"})
    applied = apply_corrections([merge], facts(), texts())
    [place] = applied.facts.locations
    assert place.aliases == ["Minaka"] and len(place.mentions) == 2
    assert applied.facts.events[0].locations == ["menaka"] and applied.facts.incidents[0].location == "menaka"


def test_editing_an_incident_sets_place_coordinates_toll_and_date() -> None:
    key = key_of("incident", facts().incidents[0], texts())
    edit = decision("edit", by="a", fact=key, set={"place": "Menaka", "fatalities": "4-6", "date": "2025-03"})
    incident = apply_corrections([edit], facts(), texts()).facts.incidents[0]
    assert (incident.location, incident.latitude, incident.longitude) == ("menaka", 15.9, 2.4)
    assert (incident.fatalities_low, incident.fatalities_high) == (4, 6)
    assert (incident.event_date, incident.time_precision) == ("2025-03", "month")


def test_an_event_date_takes_its_precision_from_how_it_is_written() -> None:
    key = key_of("event", facts().events[0], texts())
    event = apply_corrections([decision("edit", by="a", fact=key, set={"date": "2025"})], facts(),
                              texts()).facts.events[0]
    assert (event.date, event.precision) == ("2025", "year")


def test_renaming_an_actor_keeps_the_old_name_for_later_decisions() -> None:
    rename = decision("edit", by="a", fact=FactKey("actor", name="the governor"), set={"name": "Ag Mohamed"})
    pin = decision("pin", by="a", fact=FactKey("actor", name="the governor"))
    applied = apply_corrections([rename, pin], facts(), texts())
    assert applied.facts.actors[0].name == "Ag Mohamed" and applied.pinned_ids() == frozenset({"the-governor"})


@pytest.mark.parametrize(("fields", "problem"), [
    ({"date": "2025-13"}, "'2025-13' is not a day of the calendar"),
    ({"date": "2025", "precision": "day"}, "precision: 'day' is finer than the date '2025' gives"),
    ({"kind": "party"}, "kind: 'party' is not one of"),
    ({"what": " "}, "what: must not be empty"),
])
def test_bad_edits_are_refused_before_they_are_written(fields: dict[str, str], problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("(", r"\(")):
        decision("edit", by="a", fact=key_of("event", facts().events[0], texts()), set=fields)


def test_a_quoted_sentence_is_found_whichever_quotes_and_dashes_it_is_written_with() -> None:
    text = "“We held the line — barely,” the colonel said.\nNext paragraph."
    assert find_words(text, '"We held the line - barely," the colonel\n said.') == (0, 46)
    assert find_words(text, "We held the ground") is None
