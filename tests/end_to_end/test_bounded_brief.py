"""A brief of bounded size, on a real build of the example: k citations then "+N", a Sources list of the
cited sources, a data export of everything, and a page limit kept by dropping the least significant items."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from lxml import html
from pypdf import PdfReader

from briefgen.cli import main
from tests.conftest import copy_example
from tests.end_to_end.test_build import output_folder

# Sections with many items, one citation each, two pages: the example's items run to more.
TIGHT = """\
label: Tight brief
sections: [key_figures, threat_summary, withdrawal_timeline, incidents, key_actors, sources]
max_citations: 1
max_pages: 2
graphics: false
toc: false
"""
# The analyst's own text alone runs past one page, and it is never cut.
CRAMPED = """\
label: Cramped brief
sections: [key_judgments, outlook, intelligence_gaps, incidents, sources]
max_pages: 1
"""
NOT_RELEASABLE = "sources/2025-10-16-hamrin-ied-field-report.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """The example with two more audiences, built once: the CLI result and the edition's folder."""
    project = copy_example(tmp_path_factory.mktemp("bounded") / "project")
    (project / "config/audiences/tight.yaml").write_text(TIGHT)
    (project / "config/audiences/cramped.yaml").write_text(CRAMPED)
    brief = project / "config/briefs/iraq-security.yaml"
    brief.write_text(brief.read_text().replace("audiences: [executive, analyst, public, field-team]",
                                               "audiences: [analyst, public, tight, cramped]"))
    result = CliRunner().invoke(main, ["build", "--project", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result, output_folder(project)


def export_of(folder: Path, audience: str) -> dict[str, Any]:
    return json.loads((folder / f"{audience}.facts.json").read_text(encoding="utf-8"))


def export_section(data: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = [item for item in data["sections"] if item["kind"] == kind]
    return found


def classed(tree: Any, name: str, tag: str = "*") -> list[Any]:
    """The elements under `tree` of a tag having the class `name`."""
    return list(tree.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"))


def page(folder: Path, audience: str) -> Any:
    return html.fromstring((folder / f"{audience}.html").read_bytes())


def test_each_edition_holds_a_data_export_per_audience_beside_its_html_and_pdf(built: tuple[Result, Path]) -> None:
    result, folder = built
    names = {path.name for path in folder.iterdir()}
    for audience in ("analyst", "public", "tight", "cramped"):
        assert {f"{audience}.html", f"{audience}.pdf", f"{audience}.facts.json"} <= names
    assert not [name for name in names if name.endswith(".tmp")]
    record = json.loads((folder / "edition.json").read_text())
    assert "tight.pdf" in record["files"] and "tight.facts.json" not in record["files"]  # delivered: HTML, PDF
    assert "8 files written" in result.stderr



def test_audiences_that_see_the_same_sources_export_the_same_facts_and_releasable_only_ones_fewer(
        built: tuple[Result, Path]) -> None:
    _, folder = built
    analyst, tight, cramped, public = (export_of(folder, name) for name in ("analyst", "tight", "cramped", "public"))
    for key in ("documents", "actors", "events", "quantities", "locations", "quotes", "tactics"):
        assert analyst[key] and tight[key] == analyst[key] == cramped[key], key  # written once, copied twice
    assert [data["brief"]["audience"] for data in (analyst, tight, cramped)] == ["analyst", "tight", "cramped"]
    assert tight["sections"] != analyst["sections"]
    paths = {name: {document["path"] for document in data["documents"]} for name, data in
             (("analyst", analyst), ("public", public))}
    assert paths["analyst"] - paths["public"] == {NOT_RELEASABLE}

def test_the_export_follows_the_facts_contract_and_the_audiences_releasability(built: tuple[Result, Path]) -> None:
    _, folder = built
    analyst, public = export_of(folder, "analyst"), export_of(folder, "public")
    for data in (analyst, public):
        assert {"documents", "actors", "events", "quantities", "locations", "quotes"} <= set(data)
        ids = {document["id"] for document in data["documents"]}
        assert {event["doc"] for event in data["events"]} <= ids
        assert {quote["doc"] for quote in data["quotes"]} <= ids
        assert all(cite["documents"][0] in ids for section in data["sections"] for cite in _cites(section))
    assert NOT_RELEASABLE in {document["path"] for document in analyst["documents"]}
    assert NOT_RELEASABLE not in {document["path"] for document in public["documents"]}
    assert public["brief"]["releasable_only"] is True and analyst["brief"]["max_citations"] == 3
    assert len(analyst["sources"]) == 5 and len(public["sources"]) == 4


def test_an_item_shows_k_citations_then_counts_the_other_independent_sources(built: tuple[Result, Path]) -> None:
    _, folder = built
    exported = {actor["name"]: actor for actor in export_section(export_of(folder, "tight"), "key_actors")["actors"]}
    more_seen = 0
    for card in classed(page(folder, "tight"), "actor-name"):
        name = (card.text or "").strip()
        numbers = card.xpath(".//sup[@class='cite']/a")
        assert len(numbers) <= 1
        stories = {cite["number"] if cite["number"] is not None else tuple(cite["documents"])
                   for cite in exported[name]["cites"]}
        more = classed(card, "cite-more")
        expected = len(stories) - len(numbers)
        assert (int(re.sub(r"\D", "", more[0].text_content())) if more else 0) == expected, name
        more_seen += bool(more)
    assert more_seen, "some actor of the example is reported by several stories"


def test_the_sources_section_lists_only_what_the_brief_cites(built: tuple[Result, Path]) -> None:
    _, folder = built
    tree = page(folder, "tight")
    listed = [int(item.get("id").removeprefix("source-")) for item in classed(tree, "source", "li")]
    links = tree.xpath("//a[starts-with(@href, '#source-')]")
    cited = {int(link.get("href").removeprefix("#source-")) for link in links}
    assert listed == list(range(1, len(listed) + 1)) and set(listed) == cited
    data = export_of(folder, "tight")
    assert sorted(source["number"] for source in data["sources"] if source["number"]) == listed
    unlisted = len(data["sources"]) - len(listed)
    notes = [*classed(tree, "sources-unlisted"), *classed(tree, "sources-export")]
    note = " ".join(item.text_content() for item in notes)
    assert "tight.facts.json" in note and (f"{unlisted} other" in note if unlisted else "Every fact" in note)
    assert classed(tree, "export-link", "a")[0].get("href") == "tight.facts.json"


def test_the_page_limit_is_kept_by_dropping_the_least_significant_items(built: tuple[Result, Path]) -> None:
    result, folder = built
    assert len(PdfReader(folder / "tight.pdf").pages) <= 2
    assert "tight.pdf has" not in result.stderr
    data = export_of(folder, "tight")
    assert data["brief"]["dropped_to_fit"], "the example's items run past two pages"
    # What is kept is the head of each section's order, in the HTML as in the PDF.
    kept = [classed(row, "inc-what")[0].text_content() for row in classed(page(folder, "tight"), "incident", "tr")
            if classed(row, "inc-what")]
    whole = [row["what"] for row in export_section(data, "incidents")["incidents"] if row["what"]]
    assert kept == whole[: len(kept)] and len(kept) < len(whole)
    pdf_text = " ".join(" ".join(item.extract_text().split()) for item in PdfReader(folder / "tight.pdf").pages)
    assert all(" ".join(what.split())[:30] in pdf_text for what in kept)


def test_a_brief_that_cannot_fit_is_cut_as_far_as_it_goes_and_warned_about(built: tuple[Result, Path]) -> None:
    result, folder = built
    pages = len(PdfReader(folder / "cramped.pdf").pages)
    assert pages > 1
    warning = " ".join(result.stderr.split())
    assert f"cramped.pdf has {pages} pages; the audience allows 1; dropped " in warning
    assert "and it still does not fit" in warning
    assert export_of(folder, "cramped")["brief"]["dropped_to_fit"]


def _cites(value: Any) -> list[dict[str, Any]]:
    """Every exported citation inside a section."""
    if isinstance(value, dict):
        if {"documents", "sentence"} <= set(value):
            return [value]
        return [cite for item in value.values() for cite in _cites(item)]
    if isinstance(value, list):
        return [cite for item in value for cite in _cites(item)]
    return []


def test_the_edition_keeps_the_limits_each_brief_was_cut_to_and_the_next_edition_starts_there(
        built: tuple[Result, Path]) -> None:
    _, folder = built
    fitted = json.loads((folder / "edition.json").read_text())["fitted"]
    pages = len(PdfReader(folder / "tight.pdf").pages)
    assert fitted["tight"]["pages"] == pages and fitted["tight"]["max_pages"] == 2
    assert fitted["tight"]["citations"] == 1 and min(fitted["tight"]["limits"].values()) >= 1
    assert "analyst" not in fitted  # its own limits kept it to its pages
    project = folder.parents[2]
    again = CliRunner().invoke(main, ["build", "--project", str(project), "--force"], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    following = output_folder(project)
    assert following != folder
    assert json.loads((following / "edition.json").read_text())["fitted"] == fitted
    assert len(PdfReader(following / "tight.pdf").pages) == pages
    dropped = [export_of(edition, "tight")["brief"]["dropped_to_fit"] for edition in (folder, following)]
    assert dropped[0] == dropped[1]
