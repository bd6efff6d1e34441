"""Staleness: the masthead says how old the newest source is; past the brief's stale_after the build warns
(one line naming the brief) and the brief shows a notice. Real builds of a small project, read back as HTML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import html

from briefgen.build import BuildReport, BuildRequest
from briefgen.build import build as build_brief
from briefgen.project import load_project
from tests.projects import BRIEF, build, make_project, run, write

# The small project's sources: 2025-03-02 (releasable) and 2025-03-05 (not releasable: analyst only).
BRIEF_YAML = f"config/briefs/{BRIEF}.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("staleness") / "project")


def build_on(project: Path, day: str, stale_after: str | None, audiences: list[str] | None = None) -> BuildReport:
    """Build the brief as of `day`, its stale_after set (or removed) first."""
    path = project / BRIEF_YAML
    lines = [line for line in path.read_text().splitlines() if not line.startswith("stale_after:")]
    path.write_text("\n".join(lines + ([f"stale_after: {stale_after}"] if stale_after else [])) + "\n")
    request = BuildRequest(audiences=audiences, formats=("html",), build_date=dt.date.fromisoformat(day))
    return build_brief(load_project(project), request)


def page(project: Path, audience: str) -> html.HtmlElement:
    return html.parse(str(project / "output" / BRIEF / "latest" / f"{audience}.html")).getroot()


def newest_source(project: Path, audience: str) -> str:
    (label,) = page(project, audience).xpath('//div[contains(@class, "meta-freshness")]/dt')
    (value,) = page(project, audience).xpath('//div[contains(@class, "meta-freshness")]/dd')
    return f"{label.text_content()}: {value.text_content()}"


def notice(project: Path, audience: str) -> str | None:
    found = page(project, audience).xpath('//aside[@class="stale-notice"]')
    return " ".join(found[0].text_content().split()) if found else None


def stale_lines(report: BuildReport) -> list[str]:
    return [line for line in report.warnings if "stale_after" in line]


def test_the_masthead_says_how_old_each_audiences_newest_source_is(project: Path) -> None:
    report = build_on(project, "2025-03-08", None)
    assert newest_source(project, "analyst") == "Newest source: 3 days old"
    assert newest_source(project, "public") == "Newest source: 6 days old"  # the 5 March source is not releasable
    assert page(project, "analyst").xpath('//div[contains(@class, "meta-freshness")]//time/@datetime') == ["2025-03-05"]
    assert notice(project, "analyst") is None and not stale_lines(report)


@pytest.mark.parametrize(("day", "age"), [
    ("2025-03-05", "less than a day old"), ("2025-03-06", "1 day old"), ("2025-03-25", "2 weeks old"),
    ("2025-06-05", "3 months old"), ("2027-04-01", "2 years old"), ("2025-03-04", "dated after the as-of date"),
])
def test_the_age_is_said_in_days_weeks_months_or_years(project: Path, day: str, age: str) -> None:
    build_on(project, day, None, audiences=["analyst"])
    assert newest_source(project, "analyst") == f"Newest source: {age}"


@pytest.mark.parametrize(("limit", "day", "stale"), [
    ("14d", "2025-03-19", False), ("14d", "2025-03-20", True), ("2w", "2025-03-20", True),
    ("36h", "2025-03-06", False), ("36h", "2025-03-07", True), ("1w", "2026-03-05", True),
])
def test_past_stale_after_the_build_warns_once_and_the_brief_shows_a_notice(
        project: Path, limit: str, day: str, stale: bool) -> None:
    report = build_on(project, day, limit, audiences=["analyst"])
    days = (dt.date.fromisoformat(day) - dt.date(2025, 3, 5)).days
    if not stale:
        assert not stale_lines(report) and notice(project, "analyst") is None
        assert "is-stale" not in page(project, "analyst").xpath('//div[contains(@class, "meta-freshness")]/@class')[0]
        return
    (line,) = stale_lines(report)
    assert line.startswith(f"{BRIEF}: the newest source is {days} days old (published 2025-03-05), "
                           "beyond stale_after (")
    text = notice(project, "analyst")
    assert text is not None and text.startswith("Sources may be out of date.")
    assert f"The newest source is {days} days old (published 5 March 2025), beyond this brief's limit of" in text


def test_only_the_audience_whose_own_sources_are_old_gets_the_notice(project: Path) -> None:
    report = build_on(project, "2025-03-09", "5d")
    assert stale_lines(report) == [f"{BRIEF}: the newest source for public is 7 days old (published 2025-03-02), "
                                   "beyond stale_after (5 days); the brief shows a notice that it may be out of date"]
    assert notice(project, "analyst") is None
    public = notice(project, "public") or ""
    assert "7 days old (published 2 March 2025), beyond this brief's limit of 5 days" in public


def test_a_source_dated_by_month_counts_from_the_months_last_day(tmp_path: Path) -> None:
    source = "---\ntitle: Monthly round-up\npublished: 2025-02\noutlet: Desk Wire\n---\nGunmen attacked a post.\n"
    project = make_project(tmp_path / "project", sources={"sources/round-up.md": source})
    assert not stale_lines(build_on(project, "2025-03-10", "2w"))  # at least 10 days, maybe 37: not known to be stale
    assert newest_source(project, "analyst") == "Newest source: at least 10 days old"
    assert len(stale_lines(build_on(project, "2025-03-10", "7d"))) == 1
    assert "at least 10 days old (published February 2025)" in (notice(project, "analyst") or "")


def test_with_a_limit_and_no_dated_source_the_brief_says_its_age_cannot_be_told(tmp_path: Path) -> None:
    source = "---\ntitle: Undated note\noutlet: Desk Wire\n---\nGunmen attacked a post.\n"
    project = make_project(tmp_path / "project", sources={"sources/note.md": source})
    (line,) = stale_lines(build_on(project, "2025-03-10", "14d", audiences=["analyst"]))
    assert line.startswith(f"{BRIEF}: no source has a publication date")
    assert not page(project, "analyst").xpath('//div[contains(@class, "meta-freshness")]')
    assert "No source of this brief has a publication date" in (notice(project, "analyst") or "")


def test_the_command_line_prints_the_warning_as_one_line_naming_the_brief(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", brief_extra="stale_after: 14d\n")
    result = build(project, "--format", "html", "--audience", "analyst")
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stderr.splitlines() if "stale_after" in line]
    assert line.startswith(f"warning: {BRIEF}: the newest source is ") and "(published 2025-03-05)" in line
    assert notice(project, "analyst") is not None


@pytest.mark.parametrize(("value", "problem"), [
    ("14x", "expected a duration: a number then h (hours), d (days) or w (weeks), such as 14d, 2w or 36h; got '14x'"),
    ("14", "got 14 (a number needs its unit: 14d for days)"),
    ("fortnight", "got 'fortnight'"),
    ("[14d]", "got ['14d']"),
    ("0d", "'0d' is out of range: a duration is more than zero and at most 100 years"),
    ("-3d", "got '-3d'"),
])
def test_a_bad_stale_after_is_one_error_line_with_file_line_key_and_problem(
        tmp_path: Path, value: str, problem: str) -> None:
    project = make_project(tmp_path / "project")
    line_number = len((project / BRIEF_YAML).read_text().splitlines()) + 1
    write(project, BRIEF_YAML, (project / BRIEF_YAML).read_text() + f"stale_after: {value}\n")
    result = run("check", "--project", str(project))
    assert result.exit_code == 2
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"error: {BRIEF_YAML}:{line_number}:1: stale_after: ")
    assert error.endswith(problem)
