"""Ingest: read source files (.txt, .md, .html, .pdf, .docx) into plain-text Documents.

Front matter is parsed, markup removed, hard-wrapped lines reflowed and web-page
leftovers dropped. A PDF's text is read page by page (`Document.pages` holds where
each page starts in the text), without running headers, footers and page numbers.
A sidecar file (`report.pdf.meta.yaml`) sets metadata for any source, over what the
file itself says. Each document's id is a hash of its file's bytes, so an unchanged
file keeps its id and its extracted facts.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from frontmatter.default_handlers import YAMLHandler
from lxml import html as lxml_html

from briefgen.config import SourceLimits
from briefgen.facts import Document
from briefgen.ingest.cache import CachedSource, SourceCache
from briefgen.ingest.fields import FRONT_MATTER_FIELDS, SkippedSourceError, parse_fields, published
from briefgen.ingest.pdf import paged_text, read_pdf
from briefgen.ingest.sidecar import SIDECAR_SUFFIX, is_sidecar, read_sidecar, sidecar_path
from briefgen.workerpool import worker_pool

__all__ = [
    "FRONT_MATTER_FIELDS", "SOURCE_SUFFIXES", "IngestResult", "SkippedSourceError", "SourceFiles", "drop_leftovers",
    "find_sources", "read_document", "read_sidecar", "read_sources", "reflow", "sidecar_path",
]
SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
# Files to read per worker process before it pays for its start (about a second: a spawned interpreter imports
# the readers); fewer are read in this process.
PARALLEL_FROM = 200
READ_CHUNK = 16  # files sent to a reading worker at a time
WRAP_WIDTH = 100  # lines no longer than this, inside one block, are taken as hard-wrapped
_TRUE, _FALSE = ("true", "yes", "on"), ("false", "no", "off")
# Metadata shown in every brief that cites the source: longer values are cut, with an ellipsis.
MAX_TITLE, MAX_OUTLET, MAX_URL = 300, 120, 2000
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


@dataclass
class IngestResult:
    """Documents read, one line per source that was skipped, and one per problem that did not stop a source."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class SourceFiles:
    """The files under a folder that globs match, each glob walked once: a build asks for the same globs to read
    the sources, to name those it does not read, to give each source entry's options and to pick each brief's
    documents (at 10,000 sources, a fifth of a second a walk and its sorting)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._found: dict[str, list[Path]] = {}
        self._names: dict[Path, str] = {}

    def matched(self, patterns: Iterable[str]) -> list[Path]:
        """The files any of the globs match, sorted and unique."""
        found: set[Path] = set()
        for pattern in patterns:
            if pattern not in self._found:
                self._found[pattern] = [path for path in self.root.glob(pattern) if path.is_file()]
            found.update(self._found[pattern])
        return sorted(found, key=lambda path: path.parts)  # Path's own order, without a Python call per comparison

    def sources(self, patterns: Iterable[str]) -> list[Path]:
        """The files the globs match with a supported suffix, sorted and unique."""
        return [path for path in self.matched(patterns) if path.suffix.lower() in SOURCE_SUFFIXES]

    def source_names(self, patterns: Iterable[str]) -> set[str]:
        """The sources the globs match by their path from the root, as `Document.path` names them."""
        return {self.name(path) for path in self.sources(patterns)}

    def name(self, path: Path) -> str:
        """A matched file's path from the root, with forward slashes (`Document.path`)."""
        if path not in self._names:
            self._names[path] = path.relative_to(self.root).as_posix()
        return self._names[path]

    def unsupported(self, patterns: Iterable[str]) -> list[str]:
        """A line for each file the globs match that briefgen does not read (hidden files aside), so that
        nothing a user put among the sources is passed over without a word; a sidecar is named only when the
        file it describes is missing."""
        kinds = ", ".join(SOURCE_SUFFIXES)
        lines = []
        for path in self.matched(patterns):
            if path.name.startswith("."):
                continue
            if is_sidecar(path):
                described = path.with_name(path.name[: -len(SIDECAR_SUFFIX)])
                if not described.is_file():
                    lines.append(f"{_label(path, self.root)}: a sidecar of {described.name}, which is not there")
            elif path.suffix.lower() not in SOURCE_SUFFIXES:
                lines.append(f"{_label(path, self.root)}: not a kind of source briefgen reads "
                             f"({path.suffix.lower() or 'no suffix'}); it reads {kinds}")
        return lines


