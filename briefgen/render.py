"""Render: a brief's template context to HTML (Jinja2) and PDF (WeasyPrint).

Templates are looked up most specific first: the audience's override folder, the
project's templates/, then the built-in ones; `default:NAME` always reaches the
built-in NAME, so an override can extend what it replaces. Rendering fetches
nothing from the network and no file outside the project's and briefgen's
template and static folders.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import multiprocessing
import os
import re
import secrets
import signal
import stat
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache
import tinycss2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from briefgen import fonts, urlpolicy
from briefgen.assemble.dates import date_label, precision_of
from briefgen.assemble.views import BriefView
from briefgen.editions import EditionRecord
from briefgen.errors import BriefgenError, ConfigError
from briefgen.extract.world import cache_folder
from briefgen.project import BUILTIN_STATIC, BUILTIN_TEMPLATES, Project
from briefgen.workerpool import stop

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration

    from briefgen.pagefetcher import ProjectFetcher

STYLESHEETS = ("brief.css",)
LONG_RUN = 40  # characters without a space after which text output gets a break opportunity
MAX_SHOWN = 1500  # characters of any one text shown in a brief (a quote, a sentence, a title)
_LONG_RUN = re.compile(rf"[^\s\u200b]{{{LONG_RUN}}}(?=[^\s\u200b])")
PRINT_STYLESHEETS = ("print.css",)

FONT_CACHE = ".briefgen/fonts"  # the HTML's font subsets, kept for the next edition (`fonts.html_font_faces_css`)


@dataclass
class LaidOut:
    """A brief laid out in pages for its PDF, and the URLs refused while laying it out (each once)."""

    pages: int
    refused: list[str] = field(default_factory=list)
    pdf: bytes | None = None  # written by a layout process, which cannot hand back its laid-out pages
    document: Document | None = None  # laid out in this process: written as PDF only when asked (`pdf_of`)


class Renderer:
    """Renders briefs of one project; keeps one font configuration and one Jinja env per audience.

    Used as a context manager, it can lay out PDFs in a process of its own (`use_layout_process`), so that a
    build assembles its next brief while the last is laid out; leaving the block ends that process.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._environments: dict[str, jinja2.Environment] = {}
        self._stylesheets: dict[str, list[CSS]] = {}
        self._inline_css: dict[str, str] = {}
        self._layout_process: ProcessPoolExecutor | None = None

    def __enter__(self) -> Renderer:
        return self

    # WeasyPrint (half a second to import) is loaded when a PDF is first laid out in this process, not before: a
    # build whose PDFs are laid out in a layout process of their own never loads it here.
    @cached_property
    def font_config(self) -> FontConfiguration:
        """The fonts WeasyPrint lays out with, configured once per renderer."""
        from weasyprint.text.fonts import FontConfiguration

        return FontConfiguration()

    @cached_property
    def fetcher(self) -> ProjectFetcher:
        """What loads the stylesheets' and the brief's URLs when laying out: the allowed folders only."""
        from briefgen.pagefetcher import ProjectFetcher

        return ProjectFetcher(self._asset_folders())

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the layout process, if one was started: what it has not laid out is dropped, and it is ended rather
        than waited for (its own exit, freeing what WeasyPrint holds, takes a good part of a second)."""
        if self._layout_process is not None:
            stop(self._layout_process)
            self._layout_process = None

    def use_layout_process(self) -> None:
        """Lay out PDFs (`start_layout`) in a process of their own from now on; it starts now, so that it is ready
        (WeasyPrint imported: about two seconds) by the time the first brief is assembled."""
        if self._layout_process is None:
            self._layout_process = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                       initializer=_start_layout_process, initargs=(self.project,))
            self._layout_process.submit(_layout_process_ready)

    def _asset_folders(self) -> list[Path]:
        folders = [BUILTIN_TEMPLATES, BUILTIN_STATIC, fonts.FONT_FOLDER,
                   self.project.path(self.project.settings.templates), self.project.path(self.project.settings.static)]
        folders += [self.project.path(a.templates) for a in self.project.audiences.values() if a.templates]
        return folders

    def environment(self, audience: str) -> jinja2.Environment:
        """The Jinja environment for an audience: its override folder first."""
        if audience not in self._environments:
            self._environments[audience] = _environment(self._template_folders(audience))
        return self._environments[audience]

    def _template_folders(self, audience: str) -> list[Path]:
        config = self.project.audiences.get(audience)
        folders = [self.project.path(config.templates)] if config and config.templates else []
        return [*folders, self.project.path(self.project.settings.templates)]

    def html(self, view: BriefView, for_pdf: bool = False) -> str:
        """The brief as an HTML page; self-contained (CSS inlined) unless it is for the PDF."""
        environment = self.environment(view.audience.name)
        candidates = [f"brief-{view.audience.name}.html", "brief.html"]
        try:
            template = environment.select_template(candidates)
            if for_pdf:
                return template.render(brief=view, stylesheet=None,
                                       templates_considered=_considered(candidates, template.name))
            marker = _font_marker()
            page = template.render(
                brief=view, stylesheet=Markup(marker + self._stylesheet_text(STYLESHEETS)),
                templates_considered=_considered(candidates, template.name),
            )
            return _embed_fonts(page, marker, self.project.path(FONT_CACHE))
        except jinja2.TemplateError as error:
            raise ConfigError(_template_error(error)) from None

    def index_html(self, title: str, brief: str, editions: list[EditionRecord]) -> str:
        """The page listing every edition of a brief, newest first, with links to its files."""
        try:
            template = self.environment("").get_template("index.html")
            marker = _font_marker()
            page = template.render(title=title, brief=brief, editions=list(reversed(editions)),
                                   stylesheet=Markup(marker + self._stylesheet_text(STYLESHEETS)))
            return _embed_fonts(page, marker, self.project.path(FONT_CACHE))
        except jinja2.TemplateError as error:
            raise ConfigError(_template_error(error)) from None

    def pdf(self, view: BriefView) -> tuple[bytes, int]:
        """The brief as PDF bytes, with its page count."""
        document = self.layout(view)
        return self.pdf_bytes(document), len(document.pages)

    def layout(self, view: BriefView) -> Document:
        """The brief laid out in pages for its PDF: enough to count them; `pdf_bytes` writes the file."""
        return self._layout_html(self.html(view, for_pdf=True), view.page_size)

    def start_layout(self, view: BriefView) -> Future[LaidOut]:
        """The brief laid out in pages for its PDF (`pdf_of` writes the file): in the layout process when there is
        one, while this process goes on; else here, before this returns."""
        html = self.html(view, for_pdf=True)  # templates are run here: their errors are this process's
        if self._layout_process is not None:
            try:
                return self._layout_process.submit(_lay_out, html, view.page_size)
            except BrokenProcessPool:
                raise _layout_process_died() from None
        done: Future[LaidOut] = Future()
        document = self._layout_html(html, view.page_size)
        done.set_result(LaidOut(len(document.pages), self.refused_loads(), document=document))
        return done

    def pdf_of(self, laid_out: LaidOut) -> bytes:
        """A brief laid out by `start_layout`, written as PDF."""
        if laid_out.pdf is not None:
            return laid_out.pdf
        assert laid_out.document is not None
        return self.pdf_bytes(laid_out.document)

    def _layout_html(self, html: str, page_size: str) -> Document:
        from weasyprint import HTML

        page = HTML(string=html, base_url=str(self.project.root) + "/", url_fetcher=self.fetcher)
        stylesheets = [self.font_faces, *self.stylesheets(STYLESHEETS + PRINT_STYLESHEETS), self._page_size(page_size)]
        with _quiet_weasyprint():
            return page.render(stylesheets=stylesheets, font_config=self.font_config)

    def pdf_bytes(self, document: Document) -> bytes:
        """A laid-out brief (`layout`) written as PDF, in the project's PDF variant."""
        variant = self.project.settings.pdf_variant
        with _quiet_weasyprint():
            return document.write_pdf(pdf_variant=variant, pdf_tags=variant is not None) or b""

    def refused_loads(self) -> list[str]:
        """The URLs the renderer refused to load since the last call (each once), for the build's warnings."""
        refused, self.fetcher.refused = list(dict.fromkeys(self.fetcher.refused)), []
        return refused

    def stylesheets(self, names: tuple[str, ...]) -> list[CSS]:
        """The stylesheets as CSS objects, each loaded through the restrictive fetcher."""
        from weasyprint import CSS

        key = ",".join(names)
        if key not in self._stylesheets:
            self._stylesheets[key] = [
                CSS(filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config)
                for path in self._stylesheet_paths(names)
            ]
        return self._stylesheets[key]

    @cached_property
    def font_faces(self) -> CSS:
        """The shipped fonts' `@font-face` rules, parsed once per renderer."""
        from weasyprint import CSS

        return CSS(string=fonts.pdf_font_faces_css(), url_fetcher=self.fetcher, font_config=self.font_config)

    def _page_size(self, size: str) -> CSS:
        from weasyprint import CSS

        return CSS(string=f"@page {{ size: {size}; }}", url_fetcher=self.fetcher, font_config=self.font_config)

    def _stylesheet_paths(self, names: tuple[str, ...]) -> list[Path]:
        """Each built-in stylesheet, then the project's file of the same name if there is one."""
        static = self.project.path(self.project.settings.static)
        paths = []
        for name in names:
            paths.append(BUILTIN_STATIC / name)
            if (static / name).is_file():
                paths.append(static / name)
        return paths

    def _stylesheet_text(self, names: tuple[str, ...]) -> str:
        """The stylesheets as one text to inline in a <style> element (see inline_css)."""
        key = "text:" + ",".join(names)
        if key not in self._inline_css:
            texts = []
            for path in self._stylesheet_paths(names):
                try:
                    texts.append(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError) as error:
                    raise ConfigError(f"{path}: cannot read the stylesheet: {error}") from None
            self._inline_css[key] = inline_css("\n".join(texts))
        return self._inline_css[key]

    def check_templates(self, audience: str) -> list[str]:
        """Compile every template the audience can reach; one line per template that fails."""
        environment = self.environment(audience)
        problems = []
        for name in environment.list_templates(filter_func=lambda name: name.endswith(".html")):
            try:
                environment.get_template(name)
            except jinja2.TemplateError as error:
                problems.append(_template_error(error))
        return problems


