"""Review items name the page of a PDF a fact was read on."""

from __future__ import annotations

from briefgen.facts import Document, DocumentFacts, FactSet, Quote
from briefgen.review import apply_corrections, review_items, texts_of

PAGE_ONE = "The governor said the road was open. "
PAGE_TWO = "The army said 12 soldiers were killed near the town."


def test_a_citation_in_a_pdf_names_its_page_and_one_elsewhere_does_not() -> None:
    report = Document(id="r", path="sources/report.pdf", text=PAGE_ONE + PAGE_TWO, pages=[0, len(PAGE_ONE)])
    note = Document(id="n", path="sources/note.md", text=PAGE_TWO)
    start = len(PAGE_ONE)
    quotes = [Quote(id="q1", text="12 soldiers were killed near the town", speaker="army", speaker_name="army", doc="r",
                    start=start + 14, end=start + len(PAGE_TWO) - 1),
              Quote(id="q2", text="12 soldiers were killed near the town", speaker="army", speaker_name="army", doc="n",
                    start=14,
                    end=len(PAGE_TWO) - 1)]
    facts = [DocumentFacts(doc="r", sentences=[(0, start - 1), (start, start + len(PAGE_TWO))]),
             DocumentFacts(doc="n", sentences=[(0, len(PAGE_TWO))])]
    texts = texts_of([report, note], facts)
    items = review_items(apply_corrections([], FactSet(quotes=quotes), texts), texts)
    wheres = sorted(citation.where for item in items for citation in item.citations)
    assert wheres == ["sources/note.md", "sources/report.pdf, p. 2"]
    assert {citation["page"] for item in items for citation in item.as_json()["citations"]} == {None, 2}
