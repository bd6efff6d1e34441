"""Laying out PDFs in a process of their own: the same pages as here, the same loading policy, one line when it dies."""

from __future__ import annotations

import io
import json
import os
import signal
from pathlib import Path

import pypdf
import pytest

from briefgen import build as build_module
from briefgen.errors import BriefgenError
from briefgen.render import Renderer, laid_out
from tests.assemble.conftest import Example
from tests.projects import build, make_project, write


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_a_brief_laid_out_in_the_layout_process_has_the_pages_laid_out_here(example: Example) -> None:
    view = example.view("executive")
    here = Renderer(example.project)
    at_home = laid_out(here.start_layout(view))
    with Renderer(example.project) as renderer:
        renderer.use_layout_process()
        away = laid_out(renderer.start_layout(view))
    assert away.document is None and away.pdf is not None  # written there: laid-out pages stay in that process
    assert away.pages == at_home.pages >= 1
    assert pdf_text(renderer.pdf_of(away)) == pdf_text(here.pdf_of(at_home))


def test_a_large_brief_is_laid_out_in_the_layout_process_under_the_same_loading_policy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "outside" / "secret.png"
    write(secret.parent, secret.name, b"\x89PNG not really")
    project = make_project(tmp_path / "project")
    write(project, "static/brief.css", f".masthead {{ background: url({secret.as_uri()}) }}\n")
    started: list[bool] = []
    use = Renderer.use_layout_process
    monkeypatch.setattr(Renderer, "use_layout_process", lambda self: (started.append(True), use(self))[1])
    monkeypatch.setattr(build_module, "LAYOUT_PROCESS_FROM", 1)
    result = build(project)
    assert result.exit_code == 0, result.output
    assert started == [True]
    assert f"refused to load {secret.as_uri()}" in " ".join(result.output.split())
    assert all(pdf_text(path.read_bytes()) for path in (project / "output/desk").glob("*/*.pdf"))


def test_a_small_brief_is_laid_out_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project")
    started: list[bool] = []
    monkeypatch.setattr(Renderer, "use_layout_process", lambda self: started.append(True))
    assert build(project).exit_code == 0
    assert started == []


def test_a_layout_process_that_dies_is_reported_in_one_line(example: Example) -> None:
    with Renderer(example.project) as renderer:
        renderer.use_layout_process()
        laid_out(renderer.start_layout(example.view("executive")))  # it is up
        pool = renderer._layout_process
        assert pool is not None
        for pid in list(pool._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(BriefgenError, match="the process laying out the PDF ended before it finished") as dead:
            laid_out(renderer.start_layout(example.view("executive")))
    assert "\n" not in str(dead.value)


def test_briefs_are_assembled_longest_page_limit_first_and_listed_in_the_briefs_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project", audience_extra="max_pages: 2\n")  # analyst: 2 pages; public: none
    begun: list[str] = []
    begin = build_module.begin_brief
    monkeypatch.setattr(build_module, "begin_brief",
                        lambda renderer, given, *args, **kwargs: (begun.append(given.audience_name),
                                                                  begin(renderer, given, *args, **kwargs))[1])
    assert build(project).exit_code == 0
    assert begun == ["public", "analyst"]  # the shortest PDF is laid out last, while nothing else is left to do
    files = json.loads((project / "output/desk/latest/edition.json").read_text(encoding="utf-8"))["files"]
    assert [Path(file).stem for file in files] == ["analyst", "analyst", "public", "public"]
    begun.clear()
    assert build(project, "--format", "html", "--force").exit_code == 0
    assert begun == ["analyst", "public"]  # nothing laid out: the brief's own order
