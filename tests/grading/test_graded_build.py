"""A build whose sources disagree: the better-graded source's value comes first, and every grade is shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html

from tests.projects import build, make_project, run

SOURCES = {
    "sources/monitor.md": """\
        ---
        title: Seven soldiers killed at a border post
        published: 2025-03-02
        outlet: Sahel Monitor
        ---
        Seven soldiers died when gunmen stormed a border post near Menaka on 1 March 2025, a local official said.
        """,
    "sources/wire.md": """\
        ---
        title: Four soldiers killed at a border post
        published: 2025-03-03
        outlet: Desk Wire
        ---
        Gunmen attacked a border post near Menaka on 1 March 2025, killing four soldiers, the army said.
        """,
    "sources/crier.md": """\
        ---
        title: Talks resume
        published: 2025-03-04
        outlet: Town Crier
        ---
        Officials said talks on the withdrawal of foreign troops would resume in Niamey next week.
        """,
}
SECTIONS = "  - kind: key_figures\n  - kind: incidents\n"


def built_page(root: Path, grades: str, sources: dict[str, str] = SOURCES) -> html.HtmlElement:
    make_project(root, settings_extra=grades, brief_extra=SECTIONS, sources=dict(sources))
    result = build(root, "--format", "html", "--audience", "analyst")
    assert result.exit_code == 0, result.output
    return html.fromstring((root / "output/desk/latest/analyst.html").read_text(encoding="utf-8"))


def export_grades(root: Path) -> dict[str, str | None]:
    """Each source's grade in the analyst's data export, which lists every source (the page lists the cited)."""
    export = json.loads((root / "output/desk/latest/analyst.facts.json").read_text(encoding="utf-8"))
    return {document["path"]: document["grade"] for document in export["documents"]}


def texts(page: html.HtmlElement, path: str) -> list[str]:
    return [" ".join(element.text_content().split()) for element in page.xpath(path)]


@pytest.mark.parametrize(("grades", "figures", "tolls"), [
    ('grades:\n  "sahel  monitor": B2\n  Desk Wire: D4\n',
     [("seven", "Sahel Monitor (B2)1"), ("four", "Desk Wire (D4)2")], "7 (Sahel Monitor, B2) · 4 (Desk Wire, D4)"),
    ("grades:\n  Sahel Monitor: D4\n  desk wire: B2\n",
     [("four", "Desk Wire (B2)2"), ("seven", "Sahel Monitor (D4)1")], "4 (Desk Wire, B2) · 7 (Sahel Monitor, D4)"),
])
def test_the_better_graded_value_comes_first_with_each_grade_beside_it(
        tmp_path: Path, grades: str, figures: list[tuple[str, str]], tolls: str) -> None:
    page = built_page(tmp_path, grades)
    (row,) = page.xpath('//table[@class="key-figures"]/tbody')
    assert "Sources differ" in row.text_content()
    values = zip(texts(row, './/td[@class="kf-value"]'), texts(row, './/td[@class="kf-source"]'), strict=True)
    assert list(values) == figures  # each source cell ends with its citation number
    assert texts(page, '//table[@class="incidents"]//td[@class="inc-toll"]') == [f"4–7 (sources differ) {tolls}"]


def test_sources_show_each_grade_with_its_meaning_and_ungraded_as_such(tmp_path: Path) -> None:
    page = built_page(tmp_path, 'grades:\n  Sahel Monitor: B2\n  Desk Wire: D4\n')
    shown = page.xpath('//li[@class="source"]//*[@class="source-grade"]/*')
    grades = [(item.text_content(), item.get("title")) for item in shown]
    assert grades == [("B2", "Usually reliable; probably true"), ("D4", "Not usually reliable; doubtful")]
    assert export_grades(tmp_path) == {"sources/monitor.md": "B2", "sources/wire.md": "D4", "sources/crier.md": None}
    (key,) = texts(page, '//p[contains(@class, "grading-key")]')
    assert key.startswith("Admiralty grading — reliability of the source: A completely reliable")


def test_a_citation_hover_starts_with_its_sources_grade(tmp_path: Path) -> None:
    page = built_page(tmp_path, 'grades:\n  Sahel Monitor: B2\n')
    hovers = {link.get("href"): link.get("title") for link in page.xpath('//sup[@class="cite"]/a')}
    assert hovers["#source-1"] == ("[B2] Seven soldiers died when gunmen stormed a border post near Menaka on 1 March "
                                   "2025, a local official said.")
    assert hovers["#source-2"].startswith("Gunmen attacked a border post")  # Desk Wire is ungraded


def test_a_sources_front_matter_grade_wins_over_the_projects(tmp_path: Path) -> None:
    sources = dict(SOURCES)
    sources["sources/wire.md"] = sources["sources/wire.md"].replace("outlet: Desk Wire\n",
                                                                    "outlet: Desk Wire\n        grade: A1\n")
    page = built_page(tmp_path, 'grades:\n  Sahel Monitor: B2\n  Desk Wire: D4\n', sources)
    assert texts(page, '//table[@class="key-figures"]//td[@class="kf-value"]') == ["four", "seven"]
    assert texts(page, '//li[@id="source-2"]//*[@class="source-grade"]') == ["Graded A1"]


def test_a_brief_entrys_grade_wins_over_the_outlets_and_yields_to_front_matter(tmp_path: Path) -> None:
    sources = dict(SOURCES)
    sources["sources/crier.md"] = sources["sources/crier.md"].replace("outlet: Town Crier\n",
                                                                      "outlet: Town Crier\n        grade: A1\n")
    root = tmp_path / "p"
    make_project(root, settings_extra='grades:\n  Sahel Monitor: B2\n  Desk Wire: B2\n  Town Crier: B2\n',
                 brief_extra=SECTIONS, sources=sources)
    brief = root / "config/briefs/desk.yaml"
    brief.write_text(brief.read_text().replace(
        "sources: [sources/*]", "sources:\n  - {files: sources/wire.md, grade: E5}\n  - {files: sources/*, grade: d4}"))
    assert build(root, "--format", "html").exit_code == 0
    page = html.fromstring((root / "output/desk/latest/analyst.html").read_text(encoding="utf-8"))
    assert texts(page, '//li[@class="source"]//*[@class="source-grade"]') == ["Graded D4", "Graded E5"]
    assert export_grades(root) == {"sources/monitor.md": "D4", "sources/wire.md": "E5", "sources/crier.md": "A1"}


def test_a_bad_grade_in_a_brief_entry_is_reported_with_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    brief = root / "config/briefs/desk.yaml"
    brief.write_text(brief.read_text().replace("sources: [sources/*]", "sources:\n  - {files: sources/*, grade: B 2}"))
    result = run("check", "--project", str(root))
    assert result.exit_code == 2
    assert "config/briefs/desk.yaml:3:" in result.output and "write the grade without a space" in result.output


def test_without_grades_values_keep_their_order_and_show_no_grades(tmp_path: Path) -> None:
    page = built_page(tmp_path, "")
    assert texts(page, '//table[@class="key-figures"]//td[@class="kf-source"]') == ["Sahel Monitor1", "Desk Wire2"]
    (tolls,) = texts(page, '//table[@class="incidents"]//span[@class="inc-by-source"]')
    assert sorted(tolls.split(" · ")) == ["4 (Desk Wire)", "7 (Sahel Monitor)"]
    assert not page.xpath('//table//abbr[@class="grade"]')
    assert set(texts(page, '//*[@class="source-grade"]')) == {"ungraded"}
    assert not page.xpath('//*[contains(@class, "grading-key")]')


def test_the_incidents_export_lists_differing_tolls_best_graded_first_with_grades(tmp_path: Path) -> None:
    built_page(tmp_path, 'grades:\n  Sahel Monitor: D4\n  Desk Wire: B2\n')
    result = run("incidents", "--project", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.output)["incidents"]
    assert record["notes"].endswith("Sources differ on fatalities: 4 (Desk Wire, B2), 7 (Sahel Monitor, D4).")
    grades = {source["id"]: source["grade"] for source in record["sources"]}
    assert [(grades[item["source"]], item["low"]) for item in record["fatalities_by_source"]] == [("B2", 4), ("D4", 7)]
