"""Key figures of the example brief: a row for each thing counted, where and when, true to its sources."""

from __future__ import annotations

import datetime as dt
import io
import re

from lxml import html
from pypdf import PdfReader

from briefgen.assemble.citations import Citer
from briefgen.assemble.counted import OUTCOMES
from briefgen.assemble.figures import key_figures
from briefgen.assemble.sections import SectionInput
from briefgen.assemble.views import KeyFigure, KeyFiguresSection, ThreatSummarySection
from briefgen.config import KeyFiguresSection as KeyFiguresConfig
from briefgen.facts import Document, DocumentFacts, Event, FactSet, Quantity
from briefgen.render import Renderer
from tests.assemble.conftest import Example, section


def key_figures_of(example: Example, audience: str = "analyst") -> list[KeyFigure]:
    """The key figures rows of the example brief for one audience."""
    figures = section(example.view(audience), "key_figures")
    assert isinstance(figures, KeyFiguresSection)
    return figures.figures


def row(example: Example, label: str) -> KeyFigure:
    """The analyst brief's row with this label."""
    (found,) = [figure for figure in key_figures_of(example) if figure.label == label]
    return found


def test_troop_counts_of_different_periods_are_rows_of_their_own_not_a_disagreement(example: Example) -> None:
    august, september = row(example, "US troop levels, Aug 2025"), row(example, "US troops deployed, Iraq, Sep 2025")
    assert [(value.text, value.sources, value.as_of) for value in [*august.values, *september.values]] == [
        ("about 2,500", ["Levant Monitor"], "2025-08-04"), ("around 2,000", ["Gulf Security Review"], "2025-09-29")]
    assert not any(figure.sources_differ or figure.corroborated for figure in key_figures_of(example))


def test_a_target_is_a_projection_in_a_row_of_its_own(example: Example) -> None:
    (projected,) = row(example, "US troop levels, Erbil, projected").values
    assert projected.projected and projected.text == "fewer than 500" and projected.high == 500
    assert projected.sources == ["Levant Monitor"]


def test_a_figure_from_an_unsupported_claim_is_marked_disputed(example: Example) -> None:
    (alleged,) = row(example, "Militants and relatives trained, Syria, Dec 2024").values
    assert alleged.text == "about 11,000" and alleged.disputed


def test_every_row_is_true_to_the_sentences_it_cites(example: Example) -> None:
    """The value, what is counted, what happened and where are all in each sentence a row cites."""
    figures = key_figures_of(example)
    assert len(figures) == 8
    for figure in figures:
        what, *where = figure.label.split(", ")[:-1]
        outcome = next((name for name in OUTCOMES if what.endswith(" " + name)), None)
        for value in figure.values:
            for cite in value.cites:
                assert value.text.lower() in cite.sentence.lower() and figure.subject.lower() in cite.sentence.lower()
                assert all(place in cite.sentence for part in where for place in part.split(" and "))
                assert outcome is None or re.search(rf"\b(?:{OUTCOMES[outcome]})\b", cite.sentence)
        assert not any(source in figure.label for value in figure.values for source in value.sources)


def test_the_audience_limit_keeps_the_first_rows(example: Example) -> None:
    (first,) = key_figures_of(example, "executive")
    assert first.label == key_figures_of(example)[0].label == "ISIS fighters and relatives held, al-Hol camp, Dec 2024"


def test_threat_summary_leaves_figures_to_key_figures_when_both_are_shown(example: Example) -> None:
    analyst = section(example.view("analyst"), "threat_summary")
    field_team = section(example.view("field-team"), "threat_summary")  # has no key figures section
    assert isinstance(analyst, ThreatSummarySection) and isinstance(field_team, ThreatSummarySection)
    assert analyst.figures == [] and analyst.chart is None
    assert field_team.figures


def test_html_shows_each_row_with_its_label_value_and_source(example: Example) -> None:
    page = html.fromstring(Renderer(example.project).html(example.view()))
    (deployed,) = [body for body in page.xpath('//section[@id="key-figures"]//tbody')
                   if "US troops deployed, Iraq, Sep 2025" in body.text_content()]
    assert "kf-differ" not in deployed.get("class")
    text = " ".join(deployed.text_content().split())
    assert "Sources differ" not in text and "Corroborated" not in text
    assert text.index("around 2,000") < text.index("29 September 2025") < text.index("Gulf Security Review")
    assert deployed.xpath('.//sup[@class="cite"]/a/@href') == ["#source-3"]
    chart = " ".join(page.xpath('string(//section[@id="key-figures"]//svg)').split())
    assert "US troops deployed, Iraq, Sep 2025" in chart and "US troop levels, Erbil, projected" in chart
    assert "Levant Monitor" not in chart and "Gulf Security Review" not in chart


def test_pdf_shows_the_rows(example: Example) -> None:
    content, _ = Renderer(example.project).pdf(example.view())
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    assert "KEY FIGURES" in text
    assert "US troops deployed, Iraq, Sep 2025" in text and "about 2,500" in text and "around 2,000" in text


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


def test_a_figure_tied_to_an_earlier_period_is_a_row_of_its_own_as_of_that_date() -> None:
    text = "The camp now holds about 41,000 camp residents, down from roughly 57,000 at the end of 2024."
    figures = camp_population(text, "2025-11-18").figures
    assert [(figure.label, [(value.text, value.as_of_label, value.as_of_event) for value in figure.values])
            for figure in figures] == [
        ("Camp residents, 2024", [("roughly 57,000", "2024", True)]),
        ("Camp residents held, Nov 2025", [("about 41,000", "18 November 2025", False)])]
    assert not any(figure.sources_differ for figure in figures)  # one source telling a change over time
