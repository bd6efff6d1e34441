"""Quantities: bounds, approximations, exclusions and subjects."""

from briefgen.extract.quantities import parse_bounds


def test_parse_bounds() -> None:
    assert parse_bounds("roughly 1,000") == (1000, 1000, True)
    assert parse_bounds("150–200") == (150, 200, False)
    assert parse_bounds("150-200") == (150, 200, False)
    assert parse_bounds("fewer than 500") == (0, 500, True)
    assert parse_bounds("more than 300") == (300, 300, True)
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
