"""Assemble: gather a brief's facts into the template context for one audience."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from briefgen.assemble import changes, figures, incident_chart, incident_rows, sections, timeline
from briefgen.assemble.changes import PreviousEdition, judgment_snapshot
from briefgen.assemble.citations import Citer
from briefgen.assemble.index import FactIndex
from briefgen.assemble.readings import Readings
from briefgen.assemble.views import AudienceView, BriefView
from briefgen.config import (
    DEFAULT_TITLES,
    AudienceConfig,
    BriefConfig,
    Gazetteer,
    ProjectConfig,
    TimeWindow,
)
from briefgen.extract import merge_facts
from briefgen.extract.known import slugify
from briefgen.extract.world import world
from briefgen.facts import Document, DocumentFacts, FactSet
from briefgen.freshness import freshness
from briefgen.review import Applied, Decision, apply_corrections, texts_of
from briefgen.stories import Story, group_stories

__all__ = ["BriefInput", "Prepared", "PreviousEdition", "assemble_brief", "judgment_snapshot",
           "merged_and_corrected", "prepare", "prepare_documents", "select_documents"]


@dataclass
class BriefInput:
    """Everything a brief is assembled from."""

    name: str
    brief: BriefConfig
    audience_name: str
    audience: AudienceConfig
    settings: ProjectConfig
    documents: list[Document]
    facts: list[DocumentFacts]
    judgments: str | None
    build_date: dt.date
    generated_at: str
    created: str | None = None  # generated_at as ISO 8601 date and time, for metadata
    edition: int | None = None
    previous: PreviousEdition | None = None
    logo: str | None = None
    next_issue: str | None = None
    gazetteer: Gazetteer = field(default_factory=Gazetteer)  # for the analyst's stances on key actors
    section_texts: dict[str, str] = field(default_factory=dict)  # section kind -> Markdown read from its file
    decisions: list[Decision] = field(default_factory=list)  # the analysts' corrections, oldest first
    # The documents grouped into stories (copies of one report), once per brief and audience; None: grouped
    # here with the project's `stories.similarity`.
    stories: list[Story] | None = None
    # The documents' citer and facts, merged and corrected; None: prepared here. A build prepares them once for
    # all the audiences that see the same documents (`prepare_documents`).
    prepared: Prepared | None = None


def select_documents(documents: list[Document], window: TimeWindow, build_date: dt.date,
                     releasable_only: bool) -> list[Document]:
    """The documents a brief may use: inside its time window, and releasable when required."""
    start = window_start(window, build_date)
    chosen = []
    for document in documents:
        if releasable_only and not document.releasable:
            continue
        published = _first_day(document.published)
        if published and ((start and published < start) or (window.end and published > window.end)):
            continue
        chosen.append(document)
    return chosen


def window_start(window: TimeWindow, build_date: dt.date) -> dt.date | None:
    """The first day of a brief's window on a build date: its start, or N days back, the later of the two."""
    if window.days is None:
        return window.start
    return max(window.start or dt.date.min, build_date - dt.timedelta(days=window.days))


@dataclass
class Prepared:
    """What every assembly of a brief from one set of documents shares: its citer and its facts, merged, with
    the analysts' corrections applied, and their index with its memo (computed once, however many audiences
    see those documents and however often the page limit has each brief assembled)."""

    citer: Citer
    facts: FactSet
    pinned: frozenset[str]
    index: FactIndex  # the facts looked up by id, document, place and date


def prepare(given: BriefInput) -> Prepared:
    """Number the brief's sources and merge its facts, corrections applied (or take those the build prepared)."""
    if given.prepared is not None:
        return given.prepared
    stories = given.stories if given.stories is not None else group_stories(given.documents,
                                                                             given.settings.stories.similarity)
    return prepare_documents(given.documents, given.facts, stories, given.decisions)


def prepare_documents(documents: list[Document], facts: list[DocumentFacts], stories: list[Story],
                      decisions: list[Decision], readings: Readings | None = None) -> Prepared:
    """The documents' sources numbered by story and their facts (of those in `facts`) merged and corrected;
    `readings` are those of the other sets of the build's documents prepared before (`FactIndex.read_once`)."""
    ids = {document.id for document in documents}
    facts = [item for item in facts if item.doc in ids]
    corrected = merged_and_corrected(decisions, documents, facts)
    return Prepared(Citer(documents, facts, stories, readings), corrected.facts, corrected.pinned_ids(),
                    FactIndex(corrected.facts, readings))


def assemble_brief(given: BriefInput, prepared: Prepared | None = None) -> BriefView:
    """Build the template context of one brief for one audience, every citation of every item in it
    (`assemble.bounded.bound` cuts it to what a page shows)."""
    prepared = prepared or prepare(given)
    citer = prepared.citer
    views = []
    theatre, start = theatre_countries(given.gazetteer), window_start(given.brief.window, given.build_date)
    for config in shown_sections(given):
        kind = config.kind
        title = config.title or DEFAULT_TITLES[kind]
        data = sections.SectionInput(prepared.facts, citer, given.build_date, given.audience.limits.get(kind),
                                     given.audience.graphics, theatre=theatre, window_start=start,
                                     pinned=prepared.pinned, indexed=prepared.index,
                                     max_citations=given.audience.max_citations)
        views.append(BUILDERS[kind](title, config, data, given))
    _unique_anchors(views)
    dates = sorted(document.published for document in given.documents if document.published)
    return BriefView(
        name=given.name, title=given.brief.title, subtitle=given.brief.subtitle,
        audience=AudienceView(name=given.audience_name, label=given.audience.label,
                              marking=given.audience.marking, citations=given.audience.citations,
                              logo=given.logo, accent=given.audience.accent),
        build_date=given.build_date, generated_at=given.generated_at, created=given.created,
        producer=given.settings.producer, contact=given.settings.contact,
        period_start=dates[0] if dates else None, period_end=dates[-1] if dates else None,
        page_size=given.audience.page_size or given.brief.page_size or given.settings.page_size,
        sections=views, sources=citer.sources, keywords=given.brief.keywords,
        toc=given.audience.toc and len(views) > 2, edition=given.edition, next_issue=given.next_issue,
        freshness=freshness(given.documents, given.build_date, given.brief.stale_after), graded=citer.graded(),
    )


