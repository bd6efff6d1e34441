"""End to end: `briefgen build` on the example project, read back from the PDFs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.scaffold import system_time_zone
from tests.conftest import copy_example

AUDIENCES = ("analyst", "executive", "public", "field-team")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result, Path]:
    """The example project built once for this module: project, CLI result, the edition's folder."""
    project = copy_example(tmp_path_factory.mktemp("built") / "project")
    result = run("build", "--project", str(project))
    return project, result, output_folder(project)


def output_folder(project: Path, brief: str = "iraq-security") -> Path:
    """The newest edition's folder of a brief, through the `latest` link."""
    latest = project / "output" / brief / "latest"
    dt.date.fromisoformat(latest.resolve().name[:10])
    return latest.resolve()


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_build_writes_html_and_pdf_for_each_audience(built: tuple[Path, Result, Path]) -> None:
    _, result, folder = built
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [f"{audience}.{fmt}" for audience in AUDIENCES for fmt in ("html", "pdf", "facts.json")] + ["edition.json"])
    assert "8 files written" in result.stderr and "5 extracted" in result.stderr
    assert not list(folder.glob(".*.tmp"))


def test_analyst_pdf_has_every_section_with_real_names_and_dates(built: tuple[Path, Result, Path]) -> None:
    text = pdf_text(built[2] / "analyst.pdf")
    for heading in ("Key judgments", "Threat summary", "Withdrawal timeline", "Key actors", "Sources"):
        assert heading.upper() in text
    for name in ("Sarmad al-Bayati", "Qasim al-Araji", "Alaa al-Nashou", "Islamic State"):
        assert name in text
    assert "national security advisor" in text
    for date in ("September 2025", "September 2026"):
        assert date in text
    assert "TLP:AMBER" in text
    assert "Page 1 of" in text


def test_public_pdf_drops_unreleasable_sources_and_marking(built: tuple[Path, Result, Path]) -> None:
    folder = built[2]
    public, analyst = pdf_text(folder / "public.pdf"), pdf_text(folder / "analyst.pdf")
    assert "Northern Field Desk" in analyst
    assert "Northern Field Desk" not in public
    assert "TLP:" not in public


def test_executive_pdf_fits_two_pages(built: tuple[Path, Result, Path]) -> None:
    reader = PdfReader(built[2] / "executive.pdf")
    assert len(reader.pages) <= 2
    assert "KEY JUDGMENTS" in pdf_text(built[2] / "executive.pdf")


def test_html_is_one_self_contained_file(built: tuple[Path, Result, Path]) -> None:
    html = (built[2] / "analyst.html").read_text()
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert 'href="#source-1"' in html and 'id="source-1"' in html


def test_second_build_extracts_nothing_and_keeps_the_first_edition(built: tuple[Path, Result, Path]) -> None:
    project, _, first = built
    result = run("build", "--project", str(project), "--audience", "executive", "--format", "html")
    assert result.exit_code == 0
    assert "0 extracted, 5 unchanged" in result.stderr
    second = output_folder(project)
    assert second != first and second.name == f"{first.name}-2"
    assert (first / "analyst.pdf").exists() and (second / "executive.html").exists()
    index = (project / "output/iraq-security/index.html").read_text()
    assert "Edition 1" in index and "Edition 2" in index and f'href="{second.name}/executive.html"' in index


