"""A desk's project written as real configuration files, with facts given as reports (no extraction).

The reports stand for what extraction read: a clause, its date and kind, whether it is a plan, the
places and actors it names. Assembly and rendering are the real ones.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.assemble import assemble_brief
from briefgen.assemble.views import BriefView, TimelineEntry, TimelineSection
from briefgen.build import SourcePool, brief_input, grade_documents
from briefgen.facts import Document, DocumentFacts, Event, Location, Mention
from briefgen.project import load_project
from briefgen.render import Renderer

COUNTRIES = {"Veland", "Ostra"}  # invented places: the rest are towns and bases
TIMELINES = """\
  - kind: withdrawal_timeline
  - kind: timeline
    title: Attacks
    event_kinds: [attack, killing]
"""


@dataclass
class Report:
    """One dated clause as extraction would give it."""

    text: str
    date: str
    kind: str
    planned: bool = False
    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    date_text: str = ""  # the words of the date in the text; the ISO date when not given


@dataclass
class Source:
    """A source document: its outlet, publication date and the reports read from it."""

    outlet: str
    published: str
    reports: list[Report] = field(default_factory=list)


def write_project(root: Path, sections: str = TIMELINES, gazetteer: str = "", settings: str = "") -> Path:
    """A project of one brief ('desk') and one audience ('analyst'), its brief holding `sections`; `settings`
    is added to config/briefgen.yaml."""
    (root / "config/briefs").mkdir(parents=True)
    (root / "config/audiences").mkdir()
    (root / "config/briefgen.yaml").write_text("producer: Test desk\n" + settings)
    (root / "config/gazetteer.yaml").write_text(gazetteer)
    (root / "config/audiences/analyst.yaml").write_text("label: Analyst brief\n")
    (root / "config/briefs/desk.yaml").write_text(
        f"title: Desk brief\nsources: [sources/*.md]\nsections:\n{sections}  - kind: sources\n")
    return root


def build(root: Path, sources: list[Source], build_date: dt.date) -> BriefView:
    """The brief assembled from the sources' reports on `build_date`."""
    project = load_project(root)
    pairs = [_document(number, source) for number, source in enumerate(sources, start=1)]
    grade_documents(project, [document for document, _ in pairs])
    pool = SourcePool([document for document, _ in pairs], [facts for _, facts in pairs])
    return assemble_brief(brief_input(project, "desk", "analyst", pool, build_date, 1, None))


def render(root: Path, view: BriefView) -> str:
    """The brief's HTML page."""
    return Renderer(load_project(root)).html(view)


def timelines(view: BriefView) -> list[TimelineSection]:
    """The brief's timeline sections, in order."""
    return [section for section in view.sections if isinstance(section, TimelineSection)]


def entries(section: TimelineSection) -> list[TimelineEntry]:
    """Every entry of a timeline, past then upcoming."""
    return [*section.past, *section.upcoming]


def _document(number: int, source: Source) -> tuple[Document, DocumentFacts]:
    text = " ".join(report.text for report in source.reports)
    doc = f"doc{number}"
    facts = DocumentFacts(doc=doc)
    offset = 0
    for index, report in enumerate(source.reports):
        start, end = offset, offset + len(report.text)
        facts.sentences.append((start, end))
        facts.events.append(Event(
            id=f"{doc}-e{index}", date=report.date, date_text=report.date_text or report.date, kind=report.kind,
            what=report.text, doc=doc, start=start, end=end, planned=report.planned,
            actors=[_slug(name) for name in report.actors], locations=[_slug(name) for name in report.places]))
        facts.locations += [_place(doc, name, start + report.text.index(name)) for name in report.places]
        offset = end + 1
    document = Document(id=doc, path=f"sources/{doc}.md", text=text, title=f"Report {number}",
                        published=source.published, outlet=source.outlet)
    return document, facts


def _place(doc: str, name: str, start: int) -> Location:
    return Location(id=_slug(name), name=name, kind="country" if name in COUNTRIES else "city",
                    mentions=[Mention(doc, start, start + len(name))])


def _slug(name: str) -> str:
    return re.sub(r"\W+", "-", name.lower()).strip("-")
