"""Fuzz whole builds: projects full of hostile sources, Markdown, CSS and logos build, leak nothing, fetch nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import lxml.html
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import TALLY, HangError, budget, fill, seeded
from tests.fuzz.hostile import analyst_markdown, project_css, source_file, svg_logo
from tests.projects import build, make_project, write
from tests.watch import Listener, file_reads, opened_under

URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background",
                  "style", "content", "ping", "cite", "longdesc", "manifest"}
PROJECTS = 3
SOURCES_PER_PROJECT = 20


@seeded(PROJECTS)
@given(sources=st.lists(source_file(), min_size=SOURCES_PER_PROJECT, max_size=SOURCES_PER_PROJECT),
       markdown=analyst_markdown(), css=project_css(), logo=svg_logo())
def test_a_hostile_project_builds_without_leaking_or_fetching(sources: list[tuple[str, bytes]], markdown: str,
                                                            css: str, logo: str, secret: Path,
                                                            listener: Listener) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = _hostile_project(Path(folder), sources, markdown, css, logo, secret, listener.port)
        TALLY["inputs"] += len(sources) + 3
        try:
            with file_reads() as opened, budget(300):
                result = build(project)
        except HangError:
            TALLY["hangs"] += 1
            raise
        leaks = opened_under(opened, secret.parent)
        TALLY["leaks"] += len(leaks)
        crashed = result.exit_code != 0 or "internal error" in result.output
        TALLY["crashes"] += int(crashed)
        assert not crashed, result.output
        assert not leaks
        for page in (project / "output/desk/latest").glob("*.html"):
            _check_page(page.read_text(encoding="utf-8"))
        assert all(path.stat().st_size > 1000 for path in (project / "output/desk/latest").glob("*.pdf"))


def _hostile_project(root: Path, sources: list[tuple[str, bytes]], markdown: str, css: str, logo: str,
                     secret: Path, port: int) -> Path:
    files: dict[str, str | bytes] = {
        f"sources/{number:02d}-{name}": fill(data.decode("utf-8", "surrogateescape"), port, secret).encode(
            "utf-8", "surrogateescape")
        for number, (name, data) in enumerate(sources)
    }
    project = make_project(root / "project", sources=files, audience_extra="logo: static/logo.svg\n")
    write(project, "static/logo.svg", fill(logo, port, secret))
    write(project, "static/brief.css", fill(css, port, secret))
    write(project, "config/briefs/desk.judgments.md", fill(markdown, port, secret))
    brief = project / "config/briefs/desk.yaml"
    brief.write_text(brief.read_text().replace("text: The situation is **tense**.", "file: desk.judgments.md"))
    return project


def _check_page(page: str) -> None:
    tree = lxml.html.document_fromstring(page.encode("utf-8"))
    assert not tree.xpath("//script|//iframe|//object|//embed"), "script or embedded content in the HTML"
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name.lower() in URL_ATTRIBUTES:  # a title or alt may quote hostile text; it loads nothing
                assert "127.0.0.1" not in value and "file:" not in value.lower(), (element.tag, name, value)