def test_hostile_article_text_stays_text(example_project: Path) -> None:
    (example_project / "sources/hostile.md").write_text(
        "---\ntitle: <script>alert('x')</script> {{ 7*7 }}\npublished: 2025-09-01\n---\n\n"
        "Security analyst Omar Haddad said “<script>alert(1)</script> {{ 7*7 }} is the plan.”\n")
    # The Sources list holds the cited sources: give a source every brief cites the same hostile title.
    cited = example_project / "sources/2025-09-29-ain-al-asad-handover.md"
    text = cited.read_text()
    cited.write_text(text.replace(text.split("\n")[1], "title: \"<script>alert('x')</script> {{ 7*7 }}\"", 1))
    result = run("build", "--project", str(example_project), "--audience", "analyst", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (output_folder(example_project) / "analyst.html").read_text()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; {{ 7*7 }}" in html


def test_unusable_sources_are_skipped_and_counted(example_project: Path) -> None:
    (example_project / "sources/empty.txt").write_text("")
    (example_project / "sources/image.md").write_bytes(b"\x89PNG\r\n\x00\x00")
    result = run("build", "--project", str(example_project), "--audience", "public", "--format", "html")
    assert result.exit_code == 0
    assert "skipped: sources/empty.txt: empty file" in result.stderr
    assert "skipped: sources/image.md: binary file" in result.stderr
    assert "2 skipped" in result.stderr


def test_a_failing_build_leaves_earlier_outputs_intact(example_project: Path) -> None:
    assert run("build", "--project", str(example_project), "--audience", "public", "--format", "html").exit_code == 0
    written = output_folder(example_project) / "public.html"
    before = written.read_bytes()
    (example_project / "templates").mkdir(exist_ok=True)
    (example_project / "templates/brief.html").write_text("{{ brief.no_such_field }}")
    result = run("build", "--project", str(example_project), "--audience", "public", "--format", "html")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert written.read_bytes() == before
    assert output_folder(example_project) == written.parent
    assert sorted(path.name for path in (example_project / "output/iraq-security").iterdir()) == [
        written.parent.name, "index.html", "latest"]
    runs = run("runs", "--project", str(example_project))
    assert runs.exit_code == 0
    assert "failed" in runs.stdout and "succeeded" in runs.stdout and "no_such_field" in runs.stdout


def test_init_makes_a_neutral_starter_that_names_no_theatre(tmp_path: Path) -> None:
    project = tmp_path / "lake-chad-desk"
    result = run("init", str(project))
    assert result.exit_code == 0
    settings = (project / "config/briefgen.yaml").read_text()
    assert "producer: Lake Chad Desk" in settings and f"timezone: {system_time_zone()}" in settings
    assert "$" not in settings
    assert (project / "config/briefs/situation.yaml").is_file() and (project / "sources").is_dir()
    gazetteer = yaml.safe_load((project / "config/gazetteer.yaml").read_text())
    assert gazetteer == {"actors": [], "places": [], "roles": [], "tactics": [], "event_cues": []}
    assert run("check", "--project", str(project)).exit_code == 0
    (project / "sources/report.md").write_text(
        "---\ntitle: Patrol ambushed near Diffa\npublished: 2025-03-04\n---\n\n"
        "Gunmen ambushed an army patrol near Diffa in Niger on Monday, 3 March 2025, killing four soldiers.\n"
    )
    result = run("build", "--project", str(project), "--audience", "analyst")
    assert result.exit_code == 0, result.output
    html = (output_folder(project, "situation") / "analyst.html").read_text()
    assert "Diffa" in html and "Iraq" not in html
    assert run("init", str(project)).exit_code != 0


@pytest.mark.parametrize(("example", "brief"), [("iraq", "iraq-security"), ("sahel", "sahel-security")])
def test_init_copies_a_worked_example_that_builds(tmp_path: Path, example: str, brief: str) -> None:
    project = tmp_path / example
    assert run("init", str(project), "--example", example).exit_code == 0
    assert (project / f"config/briefs/{brief}.yaml").is_file() and any((project / "sources").iterdir())
    result = run("build", "--project", str(project), "--audience", "executive")
    assert result.exit_code == 0, result.output
    assert (output_folder(project, brief) / "executive.pdf").is_file()


def test_unknown_brief_is_named_with_the_valid_ones(example_project: Path) -> None:
    result = run("build", "--project", str(example_project), "--brief", "nope")
    assert result.exit_code == 1
    assert "unknown brief 'nope'; valid briefs: iraq-security" in result.stderr


def test_analyst_pdf_has_metadata_bookmarks_and_contents(built: tuple[Path, Result, Path]) -> None:
    reader = PdfReader(built[2] / "analyst.pdf")
    assert reader.metadata.title == "Iraq Security Situation Brief"
    assert reader.metadata.author == "Iraq & Syria Security Desk"
    assert "ISIS" in reader.metadata["/Keywords"]
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert bookmarks == ["Key judgments", "Key figures", "Threat summary", "Withdrawal timeline",
                         "Significant incidents", "Incidents by month and type", "Key actors", "Outlook",
                         "Intelligence gaps", "Sources"]
    first_page = reader.pages[0].extract_text()
    assert "CONTENTS" in first_page and "Key actors" in first_page


def test_pdf_ua_variant_is_selectable(example_project: Path) -> None:
    settings = example_project / "config/briefgen.yaml"
    settings.write_text(settings.read_text() + "pdf_variant: pdf/ua-1\n")
    result = run("build", "--project", str(example_project), "--audience", "executive", "--format", "pdf")
    assert result.exit_code == 0, result.output
    reader = PdfReader(output_folder(example_project) / "executive.pdf")
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert b"pdfuaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_masthead_shows_edition_and_next_issue_and_sources_are_summed_up(built: tuple[Path, Result, Path]) -> None:
    text = pdf_text(built[2] / "analyst.pdf")
    assert "EDITION 1" in text
    assert "NEXT ISSUE" in text and "Monday" in text and "06:00 +03" in text
    assert "5 sources from 5 outlets" in text
