"""Render: template lookup order, untrusted text stays text, the fetcher stays inside the project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import pytest
from weasyprint.urls import URLFetchingError, fetch

from briefgen import render
from briefgen.assemble.views import ActorCard, AudienceView, BriefView, Citation, KeyActorsSection, StatementItem
from briefgen.errors import ConfigError
from briefgen.pagefetcher import ProjectFetcher
from briefgen.project import BUILTIN_STATIC, load_project
from briefgen.render import Renderer


def view(audience: str = "analyst", quote: str = "Calm.") -> BriefView:
    statement = StatementItem(speaker="Rana Aziz", role="spokesperson", text=quote, cue="say", direct=True,
                              disputed=False, cites=[Citation(1, f"She said {quote}")])
    card = ActorCard(name="Rana Aziz", kind="person", role="spokesperson", affiliation=None, aliases=[],
                     mentions=2, statements=[statement])
    return BriefView(
        name="test", title="Test brief", subtitle=None,
        audience=AudienceView(name=audience, label="Analyst brief", marking="TLP:AMBER", citations=True),
        build_date=dt.date(2025, 10, 1), generated_at="1 October 2025 09:00 +03", producer="Desk", contact=None,
        period_start=None, period_end=None, page_size="A4",
        sections=[KeyActorsSection(kind="key_actors", title="Key actors", anchor="key-actors", actors=[card])],
        sources=[],
    )


def test_builtin_template_is_used_by_default(example_project: Path) -> None:
    html = Renderer(load_project(example_project)).html(view())
    assert "<!-- Templates considered: brief-analyst.html, *brief.html -->" in html
    assert "Rana Aziz" in html


def test_project_template_beats_builtin_and_can_extend_it(example_project: Path) -> None:
    (example_project / "templates").mkdir(exist_ok=True)
    (example_project / "templates/brief.html").write_text(
        '{% extends "default:brief.html" %}{% block footer %}PROJECT FOOTER{% endblock %}')
    html = Renderer(load_project(example_project)).html(view())
    assert "PROJECT FOOTER" in html and "Rana Aziz" in html


def test_audience_folder_beats_project_templates(example_project: Path) -> None:
    folder = example_project / "templates/analyst-only/sections"
    folder.mkdir(parents=True)
    (folder / "key_actors.html").write_text("<section>AUDIENCE ACTORS</section>")
    audience = example_project / "config/audiences/analyst.yaml"
    audience.write_text(audience.read_text() + "templates: templates/analyst-only\n")
    renderer = Renderer(load_project(example_project))
    assert "AUDIENCE ACTORS" in renderer.html(view("analyst"))
    assert "AUDIENCE ACTORS" not in renderer.html(view("public"))


def test_audience_specific_file_name_is_tried_first(example_project: Path) -> None:
    (example_project / "templates").mkdir(exist_ok=True)
    (example_project / "templates/brief-public.html").write_text("PUBLIC PAGE")
    renderer = Renderer(load_project(example_project))
    assert renderer.html(view("public")).startswith("PUBLIC PAGE")
    assert "PUBLIC PAGE" not in renderer.html(view("analyst"))


def test_article_text_is_escaped_never_evaluated(example_project: Path) -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }} {% raw %}"
    html = Renderer(load_project(example_project)).html(view(quote=hostile))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    body = html[html.index("<body"):]  # the head's embedded font is base64, where any digits may occur
    assert "{{ 7*7 }}" in body and "49" not in body


def test_counts_are_written_in_groups_of_three_digits(example_project: Path) -> None:
    brief = view()
    section = brief.sections[0]
    assert isinstance(section, KeyActorsSection)
    section.actors[0].mentions = 17807
    html = Renderer(load_project(example_project)).html(brief)
    body = html[html.index("<body"):]  # the head's embedded font is base64, where any digits may occur
    assert "17,807 mentions" in body and "17807" not in body


@pytest.mark.parametrize(("start", "end", "shown"), [
    ("2025-12-03", "2026-12-02", "3 December 2025 – 2 December 2026"),
    ("2025-12", None, "December 2025 – present"),
    ("2025-13-40", "2026", "2025-13-40 – 2026"),  # not a date: as it is
])
def test_the_period_covered_reads_as_the_brief_writes_dates(example_project: Path, start: str, end: str | None,
                                                              shown: str) -> None:
    brief = view()
    brief.period_start, brief.period_end = start, end
    body = Renderer(load_project(example_project)).html(brief)
    assert f"<dt>Period covered</dt><dd>{shown}</dd>" in body


def test_pdf_is_rendered_with_page_count(example_project: Path) -> None:
    content, pages = Renderer(load_project(example_project)).pdf(view())
    assert content.startswith(b"%PDF") and pages >= 1


def test_fetcher_allows_data_and_project_static_files(tmp_path: Path) -> None:
    fetcher = ProjectFetcher([BUILTIN_STATIC])
    with fetch(fetcher, "data:text/plain,hello") as response:
        assert response.read() == b"hello"
    with fetch(fetcher, (BUILTIN_STATIC / "brief.css").as_uri()) as response:
        assert response.read()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1:9/x.css", "https://example.org/font.woff", "ftp://example.org/x",
])
def test_fetcher_refuses_network_and_outside_files(url: str) -> None:
    fetcher = ProjectFetcher([BUILTIN_STATIC])
    with pytest.raises(URLFetchingError), fetch(fetcher, url):
        pass


def test_fetcher_refuses_path_escapes() -> None:
    fetcher = ProjectFetcher([BUILTIN_STATIC])
    with pytest.raises(URLFetchingError), fetch(fetcher, BUILTIN_STATIC.as_uri() + "/../../../etc/passwd"):
        pass


def test_an_audience_adds_its_logo_colour_and_template_by_configuration_alone(example_project: Path) -> None:
    project = load_project(example_project)
    brief = view("field-team")
    brief.audience.logo, brief.audience.accent = project.logo_uri("field-team"), project.audiences["field-team"].accent
    page = Renderer(project).html(brief)
    assert 'src="data:image/svg+xml;base64,' in page
    assert ":root { --accent: #5a3e1b; }" in page
    assert "Distribution: field teams North and West" in page
    assert "*brief.html" in page


def test_a_bad_accent_colour_is_rejected(example_project: Path) -> None:
    path = example_project / "config/audiences/field-team.yaml"
    path.write_text(path.read_text().replace('accent: "#5a3e1b"', 'accent: "red; } body { display: none"'))
    with pytest.raises(ConfigError, match=r"config/audiences/field-team.yaml:\d+:\d+: accent: String should match"):
        load_project(example_project)


def test_templates_are_compiled_once_for_every_audience_and_build(example_project: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counted(environment: jinja2.Environment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name)
        return compile_template(environment, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    first = Renderer(load_project(example_project))
    html = first.html(view("analyst"))
    assert "Rana Aziz" in html and "brief.html" in compiled
    once = len(compiled)
    assert first.html(view("public")) and len(compiled) == once  # another audience, another environment
    assert Renderer(load_project(example_project)).html(view("analyst")) == html and len(compiled) == once
    assert len(list((tmp_path / "cache").glob("templates-*/__jinja2_*.cache"))) == once


def test_a_changed_template_is_compiled_afresh(example_project: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    template = example_project / "templates/brief.html"
    template.parent.mkdir(exist_ok=True)
    for footer in ("FIRST FOOTER", "SECOND FOOTER"):
        template.write_text('{% extends "default:brief.html" %}{% block footer %}' + footer + "{% endblock %}")
        assert footer in Renderer(load_project(example_project)).html(view())


def test_a_damaged_or_unwritable_template_cache_is_passed_over(example_project: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    html = Renderer(load_project(example_project)).html(view())
    kept = list((tmp_path / "cache").glob("templates-*/__jinja2_*.cache"))
    assert kept
    for number, path in enumerate(kept):  # garbage after jinja2's header, or cut short
        path.write_bytes(jinja2.bccache.bc_magic + b"\x80\x04garbage" if number % 2 else path.read_bytes()[:-9])
    assert Renderer(load_project(example_project)).html(view()) == html
    folder = next((tmp_path / "cache").glob("templates-*"))
    folder.chmod(0o777)  # others could write it: what it holds is not run
    assert render._compiled_templates() is None
    assert Renderer(load_project(example_project)).html(view()) == html
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "file" / "cache"))  # cannot be made
    assert Renderer(load_project(example_project)).html(view()) == html
