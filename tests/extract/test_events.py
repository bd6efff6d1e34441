"""Events: the clause (`what`) each date is read from."""

from briefgen.extract.events import trim_clause


def _event(facts, date_text):
    return next(event for event in facts.events if event.date_text == date_text)


def test_what_without_complementizer_or_final_stop(run, check_offsets) -> None:
    text = (
        "Officials said the checkpoint that opened in March 2023 was closed. "
        "Troops left the northern base on 4 June 2024."
    )
    document, facts = run(text, "2025-03")
    assert _event(facts, "March 2023").what == "the checkpoint that opened in March 2023"
    assert _event(facts, "4 June 2024").what == "Troops left the northern base on 4 June 2024"
    check_offsets(document, facts)


def test_dates_sharing_a_clause_get_their_own_part(run, check_offsets) -> None:
    text = "The plan calls for troops to leave the northern base by June 2025 and to leave the airport by March 2026."
    document, facts = run(text, "2025-03")
    first, second = _event(facts, "June 2025"), _event(facts, "March 2026")
    assert "March 2026" not in first.what and "June 2025" not in second.what
    assert second.what == "to leave the airport by March 2026"
    assert (first.date, second.date) == ("2025-06", "2026-03")
    check_offsets(document, facts)


def test_clause_never_starts_inside_a_word(extractor) -> None:
    doc = extractor.nlp("The US-led coalition left the base in May 2024.")
    led = next(token for token in doc if token.text == "led")
    assert trim_clause(doc[led.i : len(doc)]).text == "US-led coalition left the base in May 2024"


def test_two_dated_clauses_split_at_the_conjunction(run, check_offsets) -> None:
    text = (
        "On 4 March gunmen attacked a checkpoint north of the town, wounding two guards, "
        "and on 6 March a bomb hit a fuel truck on the highway."
    )
    document, facts = run(text, "2025-03-20")
    assert _event(facts, "4 March").what == (
        "On 4 March gunmen attacked a checkpoint north of the town, wounding two guards"
    )
    assert _event(facts, "6 March").what == "on 6 March a bomb hit a fuel truck on the highway"
    assert (_event(facts, "4 March").date, _event(facts, "6 March").date) == ("2025-03-04", "2025-03-06")
    check_offsets(document, facts)


def test_same_week_after_a_day_is_a_month(run) -> None:
    _, facts = run("Troops raided a farm on 3 March 2025. During the same week, drones struck a cave.", "2025-03-20")
    event = _event(facts, "the same week")
    assert (event.date, event.precision) == ("2025-03", "month")


def test_what_without_dateline_label_or_leading_adverb(run) -> None:
    text = (
        "MOSUL — Police closed the old bridge on 2 May 2024.\n\n"
        "Field note: Patrols resumed on 5 May 2024.\n\n"
        "Prices rose sharply even as the market reopened on 7 May 2024."
    )
    _, facts = run(text, "2025-03")
    assert _event(facts, "2 May 2024").what == "Police closed the old bridge on 2 May 2024"
    assert _event(facts, "5 May 2024").what == "Patrols resumed on 5 May 2024"
    assert _event(facts, "7 May 2024").what == "the market reopened on 7 May 2024"


def test_dates_that_are_only_comparisons_or_vague_make_no_event(run) -> None:
    text = (
        "Officials said ISIS is weaker than in 2017. The camp holds 41,000 people, down from 57,000 at the "
        "end of 2024. The minister recently visited Kirkuk. The army retook the village in March 2025."
    )
    _, facts = run(text, "2025-08")
    assert [event.date for event in facts.events] == ["2025-03"]
