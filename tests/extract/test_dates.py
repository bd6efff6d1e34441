"""Date resolution and events."""

from briefgen.extract.dates import Published, resolve, shift


def test_explicit_forms() -> None:
    published = Published.parse("2024-12")
    assert resolve("September 2026", published).date == "2026-09"
    assert resolve("September 2026", published).precision == "month"
    assert resolve("November 23", published).date == "2024-11-23"
    assert resolve("23 November", published).date == "2024-11-23"
    assert resolve("3rd of May", published).date == "2024-05-03"
    assert resolve("2017", published).precision == "year"
    assert resolve("early 2024", published).date == "2024"
    assert resolve("two-year", published) is None


def test_relative_with_month_precision_stays_month() -> None:
    published = Published.parse("2025-08")
    for words in ("last week", "this week", "earlier this month", "on Monday"):
        resolved = resolve(words, published)
        assert (resolved.date, resolved.precision) == ("2025-08", "month"), words
    assert resolve("recently", published) is None


def test_relative_with_day_precision() -> None:
    published = Published.parse("2024-12-05")  # a Thursday
    assert resolve("last week", published).date == "2024-11"
    assert resolve("yesterday", published).date == "2024-12-04"
    assert (resolve("on Monday", published).date, resolve("on Monday", published).precision) == (
        "2024-12-02",
        "day",
    )


def test_relative_without_published_has_no_date() -> None:
    resolved = resolve("last week", None)
    assert resolved is not None and resolved.date is None


def test_deadline_is_planned(run, check_offsets) -> None:
    document, facts = run(
        "The last troops will withdraw from the base by September 2026, officials said.", "2025-08"
    )
    event = next(event for event in facts.events if event.date_text == "September 2026")
    assert (event.date, event.precision, event.planned, event.kind) == (
        "2026-09",
        "month",
        True,
        "withdrawal",
    )
    assert "September 2026" in event.what
    check_offsets(document, facts)


def test_last_week_event(run) -> None:
    _, facts = run("Last week, government forces arrested four suspects near the border.", "2025-08")
    event = facts.events[0]
    assert (event.date, event.kind, event.planned) == ("2025-08", "arrest", False)


def test_relative_years_months_and_spans() -> None:
    published = Published.parse("2025-07-10")
    cases = {
        "earlier this year": "2025",
        "the end of last year": "2024",
        "last July": "2024-07",
        "last December": "2024-12",
        "next March": "2026-03",
        "March last year": "2024-03",
        "June 16 of this year": "2025-06-16",
        "three months ago": "2025-04",
        "two years ago": "2023",
        "a few months ago": "2025",
        "over the past six months": "2025",
        "in the coming days": "2025-07",
        "next week": "2025-07",
        "early this morning": "2025-07-10",
        "earlier in the week": "2025-07",
        "the summer of 2014": "2014",
        "Friday, 4 July": "2025-07-04",
    }
    for words, expected in cases.items():
        resolved = resolve(words, published)
        assert resolved is not None and resolved.date == expected, words
    assert resolve("three months ago", published).relative
    assert resolve("the past year", published) is None  # runs over a year's end: no single date


def test_month_and_day_without_year_follow_the_tense() -> None:
    published = Published.parse("2025-01-10")
    assert resolve("November", published, "past").date == "2024-11"
    assert resolve("November 20", published, "past").date == "2024-11-20"
    assert resolve("March", published, "future").date == "2025-03"
    assert resolve("January 5", published, "future").date == "2026-01-05"
    assert resolve("January 5", published, "past").date == "2025-01-05"
    assert resolve("December 28", published).date == "2024-12-28"  # no tense: not a year ahead
    assert resolve("February 2", published).date == "2025-02-02"  # no tense: weeks ahead stay in the year


def test_weekday_in_the_future_looks_forward() -> None:
    published = Published.parse("2025-07-09")  # a Wednesday
    assert resolve("on Friday", published).date == "2025-07-04"
    assert resolve("on Friday", published, "future").date == "2025-07-11"


def test_bare_may_is_a_month_only_after_a_preposition() -> None:
    published = Published.parse("2025-07-10")
    assert resolve("May", published) is None
    assert resolve("May", published, "past", month_cue=True).date == "2025-05"


def test_shift_from_a_previous_date() -> None:
    previous = resolve("March 2019", None)
    assert shift(previous, "two years later").date == "2021"
    assert shift(previous, "three months earlier").date == "2018-12"
    assert shift(resolve("2019", None), "three months later") is None  # a year is too coarse for months
