"""Ingest: read source files (.txt, .md, .html) into plain-text Documents.

Front matter is parsed, markup removed, hard-wrapped lines reflowed and web-page
leftovers dropped. Each document's id is a hash of its file's bytes, so an
unchanged file keeps its id and its extracted facts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import markdown
import trafilatura
import yaml
from lxml import html as lxml_html

from briefgen.facts import Document

SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
WRAP_WIDTH = 100  # lines no longer than this, inside one block, are taken as hard-wrapped
_PUBLISHED = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_LEFTOVER = re.compile(
    r"^(visited \d+ times?.*|\d+ views?|recommended for you|related( articles| posts)?:?|read more:?|"
    r"avatar photo|about the author.*|share( this( article)?)?:?|source|tags?:.*|advertisement|"
    r"(share on )?(facebook|twitter|x|whatsapp|telegram|linkedin|email|print|copy link)|"
    r"written (and edited )?by .*|all rights reserved.*|©.*)$",
    re.IGNORECASE,
)
# Once one of these appears, the rest of the page is boilerplate, not article.
_TRAILER = re.compile(r"^(recommended for you|about the author.*|visited \d+ times?.*|related articles)$", re.I)
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")


class SkippedSourceError(Exception):
    """A source that cannot be used; the message says why in one line."""


@dataclass
class IngestResult:
    """Documents read, plus one warning line per source that was skipped."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def find_sources(root: Path, patterns: Iterable[str]) -> list[Path]:
    """Files under `root` matching any glob, with a supported suffix, sorted and unique."""
    found: set[Path] = set()
    for pattern in patterns:
        found.update(path for path in root.glob(pattern) if path.is_file())
    return sorted(path for path in found if path.suffix.lower() in SOURCE_SUFFIXES)


def read_sources(paths: Iterable[Path], root: Path | None) -> IngestResult:
    """Read each path; unusable ones are skipped with a warning instead of stopping the run."""
    result = IngestResult()
    for path in paths:
        try:
            result.documents.append(read_document(path, root))
        except SkippedSourceError as problem:
            result.skipped.append(f"{_label(path, root)}: {problem}")
    return result


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read one source file into a Document; raise SkippedSourceError if it is unusable."""
    label = _label(path, root)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SkippedSourceError(f"cannot read: {error.strerror or error}") from None
    if b"\x00" in raw[:8192]:
        raise SkippedSourceError("binary file, not text")
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SkippedSourceError(f"not UTF-8 text (byte {error.start})") from None
    if not source.strip():
        raise SkippedSourceError("empty file")
    if path.suffix.lower() in (".html", ".htm"):
        document = _from_html(source)
    else:
        document = _from_text(source, markdown_input=path.suffix.lower() in (".md", ".markdown"))
    if not document.text.strip():
        raise SkippedSourceError("no article text left after removing markup and page leftovers")
    document.id = hashlib.sha256(raw).hexdigest()[:16]
    document.path = label
    return document


def _label(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _from_text(source: str, markdown_input: bool) -> Document:
    metadata, body = _split_front_matter(source)
    paragraphs = _html_blocks(markdown.markdown(body)) if markdown_input else reflow(body)
    paragraphs = drop_leftovers(paragraphs)
    title = metadata.get("title")
    if title is None and paragraphs and _looks_like_heading(paragraphs[0]):
        title = paragraphs.pop(0)
    elif paragraphs and title is not None and paragraphs[0] == str(title).strip():
        paragraphs.pop(0)
    if metadata.get("outlet") is None and paragraphs and _looks_like_outlet(paragraphs[0]):
        metadata["outlet"] = paragraphs.pop(0)
    return _document(metadata, paragraphs, title)


def _from_html(source: str) -> Document:
    meta = trafilatura.extract_metadata(source)
    text = trafilatura.extract(
        source, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
    )
    paragraphs = drop_leftovers([line for line in (text or "").split("\n") if line.strip()])
    metadata: dict[str, object] = {}
    if meta is not None:
        metadata = {"title": meta.title, "url": meta.url, "outlet": meta.sitename, "published": meta.date}
    if paragraphs and metadata.get("title") and paragraphs[0].strip() == metadata["title"]:
        paragraphs.pop(0)
    return _document(metadata, paragraphs, metadata.get("title"))


def _document(metadata: dict[str, object], paragraphs: list[str], title: object) -> Document:
    return Document(
        id="",
        path="",
        text="\n\n".join(paragraphs),
        title=_text_or_none(title),
        published=_published(metadata.get("published")),
        url=_text_or_none(metadata.get("url")),
        outlet=_text_or_none(metadata.get("outlet")),
        releasable=metadata.get("releasable", True) is not False,
    )


def _split_front_matter(source: str) -> tuple[dict[str, object], str]:
    if not source.lstrip().startswith("---"):
        return {}, source
    try:
        post = frontmatter.loads(source)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 2}: " if mark else ""
        raise SkippedSourceError(f"{where}front matter is not valid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise SkippedSourceError(f"front matter is not valid YAML: {error}") from None
    unknown = sorted(set(post.metadata) - {"title", "published", "url", "outlet", "releasable", "tags"})
    if unknown:
        raise SkippedSourceError(
            f"front matter: unknown field '{unknown[0]}'; valid: title, published, url, outlet, releasable, tags"
        )
    return dict(post.metadata), post.content


def _published(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()[:10]
    if not _PUBLISHED.match(text):
        raise SkippedSourceError(f"front matter: published: expected YYYY-MM-DD or YYYY-MM, got '{value}'")
    return text


def _text_or_none(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def reflow(text: str) -> list[str]:
    """Split plain text into paragraphs, joining hard-wrapped lines.

    Blank lines separate blocks. A block whose lines (but the last) are all short
    is one hard-wrapped paragraph; a block of long lines holds one paragraph per line.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [" ".join(line.split()) for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(len(line) <= WRAP_WIDTH for line in lines[:-1]) and not _is_list(lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def drop_leftovers(paragraphs: list[str]) -> list[str]:
    """Remove web-page leftovers: share buttons, visit counters, author boxes and what follows them."""
    kept: list[str] = []
    for paragraph in paragraphs:
        line = paragraph.strip()
        if _TRAILER.match(line):
            break
        if not _LEFTOVER.match(line):
            kept.append(line)
    return kept


def _is_list(lines: list[str]) -> bool:
    return sum(bool(re.match(r"^([-*•]|\d+[.)])\s", line)) for line in lines) > 1


def _looks_like_heading(paragraph: str) -> bool:
    return len(paragraph) <= 160 and not paragraph.rstrip().endswith((".", "”", '"'))


def _looks_like_outlet(paragraph: str) -> bool:
    return len(paragraph.split()) <= 4 and not paragraph.rstrip().endswith((".", ":", "”"))


def _html_blocks(fragment: str) -> list[str]:
    """The text of each block element of an HTML fragment (rendered Markdown)."""
    if not fragment.strip():
        return []
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = tree.xpath("|".join(f".//{tag}" for tag in _BLOCK_TAGS))
    texts = [" ".join(block.text_content().split()) for block in blocks if not _has_block_child(block)]
    return [text for text in texts if text]


def _has_block_child(element: lxml_html.HtmlElement) -> bool:
    return any(child.tag in _BLOCK_TAGS for child in element.iterdescendants())
