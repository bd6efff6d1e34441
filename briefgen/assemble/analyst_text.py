"""Analyst-written Markdown to HTML: the only markup a brief takes from its configuration, made safe.

Raw HTML in the Markdown is shown as text, not passed through. What Markdown makes is
then cleaned by Ammonia (nh3): only plain document tags and attributes stay, links keep
only what `urlpolicy.is_safe_link` allows (http(s) to a public host, mailto, in-page
anchors: never loopback or private addresses), and images only `data:` PNG, JPEG, GIF
or WebP sources, so no `on*` handler, style or script survives the attribute-list syntax
of Markdown Extra, and nothing in the brief refers to a file or a local service.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

from briefgen.urlpolicy import is_raster_data_image, is_safe_link

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td", "a", "img", "abbr", "sup", "sub", "h3", "h4", "h5", "h6", "span",
})
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title"},
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})
# Text between tags (nh3's output is well-formed, so attributes never hold a bare '>'), and runs of 40
# non-spaces in it, after which a line-break opportunity (U+200B) keeps the PDF's line breaking linear.
_TEXT = re.compile(r"(?<=>)[^<]+|^[^<]+")
_LONG_RUN = re.compile(r"[^\s\u200b&;]{40}(?=[^\s\u200b&;])")


def markdown_block(text: str) -> Markup:
    """Markdown (paragraphs, lists, tables ...) as safe HTML."""
    return Markup(_clean(_converter().convert(text)))


def markdown_inline(text: str) -> Markup:
    """One line of Markdown as safe HTML without the surrounding paragraph."""
    html = _clean(_converter().convert(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=["extra", "sane_lists"])
    converter.preprocessors.deregister("html_block")  # raw HTML blocks become text
    converter.inlinePatterns.deregister("html")  # and so do inline tags
    return converter


def _clean(html: str) -> str:
    cleaned = nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES, url_schemes=set(URL_SCHEMES),
                        attribute_filter=_safe_attribute, link_rel=None)
    return _TEXT.sub(lambda match: _LONG_RUN.sub("\\g<0>\u200b", match.group(0)), cleaned)


def _safe_attribute(tag: str, name: str, value: str) -> str | None:
    """Images take only raster `data:` sources; links only what the URL policy allows."""
    if name == "src":
        return value if is_raster_data_image(value) else None
    if name == "href":
        return value if is_safe_link(value) else None
    return value
