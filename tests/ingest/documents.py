"""Real PDF and DOCX files written for the tests: PDFs typeset by WeasyPrint, DOCX by python-docx."""

from __future__ import annotations

import base64
import datetime as dt
import io
import struct
import zlib
from pathlib import Path

import docx
import weasyprint
from pypdf import PdfReader, PdfWriter

PAGE_STYLE = """
@page { size: A6; margin: 2cm 1.2cm;
        @top-center { content: "Sahel Monitor — Quarterly"; font-size: 8pt }
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt } }
body { font-size: 10pt } p { margin: 0 0 1em }
.page { break-before: page }
"""


def pdf_bytes(body: str, head: str = "", style: str = PAGE_STYLE) -> bytes:
    """A PDF typeset from an HTML body; `head` may hold <title> and <meta> (PDF metadata)."""
    html = f'<html lang="en"><head><meta charset="utf-8">{head}<style>{style}</style></head><body>{body}</body></html>'
    return weasyprint.HTML(string=html).write_pdf()


def encrypted(pdf: bytes, password: str = "secret") -> bytes:
    """The same PDF, encrypted with a user password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A PDF holding one grey image and no text: what a scanner makes."""
    width = height = 64
    rows = b"".join(b"\x00" + bytes([128]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    source = "data:image/png;base64," + base64.b64encode(png).decode()
    return pdf_bytes(f'<img src="{source}" style="width: 8cm">', style="@page { size: A6 }")


def docx_bytes(paragraphs: list[tuple[str, str]], title: str | None = None, author: str | None = None,
               created: dt.datetime | None = None, table: list[list[str]] | None = None) -> bytes:
    """A DOCX of (style, text) paragraphs, with core properties and optionally a table."""
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    properties = document.core_properties
    properties.title, properties.author = title or "", author or ""
    properties.created = created or dt.datetime(2000, 1, 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write(folder: Path, name: str, content: bytes | str) -> Path:
    """Write a file in `folder` (text as UTF-8)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