def find_sources(root: Path, patterns: Iterable[str]) -> list[Path]:
    """Files under `root` matching any glob, with a supported suffix, sorted and unique."""
    return SourceFiles(root).sources(patterns)


def read_sources(paths: Iterable[Path], root: Path | None, limits: SourceLimits | None = None,
                 cache: SourceCache | None = None, on_read: Callable[[], None] | None = None) -> IngestResult:
    """Read each path; unusable ones are skipped with a warning instead of stopping the run. With a cache,
    a file unchanged since it was last read is taken from the cache instead of being read again. Many files
    to read are read in worker processes (`PARALLEL_FROM`); `on_read` is called once for each path."""
    result, limits, paths = IngestResult(), limits or SourceLimits(), list(paths)
    cached = _cached(paths, cache, on_read)
    unread = [path for path in paths if path not in cached]
    fresh = dict(zip(unread, _read_all(unread, root, limits, on_read), strict=True))
    for path in paths:
        read = fresh[path] if path in fresh else cached[path]
        if isinstance(read, str):
            result.skipped.append(read)
            continue
        if path in fresh and cache is not None:
            cache.remember(path, read)
        label = _label(path, root)
        result.documents.append(read.document)
        result.warnings += [f"{label}: {line}" for line in read.warnings]
    return result


def _cached(paths: list[Path], cache: SourceCache | None,
            on_read: Callable[[], None] | None) -> dict[Path, CachedSource]:
    """The paths the cache holds unchanged, as it holds them."""
    found: dict[Path, CachedSource] = {}
    if cache is None:
        return found
    for path in paths:
        if (hit := cache.lookup(path)) is not None:
            found[path] = hit
            if on_read is not None:
                on_read()
    return found


