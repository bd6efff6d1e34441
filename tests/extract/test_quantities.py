"""Quantities: bounds, approximations, exclusions and subjects."""

from briefgen.extract.quantities import bound, parse_bounds


def test_parse_bounds() -> None:
    assert parse_bounds("roughly 1,000") == (1000, 1000, True)
    assert parse_bounds("150–200") == (150, 200, False)
    assert parse_bounds("150-200") == (150, 200, False)
    assert parse_bounds("fewer than 500") == (500, 500, True)
    assert parse_bounds("more than 300") == (300, 300, True)
    assert (bound("fewer than 500"), bound("up to 40"), bound("at least 7"), bound("40")) == (
        "upper", "upper", "lower", None)
    assert parse_bounds("dozens") == (24, 99, True)
    assert parse_bounds("eight") == (8, 8, False)


def test_quantities_in_text(run, check_offsets) -> None:
    text = (
        "Officials said roughly 1,000 fighters remain, while 150–200 small cells operate. "
        "In 2021, F-16 jets struck nine militant hideouts 30 kilometers from the city."
    )
    document, facts = run(text, "2025-08")
    by_text = {quantity.text: quantity for quantity in facts.quantities}
    assert by_text["roughly 1,000"].subject == "fighters" and by_text["roughly 1,000"].approximate
    assert (by_text["150–200"].low, by_text["150–200"].high) == (150, 200)
    assert by_text["nine"].subject == "militant hideouts"
    assert by_text["30 kilometers"].unit == "kilometers"
    assert not any(quantity.low in (2021, 16) for quantity in facts.quantities)
    check_offsets(document, facts)


def _by_text(facts):
    return {quantity.text: quantity for quantity in facts.quantities}


def test_a_distance_whose_unit_the_model_left_out_is_no_count(run) -> None:
    text = ("Air strikes on hideouts in Wadi Hauran, about 60 km west of Dibis, killed 25 militants on 22 June, "
            "according to security officials.")
    _, facts = run(text, "2026-06-22")
    by_text = {quantity.text: quantity for quantity in facts.quantities}
    distance = next(quantity for quantity in facts.quantities if quantity.low == 60)
    assert (distance.unit, distance.subject) == ("km", None)
    assert by_text["25"].subject == "militants"
    assert [(incident.fatalities_low, incident.fatalities_high) for incident in facts.incidents] == [(25, 25)]


def test_vague_bounds() -> None:
    assert parse_bounds("several thousand") == (2000, 9999, True)
    assert parse_bounds("several hundred") == (200, 999, True)


def test_subject_stays_in_its_sentence(run) -> None:
    text = (
        "Fewer roads, longer waits\n\n"
        "Reports from aid workers put the number of stranded trucks at the border at about 400."
    )
    _, facts = run(text, "2025-03")
    assert _by_text(facts)["about 400"].subject == "stranded trucks"


def test_number_word_needs_a_counted_noun(run) -> None:
    text = (
        "Volunteers registered hundreds more at the clinic. Hundreds of fighters fled. "
        "Several thousand residents left."
    )
    _, facts = run(text, "2025-03")
    by_text = _by_text(facts)
    assert by_text["hundreds"].subject is None
    assert by_text["Hundreds"].subject == "fighters"
    several = by_text["Several thousand"]
    assert (several.low, several.high, several.approximate, several.subject) == (2000, 9999, True, "residents")


def test_holder_is_not_what_is_counted(run) -> None:
    text = (
        "The prison holds roughly 5,000. "
        "The camp now holds about 30,000 people, down from roughly 45,000 a year earlier."
    )
    _, facts = run(text, "2025-03")
    by_text = _by_text(facts)
    assert by_text["roughly 5,000"].subject is None
    assert by_text["roughly 45,000"].subject == "people"


def test_figures_the_model_leaves_unlabelled_are_found(run, check_offsets) -> None:
    text = ("The spokesman said around 2,000 US troops were still deployed in the north at the end of March, "
            "and that more than 300 advisers would stay in 2027.")
    document, facts = run(text, "2025-10")
    by_text = {quantity.text: quantity for quantity in facts.quantities}
    assert by_text["around 2,000"].subject == "US troops" and by_text["around 2,000"].approximate
    assert (by_text["around 2,000"].low, by_text["around 2,000"].high) == (2000, 2000)
    assert not any(quantity.low == 2027 for quantity in facts.quantities)
    check_offsets(document, facts)


