"""Events: which dates anchor an event, which clause tells it, and which reports restate one."""

from briefgen.extract.cues import shipped_patterns


def _dates(facts) -> list[str | None]:
    return [event.date for event in facts.events]


def _event(facts, date_text):
    return next(event for event in facts.events if event.date_text == date_text)


def test_datelines_time_stamps_and_captions_are_no_events(run) -> None:
    text = (
        "Updated: 14:05, 2 May 2025\n\n"
        "Published on 2 May 2025\n\n"
        "Police officers patrol a burned market in Port-au-Prince on 1 May 2025. (AP Photo/Staff)\n\n"
        "PORT-AU-PRINCE, May 2 (AFP) -- Gangs burned a police station in the capital on Thursday, officials "
        "said.\n\n"
        "5 min read"
    )
    _, facts = run(text, "2025-05-02")
    assert [(event.date, event.date_text) for event in facts.events] == [("2025-05-01", "on Thursday")]


def test_a_statement_posted_on_a_day_is_no_time_stamp(run) -> None:
    _, facts = run("Troops will leave the town, according to a statement posted on Monday.", "2025-05-08")
    assert _dates(facts) == ["2025-05-05"]


def test_since_only_sets_a_background_unless_it_counts_or_is_described(run) -> None:
    text = (
        "Armed gangs have controlled the port since 2021. "
        "Insurgents have carried out 14 attacks in the province since January. "
        "It was the worst raid since 2017, when rebels burned the mission."
    )
    _, facts = run(text, "2025-06-15")
    assert sorted(_dates(facts)) == ["2017", "2025-01"]


def test_a_month_without_year_follows_the_tense(run) -> None:
    text = "In November, gunmen stormed a police post near Beni. Elections will be held in March."
    _, facts = run(text, "2025-01-20")
    assert _event(facts, "November").date == "2024-11"
    assert _event(facts, "March").date == "2025-03"
    assert _event(facts, "November").resolved and _event(facts, "March").resolved


def test_in_may_is_a_month(run) -> None:
    _, facts = run("The army retook the district in May, a spokesman said.", "2025-07-02")
    assert _dates(facts) == ["2025-05"]


def test_stated_dates_are_not_resolved_relative_ones_are(run) -> None:
    _, facts = run("Rebels seized the town on 3 March 2025. Two years later, the army returned.", "2025-04")
    stated, later = facts.events
    assert (stated.date, stated.resolved) == ("2025-03-03", False)
    assert (later.date, later.resolved) == ("2027", True)


def test_a_restated_occurrence_is_one_event(run) -> None:
    text = (
        "Gunmen killed nine villagers in Cabo Delgado province on Sunday. "
        "The killing of the nine villagers in Cabo Delgado on Sunday drew condemnation."
    )
    _, facts = run(text, "2025-06-10")
    assert _dates(facts) == ["2025-06-08"]


def test_a_clause_with_nothing_but_a_date_restates_the_one_before(run) -> None:
    text = "The peacekeepers will leave the eastern base in the coming weeks. This will happen next month."
    _, facts = run(text, "2025-06-10")
    assert len(facts.events) == 1


def test_a_possessive_date_after_its_event_is_no_new_event(run) -> None:
    text = "Militants attacked a village near Diffa on Sunday. Sunday's attack was the deadliest in the region."
    _, facts = run(text, "2025-03-04")
    assert _dates(facts) == ["2025-03-02"]


def test_a_year_describing_a_noun_is_no_event(run) -> None:
    _, facts = run("The transition charter sets a timeframe of 2027 for elections.", "2025-03-04")
    assert facts.events == []


def test_at_the_time_repeats_the_previous_date_for_occurrences_only(run) -> None:
    text = (
        "Soldiers stormed the camp in March 2024. The rebels told reporters at the time that they would "
        "fight on. Several fighters were carrying rifles at the time."
    )
    _, facts = run(text, "2025-03-04")
    assert _dates(facts) == ["2024-03", "2024-03"]
    assert facts.events[1].kind == "statement"


def test_undated_lead_is_dated_to_the_publication_month(run) -> None:
    text = (
        "Sudan: Paramilitaries Take Airport\n\n"
        "Paramilitary fighters have seized the airport of El Fasher after a week of shelling, residents said.\n\n"
        "The army said it would retake the airport."
    )
    _, facts = run(text, "2025-08-20")
    lead = facts.events[0]
    assert (lead.date, lead.precision, lead.resolved, lead.date_text) == ("2025-08", "month", True, None)
    assert lead.what.startswith("Paramilitary fighters have seized the airport")


def test_no_lead_event_when_the_lead_has_a_date_or_names_no_occurrence(run) -> None:
    _, dated = run("Gunmen seized the airport on Monday, residents said.", "2025-08-20")
    assert _dates(dated) == ["2025-08-18"]
    _, state = run("The province has long been a stronghold of the militia.", "2025-08-20")
    assert state.events == []
    # the main verb is present; only a subordinate clause is past
    _, approaching = run("Two years after the peacekeepers were withdrawn, Haiti is approaching the deadline "
                         "for the new mission's exit.", "2025-08-20")
    assert approaching.events == []


def test_relative_clause_starts_with_the_noun_it_describes(run) -> None:
    _, facts = run("The junta, which seized power in 2021, expelled the envoy.", "2025-03")
    assert _event(facts, "2021").what == "The junta, which seized power in 2021"


