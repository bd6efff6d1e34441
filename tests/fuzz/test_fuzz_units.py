"""Fuzz the stages one by one: ingest, configuration, analyst Markdown, project CSS, SVG logos, extraction."""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.assemble.analyst_text import markdown_block
from briefgen.errors import ConfigError
from briefgen.ingest import read_sources
from briefgen.project import load_project
from briefgen.render import inline_css
from briefgen.svgclean import UnsafeSVGError, clean_svg
from briefgen.urlpolicy import is_raster_data_image, is_safe_link
from tests.fuzz.conftest import TALLY, HangError, budget, fill, seeded
from tests.fuzz.hostile import analyst_markdown, brief_yaml, project_css, source_file, svg_logo
from tests.ingest.documents import docx_bytes, pdf_bytes
from tests.projects import make_project, write
from tests.watch import Listener, file_reads, opened_under


@seeded(600)
@given(source=source_file())
def test_any_source_is_read_or_skipped_with_a_reason(source: tuple[str, bytes], secret: Path,
                                                    listener: Listener) -> None:
    TALLY["inputs"] += 1
    name, data = source
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = write(root, f"sources/{name}", fill(data.decode("utf-8", "surrogateescape"), listener.port,
                                                   secret).encode("utf-8", "surrogateescape"))
        try:
            with file_reads() as opened, budget(20):
                result = read_sources([path], root)
        except HangError:
            TALLY["hangs"] += 1
            raise
        TALLY["leaks"] += len(opened_under(opened, secret.parent))
    assert len(result.documents) + len(result.skipped) == 1
    assert not any("cannot read: " in line and "Error" in line for line in result.skipped), result.skipped
    for document in result.documents:
        assert document.text.strip() and (document.published is None or re.fullmatch(r"\d{4}-\d\d(-\d\d)?",
                                                                                      document.published))


_BINARY_SOURCES = {
    "report.pdf": pdf_bytes("<h1>Report</h1><p>Gunmen attacked a border post near Menaka.</p>"
                            "<p style='break-before: page'>Talks resumed in Niamey.</p>"),
    "notes.docx": docx_bytes([("Heading 1", "Notes"), ("Normal", "Gunmen attacked a border post near Menaka.")]),
}


@seeded(150)
@given(name=st.sampled_from(sorted(_BINARY_SOURCES)), cut=st.integers(0, 100_000),
       damage=st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 255)), max_size=8))
def test_any_damaged_pdf_or_docx_is_read_or_skipped_with_a_reason(name: str, cut: int,
                                                                  damage: list[tuple[int, int]]) -> None:
    TALLY["inputs"] += 1
    data = bytearray(_BINARY_SOURCES[name])
    for at, value in damage:
        data[at % len(data)] = value
    data = data[: max(cut, 1)] if cut < len(data) else data
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = write(root, f"sources/{name}", bytes(data))
        with budget(20):
            result = read_sources([path], root)
    assert len(result.documents) + len(result.skipped) == 1
    assert not any("cannot read: " in line and "Error" in line for line in result.skipped), result.skipped
    assert all("\n" not in line for line in result.skipped + result.warnings)
    for document in result.documents:
        assert document.text.strip() and all(0 <= start <= len(document.text) for start in document.pages)


@seeded(300)
@given(text=brief_yaml())
def test_any_brief_configuration_loads_or_fails_with_located_lines(text: str) -> None:
    TALLY["inputs"] += 1
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder))
        write(project, "config/briefs/desk.yaml", text)
        try:
            with budget(10):
                load_project(project)
        except ConfigError as error:
            for line in error.lines:
                assert re.match(r"^(config/[\w./-]+)(:\d+:\d+)?: \S", line), line
                assert len(line) < 600, line
        except HangError:
            TALLY["hangs"] += 1
            raise
        except Exception:
            TALLY["crashes"] += 1
            raise


@seeded(500)
@given(text=analyst_markdown(), port=st.integers(1024, 65535))
def test_analyst_markdown_keeps_no_script_and_no_unsafe_reference(text: str, port: int) -> None:
    TALLY["inputs"] += 1
    html = str(markdown_block(fill(text, port, Path("/etc/secret"))))
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in tree.iter():
        assert element.tag not in ("script", "style", "iframe", "object", "embed"), html
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and name.lower() != "style", html
            if name.lower() == "href":
                assert is_safe_link(value), value
            if name.lower() == "src":
                assert is_raster_data_image(value), value


@seeded(400)
@given(text=project_css(), port=st.integers(1024, 65535))
def test_project_css_cannot_end_its_style_element_or_load_anything(text: str, port: int) -> None:
    TALLY["inputs"] += 1
    css = inline_css(fill(text, port, Path("/etc/secret")))
    assert "</" not in css and "<!--" not in css
    assert "127.0.0.1" not in css and "file:" not in css.lower() and "@import" not in css.lower()


@seeded(400)
@given(text=svg_logo(), port=st.integers(1024, 65535))
def test_svg_logos_keep_drawing_only(text: str, port: int) -> None:
    TALLY["inputs"] += 1
    try:
        cleaned = clean_svg(fill(text, port, Path("/etc/secret")).encode()).decode()
    except UnsafeSVGError:
        return
    lowered = cleaned.lower()
    for gone in ("<script", "onload", "javascript:", "127.0.0.1", "file:", "foreignobject", "/etc/secret", "<set"):
        assert gone not in lowered, gone
    assert "#345678" in cleaned


@pytest.fixture(scope="module")
def extractor():  # type: ignore[no-untyped-def]
    from briefgen.config import Gazetteer
    from briefgen.extract import Extractor

    return Extractor(Gazetteer())


@seeded(6)
@given(sources=st.lists(source_file(), min_size=30, max_size=30))
def test_extraction_of_any_text_gives_well_formed_facts(sources: list[tuple[str, bytes]], extractor: object,
                                                      secret: Path, listener: Listener) -> None:
    TALLY["inputs"] += len(sources)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = [write(root, f"sources/{index}-{name}", fill(data.decode("utf-8", "replace"), listener.port, secret))
                 for index, (name, data) in enumerate(sources)]
        documents = read_sources(paths, root).documents
    failures: list[str] = []
    try:
        with budget(120):
            results = list(extractor.extract(documents, processes=1,  # type: ignore[attr-defined]
                                             on_failure=lambda document, reason: failures.append(reason)))
    except HangError:
        TALLY["hangs"] += 1
        raise
    TALLY["crashes"] += len(failures)
    assert not failures, failures
    texts = {document.id: document.text for document in documents}
    for facts in results:
        _check_facts(facts, texts[facts.doc])


def _check_facts(facts: object, text: str) -> None:
    for quantity in facts.quantities:  # type: ignore[attr-defined]
        assert quantity.low is None or math.isfinite(quantity.low)
        assert quantity.high is None or math.isfinite(quantity.high)
        assert 0 <= quantity.start <= quantity.end <= len(text)
    for event in facts.events:  # type: ignore[attr-defined]
        if event.date:
            year, _, rest = event.date.partition("-")
            assert 1 <= int(year) <= 9999
            if rest.count("-") == 1:
                dt.date.fromisoformat(event.date)
            elif rest:
                assert 1 <= int(rest) <= 12
        assert 0 <= event.start <= event.end <= len(text)
