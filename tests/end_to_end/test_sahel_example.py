"""The Sahel example, built as a new desk would build it: its theatre on the map, its timelines true."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from lxml import html

from briefgen.cli import main


@pytest.fixture(scope="module")
def analyst_page(tmp_path_factory: pytest.TempPathFactory) -> html.HtmlElement:
    project = tmp_path_factory.mktemp("desk") / "sahel"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(project), "--example", "sahel"]).exit_code == 0
    result = runner.invoke(main, ["build", "--project", str(project), "--audience", "analyst", "--format", "html"])
    assert result.exit_code == 0, result.output
    return html.fromstring((project / "output/sahel-security/latest/analyst.html").read_bytes())


def test_active_zones_keep_to_the_theatre(analyst_page: html.HtmlElement) -> None:
    zones = " ".join(analyst_page.xpath("//section[@id='threat-summary']//text()"))
    assert "Bamako" in zones and "Djibo" in zones
    assert "Paris" not in zones  # "relations between Paris and Niamey": named, not where anything happens


def test_the_map_shows_the_sahel(analyst_page: html.HtmlElement) -> None:
    labels = {" ".join(text.split()) for text in analyst_page.xpath("//section[@id='threat-summary']//svg//text()")}
    assert {"MALI", "NIGER", "CHAD"} <= labels and "IRAQ" not in labels


def test_two_timelines_and_no_plan_met_shown_overdue(analyst_page: html.HtmlElement) -> None:
    titles = [" ".join(h.text_content().split()) for h in analyst_page.xpath("//section/h2")]
    assert "Foreign forces leaving the Sahel" in titles and "Attacks" in titles
    statuses = {tag.get("class") for tag in analyst_page.xpath("//*[contains(@class, 'tag-status')]")}
    assert "tag tag-status status-done" in statuses and not any("overdue" in status for status in statuses)
    text = analyst_page.text_content()
    assert re.search(r"30 January 2025", text) and re.search(r"17 September 2024", text)