def test_trailing_attribution_dates_the_whole_sentence(run) -> None:
    text = "Gangs have burned the customs office in the port, two officials told Reuters on Tuesday."
    _, facts = run(text, "2025-05-08")
    assert _event(facts, "on Tuesday").what.startswith("Gangs have burned the customs office")


def test_progressive_frame_and_after_clause_are_told_with_their_main_clause(run) -> None:
    text = (
        "Gunmen ambushed the convoy as it was travelling to the border on Monday. "
        "The militia had pulled back its fighters after a truce started in April."
    )
    _, facts = run(text, "2025-05-08")
    assert _event(facts, "on Monday").what.startswith("Gunmen ambushed the convoy")
    assert _event(facts, "April").what.startswith("The militia had pulled back its fighters")


def test_weekday_and_date_are_one_date(run) -> None:
    _, facts = run("Police on Friday, 9 May raided a market in Cap-Haitien.", "2025-05-12")
    assert [(event.date, event.date_text) for event in facts.events] == [("2025-05-09", "on Friday, 9 May")]


def test_kind_cues_cover_any_force(run) -> None:
    _, facts = run("The last peacekeepers withdrew from the mission's camp on 3 March 2024.", "2024-04")
    assert facts.events[0].kind == "withdrawal"
    kinds = {pattern["label"] for pattern in shipped_patterns()}
    assert {"withdrawal", "attack", "strike", "arrest", "killing", "statement", "agreement", "deployment"} == kinds


def test_remarks_came_on_a_day_date_the_statement_told_before(run) -> None:
    text = (
        "Kenya's president has warned that his troops could leave the regional force, citing poor "
        "coordination. His remarks came on Sunday during a visit to the border."
    )
    _, facts = run(text, "2025-02-04")
    assert [(event.date, event.kind) for event in facts.events] == [("2025-02-02", "statement")]


def test_cue_words_inside_names_give_no_kind(run) -> None:
    _, facts = run("Islamic State fighters moved into the valley in 2019.", "2025-02")
    assert facts.events[0].kind == "other"


def test_age_of_an_occurrence_dates_its_start_an_age_of_a_person_nothing(run) -> None:
    text = "A 35-year-old man was arrested. Troops are fighting a two-week-old rebel offensive near the town."
    _, facts = run(text, "2025-03-18")
    assert [(event.date, event.date_text) for event in facts.events] == [("2025-03", "two-week-old")]


def test_a_lead_that_only_attributes_commentary_is_no_event(run) -> None:
    _, facts = run("An analyst said the militia still has about 2,000 fighters in the hills.", "2025-08-20")
    assert facts.events == []


def test_a_relative_date_apposed_to_the_date_of_what_follows_makes_no_second_event(run) -> None:
    text = ("Gunmen attacked a police post in Tillaberi on 3 May.\n\n"
            "Three days later, on 6 May, soldiers arrested four suspects near the border.")
    _, facts = run(text, "2025-05-10")
    assert _dates(facts) == ["2025-05-03", "2025-05-06"]
    assert "arrested four suspects" in _event(facts, "6 May").what


def test_families_leaving_a_named_camp_are_no_withdrawal(run) -> None:
    _, facts = run("A convoy carrying about 180 Iraqi families left al-Hol camp on 16 November 2025 for a "
                   "rehabilitation centre. The last US troops left Ain al-Asad Air Base on 27 September 2025.")
    assert [(event.date, event.kind) for event in facts.events] == [("2025-11-16", "other"),
                                                                    ("2025-09-27", "withdrawal")]


def test_who_moves_is_read_from_the_object_and_the_clause_a_cue_hangs_on(run) -> None:
    """Families brought home, or crossing under a repatriation programme, are no troop movement, even next
    to a named camp; troops withdrawn are one, and so is an embassy evacuated by forces."""
    _, facts = run("Iraq repatriated 400 families from al-Hol camp on 28 November 2025. "
                   "On 9 May 2025, 150 families crossed into Iraq from al-Hol camp, the latest group to return "
                   "under a repatriation programme. "
                   "The US withdrew its troops from Ain al-Asad Air Base on 18 January 2025. "
                   "US forces evacuated the embassy on 6 June 2025.", published="2025-12-01")
    assert [(event.date, event.kind) for event in facts.events] == [
        ("2025-11-28", "other"), ("2025-05-09", "other"), ("2025-01-18", "withdrawal"), ("2025-06-06", "withdrawal")]


def test_a_judgement_of_a_plan_is_a_statement_not_the_plan(run) -> None:
    _, facts = run("The government on 28 November defended its timetable for the withdrawal of the US-led "
                   "coalition. Lawmakers on 12 May questioned the government's plan for the departure of coalition "
                   "forces. The two governments signed an agreement on 3 March on the withdrawal of coalition forces. "
                   "Officials welcomed the agreement signed on 9 April.", published="2025-12-01")
    assert [(event.date, event.kind) for event in facts.events] == [
        ("2025-11-28", "statement"), ("2025-05-12", "statement"), ("2025-03-03", "agreement"),
        ("2025-04-09", "agreement")]


def test_a_list_of_dated_places_is_not_cut_into_verbless_fragments(run) -> None:
    _, facts = run("Chad was the last country to host French troops, after their departure from Mali in 2022, "
                   "Burkina Faso in 2023 and Niger in December 2023.", published="2025-02-01")
    assert facts.events and all(event.what.startswith("Chad was the last country") for event in facts.events)
