"""Rules found wanting on the Sahel example (text written for these tests, not taken from a source)."""

from __future__ import annotations


def test_the_government_speaking_is_never_an_armed_group(run) -> None:
    text = (
        "Militants attacked a police school on Tuesday. The Islamic State claimed the attack. "
        "The government gave no death toll and said the situation was under control."
    )
    _, facts = run(text, "2025-03-05")
    (claim,) = [quote for quote in facts.quotes if "under control" in quote.text]
    assert claim.speaker is None


def test_a_source_described_after_according_to_is_no_claim(run) -> None:
    text = "More than 40 people were killed, according to security sources, who asked not to be named."
    _, facts = run(text, "2025-03-05")
    assert not any(quote.text.startswith("who") for quote in facts.quotes)


def test_a_negated_cue_reports_nothing(run) -> None:
    _, facts = run("The authorities have never acknowledged the mercenaries' presence in the north.", "2025-03-05")
    assert not any("presence" in quote.text for quote in facts.quotes)


def test_a_word_after_the_is_no_person(run) -> None:
    _, facts = run("The group is the strongest affiliate in the Sahel, analysts say.", "2025-03-05")
    assert "Sahel" not in {actor.name for actor in facts.actors if actor.kind == "person"}


def test_a_capital_owning_an_airport_does_not_act(run) -> None:
    _, facts = run("Militants attacked the military part of Bamako's airport on Tuesday.", "2024-09-18")
    assert "Bamako" not in {alias for actor in facts.actors for alias in (actor.name, *actor.aliases)}
    assert "Bamako" in {place.name for place in facts.locations}


def test_a_base_handed_over_is_a_withdrawal(run) -> None:
    text = "France handed its last military base in Chad to the Chadian army on Thursday, 30 January 2025."
    _, facts = run(text, "2025-01-31")
    assert [(event.date, event.kind) for event in facts.events] == [("2025-01-30", "withdrawal")]


def test_a_coalition_named_by_what_it_opposes_is_an_actor(bare_run) -> None:
    document, facts = bare_run("The anti-jihadist coalition said on Monday that it would keep its bases.", "2025-03-05")
    mentions = {document.text[mention.start : mention.end] for actor in facts.actors for mention in actor.mentions}
    assert "anti-jihadist coalition" in mentions