def _read_all(paths: list[Path], root: Path | None, limits: SourceLimits,
              on_read: Callable[[], None] | None) -> Iterator[CachedSource | str]:
    """Each path read (`_read_or_skip`), in order: in worker processes when there are many and cores to spare."""
    read = functools.partial(_read_or_skip, root=root, limits=limits)
    processes = min(os.cpu_count() or 1, len(paths) // PARALLEL_FROM)
    if processes < 2:
        results: Iterator[CachedSource | str] = map(read, paths)
        yield from _counted(results, on_read)
        return
    done = 0
    executor = worker_pool(processes)
    try:
        for result in _counted(executor.map(read, paths, chunksize=READ_CHUNK), on_read):
            yield result
            done += 1
    except BrokenProcessPool:  # a worker died (a parser crashed it): the rest is read here, as it once all was
        yield from _counted(map(read, paths[done:]), on_read)
    finally:  # on Ctrl-C or an error, the files not yet sent to a worker are not read
        executor.shutdown(wait=True, cancel_futures=True)


def _counted(results: Iterator[CachedSource | str], on_read: Callable[[], None] | None) -> Iterator[CachedSource | str]:
    """The results, calling `on_read` (if any) for each."""
    for result in results:
        if on_read is not None:
            on_read()
        yield result


def _read_or_skip(path: Path, root: Path | None, limits: SourceLimits) -> CachedSource | str:
    """A source read, or the line saying why it is skipped."""
    try:
        return _read_one(path, root, limits)
    except SkippedSourceError as problem:
        return problem.located(_label(path, root))
    except Exception as error:  # one source must never stop the others, whatever the parser does
        return f"{_label(path, root)}: cannot read: {type(error).__name__}: {error}"


def _read_one(path: Path, root: Path | None, limits: SourceLimits) -> CachedSource:
    """A source's Document and the warnings reading it gave."""
    warnings: list[str] = []
    return CachedSource(read_document(path, root, limits, warnings.append), warnings)


def read_document(path: Path, root: Path | None = None, limits: SourceLimits | None = None,
                  warn: Callable[[str], None] | None = None) -> Document:
    """Read one source file into a Document; raise SkippedSourceError if it is unusable.

    `warn` receives one line per problem that does not make the source unusable.
    """
    limits, warn = limits or SourceLimits(), warn or _ignore
    raw = _read_bytes(path, root, limits)
    sidecar = read_sidecar(path, limits, _label(path, root))
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        document = _from_pdf(raw, sidecar, limits, warn)
    elif suffix == ".docx":
        document = _from_docx(raw, sidecar, limits, warn)
    else:
        document = _from_source_text(raw, suffix, sidecar, limits, warn)
    if not document.text.strip():
        raise SkippedSourceError("no article text left after removing markup and page leftovers")
    if len(document.text) > limits.text_characters:
        raise SkippedSourceError(f"{len(document.text):,} characters of text; the limit is "
                                 f"{limits.text_characters:,} (limits.text_characters in config/briefgen.yaml)")
    document.id = hashlib.sha256(raw).hexdigest()[:16]
    document.path = _label(path, root)
    return document


def _from_source_text(raw: bytes, suffix: str, sidecar: dict[str, object], limits: SourceLimits,
                      warn: Callable[[str], None]) -> Document:
    if b"\x00" in raw[:8192]:
        raise SkippedSourceError("binary file, not text")
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SkippedSourceError(f"not UTF-8 text (byte {error.start})") from None
    if not source.strip():
        raise SkippedSourceError("empty file")
    if suffix in (".html", ".htm"):
        return _from_html(source, sidecar, warn)
    return _from_text(source, suffix in (".md", ".markdown"), sidecar, limits, warn)


def _from_pdf(raw: bytes, sidecar: dict[str, object], limits: SourceLimits, warn: Callable[[str], None]) -> Document:
    pdf = read_pdf(raw, limits, warn)
    metadata = {**_embedded(pdf.metadata, warn), **sidecar}
    title = metadata.get("title")
    first_page = next((page for page in pdf.pages if page), [])
    if title is None and first_page and _looks_like_heading(first_page[0]):
        title = first_page.pop(0)
    elif first_page and title is not None and first_page[0] == str(title).strip():
        first_page.pop(0)
    document = _document(metadata, [], title, warn)
    document.text, document.pages = paged_text(pdf.pages)
    return document


def _embedded(metadata: dict[str, object], warn: Callable[[str], None]) -> dict[str, object]:
    """A binary file's own metadata as source fields: a date it cannot parse is dropped with a warning, and its
    author stands in for the outlet."""
    fields = {key: value for key, value in metadata.items() if key in ("title", "published")}
    try:
        fields["published"] = published(metadata.get("published"), "document properties")
    except SkippedSourceError as problem:
        warn(f"{problem}; the date is left out")
        fields.pop("published", None)
    if metadata.get("author"):
        fields["outlet"] = metadata["author"]
    return fields


def _from_docx(raw: bytes, sidecar: dict[str, object], limits: SourceLimits,
               warn: Callable[[str], None]) -> Document:
    from briefgen.ingest.office import read_docx  # python-docx imported when a .docx is read: 60 ms at every start

    docx = read_docx(raw, limits)
    metadata = {**_embedded(docx.metadata, warn), **sidecar}
    title = metadata.get("title") or docx.heading
    paragraphs = list(docx.paragraphs)
    if paragraphs and title is not None and paragraphs[0] == str(title).strip():
        paragraphs.pop(0)
    return _document(metadata, paragraphs, title, warn)


def _ignore(line: str) -> None:
    """Drop a warning nobody asked for."""


def _read_bytes(path: Path, root: Path | None, limits: SourceLimits) -> bytes:
    try:
        if root is not None and not path.resolve().is_relative_to(root.resolve()):
            raise SkippedSourceError("links to a file outside the project; copy the file into the project")
        size = path.stat().st_size
        if size > limits.source_bytes:
            raise SkippedSourceError(f"{size:,} bytes; the limit is {limits.source_bytes:,} "
                                     "(limits.source_bytes in config/briefgen.yaml)")
        with path.open("rb") as handle:
            return handle.read(limits.source_bytes + 1)
    except OSError as error:
        raise SkippedSourceError(f"cannot read: {error.strerror or error}") from None


def _label(path: Path, root: Path | None) -> str:
    """The path relative to the project (through symlinked folders too), else as given."""
    if root is not None:
        for paths in (lambda: (Path(os.path.abspath(path)), Path(os.path.abspath(root))),
                      lambda: (path.resolve(), root.resolve())):  # links resolved only when needed
            candidate, base = paths()
            if candidate.is_relative_to(base):
                return candidate.relative_to(base).as_posix()
    return str(path)


def _from_text(source: str, markdown_input: bool, sidecar: dict[str, object], limits: SourceLimits,
               warn: Callable[[str], None]) -> Document:
    front_matter, body = _split_front_matter(source, limits)
    metadata = {**front_matter, **sidecar}
    paragraphs = _html_blocks(markdown.markdown(body)) if markdown_input else reflow(body)
    paragraphs = drop_leftovers(paragraphs)
    title = metadata.get("title")
    if title is None and paragraphs and _looks_like_heading(paragraphs[0]):
        title = paragraphs.pop(0)
    elif paragraphs and title is not None and paragraphs[0] == str(title).strip():
        paragraphs.pop(0)
    if metadata.get("outlet") is None and paragraphs and _looks_like_outlet(paragraphs[0]):
        metadata["outlet"] = paragraphs.pop(0)
    return _document(metadata, paragraphs, title, warn)


def _from_html(source: str, sidecar: dict[str, object], warn: Callable[[str], None]) -> Document:
    import trafilatura  # imported when a web page is read: a tenth of a second at every start otherwise

    meta = trafilatura.extract_metadata(source)
    text = trafilatura.extract(
        source, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
    )
    paragraphs = drop_leftovers([line for line in (text or "").split("\n") if line.strip()])
    metadata: dict[str, object] = {}
    if meta is not None:
        metadata = {"title": meta.title, "url": meta.url, "outlet": meta.sitename, "published": meta.date}
    metadata.update(sidecar)
    for title in {metadata.get("title"), meta.title if meta is not None else None}:
        if paragraphs and title and paragraphs[0].strip() == title:
            paragraphs.pop(0)
    return _document(metadata, paragraphs, metadata.get("title"), warn)


def _document(metadata: dict[str, object], paragraphs: list[str], title: object,
              warn: Callable[[str], None]) -> Document:
    return Document(
        id="",
        path="",
        text="\n\n".join(paragraphs),
        title=_text_or_none(title, MAX_TITLE),
        published=published(metadata.get("published")),
        url=_text_or_none(metadata.get("url"), MAX_URL),
        outlet=_text_or_none(metadata.get("outlet"), MAX_OUTLET),
        releasable=_releasable(metadata.get("releasable", True), warn),
        language=_text_or_none(metadata.get("language"), 40),
        fetched=_text_or_none(metadata.get("fetched"), 40),
        grade=str(metadata["grade"]) if metadata.get("grade") is not None else None,
    )


def _split_front_matter(source: str, limits: SourceLimits) -> tuple[dict[str, object], str]:
    """The front matter's fields (validated) and the text after it; SkippedSourceError when unusable."""
    text = source.lstrip()
    if not text.startswith("---"):
        return {}, source
    try:
        block, body = YAMLHandler().split(text)
    except ValueError:
        return {}, source
    if len(block.encode("utf-8")) > limits.front_matter_bytes:
        raise SkippedSourceError(f"front matter is over {limits.front_matter_bytes:,} bytes "
                                 "(limits.front_matter_bytes in config/briefgen.yaml)")
    # The block starts with the rest of the opening '---' line: its line 0 is that line of the file.
    opening_line = source[: len(source) - len(text)].count("\n") + 1
    return parse_fields(block, opening_line, "front matter"), body


def _releasable(value: object, warn: Callable[[str], None]) -> bool:
    """Front matter `releasable`, read strictly: a value that is not clearly true keeps the source restricted."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    shown = str(value)[:40]
    warn(f"front matter: releasable: '{shown}' is not true or false; the source is kept out of releasable editions")
    return False


def _text_or_none(value: object, limit: int) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


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


_DATELINE_LINE = re.compile(r"^[A-ZÀ-Þ]{4,}(?:[ /-][A-ZÀ-Þ]+)*\W*$")


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
    """A short line without closing punctuation, not written in capitals: "PARIS" on its own line is a
    dateline, which stays in the text."""
    return (len(paragraph.split()) <= 4 and not paragraph.rstrip().endswith((".", ":", "”"))
            and not _DATELINE_LINE.match(paragraph))


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