_layout_renderer: Renderer | None = None  # in a layout process: the renderer it lays out with


def _start_layout_process(project: Project) -> None:
    """Set up a layout process: Ctrl-C is its parent's to handle (it ends this process when it ends the pool)."""
    global _layout_renderer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _layout_renderer = Renderer(project)


def _layout_process_ready() -> None:
    """Nothing: asked of a new layout process only to have it start at once."""


def _lay_out(html: str, page_size: str) -> LaidOut:
    """In a layout process: a brief's print HTML laid out and written as PDF."""
    assert _layout_renderer is not None
    document = _layout_renderer._layout_html(html, page_size)
    return LaidOut(len(document.pages), _layout_renderer.refused_loads(), pdf=_layout_renderer.pdf_bytes(document))


def laid_out(layout: Future[LaidOut]) -> LaidOut:
    """What `Renderer.start_layout` laid out, once it is done; a BriefgenError when the layout process died."""
    try:
        return layout.result()
    except BrokenProcessPool:
        raise _layout_process_died() from None


def _layout_process_died() -> BriefgenError:
    return BriefgenError("the process laying out the PDF ended before it finished (out of memory?); build again")


def _considered(candidates: list[str], chosen: str | None) -> str:
    """The template names tried, the one used starred (the page's "Templates considered" comment)."""
    return ", ".join(("*" if name == chosen else "") + name for name in candidates)


