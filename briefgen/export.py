"""Facts as JSON, following ../shared/contracts/facts-json.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from briefgen.facts import Document, FactSet, to_plain


def facts_json(documents: list[Document], facts: FactSet, with_text: bool = False) -> dict[str, Any]:
    """The contract's object: documents, actors, events, quantities, locations, quotes (and tactics)."""
    return {key: [to_plain(item) for item in items] for key, items in fact_lists(documents, facts, with_text)}


def fact_lists(documents: list[Document], facts: FactSet,
               with_text: bool = False) -> list[tuple[str, Iterator[Any]]]:
    """The contract's lists in its order, by key: each document as a JSON-ready dict made only when it is read,
    each fact as the dataclass it is (`to_plain` makes it JSON-ready; orjson writes it as it is). A writer that
    streams them holds one item at a time, not a year of facts as JSON-ready dicts."""
    return [
        ("documents", (_document(document, with_text) for document in documents)),
        ("actors", iter(facts.actors)),
        ("events", iter(facts.events)),
        ("quantities", iter(facts.quantities)),
        ("locations", iter(facts.locations)),
        ("quotes", iter(facts.quotes)),
        ("tactics", iter(facts.tactics)),
    ]


def _document(document: Document, with_text: bool) -> dict[str, Any]:
    plain = {
        "id": document.id, "path": document.path, "title": document.title, "published": document.published,
        "url": document.url, "outlet": document.outlet, "releasable": document.releasable,
        "pages": document.pages,  # an extra key, as the contract allows: where each page starts in the text
        "grade": document.grade,  # an extra key: the source's Admiralty grade (briefgen.grading), None if ungraded
    }
    if with_text:
        plain["text"] = document.text
    return plain
