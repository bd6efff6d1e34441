"""Quote speakers named by pronouns and descriptions, partial and continued quotes, quoted names."""

from __future__ import annotations

from briefgen.facts import DocumentFacts, Quote


def _quote(facts: DocumentFacts, start: str) -> Quote:
    return next(quote for quote in facts.quotes if quote.direct and quote.text.startswith(start))


def test_he_prefers_the_person_who_was_the_subject(run) -> None:
    _, facts = run("Colonel Jean Bosco hosted Mayor Ana Sitoe in Goma. He said: “The road to the north is open again.”")
    assert _quote(facts, "The road").speaker == "jean-bosco"


def test_it_is_the_organisation_named_before(run) -> None:
    _, facts = run("The Mozambican Defence Ministry said the convoy reached Palma. “The route is secure,” it added.")
    assert _quote(facts, "The route").speaker == "mozambican-defence-ministry"


def test_the_ministry_is_the_organisation_named_before(run) -> None:
    _, facts = run(
        "The Interior Ministry of Haiti announced a curfew on Monday. “Gangs will be pursued everywhere,” "
        "the ministry said."
    )
    assert _quote(facts, "Gangs").speaker == "interior-ministry-of-haiti"


def test_the_statement_speaks_for_its_issuer(run) -> None:
    _, facts = run(
        "Sudanese army spokesman Nabil Abdallah said in a statement on Friday that the city was retaken. "
        "“Our forces control the bridge,” the statement said."
    )
    assert _quote(facts, "Our forces").speaker == "nabil-abdallah"


def test_a_role_noun_is_the_person_with_that_role(run) -> None:
    _, facts = run(
        "Governor Rosa Mendes visited Pemba on Sunday. Residents greeted her warmly. "
        "“We will rebuild the market,” the governor said."
    )
    assert _quote(facts, "We will").speaker == "rosa-mendes"


def test_an_unnamed_source_keeps_the_description_it_was_introduced_with(run) -> None:
    _, facts = run(
        "A senior police official in Port-au-Prince said the gangs had retreated. "
        "“They left before dawn,” the official said. "
        "“The mercenaries have left the country,” one Western diplomatic source in the region said."
    )
    assert _quote(facts, "They left").speaker_name == "senior police official"
    assert _quote(facts, "The mercenaries").speaker_name == "Western diplomatic source"


def test_partial_quote_belongs_to_the_subject_of_its_verb(run) -> None:
    _, facts = run("Fighting grew since army chief Amadou Diallo declared a “total offensive” on the rebels.")
    assert _quote(facts, "total offensive").speaker == "amadou-diallo"


def test_a_quote_runs_on_into_the_next_paragraph(run) -> None:
    _, facts = run("“The convoy was ambushed near the river,” Captain Luis Prado said.\n\n“We lost two trucks.”")
    assert _quote(facts, "We lost").speaker == "luis-prado"


def test_a_new_person_speaking_ends_the_run_on(run) -> None:
    _, facts = run(
        "“We lost two trucks,” Captain Luis Prado said. Colonel Rui Sousa, the regional commander, confirmed "
        "the attack. “Reinforcements are on the way.”"
    )
    assert _quote(facts, "Reinforcements").speaker == "rui-sousa"


def test_quoted_names_are_no_quotes(run) -> None:
    _, facts = run("The rebels vowed to attack “Rwandan” positions near the border.")
    assert not [quote for quote in facts.quotes if quote.direct]


def test_an_opening_mark_after_a_sentence_starts_a_new_quote(run) -> None:
    _, facts = run("“The danger is real and growing. “We must act now,” Grace Okafor said.")
    assert {_quote(facts, "The danger").text, _quote(facts, "We must").text} == {
        "The danger is real and growing.", "We must act now"}


def test_according_to_names_the_speaker_of_a_quote(run) -> None:
    _, facts = run("“Aid cannot reach the displaced in Goma”, according to the World Food Programme.")
    assert _quote(facts, "Aid cannot").speaker == "world-food-programme"


def test_written_and_reported_quotes(run) -> None:
    _, facts = run(
        "“We will not retreat from the front,” Colonel Ibrahim Sawadogo wrote in a post on Facebook. "
        "“The port is closed to all ships,” harbour master Ali Juma was quoted by local radio."
    )
    assert _quote(facts, "We will not").speaker == "ibrahim-sawadogo"
    assert _quote(facts, "The port").speaker == "ali-juma"


def test_he_with_nobody_before_is_the_person_named_next(run) -> None:
    _, facts = run("“The talks have collapsed again,” he said.\n\nNegotiator Sam Otieno spoke to reporters in Nairobi.")
    assert _quote(facts, "The talks").speaker == "sam-otieno"


def test_a_channel_speaks_for_the_group_it_belongs_to(run) -> None:
    _, facts = run("A Telegram channel affiliated with the Allied Democratic Forces said: “We struck the camp.”")
    assert _quote(facts, "We struck").speaker == "allied-democratic-forces"


def test_single_quotation_marks_are_quotes_and_apostrophes_are_not(run) -> None:
    _, facts = run(
        "'We don't know yet,' Colonel Ana Reis said. The soldiers' families waited for Iraq’s answer. "
        "President Lula hailed the 'historic' deal."
    )
    direct = [quote for quote in facts.quotes if quote.direct]
    assert [quote.text for quote in direct] == ["We don't know yet", "historic"]
    assert direct[0].speaker == "ana-reis"


def test_the_same_words_quoted_twice_are_one_quote(run) -> None:
    _, facts = run("‘Grave concern’\n\nThe envoy Hans Olsen expressed “grave concern” over the attacks.")
    direct = [quote for quote in facts.quotes if quote.direct]
    assert len(direct) == 1 and direct[0].speaker == "hans-olsen"


def test_a_statement_names_its_signer_or_else_the_organisation_named_before(run) -> None:
    _, facts = run(
        "Kenya’s Interior Ministry said on Monday that 12 officers were wounded. “The situation is under "
        "control,” said the statement, signed by Cabinet Secretary Kipchumba Murkomen. “Calm has returned "
        "to the town,” the communique said."
    )
    assert _quote(facts, "The situation").speaker == "kipchumba-murkomen"
    assert _quote(facts, "Calm").speaker == "kenyas-interior-ministry"


def test_a_body_noun_speaks_for_the_organisation_named_in_it(run) -> None:
    _, facts = run('The United Nations mission in Haiti said it was "deeply concerned" by the violence.')
    assert _quote(facts, "deeply concerned").speaker == "united-nations"


def test_a_body_noun_needs_a_body_that_spoke_or_bears_the_noun(run) -> None:
    _, facts = run(
        "MAPUTO (AP) - Insurgents attacked the town on Friday, the army said.\n\n"
        "Al-Shabaab said it had seized the base. “We control the town,” the group said."
    )
    assert _quote(facts, "We control").speaker == "al-shabaab"
    assert not any(quote.speaker == "ap" for quote in facts.quotes)