def _font_marker() -> str:
    """A CSS comment no template or source text can contain, where the embedded font's rules go."""
    return f"/*briefgen-fonts-{secrets.token_hex(16)}*/"


def _embed_fonts(page: str, marker: str, cache: Path) -> str:
    """The page with the marker (if the template shows the stylesheet) replaced by `@font-face` rules
    whose fonts are subset to the characters of the finished page (the cuts kept in `cache`)."""
    if marker not in page:
        return page
    return page.replace(marker, fonts.html_font_faces_css(page.replace(marker, ""), cache) + "\n", 1)


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a template whose file (symlinks followed) lies outside its folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """The template's source, if its real path is inside the folder."""
        candidate = self.folder.joinpath(*split_template_path(template))
        if candidate.is_file() and not candidate.resolve().is_relative_to(self.folder):
            # Checked before reading; and not TemplateNotFound, which would let the next loader serve the name.
            raise jinja2.TemplateError(f"{candidate}: links to a file outside {self.folder}; templates are "
                                       "read only from inside their folder")
        return super().get_source(environment, template)


def _environment(folders: list[Path]) -> jinja2.Environment:
    """A sandboxed environment: templates, the project's included, cannot reach Python beyond their context."""
    builtin = ConfinedLoader(BUILTIN_TEMPLATES)
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({"default": builtin}, delimiter=":"),
        *(ConfinedLoader(folder) for folder in folders),
        builtin,
    ])
    environment = SandboxedEnvironment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, finalize=breakable, bytecode_cache=_compiled_templates(),
    )
    environment.filters["count"] = count
    environment.filters["date"] = readable_date
    return environment


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates as compiled before, by any build on this machine, so that each is compiled once, not once an
    audience and a build (a third of a second a build). Kept in the user's cache folder, not the project's: compiled
    code is run as it is, and a project folder may come from anyone. Each is used only for the very source it
    was compiled from (jinja2 checks), and only ever an optimisation: one that cannot be read or written is
    compiled again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """The template's compiled code, when kept for its present source; else nothing."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file may fail in any way unpickling its checksum: compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the compiled code (written to a temporary file and renamed), when the folder can be written."""
        with suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> CompiledTemplates | None:
    """The cache of compiled templates for this briefgen and jinja2 (`CompiledTemplates`; none when no folder can
    be made for it). Its folder is named for the code that sets up the environment, which compiled code depends on."""
    folder = cache_folder() / f"templates-{_environment_code()}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None  # code another user could have written (a shared cache folder) is never run
    return CompiledTemplates(str(folder))


