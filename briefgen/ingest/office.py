"""DOCX sources: body paragraphs in order (python-docx), headings included, and the core properties.

Tables are left out: in reports they mostly hold layout or figures without the sentences facts are read
from, and their cells read as fragments when flattened into text.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass, field

import docx
from docx.opc.coreprops import CoreProperties
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from briefgen.config import SourceLimits
from briefgen.ingest.fields import SkippedSourceError

# A DOCX is a zip: its parts may unpack to at most this many times the file's size limit (a zip bomb does more).
_UNPACKED_RATIO = 8
# What a damaged or foreign zip makes python-docx raise while it unpacks and parses the parts.
_DAMAGE = (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError, OSError, etree.XMLSyntaxError,
           KeyError, ValueError)


@dataclass
class DocxText:
    """A DOCX's paragraphs, its first heading, and its core-properties metadata."""

    paragraphs: list[str] = field(default_factory=list)
    heading: str | None = None
    metadata: dict[str, object] = field(default_factory=dict)


def read_docx(raw: bytes, limits: SourceLimits) -> DocxText:
    """The text and metadata of a DOCX; SkippedSourceError when it is not one or holds no text."""
    _check_unpacked_size(raw, limits)
    try:
        document = docx.Document(io.BytesIO(raw))
    except _DAMAGE as error:
        raise SkippedSourceError(f"not a readable DOCX file (damaged: {_first_line(error)})") from None
    result = DocxText(metadata=_metadata(document.core_properties))
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        if result.heading is None and _is_heading(paragraph.style.name if paragraph.style else ""):
            result.heading = text
        result.paragraphs.append(text)
    if not result.paragraphs:
        raise SkippedSourceError("no text in the document's body (tables are not read)")
    return result


def _check_unpacked_size(raw: bytes, limits: SourceLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SkippedSourceError(f"not a readable DOCX file (not a zip archive: {error})") from None
    if unpacked > limits.source_bytes * _UNPACKED_RATIO:
        raise SkippedSourceError(f"unpacks to {unpacked:,} bytes; the limit is {_UNPACKED_RATIO} times "
                                 "limits.source_bytes in config/briefgen.yaml")


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__


def _is_heading(style: str) -> bool:
    return style == "Title" or style.startswith("Heading")


def _metadata(properties: CoreProperties) -> dict[str, object]:
    metadata: dict[str, object] = {}
    if (properties.title or "").strip():
        metadata["title"] = properties.title.strip()
    if (properties.author or "").strip():
        metadata["author"] = properties.author.strip()
    date = properties.created or properties.modified
    if isinstance(date, dt.datetime):
        metadata["published"] = date.date().isoformat()
    return metadata
