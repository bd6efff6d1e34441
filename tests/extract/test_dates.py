"""Date resolution and events."""

from briefgen.extract.dates import Published, resolve


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
