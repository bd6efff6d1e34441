"""PDF sources: the text layer of each page, read with PDFium (pypdfium2), cleaned the way a reader needs.

Lines are placed by their position on the page: a wider gap than the usual line spacing starts a paragraph,
hard-wrapped lines are joined and hyphenated line breaks mended. Lines at the top or bottom of pages that
repeat (running headers and footers) and bare page numbers are dropped.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from briefgen.config import SourceLimits
from briefgen.ingest.fields import SkippedSourceError

# Share of the page height, at the top and at the bottom, where running headers and footers sit.
_EDGE = 0.12
_PARAGRAPH_GAP = 1.45  # a gap this many times the usual line step starts a new paragraph
_BREAK_HYPHENS = ("\u2010", "\xad", "\x02")  # typeset hyphenation; '-' is mended only before a lowercase letter
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = (".", "!", "?", ":", "”", '"', "’", ")")


@dataclass
class Line:
    """One line of text on a page: where its first character's box starts (PDF points, from the bottom of the
    page) and that box's height, which follows the font size."""

    text: str
    bottom: float
    height: float


@dataclass
class PdfText:
    """A PDF's paragraphs page by page, and its document-information metadata."""

    pages: list[list[str]] = field(default_factory=list)
    metadata: dict[str, object] = field(default_factory=dict)


def read_pdf(raw: bytes, limits: SourceLimits, warn: Callable[[str], None]) -> PdfText:
    """The paragraphs of each page of a PDF and its metadata; SkippedSourceError when it has no usable text.

    A page whose text cannot be read is left out, with a line to `warn`.
    """
    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        raise SkippedSourceError(_open_problem(str(error))) from None
    try:
        return _read_pages(document, limits, warn)
    finally:
        document.close()


def _open_problem(message: str) -> str:
    if "password" in message.lower():
        return "encrypted PDF (it needs a password); save an unprotected copy to use it"
    return f"not a readable PDF ({message.strip().rstrip('.')})"


def _read_pages(document: pdfium.PdfDocument, limits: SourceLimits, warn: Callable[[str], None]) -> PdfText:
    count = len(document)
    if count > limits.pdf_pages:
        raise SkippedSourceError(f"{count:,} pages; the limit is {limits.pdf_pages:,} "
                                 "(limits.pdf_pages in config/briefgen.yaml)")
    pages: list[list[Line]] = []
    heights: list[float] = []
    characters = 0
    for number in range(count):
        try:
            lines, height = _page_lines(document, number)
        except pdfium.PdfiumError as error:
            warn(f"page {number + 1}: cannot read its text ({error}); the page is left out")
            lines, height = [], 0.0
        characters += sum(len(line.text) + 1 for line in lines)
        if characters > limits.text_characters:
            raise SkippedSourceError(f"over {limits.text_characters:,} characters of text; the limit is "
                                     f"{limits.text_characters:,} (limits.text_characters in config/briefgen.yaml)")
        pages.append(lines)
        heights.append(height)
    if not any(line.text.strip() for page in pages for line in page):
        raise SkippedSourceError("no text layer (a scanned PDF?); briefgen reads PDFs with text")
    pages = _drop_running_lines(pages, heights)
    return PdfText(pages=[_paragraphs(page) for page in pages], metadata=_metadata(document))


def _page_lines(document: pdfium.PdfDocument, number: int) -> tuple[list[Line], float]:
    page = document[number]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            lines: list[Line] = []
            position = 0
            for raw_line in re.split(r"\r\n|\n|\r", text):
                stripped = raw_line.strip()
                if stripped:
                    lead = position + len(raw_line) - len(raw_line.lstrip())
                    _, bottom, _, top = textpage.get_charbox(lead, loose=True)
                    lines.append(Line(" ".join(stripped.split()), bottom, top - bottom))
                position += len(raw_line) + _newline_length(text, position + len(raw_line))
            return lines, page.get_height()
        finally:
            textpage.close()
    finally:
        page.close()


def _newline_length(text: str, at: int) -> int:
    if text.startswith("\r\n", at):
        return 2
    return 1 if at < len(text) else 0