@functools.cache
def _environment_code() -> str:
    """A digest of jinja2, Python and this module (which sets up the environment templates are compiled in)."""
    return hashlib.sha256(f"{jinja2.__version__} {sys.version}".encode() + Path(__file__).read_bytes()).hexdigest()[:16]


def readable_date(iso: str) -> str:
    """An ISO date labelled as the brief labels dates, at the precision it is written to ('3 December 2025',
    'December 2025', '2025'; `assemble.dates.date_label`): the `date` filter of templates. Anything else as it is."""
    try:
        dt.date.fromisoformat({1: f"{iso}-01-01", 2: f"{iso}-01"}.get(len(iso.split("-")), iso))
    except ValueError:
        return iso
    return date_label(iso, precision_of(iso))


def count(number: int) -> str:
    """A count as a reader reads it, in groups of three digits: 17,807 (the `count` filter of templates)."""
    return f"{number:,}"


def breakable(value: Any) -> Any:
    """Text output cut to MAX_SHOWN characters, with a line-break opportunity (U+200B) in every run of
    over LONG_RUN non-spaces.

    Line breaking in the PDF costs time in proportion to the square of an unbreakable string's length,
    and again of any string's length inside grids and tables, where its narrowest width is measured
    line by line; a source can hold a pasted 100 KB token. No line of a brief needs more than a few
    sentences. Markup (analyst Markdown, graphics) and URLs, which templates put in attributes, are
    left as they are.
    """
    if not isinstance(value, str) or isinstance(value, Markup) or len(value) <= LONG_RUN:
        return value
    if urlpolicy.scheme(value) or value.startswith("#"):
        return value
    if len(value) > MAX_SHOWN:
        value = value[: MAX_SHOWN - 1].rstrip() + "…"
    return _LONG_RUN.sub("\\g<0>\u200b", value)


def inline_css(css: str) -> str:
    """CSS safe to inline in an HTML <style> element: @import rules and url()s other than data: removed,
    and no '</' left that could end the element."""
    rules = tinycss2.parse_stylesheet(css)
    kept = [rule for rule in rules if not (rule.type == "at-rule" and rule.lower_at_keyword == "import")]
    for rule in kept:
        for tokens in (getattr(rule, "prelude", None), getattr(rule, "content", None)):
            _drop_urls(tokens or [])
    text = tinycss2.serialize(kept)
    return text.replace("</", "<\\/").replace("<!--", "\\3C !--")


def _drop_urls(tokens: list[Any]) -> None:
    for index, token in enumerate(tokens):
        if token.type == "url" and urlpolicy.scheme(token.value) != "data":
            tokens[index] = tinycss2.ast.IdentToken(token.source_line, token.source_column, "none")
        elif token.type == "function" and token.lower_name == "url":
            text = "".join(part.value for part in token.arguments if part.type == "string")
            if urlpolicy.scheme(text) != "data":
                tokens[index] = tinycss2.ast.IdentToken(token.source_line, token.source_column, "none")
        elif token.type in ("function", "() block", "[] block", "{} block"):
            _drop_urls(token.arguments if token.type == "function" else token.content)


def _template_error(error: jinja2.TemplateError) -> str:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: {error.message}"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template not found: {error.name}"
    return f"template error: {error}"


@contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """Keep WeasyPrint's per-property CSS warnings off the user's terminal."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
