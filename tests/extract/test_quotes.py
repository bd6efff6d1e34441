"""Quotes: direct quotations and reported claims with their speakers."""


def test_quote_then_said_name(run, check_offsets) -> None:
    text = "“The border is not safe,” said analyst Karim Haddad. “We need more patrols,” he said."
    document, facts = run(text, "2025-08")
    direct = [quote for quote in facts.quotes if quote.direct]
    assert [quote.text for quote in direct] == ["The border is not safe", "We need more patrols"]
    assert all(quote.speaker == "karim-haddad" for quote in direct)
    assert direct[1].cue == "say"
    check_offsets(document, facts)


def test_name_said_quote(run) -> None:
    _, facts = run("Commander Yusuf Darwish said the group was “weaker than ever.”", "2025-08")
    quote = next(quote for quote in facts.quotes if quote.direct)
    assert quote.speaker == "yusuf-darwish" and quote.text.startswith("weaker than ever")


def test_reported_claim_and_allegation(run) -> None:
    text = (
        "Minister Hassan Nouri warned that the militants could regroup in the desert. "
        "He added to the concerns, alleging that hundreds of fighters are being trained abroad."
    )
    _, facts = run(text, "2025-08")
    claims = [quote for quote in facts.quotes if not quote.direct]
    warn = next(quote for quote in claims if quote.cue == "warn")
    assert warn.speaker == "hassan-nouri" and warn.text.startswith("the militants could regroup")
    assert any(quote.cue == "allege" and quote.disputed for quote in claims)


def _claims(facts):
    return [quote for quote in facts.quotes if not quote.direct]


def _claims_by_text(facts):
    return {quote.text: quote for quote in _claims(facts)}


def test_told_addressee_is_not_the_claim(run) -> None:
    text = (
        "Salma Haddad told Orontes News that the convoy had turned back. "
        "“We will try again,” she told Orontes News. Salma Haddad told the visiting delegation that the road was open."
    )
    _, facts = run(text, "2025-03")
    claims = _claims(facts)
    assert [claim.text for claim in claims] == ["the convoy had turned back", "the road was open"]
    assert all(claim.speaker == "salma-haddad" and claim.cue == "tell" for claim in claims)


def test_claim_starts_after_that(run) -> None:
    text = (
        "Analyst Omar Fathi pointed out that the prison still lacks trained guards. "
        "Hevin Rashid warned at a meeting on 3 May 2023 that the militants were regrouping, "
        "and urged the army to send more patrols to the valley."
    )
    _, facts = run(text, "2025-03")
    by_cue = {claim.cue: claim for claim in _claims(facts)}
    assert by_cue["point out"].text == "the prison still lacks trained guards"
    assert by_cue["warn"].text == "the militants were regrouping"
    assert by_cue["urge"].text == "the army to send more patrols to the valley"
    assert by_cue["urge"].speaker == by_cue["warn"].speaker == "hevin-rashid"


def test_urge_claim_keeps_the_infinitive(run) -> None:
    _, facts = run("Omar Fathi urged the donors and the provincial council to fund the water project.")
    claim = _claims(facts)[0]
    assert (claim.cue, claim.text) == ("urge", "the donors and the provincial council to fund the water project")


def test_person_after_organization_title_is_the_speaker(run) -> None:
    text = (
        "The commander of the Kurdish-led SDF, Hevin Rashid, warned that smugglers were using new routes. "
        "SDF commander Hevin Rashid said the prison guards needed more support. "
        "The SDF said in a statement that the guards at the prison needed more support."
    )
    _, facts = run(text, "2025-03")
    speakers = [claim.speaker for claim in _claims(facts)]
    assert speakers == ["hevin-rashid", "hevin-rashid", "syrian-democratic-forces"]


def test_claim_before_its_cue_and_parenthetical_cue(run) -> None:
    text = (
        "Iraqi troops cleared three villages near Tuz Khurmatu, army officials said on Sunday.\n\n"
        "Without more drones, they said, the cells will keep moving at night."
    )
    _, facts = run(text, "2025-08")
    texts = _claims_by_text(facts)
    assert "Iraqi troops cleared three villages near Tuz Khurmatu" in texts
    assert texts["Iraqi troops cleared three villages near Tuz Khurmatu"].speaker is None
    assert "the cells will keep moving at night" in texts


def test_unnamed_sources_and_capitals_speak_without_an_actor(run) -> None:
    text = (
        "Security sources told reporters that the suspects had crossed from Syria. "
        "Baghdad insists that the timetable will hold. The river flooded that the farms were lost."
    )
    _, facts = run(text, "2025-08")
    claims = _claims_by_text(facts)
    assert claims["the suspects had crossed from Syria"].speaker_name == "Security sources"
    assert claims["the timetable will hold"].speaker is None
    assert not any("farms" in text for text in claims)


def test_each_that_clause_is_its_own_claim(run) -> None:
    text = "Analyst Rana Aziz argued that the cells are small and that the real risk is blind spots in surveillance."
    _, facts = run(text, "2025-08")
    assert [quote.text for quote in _claims(facts)] == [
        "the cells are small", "the real risk is blind spots in surveillance"]


def test_according_to_after_the_claim_and_warned_of(run) -> None:
    text = (
        "The group has ambushed two patrols near Palmyra, according to the Syrian Democratic Forces.\n\n"
        "Commander Yusuf Darwish warned of rising attacks on isolated checkpoints."
    )
    _, facts = run(text, "2025-08")
    claims = _claims_by_text(facts)
    assert claims["The group has ambushed two patrols near Palmyra"].speaker == "syrian-democratic-forces"
    assert claims["rising attacks on isolated checkpoints"].cue == "warn of"


def test_a_heading_is_not_the_subject_of_the_next_line(run) -> None:
    text = "Strikes in the north\n\nOfficials said aircraft hit eight hideouts in the Hamrin Mountains."
    _, facts = run(text, "2025-08")
    (claim,) = _claims(facts)
    assert claim.text == "aircraft hit eight hideouts in the Hamrin Mountains"
    assert "Strikes" not in (claim.speaker_name or "")


def test_a_claim_ending_in_a_bracket_it_opened_keeps_the_bracket(run) -> None:
    _, facts = run("Security analyst Omar Saleh urged Baghdad to share more intelligence with the "
                   "Kurdistan Regional Government (KRG).")
    assert [quote.text.endswith("the Kurdistan Regional Government (KRG)") for quote in facts.quotes] == [True]
