"""Rendering a bounded brief: "+N more" after k citations, "and N more" after source names, values and copies,
and a Sources list of the cited sources with one line pointing to the data export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

from pypdf import PdfReader

from briefgen.assemble.bounded import bound
from briefgen.assemble.views import (
    ActorCard,
    AudienceView,
    BriefView,
    Citation,
    FigureValue,
    GradedSource,
    KeyActorsSection,
    KeyFigure,
    KeyFiguresSection,
    SourceCopy,
    SourceEntry,
    SourcesSection,
)
from briefgen.project import load_project
from briefgen.render import Renderer

STORIES = 12


def entry(number: int) -> SourceEntry:
    copies = [SourceCopy(doc_id=f"d{number}-{copy}", title=f"Copy {copy}", outlet=f"Reprint {copy}",
                         published="2025-03-02", url=None, path=f"sources/{number}-{copy}.md") for copy in range(5)]
    return SourceEntry(number=number, doc_id=f"d{number}", title=f"Report {number}", outlet=f"Outlet {number}",
                       published="2025-03-01", url=None, path=f"sources/{number}.md", copies=copies)


def value(text: str, numbers: range) -> FigureValue:
    return FigureValue(text=text, low=1, high=1, approximate=False, as_of="2025-03-01", as_of_label="1 March 2025",
                       as_of_event=False, sources=[f"Outlet {number}" for number in numbers],
                       cites=[Citation(number, f"Sentence {number}.") for number in numbers],
                       graded_sources=[GradedSource(f"Outlet {number}", None, "") for number in numbers])


def whole_view() -> BriefView:
    """A brief whose one actor is reported by every story and whose one figure has five differing values."""
    card = ActorCard(name="Rana Aziz", kind="person", role=None, affiliation=None, aliases=[], mentions=40,
                     cites=[Citation(number, f"Rana Aziz spoke ({number}).") for number in range(1, STORIES)])
    figure = KeyFigure(subject="fighters", label="Fighters, Mar 2025", sources_differ=True,
                       values=[value(str(100 * index), range(index, index + 4)) for index in range(1, 6)])
    sources = [entry(number) for number in range(1, STORIES + 1)]
    return BriefView(
        name="test", title="Test brief", subtitle=None,
        audience=AudienceView(name="analyst", label="Analyst brief", marking=None, citations=True),
        build_date=dt.date(2025, 10, 1), generated_at="1 October 2025 09:00 +03", producer="Desk", contact=None,
        period_start=None, period_end=None, page_size="A4",
        sections=[KeyActorsSection(kind="key_actors", title="Key actors", anchor="key-actors", actors=[card]),
                  KeyFiguresSection(kind="key_figures", title="Key figures", anchor="key-figures", figures=[figure]),
                  SourcesSection(kind="sources", title="Sources", anchor="sources", sources=sources,
                                 summary=f"{STORIES} sources.")],
        sources=sources,
    )


def text_of(html: str) -> str:
    words = " ".join(re.sub(r"<[^>]+>", " ", html[html.index("<body"):]).replace("&nbsp;", " ").split())
    return re.sub(r"\( ", "(", re.sub(r" ([,.)])", r"\1", words))


def test_the_html_shows_k_of_each_list_and_counts_the_rest(example_project: Path) -> None:
    renderer = Renderer(load_project(example_project))
    html = renderer.html(bound(whole_view(), 2, export="analyst.facts.json").view)
    text = text_of(html)
    assert "Rana Aziz 1, 2 +9 more" in text  # eleven stories: the two earliest, then nine more
    assert "and 3 more values, in the data export" in text  # five values, two shown
    assert "Outlet 1, Outlet 2, and 2 more" in text  # four sources of the first value, two named
    assert "Also published by: Reprint 0 (2025-03-02), Reprint 1 (2025-03-02), and 3 more." in text
    listed = re.findall(r'<li id="source-(\d+)"', html)
    assert listed == ["1", "2", "3"]  # the actor cites 1, 2; the values shown 1, 2 and 2, 3 (of 12 sources)
    assert "Listed: the 3 sources this brief cites. 9 other sources it drew on are listed" in text
    assert '<a class="export-link" href="analyst.facts.json">analyst.facts.json</a>' in html


def test_a_whole_view_renders_every_citation_without_counts(example_project: Path) -> None:
    text = text_of(Renderer(load_project(example_project)).html(whole_view()))
    assert "more" not in text.replace("Key", "")
    assert "Rana Aziz 1, 2, 3" in text and len(re.findall(r"Report \d+", text)) == STORIES


def test_the_pdf_names_the_export_without_linking_to_a_file(example_project: Path) -> None:
    bounded = bound(whole_view(), 1, export="analyst.facts.json").view
    content, _ = Renderer(load_project(example_project)).pdf(dataclasses.replace(bounded))
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "analyst.facts.json" in " ".join(text.split()) and "+10" in text
    links = [annotation.get_object().get("/A", {}).get("/URI") for page in reader.pages
             for annotation in page.get("/Annots", []) or []]
    assert not [link for link in links if link and "facts.json" in str(link)]
