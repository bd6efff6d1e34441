"""Key figures: values grouped by what they count; sources that disagree are shown side by side."""

from __future__ import annotations

import datetime as dt
import io

from lxml import html
from pypdf import PdfReader

from briefgen.assemble.citations import Citer
from briefgen.assemble.figures import key_figures
from briefgen.assemble.sections import SectionInput
from briefgen.assemble.views import KeyFigure, KeyFiguresSection, ThreatSummarySection
from briefgen.config import KeyFiguresSection as KeyFiguresConfig
from briefgen.facts import Document, DocumentFacts, Event, FactSet, Quantity
from briefgen.render import Renderer
from tests.assemble.conftest import Example, section


def troops(example: Example) -> KeyFigure:
    figures = section(example.view(), "key_figures")
    assert isinstance(figures, KeyFiguresSection)
    return next(figure for figure in figures.figures if figure.subject == "US troops")


def test_conflicting_troop_numbers_are_both_shown_with_their_sources_newest_first(example: Example) -> None:
    figure = troops(example)
    assert figure.sources_differ
    counted = [(value.text, value.sources, value.as_of) for value in figure.values if not value.projected]
    assert counted == [("around 2,000", ["Gulf Security Review"], "2025-09-29"),
                       ("about 2,500", ["Levant Monitor"], "2025-08-04")]


def test_a_target_is_a_projection_not_a_third_count(example: Example) -> None:
    (projected,) = [value for value in troops(example).values if value.projected]
    assert projected.text == "fewer than 500" and projected.high == 500
    assert projected.sources == ["Levant Monitor"]


def test_a_figure_from_an_unsupported_claim_is_marked_disputed(example: Example) -> None:
    figures = section(example.view(), "key_figures")
    assert isinstance(figures, KeyFiguresSection)
    (alleged,) = [value for figure in figures.figures for value in figure.values if value.text == "about 11,000"]
    assert alleged.disputed


def test_disagreeing_figures_come_first_and_the_audience_limit_applies(example: Example) -> None:
    figures = section(example.view("executive"), "key_figures")
    assert isinstance(figures, KeyFiguresSection)
    assert [figure.subject for figure in figures.figures] == ["US troops"]


def test_threat_summary_leaves_figures_to_key_figures_when_both_are_shown(example: Example) -> None:
    analyst = section(example.view("analyst"), "threat_summary")
    field_team = section(example.view("field-team"), "threat_summary")  # has no key figures section
    assert isinstance(analyst, ThreatSummarySection) and isinstance(field_team, ThreatSummarySection)
    assert analyst.figures == [] and analyst.chart is None
    assert field_team.figures


def test_html_shows_both_values_and_sources_in_one_group_under_sources_differ(example: Example) -> None:
    page = html.fromstring(Renderer(example.project).html(example.view()))
    (group,) = [body for body in page.xpath('//section[@id="key-figures"]//tbody')
                if "US troops" in body.text_content()]
    assert "kf-differ" in group.get("class")
    text = " ".join(group.text_content().split())
    assert "Sources differ" in text
    assert text.index("around 2,000") < text.index("Gulf Security Review") < text.index("about 2,500")
    assert "Levant Monitor" in text and "29 September 2025" in text and "4 August 2025" in text
    assert group.xpath('.//sup[@class="cite"]/a/@href') == ["#source-3", "#source-2", "#source-2"]


def test_pdf_shows_the_disagreement(example: Example) -> None:
    content, _ = Renderer(example.project).pdf(example.view())
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "KEY FIGURES" in text and "SOURCES DIFFER" in text
    assert "around 2,000" in text and "about 2,500" in text


def camp_population(text: str, published: str) -> KeyFiguresSection:
    """Key figures of one hand-made document: two values of one thing, the older tied to a date."""
    document = Document(id="doc", path="camp.md", text=text, title="Camp", published=published, outlet="Dispatch")
    now, then = text.index("about 41,000"), text.index("roughly 57,000")
    quantities = [
        Quantity(id="q1", text="about 41,000", low=41000, high=41000, doc="doc", start=now, end=now + 12,
                 subject="camp residents", approximate=True),
        Quantity(id="q2", text="roughly 57,000", low=57000, high=57000, doc="doc", start=then, end=then + 14,
                 subject="camp residents", approximate=True),
    ]
    events = [Event(id="e1", date="2024", date_text="2024", kind="other", what=text, doc="doc", start=0,
                    end=len(text), precision="year")]
    facts = FactSet(quantities=quantities, events=events)
    citer = Citer([document], [DocumentFacts(doc="doc", sentences=[(0, len(text))])])
    data = SectionInput(facts, citer, dt.date(2025, 12, 1), None, graphics=False)
    return key_figures("Key figures", KeyFiguresConfig(kind="key_figures", figure_terms=["resident"]), data)


def test_as_of_is_the_publication_date_or_the_earlier_date_the_figure_is_tied_to() -> None:
    text = "The camp now holds about 41,000 people, down from roughly 57,000 at the end of 2024."
    (figure,) = camp_population(text, "2025-11-18").figures
    assert [(value.text, value.as_of_label, value.as_of_event) for value in figure.values] == [
        ("about 41,000", "18 November 2025", False), ("roughly 57,000", "2024", True)]
    assert not figure.sources_differ  # one source telling a change over time is not a disagreement
