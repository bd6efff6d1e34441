"""Key-actor cards say only what each actor said, dated, once, in whole sentences; citations quote sentences.

Made-up reports, extracted with the real spaCy pipeline, assembled into key-actor cards and rendered to HTML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import html

from briefgen.assemble.citations import Citer
from briefgen.assemble.sections import SectionInput, key_actors
from briefgen.assemble.views import AudienceView, BriefView
from briefgen.config import Gazetteer
from briefgen.config import KeyActorsSection as KeyActorsConfig
from briefgen.extract import EXTRACTOR_VERSION, Extractor, merge_facts
from briefgen.extract.pieces import PIECE_CHARS
from briefgen.facts import Document, DocumentFacts
from briefgen.project import load_project
from briefgen.render import Renderer
from briefgen.store import ExtractionKey, FactStore

STATEMENTS = ("The Syrian Democratic Forces said on Tuesday that Islamic State cells attacked a checkpoint near "
              "Raqqa on Monday. \"The Islamic State is regrouping in the mountains,\" Interior Minister Rebaz "
              "Hamid said.")
PLANS = ("Security expert Sarmad al-Bayati said the dates have not moved: the coalition is due to close Ain al-Asad "
         "Air Base by September 2025 and to leave Harir Air Base in Erbil by September 2026.")
FRAGMENT = ("The Joint Operations Command (JOC) said Iraqi aircraft hit eight hideouts in the first week of "
            "December. The JOC said several militants were killed and a hideout near al-Fashka village, some 45 "
            "kilometres from Kirkuk city, was destroyed.")
DOCUMENTS = [
    Document(id=f"d{number}", path=f"d{number}.md", text=text, title=f"Report {number}", published="2025-05-08",
             outlet="Wire")
    for number, text in enumerate((STATEMENTS, FRAGMENT, PLANS))
]


@pytest.fixture(scope="module")
def facts() -> list[DocumentFacts]:
    """The facts of the made-up reports."""
    return list(Extractor(Gazetteer()).extract(DOCUMENTS))


@pytest.fixture
def cards(facts: list[DocumentFacts], example_project: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """Each rendered card's lines (text, cited sentences), by actor name."""
    citer = Citer(DOCUMENTS, facts)
    data = SectionInput(merge_facts(facts), citer, dt.date(2025, 6, 1), None, graphics=False)
    view = BriefView(
        name="test", title="Test brief", subtitle=None,
        audience=AudienceView(name="analyst", label="Analyst brief", marking="TLP:AMBER", citations=True),
        build_date=dt.date(2025, 6, 1), generated_at="1 June 2025 09:00 +03", producer="Desk", contact=None,
        period_start=None, period_end=None, page_size="A4",
        sections=[key_actors("Key actors", KeyActorsConfig(kind="key_actors"), data)], sources=citer.sources,
    )
    page = html.fromstring(Renderer(load_project(example_project)).html(view))
    return {
        " ".join(card.xpath('string(.//h3[@class="actor-name"]/text())').split()): [
            (" ".join(line.text_content().split()), line.xpath('.//sup[@class="cite"]/a/@title'))
            for line in card.xpath('.//ul[contains(@class, "actor-statements")]/li | .//ul[@class="actor-actions"]/li')
        ]
        for card in page.xpath('//article[contains(@class, "actor-card")]')
    }


def lines(cards: dict[str, list[tuple[str, list[str]]]], name: str) -> list[str]:
    """The text of each line of an actor's card."""
    return [text for text, _ in cards[name]]


def test_a_quote_about_an_actor_is_on_its_speakers_card_not_the_actors(cards: dict) -> None:
    assert lines(cards, "Rebaz Hamid") == [
        "Published 8 May 2025: “The Islamic State is regrouping in the mountains”1"]
    assert not any("regrouping" in line for line in lines(cards, "Islamic State"))


def test_a_statement_is_dated_with_the_date_its_sentence_gives(cards: dict) -> None:
    assert lines(cards, "Syrian Democratic Forces") == [
        "6 May 2025: Islamic State cells attacked a checkpoint near Raqqa on Monday1"]


def test_a_claim_is_on_one_card_only(cards: dict) -> None:
    holders = [name for name in cards if any("attacked a checkpoint" in line for line in lines(cards, name))]
    assert holders == ["Syrian Democratic Forces"]


def test_what_follows_a_claim_in_its_sentence_is_no_action_and_no_date_of_it(cards: dict) -> None:
    assert lines(cards, "Sarmad al-Bayati") == ["Published 8 May 2025: the dates have not moved3"]
    assert not any("Harir" in line for name in cards for line in lines(cards, name))


def test_a_claim_cut_from_its_sentence_shows_as_the_sentence(cards: dict) -> None:
    assert ("Published 8 May 2025: The JOC said several militants were killed and a hideout near al-Fashka "
            "village, some 45 kilometres from Kirkuk city, was destroyed.2") in lines(cards, "Joint Operations Command")
    assert not any(line.endswith("Kirkuk city2") for line in lines(cards, "Joint Operations Command"))


def test_a_citation_quotes_the_whole_sentence(cards: dict) -> None:
    ((_, cited),) = cards["Rebaz Hamid"]
    assert cited == ["\"The Islamic State is regrouping in the mountains,\" Interior Minister Rebaz Hamid said."]


def test_sentences_round_trip_through_the_store(facts: list[DocumentFacts], tmp_path: Path) -> None:
    first, second = STATEMENTS.index("\"The"), FRAGMENT.index("The JOC said")
    assert [item.sentences for item in facts] == [
        [(0, first - 1), (first, len(STATEMENTS))], [(0, second - 1), (second, len(FRAGMENT))], [(0, len(PLANS))]]
    with FactStore(tmp_path / "facts.db") as store:
        store.save(zip(DOCUMENTS, facts, strict=True), ExtractionKey("", EXTRACTOR_VERSION, "", ""))
    with FactStore(tmp_path / "facts.db") as store:
        assert [item.sentences for item in store.facts(["d0", "d1", "d2"])] == [item.sentences for item in facts]


def test_sentences_of_a_document_parsed_in_pieces_are_the_documents() -> None:
    sentences = ("Police said two men were arrested in the town on Monday.", "The army said the road was closed.")
    paragraph = " ".join(sentences) + "\n\n"
    text = paragraph * (PIECE_CHARS // len(paragraph) + 2)
    (facts,) = Extractor(Gazetteer()).extract([Document(id="long", path="long.md", text=text)])
    assert len(facts.sentences) == 2 * text.count("\n\n")
    assert all(text[start:end] in sentences for start, end in facts.sentences)
