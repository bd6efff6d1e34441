"""Roles and affiliations: titles before names, appositions, relative and "as" phrases; ranks are no role."""

from __future__ import annotations

from briefgen.facts import Actor, DocumentFacts


def _person(facts: DocumentFacts, name: str) -> Actor:
    return next(actor for actor in facts.actors if actor.name == name)


def test_rank_after_a_title_is_stripped_and_the_organisation_is_the_affiliation(run) -> None:
    _, facts = run("NATO spokesman Brig. Gen. Tomas Varga said the convoy was hit.")
    varga = _person(facts, "Tomas Varga")
    assert (varga.role, varga.affiliation) == ("spokesman", "NATO")


def test_a_rank_alone_is_no_role_and_no_name(run) -> None:
    _, facts = run("Maj. Gen. Ruben Okafor arrived in Beira on Monday. Lt. Col. Ines Moura stayed behind.")
    assert _person(facts, "Ruben Okafor").role is None
    assert not any(actor.name.rstrip(".") in ("Maj", "Lt", "Gen", "Col") for actor in facts.actors)


def test_rank_abbreviations_end_no_sentence(run, extractor) -> None:
    doc = extractor.nlp("The base was handed to army representative Capt. Ines Moura on Sunday.")
    assert len(list(doc.sents)) == 1


def test_title_set_off_by_a_comma_before_the_name(run) -> None:
    _, facts = run(
        "The African Union envoy for Sudan, Kamal Idris, met the generals in Port Sudan. "
        "After meeting the president, Ahmed Lado said the talks went well."
    )
    idris = _person(facts, "Kamal Idris")
    assert idris.role is not None and idris.role.endswith("envoy") and idris.affiliation == "Sudan"
    assert all(actor.role is None for actor in facts.actors if actor.name == "Ahmed Lado")


def test_apposition_with_for_to_and_from(run) -> None:
    _, facts = run(
        "Joao Silva, a spokesman for the Mozambican Defence Ministry, said the road was closed. "
        "Pierre Lavaud, an adviser to President Jovenel Moise, declined to comment."
    )
    assert _person(facts, "Joao Silva").affiliation == "Mozambican Defence Ministry"
    lavaud = _person(facts, "Pierre Lavaud")
    assert (lavaud.role, lavaud.affiliation) == ("adviser", "President Jovenel Moise")


def test_participles_belong_to_the_title(run) -> None:
    _, facts = run("Brig. Gen. Lena Hart, incoming commanding general of the Joint Task Force Bravo, spoke.")
    hart = _person(facts, "Lena Hart")
    assert hart.role == "incoming commanding general" and hart.affiliation == "Joint Task Force Bravo"


def test_relative_clause_with_a_role_verb(run) -> None:
    _, facts = run("Amadou Keita, who heads the Sahel Monitoring Group, said the roads were mined.")
    keita = _person(facts, "Amadou Keita")
    assert (keita.role, keita.affiliation) == ("head", "Sahel Monitoring Group")


def test_role_from_an_as_phrase(run) -> None:
    _, facts = run("Investigators said Farid Osman served as the chief of logistics for the Allied Democratic Forces.")
    osman = _person(facts, "Farid Osman")
    assert osman.role == "chief" and osman.affiliation == "Allied Democratic Forces"


def test_nationality_in_a_title_is_the_affiliation(run) -> None:
    _, facts = run("The death of the former Sudanese leader Omar Haroun was confirmed on Monday.")
    haroun = _person(facts, "Omar Haroun")
    assert (haroun.role, haroun.affiliation) == ("former leader", "Sudanese")


def test_courtesy_title_between_title_and_name(run) -> None:
    _, facts = run("Defence Secretary Sir John Hale visited the base.")
    assert _person(facts, "John Hale").role == "defence secretary"


def test_title_before_a_comma_and_a_rank(run) -> None:
    _, facts = run("The army chief, General Abdel Fattah al-Burhan, said the war would continue.")
    assert _person(facts, "Abdel Fattah al-Burhan").role == "army chief"


def test_organisation_opening_a_title_is_the_affiliation(run) -> None:
    _, facts = run("Mohamed Hamdan Dagalo, the RSF commander, rejected the offer.")
    dagalo = _person(facts, "Mohamed Hamdan Dagalo")
    assert (dagalo.role, dagalo.affiliation) == ("commander", "RSF")


def test_possessor_of_a_title(run) -> None:
    _, facts = run(
        "Abu Obeida, the group’s spokesman, said fighters had withdrawn. "
        "Chad’s interim President Mahamat Deby left for Paris."
    )
    assert _person(facts, "Abu Obeida").role == "spokesman"
    deby = _person(facts, "Mahamat Deby")
    assert (deby.role, deby.affiliation) == ("interim president", "Chad")


def test_phrase_of_duty_after_a_name(run) -> None:
    _, facts = run("Ahmed Sheikh, responsible for security in the Banadir region, said the roads were closed.")
    assert _person(facts, "Ahmed Sheikh").role == "responsible for security in the banadir region"


def test_name_the_model_calls_an_organisation_after_a_title_is_a_person(run) -> None:
    _, facts = run("“The camps are full,” MONUSCO chief El-Mahdi Tounkara told reporters.")
    tounkara = _person(facts, "El-Mahdi Tounkara")
    assert tounkara.kind == "person" and tounkara.role is not None and tounkara.role.endswith("chief")


def test_a_person_name_split_in_two_by_the_model_is_joined(extractor) -> None:
    from spacy.tokens import Span

    from briefgen.extract.entities import _entities

    doc = extractor.nlp.make_doc("Minister Sayyid Faisal bin Hamad Alkhalili spoke.")
    doc.ents = [Span(doc, 1, 3, label="PERSON"), Span(doc, 3, 6, label="PERSON")]
    assert [ent.text for ent in _entities(doc, extractor.roles)] == ["Sayyid Faisal bin Hamad Alkhalili"]


def test_given_name_left_between_title_and_name_joins_the_name(extractor) -> None:
    from spacy.tokens import Span

    from briefgen.extract.entities import _entities

    doc = extractor.nlp("Interim President Tunde Abiola Bako left for Abuja.")
    doc.ents = [Span(doc, 3, 5, label="PERSON")]  # the model's cut: "Abiola Bako"
    assert [ent.text for ent in _entities(doc, extractor.roles)] == ["Tunde Abiola Bako"]


def test_organisation_in_a_title_beats_its_possessor(run) -> None:
    _, facts = run("Haiti's National Police chief, Rameau Normil, said reinforcements had been sent.")
    normil = _person(facts, "Rameau Normil")
    assert (normil.role, normil.affiliation) == ("chief", "National Police")