def _drop_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Without the lines in the top or bottom band of pages that repeat on other pages (digits aside: 'Page 3'),
    and without bare page numbers there."""
    def at_edge(line: Line, height: float) -> bool:
        return height > 0 and (line.bottom > height * (1 - _EDGE) or line.bottom < height * _EDGE)

    seen = Counter(key for page, height in zip(pages, heights, strict=True)
                   for key in {_DIGITS.sub("#", line.text.lower()) for line in page if at_edge(line, height)})
    return [[line for line in page
             if not (at_edge(line, height)
                     and (_PAGE_NUMBER.match(line.text) or seen[_DIGITS.sub("#", line.text.lower())] > 1))]
            for page, height in zip(pages, heights, strict=True)]


def _paragraphs(lines: list[Line]) -> list[str]:
    """Lines joined into paragraphs. A paragraph ends at a gap wider than the usual line step (for the font
    size), at a change of font size (a heading), or after a short line ending a sentence."""
    if not lines:
        return []
    steps = [previous.bottom - line.bottom for previous, line in itertools.pairwise(lines)
             if previous.bottom > line.bottom]
    usual_step = statistics.median(steps) if steps else 0.0
    usual_height = statistics.median(line.height for line in lines) or 1.0
    longest = max(len(line.text) for line in lines)
    paragraphs: list[list[str]] = [[lines[0].text]]
    for previous, line in itertools.pairwise(lines):
        step = previous.bottom - line.bottom
        scale = max(1.0, previous.height / usual_height)
        gap = usual_step > 0 and (step > usual_step * scale * _PARAGRAPH_GAP or step < 0)
        resized = not 0.8 < line.height / (previous.height or 1.0) < 1.25
        short_end = previous.text.endswith(_SENTENCE_END) and len(previous.text) < 0.7 * longest
        if gap or resized or short_end:
            paragraphs.append([line.text])
        else:
            paragraphs[-1].append(line.text)
    return [joined for joined in (join_lines(paragraph) for paragraph in paragraphs) if joined]


def paged_text(pages: list[list[str]]) -> tuple[str, list[int]]:
    """The pages' paragraphs as one text and the offset where each page starts; a sentence running over a
    page break is joined again (a word hyphenated across it mended)."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for paragraphs in pages:
        for index, paragraph in enumerate(paragraphs):
            if index == 0 and parts and _runs_on(parts[-1], paragraph):
                if parts[-1].endswith(("-", *_BREAK_HYPHENS)):
                    parts[-1], length = parts[-1][:-1], length - 1
                    separator = ""
                else:
                    separator = " "
            else:
                separator = "\n\n" if parts else ""
            if index == 0:
                starts.append(length + len(separator))
            parts.append(separator + paragraph)
            length += len(separator) + len(paragraph)
        if not paragraphs:
            starts.append(length)
    return "".join(parts), starts


def _runs_on(before: str, paragraph: str) -> bool:
    return not before.rstrip().endswith(_SENTENCE_END) and paragraph[:1].islower()


def join_lines(lines: list[str]) -> str:
    """Hard-wrapped lines as one line, mending words hyphenated at a line break."""
    text = ""
    for line in lines:
        typeset_break = text.endswith(_BREAK_HYPHENS)
        if typeset_break or (text.endswith("-") and text[-2:-1].isalpha() and line[:1].islower()):
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text.replace("\xad", "").replace("\x02", "").strip()


def _metadata(document: pdfium.PdfDocument) -> dict[str, object]:
    """Title, publication date and author from the document information, where set."""
    try:
        info = document.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        return {}
    metadata: dict[str, object] = {}
    if info.get("Title", "").strip():
        metadata["title"] = info["Title"].strip()
    if info.get("Author", "").strip():
        metadata["author"] = info["Author"].strip()
    date = re.match(r"^D:(\d{4})(\d{2})(\d{2})?", info.get("CreationDate", "") or info.get("ModDate", ""))
    if date:
        metadata["published"] = "-".join(part for part in date.groups() if part)
    return metadata