def test_ranges_in_words() -> None:
    assert parse_bounds("two or three") == (2, 3, False)
    assert parse_bounds("between ten and twelve") == (10, 12, False)
    assert parse_bounds("five to seven") == (5, 7, False)
    assert parse_bounds("twenty-five") == (25, 25, False)
    assert parse_bounds("a hundred and fifty")[:2] != (100, 50)  # type: ignore[index]


def test_a_bounded_figure_is_one_figure(run) -> None:
    text = "The mission will keep fewer than 600 engineers in the port city and up to 40 aircraft."
    _, facts = run(text, "2025-03")
    by_text = _by_text(facts)
    fewer = by_text["fewer than 600"]
    assert (fewer.low, fewer.high, fewer.bound, fewer.subject) == (600, 600, "upper", "engineers")
    assert fewer.allowed() == (0, 600)
    assert (by_text["up to 40"].low, by_text["up to 40"].high) == (40, 40)


def test_two_figures_split_by_the_model_are_one_range(run) -> None:
    text = ("Aid groups said 3,000 to 4,500 families had fled Cabo Delgado, and that between 60 and 80 boats "
            "were waiting. The ration fell from 2,100 to 1,600 calories.")
    _, facts = run(text, "2025-03")
    bounds = {(quantity.low, quantity.high) for quantity in facts.quantities}
    assert (3000, 4500) in bounds and (60, 80) in bounds
    assert not bounds & {(3000, 3000), (4500, 4500), (60, 60), (80, 80)}
    assert (2100, 4500) not in bounds and (2100, 1600) not in bounds  # "from A to B" is a change


def test_names_dates_and_times_are_not_counts(run) -> None:
    text = (
        "Tuesday, 14 Oct 2025 | 3 min read\n\n"
        "Under Security Council Resolution 2719, the force was cut to 2,000 troops, the minister told "
        "Channel 4 at 9 a.m. The raid killed the group's #3 commander, its No. 2 and 12 guards."
    )
    _, facts = run(text, "2025-10")
    values = {quantity.low for quantity in facts.quantities}
    assert values == {2000, 12}


def test_one_as_a_pronoun_is_not_a_count(run) -> None:
    text = ("One of the fishermen drowned off Beira, one local official said. "
            "Only one clinic remains open, and one other nurse was hurt.")
    _, facts = run(text, "2025-02")
    assert sorted(quantity.text.lower() for quantity in facts.quantities) == ["one", "only one"]


def test_the_same_figure_stated_again_is_listed_once(run) -> None:
    text = (
        "Gang attack kills 14 police officers in Haiti\n\n"
        "Fourteen police officers were killed and three others were wounded when gangs stormed a station, "
        "the police union said on Monday. \u201cWe lost 14 officers,\u201d a union leader said. "
        "Three officers were wounded in the raid, he added."
    )
    _, facts = run(text, "2025-04")
    assert sorted((quantity.low, quantity.subject) for quantity in facts.quantities) == [
        (3, "police officers"), (14, "police officers")]


def test_different_outcomes_or_dates_keep_figures_apart(run) -> None:
    text = (
        "Two soldiers were killed in the ambush near Tete on Friday. Two soldiers were wounded as well. "
        "It was the deadliest attack since two soldiers were killed in an ambush in May last year."
    )
    _, facts = run(text, "2025-06")
    assert [quantity.low for quantity in facts.quantities] == [2, 2, 2]


def test_a_count_the_model_took_for_a_date(run) -> None:
    text = "The raid in Sofala seized over 130 rifles and grenades, the army said after 30 years of war."
    _, facts = run(text, "2025-06")
    by_text = _by_text(facts)
    assert (by_text["over 130"].low, by_text["over 130"].subject) == (130, "rifles and grenades")
    assert not any(quantity.low == 30 for quantity in facts.quantities)


def test_percentages_are_figures_with_a_unit(run) -> None:
    _, facts = run("The corridor carries about 15% of the region's grain exports.", "2025-06")
    (share,) = facts.quantities
    assert (share.low, share.unit, share.approximate) == (15, "percent", True)


def test_a_capital_in_a_title_case_headline_names_nothing(run) -> None:
    text = "Gunmen Kill 12 in Northern Mozambique Village\n\nThe attack on Sunday, 5 Sept. shook Pemba. Five may die."
    _, facts = run(text, "2025-09")
    assert sorted(quantity.low for quantity in facts.quantities) == [5, 12]


def test_different_places_keep_figures_apart(run) -> None:
    text = ("Gunmen killed eight villagers in Kano on Sunday. "
            "Separately, police said eight villagers were killed near Maiduguri.")
    _, facts = run(text, "2025-09")
    assert [quantity.low for quantity in facts.quantities] == [8, 8]
