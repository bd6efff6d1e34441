"""Review: an analyst's decisions about extracted facts, kept in PROJECT/corrections.yaml and applied
to every build (between the store and assembly).

`load_corrections` reads the decisions, `record` appends new ones, `apply_corrections` applies them
to a brief's merged facts, and `review_items` lists each fact with its stable id, source sentence
and status for the command line and the review page.
"""

from __future__ import annotations

from briefgen.facts import Document, DocumentFacts
from briefgen.review.apply import Applied, Unmatched, apply_corrections, find_words
from briefgen.review.corrections import (
    ACTIONS,
    CORRECTIONS_FILE,
    Decision,
    corrections_path,
    decision,
    load_corrections,
    record,
    reviewer,
)
from briefgen.review.fields import ADDABLE, EDITABLE
from briefgen.review.identity import FACT_KINDS, NAMED_KINDS, FactKey, Texts, key_of, kind_of
from briefgen.review.items import ReviewItem, review_items


def texts_of(documents: list[Document], facts: list[DocumentFacts]) -> Texts:
    """The texts and sentence spans facts are read against."""
    return Texts({document.id: document for document in documents}, {item.doc: item.sentences for item in facts})


__all__ = ["ACTIONS", "ADDABLE", "CORRECTIONS_FILE", "EDITABLE", "FACT_KINDS", "NAMED_KINDS", "Applied", "Decision",
           "FactKey", "ReviewItem", "Texts", "Unmatched", "apply_corrections", "corrections_path", "decision",
           "find_words", "key_of", "kind_of", "load_corrections", "record", "review_items", "reviewer", "texts_of"]
