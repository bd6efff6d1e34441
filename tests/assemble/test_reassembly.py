"""Assembling a brief again under other limits (as fitting it to its pages does) reuses what does not depend on
the limits, and shows what an assembly of its own under those limits shows."""

from __future__ import annotations

import dataclasses

from briefgen.assemble import PreviousEdition, assemble_brief
from briefgen.assemble.bounded import item_counts
from briefgen.build import SourcePool, brief_input
from tests.assemble.conftest import BRIEF, BUILD_DATE, Example

KINDS = ("changes", "key_figures", "threat_summary", "withdrawal_timeline", "incidents", "key_actors")


def test_an_assembly_under_tighter_limits_after_a_whole_one_equals_a_fresh_one(example: Example) -> None:
    documents, facts = example.pool.documents, example.pool.facts
    previous = PreviousEdition(number=1, build_date="2025-11-01", documents=documents[:-2],
                               facts=[item for item in facts if item.doc in {d.id for d in documents[:-2]}])
    given = brief_input(example.project, BRIEF, "public", example.pool, BUILD_DATE, 2, previous)
    whole = assemble_brief(given, given.prepared)
    tight = {kind: 2 for kind in KINDS}
    audience = given.audience.model_copy(update={"limits": tight, "max_citations": 1})
    again = assemble_brief(dataclasses.replace(given, audience=audience), given.prepared)
    fresh_pool = SourcePool(documents, facts)  # nothing made for the first assembly
    fresh_given = brief_input(example.project, BRIEF, "public", fresh_pool, BUILD_DATE, 2, previous)
    fresh = assemble_brief(dataclasses.replace(fresh_given, audience=audience, created=given.created,
                                               generated_at=given.generated_at), fresh_given.prepared)
    assert again == fresh
    shown, cut = item_counts(whole), item_counts(again)
    assert {"changes", "threat_summary", "withdrawal_timeline"} <= shown.keys()
    # a timeline may show its nearest upcoming entries beyond its limit; every other kind keeps to it
    assert all(cut[kind] <= 2 for kind in KINDS if kind != "withdrawal_timeline"), cut
    assert shown["changes"] > 2 and shown["threat_summary"] > 2
    # and the whole brief assembled again after the tight one is the whole brief
    assert assemble_brief(given, given.prepared) == whole
