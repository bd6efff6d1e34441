"""The review desk: a brief's facts as an analyst reviews them, and the decisions taken on them.

Used by `briefgen review` and by the review page of `briefgen serve`. A brief's facts are those of
the sources it uses on the build date (extracted first when the store lacks them), with every
decision of corrections.yaml applied; each decision taken here is appended to that file, keyed by
the fact's stable identity, and is applied by every later build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from briefgen.assemble import assemble_brief
from briefgen.assemble.views import Citation as BriefCitation
from briefgen.build import BuildReport, NoProgress, brief_documents, brief_input, brief_pool, gather, today
from briefgen.errors import BriefgenError
from briefgen.extract import merge_facts
from briefgen.facts import Document, DocumentFacts
from briefgen.project import Project, load_project
from briefgen.review import (
    ADDABLE,
    Applied,
    Decision,
    ReviewItem,
    Texts,
    apply_corrections,
    decision,
    find_words,
    record,
    review_items,
    texts_of,
)
from briefgen.review.identity import plain
from briefgen.store import FactStore

STATUSES = ("not reviewed", "accepted", "rejected", "edited", "pinned", "added")


class ReviewError(BriefgenError):
    """A review request that cannot be carried out as asked."""


@dataclass
class BriefReview:
    """A brief's facts for review: the items, and what they were read from."""

    project: Project
    brief: str
    documents: list[Document]
    facts: list[DocumentFacts]
    applied: Applied
    texts: Texts
    items: list[ReviewItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sources that could not be read

    def item(self, fact_id: str) -> ReviewItem:
        """The item with a stable id; ReviewError when the brief has none."""
        found = next((item for item in self.items if item.id == fact_id), None)
        if found is None:
            raise ReviewError(f"no fact '{fact_id}' in brief '{self.brief}'; "
                              f"'briefgen review list --brief {self.brief}' lists their ids")
        return found

    def document(self, source: str) -> Document:
        """A source of the brief by path (or id); ReviewError naming the brief's sources otherwise."""
        found = next((doc for doc in self.documents if source in (doc.path, doc.id)), None)
        if found is None:
            listed = ", ".join(sorted(doc.path for doc in self.documents))
            raise ReviewError(f"'{source}' is not a source of brief '{self.brief}'; its sources: {listed}")
        return found


def brief_name(project: Project, brief: str | None) -> str:
    """The brief asked for, or the project's only brief."""
    if brief is None:
        if len(project.briefs) == 1:
            return next(iter(project.briefs))
        raise ReviewError(f"the project has {len(project.briefs)} briefs; choose one with --brief: "
                          f"{', '.join(sorted(project.briefs))}")
    if brief not in project.briefs:
        raise ReviewError(f"no brief '{brief}'; the project's briefs: {', '.join(sorted(project.briefs))}")
    return brief


def review_brief(project: Project, brief: str | None = None, with_sections: bool = True) -> BriefReview:
    """A brief's facts as they stand after every decision, each with its status and the sections showing it."""
    name = brief_name(project, brief)
    report, build_date = BuildReport(), today(project)
    with FactStore(project.store_location) as store:
        documents, facts = gather(project, store, [name], report, NoProgress())
    pool = brief_pool(project, name, documents, facts)
    used = brief_documents(project, name, pool.documents, build_date)
    ids = {document.id for document in used}
    chosen = [item for item in facts if item.doc in ids]
    texts = texts_of(used, chosen)
    applied = apply_corrections(project.decisions, merge_facts(chosen), texts)
    review = BriefReview(project, name, used, chosen, applied, texts, review_items(applied, texts),
                         skipped=report.skipped)
    if with_sections:
        _mark_sections(review, pool, build_date)
    return review


def fullest_audience(project: Project, brief: str) -> str | None:
    """The brief's audience that sees the most: every source, every section, the fewest limits."""
    def fullness(name: str) -> tuple[bool, int, int]:
        config = project.audiences[name]
        sections = len(config.sections) if config.sections is not None else len(project.briefs[brief].sections)
        return not config.releasable_only, sections, -len(config.limits)
    return max(project.audiences_for(brief), key=fullness, default=None)


def _mark_sections(review: BriefReview, pool: Any, build_date: dt.date) -> None:
    """Give each item the titles of the sections (of the brief's fullest audience) citing its sentence."""
    fullest = fullest_audience(review.project, review.brief)
    if fullest is None:
        return
    view = assemble_brief(brief_input(review.project, review.brief, fullest, pool, build_date, None, None))
    docs_of = {source.number: [source.doc_id, *(copy.doc_id for copy in source.copies)] for source in view.sources}
    cited = {str(getattr(section, "title", "")): {(doc, plain(cite.sentence)) for cite in _citations(section)
                                                  for doc in docs_of.get(cite.number, [])}
             for section in view.sections}
    paths = {document.path: document.id for document in review.documents}
    for item in review.items:
        places = {(paths.get(citation.source), citation.sentence) for citation in item.citations}
        item.sections = [title for title, pairs in cited.items() if places & pairs]


def _citations(value: Any) -> list[BriefCitation]:
    """Every citation inside a section's view, however deep."""
    if isinstance(value, BriefCitation):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [cite for item in dataclasses.fields(value) for cite in _citations(getattr(value, item.name))]
    if isinstance(value, list | tuple):
        return [cite for item in value for cite in _citations(item)]
    return []


def decide(review: BriefReview, action: str, fact_id: str | None, by: str, why: str | None = None,
           **details: Any) -> Decision:
    """Take one decision on a fact of the brief (or add one: `fact_id` None), and record it in corrections.yaml.

    `details`: `set` (edit: field -> text), `into` (merge: the other fact's id), `names` (split),
    `new` (add: kind, source, sentence, fields). ReviewError says what is wrong, in one line.
    """
    key = review.item(fact_id).key if fact_id is not None else None
    if "into" in details:
        into = review.item(details["into"])
        if key is not None and into.kind != key.kind:
            raise ReviewError(f"'{fact_id}' is a {key.kind} and '{into.id}' a {into.kind}: only alike facts merge")
        details["into"] = into.key.as_entry()
    if "new" in details:
        details["new"] = _new_fact(review, details["new"])
    try:
        taken = decision(action, by=by, why=why, fact=key, **details)
    except ValueError as error:
        raise ReviewError(f"cannot {action}: {error}") from None
    if taken.new is not None:
        _refuse_duplicate(review, taken)
    record(review.project.root, [taken])
    return taken


def _refuse_duplicate(review: BriefReview, taken: Decision) -> None:
    """A fact added by hand must not be one the brief has already (the same kind, words and sentence)."""
    applied = apply_corrections([*review.project.decisions, taken], merge_facts(review.facts), review.texts)
    added = [item for item in review_items(applied, review.texts) if item.status == "added"]
    known = {item.id for item in review.items}
    for item in added:
        if item.id in known and not any(old.id == item.id and old.status == "added" for old in review.items):
            raise ReviewError(f"the brief has this {item.kind} already: {item.id}; pin it to be sure it is shown")


def _new_fact(review: BriefReview, new: dict[str, Any]) -> dict[str, Any]:
    """A fact to add, checked against the brief's sources: its kind is addable and its sentence is in the source."""
    if new.get("kind") not in ADDABLE:
        raise ReviewError(f"facts added by hand are one of: {', '.join(ADDABLE)}")
    document = review.document(str(new.get("source") or ""))
    sentence = " ".join(str(new.get("sentence") or "").split())
    if not sentence or find_words(document.text, sentence) is None:
        raise ReviewError(f"the sentence is not in {document.path}: quote it as the source writes it")
    return {"kind": new["kind"], "doc": document.id, "source": document.path, "sentence": sentence,
            "fields": dict(new.get("fields") or {})}


def reload(review: BriefReview) -> BriefReview:
    """The brief's review read again (the project's files and decisions as they are now)."""
    return review_brief(load_project(review.project.root), review.brief)
