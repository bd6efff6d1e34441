"""Extraction: facts (actors, places, events, quantities, quotes, tactics) from documents.

    extractor = Extractor(gazetteer)
    facts = list(extractor.extract(documents))
    merged = merge_facts(facts)

A document is parsed by the statistical components, then annotated by the fact rules, registered spaCy
components (components.py) that write what they find onto the Doc; its facts are read off the Doc.
Every fact carries its document id and character offsets into `Document.text`.

Importing this package does not import spaCy: `Extractor` (extractor.py) is loaded when first used, so
stages that only read stored facts (assemble, `briefgen check`, `serve`) start without the pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefgen.extract.merge import merge_facts

if TYPE_CHECKING:
    from briefgen.extract.extractor import Extractor

__all__ = ["EXTRACTOR_VERSION", "LANGUAGE", "Extractor", "merge_facts"]

# 7: dates are real calendar dates, figures finite and at most 10^15; long texts parsed in pieces.
# 9: event cues matched by the briefgen_event_cues patterns.
# 10: incidents (ACLED-like records) derived from events and quantities by briefgen_incidents; each
#     document's sentence offsets (DocumentFacts.sentences).
# 17: who a force-movement cue moves is read from its object and the clause it hangs on; a judgement of a
#     plan is a statement.
EXTRACTOR_VERSION = "17"
LANGUAGE = "en"  # what the pipeline and its rules read: a source known to be in another language is not extracted


def __getattr__(name: str) -> Any:
    if name == "Extractor":
        from briefgen.extract.extractor import Extractor

        return Extractor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
