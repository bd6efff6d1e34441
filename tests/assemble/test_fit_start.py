"""Fitting a brief to its page limit from where the last edition's fit ended: one layout, not one per step."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from briefgen.assemble import BriefInput, assemble_brief, prepare
from briefgen.assemble.bounded import item_counts
from briefgen.build import brief_input
from briefgen.fit import FittedBrief, fitted_brief, tightened
from briefgen.render import Renderer
from tests.assemble.conftest import BRIEF, BUILD_DATE, Example

# The example's analyst brief runs to about ten pages, and to no fewer than five with one item a section.
TIGHT = 7


def limited(example: Example, max_pages: int) -> BriefInput:
    """The example's analyst brief with a page limit its items run past (no graphics: quicker to lay out)."""
    given = brief_input(example.project, BRIEF, "analyst", example.pool, BUILD_DATE, 1, None)
    audience = given.audience.model_copy(update={"max_pages": max_pages, "graphics": False})
    return dataclasses.replace(given, audience=audience)


def fit(example: Example, given: BriefInput, start: dict[str, Any] | None = None) -> FittedBrief:
    prepared = prepare(given)
    whole = assemble_brief(given, prepared)
    return fitted_brief(Renderer(example.project), given, prepared, whole, "analyst.facts.json", True, start)


@pytest.fixture(scope="module")
def tight(example: Example) -> FittedBrief:
    """The brief fitted to TIGHT pages from the audience's own limits."""
    return fit(example, limited(example, TIGHT))


def test_the_limits_a_brief_was_cut_to_are_kept_and_the_next_fit_starting_there_lays_it_out_once(
        example: Example, tight: FittedBrief) -> None:
    given, first = limited(example, TIGHT), tight
    assert first.renders > 1 and first.pages is not None and first.pages <= TIGHT and first.dropped
    assert first.fit is not None and first.fit["pages"] == first.pages and first.fit["max_pages"] == TIGHT
    again = fit(example, given, first.fit)
    assert again.renders == 1 and again.pages == first.pages and again.fit == first.fit
    assert item_counts(again.bounded.view) == item_counts(first.bounded.view) and again.dropped == first.dropped


def test_a_brief_that_fits_its_own_limits_records_no_fit(example: Example) -> None:
    roomy = fit(example, limited(example, 40))
    assert roomy.renders == 1 and roomy.fit is None and not roomy.dropped


def test_the_last_fit_is_not_used_for_another_page_limit_or_when_the_brief_came_out_much_shorter(
        example: Example, tight: FittedBrief) -> None:
    assert tight.fit is not None
    # The page limit was raised since: the fit starts from the audience's own limits.
    fresh, started = fit(example, limited(example, TIGHT + 1)), fit(example, limited(example, TIGHT + 1), tight.fit)
    assert item_counts(started.bounded.view) == item_counts(fresh.bounded.view) and started.renders == fresh.renders
    # The last edition's brief under those limits had three pages more (its window held more sources): the
    # limits would now leave the brief shorter than it could be, so after one layout the fit starts over.
    longer = {**tight.fit, "pages": tight.fit["pages"] + 3}
    over = fit(example, limited(example, TIGHT), longer)
    assert item_counts(over.bounded.view) == item_counts(tight.bounded.view) and over.renders == tight.renders + 1


def test_tightening_never_loosens_a_limit_a_section_shows_more_than() -> None:
    # A timeline limited to 13 shows 19 entries (its nearest upcoming ones beyond the limit): the next limit is
    # cut from 13, not from 19.
    tighter = tightened({"withdrawal_timeline": 19, "incidents": 6}, {"withdrawal_timeline": 13}, 3, 1.25)
    assert tighter is not None
    limits, citations = tighter
    assert limits == {"withdrawal_timeline": 9, "incidents": 4} and citations == 2
    assert tightened({"incidents": 1, "withdrawal_timeline": 3}, {"withdrawal_timeline": 1}, 1, 2.0) is None


def test_a_section_the_last_fit_did_not_cover_is_estimated_before_the_first_layout(
        example: Example, tight: FittedBrief) -> None:
    # The last edition's brief had no key actors (as a brief's first edition has no changes section): its
    # fit says nothing of them, and under it the actors, at the audience's own limit, take the brief past its
    # pages. The brief is tightened by the actors' share of its text before it is laid out, so once is enough.
    assert tight.fit is not None and "key_actors" in tight.fit["limits"]
    without_actors = {**tight.fit, "limits": {kind: items for kind, items in tight.fit["limits"].items()
                                              if kind != "key_actors"}}
    given = limited(example, TIGHT)
    fitted = fit(example, given, without_actors)
    assert fitted.renders == 1 and fitted.pages is not None and fitted.pages <= TIGHT
    assert fitted.fit is not None and 1 <= fitted.fit["limits"]["key_actors"] < given.audience.limits.get(
        "key_actors", 99)
    # Not tightened before its first layout (the last brief, of one page, leaves room for the actors by the
    # estimate), it runs past the limit and is laid out again.
    assert fit(example, given, {**without_actors, "pages": 1}).renders > 1
