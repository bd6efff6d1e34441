"""Assemblies that share one prepared fact set (the audiences that see the same sources, and the assemblies that
fit a brief to its pages) give what each would give alone, whatever order their limits come in."""

from __future__ import annotations

import dataclasses

import pytest

from briefgen.assemble import BriefInput, assemble_brief, prepare
from briefgen.assemble.views import KeyActorsSection
from briefgen.build import brief_input
from tests.assemble.conftest import BRIEF, BUILD_DATE, Example

# Cards, zones, warnings and tactics are what later assemblies take from the first one's work.
SHARED_KINDS = ("key_actors", "threat_summary")


def limited(example: Example, items: int, citations: int = 3) -> BriefInput:
    """The example's analyst brief with at most `items` items a section and `citations` citations an item."""
    given = brief_input(example.project, BRIEF, "analyst", example.pool, BUILD_DATE, 1, None)
    limits = {kind: items for kind in SHARED_KINDS}
    audience = given.audience.model_copy(update={"limits": limits, "max_citations": citations})
    return dataclasses.replace(given, audience=audience, generated_at="1 December 2025 06:00 +03",
                               created="2025-12-01T06:00:00+03:00")


@pytest.mark.parametrize("order", [(6, 2, 4), (2, 6, 3)], ids=["fewer-after-more", "more-after-fewer"])
def test_assemblies_sharing_their_facts_give_what_each_gives_alone(example: Example, order: tuple[int, ...]) -> None:
    shared = prepare(limited(example, order[0]))
    together = [assemble_brief(limited(example, items), shared) for items in order]
    alone = [assemble_brief(dataclasses.replace(limited(example, items), prepared=None)) for items in order]
    assert together == alone
    cards = [next(section for section in view.sections if isinstance(section, KeyActorsSection)).actors
             for view in together]
    assert [len(shown) for shown in cards] == list(order)  # the example has more actors than any limit here
    told = [statement.text for card in cards[0] for statement in card.statements]
    assert len(told) == len(set(told)) and told  # no card repeats a statement an earlier card shows
