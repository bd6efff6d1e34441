"""SVG made safe to embed: drawing elements and presentation attributes only, no reference out.

An SVG is a document that can load other files (`<image href>`, `<use href>`, `url(...)` in
styles, external entities) and run script. A logo only needs shapes, text, gradients and
clip paths, so the sanitiser keeps exactly those (an allow-list), drops every attribute that is
not plain presentation, and keeps a reference only when it points inside the SVG (`#id`) or is
a `data:` raster image. The XML is parsed without DTDs, entities or network access.
"""

from __future__ import annotations

import re

from lxml import etree

from briefgen.urlpolicy import is_raster_data_image, normalise

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    "pattern", "image", "marker",
})
ATTRIBUTES = frozenset({
    "id", "class", "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy",
    "r", "rx", "ry", "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
    "stroke-miterlimit", "opacity", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "letter-spacing", "dx", "dy", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "spreadMethod", "fx", "fy", "clip-path", "clip-rule", "clipPathUnits", "mask",
    "maskUnits", "maskContentUnits", "patternUnits", "patternContentUnits", "patternTransform", "visibility",
    "display", "role", "aria-label", "aria-hidden", "version", "markerWidth", "markerHeight", "refX", "refY",
    "orient", "marker-start", "marker-mid", "marker-end", "vector-effect", "href", f"{{{XLINK}}}href",
})
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)['\"]?\s*\)", re.IGNORECASE)
MAX_BYTES = 1 << 20


class UnsafeSVGError(ValueError):
    """An SVG that cannot be read or sanitised; the message says why."""


def clean_svg(data: bytes) -> bytes:
    """The SVG with everything but drawing removed; UnsafeSVGError when it is not a usable SVG."""
    if len(data) > MAX_BYTES:
        raise UnsafeSVGError(f"{len(data):,} bytes; an SVG logo may hold at most {MAX_BYTES:,}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise UnsafeSVGError(f"not well-formed XML: {error}") from None
    if root is None or etree.QName(root).localname != "svg" or etree.QName(root).namespace != SVG:
        raise UnsafeSVGError("not an SVG document (the root element must be <svg> in the SVG namespace)")
    _clean(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _clean(root: etree._Element) -> None:
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or not _allowed_element(element):
            _remove(element)
            continue
        for name in list(element.attrib):
            if not _allowed_attribute(name, element.attrib[name]):
                del element.attrib[name]


def _allowed_element(element: etree._Element) -> bool:
    name = etree.QName(element)
    return name.namespace == SVG and name.localname in ELEMENTS


def _allowed_attribute(name: str, value: str) -> bool:
    if name not in ATTRIBUTES:
        return False
    if name in ("href", f"{{{XLINK}}}href"):
        target = normalise(value)
        return target.startswith("#") or is_raster_data_image(target)
    return all(normalise(reference).startswith("#") for reference in _URL.findall(value)) and (
        "url(" not in value.lower() or bool(_URL.search(value)))


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
