"""A brief whose sources are a feed, two article URLs, a PDF and a DOCX: fetched once from a real web server on
127.0.0.1, then built offline — PDF pages cited, one wire story counted once with its three outlets, every
source graded, and the conflicting tolls ordered by grade."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import html

from tests.conftest import REPO
from tests.end_to_end import live_desk
from tests.projects import build, run, write
from tests.servers import WebServer


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, html.HtmlElement]:
    root = tmp_path_factory.mktemp("live") / "tillaberi"
    with WebServer() as web:
        live_desk.serve(web)
        _project(root, web)
        fetched = run("fetch", "--project", str(root))
    assert fetched.exit_code == 0, fetched.output
    result = build(root, "--audience", "analyst", "--format", "html,pdf")  # the server is gone: offline
    assert result.exit_code == 0, result.output
    page = (root / "output/tillaberi/latest/analyst.html").read_text()
    return root, fetched.output + result.output, html.fromstring(page)


def _project(root: Path, web: WebServer) -> None:
    shutil.copytree(REPO / "examples/sahel/config", root / "config", ignore=shutil.ignore_patterns("briefs"))
    grades = "".join(f"  {outlet}: {grade}\n" for outlet, grade in live_desk.GRADES.items())
    with (root / "config/briefgen.yaml").open("a") as settings:
        settings.write(f"fetch:\n  private_hosts: ['127.0.0.1:{web.port}']\n  host_interval_seconds: 0\n"
                       f"grades:\n{grades}")
    write(root, "config/briefs/tillaberi.yaml", f"""\
        title: Tillaberi security brief
        audiences: [analyst]
        sources:
          - feed: {web.url('/wire/rss')}
            outlet: Sahel Wire
          - url: {web.url('/niamey-daily/tera')}
          - url: {web.url('/monitor/tera.html')}
          - sources/*
        sections:
          - kind: key_figures
          - kind: incidents
          - kind: key_actors
          - kind: sources
        """)
    live_desk.write_files(root)


def test_one_fetch_then_an_offline_build(built: tuple[Path, str, html.HtmlElement]) -> None:
    root, output, page = built
    assert "Fetched 3 feeds and pages" in output and "4 new items" in output
    sources = " ".join(page.xpath("//section[@id='sources']")[0].text_content().split())
    for title in (live_desk.CLINIC_TITLE, "Tillaberi flash update No. 3", "Field note: Tera"):
        assert title in sources
    assert "6 sources: 4 independent stories from 5 outlets" in sources
    assert re.search(r"/wire/ouallam \(retrieved \d{4}-\d{2}-\d{2}\)", sources)
    assert (root / "output/tillaberi/latest/analyst.pdf").stat().st_size > 10_000


def test_a_pdf_source_is_cited_by_page(built: tuple[Path, str, html.HtmlElement]) -> None:
    _, _, page = built
    hovers = [link.get("title") or "" for link in page.xpath("//sup[@class='cite']/a")]
    assert "[A2] p. 2 — The attack displaced about 3,000 people, most of them women and children, towards Tera " \
           "town." in hovers
    assert "[A2] p. 3 — The Tera health centre received 8 wounded soldiers before they were moved to Niamey." in hovers
    (entry,) = [" ".join(item.text_content().split()) for item in page.xpath("//li[@class='source']")
                if "flash update" in item.text_content()]
    assert "2026-03-04. 3 pp. Graded A2" in entry


def test_the_wire_story_is_one_story_with_three_outlets(built: tuple[Path, str, html.HtmlElement]) -> None:
    _, _, page = built
    tera = [" ".join(entry.text_content().split()) for entry in page.xpath("//li[@class='source']")
            if "Tera" in entry.text_content() and "Field note" not in entry.text_content()]
    assert len(tera) == 1
    outlets = re.findall(r"Niamey Daily|Sahel Wire|Sahel Monitor", tera[0])
    assert sorted(set(outlets)) == ["Niamey Daily", "Sahel Monitor", "Sahel Wire"]
    assert "Also published by:" in tera[0]


def test_every_source_shows_its_grade(built: tuple[Path, str, html.HtmlElement]) -> None:
    _, _, page = built
    grades = {item.text_content() for item in page.xpath("//li[@class='source']//abbr[@class='grade']")}
    assert grades == {"B2", "C3", "A2"}
    assert not page.xpath("//li[@class='source']//*[contains(@class, 'grade-none')]")


def test_conflicting_tolls_are_ordered_by_grade(built: tuple[Path, str, html.HtmlElement]) -> None:
    _, _, page = built
    rows = [body for body in page.xpath("//table[@class='key-figures']/tbody")
            if "Soldiers killed" in body.text_content()]
    values = [" ".join(cell.text_content().split()) for cell in rows[0].xpath(".//td[@class='kf-value']")]
    assert values == ["at least 12", "15"]  # the UN office (A2) and the wire (B2) before the field team (C3)
    tolls = " ".join(page.xpath("//table[@class='incidents']//span[@class='inc-by-source']")[0].text_content().split())
    # The audience cites three sources per value (max_citations): the best graded, the fourth counted.
    assert tolls == ("at least 12 (UN Humanitarian Office, A2; Sahel Wire, B2; Sahel Monitor, C3, and 1 more) "
                     "· 15 (Tillaberi field team, C3)")


def test_copies_of_one_story_say_each_thing_once_in_a_card(built: tuple[Path, str, html.HtmlElement]) -> None:
    _, _, page = built
    (card,) = [card for card in page.xpath("//section[@id='key-actors']//article")
               if "Amadou Issa" in card.text_content()]
    assert card.text_content().count("Our forces pursued the assailants") == 1


def test_a_rebuild_needs_no_network_and_a_second_fetch_finds_nothing_new(
        built: tuple[Path, str, html.HtmlElement]) -> None:
    root, _, _ = built
    with WebServer() as web:  # another port: the addresses the brief lists answer nothing now
        again = run("fetch", "--project", str(root))
    assert again.exit_code == 1 and again.output.count("failed:") == 3 and web.requests == []
    rebuilt = build(root, "--audience", "analyst", "--format", "html")
    assert rebuilt.exit_code == 0 and "6 sources (0 extracted, 6 unchanged, 0 skipped)" in rebuilt.output
