"""The sentence a citation quotes is read from its document once for every set of a build's documents."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from briefgen.assemble.citations import Citer
from briefgen.facts import Document, DocumentFacts

TEXT = "Gunmen attacked a convoy near the town.  Two drivers   were hurt. Police said nothing."


def test_citers_of_one_build_quote_each_sentence_once_and_alike() -> None:
    public = Document(id="a", path="a.md", text=TEXT, published="2026-03-01")
    internal = Document(id="b", path="b.md", text=TEXT, published="2026-03-02", releasable=False)
    facts = [DocumentFacts(doc="a", sentences=[(0, 39), (41, 65), (66, 86)]),
             DocumentFacts(doc="b", sentences=[(0, 39), (41, 65), (66, 86)])]
    read: dict[Hashable, Any] = {}
    everything, releasable = Citer([public, internal], facts, read=read), Citer([public], facts[:1], read=read)
    quoted = everything.cite("a", 45, 51)
    again = releasable.cite("a", 45, 51)
    assert quoted is not None and again is not None
    assert quoted.sentence == "Two drivers were hurt."
    assert again.sentence is quoted.sentence  # read once, by the first
    assert (quoted.number, again.number) == (1, 1)
    assert everything.cite("a", 0, 65).sentence == "Gunmen attacked a convoy near the town. Two drivers were hurt."
    assert Citer([public], facts[:1]).sentence("a", 66, 70) == "Police said nothing."  # a Citer of its own
