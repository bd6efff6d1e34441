"""Analyst-written parts: the threat assessment apart from reported facts, actor stances, outlook, gaps.

Everything here is rendered with the real templates; the Markdown fields go through the one safe
Markdown path (`briefgen.assemble.analyst_text`), and hostile text in them stays text.
"""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from lxml import html
from pypdf import PdfReader

from briefgen.assemble.analyst_text import markdown_block, markdown_inline
from briefgen.assemble.views import KeyActorsSection
from briefgen.render import Renderer
from tests.assemble.conftest import Example, load_example, section

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }}"


def page_of(example: Example, audience: str = "analyst") -> html.HtmlElement:
    return html.fromstring(Renderer(example.project).html(example.view(audience)))


def test_assessment_is_in_its_own_labelled_box_apart_from_the_reported_facts(example: Example) -> None:
    (threat,) = page_of(example).xpath('//section[@id="threat-summary"]')
    (box,) = threat.xpath('./aside[@class="assessment"]')
    assert box.xpath('./p[@class="part-label"]/text()') == ["Analyst assessment"]
    assert "persistent but contained" in box.text_content()
    (reported,) = threat.xpath('./div[@class="reported-facts"]')
    assert "Reported" in threat.xpath('./p[contains(@class, "part-label-reported")]')[0].text_content()
    assert "persistent but contained" not in reported.text_content()
    assert reported.xpath('.//h3/text()') == ["Active zones", "Tactics", "Warnings"]
    assert not box.xpath('.//sup[@class="cite"]') and reported.xpath('.//sup[@class="cite"]')


def test_pdf_labels_assessment_and_reported_parts_in_that_order(example: Example) -> None:
    content, _ = Renderer(example.project).pdf(example.view())
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assessment = text.index("ANALYST ASSESSMENT")
    assert assessment < text.index("persistent but contained") < text.index("REPORTED") < text.index("Active zones")


def test_stance_from_the_gazetteer_is_shown_on_the_actor_card(example: Example) -> None:
    actors = section(example.view(), "key_actors")
    assert isinstance(actors, KeyActorsSection)
    stances = {card.name: card.stance for card in actors.actors}
    assert stances["Islamic State"] == "Hostile; rebuilding as a cross-border insurgency"
    assert stances["Alaa al-Nashou"] is None  # no stance in the gazetteer: none shown
    (card,) = [card for card in page_of(example).xpath('//article[contains(@class, "actor-card")]')
               if card.xpath('.//h3')[0].text_content().startswith("Syrian Democratic Forces")]
    assert " ".join(card.xpath('.//p[@class="actor-stance"]')[0].text_content().split()) == (
        "Stance Coalition partner; guards al-Hol and Ghuwayran")


def test_a_changed_stance_shows_without_extracting_again(editable: Path) -> None:
    gazetteer = editable / "config/gazetteer.yaml"
    gazetteer.write_text(gazetteer.read_text().replace(
        "stance: Coalition partner; guards al-Hol and Ghuwayran", "stance: Wary partner"))
    actors = section(load_example(editable).view(), "key_actors")
    assert isinstance(actors, KeyActorsSection)
    assert next(card.stance for card in actors.actors if card.name == "Syrian Democratic Forces") == "Wary partner"


def test_outlook_text_and_indicators_are_rendered(example: Example) -> None:
    (outlook,) = page_of(example).xpath('//section[@id="outlook"]')
    assert "Next six to twelve months." in outlook.xpath('.//div[contains(@class, "outlook-text")]//strong/text()')
    assert outlook.xpath('.//th/text()') == ["Indicator", "Watch for", "Why it matters"]
    rows = outlook.xpath('.//table[contains(@class, "indicators")]/tbody/tr')
    assert len(rows) == 5
    first = " ".join(rows[0].text_content().split())
    assert first.startswith("Coalition departure from Harir Air Base and Erbil ◆ either way Confirmation")
    assert rows[1].xpath('.//span[contains(@class, "direction-escalation")]')