def merged_and_corrected(decisions: list[Decision], documents: list[Document], facts: list[DocumentFacts]) -> Applied:
    """The facts of the documents merged, with the analysts' decisions applied."""
    return apply_corrections(decisions, merge_facts(facts), texts_of(documents, facts))


def shown_sections(given: BriefInput) -> list[Any]:
    """The brief's sections this audience sees: in the brief's order, or in the order of the kinds the
    audience lists (a kind brings every section of that kind, e.g. all timelines); changes from edition 2."""
    chosen = given.brief.sections if not given.audience.sections else [
        section for kind in dict.fromkeys(given.audience.sections)
        for section in given.brief.sections if section.kind == kind]
    return [section for section in chosen if not (section.kind == "changes" and given.previous is None)]


def shown_kinds(given: BriefInput) -> list[str]:
    """The section kinds this audience sees, in its order (see `shown_sections`)."""
    return list(dict.fromkeys(section.kind for section in shown_sections(given)))


def _unique_anchors(views: list[Any]) -> None:
    """Give each section an anchor no other has ('attacks', then 'attacks-2' ...), for links and contents."""
    taken: set[str] = set()
    for view in views:
        anchor, count = view.anchor, 1
        while anchor in taken:
            count += 1
            anchor = f"{view.anchor}-{count}"
        view.anchor = anchor
        taken.add(anchor)


def theatre_countries(gazetteer: Gazetteer) -> frozenset[str]:
    """The gazetteer's countries by the names extraction gives places ("Ivory Coast" -> "Côte d'Ivoire")."""
    countries = (world().country(name) for name in gazetteer.countries)
    return frozenset(country.name for country in countries if country is not None)


def actor_stances(gazetteer: Gazetteer) -> dict[str, str]:
    """The analyst's stance of each gazetteer actor that has one, by actor id (the slug of its name)."""
    return {slugify(actor.name): actor.stance for actor in gazetteer.actors if actor.stance}


Builder = Callable[[str, Any, sections.SectionInput, BriefInput], object]


def _key_judgments(title: str, config: Any, data: sections.SectionInput, given: BriefInput) -> object:
    cited = incident_rows.significant(data, sections.cap_items(config.incidents, data.limit))
    return sections.key_judgments(title, given.judgments or "", config.judgments, cited)


def _outlook(title: str, config: Any, data: sections.SectionInput, given: BriefInput) -> object:
    return sections.outlook(title, config, given.section_texts.get("outlook", config.text or ""), data)


def _changes(title: str, config: Any, data: sections.SectionInput, given: BriefInput) -> object:
    assert given.previous is not None
    title = config.title or f"Changes since edition {given.previous.number}"
    snapshot = judgment_snapshot(given.judgments, _judgments_of(given.brief))
    terms = changes.figure_terms(given.brief.section("threat_summary"))
    previous = given.previous
    # merged once for every assembly from these documents (audiences, and fitting each to its pages)
    seen = frozenset(document.id for document in previous.documents)
    old = data.index.once(("previous edition", previous.number, seen), lambda: apply_corrections(
        given.decisions, merge_facts(previous.facts), texts_of(previous.documents, previous.facts)))
    # made once for every assembly from these facts (the section's config lives as long as the build, so its id
    # names it); each assembly cuts a copy of its lists to its audience's limit
    made = data.index.once(("changes", id(config), title, previous.number, seen, given.judgments, data.build_date),
                           lambda: changes.changes(title, config, previous, data, snapshot, terms, old.facts))
    return changes.capped(made, sections.cap_items(config.max_items, data.limit))


def _threat_summary(title: str, config: Any, data: sections.SectionInput, given: BriefInput) -> object:
    with_figures = "key_figures" not in shown_kinds(given)  # else the figures are listed there, not twice
    return sections.threat_summary(title, config, data, with_figures)


# The builder of each section kind (see config.SECTION_MODELS): its title, config, data and the brief's input
# in, its view (assemble.views) out.
BUILDERS: dict[str, Builder] = {
    "key_judgments": _key_judgments,
    "changes": _changes,
    "key_figures": lambda title, config, data, given: figures.key_figures(title, config, data),
    "threat_summary": _threat_summary,
    "incidents": lambda title, config, data, given: incident_rows.incidents(title, config, data),
    "incident_chart": lambda title, config, data, given: incident_chart.incident_chart(title, config, data),
    "timeline": lambda title, config, data, given: timeline.timeline(title, config, data, given.gazetteer),
    "withdrawal_timeline": lambda title, config, data, given: timeline.timeline(title, config, data,
                                                                                given.gazetteer),
    "key_actors": lambda title, config, data, given: sections.key_actors(title, config, data,
                                                                        actor_stances(given.gazetteer)),
    "outlook": _outlook,
    "intelligence_gaps": lambda title, config, data, given: sections.intelligence_gaps(title, config, data),
    "sources": lambda title, config, data, given: sections.sources(title, data.citer),
}


def _judgments_of(brief: BriefConfig) -> list[object]:
    section = brief.section("key_judgments")
    return list(section.judgments) if section is not None else []


def _first_day(published: str | None) -> dt.date | None:
    if not published:
        return None
    parts = [int(part) for part in published.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])
