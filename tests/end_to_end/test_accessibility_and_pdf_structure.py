"""What a reader with assistive needs, and a PDF viewer, get from the built briefs.

Contrast is measured on WeasyPrint's own layout: every text box's computed colour against
the nearest background painted behind it, to the WCAG 2.1 AA levels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from briefgen.cli import main
from tests.conftest import copy_example

AUDIENCES = ("analyst", "executive", "public", "field-team")
AA_NORMAL, AA_LARGE = 4.5, 3.0
# The TLP 2.0 label colours on black are fixed by the standard, not by briefgen.
TLP_LABELS = {"TLP:RED", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:GREEN", "TLP:CLEAR"}

Rgb = tuple[float, float, float]


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project built once: the edition folder with every audience's HTML and PDF."""
    project = copy_example(tmp_path_factory.mktemp("a11y") / "project")
    result = CliRunner().invoke(main, ["build", "--project", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return (project / "output" / "iraq-security" / "latest").resolve()


def luminance(rgb: Rgb) -> float:
    """WCAG relative luminance of an sRGB colour with channels in 0..1."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: Rgb, background: Rgb) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rgb(color: object) -> tuple[Rgb, float]:
    red, green, blue, alpha = (float(part) for part in color)  # type: ignore[attr-defined]
    return (red, green, blue), alpha


def text_on_backgrounds(box: boxes.Box, background: Rgb) -> Iterator[tuple[str, Rgb, Rgb, bool]]:
    """Each text box with its colour, the background behind it, and whether it counts as large text."""
    fill, alpha = rgb(box.style["background_color"])
    if alpha > 0.5:
        background = fill
    if isinstance(box, boxes.TextBox) and box.text.strip():
        size, weight = box.style["font_size"], box.style["font_weight"]
        large = size >= 24 or (size >= 18.66 and weight >= 700)
        yield box.text.strip(), rgb(box.style["color"])[0], background, large
    for child in getattr(box, "children", []):
        yield from text_on_backgrounds(child, background)


def low_contrast_text(document_path: Path) -> list[str]:
    document = HTML(filename=str(document_path)).render()
    failures = []
    for page in document.pages:
        for text, color, background, large in text_on_backgrounds(page._page_box, (1.0, 1.0, 1.0)):
            ratio = contrast(color, background)
            if text not in TLP_LABELS and ratio < (AA_LARGE if large else AA_NORMAL):
                failures.append(f"{text[:40]!r}: {ratio:.2f}")
    return failures


@pytest.mark.parametrize("audience", AUDIENCES)
def test_all_text_meets_aa_contrast(edition: Path, audience: str) -> None:
    assert low_contrast_text(edition / f"{audience}.html") == []


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert contrast((0x76 / 255,) * 3, (1, 1, 1)) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_headings_descend_in_order_and_graphics_have_text(edition: Path, audience: str) -> None:
    page = lxml_html.fromstring((edition / f"{audience}.html").read_bytes())
    levels = [int(element.tag[1]) for element in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in pairwise(levels)), levels
    for svg in page.iter("{http://www.w3.org/2000/svg}svg", "svg"):
        assert svg.get("role") == "img" and svg.get("aria-labelledby"), lxml_html.tostring(svg)[:80]
        assert svg.findtext(".//{*}title") or svg.findtext(".//title")
    assert all(image.get("alt") for image in page.iter("img"))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_pdf_page_is_labelled_page_x_of_y(edition: Path, audience: str) -> None:
    reader = PdfReader(edition / f"{audience}.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text(), (audience, number)


def test_bookmarks_point_at_the_pages_their_sections_start_on(edition: Path) -> None:
    reader = PdfReader(edition / "analyst.pdf")
    page_texts = [page.extract_text().upper() for page in reader.pages]
    bookmarks = [item for item in reader.outline if not isinstance(item, list)]
    assert len(bookmarks) >= 5
    for bookmark in bookmarks:
        page_index = reader.get_destination_page_number(bookmark)
        assert bookmark.title.upper() in page_texts[page_index], (bookmark.title, page_index)


def test_pdf_metadata_has_subject_keywords_and_dates(edition: Path) -> None:
    metadata = PdfReader(edition / "analyst.pdf").metadata
    assert metadata.title and metadata.author
    assert "ISIS" in metadata["/Keywords"]
    assert metadata.subject and "coalition" in metadata.subject
    assert re.match(r"D:\d{14}[+-]", metadata["/CreationDate"])


def test_pdfs_embed_the_shipped_font(edition: Path) -> None:
    page = PdfReader(edition / "analyst.pdf").pages[0]
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any("Source-Sans-Pro" in name for name in fonts), fonts


# ---- every graphic on one page, with its legend, source line and heading ------------------------------------

MIN_TEXT = 8  # characters: shorter texts ("2025", "N") are on too many pages to place a graphic by


def plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def figure_groups(page: lxml_html.HtmlElement) -> list[tuple[str, list[str]]]:
    """Each graphic: the heading right before it ('' if none) and its drawn texts long enough to place it."""
    groups = []
    for figure in page.xpath("//figure[contains(concat(' ', @class, ' '), ' graphic ')]"):
        texts = [plain(t.text_content()) for t in figure.xpath(".//*[local-name()='text']")]
        before = figure.getprevious()
        heading = plain(before.text_content()) if before is not None and before.tag in ("h2", "h3") else ""
        groups.append((heading, [t for t in texts if len(t) >= MIN_TEXT and "\u2026" not in t]))
    return groups


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_graphic_is_on_one_page_with_its_legend_and_heading(edition: Path, audience: str) -> None:
    pages = [plain(page.extract_text()) for page in PdfReader(edition / f"{audience}.pdf").pages]
    groups = figure_groups(lxml_html.fromstring((edition / f"{audience}.html").read_bytes()))
    if audience != "executive":
        assert len(groups) >= 2  # the map and the timeline at least
    for heading, texts in groups:
        found = [t for t in texts if any(t in page for page in pages)]
        assert len(found) >= 2, texts  # the top of the graphic and its legend or source line
        wanted = [found[0], found[-1], *([heading] if heading else [])]
        together = [n + 1 for n, page in enumerate(pages) if all(t in page for t in wanted)]
        assert together, (wanted, [[n + 1 for n, page in enumerate(pages) if t in page] for t in wanted])
