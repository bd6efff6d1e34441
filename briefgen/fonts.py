"""The brief's typeface, Source Sans Pro (SIL OFL 1.1), shipped with briefgen from PyPI.

The PDF loads the font files through the renderer's restrictive fetcher and WeasyPrint subsets them
into the PDF itself. The HTML carries its own copy: each face the stylesheets use, subset with
fontTools to the characters of that one document and compressed as WOFF2, inlined as an
`@font-face` rule with a `data:` URL, so the page looks the same on every machine and still loads
nothing from anywhere.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import io
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import font_source_sans_pro
import fontTools
from fontTools.ttLib import TTFont

from briefgen.atomic import write_atomically

FAMILY = "Source Sans Pro"
FONT_FOLDER = Path(font_source_sans_pro.font_directory)
# Always in the subset: printable ASCII, the punctuation and symbols of briefgen's own templates and
# stylesheets, and common typographic punctuation; so the four audiences of one brief mostly share
# one subset, which is cut once per process.
ALWAYS = frozenset(chr(code) for code in range(0x20, 0x7F)) | frozenset("·—–…→×▲▼◆‘’“”•−°€£")


@dataclass(frozen=True)
class Face:
    """One face of the family: its file's style name and its CSS weight and style."""

    style_name: str
    weight: int
    style: str

    @property
    def path(self) -> Path:
        """The shipped TrueType file."""
        return FONT_FOLDER / f"SourceSansPro-{self.style_name}.ttf"


# Every face the PDF may need; the HTML embeds those the stylesheets use (regular, italic, bold).
PDF_FACES = (Face("Regular", 400, "normal"), Face("It", 400, "italic"), Face("Semibold", 600, "normal"),
             Face("SemiboldIt", 600, "italic"), Face("Bold", 700, "normal"), Face("BoldIt", 700, "italic"))
HTML_FACES = (PDF_FACES[0], PDF_FACES[1], PDF_FACES[4])


def pdf_font_faces_css() -> str:
    """`@font-face` rules for every shipped face, as file URLs the PDF renderer's fetcher allows."""
    return "\n".join(_rule(face, f'url("{face.path.as_uri()}") format("truetype")') for face in PDF_FACES)


def html_font_faces_css(document: str, cache: Path | None = None) -> str:
    """`@font-face` rules embedding the HTML faces, each subset to the characters of `document` (its
    markup, text and stylesheet; character references read as the characters they stand for) that
    the font has, and to ALWAYS (cached: audiences of one brief mostly share one set). Subsets are kept
    in the folder `cache` when given: the next edition, whose pages mostly use the same characters,
    does not cut them again (compressing them is most of the cost)."""
    characters = (frozenset(html.unescape(document)) | ALWAYS) & _repertoire()
    return _html_font_faces_css(characters, cache)


@lru_cache(maxsize=8)
def _html_font_faces_css(characters: frozenset[str], cache: Path | None) -> str:
    rules = []
    for face in HTML_FACES:
        woff2 = base64.b64encode(_cached_subset(face, characters, cache)).decode("ascii")
        rules.append(_rule(face, f'url("data:font/woff2;base64,{woff2}") format("woff2")'))
    return "\n".join(rules)


def _cached_subset(face: Face, characters: frozenset[str], cache: Path | None) -> bytes:
    """`subset_font`, read from the cache folder when it holds this cut (named by a digest of the font file's
    size and time, fontTools' version and the characters), else cut and saved there."""
    if cache is None:
        return subset_font(face, characters)
    stat = face.path.stat()
    key = f"{face.path.name}|{stat.st_size}|{stat.st_mtime_ns}|{fontTools.version}|{''.join(sorted(characters))}"
    path = cache / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.woff2"
    with contextlib.suppress(OSError):
        return path.read_bytes()
    cut = subset_font(face, characters)
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        cache.mkdir(parents=True, exist_ok=True)
        write_atomically(path, cut)
    return cut


def subset_font(face: Face, characters: frozenset[str]) -> bytes:
    """The face cut to `characters` (those the font has), as WOFF2 bytes; kerning and ligatures kept."""
    return _subset(face.path.read_bytes(), characters, flavor="woff2")


@cache
def _repertoire() -> frozenset[str]:
    """The characters the regular face draws (the other faces draw the same)."""
    return frozenset(chr(code) for code in TTFont(HTML_FACES[0].path, lazy=True).getBestCmap())


def _subset(source: bytes, characters: frozenset[str], flavor: str | None) -> bytes:
    from fontTools import subset  # imported when a font is cut: a tenth of a second at every start otherwise

    font = TTFont(io.BytesIO(source))
    options = subset.Options()
    options.hinting = False  # screens and PDF viewers hint on their own; hints are a third of the size
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters)))
    subsetter.subset(font)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _rule(face: Face, source: str) -> str:
    return (f'@font-face {{ font-family: "{FAMILY}"; src: {source}; font-weight: {face.weight}; '
            f"font-style: {face.style}; }}")
