"""Analyst-written Markdown to HTML: the only markup a brief takes from its configuration, made safe.

Raw HTML in the Markdown is shown as text, not passed through. What Markdown makes is
then cleaned by Ammonia (nh3): only plain document tags and attributes stay, links keep
only http(s) and mailto URLs or in-page and relative targets, and images only `data:`
sources, so no `on*` handler, style or script survives the attribute-list syntax of
Markdown Extra.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

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
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES, url_schemes=set(URL_SCHEMES),
                     attribute_filter=_safe_attribute, link_rel=None)


def _safe_attribute(tag: str, name: str, value: str) -> str | None:
    """Images take only `data:image/` sources; a `data:` link is refused."""
    lowered = value.strip().lower()
    if name == "src" and not lowered.startswith("data:image/"):
        return None
    if name == "href" and lowered.startswith("data:"):
        return None
    return value
