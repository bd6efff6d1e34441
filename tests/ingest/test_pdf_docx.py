"""PDF and DOCX sources: text in reading order, pages, metadata, sidecars, unusable files, page citations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen.assemble.citations import Citer
from briefgen.config import SourceLimits
from briefgen.facts import DocumentFacts
from briefgen.ingest import read_document, read_sources
from briefgen.ingest.pdf import paged_text
from tests.ingest.documents import docx_bytes, encrypted, image_only_pdf, pdf_bytes, write

REPORT_HEAD = ('<title>Sahel Quarterly Report</title><meta name="author" content="Sahel Monitor">'
               '<meta name="dcterms.created" content="2025-04-02">')
REPORT_BODY = """
<p>Gunmen attacked a border post near Menaka on 1 March 2025, killing four soldiers, the army said in a
statement issued from the regional capital the following day.</p>
<p style="width: 3.2cm">Officials described the counter&shy;insurgency campaign as stalled.</p>
<p class="page">The withdrawal of the remaining 300 foreign troops would be completed by June 2025,
officials said.</p>
<p class="page">Talks between the parties resumed in Niamey on 10 March 2025.</p>
"""


def report(folder: Path, name: str = "report.pdf", head: str = REPORT_HEAD, body: str = REPORT_BODY) -> Path:
    return write(folder, name, pdf_bytes(body, head))


def test_pdf_text_keeps_paragraphs_and_page_starts_without_running_headers_or_page_numbers(tmp_path: Path) -> None:
    document = read_document(report(tmp_path), tmp_path)
    paragraphs = document.text.split("\n\n")
    assert paragraphs[0].startswith("Gunmen attacked a border post near Menaka on 1 March 2025, killing four")
    assert paragraphs[0].endswith("from the regional capital the following day.")
    assert len(paragraphs) == 4
    assert "Sahel Monitor — Quarterly" not in document.text
    assert "Page " not in document.text and "of 3" not in document.text
    assert len(document.pages) == 3 and document.pages[0] == 0
    assert document.text[document.pages[1]:].startswith("The withdrawal of the remaining 300 foreign troops")
    assert document.text[document.pages[2]:] == "Talks between the parties resumed in Niamey on 10 March 2025."


def test_a_word_hyphenated_at_a_line_break_is_mended(tmp_path: Path) -> None:
    document = read_document(report(tmp_path), tmp_path)
    assert "counterinsurgency" in document.text
    assert "counter-" not in document.text and "counter\u2010" not in document.text


def test_a_sentence_running_over_a_page_break_is_joined_and_the_page_starts_inside_it() -> None:
    text, starts = paged_text([["Troops left.", "The counter\u2010"], ["insurgency campaign stalled, and", "Next."],
                               [], ["talks resumed."]])
    assert text == "Troops left.\n\nThe counterinsurgency campaign stalled, and\n\nNext.\n\ntalks resumed."
    assert [text[start:start + 10] for start in starts] == ["Troops lef", "insurgency", "\n\ntalks re", "talks resu"]


def test_pdf_metadata_gives_title_date_and_author_as_outlet(tmp_path: Path) -> None:
    document = read_document(report(tmp_path), tmp_path)
    assert (document.title, document.published, document.outlet) == (
        "Sahel Quarterly Report", "2025-04-02", "Sahel Monitor")
    assert document.path == "report.pdf"


def test_without_a_metadata_title_the_first_heading_line_is_the_title(tmp_path: Path) -> None:
    document = read_document(report(tmp_path, head="", body="<h1>Border Posts Under Fire</h1>" + REPORT_BODY),
                             tmp_path)
    assert document.title == "Border Posts Under Fire"
    assert document.text.startswith("Gunmen attacked")
    assert document.pages[0] == 0


def test_a_sidecar_wins_over_the_pdf_metadata(tmp_path: Path) -> None:
    path = report(tmp_path)
    write(tmp_path, "report.pdf.meta.yaml", "title: Sahel report, Q1 2025\npublished: 2025-04\n"
          "url: https://example.org/q1.pdf\nreleasable: false\n")
    document = read_document(path, tmp_path)
    assert (document.title, document.published, document.url) == (
        "Sahel report, Q1 2025", "2025-04", "https://example.org/q1.pdf")
    assert document.outlet == "Sahel Monitor" and document.releasable is False


def test_a_bad_sidecar_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    path = report(tmp_path)
    write(tmp_path, "report.pdf.meta.yaml", "title: Q1\n  autor: Jane Roe\n")
    assert read_sources([path], tmp_path).skipped[0].startswith("report.pdf.meta.yaml:2:")
    write(tmp_path, "report.pdf.meta.yaml", "title: Q1\nauthor: Jane Roe\n")
    assert read_sources([path], tmp_path).skipped == [
        "report.pdf.meta.yaml:2:1: sidecar: unknown field 'author'; valid: title, published, url, outlet, "
        "releasable, tags, grade, language, fetched"]
    write(tmp_path, "report.pdf.meta.yaml", "title: Q1\n\npublished: 2025-13-01\n")
    assert read_sources([path], tmp_path).skipped == [
        "report.pdf.meta.yaml:3:1: sidecar: published: '2025-13-01' is not a date (month must be in 1..12)"]


def test_unusable_pdfs_are_skipped_with_one_line_saying_why(tmp_path: Path) -> None:
    paths = [write(tmp_path, "locked.pdf", encrypted(pdf_bytes("<p>Secret text.</p>"))),
             write(tmp_path, "scan.pdf", image_only_pdf()),
             write(tmp_path, "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
             write(tmp_path, "cut.pdf", pdf_bytes("<p>Cut short.</p>")[:400])]
    result = read_sources(paths, tmp_path)
    assert result.documents == []
    assert result.skipped[:2] == [
        "locked.pdf: encrypted PDF (it needs a password); save an unprotected copy to use it",
        "scan.pdf: no text layer (a scanned PDF?); briefgen reads PDFs with text"]
    assert [line.split(": ")[1] for line in result.skipped[2:]] == ["not a readable PDF (Failed to load document "
                                                                     "(PDFium", "not a readable PDF (Failed to load "
                                                                     "document (PDFium"]
    assert all("\n" not in line for line in result.skipped)


def test_a_pdf_over_the_page_limit_is_skipped(tmp_path: Path) -> None:
    result = read_sources([report(tmp_path)], tmp_path, SourceLimits(pdf_pages=2))
    assert result.skipped == ["report.pdf: 3 pages; the limit is 2 (limits.pdf_pages in config/briefgen.yaml)"]


def test_a_citation_names_the_page_its_sentence_starts_on(tmp_path: Path) -> None:
    document = read_document(report(tmp_path), tmp_path)
    start = document.text.index("The withdrawal")
    end = document.text.index("\n\n", start)
    citer = Citer([document], [DocumentFacts(doc=document.id, sentences=[(0, 10), (start, end)])])
    assert citer.cite(document.id, start + 4, start + 14).page == 2
    assert citer.cite_exact(document.id, 0, 6).page == 1
    assert citer.cite(document.id, len(document.text) - 3).page == 3
    assert citer.sources[0].page_count == 3


def test_docx_paragraphs_heading_title_and_core_properties(tmp_path: Path) -> None:
    content = docx_bytes([("Heading 1", "Border Posts Under Fire"),
                          ("Normal", "Gunmen attacked a border post near Menaka on 1 March 2025."),
                          ("Normal", "Officials said the talks would resume.")],
                         author="Desk Wire", created=dt.datetime(2025, 3, 2, 9, 30),
                         table=[["Casualties", "4"]])
    document = read_document(write(tmp_path, "notes.docx", content), tmp_path)
    assert document.title == "Border Posts Under Fire"
    assert document.text == ("Gunmen attacked a border post near Menaka on 1 March 2025.\n\n"
                             "Officials said the talks would resume.")
    assert (document.published, document.outlet, document.pages) == ("2025-03-02", "Desk Wire", [])


def test_docx_core_title_and_sidecar_values_win_in_that_order(tmp_path: Path) -> None:
    content = docx_bytes([("Heading 1", "Border Posts"), ("Normal", "Gunmen attacked a border post.")],
                         title="Field notes, March")
    path = write(tmp_path, "notes.docx", content)
    assert read_document(path, tmp_path).title == "Field notes, March"
    assert read_document(path, tmp_path).text == "Border Posts\n\nGunmen attacked a border post."
    write(tmp_path, "notes.docx.meta.yaml", "title: Menaka field notes\noutlet: Field team\n")
    document = read_document(path, tmp_path)
    assert (document.title, document.outlet) == ("Menaka field notes", "Field team")


def test_broken_docx_files_are_skipped_with_one_line(tmp_path: Path) -> None:
    good = docx_bytes([("Normal", "Text.")])
    paths = [write(tmp_path, "a.docx", b"PK\x03\x04 not really a zip"),
             write(tmp_path, "b.docx", good[: len(good) // 2]),
             write(tmp_path, "c.docx", docx_bytes([("Normal", " ")]))]
    result = read_sources(paths, tmp_path)
    assert result.documents == []
    assert [line.split(": ")[1] for line in result.skipped] == [
        "not a readable DOCX file (not a zip archive", "not a readable DOCX file (not a zip archive",
        "no text in the document's body (tables are not read)"]


def test_an_html_sidecar_wins_over_the_page_metadata(tmp_path: Path) -> None:
    page = ("<html><head><title>Old headline</title><meta property='og:site_name' content='Page Site'></head>"
            "<body><article><h1>Old headline</h1><p>" + "Gunmen attacked a border post near Menaka. " * 8
            + "</p></article></body></html>")
    path = write(tmp_path, "page.html", page)
    assert read_document(path, tmp_path).title == "Old headline"
    write(tmp_path, "page.html.meta.yaml", "title: Border post attacked\noutlet: Desk Wire\n"
          "url: https://example.org/border\npublished: 2025-03-02\n")
    document = read_document(path, tmp_path)
    assert (document.title, document.outlet, document.url, document.published) == (
        "Border post attacked", "Desk Wire", "https://example.org/border", "2025-03-02")
    assert document.text.startswith("Gunmen attacked")


def test_a_built_brief_cites_a_pdf_source_with_its_page(tmp_path: Path) -> None:
    from tests.projects import build, make_project

    body = ("<p>Background on the region and its long history of unrest in the north.</p>"
            "<p class='page'>Gunmen attacked a border post near Menaka on 1 March 2025, killing four soldiers, "
            "the army said. “The attackers came at dawn,” said Colonel Amadou Sanou, a regional army "
            "spokesman.</p>")
    root = make_project(tmp_path / "desk", sources={"sources/army-report.pdf": pdf_bytes(body, REPORT_HEAD)})
    result = build(root, "--format", "html")
    assert result.exit_code == 0, result.output
    html = (root / "output/desk/latest/analyst.html").read_text(encoding="utf-8")
    assert 'title="p. 2 — “The attackers came at dawn,” said Colonel Amadou Sanou' in html
    assert "2 pp.</span>" in html