def test_intelligence_gaps_are_rendered_as_a_numbered_table(example: Example) -> None:
    (gaps,) = page_of(example).xpath('//section[@id="intelligence-gaps"]')
    rows = gaps.xpath('.//tbody/tr')
    assert len(rows) == 5
    cells = [" ".join(cell.text_content().split()) for cell in rows[0].xpath('./td')]
    assert cells[0] == "1" and cells[1] == "When Ain al-Asad was formally closed to the coalition"
    assert "January 2026" in cells[2] and cells[3].startswith("Ask JOC liaison")


def test_each_audience_gets_its_analyst_sections(example: Example) -> None:
    def kinds(audience: str) -> list[str]:
        return [item.kind for item in example.view(audience).sections]  # type: ignore[attr-defined]

    assert {"outlook", "intelligence_gaps"} <= set(kinds("analyst"))
    assert {"outlook", "intelligence_gaps"} <= set(kinds("field-team"))
    assert "outlook" in kinds("public") and "intelligence_gaps" not in kinds("public")
    assert "outlook" not in kinds("executive")  # it would not fit two pages


def test_hostile_text_in_analyst_fields_is_escaped(editable: Path) -> None:
    hostile = f"{HOSTILE} [x](javascript:alert(3)) *y*{{: onmouseover=\"alert(4)\"}}"
    path = editable / "config/briefs/iraq-security.yaml"
    brief = yaml.safe_load(path.read_text())
    kinds = {item["kind"]: item for item in brief["sections"]}
    kinds["threat_summary"]["assessment"] = hostile
    kinds["outlook"]["indicators"][0].update(indicator=hostile, watch_for=hostile, why=hostile)
    kinds["intelligence_gaps"]["gaps"][0].update(gap=hostile, why_it_matters=hostile, collection=hostile)
    path.write_text(yaml.safe_dump(brief, sort_keys=False, allow_unicode=True))
    (editable / "config/briefs/iraq-security.outlook.md").write_text(f"{hostile}\n\n<div onclick=x>raw</div>\n")
    gazetteer = editable / "config/gazetteer.yaml"
    gazetteer.write_text(gazetteer.read_text().replace(
        "stance: Hostile; rebuilding as a cross-border insurgency", f"stance: '{HOSTILE}'"))
    example = load_example(editable)
    page = Renderer(example.project).html(example.view())
    tree = html.fromstring(page)
    assert not tree.xpath("//script | //img | //*[@onclick or @onerror or @onmouseover]")
    assert not [href for href in tree.xpath("//@href") if href.strip().lower().startswith("javascript:")]
    # 1 assessment, 1 outlook text, 3 indicator fields, 3 gap fields, 1 stance
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 9
    assert "{{ 7*7 }}" in page and ">49<" not in page and "<em>y</em>" in page


def test_the_safe_markdown_path_keeps_markup_and_drops_what_could_run() -> None:
    assert markdown_inline("**bold** and [a link](https://example.org)") == (
        '<strong>bold</strong> and <a href="https://example.org">a link</a>')
    assert markdown_inline("[local](#sources) [mail](mailto:desk@example.org) [bad](vbscript:x)") == (
        '<a href="#sources">local</a> <a href="mailto:desk@example.org">mail</a> <a>bad</a>')
    assert str(markdown_block("<p onclick=x>raw</p>\n\n- one")) == (
        "<p>&lt;p onclick=x&gt;raw&lt;/p&gt;</p>\n<ul>\n<li>one</li>\n</ul>")
    assert 'src="' not in markdown_inline("![pixel](https://tracker.example/p.gif)")


def test_demands_and_pledges_read_with_their_verb(example: Example) -> None:
    page = page_of(example)
    leads = [" ".join(span.getparent().text_content().split()) for span in page.xpath('//span[@class="lead"]')]
    assert any(text.startswith("urged Baghdad to speed up the purchase of reconnaissance drones") for text in leads)
    assert not page.xpath('//span[contains(@class, "statement-direct")]//span[@class="lead"]')
