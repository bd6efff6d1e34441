"""Render: a brief's template context to HTML (Jinja2) and PDF (WeasyPrint).

Templates are looked up most specific first: the audience's override folder, the
project's templates/, then the built-in ones; `default:NAME` always reaches the
built-in NAME, so an override can extend what it replaces. Rendering fetches
nothing from the network and no file outside the project's and briefgen's
template and static folders.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
import tinycss2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from briefgen import fonts, urlpolicy
from briefgen.assemble.views import BriefView
from briefgen.editions import EditionRecord
from briefgen.errors import ConfigError
from briefgen.project import BUILTIN_STATIC, BUILTIN_TEMPLATES, Project

STYLESHEETS = ("brief.css",)
LONG_RUN = 40  # characters without a space after which text output gets a break opportunity
MAX_SHOWN = 1500  # characters of any one text shown in a brief (a quote, a sentence, a title)
_LONG_RUN = re.compile(rf"[^\s\u200b]{{{LONG_RUN}}}(?=[^\s\u200b])")
PRINT_STYLESHEETS = ("print.css",)

FONT_CACHE = ".briefgen/fonts"  # the HTML's font subsets, kept for the next edition (`fonts.html_font_faces_css`)


class ProjectFetcher(URLFetcher):
    """Fetches `data:` URLs and files under the allowed folders only (urlpolicy); nothing else, no redirects."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self._allowed = [folder.resolve() for folder in allowed]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Refuse any URL that is not data: or a file inside an allowed folder, whatever its case or form."""
        if urlpolicy.scheme(url) == "data":
            return super().fetch(urlpolicy.normalise(url), headers)
        path = urlpolicy.allowed_file(url, self._allowed)
        if path is None:
            self.refused.append(url[:200])
            raise ValueError(f"refused to load {url[:200]}: only data: URLs and files in the project's template "
                             "and static folders")
        return super().fetch(path.as_uri(), headers)


class Renderer:
    """Renders briefs of one project; keeps one font configuration and one Jinja env per audience."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.font_config = FontConfiguration()
        self.fetcher = ProjectFetcher(self._asset_folders())
        self._environments: dict[str, jinja2.Environment] = {}
        self._stylesheets: dict[str, list[CSS]] = {}
        self._inline_css: dict[str, str] = {}

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
        html = HTML(string=self.html(view, for_pdf=True), base_url=str(self.project.root) + "/",
                    url_fetcher=self.fetcher)
        stylesheets = [self.font_faces, *self.stylesheets(STYLESHEETS + PRINT_STYLESHEETS),
                       self._page_size(view.page_size)]
        with _quiet_weasyprint():
            return html.render(stylesheets=stylesheets, font_config=self.font_config)

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
        return CSS(string=fonts.pdf_font_faces_css(), url_fetcher=self.fetcher, font_config=self.font_config)

    def _page_size(self, size: str) -> CSS:
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
    return SandboxedEnvironment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, finalize=breakable,
    )


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
